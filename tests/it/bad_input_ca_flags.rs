//! The cluster-autoscaler's `ignore_daemonsets_utilization` flag (issue 12 b):
//! accepted under `node_autoscaler: { kind: cluster-autoscaler }`, refused with
//! Karpenter (exit 2, file:line, YAML path, what was expected and a hint) and
//! refused when it is not a boolean.

use crate::common::cases::validate;

fn scenario(autoscaler: &str) -> String {
    format!(
        "\
name: t
duration: 1h
cluster:
  daemonset_overhead: {{ cpu: 200m, memory: 320Mi }}
  node_groups: [ {{ name: g, instance_type: m5.large, min: 1, max: 4 }} ]
  node_pools: [ {{ name: p, instance_types: [m5.large] }} ]
  node_autoscaler: {autoscaler}
services:
  - name: api
    replicas: 1
    traffic: {{ rate: [ {{ constant: {{ rps: 1 }} }} ] }}
    request: {{ cpu: {{ constant: 1ms }} }}
    pod: {{ concurrency: 1, requests: {{ cpu: 100m, memory: 128Mi }} }}
"
    )
}

#[test]
fn the_flag_is_a_cluster_autoscaler_setting() {
    let ca = scenario("{ kind: cluster-autoscaler, ignore_daemonsets_utilization: true }").replace(
        "  node_pools: [ { name: p, instance_types: [m5.large] } ]\n",
        "",
    );
    let out = validate(&ca);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
}

#[test]
fn karpenter_refuses_the_flag() {
    let text = scenario("{ kind: karpenter, ignore_daemonsets_utilization: false }").replace(
        "  node_groups: [ { name: g, instance_type: m5.large, min: 1, max: 4 } ]\n",
        "",
    );
    let out = validate(&text);
    out.fails_with(&[
        "cluster.node_autoscaler.ignore_daemonsets_utilization",
        "expected no ignore_daemonsets_utilization with kind: karpenter",
        "cluster-autoscaler flag",
    ]);
    assert!(out.stderr.contains("s.yaml:6:"), "{}", out.stderr);
}

#[test]
fn the_flag_is_a_boolean() {
    let text = scenario("{ kind: cluster-autoscaler, ignore_daemonsets_utilization: sometimes }")
        .replace(
            "  node_pools: [ { name: p, instance_types: [m5.large] } ]\n",
            "",
        );
    let out = validate(&text);
    out.fails_with(&["ignore_daemonsets_utilization"]);
    assert!(out.stderr.contains("s.yaml:6:"), "{}", out.stderr);
}
