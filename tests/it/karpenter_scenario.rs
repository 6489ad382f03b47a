//! Karpenter in a simulation: the batching window, the cheapest offering
//! that holds the batch, spot preference, the insufficient-capacity
//! fallback, and consolidation replacing a node by a cheaper one. Every
//! expected time and type is worked out by hand from the reference
//! (`docs/reference/nodes-spot-cost.md` §3, §5) in the comments.

use crate::common::{run, scenario};
use capsim::metrics::RunResult;

const S: u64 = 1_000_000_000;

/// A pool of five types in one zone and three pods of 1 CPU / 1 GiB. The
/// node Karpenter provisioned for them before the run (node-0) fails at
/// 0 s, so the three pods are Pending at 0 s. Boot 60 s; image pull 5 s,
/// container start 1 s, readiness probed every 1 s.
const POOL: &str = "\
name: karpenter-step
duration: 300s
metrics: { interval: 1s }
cluster:
  node_pools:
    - name: default
      instance_types: [m5.large, m5.xlarge, m5.2xlarge, t3.large, c5.xlarge]
      zones: [a]
      boot: { constant: 60s }
  node_autoscaler: { kind: karpenter }
events:
  - { at: 0s, node_failure: { group: default, count: 1 } }
services:
  - name: api
    replicas: 3
    traffic:
      arrivals: deterministic
      rate: [ { constant: { rps: 10 } } ]
    request:
      cpu: { constant: 10ms }
    pod:
      concurrency: 100
      requests: { cpu: 1000m, memory: 1Gi }
      startup:
        image_pull: { constant: 5s }
        container_start: { constant: 1s }
        readiness: { periodSeconds: 1 }
";

fn karpenter_events(r: &RunResult) -> Vec<(u64, String)> {
    r.scaling_events
        .iter()
        .filter(|e| e.source == "karpenter")
        .map(|e| (e.at_ns / S, e.reason.clone()))
        .collect()
}

/// Each event's time and kind (the reason up to its colon).
fn kinds(ev: &[(u64, String)]) -> Vec<(u64, &str)> {
    ev.iter()
        .map(|(t, why)| (*t, why.split_once(':').map_or(why.as_str(), |x| x.0)))
        .collect()
}

fn ready_pods_at(r: &RunResult, t: u64) -> u32 {
    r.services[0]
        .series
        .iter()
        .find(|x| x.end_ns == t * S)
        .unwrap()
        .pods
}

/// The three pods are Pending at 0 s: the batch opens at 0 and closes after
/// 1 s idle, at **1 s**. One NodeClaim takes all three (3000m, 3 GiB): the
/// types that hold it are c5.xlarge (3920m / 6.2 GiB allocatable, $0.170),
/// m5.xlarge ($0.192) and m5.2xlarge ($0.384); the 2-vCPU types (1930m) do
/// not. Cheapest: **c5.xlarge on-demand** (the pool allows on-demand only).
/// Ready at 61 s, the pods bound then; pull + start = 6 s → Ready at **67 s**.
/// The failed node-0 (the same type, chosen the same way before the run)
/// is billed its 60 s minimum.
#[test]
fn the_batch_launches_the_cheapest_type_that_holds_it() {
    let runs = run(&scenario(POOL));
    let r = &runs[0];
    let ev = karpenter_events(r);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0].0, 1);
    assert!(
        ev[0]
            .1
            .starts_with("Launch: node-1 c5.xlarge on-demand in a ($0.1700/h) for 3 pods"),
        "{}",
        ev[0].1
    );
    let c = r.cluster.as_ref().unwrap();
    assert_eq!(c.nodes.len(), 2);
    assert_eq!(c.nodes[0].instance_type, "c5.xlarge");
    assert_eq!(
        (c.nodes[0].launched_ns, c.nodes[0].stopped_ns),
        (0, Some(0))
    );
    assert_eq!(c.nodes[1].instance_type, "c5.xlarge");
    assert_eq!(c.nodes[1].launched_ns, S);
    assert!((c.nodes[1].price_usd_per_hour - 0.17).abs() < 1e-12);
    let nodes_at = |t: u64| c.series.iter().find(|x| x.end_ns == t * S).unwrap().nodes[0];
    assert_eq!(nodes_at(2), (0, 1));
    assert_eq!(nodes_at(60), (0, 1));
    assert_eq!(nodes_at(61), (1, 0));
    assert_eq!(ready_pods_at(r, 66), 0);
    assert_eq!(ready_pods_at(r, 67), 3);
    // The bill: 60 s (minimum) + 299 s of c5.xlarge on-demand, and the control plane.
    let bill = c.bill();
    let expected = (60.0 + 299.0) / 3600.0 * 0.17 + 300.0 / 3600.0 * 0.10;
    let total = bill.total_usd(300 * S);
    assert!((total - expected).abs() < 1e-9, "{total}");
}

