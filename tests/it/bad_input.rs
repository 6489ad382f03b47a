//! Bad scenario files: each must fail with exit code 2 and an error that
//! names the file, the line and column, the field path and what was
//! expected, shows the offending line with a caret, and gives a hint.

use crate::common::cases::{Case, validate};
use std::fs;

// ---------------------------------------------------------------- helpers

/// A valid scenario; tests replace one piece of it.
const BASE: &str = crate::common::SMALL_SCENARIO;

/// A trace that fits the base scenario: two one-minute samples.
const TRACE_CSV: &str = "period,count\n2000-01-01 00:00:00,60\n2000-01-01 00:01:00,120\n";

/// The trace rate component, as it replaces the constant one in [`BASE`].
const TRACE_RATE: &str =
    "- trace: { file: t.csv, time_column: period, value_column: count, per: minute }";

crate::common::cases::base_scenario!();

// ------------------------------------------------------------- the cases

#[test]
fn unknown_top_level_key() {
    validate(&base_with("services:", "servics:")).error_at(
        "s.yaml",
        3,
        1,
        "servics",
        &["unknown field `servics`", "expected one of", "services"],
    );
}

#[test]
fn unknown_nested_key() {
    validate(&base_with("concurrency: 4", "concurency: 4")).error_at(
        "s.yaml",
        12,
        7,
        "services[0].pod.concurency",
        &["unknown field `concurency`", "expected one of concurrency"],
    );
}

#[test]
fn text_where_a_number_is_expected() {
    validate(&base_with("rps: 10", "rps: ten")).error_at(
        "s.yaml",
        8,
        28,
        "services[0].traffic.rate[0].constant.rps",
        &["expected a number", "found the text \"ten\""],
    );
}

#[test]
fn list_where_a_number_is_expected() {
    validate(&base_with("rps: 10", "rps: [10]")).error_at(
        "s.yaml",
        8,
        28,
        "services[0].traffic.rate[0].constant.rps",
        &["expected a number that is not negative, found a list"],
    );
}

#[test]
fn mapping_where_a_list_is_expected() {
    let text = base_with(
        "      rate:\n        - constant: { rps: 10 }",
        "      rate: { constant: { rps: 10 } }",
    );
    validate(&text).error_at(
        "s.yaml",
        7,
        13,
        "services[0].traffic.rate",
        &["expected a list, found a mapping"],
    );
}

#[test]
fn list_where_a_mapping_is_expected() {
    validate(&base_with("      concurrency: 4", "      - concurrency: 4")).error_at(
        "s.yaml",
        12,
        7,
        "services[0].pod",
        &["expected a mapping, found a list"],
    );
}

#[test]
fn negative_rate() {
    validate(&base_with("rps: 10", "rps: -5")).error_at(
        "s.yaml",
        8,
        28,
        "services[0].traffic.rate[0].constant.rps",
        &["expected a number that is not negative, found -5"],
    );
}

#[test]
fn absurdly_high_rate() {
    validate(&base_with("rps: 10", "rps: 1e308")).error_at(
        "s.yaml",
        8,
        28,
        "services[0].traffic.rate[0].constant.rps",
        &["expected at most 1e9 requests per second, found 1e308"],
    );
}

#[test]
fn duration_in_words() {
    let out = validate(&base_with("duration: 1m", "duration: 10 minutes"));
    out.error_at(
        "s.yaml",
        2,
        11,
        "duration",
        &["expected a duration", "\"10 minutes\""],
    );
    assert!(
        out.stderr.contains("10m"),
        "hint shows the units:\n{}",
        out.stderr
    );
}

#[test]
fn duration_without_unit() {
    let text = base_with(
        "      cpu: { exponential: { mean: 10ms } }\n",
        "      cpu: { exponential: { mean: 10ms } }\n      timeout: 30\n",
    );
    validate(&text).error_at(
        "s.yaml",
        11,
        16,
        "services[0].request.timeout",
        &["expected a duration with a unit", "bare number 30"],
    );
}

