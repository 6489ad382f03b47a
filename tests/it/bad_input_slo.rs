//! Bad `slo:` input, at the top and on a service: each error exits 2 with
//! file:line:col, the field's path, a caret under the column and a hint.

use crate::common::cases::validate;

/// A valid scenario with a top-level SLO and a service override; tests replace one piece of it.
const BASE: &str = "\
name: t
duration: 2m
slo: { latency: { p99: 300ms }, availability: 99.9% }
services:
  - name: api
    replicas: 2
    slo:
      latency: { p95: 1s }
    traffic:
      rate: [ { constant: { rps: 10 } } ]
    request:
      cpu: { exponential: { mean: 10ms } }
    pod:
      concurrency: 4
";

crate::common::cases::base_scenario!();

#[test]
fn misspelled_key_in_the_slo() {
    validate(&base_with("{ latency: { p99", "{ latncy: { p99")).error_at(
        "s.yaml",
        3,
        8,
        "slo.latncy",
        &["unknown field `latncy`", "latency, availability"],
    );
}

#[test]
fn unknown_key_in_a_service_slo() {
    validate(&base_with(
        "latency: { p95: 1s }\n",
        "latency: { p95: 1s }\n      budget: 5\n",
    ))
    .error_at(
        "s.yaml",
        9,
        7,
        "services[0].slo.budget",
        &["unknown field `budget`"],
    );
}

#[test]
fn quantile_key_that_is_not_a_quantile() {
    for key in ["q99", "p100", "p0", "p99.", "p99.9.9", "P99", "\"p 99\""] {
        validate(&base_with("p99: 300ms", &format!("{key}: 300ms"))).error_at(
            "s.yaml",
            3,
            if key.starts_with('"') { 20 } else { 19 },
            &format!("slo.latency.{}", key.trim_matches('"')),
            &["expected a quantile key such as p99", key, "p99.9"],
        );
    }
}

#[test]
fn two_latency_objectives() {
    validate(&base_with("p99: 300ms", "p99: 300ms, p50: 50ms")).error_at(
        "s.yaml",
        3,
        31,
        "slo.latency.p50",
        &["one latency objective", "2 quantile keys"],
    );
}

#[test]
fn empty_latency_and_empty_slo() {
    validate(&base_with("latency: { p95: 1s }", "latency: {}")).error_at(
        "s.yaml",
        8,
        16,
        "services[0].slo.latency",
        &["quantile and its latency target", "empty"],
    );
    validate(&base_with(
        "slo: { latency: { p99: 300ms }, availability: 99.9% }",
        "slo: {}",
    ))
    .error_at(
        "s.yaml",
        3,
        6,
        "slo",
        &["`latency` or `availability`", "found neither"],
    );
}

#[test]
fn latency_target_without_unit_zero_or_negative() {
    validate(&base_with("p99: 300ms", "p99: 300")).error_at(
        "s.yaml",
        3,
        24,
        "slo.latency.p99",
        &["with a unit", "300", "500ms"],
    );
    validate(&base_with("p99: 300ms", "p99: 0ms")).error_at(
        "s.yaml",
        3,
        24,
        "slo.latency.p99",
        &["longer than 0"],
    );
    validate(&base_with("p95: 1s", "p95: -1s")).error_at(
        "s.yaml",
        8,
        23,
        "services[0].slo.latency.p95",
        &["not negative", "-1s"],
    );
}

#[test]
fn availability_out_of_range_or_not_a_percentage() {
    let cases = [
        ("100%", &["below 100 %", "no error budget"][..]),
        ("0%", &["above 0 %"][..]),
        ("120%", &["between 0% and 100%", "120%"][..]),
        ("high", &["a percentage", "high"][..]),
    ];
    for (value, words) in cases {
        validate(&base_with(
            "availability: 99.9%",
            &format!("availability: {value}"),
        ))
        .error_at("s.yaml", 3, 47, "slo.availability", words);
    }
}

#[test]
fn availability_written_as_a_fraction_is_caught() {
    // 0.999 would be read as 0.999 %: refused, with the fix in the hint.
    validate(&base_with("availability: 99.9%", "availability: 0.999")).error_at(
        "s.yaml",
        3,
        47,
        "slo.availability",
        &["at least 1 %", "0.999 %", "write 99.9%"],
    );
}

#[test]
fn block_style_and_dotted_quantile_keys_keep_their_paths() {
    // A bad unit under any quantile key (p95 is nowhere else in the format) and a p99.9 key.
    validate(&base_with(
        "slo: { latency: { p99: 300ms }, availability: 99.9% }",
        "slo:\n  latency:\n    p95: 2x",
    ))
    .error_at(
        "s.yaml",
        5,
        10,
        "slo.latency.p95",
        &["unknown unit \"x\"", "2x"],
    );
    validate(&base_with("latency: { p95: 1s }", "latency: { p99.9: 0s }")).error_at(
        "s.yaml",
        8,
        25,
        "services[0].slo.latency.p99.9",
        &["longer than 0"],
    );
}
