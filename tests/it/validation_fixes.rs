//! Scenario settings that were refused, ignored, clamped or silently without
//! effect (issue 12, items f, k, l, m, n, o): each is now accepted and
//! honoured, refused with a located error (exit code 2), or warned about in
//! `validate` and `run`.

use crate::common::cases::{Case, replace_once, validate};
use crate::common::{run, scenario};

const S: u64 = 1_000_000_000;

/// One m5.large node (1930m allocatable CPU: docs/reference/nodes-spot-cost.md §5.2)
/// and two pods requesting 1 CPU each: one fits, the other waits for a node.
const CLUSTER: &str = "\
name: t
duration: 10m
cluster:
  node_groups:
    - name: general
      instance_type: m5.large
      min: 1
      max: 5
      boot: { constant: 60s }
  node_autoscaler: { kind: none }
services:
  - name: api
    replicas: 2
    traffic:
      rate: [ { constant: { rps: 10 } } ]
    request:
      cpu: { constant: 10ms }
    pod:
      concurrency: 100
      requests: { cpu: 1000m, memory: 512Mi }
";

// ------------------------------------------------------------ f. kind: none

/// DESIGN lists `none` (fixed node groups): no node autoscaler, so the group
/// stays at its initial size (min 1) although a pod is Pending all along.
#[test]
fn node_autoscaler_kind_none_keeps_the_node_groups_at_their_size() {
    let out = validate(CLUSTER);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let runs = run(&scenario(CLUSTER));
    let r = &runs[0];
    assert!(
        r.scaling_events
            .iter()
            .all(|e| e.source != "cluster-autoscaler"),
        "{:?}",
        r.scaling_events
    );
    let c = r.cluster.as_ref().expect("a cluster");
    assert_eq!(c.series.len(), 10);
    for row in &c.series {
        assert_eq!(row.nodes[0], (1, 0), "at {} s", row.end_ns / S);
        assert_eq!(row.pending_pods, 1, "at {} s", row.end_ns / S);
    }
}

#[test]
fn node_autoscaler_kind_none_takes_no_settings() {
    validate(&replace_once(
        CLUSTER,
        "{ kind: none }",
        "{ kind: none, expander: least-waste }",
    ))
    .error_at(
        "s.yaml",
        10,
        20,
        "cluster.node_autoscaler.expander",
        &["expected no expander with kind: none"],
    );
}

#[test]
fn unknown_node_autoscaler_kind_lists_none() {
    validate(&replace_once(CLUSTER, "kind: none", "kind: fixed")).error_at(
        "s.yaml",
        10,
        28,
        "cluster.node_autoscaler.kind",
        &["expected cluster-autoscaler, karpenter or none, found \"fixed\""],
    );
}

// ---------------------------------------------------------- k. asg.desired

/// A VM service under an Auto Scaling group of min 2, max 8, desired 4.
const VM: &str = "\
name: t
duration: 10m
services:
  - name: app
    platform: vm
    instance_type: m5.large
    traffic:
      rate: [ { constant: { rps: 40 } } ]
    request:
      cpu: { constant: 10ms }
    pod:
      concurrency: 100
    asg:
      min: 2
      max: 8
      desired: 4
      policies:
        - name: scale-out
          simple:
            alarm: { metric: cpu_utilization, period: 1m, evaluation_periods: 5, above: 90% }
            adjust: +1
";

/// AWS CreateAutoScalingGroup: the group starts at DesiredCapacity when it
/// is given (within [MinSize, MaxSize]). 40 rps × 10 ms is 0.4 core over
/// 4 × 2 vCPUs (5 %), so the scale-out alarm never fires: 4 instances throughout.
#[test]
fn asg_starts_at_desired_capacity() {
    let runs = run(&scenario(VM));
    let series = &runs[0].services[0].series;
    assert_eq!(series[0].end_ns, 60 * S);
    for row in series {
        assert_eq!(
            (row.pods, row.desired_replicas),
            (4, 4),
            "at {} s",
            row.end_ns / S
        );
    }
    assert!(
        runs[0].scaling_events.is_empty(),
        "{:?}",
        runs[0].scaling_events
    );
    let out = validate(VM);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stdout.contains("1 service(s), 4 pod(s)"),
        "{}",
        out.stdout
    );
    // Without `desired`, the group starts at min.
    let runs = run(&scenario(&replace_once(VM, "      desired: 4\n", "")));
    assert_eq!(runs[0].services[0].series[0].pods, 2);
}

#[test]
fn asg_desired_zero_is_refused() {
    validate(&replace_once(
        &replace_once(VM, "min: 2", "min: 0"),
        "desired: 4",
        "desired: 0",
    ))
    .error_at(
        "s.yaml",
        16,
        16,
        "services[0].asg.desired",
        &["expected a desired capacity of at least 1, found 0"],
    );
}

// -------------------------------------------------------- l. hpa and asg

/// The `asg:` block of a Kubernetes service with an HPA was dropped unread,
/// even an invalid one (max 0 here).
#[test]
fn asg_next_to_an_hpa_on_a_kubernetes_service_is_refused() {
    let text = "\
name: t
duration: 2m
services:
  - name: api
    traffic:
      rate: [ { constant: { rps: 10 } } ]
    request:
      cpu: { exponential: { mean: 10ms } }
    pod:
      concurrency: 4
      requests: { cpu: 500m }
    hpa: { minReplicas: 1, maxReplicas: 4 }
    asg: { min: 1, max: 0, policies: [] }
";
    validate(text).error_at(
        "s.yaml",
        13,
        10,
        "services[0].asg",
        &["expected no `asg` on a Kubernetes service"],
    );
}

