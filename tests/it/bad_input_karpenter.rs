//! Bad Karpenter input (`cluster.node_pools`, `node_autoscaler.kind:
//! karpenter`): each error exits 2 with file:line:col, path, caret and hint.

use crate::common::cases::api_service;
use crate::common::cases::validate;

/// A valid scenario with a Karpenter NodePool; tests replace one piece of it.
const BASE: &str = concat!(
    "\
name: t
duration: 2h
cluster:
  node_pools:
    - name: default
      instance_types: [m5.large, m5.xlarge, c5.xlarge]
      capacity_types: [spot, on-demand]
      spot: { interruption: \"5-10%\", discount: 65% }
      zones: [a, b]
      consolidate_after: 30s
      budgets: [ { nodes: \"10%\" }, { nodes: 0, reasons: [Underutilized] } ]
      shortages: [ { from: 10m, to: 20m, capacity: spot, instance_type: c5.xlarge, zone: a } ]
  node_autoscaler: { kind: karpenter }
services:
",
    api_service!(),
    "      requests: { cpu: 500m, memory: 1Gi }
"
);

crate::common::cases::base_scenario!();

#[test]
fn unknown_instance_type_in_a_pool_with_a_suggestion() {
    validate(&base_with("m5.xlarge, c5", "m5.xlarg, c5")).error_at(
        "s.yaml",
        6,
        34,
        "cluster.node_pools[0].instance_types[1]",
        &[
            "known instance type",
            "\"m5.xlarg\"",
            "did you mean m5.xlarge?",
        ],
    );
}

#[test]
fn node_pools_need_karpenter() {
    validate(&base_with("kind: karpenter", "kind: cluster-autoscaler")).error_at(
        "s.yaml",
        5,
        5,
        "cluster.node_pools",
        &["only with node_autoscaler: { kind: karpenter }"],
    );
}

#[test]
fn karpenter_needs_node_pools() {
    let text = base_with(
        "  node_pools:\n    - name: default\n      instance_types: [m5.large, m5.xlarge, c5.xlarge]\n",
        "  node_groups:\n    - name: fixed\n      instance_type: m5.large\n      min: 1\n      max: 1\n  node_pools_gone:\n    - name: default\n      instance_types: [m5.large, m5.xlarge, c5.xlarge]\n",
    );
    // An unknown key is refused before anything else.
    validate(&text).fails_with(&["node_pools_gone"]);
    let text = "name: t\nduration: 1h\ncluster:\n  node_groups: [ { name: g, instance_type: m5.large, min: 1, max: 2 } ]\n  node_autoscaler: { kind: karpenter }\nservices:\n  - name: api\n    traffic: { rate: [ { constant: { rps: 1 } } ] }\n    request: { cpu: { constant: 1ms } }\n    pod: { concurrency: 1 }\n";
    validate(text).error_at(
        "s.yaml",
        5,
        28,
        "cluster.node_autoscaler.kind",
        &["expected cluster.node_pools for Karpenter"],
    );
}

#[test]
fn a_cluster_autoscaler_flag_is_not_ignored_under_karpenter() {
    validate(&base_with(
        "kind: karpenter }",
        "kind: karpenter, expander: price }",
    ))
    .error_at(
        "s.yaml",
        13,
        20,
        "cluster.node_autoscaler.expander",
        &["no expander with kind: karpenter"],
    );
}

#[test]
fn budget_over_100_percent() {
    validate(&base_with("nodes: \"10%\"", "nodes: \"110%\"")).error_at(
        "s.yaml",
        11,
        27,
        "cluster.node_pools[0].budgets[0].nodes",
        &["percentage", "\"110%\""],
    );
}

#[test]
fn unknown_budget_reason() {
    validate(&base_with("[Underutilized]", "[Underused]")).error_at(
        "s.yaml",
        11,
        58,
        "cluster.node_pools[0].budgets[1].reasons[0]",
        &["Empty, Underutilized or Drifted", "\"Underused\""],
    );
}

#[test]
fn shortage_of_a_type_the_pool_never_launches() {
    validate(&base_with(
        "instance_type: c5.xlarge, zone",
        "instance_type: r5.xlarge, zone",
    ))
    .error_at(
        "s.yaml",
        12,
        73,
        "cluster.node_pools[0].shortages[0].instance_type",
        &["one of the pool's instance types", "\"r5.xlarge\""],
    );
}

#[test]
fn consolidate_after_must_be_a_duration_or_never() {
    let out = validate(&base_with(
        "consolidate_after: 30s",
        "consolidate_after: soon",
    ));
    out.error_at(
        "s.yaml",
        10,
        26,
        "cluster.node_pools[0].consolidate_after",
        &["duration", "\"soon\"", "Never"],
    );
    assert_eq!(out.stderr.matches("hint:").count(), 1, "{}", out.stderr);
    let ok = validate(&base_with(
        "consolidate_after: 30s",
        "consolidate_after: Never",
    ));
    assert_eq!(ok.code, Some(0), "{}", ok.stderr);
}

#[test]
fn spot_settings_on_a_pool_without_spot() {
    validate(&base_with(
        "capacity_types: [spot, on-demand]",
        "capacity_types: [on-demand]",
    ))
    .error_at(
        "s.yaml",
        8,
        13,
        "cluster.node_pools[0].spot",
        &["only for a pool that may buy spot"],
    );
}

#[test]
fn user_defined_types_are_for_node_groups() {
    let text = base_with(
        "cluster:\n",
        "cluster:\n  instance_types:\n    - { name: big.metal, vcpus: 96, memory: 384Gi, price_usd_per_hour: 4.6 }\n",
    )
    .replace("[m5.large, m5.xlarge, c5.xlarge]", "[m5.large, big.metal]");
    validate(&text).error_at(
        "s.yaml",
        8,
        34,
        "cluster.node_pools[0].instance_types[1]",
        &["built-in instance type", "\"big.metal\""],
    );
}

#[test]
fn unknown_key_in_a_pool() {
    validate(&base_with(
        "      zones: [a, b]\n",
        "      zones: [a, b]\n      colour: blue\n",
    ))
    .fails_with(&["colour"]);
}
