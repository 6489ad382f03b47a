//! kube-scheduler, the cluster-autoscaler and Karpenter place pods with one
//! predicate (issue 12 a), so CA's estimate is what the scheduler can place.
//!
//! * Required anti-affinity: 8 pods of 400m, one per node by the rule; an
//!   m5.large has 1930m allocatable (2000m less the 70m kube-reserved of the
//!   EKS formula, docs/cluster.md), room for 4 by requests. CA must ask for 8
//!   nodes at once (by requests alone it asked for 2, and the 6 pods left kept
//!   "fitting" those nodes in its simulation, so they stayed Pending), and the
//!   run ends with 8 nodes and nothing Pending. The nodes stay: each is at
//!   400/1930 = 0.21 ≤ 0.5, but its pod cannot move to another (anti-affinity).
//! * Hard zone spread (maxSkew 1) over three single-zone groups of one node
//!   each, pods of 1500m (one per m5.large): 6 replicas, 3 placed at the start.
//!   CA's estimate per group allows one more pod in its zone per round
//!   (counts 1/1/1: 1 + 1 − 1 ≤ 1, then 2 + 1 − 1 > 1), so it grows the zones
//!   one node at a time, and the run ends with 2 nodes and 2 pods per zone and
//!   nothing Pending (by requests alone it put all three new nodes in one zone,
//!   where the scheduler's spread check then refused two of the pods).

use crate::common::{run, scenario};

const ANTI: &str = "\
name: anti
duration: 30m
seed: 3
metrics: { interval: 1m }
cluster:
  node_groups:
    - { name: g, instance_type: m5.large, initial: 0, min: 0, max: 20, zones: [a] }
  node_autoscaler: { kind: cluster-autoscaler }
services:
  - name: web
    replicas: 8
    traffic: { rate: [ { constant: { rps: 8 } } ] }
    request: { cpu: { exponential: { mean: 10ms } } }
    pod:
      concurrency: 4
      requests: { cpu: 400m, memory: 256Mi }
      anti_affinity: { type: required }
";

#[test]
fn required_anti_affinity_gets_one_node_per_pod() {
    let runs = run(&scenario(ANTI));
    let r = &runs[0];
    let c = r.cluster.as_ref().expect("a cluster");
    let ups: Vec<(u32, u32)> = r
        .scaling_events
        .iter()
        .filter(|e| e.source == "cluster-autoscaler" && e.reason.starts_with("ScaleUp"))
        .map(|e| (e.from, e.to))
        .collect();
    assert_eq!(
        ups,
        vec![(0, 8)],
        "one scale-up, of 8 nodes: {:?}",
        r.scaling_events
    );
    let last = c.series.last().expect("rows");
    assert_eq!(last.nodes[0], (8, 0), "8 Ready nodes at the end");
    assert_eq!(last.pending_pods, 0);
}

const SPREAD: &str = "\
name: spread
duration: 30m
seed: 4
metrics: { interval: 1m }
cluster:
  node_groups:
    - { name: za, instance_type: m5.large, initial: 1, min: 1, max: 5, zones: [a] }
    - { name: zb, instance_type: m5.large, initial: 1, min: 1, max: 5, zones: [b] }
    - { name: zc, instance_type: m5.large, initial: 1, min: 1, max: 5, zones: [c] }
  node_autoscaler: { kind: cluster-autoscaler }
services:
  - name: web
    replicas: 6
    traffic: { rate: [ { constant: { rps: 8 } } ] }
    request: { cpu: { exponential: { mean: 10ms } } }
    pod:
      concurrency: 4
      requests: { cpu: 1500m, memory: 256Mi }
      zone_spread: { max_skew: 1, when_unsatisfiable: DoNotSchedule }
";

#[test]
fn hard_zone_spread_is_estimated_as_the_scheduler_places() {
    let runs = run(&scenario(SPREAD));
    let c = runs[0].cluster.as_ref().expect("a cluster");
    let last = c.series.last().expect("rows");
    assert_eq!(
        last.nodes,
        vec![(2, 0), (2, 0), (2, 0)],
        "{:?}",
        runs[0].scaling_events
    );
    assert_eq!(last.pending_pods, 0);
    let live = |z: &str| {
        c.nodes
            .iter()
            .filter(|n| n.zone == z && n.stopped_ns.is_none())
            .count()
    };
    assert_eq!((live("a"), live("b"), live("c")), (2, 2, 2));
}
