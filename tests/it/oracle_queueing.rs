//! Queueing-theory oracles (docs/reference/queueing.md): the simulator
//! against closed forms it was not written from.
//!
//! * M/M/c FCFS (Erlang C): mean and p99 of the response time within 2 %.
//! * M/D/1 (Pollaczek–Khinchine): mean wait within 3 %.
//! * M/G/1 processor sharing: mean response E[S]/(1−ρ) within 3 % for
//!   exponential, deterministic and lognormal work of equal mean.
//!
//! Each case runs several independent replications; the assertion checks
//! the relative error, that the error is within 4 standard errors of the
//! across-replication CI, and that the CI is narrow enough for the test to
//! mean something. Seeds are fixed, so the tests are deterministic.

use crate::common::{assert_agrees, run, scenario};

/// Erlang C probability of waiting for c servers at offered load a = λ/μ.
fn erlang_c(c: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (k as f64 + a * b);
    }
    c as f64 * b / (c as f64 - a * (1.0 - b))
}

/// P(T > t) of the M/M/c FCFS response time (μ = service rate).
fn mmc_tail(c: u32, lambda: f64, mu: f64, t: f64) -> f64 {
    let pw = erlang_c(c, lambda / mu);
    let theta = c as f64 * mu - lambda;
    let service_only = (1.0 - pw) * (-mu * t).exp();
    if (theta - mu).abs() < 1e-12 {
        service_only + pw * (1.0 + mu * t) * (-mu * t).exp()
    } else {
        service_only + pw * (theta * (-mu * t).exp() - mu * (-theta * t).exp()) / (theta - mu)
    }
}

/// Mean and p-quantile of the M/M/c response time.
fn mmc_theory(c: u32, rho: f64, mean_service: f64, p: f64) -> (f64, f64) {
    let mu = 1.0 / mean_service;
    let lambda = rho * c as f64 * mu;
    let theta = c as f64 * mu - lambda;
    let mean = erlang_c(c, lambda / mu) / theta + 1.0 / mu;
    let (mut lo, mut hi) = (0.0, 1000.0 * mean_service);
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if mmc_tail(c, lambda, mu, mid) > 1.0 - p {
            lo = mid
        } else {
            hi = mid
        }
    }
    (mean, (lo + hi) / 2.0)
}

#[test]
fn oracle_formulas_match_the_worked_example() {
    // docs/reference/queueing.md: M/M/2 at ρ = 0.5 → P(wait) = 1/3, E[T] = 4/3, p99 = 5.66596.
    assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
    let (mean, p99) = mmc_theory(2, 0.5, 1.0, 0.99);
    assert!((mean - 4.0 / 3.0).abs() < 1e-12);
    assert!((p99 - 5.66596).abs() < 1e-5, "{p99}");
    // M/M/1 closed form: p99 = ln(100)/(μ − λ).
    let (_, p99) = mmc_theory(1, 0.7, 1.0, 0.99);
    assert!((p99 / (100f64.ln() / 0.3) - 1.0).abs() < 1e-9);
    // The M/M/32 at ρ = 0.9 with 100 ms work: 114.3 ms mean, 479.4 ms p99.
    let (mean, p99) = mmc_theory(32, 0.9, 0.1, 0.99);
    assert!(
        (mean * 1e3 - 114.3).abs() < 0.05 && (p99 * 1e3 - 479.4).abs() < 0.05,
        "{mean} {p99}"
    );
}

