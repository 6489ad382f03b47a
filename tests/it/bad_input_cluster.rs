//! Bad cluster input: each error exits 2 with file:line:col, path, caret and
//! hint; a pod no node group can take is a warning at validate time.

use crate::common::cases::api_service;
use crate::common::cases::validate;

/// A valid scenario with a cluster; tests replace one piece of it.
const BASE: &str = concat!(
    "\
name: t
duration: 2h
cluster:
  node_groups:
    - name: general
      instance_type: m5.xlarge
      min: 1
      max: 3
    - name: spot
      instance_type: c5.2xlarge
      capacity: spot
      spot: { interruption: \"5-10%\", discount: 65% }
      min: 0
      max: 4
      taints: [ { key: workload, value: compute, effect: NoSchedule } ]
  node_autoscaler: { kind: cluster-autoscaler, expander: least-waste }
events:
  - { at: 30m, zone_outage: { zone: b, for: 20m } }
services:
",
    api_service!(),
    "      requests: { cpu: 500m, memory: 1Gi }
"
);

crate::common::cases::base_scenario!();

#[test]
fn unknown_instance_type_with_a_suggestion() {
    validate(&base_with(
        "instance_type: m5.xlarge",
        "instance_type: m5.xlarg",
    ))
    .error_at(
        "s.yaml",
        6,
        22,
        "cluster.node_groups[0].instance_type",
        &[
            "known instance type",
            "did you mean m5.xlarge",
            "capsim catalog",
        ],
    );
}

#[test]
fn negative_price() {
    validate(&base_with("discount: 65% }", "price_usd_per_hour: -0.2 }")).error_at(
        "s.yaml",
        12,
        58,
        "cluster.node_groups[1].spot.price_usd_per_hour",
        &["not negative", "-0.2"],
    );
}

#[test]
fn overlapping_zone_outages() {
    validate(&base_with(
        "  - { at: 30m, zone_outage: { zone: b, for: 20m } }\n",
        "  - { at: 30m, zone_outage: { zone: b, for: 20m } }\n  - { at: 45m, zone_outage: { zone: b, for: 10m } }\n",
    ))
    .error_at(
        "s.yaml",
        19,
        11,
        "events[1].zone_outage",
        &["not to overlap"],
    );
}

#[test]
fn outage_of_a_zone_no_group_uses() {
    validate(&base_with("zone: b,", "zone: q,")).error_at(
        "s.yaml",
        18,
        37,
        "events[0].zone_outage.zone",
        &["zone some node group uses", "\"q\""],
    );
}

#[test]
fn spot_interruption_band_that_is_not_one() {
    validate(&base_with("\"5-10%\"", "\"often\"")).error_at(
        "s.yaml",
        12,
        29,
        "cluster.node_groups[1].spot.interruption",
        &["often"],
    );
}

#[test]
fn unknown_expander() {
    validate(&base_with("expander: least-waste", "expander: cheapest")).error_at(
        "s.yaml",
        16,
        58,
        "cluster.node_autoscaler.expander",
        &["least-waste", "cheapest"],
    );
}

#[test]
fn repeated_expander_or_one_after_random() {
    // Parsed once, by validation: the model used to find these with an expect().
    validate(&base_with(
        "expander: least-waste",
        "expander: \"most-pods,most-pods\"",
    ))
    .error_at(
        "s.yaml",
        16,
        58,
        "cluster.node_autoscaler.expander",
        &["most-pods,most-pods", "listed twice"],
    );
    validate(&base_with(
        "expander: least-waste",
        "expander: \"random,price\"",
    ))
    .error_at(
        "s.yaml",
        16,
        58,
        "cluster.node_autoscaler.expander",
        &["random last", "follows `random`"],
    );
}

#[test]
fn min_above_max() {
    validate(&base_with("min: 1\n", "min: 5\n")).error_at(
        "s.yaml",
        7,
        12,
        "cluster.node_groups[0].min",
        &["min ≤ max"],
    );
}

#[test]
fn a_pod_that_fits_no_node_group_is_a_warning() {
    let out = validate(&base_with(
        "requests: { cpu: 500m",
        "requests: { cpu: \"6\"",
    ));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("warning: services[0] (api): its pods fit no node group"),
        "{}",
        out.stderr
    );
}

#[test]
fn user_defined_instance_types() {
    let text = base_with(
        "cluster:\n",
        "cluster:\n  instance_types:\n    - { name: big.custom, vcpus: 16, memory: 64Gi, price_usd_per_hour: 0.9 }\n",
    )
    .replace("instance_type: m5.xlarge", "instance_type: big.custom");
    let out = validate(&text);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    // A built-in name cannot be redefined.
    validate(&base_with(
        "cluster:\n",
        "cluster:\n  instance_types:\n    - { name: m5.large, vcpus: 2, memory: 8Gi, price_usd_per_hour: 0.1 }\n",
    ))
    .fails_with(&["cluster.instance_types[0].name", "capsim catalog"]);
}

#[test]
fn settings_for_another_capacity_type_are_not_ignored() {
    validate(&base_with(
        "      instance_type: m5.xlarge\n",
        "      instance_type: m5.xlarge\n      discount: 30%\n",
    ))
    .error_at(
        "s.yaml",
        7,
        17,
        "cluster.node_groups[0].discount",
        &["only for reserved capacity"],
    );
    validate(&base_with(
        "      instance_type: m5.xlarge\n",
        "      instance_type: m5.xlarge\n      spot: { interruption: \"5-10%\" }\n",
    ))
    .error_at(
        "s.yaml",
        7,
        13,
        "cluster.node_groups[0].spot",
        &["only for capacity: spot"],
    );
}