#[test]
fn unknown_distribution() {
    validate(&base_with("exponential: { mean", "weibull: { mean")).error_at(
        "s.yaml",
        10,
        14,
        "services[0].request.cpu",
        &[
            "unknown variant `weibull`",
            "constant, exponential, lognormal, gamma, uniform",
        ],
    );
}

#[test]
fn distribution_named_without_its_settings() {
    validate(&base_with("{ exponential: { mean: 10ms } }", "exponential")).error_at(
        "s.yaml",
        10,
        12,
        "services[0].request.cpu",
        &["expected `exponential` with its settings"],
    );
}

#[test]
fn unknown_rate_component() {
    validate(&base_with("- constant:", "- steady:")).error_at(
        "s.yaml",
        8,
        11,
        "services[0].traffic.rate[0]",
        &[
            "unknown variant `steady`",
            "constant, diurnal, ramp, spike, trace",
        ],
    );
}

#[test]
fn lognormal_p99_not_above_median() {
    let text = base_with(
        "{ exponential: { mean: 10ms } }",
        "{ lognormal: { median: 20ms, p99: 20ms } }",
    );
    validate(&text).error_at(
        "s.yaml",
        10,
        46,
        "services[0].request.cpu.lognormal.p99",
        &[
            "expected p99 greater than the median",
            "median 20ms and p99 20ms",
        ],
    );
}

#[test]
fn warmup_as_long_as_the_run() {
    validate(&base_with("duration: 1m\n", "duration: 1m\nwarmup: 1m\n")).error_at(
        "s.yaml",
        3,
        9,
        "warmup",
        &["expected a warmup shorter than the duration (1m), found 1m"],
    );
}

#[test]
fn empty_services_list() {
    validate("name: t\nduration: 1m\nservices: []\n").error_at(
        "s.yaml",
        3,
        11,
        "services",
        &["expected at least one service, found an empty list"],
    );
}

#[test]
fn empty_rate_list() {
    let text = base_with(
        "      rate:\n        - constant: { rps: 10 }",
        "      rate: []",
    );
    validate(&text).error_at(
        "s.yaml",
        7,
        13,
        "services[0].traffic.rate",
        &["expected at least one rate component, found an empty list"],
    );
}

#[test]
fn duplicate_service_names() {
    let second = "  - name: api\n    replicas: 2\n    traffic: { rate: [ { constant: { rps: 1 } } ] }\n    request: { cpu: { constant: 1ms } }\n    pod: { concurrency: 1 }\n";
    let text = format!("{BASE}{second}");
    validate(&text).error_at(
        "s.yaml",
        13,
        11,
        "services[1].name",
        &["expected a unique service name", "\"api\" a second time"],
    );
}

#[test]
fn duplicate_key() {
    validate(&base_with(
        "replicas: 1\n",
        "replicas: 1\n    replicas: 2\n",
    ))
    .error_at(
        "s.yaml",
        6,
        5,
        "services[0].replicas",
        &["duplicate key `replicas`"],
    );
}

#[test]
fn zero_replicas() {
    validate(&base_with("replicas: 1", "replicas: 0")).error_at(
        "s.yaml",
        5,
        15,
        "services[0].replicas",
        &["expected 1 to 100000 replicas, found 0"],
    );
}

#[test]
fn negative_replicas() {
    validate(&base_with("replicas: 1", "replicas: -2")).error_at(
        "s.yaml",
        5,
        15,
        "services[0].replicas",
        &["expected a whole number that is not negative, found -2"],
    );
}

#[test]
fn zero_concurrency() {
    validate(&base_with("concurrency: 4", "concurrency: 0")).error_at(
        "s.yaml",
        12,
        20,
        "services[0].pod.concurrency",
        &["expected at least 1 worker slot, found 0"],
    );
}

#[test]
fn pod_without_concurrency_or_cpu_limit() {
    validate(&base_with("concurrency: 4", "queue_limit: 4")).error_at(
        "s.yaml",
        12,
        7,
        "services[0].pod",
        &["expected `concurrency` or `limits.cpu`"],
    );
}

