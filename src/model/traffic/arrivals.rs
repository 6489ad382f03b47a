//! Arrival times from a rate function: exact Poisson, or deterministic.
//!
//! Poisson arrivals use thinning (Lewis–Shedler) under a piecewise-constant
//! envelope: time is cut into cells, each with the maximum of r(t) on it as
//! the bound. The cells are a grid of at most 60 s; a grid cell whose bound
//! would draw more than twice its expected arrivals (plus
//! [`WASTE_ALLOWANCE`]) — a short spike or incident, a jump at its end — is
//! cut again where the rate bends or jumps, so a millisecond spike costs
//! candidates for a millisecond, not for a minute, and every other cell
//! (and so every ordinary arrival stream) is as on the plain grid. A candidate that would cross into the next cell is discarded
//! and the draw restarts at the boundary, which is exact because the
//! exponential distribution is memoryless. Cells where r is constant accept
//! every candidate without a second draw; elsewhere a candidate whose
//! uniform draw falls under the cell's minimum of r is accepted without
//! evaluating r (a squeeze: the same decision, since r ≥ that minimum).
//!
//! Deterministic arrivals are evenly spaced in operational time: the k-th
//! (from 0) arrives where Λ(t) = k + ½, found by safeguarded Newton steps.
//! Over a window whose Λ is a whole number N this gives exactly N arrivals.

use crate::engine::rng::{SimRng, exp1};
use crate::model::traffic::rate::RateFn;
use crate::spec::Arrivals;
use crate::units::Nanos;
use crate::units::convert::f64_as_nanos;
use rand::RngExt;

/// Candidates a grid cell may draw beyond twice its expected arrivals
/// before it is cut at the rate's corners.
pub const WASTE_ALLOWANCE: f64 = 100.0;

/// Generates the arrival times of one service, in order.
#[derive(Debug, Clone)]
pub struct ArrivalGen {
    kind: Arrivals,
    rate: RateFn,
    end_s: f64,
    cell_w: f64,
    /// Where r bends or jumps (ramps, spikes, incidents), in order, and
    /// whether it jumps there: cells end there too.
    breaks: Vec<(f64, bool)>,
    /// Index into `breaks` of the first one after the current cell's start.
    next_break: usize,
    /// Index of the grid cell the current cell lies in.
    cell: u64,
    /// Whether that grid cell is cut at the rate's corners.
    refined: bool,
    cell_end: f64,
    /// Λ(cell_end), for deterministic arrivals.
    cell_end_integral: f64,
    bound: f64,
    /// 1 / `bound`: a gap is a standard exponential times it, as
    /// `rand_distr::Exp` draws (a multiply, where a divide would stall).
    inv_bound: f64,
    /// The minimum of r on the current cell.
    floor: f64,
    flat: bool,
    /// Time of the last arrival (or cell boundary) reached.
    t: f64,
    /// Deterministic: Λ target of the next arrival.
    target: f64,
}

impl ArrivalGen {
    /// A generator for `rate` over [0, `end_s`).
    pub fn new(kind: Arrivals, rate: RateFn, end_s: f64) -> Self {
        let cell_w = if rate.is_constant() {
            end_s
        } else {
            rate.cell_width_s()
        };
        let breaks = rate.breakpoints(end_s);
        let mut g = ArrivalGen {
            kind,
            rate,
            end_s,
            cell_w,
            breaks,
            next_break: 0,
            cell: 0,
            refined: false,
            cell_end: 0.0,
            cell_end_integral: 0.0,
            bound: 0.0,
            inv_bound: 0.0,
            floor: 0.0,
            flat: true,
            t: 0.0,
            target: 0.5,
        };
        g.enter_grid_cell(0);
        g
    }

    /// The rate function arrivals follow.
    pub fn rate(&self) -> &RateFn {
        &self.rate
    }

    /// The end of grid cell `cell`.
    fn grid_end(&self, cell: u64) -> f64 {
        (cell as f64 * self.cell_w + self.cell_w).min(self.end_s)
    }

