//! Capacity at the SLO against values computed by hand from
//! `docs/reference/queueing.md`, with the formulas written out again here.

use super::*;
use crate::spec::{LatencyObjective, WorkDist};

fn pod(
    concurrency: Option<u32>,
    cpu_limit_cores: Option<f64>,
    queue_limit: Option<u32>,
) -> PodSpec {
    PodSpec {
        concurrency,
        queue_limit,
        cpu_limit_cores,
        cpu_request_cores: None,
        memory_request_bytes: None,
        memory_limit_bytes: None,
    }
}

fn request(cpu: WorkDist, io: Option<WorkDist>, timeout_ms: Option<u64>) -> RequestSpec {
    RequestSpec {
        cpu,
        io,
        timeout_ns: timeout_ms.map(|t| t * 1_000_000),
    }
}

fn exp_ms(mean_ms: f64) -> WorkDist {
    WorkDist::Exponential {
        mean_s: mean_ms / 1e3,
    }
}

fn latency_slo(quantile: f64, target_ms: u64) -> SloSpec {
    SloSpec {
        latency: Some(LatencyObjective {
            quantile,
            target_ns: target_ms * 1_000_000,
        }),
        availability: None,
    }
}

/// Erlang C by the direct form of docs/reference/queueing.md (whole c).
fn erlang_c_by_hand(c: u32, a: f64) -> f64 {
    let (mut term, mut sum) = (1.0, 0.0);
    for k in 0..c {
        sum += term;
        term *= a / f64::from(k + 1);
    }
    let top = term * f64::from(c) / (f64::from(c) - a);
    top / (sum + top)
}

/// docs/reference/queueing.md's M/M/c response-time tail P(T > t).
fn mmc_tail_by_hand(c: u32, lambda: f64, mu: f64, t: f64) -> f64 {
    let pw = erlang_c_by_hand(c, lambda / mu);
    let theta = f64::from(c) * mu - lambda;
    (1.0 - pw) * (-mu * t).exp()
        + pw * (theta * (-mu * t).exp() - mu * (-theta * t).exp()) / (theta - mu)
}

#[test]
fn mm1_capacity_is_mu_minus_ln100_over_t() {
    // M/M/1, 10 ms mean work (μ = 100/s): T ~ Exp(μ − λ), so p99 ≤ 100 ms ⇔ λ ≤ 100 − ln(100)/0.1.
    let q = PodQueue::of(
        &pod(Some(1), None, None),
        &request(exp_ms(10.0), None, None),
    );
    let cap = capacity_rps(&q, &latency_slo(0.99, 100));
    let by_hand = 100.0 - 100f64.ln() / 0.1; // 53.948 rps
    assert!((cap - by_hand).abs() < 1e-6, "{cap} vs {by_hand}");
    // And the p99 there is the target.
    assert!((q.response_quantile_s(cap, 0.99) - 0.1).abs() < 1e-9);
    // p50 ≤ 20 ms ⇔ λ ≤ 100 − ln(2)/0.02 = 65.343.
    let cap50 = capacity_rps(&q, &latency_slo(0.5, 20));
    assert!((cap50 - (100.0 - 2f64.ln() / 0.02)).abs() < 1e-6, "{cap50}");
}

#[test]
fn mmc_capacity_puts_the_quantile_on_the_target() {
    // docs/reference/queueing.md's worked example: M/M/2, μ = 1/s, ρ = 0.5 (λ = 1/s) has p99 = 5.66596 s,
    // so at a 5.66596 s target the capacity is λ = 1/s.
    let q = PodQueue::of(
        &pod(Some(2), Some(2.0), None),
        &request(exp_ms(1000.0), None, None),
    );
    assert!((q.response_quantile_s(1.0, 0.99) - 5.66596).abs() < 1e-5);
    let cap = capacity_rps(&q, &latency_slo(0.99, 5665));
    let cap_hi = capacity_rps(&q, &latency_slo(0.99, 5667));
    assert!(
        cap < 1.0 && cap_hi > 1.0 && cap_hi - cap < 1e-3,
        "{cap} {cap_hi}"
    );
    // M/M/32 with 100 ms work (μ = 10/s), p99 target 480 ms; also M/M/8 and M/M/64.
    for (c, mean_ms, target_ms) in [(32, 100.0, 480), (8, 20.0, 150), (64, 50.0, 300)] {
        let mu = 1e3 / mean_ms;
        let q = PodQueue::of(
            &pod(Some(c), None, None),
            &request(exp_ms(mean_ms), None, None),
        );
        let cap = capacity_rps(&q, &latency_slo(0.99, target_ms));
        let t = target_ms as f64 / 1e3;
        // At the capacity, docs/reference/queueing.md's tail at the target is exactly 1 %.
        let tail = mmc_tail_by_hand(c, cap, mu, t);
        assert!(
            (tail - 0.01).abs() < 1e-7,
            "M/M/{c}: tail {tail} at λ = {cap}"
        );
        assert!(cap < f64::from(c) * mu);
    }
    // The M/M/32 case of the oracle test: ρ = 0.9 gives p99 = 479.4 ms, so at a 479.4 ms target
    // the capacity is 0.9·32·10 = 288 rps (to the 0.05 ms the p99 is quoted to).
    let q = PodQueue::of(
        &pod(Some(32), None, None),
        &request(exp_ms(100.0), None, None),
    );
    let p99 = q.response_quantile_s(288.0, 0.99);
    assert!((p99 * 1e3 - 479.4).abs() < 0.05, "{p99}");
}

