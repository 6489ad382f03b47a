//! The HPA inside a simulation: a load step gives the replica trajectory the
//! rules of `docs/reference/hpa.md` predict, worked out by hand below.
//!
//! Set-up shared by the cases: deterministic arrivals, 10 ms of CPU per
//! request on a dedicated core, pods requesting 1 CPU, round-robin. Load is
//! 100 rps until t = 300 s, 300 rps until 900 s, then 100 rps again. Two
//! pods at 100 rps use 0.5 core each: 50 % of the request, the target. A
//! new pod is Running 5 s after creation, its app is up 12 s later, and the
//! readiness probe (period 1 s) passes then: Ready 17 s after creation.
//! metrics-server samples every 15 s over 15 s windows; the HPA syncs every
//! 15 s, at the same instants, after the sample.

use crate::common::{run, scenario};
use capsim::metrics::ScalingEvent;

const S: u64 = 1_000_000_000;

fn yaml(hpa: &str, pipeline: &str) -> String {
    // The cases below read each sample at its own instant (no sample age).
    let pipeline = if pipeline.is_empty() {
        "metrics_pipeline: { resource: { delay: 0s } }"
    } else {
        pipeline
    };
    format!(
        "\
name: step
duration: 1500s
seed: 7
metrics:
  interval: 15s
{pipeline}
services:
  - name: web
    replicas: 2
    traffic:
      arrivals: deterministic
      rate:
        - constant: {{ rps: 100 }}
        - spike: {{ at: 300s, peak: 200, hold: 600s }}
    request:
      cpu: {{ constant: 10ms }}
    pod:
      concurrency: 1000
      requests: {{ cpu: 1000m }}
      startup:
        container_start: {{ constant: 5s }}
        app_start: {{ constant: 12s }}
        readiness: {{ initialDelaySeconds: 0, periodSeconds: 1 }}
    hpa:
      minReplicas: 2
      maxReplicas: 10
      metrics:
        - type: Resource
          resource: {{ name: cpu, target: {{ type: Utilization, averageUtilization: 50 }} }}
{hpa}"
    )
}

fn events(hpa: &str, pipeline: &str) -> Vec<(u64, u32, u32, String)> {
    let s = scenario(&yaml(hpa, pipeline));
    let runs = run(&s);
    assert_eq!(runs.len(), 1);
    let r = &runs[0];
    for svc in &r.services {
        assert!(svc.outcomes.is_balanced(), "{:?}", svc.outcomes);
    }
    r.scaling_events
        .iter()
        .filter(|e| e.source == "hpa")
        .map(|e: &ScalingEvent| (e.at_ns / S, e.from, e.to, e.reason.clone()))
        .collect()
}

/// Without `behavior` (the legacy path).
///
/// * t = 0: first sight; no sample yet (a rate needs two snapshots) → no change.
/// * t = 315: the [300, 315] s sample shows 150 % on both pods → ratio 3 →
///   6, capped at max(2 × 2, 4) = 4: **2 → 4, ScaleUpLimit**.
/// * t = 330: the two old pods still carry everything (150 %); the two new
///   ones are Running with no sample yet (missing) → counted at 0 on a
///   scale-up: 3000m / 4000m = 75 % → ratio 1.5 → ceil(1.5 × 4) = 6, under
///   the cap of 8: **4 → 6, DesiredWithinRange**.
/// * t = 345: old pods 85 % (2 s at 150 rps, 13 s at 75 rps); the first new
///   pair's samples predate Ready (332 s) + one window → unready; the second
///   pair has none → missing. Both at 0: 1700m / 6000m = 28 % → the
///   direction flips → stays 6. Likewise at 360 s (53 % on the ready four,
///   35 % with the unready pair at 0). From 375 s all six are at 50 %.
/// * t = 915: 100 rps on six pods = 16 % → ratio 0.32 → 2, but the legacy
///   stabilization keeps the maximum of the last 300 s of proposals, and
///   the last 6 was proposed at 900 s; a proposal exactly 300 s old still
///   counts, so 1200 s still gives 6: **6 → 2 at 1215 s, DesiredWithinRange**.
#[test]
fn legacy_path_trajectory() {
    let e = events("", "");
    assert_eq!(
        e,
        vec![
            (315, 2, 4, "ScaleUpLimit".to_string()),
            (330, 4, 6, "DesiredWithinRange".to_string()),
            (1215, 6, 2, "DesiredWithinRange".to_string()),
        ]
    );
}

/// A 10 s metrics delay: at 315 s the newest visible sample is still the one
/// taken at 300 s (50 %), so everything happens one sync (15 s) later.
#[test]
fn metrics_delay_shifts_the_reaction() {
    let e = events("", "metrics_pipeline: { resource: { delay: 10s } }");
    let times: Vec<u64> = e.iter().map(|x| x.0).collect();
    assert_eq!(times, vec![330, 345, 1230]);
    assert_eq!((e[0].1, e[0].2), (2, 4));
    assert_eq!((e[1].1, e[1].2), (4, 6));
    assert_eq!((e[2].1, e[2].2), (6, 2));
}

