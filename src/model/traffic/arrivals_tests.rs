//! The thinning envelope follows the rate's breakpoints (issue 12 p).
//!
//! A Poisson generator draws about Σ bound × width candidates over its
//! cells (the envelope's mass), whatever it accepts. With 60 s cells bounded
//! by their peak, a 1 ms spike of 10⁹ requests/s cost 6 × 10¹⁰ candidates;
//! with cells cut at the spike's corners it costs what the spike brings,
//! 10⁶. The expected values are integrals of the rate by hand.

use super::*;
use crate::spec::RateComponent;
use rand::SeedableRng;

/// 100 requests/s, plus 10⁹ requests/s from 600 s for 1 ms (no ramps).
fn spiky() -> RateFn {
    RateFn::new(&[
        RateComponent::Constant { rps: 100.0 },
        RateComponent::Spike {
            at_s: 600.0,
            peak_rps: 1e9,
            rise_s: 0.0,
            hold_s: 0.001,
            fall_s: 0.0,
        },
    ])
}

/// (start, end, bound) of every envelope cell of `g`, from its first.
fn cells(mut g: ArrivalGen) -> Vec<(f64, f64, f64)> {
    let mut out = Vec::new();
    let mut start = 0.0;
    loop {
        out.push((start, g.cell_end, g.bound));
        start = g.cell_end;
        if !g.next_cell() {
            return out;
        }
    }
}

#[test]
fn a_millisecond_spike_costs_a_millisecond_of_candidates() {
    let cells = cells(ArrivalGen::new(Arrivals::Poisson, spiky(), 1200.0));
    let mass: f64 = cells.iter().map(|(a, b, bound)| (b - a) * bound).sum();
    // Λ(1200 s) = 100 × 1200 + 10⁹ × 0.001 = 1,120,000.
    let lambda = 1_120_000.0;
    assert!(
        (mass - lambda).abs() < 1e-3 * lambda,
        "envelope mass {mass} vs Λ {lambda}"
    );
    // The spike has a cell of its own, [600, 600.001), bounded by its peak.
    let spike: Vec<_> = cells.iter().filter(|c| c.2 > 1e3).collect();
    assert_eq!(spike.len(), 1, "{spike:?}");
    assert_eq!(spike[0].0, 600.0);
    assert!((spike[0].1 - 600.001).abs() < 1e-12);
    // The grid is kept elsewhere: [540, 600) ends at the spike, then 600.001 → 660.
    assert!(cells.contains(&(540.0, 600.0, 100.0)));
    assert!(cells.iter().any(|c| c.1 == 660.0 && c.2 == 100.0));
}

#[test]
fn ordinary_rates_keep_the_grid() {
    // A ramp, and a spike of minutes whose corners fall inside cells (the
    // golden `plain` scenario's: 60 + 240 from 300 s, rise 30 s, hold 60 s,
    // fall 30 s). The spike's worst cell, [300, 360), has bound 300 over
    // 60 s = 18,000 candidates for Λ = 60 × 60 + 240 × (15 + 30) = 14,400
    // expected arrivals, well under twice: every cell stays the 60 s grid,
    // so these arrival streams are as before.
    let grid: Vec<(f64, f64)> = (0..8)
        .map(|k| (60.0 * k as f64, 60.0 * (k + 1) as f64))
        .collect();
    let ramp = RateFn::new(&[RateComponent::Ramp {
        from_rps: 10.0,
        to_rps: 70.0,
        start_s: 60.0,
        end_s: 100.0,
    }]);
    let spike = RateFn::new(&[
        RateComponent::Constant { rps: 60.0 },
        RateComponent::Spike {
            at_s: 300.0,
            peak_rps: 240.0,
            rise_s: 30.0,
            hold_s: 60.0,
            fall_s: 30.0,
        },
    ]);
    for rate in [ramp, spike] {
        let edges: Vec<(f64, f64)> = cells(ArrivalGen::new(Arrivals::Poisson, rate, 480.0))
            .iter()
            .map(|c| (c.0, c.1))
            .collect();
        assert_eq!(edges, grid);
    }
}

#[test]
fn spike_arrivals_match_the_integral() {
    // Poisson counts: within 5 standard deviations (√Λ) of Λ, per window.
    let mut g = ArrivalGen::new(Arrivals::Poisson, spiky(), 1200.0);
    let mut rng = SimRng::seed_from_u64(12);
    let (mut in_spike, mut total) = (0u64, 0u64);
    while let Some(t) = g.next(&mut rng) {
        total += 1;
        in_spike += u64::from((600_000_000_000..600_001_000_000).contains(&t));
    }
    let near = |n: u64, lambda: f64| (n as f64 - lambda).abs() < 5.0 * lambda.sqrt();
    // Λ over [600, 600.001) = (10⁹ + 100) × 0.001 = 1,000,000.1.
    assert!(near(in_spike, 1_000_000.1), "{in_spike}");
    assert!(near(total, 1_120_000.0), "{total}");
}