// ------------------------------------------------------ m. no more clamping

/// A cluster with a user-defined instance type and a pod with anti-affinity.
const CUSTOM: &str = concat!(
    "\
name: t
duration: 1h
cluster:
  instance_types:
    - { name: x1.custom, vcpus: 8, memory: 32Gi, price_usd_per_hour: 0.5, max_pods: 58 }
  node_groups:
    - { name: g, instance_type: x1.custom, min: 1, max: 3 }
events:
  - { at: 10m, node_failure: { group: g, count: 1 } }
services:
",
    crate::common::cases::api_service!(),
    "      requests: { cpu: 500m, memory: 1Gi }
      anti_affinity: { type: preferred, weight: 50 }
"
);

#[test]
fn custom_instance_sizes_out_of_range_are_refused() {
    assert_eq!(validate(CUSTOM).code, Some(0));
    for (from, to, col, path, message) in [
        (
            "vcpus: 8",
            "vcpus: 0",
            33,
            "vcpus",
            "expected 1 to 4096 vCPUs, found 0",
        ),
        (
            "vcpus: 8",
            "vcpus: 5000",
            33,
            "vcpus",
            "expected 1 to 4096 vCPUs, found 5000",
        ),
        (
            "max_pods: 58",
            "max_pods: 0",
            85,
            "max_pods",
            "expected 1 to 10000 pods, found 0",
        ),
        (
            "max_pods: 58",
            "max_pods: 20000",
            85,
            "max_pods",
            "expected 1 to 10000 pods, found 20000",
        ),
    ] {
        validate(&replace_once(CUSTOM, from, to)).error_at(
            "s.yaml",
            5,
            col,
            &format!("cluster.instance_types[0].{path}"),
            &[message],
        );
    }
}

/// Kubernetes validation (`validateWeightedPodAffinityTerms`): a preferred
/// term's weight "must be in the range 1-100"; required terms have no weight.
#[test]
fn anti_affinity_weights_follow_kubernetes() {
    for weight in ["0", "101"] {
        validate(&replace_once(
            CUSTOM,
            "weight: 50",
            &format!("weight: {weight}"),
        ))
        .error_at(
            "s.yaml",
            20,
            49,
            "services[0].pod.anti_affinity.weight",
            &[&format!(
                "expected a weight in the range 1-100, found {weight}"
            )],
        );
    }
    validate(&replace_once(CUSTOM, "type: preferred", "type: required")).error_at(
        "s.yaml",
        20,
        48,
        "services[0].pod.anti_affinity.weight",
        &["expected no weight with type: required"],
    );
}

#[test]
fn node_failure_of_no_nodes_is_refused() {
    validate(&replace_once(CUSTOM, "count: 1", "count: 0")).error_at(
        "s.yaml",
        9,
        49,
        "events[0].node_failure.count",
        &["expected 1 to 100000 nodes, found 0"],
    );
}

// ------------------------------------------------- n. adjustment signs

/// `"+-1"` read as −1 made a scale-out policy remove instances; `"++1"` was +1.
#[test]
fn adjustments_with_two_signs_are_refused() {
    for bad in ["\"++1\"", "\"+-1\"", "--1", "\"+-10%\""] {
        validate(&replace_once(VM, "adjust: +1", &format!("adjust: {bad}"))).error_at(
            "s.yaml",
            21,
            21,
            "services[0].asg.policies[0].simple.adjust",
            &["expected an adjustment such as +1, -1, +10% or =4"],
        );
    }
}

// ------------------------------------------- o. settings without effect

/// `validate` and `run` (without --quiet) print each warning; the exit code stays 0.
fn warns(text: &str, words: &[&str]) {
    let case = Case::new(text);
    let checked = case.validate("s.yaml");
    let ran = case.capsim(&["run", "--out", "out", "s.yaml"]);
    for out in [&checked, &ran] {
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        for w in words {
            assert!(
                out.stderr
                    .lines()
                    .any(|l| l.starts_with("warning: ") && l.contains(w)),
                "a warning mentioning {w:?} expected:\n{}",
                out.stderr
            );
        }
    }
}

#[test]
fn placement_without_a_cluster_warns() {
    let base = crate::common::SMALL_SCENARIO;
    let text = replace_once(
        base,
        "      concurrency: 4\n",
        "      concurrency: 4\n      node_selector: { zone: a }\n      zone_spread: { max_skew: 1 }\n",
    );
    warns(
        &text,
        &[
            "services[0].pod.node_selector: no effect without a `cluster:`",
            "services[0].pod.zone_spread: no effect without a `cluster:`",
        ],
    );
    let plain = validate(base);
    assert!(!plain.stderr.contains("warning"), "{}", plain.stderr);
}

#[test]
fn priorities_without_the_priority_expander_warn() {
    let text = replace_once(
        CLUSTER,
        "{ kind: none }",
        "{ kind: cluster-autoscaler, expander: least-waste, priorities: { general: 10 } }",
    );
    warns(
        &text,
        &["cluster.node_autoscaler.priorities: no effect without the priority expander"],
    );
}

#[test]
fn queue_limit_with_unlimited_concurrency_warns() {
    let text = replace_once(
        crate::common::SMALL_SCENARIO,
        "      concurrency: 4\n",
        "      concurrency: unlimited\n      queue_limit: 10\n      limits: { cpu: \"2\" }\n",
    );
    warns(
        &text,
        &["services[0].pod.queue_limit: no effect with unlimited concurrency"],
    );
}