#[test]
fn availability_bounds_capacity_through_the_timeout_and_the_queue() {
    // M/M/1, μ = 100/s, timeout 200 ms, 99.9 %: e^(−(μ−λ)·0.2) ≤ 0.001 ⇔ λ ≤ 100 − ln(1000)/0.2.
    let q = PodQueue::of(
        &pod(Some(1), None, None),
        &request(exp_ms(10.0), None, Some(200)),
    );
    let slo = SloSpec {
        latency: None,
        availability: Some(0.999),
    };
    let cap = capacity_rps(&q, &slo);
    assert!((cap - (100.0 - 1000f64.ln() / 0.2)).abs() < 1e-6, "{cap}");
    // M/M/1/N with N = 1 + K places: P(block) = (1−ρ)ρᴺ / (1 − ρᴺ⁺¹).
    let q = PodQueue::of(
        &pod(Some(1), None, Some(9)),
        &request(exp_ms(10.0), None, None),
    );
    for rho in [0.3, 0.8, 0.95] {
        let n = 10;
        let by_hand = (1.0 - rho) * f64::powi(rho, n) / (1.0 - f64::powi(rho, n + 1));
        let b = q.blocking(rho * 100.0);
        assert!((b - by_hand).abs() < 1e-12, "ρ={rho}: {b} vs {by_hand}");
    }
}

#[test]
fn one_slot_on_half_a_core_is_mm1_at_half_the_rate() {
    // One slot, L = 0.5: a request runs alone at 0.5 cores (20 ms for 10 ms of work), FIFO:
    // M/M/1 at μ = 50/s, so p99 ≤ 200 ms ⇔ λ ≤ 50 − ln(100)/0.2.
    let q = PodQueue::of(
        &pod(Some(1), Some(0.5), None),
        &request(exp_ms(10.0), None, None),
    );
    assert_eq!(q.slowdown(20.0), Some(vec![(2.0, 1.0)]));
    let cap = capacity_rps(&q, &latency_slo(0.99, 200));
    assert!((cap - (50.0 - 100f64.ln() / 0.2)).abs() < 1e-6, "{cap}");
}

/// P(T > t) of processor sharing on one core in the frozen-environment model:
/// an arrival finds N ~ Geometric (P(N = n) = (1−ρ)ρⁿ) and runs at 1/(N+1) of a core,
/// so P(T > t) = Σₘ (1−ρ)ρ^(m−1)·e^(−μt/m).
fn frozen_ps_tail(rho: f64, mu: f64, t: f64) -> f64 {
    (1..5000)
        .map(|m| (1.0 - rho) * rho.powi(m - 1) * (-mu * t / f64::from(m)).exp())
        .sum()
}

#[test]
fn processor_sharing_on_a_core() {
    // Unlimited slots on one core, exponential 10 ms work (μ = 100/s).
    let q = PodQueue::of(
        &pod(None, Some(1.0), None),
        &request(exp_ms(10.0), None, None),
    );
    for rho in [0.3, 0.5, 0.8] {
        for t in [0.005, 0.02, 0.1, 0.3] {
            let (got, by_hand) = (
                q.response_tail(rho * 100.0, t),
                frozen_ps_tail(rho, 100.0, t),
            );
            assert!(
                (got - by_hand).abs() < 1e-9,
                "ρ={rho} t={t}: {got} vs {by_hand}"
            );
        }
        // The mean is processor sharing's exact E[S]/(1−ρ) (docs/reference/queueing.md), for any work distribution.
        for work in [exp_ms(10.0), WorkDist::Constant { secs: 0.01 }] {
            let q = PodQueue::of(&pod(None, Some(1.0), None), &request(work, None, None));
            let mean = q.mean_response_s(rho * 100.0);
            assert!(
                (mean / (0.01 / (1.0 - rho)) - 1.0).abs() < 1e-9,
                "ρ={rho}: {mean}"
            );
        }
    }
    // Saturation at L/E[cpu] = 100 rps.
    assert_eq!(q.saturation_rps(), 100.0);
    assert_eq!(q.response_tail(100.0, 1.0), 1.0);
}

