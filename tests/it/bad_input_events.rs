//! Bad rolling deployments and traffic incidents: each error exits 2 with
//! file:line:col, the field's path, a caret under the value, and a hint.

use crate::common::cases::api_service;
use crate::common::cases::{Case, validate};

/// A valid scenario with both kinds of event; tests replace one piece of it.
const BASE: &str = concat!(
    "\
name: t
duration: 2h
events:
  - { at: 30m, rolling_deployment: { service: api, max_surge: 1, max_unavailable: 0 } }
  - { at: 40m, traffic_incident: { service: api, for: 20m, multiply: 3, ramp: 2m } }
services:
",
    api_service!(),
    "  - name: legacy-app
    platform: vm
    instance_type: m5.large
    replicas: 2
    traffic:
      rate: [ { constant: { rps: 10 } } ]
    request:
      cpu: { exponential: { mean: 10ms } }
    pod:
      concurrency: 4
"
);

crate::common::cases::base_scenario!();

const ROLLOUT: &str = "events[0].rolling_deployment";
const INCIDENT: &str = "events[1].traffic_incident";

#[test]
fn unknown_service_with_a_suggestion() {
    validate(&base_with("service: api, max", "service: apii, max")).error_at(
        "s.yaml",
        4,
        47,
        &format!("{ROLLOUT}.service"),
        &[
            "name of a service",
            "\"apii\"",
            "did you mean api?",
            "legacy-app",
        ],
    );
}

#[test]
fn unknown_service_without_a_close_name() {
    let out = validate(&base_with("service: api, for", "service: payments, for"));
    out.error_at(
        "s.yaml",
        5,
        45,
        &format!("{INCIDENT}.service"),
        &["\"payments\"", "the services are api, legacy-app"],
    );
    assert!(!out.stderr.contains("did you mean"), "{}", out.stderr);
}

#[test]
fn a_rollout_of_a_vm_service_is_refused() {
    validate(&base_with("service: api, max", "service: legacy-app, max")).error_at(
        "s.yaml",
        4,
        47,
        &format!("{ROLLOUT}.service"),
        &["Kubernetes service", "platform: vm", "instance refresh"],
    );
}

#[test]
fn surge_and_unavailable_both_zero() {
    for (from, col) in [("0", 83), ("0%", 84)] {
        validate(&base_with(
            "max_surge: 1, max_unavailable: 0",
            &format!("max_surge: {from}, max_unavailable: {from}"),
        ))
        .error_at(
            "s.yaml",
            4,
            col,
            &format!("{ROLLOUT}.max_unavailable"),
            &["above 0 when max_surge is 0", "Kubernetes refuses it"],
        );
    }
}

#[test]
fn unavailable_above_all_pods() {
    validate(&base_with(
        "max_unavailable: 0 }",
        "max_unavailable: 110% }",
    ))
    .error_at(
        "s.yaml",
        4,
        83,
        &format!("{ROLLOUT}.max_unavailable"),
        &["at most 100%", "110%"],
    );
}

#[test]
fn negative_or_fractional_surge() {
    validate(&base_with("max_surge: 1,", "max_surge: -1,")).error_at(
        "s.yaml",
        4,
        63,
        &format!("{ROLLOUT}.max_surge"),
        &["not negative", "-1"],
    );
    validate(&base_with("max_surge: 1,", "max_surge: 12.5%,")).error_at(
        "s.yaml",
        4,
        63,
        &format!("{ROLLOUT}.max_surge"),
        &["whole percentage", "12.5%"],
    );
}

#[test]
fn unknown_keys_are_refused() {
    validate(&base_with("max_surge: 1,", "max_sruge: 1,")).error_at(
        "s.yaml",
        4,
        52,
        &format!("{ROLLOUT}.max_sruge"),
        &["unknown field `max_sruge`", "max_surge"],
    );
    validate(&base_with("multiply: 3,", "multiplier: 3,")).error_at(
        "s.yaml",
        5,
        60,
        &format!("{INCIDENT}.multiplier"),
        &["unknown field `multiplier`", "multiply, add_rps"],
    );
}

#[test]
fn an_incident_of_no_length() {
    validate(&base_with("for: 20m,", "for: 0s,")).error_at(
        "s.yaml",
        5,
        55,
        &format!("{INCIDENT}.for"),
        &["longer than 0", "found 0"],
    );
}

#[test]
fn multiply_and_add_rps_both_or_neither() {
    validate(&base_with("multiply: 3,", "multiply: 3, add_rps: 100,")).error_at(
        "s.yaml",
        5,
        82,
        &format!("{INCIDENT}.add_rps"),
        &["one of multiply and add_rps", "both"],
    );
    validate(&base_with("multiply: 3,", "")).error_at(
        "s.yaml",
        5,
        34,
        INCIDENT,
        &["one of multiply and add_rps", "neither"],
    );
}

#[test]
fn factors_and_rates_must_be_positive_numbers() {
    for bad in ["-2", "0"] {
        validate(&base_with("multiply: 3,", &format!("multiply: {bad},"))).error_at(
            "s.yaml",
            5,
            70,
            &format!("{INCIDENT}.multiply"),
            &["factor above 0", &format!("found {bad}")],
        );
    }
    validate(&base_with("multiply: 3,", "add_rps: 0,")).error_at(
        "s.yaml",
        5,
        69,
        &format!("{INCIDENT}.add_rps"),
        &["rate above 0", "multiply with a factor below 1"],
    );
    validate(&base_with("multiply: 3,", "multiply: abc,")).error_at(
        "s.yaml",
        5,
        70,
        &format!("{INCIDENT}.multiply"),
        &["expected a number", "\"abc\""],
    );
}

#[test]
fn a_ramp_longer_than_half_the_incident() {
    validate(&base_with("ramp: 2m", "ramp: 15m")).error_at(
        "s.yaml",
        5,
        79,
        &format!("{INCIDENT}.ramp"),
        &["at most half the incident (10m)", "15m"],
    );
}

#[test]
fn overlapping_incidents_on_one_service() {
    let second =
        "  - { at: 40m, traffic_incident: { service: api, for: 20m, multiply: 3, ramp: 2m } }\n";
    validate(&base_with(
        second,
        &format!("{second}  - {{ at: 55m, traffic_incident: {{ service: api, for: 20m, add_rps: 30 }} }}\n"),
    ))
    .error_at(
        "s.yaml",
        6,
        34,
        "events[2].traffic_incident",
        &["not to overlap", "at 40m"],
    );
    // On different services they may.
    let out = validate(&base_with(
        second,
        &format!(
            "{second}  - {{ at: 55m, traffic_incident: {{ service: legacy-app, for: 20m, add_rps: 30 }} }}\n"
        ),
    ));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
}

#[test]
fn two_kinds_in_one_event() {
    validate(&base_with(
        "rolling_deployment: { service: api, max_surge: 1, max_unavailable: 0 } }",
        "rolling_deployment: { service: api }, traffic_incident: { service: api, for: 1m, add_rps: 3 } }",
    ))
    .error_at(
        "s.yaml",
        4,
        11,
        "events[0]",
        &["exactly one of", "rolling_deployment, traffic_incident"],
    );
}

#[test]
fn run_refuses_bad_events_with_exit_code_2() {
    let case = Case::new(&base_with("for: 20m,", "for: 0s,"));
    case.run("s.yaml")
        .fails_with(&["s.yaml:5:55", "longer than 0"]);
    assert!(!case.path().join("out").exists());
}