/// Spot preferred, but spot has no capacity until 100 s. At 1 s Karpenter
/// picks spot (preferred over on-demand whenever allowed, §3.1): the
/// cheapest spot offering that holds the batch, c5.xlarge (65 % off:
/// $0.0595). It fails; the offering is unavailable for 3 min and the batch
/// retried after 1 s idle: m5.xlarge spot fails at 2 s, m5.2xlarge spot at
/// 3 s; with no spot offering left, **c5.xlarge on-demand at 4 s** succeeds.
///
/// Consolidation (WhenEmptyOrUnderutilized, consolidateAfter 0 s): an
/// on-demand node may be replaced by a cheaper spot node, but every spot
/// offering stays unavailable until 181–183 s. The first poll after that,
/// at **190 s**, finds the replacement (c5.xlarge spot); 15 s of validation
/// later, at **205 s**, it launches; Ready at 265 s, when the old node is
/// drained: its pods are replaced on the new node and Ready at **271 s**.
#[test]
fn spot_is_preferred_and_an_insufficient_capacity_falls_back_then_consolidates() {
    let text = POOL
        .replace(
            "      zones: [a]\n",
            "      zones: [a]\n      capacity_types: [spot, on-demand]\n      shortages: [ { from: 0s, to: 100s, capacity: spot } ]\n",
        )
        .replace("duration: 300s", "duration: 400s");
    let runs = run(&scenario(&text));
    let r = &runs[0];
    let ev = karpenter_events(r);
    let brief = kinds(&ev);
    assert_eq!(
        brief,
        vec![
            (1, "InsufficientInstanceCapacity"),
            (2, "InsufficientInstanceCapacity"),
            (3, "InsufficientInstanceCapacity"),
            (4, "Launch"),
            (205, "Launch"),
            (205, "Replace"),
        ],
        "{ev:?}"
    );
    assert!(ev[0].1.contains("c5.xlarge spot in a"), "{}", ev[0].1);
    assert!(ev[1].1.contains("m5.xlarge spot in a"), "{}", ev[1].1);
    assert!(ev[2].1.contains("m5.2xlarge spot in a"), "{}", ev[2].1);
    assert!(ev[3].1.contains("c5.xlarge on-demand in a"), "{}", ev[3].1);
    assert!(
        ev[4].1.contains("node-2 c5.xlarge spot in a ($0.0595/h)"),
        "{}",
        ev[4].1
    );
    let c = r.cluster.as_ref().unwrap();
    assert_eq!(c.nodes.len(), 3);
    assert_eq!(c.nodes[2].instance_type, "c5.xlarge");
    assert_eq!(c.nodes[2].launched_ns, 205 * S);
    let stopped = c.nodes[1].stopped_ns.expect("the on-demand node is gone");
    assert!((265 * S..270 * S).contains(&stopped), "{stopped}");
    assert_eq!(ready_pods_at(r, 264), 3);
    assert_eq!(ready_pods_at(r, 270), 0);
    assert_eq!(ready_pods_at(r, 271), 3);
}

/// Without consolidation (`consolidate_after: Never`) the on-demand node stays.
#[test]
fn consolidate_after_never_keeps_the_node() {
    let text = POOL
        .replace(
            "      zones: [a]\n",
            "      zones: [a]\n      capacity_types: [spot, on-demand]\n      consolidate_after: Never\n      shortages: [ { from: 0s, to: 100s, capacity: spot } ]\n",
        )
        .replace("duration: 300s", "duration: 400s");
    let runs = run(&scenario(&text));
    let c = runs[0].cluster.as_ref().unwrap();
    assert_eq!(c.nodes.len(), 2);
    assert_eq!(c.nodes[1].stopped_ns, None);
}

