//! `platform: vm` instances are billed like nodes (issue 12 e), and are
//! never placed on a cluster's nodes when the scenario also has one
//! (DESIGN §3.7: a VM service's replicas are EC2 instances of their own).
//!
//! The ASG case: seed 003's
//! rule on m5.large instances launches one instance at 300 s and terminates
//! one at 1800 s (the trajectory `asg_scenario` derives by hand), and the
//! profile's `cost_usd` is that fleet priced by hand.
//!
//! Prices and rules: m5.large $0.096/h on demand, us-east-1
//! (docs/reference/nodes-spot-cost.md §5.1); per second with a 60 s minimum
//! (§4 "Billing rules"). An instance is billed from its launch to its
//! termination; with `termination_grace: 0s` the scaled-in instance
//! terminates at the decision (1800 s), whatever it still holds.

use crate::asg_scenario::SEED_003;
use crate::common::cases::{replace_once, validate};
use crate::common::{run, scenario};
use capsim::analysis::summarize;

const S: u64 = 1_000_000_000;

/// Seed 003's scenario of `asg_scenario`, with no connection draining.
fn text() -> String {
    replace_once(
        SEED_003,
        "      startup:",
        "      termination_grace: 0s\n      startup:",
    )
}

#[test]
fn vm_asg_fleet_is_billed_from_the_catalog_price() {
    let s = scenario(&text());
    let runs = run(&s);
    let r = &runs[0];
    let e: Vec<(u64, u32, u32)> = r
        .scaling_events
        .iter()
        .map(|e| (e.at_ns / S, e.from, e.to))
        .collect();
    assert_eq!(e, vec![(300, 2, 3), (1800, 3, 2)], "{:?}", r.scaling_events);
    let log = r.services[0]
        .instances
        .as_ref()
        .expect("a VM service logs its instances");
    assert_eq!(log.instance_type, "m5.large");
    assert_eq!(log.price_usd_per_hour, 0.096);
    let mut stays: Vec<(u64, Option<u64>)> = log
        .stays
        .iter()
        .map(|s| (s.launched_ns, s.stopped_ns))
        .collect();
    stays.sort();
    // The two instances of the start run all 2400 s; the one launched at
    // 300 s, the most recently Ready, is the one scaled in at 1800 s.
    assert_eq!(stays, vec![(0, None), (0, None), (300 * S, Some(1800 * S))]);
    // 2400 + 2400 + 1500 = 6300 s × $0.096/h ÷ 3600 = $0.168.
    let billed: u64 = stays
        .iter()
        .map(|&(a, b)| (b.unwrap_or(2400 * S) - a).div_ceil(S).max(60))
        .sum();
    assert_eq!(billed, 6300);
    let summary = summarize(&s, &runs);
    let cost = summary.profiles[0]
        .cost_usd
        .as_ref()
        .expect("VM instances are billed");
    assert_eq!(cost.total, 0.168);
    assert_eq!(cost.control_plane, 0.0);
    assert!(cost.by_group.is_empty());
    assert_eq!(cost.by_service.get("app"), Some(&0.168));
    assert_eq!(cost.by_capacity.get("on-demand"), Some(&0.168));
    // Λ(2400 s) = 320 × 1200 + 90 × 1200 = 492,000 requests (deterministic
    // arrivals give exactly Λ): $0.168 / 0.492 = $0.341463 per million.
    assert_eq!(cost.per_million_requests, Some(0.3415));
    assert!(summary.profiles[0].cluster.is_none());
}

/// A cluster of one fixed m5.large node (29 pods at most: EKS max-pods,
/// docs/reference/nodes-spot-cost.md) runs `web`; beside it a VM service
/// keeps 40 m5.large instances of its own.
const BESIDE_CLUSTER: &str = "\
name: vm-beside-cluster
duration: 1h
cluster:
  node_groups:
    - { name: general, instance_type: m5.large, initial: 1, min: 1, max: 1 }
  node_autoscaler: { kind: none }
services:
  - name: web
    replicas: 1
    traffic: { rate: [ { constant: { rps: 10 } } ] }
    request: { cpu: { constant: 10ms } }
    pod: { concurrency: 8, requests: { cpu: 1500m, memory: 1Gi } }
  - name: app
    platform: vm
    instance_type: m5.large
    traffic: { rate: [ { constant: { rps: 20 } } ] }
    request: { cpu: { constant: 10ms } }
    pod: { concurrency: 8 }
    asg:
      min: 40
      max: 40
      policies:
        - name: scale-out
          simple:
            alarm: { metric: cpu_utilization, period: 1m, evaluation_periods: 5, above: 70% }
            adjust: +1
";

#[test]
fn vm_instances_beside_a_cluster_are_not_placed_on_its_nodes() {
    let s = scenario(BESIDE_CLUSTER);
    let runs = run(&s);
    let r = &runs[0];
    // Placed on the node, 28 of the 40 would stay Pending (29 pods at most,
    // one of them web's); as instances of their own all 40 serve the run.
    let c = r.cluster.as_ref().expect("a cluster");
    let pending: Vec<u32> = c.series.iter().map(|row| row.pending_pods).collect();
    assert!(pending.iter().all(|&p| p == 0), "{pending:?}");
    let app = &r.services[1];
    let log = app.instances.as_ref().expect("instances");
    assert_eq!(log.stays.len(), 40);
    assert_eq!(app.replicas.min, 40);
    let summary = summarize(&s, &runs);
    let p = &summary.profiles[0];
    let cluster = p.cluster.as_ref().expect("a cluster");
    // Headroom counts web's 1500m of the node's 1930m allocatable CPU
    // (2 vCPU less EKS kube-reserved 70m) and nothing of the instances.
    assert_eq!(cluster.headroom.cpu_min, 0.2228);
    // One node-hour and 40 instance-hours at $0.096, and the EKS control
    // plane's $0.10 per hour: $4.036.
    let cost = p.cost_usd.as_ref().expect("billed");
    assert_eq!(cost.by_group.get("general"), Some(&0.096));
    assert_eq!(cost.by_service.get("app"), Some(&3.84));
    assert_eq!(cost.control_plane, 0.1);
    assert_eq!(cost.total, 4.036);
}

#[test]
fn placement_keys_on_a_vm_service_are_a_warning() {
    let text = BESIDE_CLUSTER.replace(
        "    pod: { concurrency: 8 }\n    asg:",
        "    pod: { concurrency: 8, node_selector: { tier: batch } }\n    asg:",
    );
    let out = validate(&text);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "warning: services[1].pod.node_selector: no effect on a `platform: vm` service"
        ),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("fit no node group"), "{}", out.stderr);
}
