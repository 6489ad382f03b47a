//! The cluster in a simulation: pods wait for nodes, the cluster-autoscaler
//! adds them, and the delays add up exactly as configured.

use crate::common::{run, scenario};

const S: u64 = 1_000_000_000;

/// Ready pods of the first service at the end of the interval ending at `t` seconds.
fn ready_pods_at(r: &capsim::metrics::RunResult, t: u64) -> u32 {
    r.services[0]
        .series
        .iter()
        .find(|x| x.end_ns == t * S)
        .unwrap()
        .pods
}

/// One m5.large node (1930m allocatable CPU, reference §5.2) and a service of
/// two pods requesting 1 CPU each: the first fits, the second is Pending at
/// t = 0. The cluster-autoscaler scans every 10 s; at 0 s the pending pod is
/// younger than CA's 2 s buffer, so the scale-up comes at **10 s** (1 → 2
/// nodes). The node boots in exactly 60 s: Ready at **70 s**, and the
/// scheduler binds the pod at once. On the new node the image is not cached:
/// pull 5 s, container start 1 s → Running at 76 s; the readiness probe
/// (every 1 s from the bind) passes then: the pod is **Ready at 76 s**.
const STEP: &str = "\
name: ca-step
duration: 300s
metrics: { interval: 1s }
cluster:
  node_groups:
    - name: general
      instance_type: m5.large
      min: 1
      max: 5
      boot: { constant: 60s }
  node_autoscaler: { kind: cluster-autoscaler }
services:
  - name: api
    replicas: 2
    traffic:
      arrivals: deterministic
      rate: [ { constant: { rps: 10 } } ]
    request:
      cpu: { constant: 10ms }
    pod:
      concurrency: 100
      requests: { cpu: 1000m, memory: 512Mi }
      startup:
        image_pull: { constant: 5s }
        container_start: { constant: 1s }
        readiness: { periodSeconds: 1 }
";

#[test]
fn pending_pod_to_node_ready_to_pod_ready_takes_the_configured_delays() {
    let runs = run(&scenario(STEP));
    let r = &runs[0];
    let ca: Vec<(u64, &str, u32, u32)> = r
        .scaling_events
        .iter()
        .filter(|e| e.source == "cluster-autoscaler")
        .map(|e| (e.at_ns / S, e.target.as_str(), e.from, e.to))
        .collect();
    assert_eq!(ca, vec![(10, "general", 1, 2)], "{:?}", r.scaling_events);
    let unschedulable = r
        .scaling_events
        .iter()
        .find(|e| e.source == "scheduler")
        .expect("the second pod found no node at first");
    assert_eq!(unschedulable.at_ns, 0);
    assert!(
        unschedulable.reason.contains("Insufficient"),
        "{}",
        unschedulable.reason
    );
    let c = r.cluster.as_ref().unwrap();
    let nodes_at = |t: u64| c.series.iter().find(|x| x.end_ns == t * S).unwrap().nodes[0];
    let pending_at = |t: u64| {
        c.series
            .iter()
            .find(|x| x.end_ns == t * S)
            .unwrap()
            .pending_pods
    };
    assert_eq!(nodes_at(10), (1, 1));
    assert_eq!(nodes_at(69), (1, 1));
    assert_eq!(nodes_at(70), (2, 0));
    assert_eq!(pending_at(69), 1);
    assert_eq!(pending_at(70), 0);
    let ready_at = |t: u64| ready_pods_at(r, t);
    assert_eq!(ready_at(75), 1);
    assert_eq!(ready_at(76), 2);
    // Billing records: the first node from 0, the new one from its launch at 10 s.
    assert_eq!(c.nodes.len(), 2);
    assert_eq!(
        (c.nodes[0].launched_ns, c.nodes[1].launched_ns),
        (0, 10 * S)
    );
    assert!(c.nodes.iter().all(|n| n.stopped_ns.is_none()));
}

/// The same step with launches failing until 100 s (a capacity shortage):
/// the scale-up at 10 s fails and backs the group off for 5 minutes (CA's
/// initial backoff, reference §1.1), so the next scale-up is at **310 s**;
/// the node is Ready at 370 s and the pod at 376 s.
#[test]
fn a_capacity_shortage_fails_the_scale_up_and_backs_the_group_off() {
    let text = STEP
        .replace(
            "      boot: { constant: 60s }\n",
            "      boot: { constant: 60s }\n      shortages: [ { from: 0s, to: 100s } ]\n",
        )
        .replace("duration: 300s", "duration: 600s");
    let runs = run(&scenario(&text));
    let r = &runs[0];
    let ca: Vec<(u64, u32, u32, bool)> = r
        .scaling_events
        .iter()
        .filter(|e| e.source == "cluster-autoscaler")
        .map(|e| {
            (
                e.at_ns / S,
                e.from,
                e.to,
                e.reason.starts_with("FailedScaleUp"),
            )
        })
        .collect();
    assert_eq!(
        ca,
        vec![(10, 1, 1, true), (310, 1, 2, false)],
        "{:?}",
        r.scaling_events
    );
    let ready_at = |t: u64| ready_pods_at(r, t);
    assert_eq!(ready_at(375), 1);
    assert_eq!(ready_at(376), 2);
}

/// Scaling headroom: the group (max 5) peaked at 2 nodes → 3 to spare.
#[test]
fn scaling_headroom_to_the_group_max() {
    let s = scenario(STEP);
    let runs = run(&s);
    let summary = capsim::analysis::summarize(&s, &runs);
    let c = summary.profiles[0].cluster.as_ref().unwrap();
    assert_eq!(c.nodes.headroom_to_max["general"], 3);
    assert_eq!(c.nodes.max, 2);
    // No autoscaler on the service: no replica headroom.
    assert_eq!(
        summary.profiles[0].services[0].headroom_to_max_replicas,
        None
    );
}
