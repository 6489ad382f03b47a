//! A `platform: vm` service under seed 003's Auto Scaling rule — "CPU > 70 %
//! for 5 min → +1 instance; CPU < 30 % for 10 min → −1; min 2, max 20" —
//! adds exactly one instance after five minutes above 70 % and removes one
//! after ten minutes below 30 %.

use crate::common::{run, scenario};

const S: u64 = 1_000_000_000;

/// Seed 003's rule on m5.large instances: deterministic arrivals, 10 ms
/// of CPU each, instances that boot in 60 s (the trajectory below).
pub(crate) const SEED_003: &str = "\
name: seed-003
duration: 2400s
services:
  - name: app
    platform: vm
    instance_type: m5.large
    traffic:
      arrivals: deterministic
      rate:
        - constant: { rps: 90 }
        - spike: { at: 0s, peak: 230, hold: 1200s }
    request:
      cpu: { constant: 10ms }
    pod:
      concurrency: 1000
      startup:
        boot: { constant: 60s }
    asg:
      min: 2
      max: 20
      cooldown: 300s
      policies:
        - name: scale-out
          simple:
            alarm: { metric: cpu_utilization, period: 1m, evaluation_periods: 5, above: 70% }
            adjust: +1
        - name: scale-in
          simple:
            alarm: { metric: cpu_utilization, period: 1m, evaluation_periods: 10, below: 30% }
            adjust: -1
";

/// m5.large instances (2 vCPUs), 10 ms of CPU per request, deterministic
/// arrivals round-robin. 320 rps until 1200 s: on two instances 160 rps ×
/// 10 ms = 1.6 cores = 80 % each (arrivals 6.25 ms apart, never more than two
/// requests at once, so nothing is slowed down). The alarm's one-minute
/// datapoints at 60, 120, …, 300 s are all 80 % → 5 of 5 above 70 → ALARM at
/// 300 s → **2 → 3**. The new instance boots in 60 s; from 360 s three share
/// the load at 53 %, so the alarm clears and nothing more happens (the
/// cooldown would block it until 660 s anyway).
///
/// 90 rps from 1200 s: 30 rps × 10 ms = 0.3 core = 15 % on each of three; the
/// datapoints at 1260, …, 1800 s are the 10 of 10 below 30 → **3 → 2 at
/// 1800 s**. Two instances at 22.5 % keep the alarm in ALARM, but 2 is the
/// minimum.
#[test]
fn seed_003_rule_adds_one_then_removes_one() {
    let text = SEED_003;
    let runs = run(&scenario(text));
    let r = &runs[0];
    let e: Vec<(u64, u32, u32)> = r
        .scaling_events
        .iter()
        .map(|e| (e.at_ns / S, e.from, e.to))
        .collect();
    assert_eq!(e, vec![(300, 2, 3), (1800, 3, 2)], "{:?}", r.scaling_events);
    assert!(r.scaling_events[0].reason.contains("scale-out"));
    assert!(r.scaling_events[1].reason.contains("scale-in"));
    assert!(r.scaling_events.iter().all(|e| e.source == "asg"));
    let series = &r.services[0].series;
    let ready_at = |t: u64| series.iter().find(|x| x.end_ns == t * S).unwrap().pods;
    assert_eq!(ready_at(300), 2);
    assert_eq!(ready_at(420), 3);
    assert_eq!(ready_at(1860), 2);
    // Utilization per interval: 80 % before the scale-out, 53 % after.
    let util = |t: u64| {
        series
            .iter()
            .find(|x| x.end_ns == t * S)
            .unwrap()
            .cpu_utilization
    };
    assert!((util(240) - 0.8).abs() < 0.01, "{}", util(240));
    assert!((util(600) - 0.5333).abs() < 0.01, "{}", util(600));
    assert!(r.services[0].outcomes.is_balanced());
}
