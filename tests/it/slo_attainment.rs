//! SLO attainment on a case where every request's fate is known by hand.
//!
//! Arrivals are deterministic (the k-th where ∫rate = k + ½): 100 requests/s,
//! doubled to 200/s from 2m to 3m; every request needs exactly 7 ms of CPU on
//! a pod with one slot; the warmup is 1m and the run ends at 4m.
//!
//! * `api` has an unbounded queue. Before the spike every request takes 7 ms.
//!   Spike request i (arriving at 120.0025 + 0.005·i s) starts at
//!   120.0025 + 0.007·i, so its latency is 7 + 2·i ms: i = 0…146 are within
//!   300 ms (147 requests). The last spike request finishes at 204.0025 s;
//!   post-spike request j (arriving 180.005 + 0.01·j) finishes at
//!   204.0095 + 0.007·j, after 8.58 s or more, and only j ≤ 5141 finish by
//!   240 s (858 in flight).
//! * `batch` has `queue_limit: 0`. In the spike every other request finds the
//!   slot busy and is rejected (6000 of 12000); the last request (239.995 s)
//!   is still running at 240 s.

use crate::common::cases::Case;
use crate::common::{run, scenario};
use capsim::analysis::summarize;

const SCENARIO: &str = "\
name: attainment
duration: 4m
warmup: 1m
slo: { latency: { p99: 300ms }, availability: 99.9% }
services:
  - name: api
    replicas: 1
    traffic:
      arrivals: deterministic
      rate:
        - constant: { rps: 100 }
        - spike: { at: 2m, peak: 100, rise: 0s, hold: 1m, fall: 0s }
    request:
      cpu: { constant: 7ms }
    pod:
      concurrency: 1
  - name: batch
    replicas: 1
    traffic:
      arrivals: deterministic
      rate:
        - constant: { rps: 100 }
        - spike: { at: 2m, peak: 100, rise: 0s, hold: 1m, fall: 0s }
    request:
      cpu: { constant: 7ms }
    pod:
      concurrency: 1
      queue_limit: 0
";

#[test]
fn attainment_matches_the_hand_count() {
    let s = scenario(SCENARIO);
    let summary = summarize(&s, &run(&s));
    let p = &summary.profiles[0];
    let (api, batch) = (&p.services[0], &p.services[1]);

    // api: 6000 + 12000 + 6000 measured arrivals; 6000 + 12000 + 5142 completed.
    assert_eq!(api.requests.offered, 24_000);
    assert_eq!(api.requests.completed, 23_142);
    assert_eq!(api.requests.in_flight, 858);
    let slo = api.slo.unwrap();
    assert_eq!(slo.latency_quantile, Some(0.99));
    assert_eq!(slo.latency_target_ms, Some(300.0));
    assert_eq!(slo.availability_target, Some(0.999));
    // Within 300 ms: the 6000 before the spike and spike requests 0…146.
    let share = |good: f64, total: f64| ((good / total) * 1e6).round() / 1e6;
    assert_eq!(slo.within_latency_target, Some(share(6147.0, 23_142.0)));
    assert_eq!(slo.availability, Some(1.0));
    // In breach: the spike minute (148 of 8572 completions within) and the minute after (none).
    assert_eq!(slo.minutes_in_breach, 2.0);

    // batch: 6000 of the 12000 spike requests rejected, the last request in flight.
    assert_eq!(batch.requests.completed, 17_999);
    assert_eq!(batch.requests.rejected, 6000);
    assert_eq!(batch.requests.in_flight, 1);
    let slo = batch.slo.unwrap();
    assert_eq!(slo.within_latency_target, Some(1.0));
    assert_eq!(slo.availability, Some(share(17_999.0, 23_999.0)));
    // Only the spike minute breaches (availability 6001 / 12001).
    assert_eq!(slo.minutes_in_breach, 1.0);

    // Overall: both services pooled; a minute is in breach if either service is.
    let all = p.slo.unwrap();
    assert_eq!(
        all.within_latency_target,
        Some(share(6147.0 + 17_999.0, 23_142.0 + 17_999.0))
    );
    assert_eq!(
        all.availability,
        Some(share(23_142.0 + 17_999.0, 23_142.0 + 23_999.0))
    );
    assert_eq!(all.minutes_in_breach, 2.0);
}

#[test]
fn the_report_carries_the_slo_and_nothing_without_one() {
    let case = Case::new(SCENARIO);
    let out = case.run("s.yaml");
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(case.path().join("out/summary.json")).unwrap(),
    )
    .unwrap();
    let api = &json["profiles"][0]["services"][0];
    assert_eq!(api["slo"]["minutes_in_breach"], 2.0);
    assert!(
        api["headroom"]["service"]["capacity_rps_per_pod"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    assert_eq!(json["profiles"][0]["slo"]["minutes_in_breach"], 2.0);
    let csv = std::fs::read_to_string(case.path().join("out/timeseries.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert_eq!(header[18..], ["service_capacity_rps", "service_headroom"]);
    // A minute at 100 requests/s: one pod of capacity c has headroom c/100 − 1.
    let per_pod = api["headroom"]["service"]["capacity_rps_per_pod"]
        .as_f64()
        .unwrap();
    let row: Vec<&str> = csv.lines().nth(2).unwrap().split(',').collect();
    assert_eq!(row[2], "api");
    assert_eq!(row[19], format!("{:.4}", per_pod / 100.0 - 1.0));

    // Without an slo: no slo or headroom keys, empty service columns.
    let without = SCENARIO.replace(
        "slo: { latency: { p99: 300ms }, availability: 99.9% }\n",
        "",
    );
    let case = Case::new(&without);
    assert_eq!(case.run("s.yaml").code, Some(0));
    let text = std::fs::read_to_string(case.path().join("out/summary.json")).unwrap();
    assert!(
        !text.contains("\"slo\"") && !text.contains("\"headroom\""),
        "{text}"
    );
    let csv = std::fs::read_to_string(case.path().join("out/timeseries.csv")).unwrap();
    for line in csv.lines().skip(1) {
        assert!(line.ends_with(",,"), "{line}");
    }
}
