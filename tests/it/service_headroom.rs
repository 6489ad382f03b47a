//! Service headroom against queueing theory: four pods of M/M/2 (20 ms
//! exponential work, `random` balancing so each pod sees Poisson arrivals)
//! under an SLO of p99 ≤ 150 ms.
//!
//! The capacity of a pod at that SLO is computed here by hand from
//! `docs/reference/queueing.md` (Erlang C and the M/M/c response-time
//! tail, solved for λ by bisection). Offered exactly that load, the
//! simulated p99 must sit on the target (within 3 % and 4 standard errors
//! across replications) and the headroom must be ≈ 0; offered half of it,
//! the headroom must be ≈ +1 (twice the load fits) and the p99 must match
//! M/M/2 theory at the lower load.

use crate::common::{assert_agrees, run, scenario};
use capsim::analysis::headroom::interval_headroom;
use capsim::analysis::summarize;

const PODS: f64 = 4.0;
const SLOTS: u32 = 2;
const MU: f64 = 50.0; // 1 / 20 ms
const TARGET_S: f64 = 0.150;

/// Erlang C by the direct form of docs/reference/queueing.md.
fn erlang_c(c: u32, a: f64) -> f64 {
    let (mut term, mut sum) = (1.0, 0.0);
    for k in 0..c {
        sum += term;
        term *= a / f64::from(k + 1);
    }
    let top = term * f64::from(c) / (f64::from(c) - a);
    top / (sum + top)
}

/// docs/reference/queueing.md: P(T > t) of M/M/c FCFS.
fn tail(c: u32, lambda: f64, mu: f64, t: f64) -> f64 {
    let pw = erlang_c(c, lambda / mu);
    let theta = f64::from(c) * mu - lambda;
    (1.0 - pw) * (-mu * t).exp()
        + pw * (theta * (-mu * t).exp() - mu * (-theta * t).exp()) / (theta - mu)
}

/// The largest per-pod rate with p99 ≤ 150 ms: 66.302 requests/s (ρ = 0.663), by bisection.
fn capacity_by_hand() -> f64 {
    let (mut lo, mut hi) = (1e-9, f64::from(SLOTS) * MU - 1e-9);
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if tail(SLOTS, mid, MU, TARGET_S) > 0.01 {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    lo
}

/// The p99 of the M/M/c response time at `lambda` per pod, by bisection on t.
fn p99_by_hand(lambda: f64) -> f64 {
    let (mut lo, mut hi) = (0.0, 10.0);
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if tail(SLOTS, lambda, MU, mid) > 0.01 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

fn scenario_at(total_rps: f64) -> capsim::spec::Scenario {
    scenario(&format!(
        "name: headroom
duration: 31m
warmup: 1m
seed: 7
replications: 10
slo: {{ latency: {{ p99: 150ms }} }}
services:
  - name: api
    replicas: {PODS}
    load_balancer: random
    traffic:
      rate: [ {{ constant: {{ rps: {total_rps} }} }} ]
    request:
      cpu: {{ exponential: {{ mean: 20ms }} }}
    pod:
      concurrency: {SLOTS}
"
    ))
}

/// Per-replication p99s (ms), the summary, and the mean headroom of the measured intervals.
fn simulate(total_rps: f64) -> (Vec<f64>, capsim::analysis::ServiceSummary, f64) {
    let s = scenario_at(total_rps);
    let runs = run(&s);
    let p99s: Vec<f64> = runs
        .iter()
        .map(|r| r.services[0].latency.quantile_ms(0.99).unwrap())
        .collect();
    let summary = summarize(&s, &runs);
    let service = summary.profiles[0].services[0].clone();
    let per_pod = service
        .headroom
        .unwrap()
        .service
        .capacity_rps_per_pod
        .unwrap();
    let headrooms: Vec<f64> = runs
        .iter()
        .flat_map(|r| &r.services[0].series)
        .filter(|row| row.start_ns >= s.warmup_ns)
        .map(|row| {
            let pods = row.mean_ready_pods();
            assert!(
                (pods - PODS).abs() < 1e-9,
                "fixed replicas, Ready all along: {pods}"
            );
            interval_headroom(row, per_pod).unwrap()
        })
        .collect();
    let mean = headrooms.iter().sum::<f64>() / headrooms.len() as f64;
    (p99s, service, mean)
}

#[test]
fn at_capacity_the_p99_is_on_the_target_and_headroom_is_zero() {
    let lambda = capacity_by_hand();
    assert!((lambda - 66.302).abs() < 1e-3, "{lambda}");
    let (p99s, service, mean_headroom) = simulate(PODS * lambda);
    // capsim's own capacity agrees with the hand computation.
    let h = service.headroom.unwrap().service;
    let per_pod = h.capacity_rps_per_pod.unwrap();
    assert!(
        (per_pod / lambda - 1.0).abs() < 1e-5,
        "{per_pod} vs {lambda}"
    );
    // The simulated p99 sits on the 150 ms target: 3 %, within 4 standard errors (+0.1 % HDR).
    assert_agrees("p99 at capacity", &p99s, TARGET_S * 1e3, 0.03, 0.001);
    // Headroom ≈ 0: per-minute offered counts are Poisson (±0.8 %), so the mean is 0 within 1 %,
    // the busiest minute a little below 0, and none far below.
    eprintln!("headroom at capacity: mean {mean_headroom:+.4}, {h:?}");
    assert!(mean_headroom.abs() < 0.01, "{mean_headroom}");
    let (min, at_peak) = (h.min.unwrap(), h.at_peak.unwrap());
    assert!((-0.04..=0.0).contains(&at_peak), "{at_peak}");
    assert!((-0.05..=at_peak).contains(&min), "{min}");
    assert!((h.capacity_rps_at_peak.unwrap() / (PODS * lambda) - 1.0).abs() < 1e-5);
    // And 99 % of requests were within the target.
    let within = service.slo.unwrap().within_latency_target.unwrap();
    assert!((within - 0.99).abs() < 0.002, "{within}");
}

#[test]
fn at_half_the_capacity_headroom_is_one() {
    let lambda = capacity_by_hand();
    let (p99s, service, mean_headroom) = simulate(PODS * lambda / 2.0);
    // capacity ÷ offered − 1 = 4λ / 2λ − 1 = +1.
    let h = service.headroom.unwrap().service;
    eprintln!("headroom at half capacity: mean {mean_headroom:+.4}, {h:?}");
    assert!((mean_headroom - 1.0).abs() < 0.02, "{mean_headroom}");
    let at_peak = h.at_peak.unwrap();
    assert!((0.94..=1.0).contains(&at_peak), "{at_peak}");
    // M/M/2 at λ/2 per pod: the p99 from docs/reference/queueing.md, far below the target.
    let p99 = p99_by_hand(lambda / 2.0);
    // The hand p99 at the capacity is the target (the bisections agree).
    assert!((p99_by_hand(lambda) - TARGET_S).abs() < 1e-9);
    assert!(p99 < 0.75 * TARGET_S, "{p99}");
    assert_agrees("p99 at half capacity", &p99s, p99 * 1e3, 0.03, 0.001);
    assert_eq!(service.slo.unwrap().minutes_in_breach, 0.0);
}