/// With `behavior`: scale up by at most one pod per 60 s, scale-down window 60 s.
///
/// * 315 s: proposal 6; period start 2 → limit 3: **2 → 3**.
/// * 330–360 s: the +1 at 315 s is inside the 60 s period → still 3.
/// * 375 s: the event is exactly 60 s old, outside the strict window → limit
///   4; three pods at 100 % → ratio 2 → 6: **3 → 4**; likewise **4 → 5 at
///   435 s** (75 % → 6) and **5 → 6 at 495 s** (60 % → ceil(1.2 × 5) = 6,
///   where the limit of 6 no longer binds: DesiredWithinRange).
/// * From 915 s the proposal is 2; the 60 s down window still holds the 6
///   proposed at 900 s until it is no longer newer than now − 60 s: at
///   960 s the window holds only 2s → **6 → 2** (the default scale-down
///   policy, 100 % per 15 s, allows it).
#[test]
fn behavior_policies_and_windows() {
    let behavior = "      behavior:
        scaleUp:
          policies: [{ type: Pods, value: 1, periodSeconds: 60 }]
        scaleDown:
          stabilizationWindowSeconds: 60
";
    let e = events(behavior, "");
    let moves: Vec<(u64, u32, u32)> = e.iter().map(|x| (x.0, x.1, x.2)).collect();
    assert_eq!(
        moves,
        vec![
            (315, 2, 3),
            (375, 3, 4),
            (435, 4, 5),
            (495, 5, 6),
            (960, 6, 2)
        ]
    );
    // At 495 s the limit (5 + 1) no longer binds: the proposal is within range.
    assert!(e[..3].iter().all(|x| x.3 == "ScaleUpLimit"), "{e:?}");
    assert_eq!(e[3].3, "DesiredWithinRange");
}

/// The replica series follows the decisions: desired, Ready and pending replicas per interval.
#[test]
fn replica_series_and_summary() {
    let s = scenario(&yaml("", ""));
    let runs = run(&s);
    let series = &runs[0].services[0].series;
    let at = |end_s: u64| {
        series
            .iter()
            .find(|r| r.end_ns == end_s * S)
            .map(|r| (r.desired_replicas, r.pods, r.pending_replicas))
            .unwrap()
    };
    // Rows are taken at interval ends, after the events of that instant
    // (the ticks were scheduled before the control loop's, so they come first).
    assert_eq!(at(300), (2, 2, 0));
    assert_eq!(at(330), (4, 2, 2)); // the scale to 6 at 330 s comes after the row
    assert_eq!(at(345), (6, 4, 2));
    assert_eq!(at(360), (6, 6, 0));
    assert_eq!(at(1230), (2, 2, 0));
    let r = &runs[0].services[0].replicas;
    assert_eq!((r.min, r.max), (2, 6));
}

/// Termination: a pod deleted by a scale-down drains for `termination_grace`,
/// then what it still holds fails.
///
/// Four pods, 1 rps (the k-th request at k + ½ s goes to pod k mod 4, round
/// robin), each request 1 ms of CPU then 100 s of I/O. CPU use is ~0 %, so
/// every proposal is 0; the legacy window keeps the first-sight seed (4 at
/// t = 0) up to 300 s, so at 315 s the HPA scales to minReplicas: **4 → 2,
/// TooFewReplicas**, deleting the newest pods, 2 and 3. With a 30 s grace
/// they are killed at 345 s holding the requests that arrived after
/// 244.999 s: k = 245…314 with k mod 4 ∈ {2, 3}, that is 18 + 17 = 35.
#[test]
fn deleted_pods_drain_then_fail_what_is_left() {
    let text = "\
name: drain
duration: 400s
services:
  - name: slow
    replicas: 4
    traffic:
      arrivals: deterministic
      rate:
        - constant: { rps: 1 }
    request:
      cpu: { constant: 1ms }
      io: { constant: 100s }
    pod:
      concurrency: 1000
      requests: { cpu: 100m }
      termination_grace: 30s
    hpa:
      minReplicas: 2
      maxReplicas: 4
      metrics:
        - type: Resource
          resource: { name: cpu, target: { type: Utilization, averageUtilization: 50 } }
";
    let runs = run(&scenario(text));
    let r = &runs[0];
    let e: Vec<(u64, u32, u32, &str)> = r
        .scaling_events
        .iter()
        .map(|e| (e.at_ns / S, e.from, e.to, e.reason.as_str()))
        .collect();
    assert_eq!(e, vec![(315, 4, 2, "TooFewReplicas")]);
    let o = &r.services[0].outcomes;
    assert_eq!(o.failed, 35, "{o:?}");
    assert_eq!(o.timed_out, 0);
    assert!(o.is_balanced());
    assert_eq!(r.services[0].replicas.min, 2);
}

/// A metrics outage from 310 s for 60 s: the syncs at 315–360 s get no
/// metrics, so the HPA holds (every metric failed, hpa.md §1.3); at 375 s it
/// sees the [360, 375] s sample (150 %) and moves 2 → 4 (ScaleUpLimit), then
/// 4 → 6 at 390 s as at 330 s in the undisturbed run.
#[test]
fn a_metrics_outage_holds_the_hpa() {
    let e = events("", "events: [ { at: 310s, metrics_outage: { for: 60s } } ]");
    let first: Vec<(u64, u32, u32)> = e.iter().take(2).map(|x| (x.0, x.1, x.2)).collect();
    assert_eq!(first, vec![(375, 2, 4), (390, 4, 6)], "{e:?}");
}

/// Scaling headroom to maxReplicas: the HPA (max 10) peaked at 6 → 4.
#[test]
fn scaling_headroom_to_max_replicas() {
    let s = scenario(&yaml("", ""));
    let runs = run(&s);
    let summary = capsim::analysis::summarize(&s, &runs);
    assert_eq!(
        summary.profiles[0].services[0].headroom_to_max_replicas,
        Some(4)
    );
}