    /// Enters grid cell `cell`: one envelope cell, or, if its bound would
    /// waste candidates (Poisson only), the first of its pieces.
    fn enter_grid_cell(&mut self, cell: u64) {
        let start = cell as f64 * self.cell_w;
        let end = self.grid_end(cell);
        self.cell = cell;
        let (lo, hi) = self.rate.bounds(start, end);
        self.refined = self.kind == Arrivals::Poisson && !self.breaks.is_empty() && {
            let expected = self.rate.integral(end) - self.rate.integral(start);
            hi * (end - start) > 2.0 * expected + WASTE_ALLOWANCE
        };
        if self.refined {
            self.enter_piece(start);
            return;
        }
        self.cell_end = end;
        self.bound = hi;
        self.inv_bound = 1.0 / hi;
        self.floor = lo;
        self.flat = lo == hi;
        if self.kind == Arrivals::Deterministic {
            self.cell_end_integral = self.rate.integral(self.cell_end);
        }
        self.t = self.t.max(start);
    }

    /// Enters the piece of the current (refined) grid cell from `start`: it
    /// ends at the grid cell's end or at the next breakpoint, whichever
    /// comes first.
    fn enter_piece(&mut self, start: f64) {
        while self
            .breaks
            .get(self.next_break)
            .is_some_and(|&(b, _)| b <= start)
        {
            self.next_break += 1;
        }
        let grid_end = self.grid_end(self.cell);
        let (end, jump) = match self.breaks.get(self.next_break) {
            Some(&(b, jump)) if b <= grid_end => (b, jump),
            _ => (grid_end, false),
        };
        self.cell_end = end;
        // Candidates fall in [start, end): where r jumps at `end`, bound it
        // up to the float just below (the rate after the jump is not in the cell).
        let last = if jump && end > start {
            f64::from_bits(end.to_bits() - 1).max(start)
        } else {
            end
        };
        let (lo, hi) = self.rate.bounds(start, last);
        self.bound = hi;
        self.inv_bound = 1.0 / hi;
        self.floor = lo;
        self.flat = lo == hi;
        self.t = self.t.max(start);
    }

    fn next_cell(&mut self) -> bool {
        if self.cell_end >= self.end_s {
            self.t = self.end_s;
            return false;
        }
        self.t = self.cell_end;
        if self.refined && self.cell_end < self.grid_end(self.cell) {
            self.enter_piece(self.cell_end);
        } else {
            self.enter_grid_cell(self.cell + 1);
        }
        true
    }

    /// The next arrival time, or `None` when there are no more before the end.
    #[inline(always)]
    pub fn next(&mut self, rng: &mut SimRng) -> Option<Nanos> {
        let t = match self.kind {
            Arrivals::Poisson => self.next_poisson(rng)?,
            Arrivals::Deterministic => self.next_deterministic()?,
        };
        // t ≥ 0: rounding half up by truncation (f64::round is a library call).
        Some(f64_as_nanos(t * 1e9 + 0.5))
    }

    #[inline(always)]
    fn next_poisson(&mut self, rng: &mut SimRng) -> Option<f64> {
        loop {
            if self.bound > 0.0 {
                let gap = exp1(rng) * self.inv_bound;
                let candidate = self.t + gap;
                if candidate < self.cell_end {
                    self.t = candidate;
                    if self.flat {
                        return Some(candidate);
                    }
                    let u = rng.random::<f64>() * self.bound;
                    if u < self.floor || u < self.rate.rate(candidate) {
                        return Some(candidate);
                    }
                    continue;
                }
            }
            if !self.next_cell() {
                return None;
            }
        }
    }