/// Runs M/M/c (10 ms mean work) with `reps` replications of about `requests`
/// arrivals each and checks mean and p99 within 2 %.
fn check_mmc(c: u32, rho: f64, reps: u32, requests: u32) {
    let mean_ms = 10.0;
    let rps = rho * c as f64 / (mean_ms / 1e3);
    let warmup_s = 60;
    let seconds = (requests as f64 / rps).ceil() as u64 + warmup_s;
    let s = scenario(&format!(
        "name: mm{c}
duration: {seconds}s
warmup: {warmup_s}s
seed: {c}
replications: {reps}
services:
  - name: api
    replicas: 1
    traffic:
      arrivals: poisson
      rate: [ {{ constant: {{ rps: {rps} }} }} ]
    request:
      cpu: {{ exponential: {{ mean: {mean_ms}ms }} }}
    pod:
      concurrency: {c}
"
    ));
    let runs = run(&s);
    let means: Vec<f64> = runs
        .iter()
        .map(|r| r.services[0].latency.mean_ms().unwrap())
        .collect();
    let p99s: Vec<f64> = runs
        .iter()
        .map(|r| r.services[0].latency.quantile_ms(0.99).unwrap())
        .collect();
    let (mean, p99) = mmc_theory(c, rho, mean_ms / 1e3, 0.99);
    assert_agrees(
        &format!("M/M/{c} ρ={rho} mean"),
        &means,
        mean * 1e3,
        0.02,
        0.0,
    );
    assert_agrees(
        &format!("M/M/{c} ρ={rho} p99"),
        &p99s,
        p99 * 1e3,
        0.02,
        0.001,
    );
}

#[test]
fn mm1_at_half_load() {
    check_mmc(1, 0.5, 8, 2_000_000);
}

#[test]
fn mm2_at_0_7() {
    check_mmc(2, 0.7, 8, 2_000_000);
}

#[test]
fn mm4_at_0_8() {
    check_mmc(4, 0.8, 8, 2_000_000);
}

#[test]
fn mm8_at_0_85() {
    check_mmc(8, 0.85, 8, 2_500_000);
}

#[test]
fn mm32_at_0_9() {
    check_mmc(32, 0.9, 8, 1_000_000);
}

#[test]
fn mm64_at_0_95() {
    check_mmc(64, 0.95, 8, 1_000_000);
}

#[test]
fn md1_mean_wait_is_half_of_mm1() {
    // ρ = 0.7, S = 100 ms: E[Wq] = ρ·S / (2(1 − ρ)) = 116.67 ms.
    let s = scenario(
        "name: md1
duration: 8h
warmup: 10m
seed: 5
replications: 8
services:
  - name: api
    replicas: 1
    traffic:
      rate: [ { constant: { rps: 7 } } ]
    request:
      cpu: { constant: 100ms }
    pod:
      concurrency: 1
",
    );
    let waits: Vec<f64> = run(&s)
        .iter()
        .map(|r| r.services[0].latency.mean_ms().unwrap() - 100.0)
        .collect();
    assert_agrees(
        "M/D/1 ρ=0.7 mean wait",
        &waits,
        0.7 * 100.0 / (2.0 * 0.3),
        0.03,
        0.0,
    );
}

/// M/G/1-PS: unlimited concurrency sharing one core; E[T] = E[S]/(1 − ρ) whatever the distribution.
fn check_ps(work: &str, seed: u32) {
    let s = scenario(&format!(
        "name: ps
duration: 8h
warmup: 10m
seed: {seed}
replications: 8
services:
  - name: api
    replicas: 1
    traffic:
      rate: [ {{ constant: {{ rps: 6 }} }} ]
    request:
      cpu: {work}
    pod:
      concurrency: unlimited
      limits: {{ cpu: \"1\" }}
"
    ));
    let means: Vec<f64> = run(&s)
        .iter()
        .map(|r| r.services[0].latency.mean_ms().unwrap())
        .collect();
    assert_agrees(
        &format!("M/G/1-PS {work}"),
        &means,
        100.0 / (1.0 - 0.6),
        0.03,
        0.0,
    );
}

#[test]
fn ps_exponential_work() {
    check_ps("{ exponential: { mean: 100ms } }", 21);
}

#[test]
fn ps_deterministic_work() {
    check_ps("{ constant: 100ms }", 22);
}

#[test]
fn ps_lognormal_work() {
    // σ = 1: median = 100 ms · e^(−1/2), p99 = median · e^(2.3263479) → mean 100 ms.
    let median_ns = (100e6 * (-0.5f64).exp()).round();
    let p99_ns = (median_ns * 2.326_347_874_040_840_8f64.exp()).round();
    check_ps(
        &format!("{{ lognormal: {{ median: {median_ns}ns, p99: {p99_ns}ns }} }}"),
        23,
    );
}
