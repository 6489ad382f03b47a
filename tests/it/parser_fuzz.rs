//! Random damage to valid scenarios: the parser must answer Ok or Err, never
//! panic; what still parses must simulate without panicking (when cheap).

use capsim::model::{World, event_budget, simulate};
use capsim::scenario::parse_str;
use capsim::scenario::trace::{self, TraceError, TraceRequest};
use capsim::spec::Interpolation;
use proptest::prelude::*;
use proptest::sample::Index;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The smallest useful scenario.
const SMALL: &str = crate::common::SMALL_SCENARIO;

/// Every rate component (but traces), every distribution, every pod and balancer setting.
const FULL: &str = "\
name: full-1
description: every rate component and distribution
duration: 1m
warmup: 10s
seed: 7
replications: 2
metrics:
  interval: 15s
limits:
  max_events: 1000000
services:
  - name: web
    replicas: 2
    traffic:
      arrivals: poisson
      rate:
        - constant: { rps: 5 }
        - diurnal: { min: 1, max: 4, peak_at: \"00:00:30\", period: 1m }
        - ramp: { from: 0, to: 3, start: 10s, end: 50s }
        - spike: { at: 30s, peak: 20, rise: 5s, hold: 10s, fall: 5s }
    request:
      cpu: { lognormal: { median: 5ms, p99: 50ms } }
      io: { gamma: { mean: 10ms, cv: 1.5 } }
      timeout: 2s
    pod:
      concurrency: 8
      queue_limit: 50
      requests: { cpu: 500m, memory: 256Mi }
      limits: { cpu: \"1\", memory: 512Mi }
    load_balancer: least_request
  - name: batch
    replicas: 1
    traffic:
      arrivals: deterministic
      rate:
        - constant: { rps: 2 }
    request:
      cpu: { uniform: { min: 1ms, max: 20ms } }
      io: { constant: 5ms }
    pod:
      concurrency: unlimited
      limits: { cpu: 1500m }
    load_balancer: random
  - name: api
    replicas: 3
    traffic:
      rate:
        - diurnal: { min: 0, max: 10, peak_at: 30s }
    request:
      cpu: { exponential: { mean: 2ms } }
    pod:
      concurrency: 2
    load_balancer: round_robin
";

/// Block style throughout, so indentation changes matter.
const BLOCK: &str = "\
# comment
name: block
duration: 30s
services:
  - name: a
    replicas: 2
    traffic:
      rate:
        - spike:
            at: 5s
            peak: 50
            rise: 1s
        - ramp:
            from: 1
            to: 2
            start: \"00:00:10\"
            end: 20s
    request:
      cpu:
        gamma:
          mean: 3ms
          cv: 0.5
      timeout: 500ms
    pod:
      queue_limit: 0
      limits:
        cpu: 250m
";

/// A trace component; `TRACE_FILE` is replaced by an absolute path.
const TRACED: &str = "\
name: traced
duration: 1m
services:
  - name: api
    replicas: 1
    traffic:
      rate:
        - trace: { file: TRACE_FILE, time_column: period, value_column: count, per: minute, scale: 2, from: \"2000-01-01 00:00:30\", to: \"2000-01-01 00:02:00\", interpolate: linear }
    request:
      cpu: { constant: 1ms }
    pod:
      concurrency: 1
";

const TRACE_CSV: &str = "period,count\n\
2000-01-01 00:00:00,60\n\
2000-01-01 00:01:00,120\n\
2000-01-01 00:03:00,30\n";

/// Values that tend to break number and unit handling.
const ODD_VALUES: &[&str] = &[
    "-1",
    "0",
    "-0",
    "1e308",
    "-1e308",
    "1e-300",
    "NaN",
    ".nan",
    ".inf",
    "-.inf",
    "inf",
    "99999999999999999999999999",
    "18446744073709551615",
    "18446744073709551616",
    "9223372036854775807",
    "-9223372036854775808",
    "4294967295",
    "2147483648",
    "0x10",
    "0o17",
    "1_000",
    "~",
    "null",
    "true",
    "''",
    "\"\"",
    "[]",
    "{}",
    "[1, 2]",
    "{ a: 1 }",
    "&a 1",
    "*a",
    "!!str 5",
    "!custom x",
    "1ns",
    "0s",
    "1d",
    "99999999d",
    "1e300s",
    "1.5.5s",
    "5µs",
    "µs",
    "1h1h1h",
    "00:00",
    "23:59:59",
    "24:00",
    "-01:00",
    "9:",
    ":",
    "0m",
    "1m",
    "99999999999m",
    "0.0000001m",
    "1Ei",
    "1e30Gi",
    "unlimited",
    "round_robin",
    "\u{663}\u{664}",
    "é",
    "a: b: c",
    "- - -",
    "|\n  text",
    ">-",
    "'unclosed",
    "\"unclosed",
    "[",
    "{",
    "]",
    "}",
    "#",
    "---",
    "...",
    "? complex",
];

/// Fragments inserted at random places.
const FRAGMENTS: &[&str] = &[
    "\n", " ", "  ", "\t", ":", ": ", "- ", "-", "[", "]", "{", "}", ",", "#", "'", "\"", "&x ",
    "*x", "!", "|", ">", "?", "%", "@", "`", "\\", "0", "9", "-", ".", "e", "ms", "m", "\u{0}",
    "\r", "\u{feff}", "é", "name", "rps", "services", "<<: *x",
];

/// One way to damage the text.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteChars(Index, usize),
    Insert(Index, &'static str),
    InsertRandom(Index, String),
    ReplaceChar(Index, char),
    DuplicateLine(Index),
    DropLine(Index),
    SwapLines(Index, Index),
    Indent(Index, i8),
    ReplaceNumber(Index, &'static str),
    ReplaceValue(Index, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let odd = prop::sample::select(ODD_VALUES);
    let fragment = prop::sample::select(FRAGMENTS);
    let value = prop_oneof![
        odd.clone().prop_map(str::to_string),
        "[ -~]{0,12}",
        any::<String>().prop_map(|s| s.chars().take(8).collect()),
    ];
    prop_oneof![
        (any::<Index>(), 1usize..6).prop_map(|(i, n)| Mutation::DeleteChars(i, n)),
        (any::<Index>(), fragment).prop_map(|(i, f)| Mutation::Insert(i, f)),
        (any::<Index>(), "[ -~]{1,6}").prop_map(|(i, s)| Mutation::InsertRandom(i, s)),
        (any::<Index>(), any::<char>()).prop_map(|(i, c)| Mutation::ReplaceChar(i, c)),
        any::<Index>().prop_map(Mutation::DuplicateLine),
        any::<Index>().prop_map(Mutation::DropLine),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (any::<Index>(), -4i8..=4).prop_map(|(i, d)| Mutation::Indent(i, d)),
        (any::<Index>(), odd).prop_map(|(i, v)| Mutation::ReplaceNumber(i, v)),
        (any::<Index>(), value).prop_map(|(i, v)| Mutation::ReplaceValue(i, v)),
    ]
}

/// Damage to values only, so that many results still parse and run.
fn value_mutation() -> impl Strategy<Value = Mutation> {
    let number = prop_oneof![
        prop::sample::select(ODD_VALUES),
        prop::sample::select(&["1", "2", "5", "10", "100", "0.5", "1000", "3.25"][..]),
    ];
    let unit =
        prop::sample::select(&["ns", "us", "ms", "s", "m", "h", "d", "", "%", "Mi", "Gi"][..]);
    prop_oneof![
        3 => (any::<Index>(), number).prop_map(|(i, v)| Mutation::ReplaceNumber(i, v)),
        1 => (any::<Index>(), (0u32..100_000, unit)).prop_map(|(i, (n, u))| {
            Mutation::ReplaceValue(i, format!("{n}{u}"))
        }),
        1 => (any::<Index>(), prop::sample::select(ODD_VALUES))
            .prop_map(|(i, v)| Mutation::ReplaceValue(i, v.to_string())),
        1 => any::<Index>().prop_map(Mutation::DropLine),
    ]
}

/// Starts of the runs of ASCII digits in `chars`, as (start, end).
fn numbers(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let join = |lines: &[String]| lines.join("\n") + "\n";
    match m {
        Mutation::DeleteChars(i, n) => {
            if chars.is_empty() {
                return String::new();
            }
            let at = i.index(chars.len());
            let end = (at + n).min(chars.len());
            chars.drain(at..end);
            chars.into_iter().collect()
        }
        Mutation::Insert(i, s) => {
            let at = i.index(chars.len() + 1);
            chars.splice(at..at, s.chars());
            chars.into_iter().collect()
        }
        Mutation::InsertRandom(i, s) => {
            let at = i.index(chars.len() + 1);
            chars.splice(at..at, s.chars());
            chars.into_iter().collect()
        }
        Mutation::ReplaceChar(i, c) => {
            if !chars.is_empty() {
                let at = i.index(chars.len());
                chars[at] = *c;
            }
            chars.into_iter().collect()
        }
        Mutation::DuplicateLine(i) if !lines.is_empty() => {
            let at = i.index(lines.len());
            let line = lines[at].clone();
            lines.insert(at, line);
            join(&lines)
        }
        Mutation::DropLine(i) if !lines.is_empty() => {
            lines.remove(i.index(lines.len()));
            join(&lines)
        }
        Mutation::SwapLines(a, b) if !lines.is_empty() => {
            let (a, b) = (a.index(lines.len()), b.index(lines.len()));
            lines.swap(a, b);
            join(&lines)
        }
        Mutation::Indent(i, d) if !lines.is_empty() => {
            let at = i.index(lines.len());
            let line = &lines[at];
            lines[at] = if *d >= 0 {
                format!("{}{line}", " ".repeat(*d as usize))
            } else {
                let strip = line
                    .chars()
                    .take((-d) as usize)
                    .take_while(|c| *c == ' ')
                    .count();
                line[strip..].to_string()
            };
            join(&lines)
        }
        Mutation::ReplaceNumber(i, v) => {
            let found = numbers(&chars);
            if found.is_empty() {
                return text.to_string();
            }
            let (start, end) = found[i.index(found.len())];
            chars.splice(start..end, v.chars());
            chars.into_iter().collect()
        }
        Mutation::ReplaceValue(i, v) if !lines.is_empty() => {
            let at = i.index(lines.len());
            if let Some(colon) = lines[at].find(": ") {
                lines[at] = format!("{}: {v}", &lines[at][..colon]);
            }
            join(&lines)
        }
        _ => text.to_string(),
    }
}

/// The trace file of [`TRACED`], written once for all cases.
fn trace_file() -> &'static Path {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        // Cargo's scratch folder for integration tests: nothing left in /tmp.
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("parser_fuzz_trace.csv");
        std::fs::write(&path, TRACE_CSV).expect("write trace");
        path
    })
}

pub(crate) fn bases() -> Vec<String> {
    let traced = TRACED.replace("TRACE_FILE", &trace_file().display().to_string());
    vec![SMALL.into(), FULL.into(), BLOCK.into(), traced]
}

/// Parses `text`; when it is valid and cheap, simulates one replication.
pub(crate) fn check(text: &str) {
    let scenario = match parse_str(text, Path::new("fuzz.yaml")) {
        Ok(s) => s,
        Err(e) => {
            // Every error is located, one line long, and says how to fix it.
            assert!(e.line > 0 && e.column > 0, "no location: {e}\nin:\n{text}");
            assert!(
                !e.message.is_empty() && !e.message.contains('\n'),
                "message: {e:?}"
            );
            assert!(e.hint.is_some(), "no hint: {e}\nin:\n{text}");
            assert!(e.source_line.is_some(), "no source line: {e}");
            return;
        }
    };
    let world = World::new(&scenario, 0);
    let expected = world.expected_requests();
    assert!(expected >= 0.0, "expected requests {expected}");
    event_budget(&scenario, &world);
    if scenario.duration_ns > 60_000_000_000 {
        return;
    }
    if expected < 20_000.0 {
        // Ok, or a budget error: either way, no panic.
        let _ = simulate(&scenario, 0, 0);
    }
}

#[test]
fn the_bases_are_valid() {
    for text in bases() {
        let s =
            parse_str(&text, Path::new("fuzz.yaml")).unwrap_or_else(|e| panic!("{e}\nin:\n{text}"));
        assert!(s.duration_ns <= 60_000_000_000);
        let expected = World::new(&s, 0).expected_requests();
        assert!(expected > 0.0 && expected < 20_000.0, "{expected}");
        simulate(&s, 0, 0).expect("base scenario runs");
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn odd_values_never_panic(
        base in 0usize..4,
        mutations in prop::collection::vec(value_mutation(), 1..4),
    ) {
        let mut text = bases()[base].clone();
        for m in &mutations {
            text = apply(&text, m);
        }
        check(&text);
    }

    #[test]
    fn damaged_scenarios_never_panic(
        base in 0usize..4,
        mutations in prop::collection::vec(mutation(), 1..5),
    ) {
        let mut text = bases()[base].clone();
        for m in &mutations {
            text = apply(&text, m);
        }
        check(&text);
    }
}

/// A CSV trace: header, then rows of a timestamp and a value, with damage.
fn csv_text() -> impl Strategy<Value = String> {
    let timestamp = prop_oneof![
        (0u32..200).prop_map(|m| format!("2000-01-01 {:02}:{:02}:00", m / 60 % 24, m % 60)),
        (-10_000i64..10_000).prop_map(|s| (s * 60).to_string()),
        prop::sample::select(
            &[
                "-8999999999",
                "8999999999",
                "1e300",
                "1677-09-21T00:12:44Z",
                "2262-04-11T23:47:16Z",
                "2000-01-01T00:00:00+14:00",
                "2000-02-30",
                "",
                "x",
            ][..]
        )
        .prop_map(str::to_string),
    ];
    let value = prop_oneof![
        (0u32..1000).prop_map(|v| v.to_string()),
        prop::sample::select(ODD_VALUES).prop_map(str::to_string),
    ];
    let row = (timestamp, value).prop_map(|(t, v)| format!("{t},{v}"));
    let header =
        prop::sample::select(&["period,count", "count,period", "a", "", "period,count,x"][..]);
    (header, prop::collection::vec(row, 0..8), any::<bool>()).prop_map(|(h, rows, sorted)| {
        let mut rows = rows;
        if sorted {
            rows.sort();
        }
        format!("{h}\n{}\n", rows.join("\n"))
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 500,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn damaged_traces_never_panic(
        csv in csv_text(),
        per in prop::sample::select(&[1.0, 60.0, 3600.0][..]),
        from in prop::option::of(prop::sample::select(&["2000-01-01 00:01:00", "-8999999999", "8999999999", "1e300", "junk"][..])),
        to in prop::option::of(prop::sample::select(&["2000-01-01 00:02:00", "-8999999999", "8999999999", "2000-01-01"][..])),
        linear in any::<bool>(),
    ) {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(csv.as_bytes()).unwrap();
        let req = TraceRequest {
            time_column: None,
            value_column: None,
            per_s: per,
            scale: 1.0,
            from,
            to,
            interpolation: if linear { Interpolation::Linear } else { Interpolation::Step },
        };
        match trace::load(file.path(), &req) {
            Ok(t) => {
                prop_assert!(t.rates_rps.iter().all(|r| r.is_finite() && *r >= 0.0));
                prop_assert!(t.step_s > 0.0 && t.end_s.is_finite() && t.start_s.is_finite());
            }
            Err(TraceError::Row { line, message }) => {
                prop_assert!(line > 0, "row error without a line: {}", message);
                prop_assert!(message.contains("\nhint: "), "no hint: {}", message);
            }
            Err(TraceError::Bound { message, .. }) => {
                prop_assert!(message.contains("\nhint: "), "no hint: {}", message);
            }
            Err(TraceError::Io(_) | TraceError::Column { .. }) => {}
        }
    }
}