    fn next_deterministic(&mut self) -> Option<f64> {
        // Skip cells whose end is not yet past the target.
        while self.cell_end_integral < self.target {
            if !self.next_cell() {
                return None;
            }
        }
        let (mut lo, mut hi) = (self.t, self.cell_end);
        let target = self.target;
        let f = |x: f64| self.rate.integral(x) - target;
        let mut x = lo;
        for _ in 0..200 {
            let fx = f(x);
            if fx == 0.0 {
                break;
            }
            if fx < 0.0 {
                lo = x;
            } else {
                hi = x;
            }
            let r = self.rate.rate(x);
            let newton = if r > 0.0 { x - fx / r } else { f64::NAN };
            let next = if newton > lo && newton < hi {
                newton
            } else {
                (lo + hi) / 2.0
            };
            if (next - x).abs() <= 1e-10 || hi - lo <= 1e-10 {
                x = if fx < 0.0 { next.max(x) } else { x };
                break;
            }
            x = next;
        }
        if x >= self.end_s {
            return None;
        }
        self.t = x;
        self.target += 1.0;
        Some(x)
    }
}

#[cfg(test)]
#[path = "arrivals_tests.rs"]
mod envelope_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::RateComponent;
    use rand::SeedableRng;

    fn generator(kind: Arrivals, parts: Vec<RateComponent>, end_s: f64) -> ArrivalGen {
        ArrivalGen::new(kind, RateFn::new(&parts), end_s)
    }

    #[test]
    fn deterministic_constant_rate_is_evenly_spaced() {
        let mut g = generator(
            Arrivals::Deterministic,
            vec![RateComponent::Constant { rps: 4.0 }],
            2.0,
        );
        let mut rng = SimRng::seed_from_u64(1);
        let times: Vec<Nanos> = std::iter::from_fn(|| g.next(&mut rng)).collect();
        assert_eq!(
            times,
            vec![
                125_000_000,
                375_000_000,
                625_000_000,
                875_000_000,
                1_125_000_000,
                1_375_000_000,
                1_625_000_000,
                1_875_000_000
            ]
        );
    }

    #[test]
    fn deterministic_count_equals_integral_of_a_ramp() {
        let ramp = RateComponent::Ramp {
            from_rps: 0.0,
            to_rps: 100.0,
            start_s: 0.0,
            end_s: 100.0,
        };
        let mut g = generator(Arrivals::Deterministic, vec![ramp], 100.0);
        let mut rng = SimRng::seed_from_u64(1);
        let times: Vec<Nanos> = std::iter::from_fn(|| g.next(&mut rng)).collect();
        assert_eq!(times.len(), 5000);
        assert!(times.windows(2).all(|w| w[0] < w[1]));
        // The k-th arrival is where 0.5 t² = k + 0.5.
        let expected = ((2.0f64 * 2499.5).sqrt() * 1e9).round() as Nanos;
        assert!(
            times[2499].abs_diff(expected) <= 2,
            "{} vs {expected}",
            times[2499]
        );
    }

    #[test]
    fn poisson_count_matches_integral_of_a_diurnal_day() {
        // Λ = 86,400 · 50 = 4,320,000; the count is Poisson, so σ ≈ 2,078.
        let diurnal = RateComponent::Diurnal {
            min_rps: 10.0,
            max_rps: 90.0,
            peak_s: 72_000.0,
            period_s: 86_400.0,
        };
        let mut g = generator(Arrivals::Poisson, vec![diurnal], 86_400.0);
        let mut rng = SimRng::seed_from_u64(7);
        let mut per_hour = [0u64; 24];
        let mut count = 0u64;
        while let Some(t) = g.next(&mut rng) {
            per_hour[(t / 3_600_000_000_000) as usize] += 1;
            count += 1;
        }
        assert!(
            (count as f64 - 4_320_000.0).abs() < 5.0 * 2_078.0,
            "{count}"
        );
        // Each hour's count against its own integral (5 σ).
        let rate = RateFn::new(&[RateComponent::Diurnal {
            min_rps: 10.0,
            max_rps: 90.0,
            peak_s: 72_000.0,
            period_s: 86_400.0,
        }]);
        for (h, n) in per_hour.iter().enumerate() {
            let expected =
                rate.integral((h + 1) as f64 * 3600.0) - rate.integral(h as f64 * 3600.0);
            assert!(
                (*n as f64 - expected).abs() < 5.0 * expected.sqrt(),
                "hour {h}: {n} vs {expected}"
            );
        }
    }
}
