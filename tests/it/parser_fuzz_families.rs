//! The mutation families of the generated corpus behind issue 12 — type
//! swaps, unit errors, extremes, alias bombs, special files — added to the
//! parser fuzzing of [`crate::parser_fuzz`]: the parser answers Ok or a
//! located, hinted, bounded error; it never panics and never runs away with
//! memory or time.

use crate::parser_fuzz::{bases, check};
use capsim::error::{Error, MAX_MESSAGE_CHARS, MAX_SHOWN_LINE_CHARS};
use capsim::scenario::{parse_file, parse_str};
use proptest::prelude::*;
use proptest::sample::Index;
use std::path::Path;

/// Values of another type than the field wants.
const TYPE_SWAPS: &[&str] = &[
    "[]",
    "{}",
    "[1, 2]",
    "{ a: 1 }",
    "true",
    "false",
    "null",
    "~",
    "\"text\"",
    "3",
    "-3",
    "0.5",
    "[[]]",
    "{ constant: 1 }",
    "!!binary aGk=",
    "\"\"",
];

/// Numbers with wrong, missing or mangled units.
const UNIT_ERRORS: &[&str] = &[
    "10 minutes",
    "10M",
    "10sec",
    "10 s",
    "10ms5",
    "1h-5m",
    "500 m",
    "1GB",
    "1gi",
    "70 %",
    "%70",
    "1,5",
    "1_000",
    "0x10",
    "1.",
    ".5s",
    "+5s",
    "-5s",
    "5s5",
    "1e3s",
    "NaN",
    ".nan",
    ".inf",
    "-.inf",
    "∞",
    "1h30",
    "m",
    "0.5%",
    "101%",
    "-1%",
    "2Ki",
    "1Ei",
    "500mm",
];

/// Extreme magnitudes and lengths.
fn extremes() -> Vec<String> {
    let mut v: Vec<String> = [
        "0",
        "-0",
        "-1",
        "1",
        "4294967295",
        "4294967296",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775809",
        "1e308",
        "1e309",
        "4.9e-324",
        "213503d",
        "213504d",
        "99999999999999999999d",
        "100000",
        "100001",
        "0.0000000001s",
        "1ns",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push("a".repeat(300));
    v.push("x".repeat(5000));
    v.push(format!("\"{}\"", "é".repeat(2000)));
    v
}

/// An alias bomb of `levels` levels with `fanout` aliases each, before the scenario.
fn alias_bomb(levels: usize, fanout: usize, text: &str) -> String {
    let list = |item: &str| vec![item; fanout].join(", ");
    let mut out = format!("b0: &a0 [{}]\n", list("lol"));
    for i in 1..levels {
        out.push_str(&format!(
            "b{i}: &a{i} [{}]\n",
            list(&format!("*a{}", i - 1))
        ));
    }
    out + text
}

/// One member of a family.
#[derive(Debug, Clone)]
enum Family {
    /// The value of line `Index` (a `key: value` line) becomes the text.
    Value(Index, String),
    /// An alias bomb (levels, fanout) before the text.
    Bomb(usize, usize),
    /// An alias used as the value of line `Index`, defined by an anchor above.
    AliasValue(Index),
}

fn family() -> impl Strategy<Value = Family> {
    let swap = prop::sample::select(TYPE_SWAPS).prop_map(str::to_string);
    let unit = prop::sample::select(UNIT_ERRORS).prop_map(str::to_string);
    let extreme = prop::sample::select(extremes());
    prop_oneof![
        3 => (any::<Index>(), swap).prop_map(|(i, v)| Family::Value(i, v)),
        3 => (any::<Index>(), unit).prop_map(|(i, v)| Family::Value(i, v)),
        3 => (any::<Index>(), extreme).prop_map(|(i, v)| Family::Value(i, v)),
        1 => (2usize..8, 2usize..10).prop_map(|(l, f)| Family::Bomb(l, f)),
        1 => any::<Index>().prop_map(Family::AliasValue),
    ]
}

fn apply(text: &str, f: &Family) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let values: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].contains(": "))
        .collect();
    let at = |i: &Index| values[i.index(values.len())];
    match f {
        Family::Value(i, v) => {
            let n = at(i);
            let colon = lines[n].find(": ").expect("a value line");
            lines[n] = format!("{}: {v}", &lines[n][..colon]);
        }
        Family::Bomb(l, fanout) => return alias_bomb(*l, *fanout, text),
        Family::AliasValue(i) => {
            let n = at(i);
            let colon = lines[n].find(": ").expect("a value line");
            lines[n] = format!("{}: *v", &lines[n][..colon]);
            lines.insert(0, "anchors: &v [1, { a: 2 }]".into());
        }
    }
    lines.join("\n") + "\n"
}

