//! Input size limits and error text (issue 12, items r and s): huge or
//! special files end in a clear error (exit code 2) instead of exhausting
//! memory, long lines are clipped around the column, manifest errors carry
//! the scenario's location, and messages say what they mean.

use crate::common::cases::{Case, replace_once, validate};
use std::fs;

/// A valid scenario; tests replace one piece of it.
const BASE: &str = crate::common::SMALL_SCENARIO;

/// `BASE` with an HPA from the manifest `k8s/h.yaml` (line 14, the value at column 22).
fn with_manifest() -> String {
    replace_once(
        BASE,
        "      concurrency: 4\n",
        "      concurrency: 4\n      requests: { cpu: 500m }\n    hpa: { manifest: k8s/h.yaml }\n",
    )
}

/// The scenario with a trace rate from `t.csv` (line 8, the file name at column 26).
fn with_trace() -> String {
    replace_once(
        BASE,
        "- constant: { rps: 10 }",
        "- trace: { file: t.csv, per: minute }",
    )
}

// ------------------------------------------------------------ r. sizes

#[test]
fn dev_zero_as_the_scenario_stops_at_the_limit() {
    let case = Case::new(BASE);
    case.capsim(&["validate", "/dev/zero"]).fails_with(&[
        "/dev/zero",
        "expected the scenario file of at most 64 MiB, found more",
        "hint:",
    ]);
}

#[test]
fn a_scenario_file_over_the_limit_is_refused_unread() {
    let case = Case::new(BASE);
    // A sparse 1 GiB file: its size is known without reading it.
    let big = fs::File::create(case.path().join("big.yaml")).unwrap();
    big.set_len(1 << 30).unwrap();
    case.validate("big.yaml")
        .fails_with(&["big.yaml", "at most 64 MiB, found 1073741824 bytes"]);
    case.capsim(&["validate", "."])
        .fails_with(&["cannot read the scenario file", "hint:"]);
}

#[test]
fn a_trace_line_longer_than_the_limit_is_refused() {
    let csv = format!("t,v\n0,{}\n", "1".repeat(100_000));
    Case::new(&with_trace())
        .file("t.csv", &csv)
        .validate("s.yaml")
        .error_at(
            "s.yaml",
            8,
            26,
            "services[0].traffic.rate[0].trace.file",
            &["t.csv:2: the line is longer than 64 KiB"],
        );
    let zero = replace_once(&with_trace(), "file: t.csv", "file: /dev/zero");
    validate(&zero).error_at(
        "s.yaml",
        8,
        26,
        "services[0].traffic.rate[0].trace.file",
        &["/dev/zero:1: the line is longer than 64 KiB"],
    );
}

#[test]
fn a_manifest_over_the_limit_is_refused_at_the_scenario_field() {
    let text = replace_once(&with_manifest(), "k8s/h.yaml", "/dev/zero");
    validate(&text).error_at(
        "s.yaml",
        14,
        22,
        "services[0].hpa.manifest",
        &["/dev/zero: expected the HPA manifest of at most 64 MiB, found more"],
    );
}

/// A 200,000-character line: the error shows the 160 characters around the
/// column (here the line's end), `…` at the cut, the caret under the offending key.
#[test]
fn a_long_line_is_clipped_around_the_column() {
    let pad = " ".repeat(200_000);
    let text = replace_once(
        BASE,
        "duration: 1m\n",
        &format!("duration: 1m\nmetrics: {{{pad}intervl: 1m }}\n"),
    );
    let out = validate(&text);
    out.fails_with(&["unknown field `intervl`"]);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert!(
        lines[0].starts_with("error: s.yaml:3:200011: metrics.intervl: "),
        "{}",
        lines[0]
    );
    assert!(
        out.stderr.len() < 2_000,
        "{} bytes of error",
        out.stderr.len()
    );
    let shown = lines[1].strip_prefix(" 3 | ").expect("the line");
    assert!(
        shown.starts_with('…') && shown.ends_with("intervl: 1m }"),
        "{shown}"
    );
    assert!(shown.chars().count() <= 162, "{}", shown.chars().count());
    let caret = lines[2]
        .strip_prefix("   | ")
        .expect("the caret")
        .chars()
        .count();
    assert_eq!(
        shown.chars().nth(caret - 1),
        Some('i'),
        "caret at {caret} in {shown}"
    );
}

// ---------------------------------------------------------- s. error text

#[test]
fn manifest_errors_carry_the_scenario_location() {
    let manifest = "\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: api }
spec:
  maxReplicas: 0
";
    Case::new(&with_manifest())
        .file("k8s/h.yaml", manifest)
        .validate("s.yaml")
        .error_at(
            "s.yaml",
            14,
            22,
            "services[0].hpa.manifest",
            &["k8s/h.yaml:5:16: spec.maxReplicas: "],
        );
}

#[test]
fn yaml_syntax_errors_in_a_manifest_are_explained() {
    let manifest = "spec:\n  maxReplicas: 4\n  metrics: [\n";
    let out = Case::new(&with_manifest())
        .file("k8s/h.yaml", manifest)
        .validate("s.yaml");
    out.fails_with(&[
        "s.yaml:14:22: services[0].hpa.manifest: k8s/h.yaml:3:12: invalid YAML: unclosed bracket",
        "hint: close every `[`, `{` and quote that is opened",
    ]);
}

