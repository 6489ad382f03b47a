//! The per-interval series on a scenario whose every figure is known by hand.
//!
//! Deterministic arrivals at 5/s (at 0.1 s, 0.3 s, …) with constant 100 ms
//! work on one pod with one slot: every request is served alone, so its
//! latency is exactly 100 ms, the pod is busy half the time, and each
//! 1-minute interval offers exactly 300 requests. The request arriving at
//! 59.9 s finishes at 60.0 s, just after the interval's end was recorded
//! (the tick was scheduled first), so it counts in the next interval and is
//! in flight at every interval's end.

use crate::common::{run, scenario};

#[test]
fn deterministic_series_is_exact() {
    let s = scenario(
        "name: exact
duration: 10m
warmup: 1m
replications: 2
services:
  - name: api
    replicas: 1
    traffic:
      arrivals: deterministic
      rate: [ { constant: { rps: 5 } } ]
    request:
      cpu: { constant: 100ms }
    pod:
      concurrency: 1
      requests: { cpu: 250m }
",
    );
    for run in run(&s) {
        let svc = &run.services[0];
        // Measured: arrivals in [60 s, 600 s) = 2700; the one at 599.9 s is still being served.
        assert_eq!(svc.outcomes.offered, 2700);
        assert_eq!(svc.outcomes.completed, 2699);
        assert_eq!(svc.outcomes.in_flight, 1);
        assert_eq!(svc.latency.mean_ms(), Some(100.0));
        assert_eq!(svc.latency.max_ms(), Some(100.0));
        assert_eq!(svc.series.len(), 10);
        for (i, row) in svc.series.iter().enumerate() {
            assert_eq!(row.start_ns, i as u64 * 60_000_000_000);
            assert_eq!(row.end_ns, (i as u64 + 1) * 60_000_000_000);
            assert_eq!(row.offered, 300, "interval {i}");
            assert_eq!(
                row.completed,
                if i == 0 { 299 } else { 300 },
                "interval {i}"
            );
            assert_eq!(row.offered_rps(), 5.0);
            assert_eq!((row.rejected, row.timed_out), (0, 0));
            // Quantiles are HDR values: 100 ms to 3 significant digits.
            let p50 = row.latency_p50_ms.unwrap();
            assert!((p50 - 100.0).abs() <= 0.1, "{p50}");
            assert_eq!(row.in_flight, 1);
            assert_eq!(row.pods, 1);
            // Busy 30 s of every 60 s (0.5 core) against a request of 0.25 core: 200 %.
            assert!(
                (row.cpu_utilization - 2.0).abs() < 1e-9,
                "interval {i}: {}",
                row.cpu_utilization
            );
        }
    }
}
