//! Rolling deployments against hand-computed rollouts.
//!
//! Set-up shared by the cases: 4 replicas, 40 rps of deterministic arrivals,
//! 20 ms of CPU each (a pod holds 4 slots: no queueing). A new pod pulls its
//! image for 20 s, starts its container in 2 s and its app in 8 s: Running
//! at 22 s, app up at 30 s; the readiness probe counts from 22 + 10 = 32 s
//! and ticks every 5 s from creation, so the pod is Ready at **35 s** — one
//! "wave". The rollout starts at 120 s. Metrics every second catch every
//! state between events (they all fall on whole seconds).

use crate::common::{run, scenario};
use capsim::metrics::{RunResult, ScalingEvent};

const S: u64 = 1_000_000_000;

fn yaml(strategy: &str, extra: &str) -> String {
    format!(
        "\
name: rollout
duration: 10m
metrics: {{ interval: 1s }}
{extra}
events:
  - {{ at: 2m, rolling_deployment: {{ service: web{strategy} }} }}
services:
  - name: web
    replicas: 4
    traffic:
      arrivals: deterministic
      rate: [ {{ constant: {{ rps: 40 }} }} ]
    request:
      cpu: {{ constant: 20ms }}
    pod:
      concurrency: 4
      requests: {{ cpu: 500m, memory: 128Mi }}
      startup:
        image_pull: {{ constant: 20s }}
        container_start: {{ constant: 2s }}
        app_start: {{ constant: 8s }}
        readiness: {{ initialDelaySeconds: 10, periodSeconds: 5 }}
      termination_grace: 30s
"
    )
}

fn one_run(strategy: &str, extra: &str) -> RunResult {
    let mut runs = run(&scenario(&yaml(strategy, extra)));
    assert_eq!(runs.len(), 1);
    runs.remove(0)
}

/// The deployment controller's events: (time s, from, to, reason's first word).
fn steps(r: &RunResult) -> Vec<(u64, u32, u32, String)> {
    r.scaling_events
        .iter()
        .filter(|e: &&ScalingEvent| e.source == "deployment")
        .map(|e| {
            let word = e.reason.split(':').next().unwrap().to_string();
            let set = if e.reason.contains("new replica set") {
                "new"
            } else if e.reason.contains("old replica set") {
                "old"
            } else {
                ""
            };
            (e.at_ns / S, e.from, e.to, format!("{word}{set}"))
        })
        .collect()
}

/// The rollout's length in seconds, from its completion event.
fn took_s(r: &RunResult) -> f64 {
    let done = r
        .scaling_events
        .iter()
        .find(|e| e.reason.starts_with("RolloutComplete"))
        .expect("the rollout completes");
    done.metrics
        .strip_prefix("duration_s=")
        .unwrap()
        .parse()
        .unwrap()
}

/// Fewest Ready pods and most pods (Ready or starting, not terminating) over the run.
fn extremes(r: &RunResult) -> (u32, u32) {
    let s = &r.services[0];
    let ready = s.series.iter().map(|x| x.pods).min().unwrap();
    let total = s
        .series
        .iter()
        .map(|x| x.pods + x.pending_replicas)
        .max()
        .unwrap();
    (ready, total)
}

/// No request is lost: old pods drain 20 ms requests well within 30 s.
fn nothing_lost(r: &RunResult) {
    let o = &r.services[0].outcomes;
    assert!(o.is_balanced(), "{o:?}");
    assert_eq!((o.rejected, o.timed_out, o.failed), (0, 0, 0), "{o:?}");
    assert_eq!(o.offered, 40 * 600);
}

/// maxSurge 1, maxUnavailable 0: one new pod at a time, an old one goes
/// when it is Ready. Four waves of 35 s: done at 120 + 140 = 260 s.
#[test]
fn surge_one_unavailable_zero_takes_four_waves() {
    let r = one_run(", max_surge: 1, max_unavailable: 0", "");
    let mut want = vec![(120, 4, 4, "RolloutStarted".to_string())];
    for k in 0..4u32 {
        let t = 120 + 35 * u64::from(k);
        if k > 0 {
            want.push((t, 5 - k, 4 - k, "ScalingReplicaSetold".into()));
        }
        want.push((t, k, k + 1, "ScalingReplicaSetnew".into()));
    }
    want.push((260, 1, 0, "ScalingReplicaSetold".into()));
    want.push((260, 4, 4, "RolloutComplete".into()));
    assert_eq!(steps(&r), want);
    assert_eq!(took_s(&r), 140.0);
    // Ready never below 4 − 0; pods never above 4 + 1; both bounds reached.
    assert_eq!(extremes(&r), (4, 5));
    let last = r.services[0].series.last().unwrap();
    assert_eq!((last.pods, last.pending_replicas), (4, 0));
    nothing_lost(&r);
}

/// maxSurge 1, maxUnavailable 1: two new pods start at once (one in the
/// surge, one in place of an old pod), so two waves: done at 190 s.
#[test]
fn an_unavailable_pod_halves_the_rollout() {
    let r = one_run(", max_surge: 1, max_unavailable: 1", "");
    assert_eq!(took_s(&r), 70.0);
    assert_eq!(extremes(&r), (3, 5));
    let news: Vec<u64> = steps(&r)
        .iter()
        .filter(|s| s.3 == "ScalingReplicaSetnew")
        .map(|s| s.0)
        .collect();
    assert_eq!(news, [120, 120, 155, 155]);
    nothing_lost(&r);
}