#[test]
fn cpu_quantity_in_words() {
    let text = base_with(
        "      concurrency: 4\n",
        "      concurrency: 4\n      limits: { cpu: 2 cores }\n",
    );
    validate(&text).error_at(
        "s.yaml",
        13,
        22,
        "services[0].pod.limits.cpu",
        &["expected a CPU quantity", "\"2 cores\"", "500m"],
    );
}

#[test]
fn missing_required_field_in_a_service() {
    let text = base_with(
        "    request:\n      cpu: { exponential: { mean: 10ms } }\n",
        "",
    );
    validate(&text).error_at("s.yaml", 4, 5, "services[0]", &["missing field `request`"]);
}

#[test]
fn missing_required_top_level_field() {
    validate(&base_with("duration: 1m\n", "")).error_at(
        "s.yaml",
        1,
        1,
        "",
        &["missing field `duration`"],
    );
}

#[test]
fn max_events_of_zero() {
    validate(&base_with(
        "duration: 1m\n",
        "duration: 1m\nlimits: { max_events: 0 }\n",
    ))
    .error_at(
        "s.yaml",
        3,
        23,
        "limits.max_events",
        &["expected an event budget of at least 1, found 0"],
    );
}

#[test]
fn trace_file_missing() {
    let case = Case::new(&base_with("- constant: { rps: 10 }", TRACE_RATE));
    case.validate("s.yaml").error_at(
        "s.yaml",
        8,
        26,
        "services[0].traffic.rate[0].trace.file",
        &["cannot read trace file", "t.csv"],
    );
}

#[test]
fn trace_path_is_relative_to_the_scenario_folder() {
    let text = base_with("- constant: { rps: 10 }", TRACE_RATE);
    let case = Case::new("unused: true\n")
        .file("sub/s.yaml", &text)
        .file("sub/t.csv", TRACE_CSV);
    let ok = case.validate("sub/s.yaml");
    assert_eq!(ok.code, Some(0), "{}", ok.stderr);
    // Without the trace next to the scenario, the error names where it looked.
    fs::remove_file(case.path().join("sub/t.csv")).unwrap();
    fs::write(case.path().join("t.csv"), TRACE_CSV).unwrap();
    case.validate("sub/s.yaml").error_at(
        "sub/s.yaml",
        8,
        26,
        "services[0].traffic.rate[0].trace.file",
        &["cannot read trace file sub/t.csv"],
    );
}

#[test]
fn trace_column_not_in_the_csv() {
    let rate = TRACE_RATE.replace("value_column: count", "value_column: cnt");
    let case = Case::new(&base_with("- constant: { rps: 10 }", &rate)).file("t.csv", TRACE_CSV);
    let out = case.validate("s.yaml");
    out.error_at(
        "s.yaml",
        8,
        68,
        "services[0].traffic.rate[0].trace.value_column",
        &["has no column \"cnt\""],
    );
    assert!(
        out.stderr.contains("hint: the columns are: period, count"),
        "{}",
        out.stderr
    );
}

#[test]
fn trace_value_not_a_number() {
    let csv = "period,count\n2000-01-01 00:00:00,60\n2000-01-01 00:01:00,abc\n";
    let case = Case::new(&base_with("- constant: { rps: 10 }", TRACE_RATE)).file("t.csv", csv);
    case.validate("s.yaml").error_at(
        "s.yaml",
        8,
        26,
        "services[0].traffic.rate[0].trace.file",
        &["t.csv:3: ", "expected a request count", "found \"abc\""],
    );
}

#[test]
fn trace_value_negative() {
    let csv =
        "period,count\n2000-01-01 00:00:00,60\n2000-01-01 00:01:00,5\n2000-01-01 00:02:00,-4\n";
    let case = Case::new(&base_with("- constant: { rps: 10 }", TRACE_RATE)).file("t.csv", csv);
    case.validate("s.yaml").error_at(
        "s.yaml",
        8,
        26,
        "services[0].traffic.rate[0].trace.file",
        &[
            "t.csv:4: ",
            "expected a request count that is not negative, found -4",
        ],
    );
}