#[test]
fn the_cpu_limit_binds_below_the_slots() {
    // 8 slots on 2 cores, 10 ms work: arrivals at an idle pod run at full speed,
    // beyond 2 in the CPU phase they share; the slowdown is ≥ 1 and capped at 8/2.
    let q = PodQueue::of(
        &pod(Some(8), Some(2.0), None),
        &request(exp_ms(10.0), None, None),
    );
    let g = q.slowdown(150.0).unwrap();
    assert!(g.iter().all(|&(g, _)| (1.0..=4.0).contains(&g)));
    // P(N = 0) = 1/(1 + a + a²/2·Σ ρᵏ) with a = 1.5, ρ = 0.75: the share of arrivals at full speed
    // is P(N ≤ 1) = (1 + a)·P(N = 0).
    let p0 = 1.0 / (1.0 + 1.5 + 1.125 / 0.25);
    let full_speed: f64 = g.iter().filter(|n| n.0 == 1.0).map(|n| n.1).sum();
    assert!((full_speed - 2.5 * p0).abs() < 1e-12, "{full_speed}");
    // 32 slots, 1 core, 5 ms CPU + 75 ms I/O: bounded by the core, 1/5 ms = 200 rps.
    let q = PodQueue::of(
        &pod(Some(32), Some(1.0), None),
        &request(exp_ms(5.0), Some(exp_ms(75.0)), None),
    );
    assert!((q.saturation_rps() - 200.0).abs() < 1e-9);
    // L ≥ c: the CPU never binds.
    let q = PodQueue::of(
        &pod(Some(4), Some(4.0), None),
        &request(exp_ms(10.0), None, None),
    );
    assert_eq!(q.slowdown(399.0), Some(vec![(1.0, 1.0)]));
}

#[test]
fn general_path_agrees_with_the_closed_form_on_exponential_work() {
    // Exponential work + 0 ms constant I/O takes the node-based path; it must match M/M/c.
    let exact = PodQueue::of(
        &pod(Some(4), None, None),
        &request(exp_ms(10.0), None, None),
    );
    let numeric = PodQueue::of(
        &pod(Some(4), None, None),
        &request(exp_ms(10.0), Some(WorkDist::Constant { secs: 0.0 }), None),
    );
    for rho in [0.5, 0.8, 0.95] {
        let rps = rho * 400.0;
        for t in [0.01, 0.03, 0.06, 0.1] {
            let (e, n) = (exact.response_tail(rps, t), numeric.response_tail(rps, t));
            assert!((n / e - 1.0).abs() < 5e-3, "ρ={rho} t={t}: {n} vs {e}");
        }
        let (e, n) = (
            exact.response_quantile_s(rps, 0.99),
            numeric.response_quantile_s(rps, 0.99),
        );
        assert!((n / e - 1.0).abs() < 2e-3, "p99 at ρ={rho}: {n} vs {e}");
    }
}

#[test]
fn md1_mean_wait_is_pollaczek_khinchine() {
    // M/D/1, 10 ms, ρ = 0.7: E[Wq] = ρ·E[S]/(2(1−ρ)) = 11.667 ms = ∫ P(T > t) dt − E[S].
    let q = PodQueue::of(
        &pod(Some(1), None, None),
        &request(WorkDist::Constant { secs: 0.01 }, None, None),
    );
    let (rps, h) = (70.0, 1e-5);
    let mean_t: f64 = (0..100_000)
        .map(|i| q.response_tail(rps, (i as f64 + 0.5) * h) * h)
        .sum();
    let wait_ms = (mean_t - 0.01) * 1e3;
    assert!((wait_ms - 0.7 * 10.0 / 0.6).abs() < 1e-3, "{wait_ms}");
}

#[test]
fn edges_zero_and_unbounded() {
    // 50 ms of constant work can never meet a 40 ms p99.
    let q = PodQueue::of(
        &pod(Some(4), None, None),
        &request(WorkDist::Constant { secs: 0.05 }, None, None),
    );
    assert_eq!(capacity_rps(&q, &latency_slo(0.99, 40)), 0.0);
    // No CPU work and no slot limit: nothing queues.
    let q = PodQueue::of(
        &pod(None, Some(1.0), None),
        &request(WorkDist::Constant { secs: 0.0 }, Some(exp_ms(5.0)), None),
    );
    assert_eq!(capacity_rps(&q, &latency_slo(0.99, 40)), f64::INFINITY);
    // Capacity only grows with the target.
    let q = PodQueue::of(
        &pod(Some(16), Some(1.0), Some(100)),
        &request(
            WorkDist::Gamma {
                shape: 1.0 / 2.25,
                scale_s: 0.005 * 2.25,
            },
            Some(WorkDist::Lognormal {
                mu: 0.05f64.ln(),
                sigma: 8f64.ln() / 2.326_348,
            }),
            Some(10_000),
        ),
    );
    // Its I/O alone has a p99 above 400 ms: no rate meets a 400 ms p99.
    assert_eq!(capacity_rps(&q, &latency_slo(0.99, 400)), 0.0);
    let mut last = 0.0;
    for target_ms in [500, 800, 1500, 3000] {
        let cap = capacity_rps(&q, &latency_slo(0.99, target_ms));
        assert!(cap > last, "{target_ms} ms: {cap} after {last}");
        last = cap;
    }
    assert!(last < q.saturation_rps());
}