/// Kubernetes' defaults, 25 % / 25 % of 4 replicas: surge ceil(1) = 1,
/// unavailable floor(1) = 1 — the case above.
#[test]
fn the_defaults_are_a_quarter_each_way() {
    let r = one_run("", "");
    assert_eq!(took_s(&r), 70.0);
    assert_eq!(extremes(&r), (3, 5));
}

/// maxSurge 0 and maxUnavailable 10 % of 4 = floor(0.4) = 0: both resolve
/// to 0, and the controller makes maxUnavailable 1 (`ResolveFenceposts`).
/// An old pod goes first, then its replacement starts: four waves, never
/// more than 4 pods, never fewer than 3 Ready.
#[test]
fn fenceposts_that_round_to_zero_allow_one_unavailable() {
    let r = one_run(", max_surge: 0, max_unavailable: 10%", "");
    assert_eq!(took_s(&r), 140.0);
    assert_eq!(extremes(&r), (3, 4));
    let first: Vec<_> = steps(&r).into_iter().take(3).collect();
    assert_eq!(
        first,
        [
            (120, 4, 4, "RolloutStarted".to_string()),
            (120, 4, 3, "ScalingReplicaSetold".to_string()),
            (120, 0, 1, "ScalingReplicaSetnew".to_string()),
        ]
    );
    nothing_lost(&r);
}

/// With a cluster of one node: the first new pod pulls the new image (the
/// old one is cached there, which does not help): Ready after 35 s. The
/// next three find the new image on the node: Running at 2 s, app up at
/// 10 s, probes count from 12 s → Ready at 15 s. 35 + 3 × 15 = 80 s.
#[test]
fn the_new_image_is_pulled_once_per_node() {
    let cluster = "\
cluster:
  node_groups:
    - { name: one, instance_type: m5.xlarge, min: 1, max: 1 }";
    let r = one_run(", max_surge: 1, max_unavailable: 0", cluster);
    assert_eq!(took_s(&r), 80.0);
    let news: Vec<u64> = steps(&r)
        .iter()
        .filter(|s| s.3 == "ScalingReplicaSetnew")
        .map(|s| s.0)
        .collect();
    assert_eq!(news, [120, 155, 170, 185]);
    assert_eq!(extremes(&r), (4, 5));
    nothing_lost(&r);
}

/// The HPA doubles the load's pods mid-rollout: the ReplicaSets grow in
/// proportion, the rollout still finishes, and the HPA's count holds.
#[test]
fn an_hpa_scaling_mid_rollout_is_honoured() {
    let text = yaml(", max_surge: 1, max_unavailable: 0", "").replace(
        "      rate: [ { constant: { rps: 40 } } ]\n",
        "      rate: [ { constant: { rps: 40 } }, { spike: { at: 130s, peak: 80, hold: 20m } } ]\n",
    ) + "    hpa:
      minReplicas: 4
      maxReplicas: 12
      metrics:
        - type: Resource
          resource: { name: cpu, target: { type: Utilization, averageUtilization: 50 } }
";
    let r = &run(&scenario(&text))[0];
    let hpa: Vec<&ScalingEvent> = r
        .scaling_events
        .iter()
        .filter(|e| e.source == "hpa")
        .collect();
    let done = r
        .scaling_events
        .iter()
        .find(|e| e.reason.starts_with("RolloutComplete"))
        .expect("the rollout completes");
    let first = hpa.first().expect("the HPA scales up");
    assert!(first.at_ns < done.at_ns, "{:?}", r.scaling_events);
    // The HPA's change is applied to both ReplicaSets at once.
    assert!(
        r.scaling_events.iter().any(|e| e.at_ns == first.at_ns
            && e.source == "deployment"
            && e.reason.contains("proportional")),
        "{:?}",
        r.scaling_events
    );
    // At the end every pod is Ready and the count is the HPA's.
    let last_hpa = hpa.last().unwrap().to;
    let end = r.services[0].series.last().unwrap();
    assert_eq!(
        (end.desired_replicas, end.pods, end.pending_replicas),
        (last_hpa, last_hpa, 0)
    );
    let in_effect = hpa.iter().rev().find(|e| e.at_ns <= done.at_ns).unwrap().to;
    assert_eq!(done.to, in_effect);
    assert!(last_hpa > 4);
    assert!(r.services[0].outcomes.is_balanced());
}

/// A second rollout during the first supersedes it and still completes.
#[test]
fn a_rollout_during_a_rollout_supersedes_it() {
    let text = yaml(", max_surge: 1, max_unavailable: 0", "").replace(
        "events:\n",
        "events:\n  - { at: 170s, rolling_deployment: { service: web, max_surge: 2, max_unavailable: 0 } }\n",
    );
    let r = &run(&scenario(&text))[0];
    let complete: Vec<&ScalingEvent> = r
        .scaling_events
        .iter()
        .filter(|e| e.reason.starts_with("RolloutComplete"))
        .collect();
    assert_eq!(complete.len(), 1, "{:?}", r.scaling_events);
    assert!(complete[0].reason.contains("revision 2"));
    let (ready, total) = extremes(r);
    assert!(ready >= 4 && total <= 6, "{ready} {total}");
    nothing_lost(r);
}
