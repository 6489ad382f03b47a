//! `platform: vm` instances are billed like nodes (issue 12 e): seed 003's
//! rule on m5.large instances launches one instance at 300 s and terminates
//! one at 1800 s (the trajectory `asg_scenario` derives by hand), and the
//! profile's `cost_usd` is that fleet priced by hand.
//!
//! Prices and rules: m5.large $0.096/h on demand, us-east-1
//! (docs/reference/nodes-spot-cost.md §5.1); per second with a 60 s minimum
//! (§4 "Billing rules"). An instance is billed from its launch to its
//! termination; with `termination_grace: 0s` the scaled-in instance
//! terminates at the decision (1800 s), whatever it still holds.

use crate::common::{run, scenario};
use capsim::analysis::summarize;

const S: u64 = 1_000_000_000;

/// Seed 003's scenario of `asg_scenario`, with no connection draining.
const TEXT: &str = "\
name: vm-cost
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
      termination_grace: 0s
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

#[test]
fn vm_asg_fleet_is_billed_from_the_catalog_price() {
    let s = scenario(TEXT);
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