/// Zones a and b, and no node failure; the node provisioned before the run
/// is in a (the first allowed zone with an offering). Zone a is lost at 100 s for 10 min: the node and its pods go
/// at once, the replacement pods are Pending and the batch closes at 101 s.
/// c5.xlarge in a fails (the zone is out: InsufficientInstanceCapacity), and
/// the retry at **102 s** launches c5.xlarge in **b**: Ready at 162 s, pods
/// Ready at 168 s.
#[test]
fn a_lost_zone_makes_karpenter_launch_in_another() {
    let text = POOL
        .replace("      zones: [a]\n", "      zones: [a, b]\n")
        .replace(
            "{ at: 0s, node_failure: { group: default, count: 1 } }",
            "{ at: 100s, zone_outage: { zone: a, for: 10m } }",
        );
    let runs = run(&scenario(&text));
    let r = &runs[0];
    let ev = karpenter_events(r);
    let brief = kinds(&ev);
    assert_eq!(
        brief,
        vec![(101, "InsufficientInstanceCapacity"), (102, "Launch")],
        "{ev:?}"
    );
    assert!(ev[0].1.contains("c5.xlarge on-demand in a"), "{}", ev[0].1);
    assert!(
        ev[1].1.contains("node-1 c5.xlarge on-demand in b"),
        "{}",
        ev[1].1
    );
    let c = r.cluster.as_ref().unwrap();
    assert_eq!(c.nodes[0].stopped_ns, Some(100 * S));
    assert_eq!(
        (c.nodes[1].zone.as_str(), c.nodes[1].launched_ns),
        ("b", 102 * S)
    );
    assert_eq!(ready_pods_at(r, 167), 0);
    assert_eq!(ready_pods_at(r, 168), 3);
}

/// Emptiness. A release at 100 s with maxSurge 100 % / maxUnavailable 0
/// creates three new pods; node-0 (3000m of 3920m used) holds none of them,
/// so the batch closing at 101 s launches node-1 (c5.xlarge). It is Ready at
/// 161 s, the new pods at 167 s (a new image: pull 5 s + start 1 s); the old
/// pods are deleted then and, with 10 ms requests, gone within 167.01 s —
/// node-0 is empty. With `consolidate_after: 30s` it is a candidate from
/// 197.01 s; the poll at **200 s** finds it (Emptiness, within the 10 %
/// budget: ⌈0.2⌉ = 1 node), and after the 15 s validation node-0 is deleted
/// at **215 s**.
#[test]
fn an_emptied_node_is_consolidated_after_consolidate_after() {
    let text = POOL
        .replace(
            "      zones: [a]\n",
            "      zones: [a]\n      consolidate_after: 30s\n",
        )
        .replace(
            "{ at: 0s, node_failure: { group: default, count: 1 } }",
            "{ at: 100s, rolling_deployment: { service: api, max_surge: 100%, max_unavailable: 0 } }",
        );
    let runs = run(&scenario(&text));
    let r = &runs[0];
    let ev = karpenter_events(r);
    assert_eq!(ev.len(), 2, "{ev:?}");
    assert_eq!(ev[0].0, 101);
    assert!(
        ev[0].1.starts_with("Launch: node-1 c5.xlarge on-demand"),
        "{}",
        ev[0].1
    );
    assert_eq!(ev[1].0, 215);
    assert!(
        ev[1]
            .1
            .starts_with("Disrupt: Empty (Emptiness): node-0; saves $0.1700/h"),
        "{}",
        ev[1].1
    );
    let c = r.cluster.as_ref().unwrap();
    assert_eq!(c.nodes[0].stopped_ns, Some(215 * S));
    assert_eq!(c.nodes[1].stopped_ns, None);
    assert_eq!(ready_pods_at(r, 166), 3);
    assert_eq!(ready_pods_at(r, 167), 3);
}

/// Required anti-affinity by hostname: Karpenter plans one node per pod.
/// Alone, a 1 CPU / 1 GiB pod fits the 2-vCPU types (1930m); the cheapest
/// in the pool is t3.large ($0.0832). The node-0 failure at 0 s leaves the
/// other two alone; the batch at 1 s launches one t3.large for the evicted
/// pod, and all three pods are Ready at 67 s, one per node.
#[test]
fn required_anti_affinity_gets_a_node_per_pod() {
    let text = POOL.replace(
        "      requests: { cpu: 1000m, memory: 1Gi }\n",
        "      requests: { cpu: 1000m, memory: 1Gi }\n      anti_affinity: { type: required }\n",
    );
    let runs = run(&scenario(&text));
    let r = &runs[0];
    let c = r.cluster.as_ref().unwrap();
    let types: Vec<&str> = c.nodes.iter().map(|n| n.instance_type.as_str()).collect();
    assert_eq!(types, vec!["t3.large"; 4], "{:?}", r.scaling_events);
    assert_eq!(c.nodes[3].launched_ns, S);
    assert_eq!(ready_pods_at(r, 66), 2);
    assert_eq!(ready_pods_at(r, 67), 3);
    assert_eq!(c.series.last().unwrap().pending_pods, 0);
}
