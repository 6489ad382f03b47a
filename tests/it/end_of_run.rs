//! At the end of a run, an unanswered request whose client has given up is
//! timed out in `timeseries.csv` (the last interval's row) as in
//! `summary.json`, and in flight in neither (issue 12 t).

use crate::common::{run, scenario};
use capsim::analysis::summarize;

const S: u64 = 1_000_000_000;

/// One pod with one slot; every request needs 100 s of CPU, so none
/// finishes within the 60 s run. Deterministic arrivals at 1/s arrive at
/// 0.5, 1.5, …, 59.5 s (the k-th where Λ = k + ½). At 60 s a client that
/// waited more than its 1 s timeout has given up: arrivals up to 58.5 s
/// (59 requests) are timed out, the one of 59.5 s is in flight.
const TEXT: &str = "\
name: stuck
duration: 60s
metrics: { interval: 10s }
services:
  - name: api
    replicas: 1
    traffic:
      arrivals: deterministic
      rate:
        - constant: { rps: 1 }
    request:
      cpu: { constant: 100s }
      timeout: 1s
    pod:
      concurrency: 1
      queue_limit: 100
";

#[test]
fn requests_stuck_past_their_timeout_are_timed_out_in_the_last_row() {
    let s = scenario(TEXT);
    let runs = run(&s);
    let series = &runs[0].services[0].series;
    let rows: Vec<(u64, u64, u64, u64)> = series
        .iter()
        .map(|r| (r.end_ns / S, r.offered, r.timed_out, r.in_flight))
        .collect();
    // Before the end, everything that arrived is in flight (nobody has
    // answered, so nobody is counted yet); at the end, 59 timed out, 1 in flight.
    assert_eq!(
        rows,
        vec![
            (10, 10, 0, 10),
            (20, 10, 0, 20),
            (30, 10, 0, 30),
            (40, 10, 0, 40),
            (50, 10, 0, 50),
            (60, 10, 59, 1),
        ]
    );
    let p = &summarize(&s, &runs).profiles[0];
    assert_eq!(
        (
            p.requests.offered,
            p.requests.completed,
            p.requests.timed_out,
            p.requests.in_flight
        ),
        (60, 0, 59, 1)
    );
    let last = series.last().unwrap();
    assert_eq!(last.in_flight, p.requests.in_flight);
    assert_eq!(
        series.iter().map(|r| r.timed_out).sum::<u64>(),
        p.requests.timed_out
    );
}
