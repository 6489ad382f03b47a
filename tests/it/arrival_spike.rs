//! A millisecond spike of 10⁹ requests/s (issue 12 p): the thinning
//! envelope follows the rate's corners, so the run costs what the spike
//! brings (10⁶ arrivals), not 10⁹ × 60 s of candidates, and the counts are
//! right: Poisson counts within 5 standard deviations (√Λ) of Λ, the
//! integral of the rate by hand.

use crate::common::{run, scenario};
use capsim::analysis::summarize;

const S: u64 = 1_000_000_000;

/// 100 requests/s for 20 minutes; from 10 m, 10⁹ requests/s for 1 ms, as
/// a spike and, in the second case, as a traffic incident adding the same.
fn text(extra: &str, spike: &str) -> String {
    format!(
        "\
name: spike
duration: 20m
replications: 2
services:
  - name: api
    replicas: 2
    traffic:
      rate:
        - constant: {{ rps: 100 }}
{spike}    request:
      cpu: {{ constant: 10ms }}
    pod:
      concurrency: 4
      queue_limit: 10
{extra}"
    )
}

fn check(yaml: &str) {
    let s = scenario(yaml);
    let runs = run(&s);
    let sd = |lambda: f64| 5.0 * lambda.sqrt();
    for r in &runs {
        let series = &r.services[0].series;
        // Λ over [600 s, 660 s) = 100 × 60 + 10⁹ × 0.001 = 1,006,000; other minutes 6,000.
        for row in series {
            let lambda = if row.start_ns == 600 * S {
                1_006_000.0
            } else {
                6_000.0
            };
            assert!(
                (row.offered as f64 - lambda).abs() < sd(lambda),
                "minute from {} s: {} offered, Λ = {lambda}",
                row.start_ns / S,
                row.offered
            );
        }
        let o = r.services[0].outcomes;
        assert!(o.is_balanced());
        // Λ(1200 s) = 100 × 1200 + 10⁶ = 1,120,000.
        assert!(
            (o.offered as f64 - 1_120_000.0).abs() < sd(1_120_000.0),
            "{}",
            o.offered
        );
        // 8 requests in service and 20 queued at most: the spike is rejected.
        assert!(o.rejected > 990_000, "{o:?}");
    }
    let p = &summarize(&s, &runs).profiles[0];
    assert!((p.requests.offered as f64 - 2_240_000.0).abs() < sd(2_240_000.0));
}

#[test]
fn a_millisecond_spike_runs_fast_with_the_right_counts() {
    check(&text(
        "",
        "        - spike: { at: 10m, peak: 1000000000, rise: 0s, hold: 1ms, fall: 0s }\n",
    ));
}

#[test]
fn a_millisecond_incident_runs_fast_with_the_right_counts() {
    check(&text(
        "events:\n  - { at: 10m, traffic_incident: { service: api, add_rps: 1000000000, for: 1ms } }\n",
        "",
    ));
}