/// [`check`], and every error is bounded: its message and shown line are clipped.
fn check_bounded(text: &str) {
    if let Err(e) = parse_str(text, Path::new("fuzz.yaml")) {
        assert!(
            e.message.chars().count() <= MAX_MESSAGE_CHARS + 1,
            "message of {} characters",
            e.message.chars().count()
        );
        if let Some(src) = &e.source_line {
            assert!(src.chars().count() <= MAX_SHOWN_LINE_CHARS + 2, "{src}");
        }
        assert!(!e.message.contains("budget breached"), "{}", e.message);
    }
    check(text);
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn families_give_located_bounded_errors(
        base in 0usize..4,
        members in prop::collection::vec(family(), 1..3),
    ) {
        let mut text = bases()[base].clone();
        for m in &members {
            text = apply(&text, m);
        }
        check_bounded(&text);
    }
}

/// Special files as the scenario: each is a bad-input error (exit code 2) with a hint, quickly.
#[test]
fn special_files_as_the_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let sparse = dir.path().join("sparse.yaml");
    std::fs::File::create(&sparse)
        .unwrap()
        .set_len(65 << 20)
        .unwrap();
    let cases: [(&Path, &str); 5] = [
        (Path::new("/dev/zero"), "at most 64 MiB"),
        (Path::new("/dev/null"), "the file is empty"),
        (Path::new("/dev/urandom"), "at most 64 MiB"),
        (dir.path(), "it is a folder"),
        (&sparse, "found 68157440 bytes"),
    ];
    for (path, words) in cases {
        let started = std::time::Instant::now();
        let e = parse_file(path).expect_err("a special file is no scenario");
        assert!(
            started.elapsed().as_secs() < 20,
            "{} took {:?}",
            path.display(),
            started.elapsed()
        );
        assert_eq!(e.exit_code(), 2);
        let Error::Input(ie) = &e else { panic!("{e}") };
        assert!(ie.hint.is_some(), "{e}");
        assert!(e.to_string().contains(words), "{}: {e}", path.display());
    }
}

/// Special files as a trace or a manifest: an error at the scenario's field.
#[test]
fn special_files_as_a_trace_or_a_manifest() {
    let base = crate::common::SMALL_SCENARIO;
    for file in ["/dev/zero", "/dev/urandom", "/"] {
        let trace = base.replace(
            "- constant: { rps: 10 }",
            &format!("- trace: {{ file: \"{file}\", per: minute }}"),
        );
        let e = parse_str(&trace, Path::new("s.yaml")).expect_err("no trace");
        assert_eq!(
            (e.line, e.path.as_str()),
            (8, "services[0].traffic.rate[0].trace.file"),
            "{e}"
        );
        assert!(e.hint.is_some(), "{e}");
        let manifest = base.replace(
            "      concurrency: 4\n",
            &format!("      concurrency: 4\n      requests: {{ cpu: 500m }}\n    hpa: {{ manifest: \"{file}\" }}\n"),
        );
        let e = parse_str(&manifest, Path::new("s.yaml")).expect_err("no manifest");
        assert_eq!(
            (e.line, e.path.as_str()),
            (14, "services[0].hpa.manifest"),
            "{e}"
        );
        assert!(e.hint.is_some(), "{e}");
    }
}