/// The value of an unknown key starts on the next line; the error points at the key.
#[test]
fn an_unknown_hpa_key_is_pointed_at_the_key() {
    let text = replace_once(
        BASE,
        "      concurrency: 4\n",
        "      concurrency: 4\n      requests: { cpu: 500m }\n    hpa:\n      maxReplicas: 4\n      behaviour:\n        scaleDown: { stabilizationWindowSeconds: 60 }\n",
    );
    validate(&text).error_at(
        "s.yaml",
        16,
        7,
        "services[0].hpa.behaviour",
        &["unknown field `behaviour`"],
    );
}

/// 100 nested lists pass serde-saphyr's depth limit (64): said in words, no Debug text.
#[test]
fn reader_limits_are_stated_in_words() {
    let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
    let out = validate(&replace_once(
        BASE,
        "name: t",
        &format!("name: t\ndescription: {deep}"),
    ));
    out.fails_with(&["expected lists and mappings nested at most 64 deep"]);
    assert!(
        !out.stderr.contains("budget breached") && !out.stderr.contains(" {"),
        "{}",
        out.stderr
    );
    // An alias bomb: nine levels of ten aliases each, 10⁹ strings if expanded.
    let mut bomb = String::from("x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "x{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let out = validate(&format!("{bomb}{BASE}"));
    out.fails_with(&["s.yaml:"]);
    assert!(!out.stderr.contains("budget breached"), "{}", out.stderr);
}

/// serde-saphyr's default budget (250,000 nodes) refused this legitimate file.
#[test]
fn a_replay_of_100000_observations_is_read() {
    let mut text = String::from(
        "hpa: { minReplicas: 1, maxReplicas: 10, metrics: [ { type: Resource, resource: { name: cpu, target: { type: Utilization, averageUtilization: 50 } } } ] }\nobservations:\n",
    );
    for i in 0..100_000 {
        text.push_str(&format!(
            "  - {{ at: {}s, replicas: 2, pods: [ {{ requests: {{ cpu: 1000m }}, usage: {{ cpu: 500m }}, started: 1h }}, {{ requests: {{ cpu: 1000m }}, usage: {{ cpu: 500m }}, started: 1h }} ] }}\n",
            15 * i
        ));
    }
    let case = Case::new(BASE).file("replay.yaml", &text);
    let out = case.capsim(&["hpa", "replay", "replay.yaml"]);
    assert_eq!(
        out.code,
        Some(0),
        "{}",
        &out.stderr[..out.stderr.len().min(2000)]
    );
    assert_eq!(out.stdout.lines().count(), 100_000);
}

#[test]
fn a_file_that_is_not_utf8_gets_the_place_of_the_first_bad_byte() {
    let case = Case::new(BASE);
    let mut bytes = BASE.as_bytes().to_vec();
    // Line 3 is `services:`; a Latin-1 "é" after "servic".
    let at = BASE.find("services:").unwrap() + "servic".len();
    bytes.insert(at, 0xE9);
    fs::write(case.path().join("latin1.yaml"), bytes).unwrap();
    case.validate("latin1.yaml").error_at(
        "latin1.yaml",
        3,
        7,
        "",
        &[
            "expected UTF-8 text in the scenario file, found the byte 0xE9",
            "save the file as UTF-8",
        ],
    );
}

#[test]
fn nan_and_infinity_in_a_trace_are_not_counts() {
    for bad in ["NaN", "inf", "-inf"] {
        Case::new(&with_trace())
            .file("t.csv", &format!("t,v\n0,60\n60,{bad}\n"))
            .validate("s.yaml")
            .error_at(
                "s.yaml",
                8,
                26,
                "services[0].traffic.rate[0].trace.file",
                &[&format!(
                    "t.csv:3: expected a finite request count, found {bad}"
                )],
            );
    }
}

/// A u64 of nanoseconds holds 18,446,744,073.7 s: 213,503 whole days.
#[test]
fn the_duration_limit_is_stated_one_way() {
    let limit = "of at most 213503d (about 584 years)";
    for d in [
        "213504d",
        "99999999999999999999d",
        "9999999999999999999999s",
    ] {
        validate(&replace_once(
            BASE,
            "duration: 1m",
            &format!("duration: {d}"),
        ))
        .error_at("s.yaml", 2, 11, "duration", &[limit]);
    }
    assert_eq!(
        validate(&replace_once(BASE, "duration: 1m", "duration: 213503d")).code,
        Some(0)
    );
    let event = replace_once(
        BASE,
        "services:",
        "events:\n  - { at: 213504d, metrics_outage: { for: 1m } }\nservices:",
    );
    validate(&event).error_at("s.yaml", 4, 11, "events[0].at", &[limit]);
}

#[test]
fn scenario_names_are_checked_as_the_report_folder_needs() {
    validate(&replace_once(BASE, "name: t", "name: \"..\"")).error_at(
        "s.yaml",
        1,
        7,
        "name",
        &["not starting with '.'", "found \"..\""],
    );
    let long = "a".repeat(300);
    validate(&replace_once(BASE, "name: t", &format!("name: {long}"))).error_at(
        "s.yaml",
        1,
        7,
        "name",
        &["expected a name of 1 to 255 letters", "(300 characters)"],
    );
    assert_eq!(
        validate(&replace_once(
            BASE,
            "name: t",
            &format!("name: {}", "a".repeat(255))
        ))
        .code,
        Some(0)
    );
}
