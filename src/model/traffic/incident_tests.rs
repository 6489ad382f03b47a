//! Traffic incidents against hand-computed integrals and an independent
//! quadrature of r(t)·(1 + (m − 1)·s(t)).

use crate::model::traffic::rate::RateFn;
use crate::spec::{IncidentChange, Interpolation, RateComponent, TraceRate, TrafficIncident};
use std::sync::Arc;

const S: u64 = 1_000_000_000;

fn incident(for_s: u64, ramp_s: u64, change: IncidentChange) -> TrafficIncident {
    TrafficIncident {
        duration_ns: for_s * S,
        ramp_ns: ramp_s * S,
        change,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn multiply_a_constant_rate_with_ramps() {
    // 10 rps; ×3 from 600 s for 300 s, ramps of 60 s: the extra is
    // 2 · 10 · (300 − 60) = 4800 requests.
    let r = RateFn::new(&[RateComponent::Constant { rps: 10.0 }])
        .with_incident(600.0, &incident(300, 60, IncidentChange::Multiply(3.0)));
    assert!(close(r.integral(600.0), 6000.0));
    // Half-way up the ramp: 20 · (30² / 2) / 60 = 150 extra.
    assert!(close(r.integral(630.0), 6450.0));
    assert!(close(r.integral(900.0), 13_800.0));
    assert!(close(r.integral(1000.0), 14_800.0));
    assert_eq!(r.rate(599.0), 10.0);
    assert!(close(r.rate(630.0), 20.0));
    assert_eq!(r.rate(700.0), 30.0);
    assert_eq!(r.rate(900.0), 10.0);
    // In the hold the envelope is flat; across a ramp it is not.
    assert_eq!(r.bounds(700.0, 760.0), (30.0, 30.0));
    assert_eq!(r.bounds(590.0, 650.0), (10.0, 10.0 + 20.0 * 50.0 / 60.0));
    assert!(!r.is_constant());
}

#[test]
fn add_rps_is_a_trapezoid_on_top() {
    let r = RateFn::new(&[]).with_incident(100.0, &incident(50, 10, IncidentChange::AddRps(500.0)));
    assert!(close(r.integral(105.0), 500.0 * 12.5 / 10.0));
    assert!(close(r.integral(150.0) - r.integral(100.0), 500.0 * 40.0));
    assert_eq!(r.rate(120.0), 500.0);
    assert_eq!(r.rate(150.0), 0.0);
}

fn trace() -> RateComponent {
    RateComponent::Trace(Arc::new(TraceRate {
        start_s: 0.0,
        step_s: 60.0,
        rates_rps: vec![10.0, 20.0, 30.0, 40.0],
        end_s: 240.0,
        interpolation: Interpolation::Step,
    }))
}

#[test]
fn multiply_a_step_trace_across_its_cells() {
    // ×2 over [30, 150) s: 10·30 + 20·60 + 30·30 = 2400 extra on 6000.
    let r = RateFn::new(&[trace()])
        .with_incident(30.0, &incident(120, 0, IncidentChange::Multiply(2.0)));
    assert!(close(r.integral(240.0), 8400.0));
    assert!(close(r.integral(90.0), 1200.0 + 900.0));
    // Ramps of 40 s, corners off the cell edges (worked out by hand):
    // 112.5 + 175 + 800 + 175 + 337.5 = 1600 extra.
    let r = RateFn::new(&[trace()])
        .with_incident(30.0, &incident(120, 40, IncidentChange::Multiply(2.0)));
    assert!(close(r.integral(240.0), 7600.0));
    assert!(close(
        r.integral(70.0),
        10.0 * 60.0 + 20.0 * 10.0 + 112.5 + 175.0
    ));
}

/// ∫ₐᵇ f by composite Simpson with `n` (even) intervals.
fn simpson(f: impl Fn(f64) -> f64, a: f64, b: f64, n: usize) -> f64 {
    let h = (b - a) / n as f64;
    let inner: f64 = (1..n)
        .map(|k| f(a + k as f64 * h) * if k % 2 == 1 { 4.0 } else { 2.0 })
        .sum();
    (f(a) + f(b) + inner) * h / 3.0
}

#[test]
fn multiply_a_diurnal_rate_matches_quadrature() {
    let (min, max, peak, period) = (100.0, 900.0, 72_000.0, 86_400.0);
    let diurnal = |t: f64| {
        min + (max - min) * (1.0 + (std::f64::consts::TAU * (t - peak) / period).cos()) / 2.0
    };
    // ×0.4 (a drop) from 10:00 for 3 h with ramps of 20 min.
    let (t0, t1, ramp, m) = (36_000.0, 46_800.0, 1200.0, 0.4);
    let strength = |t: f64| {
        if t < t0 || t >= t1 {
            0.0
        } else {
            ((t - t0) / ramp).min(1.0).min((t1 - t) / ramp)
        }
    };
    let oracle = |t: f64| diurnal(t) * (1.0 + (m - 1.0) * strength(t));
    let r = RateFn::new(&[RateComponent::Diurnal {
        min_rps: min,
        max_rps: max,
        peak_s: peak,
        period_s: period,
    }])
    .with_incident(t0, &incident(10_800, 1200, IncidentChange::Multiply(m)));
    // The oracle is smooth between the corners; integrate piece by piece.
    let corners = [0.0, t0, t0 + ramp, t1 - ramp, t1, 86_400.0];
    let mut expected = 0.0;
    for w in corners.windows(2) {
        expected += simpson(oracle, w[0], w[1], 20_000);
        assert!(
            (r.integral(w[1]) - expected).abs() < 1e-6 * expected,
            "Λ({}) = {} vs {expected}",
            w[1],
            r.integral(w[1])
        );
    }
    for k in 0..1000 {
        let t = 86.4 * k as f64 + 0.3;
        assert!((r.rate(t) - oracle(t)).abs() < 1e-9 * oracle(t), "r({t})");
    }
}

#[test]
fn bounds_hold_the_rate_in_every_cell() {
    let r = RateFn::new(&[
        RateComponent::Diurnal {
            min_rps: 50.0,
            max_rps: 300.0,
            peak_s: 3000.0,
            period_s: 7200.0,
        },
        RateComponent::Spike {
            at_s: 1000.0,
            peak_rps: 400.0,
            rise_s: 90.0,
            hold_s: 200.0,
            fall_s: 0.0,
        },
        trace(),
    ])
    .with_incident(900.0, &incident(700, 170, IncidentChange::Multiply(4.0)))
    .with_incident(2000.0, &incident(600, 0, IncidentChange::Multiply(0.25)))
    .with_incident(3000.0, &incident(100, 33, IncidentChange::AddRps(77.0)));
    for cell in 0..60 {
        let (a, b) = (cell as f64 * 60.0, cell as f64 * 60.0 + 60.0);
        let (lo, hi) = r.bounds(a, b);
        // The envelope covers [a, b): a candidate at b belongs to the next cell.
        for k in 0..600 {
            let v = r.rate(a + (b - a) * k as f64 / 600.0);
            assert!(
                v >= lo - 1e-9 && v <= hi + 1e-9,
                "r = {v} outside [{lo}, {hi}] in [{a}, {b}]"
            );
        }
    }
}