#[test]
fn trace_to_before_from() {
    let rate = "- trace: { file: t.csv, per: minute, from: \"2000-01-01 00:02:00\", to: \"2000-01-01 00:01:00\" }";
    let csv = "period,count\n2000-01-01 00:00:00,60\n2000-01-01 00:01:00,60\n2000-01-01 00:02:00,60\n2000-01-01 00:03:00,60\n";
    let case = Case::new(&base_with("- constant: { rps: 10 }", rate)).file("t.csv", csv);
    case.validate("s.yaml").error_at(
        "s.yaml",
        8,
        79,
        "services[0].traffic.rate[0].trace.to",
        &["expected `to` later than `from` (2000-01-01 00:02:00), found 2000-01-01 00:01:00"],
    );
}

#[test]
fn trace_per_unknown_unit() {
    let rate = TRACE_RATE.replace("per: minute", "per: day");
    let case = Case::new(&base_with("- constant: { rps: 10 }", &rate)).file("t.csv", TRACE_CSV);
    case.validate("s.yaml").error_at(
        "s.yaml",
        8,
        80,
        "services[0].traffic.rate[0].trace.per",
        &["unknown variant `day`", "second, minute, hour"],
    );
}

#[test]
fn unclosed_bracket() {
    let text = base_with(
        "      rate:\n        - constant: { rps: 10 }",
        "      rate: [ { constant: { rps: 10 } }",
    );
    // The parser notices at the `:` after `request`, now inside the list.
    validate(&text).error_at(
        "s.yaml",
        8,
        12,
        "services[0].traffic.rate[0]",
        &[
            "invalid YAML",
            "hint: the `[` at line 7, column 13 is not closed; add the missing `]`",
        ],
    );
}

#[test]
fn unclosed_brace_is_a_syntax_error_not_a_bad_number() {
    validate(&base_with("{ rps: 10 }", "{ rps: 10")).error_at(
        "s.yaml",
        9,
        12,
        "services[0].traffic.rate[0].constant",
        &[
            "invalid YAML",
            "did not find expected ',' or '}'",
            "hint: the `{` at line 8, column 21 is not closed; add the missing `}`",
        ],
    );
}

#[test]
fn tab_in_indentation() {
    validate(&base_with("    replicas: 1", "\treplicas: 1")).error_at(
        "s.yaml",
        5,
        1,
        "services[0].name",
        &["invalid YAML", "tab"],
    );
}

#[test]
fn empty_file() {
    validate("# nothing here\n")
        .fails_with(&["s.yaml", "the file is empty"])
        .has_hint();
}

#[test]
fn scenario_file_does_not_exist() {
    let case = Case::new(BASE);
    case.validate("nope.yaml")
        .fails_with(&["error: nope.yaml: cannot read the scenario file"])
        .has_hint();
    case.run("nope.yaml")
        .fails_with(&["error: nope.yaml: cannot read the scenario file"])
        .has_hint();
}

#[test]
fn run_reports_bad_input_like_validate_and_writes_nothing() {
    let case = Case::new(&base_with("rps: 10", "rps: -5"));
    case.run("s.yaml").error_at(
        "s.yaml",
        8,
        28,
        "services[0].traffic.rate[0].constant.rps",
        &["expected a number that is not negative, found -5"],
    );
    assert!(!case.path().join("out").exists(), "no report for bad input");
}

#[test]
fn run_with_an_unknown_key() {
    Case::new(&base_with("services:", "servics:"))
        .run("s.yaml")
        .error_at("s.yaml", 3, 1, "servics", &["unknown field `servics`"]);
}

#[test]
fn run_stops_at_the_event_budget() {
    let case = Case::new(&base_with(
        "duration: 1m\n",
        "duration: 1m\nlimits: { max_events: 100 }\n",
    ));
    assert_eq!(
        case.validate("s.yaml").code,
        Some(0),
        "the file itself is valid"
    );
    case.run("s.yaml")
        .fails_with(&["100 events", "event budget", "limits.max_events"])
        .has_hint();
}
