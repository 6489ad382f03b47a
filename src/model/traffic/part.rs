//! The pieces a rate function is the sum of (`Part`): a constant, a
//! sinusoid, a piecewise-linear curve (ramps, spikes, additive incidents) and
//! a trace with its running integral; each with its value, integral and
//! bounds, exact. [`super::rate::RateFn`] adds them up; a multiplicative
//! incident ([`super::incident`]) weighs them.

use crate::spec::{Interpolation, TraceRate};
use std::f64::consts::TAU;

/// A trace with its running integral precomputed.
#[derive(Debug, Clone)]
pub(super) struct TraceFn {
    pub(super) start_s: f64,
    pub(super) step_s: f64,
    pub(super) rates: Vec<f64>,
    /// prefix[k] = ∫ from start_s over the first k cells.
    prefix: Vec<f64>,
    end_s: f64,
    linear: bool,
    /// ∫ from start_s to scenario time 0 (subtracted so integrals start at 0).
    before_start: f64,
}

impl TraceFn {
    /// The trace with its running integral.
    pub(super) fn new(t: &TraceRate) -> Self {
        let linear = t.interpolation == Interpolation::Linear;
        let n = t.rates_rps.len();
        let mut prefix = Vec::with_capacity(n + 1);
        let mut sum = 0.0;
        prefix.push(0.0);
        for k in 0..n {
            let next = if linear && k + 1 < n {
                t.rates_rps[k + 1]
            } else {
                t.rates_rps[k]
            };
            sum += t.step_s * (t.rates_rps[k] + next) / 2.0;
            prefix.push(sum);
        }
        let mut f = TraceFn {
            start_s: t.start_s,
            step_s: t.step_s,
            rates: t.rates_rps.clone(),
            prefix,
            end_s: t.end_s,
            linear,
            before_start: 0.0,
        };
        f.before_start = f.integral_to(0.0);
        f
    }

    /// Scenario time where the data stops (end of the last cell, or `to`).
    pub(super) fn stop_s(&self) -> f64 {
        self.end_s
            .min(self.start_s + self.step_s * self.rates.len() as f64)
    }

    /// Cell index and offset into it for scenario time `t`, if `t` is inside the data.
    fn locate(&self, t: f64) -> Option<(usize, f64)> {
        if t >= self.stop_s() {
            return None;
        }
        let u = t - self.start_s;
        if u < 0.0 {
            return None;
        }
        let k = ((u / self.step_s) as usize).min(self.rates.len() - 1);
        Some((k, u - k as f64 * self.step_s))
    }

    fn slope(&self, k: usize) -> f64 {
        if self.linear && k + 1 < self.rates.len() {
            (self.rates[k + 1] - self.rates[k]) / self.step_s
        } else {
            0.0
        }
    }

    fn rate(&self, t: f64) -> f64 {
        match self.locate(t) {
            Some((k, off)) => self.rates[k] + self.slope(k) * off,
            None => 0.0,
        }
    }

    /// ∫ from start_s to x (x clipped to the data).
    fn integral_to(&self, x: f64) -> f64 {
        let x = x.min(self.stop_s());
        let u = x - self.start_s;
        if u <= 0.0 {
            return 0.0;
        }
        let k = ((u / self.step_s) as usize).min(self.rates.len() - 1);
        let off = u - k as f64 * self.step_s;
        self.prefix[k] + self.rates[k] * off + self.slope(k) * off * off / 2.0
    }

    fn bounds(&self, a: f64, b: f64) -> (f64, f64) {
        let (mut lo, mut hi) = (self.rate(a), self.rate(a));
        let inside_all = a >= self.start_s && b <= self.stop_s();
        if !inside_all {
            lo = 0.0;
        }
        let first = ((a - self.start_s) / self.step_s).floor().max(0.0) as usize;
        let last =
            (((b - self.start_s) / self.step_s).ceil().max(0.0) as usize).min(self.rates.len());
        for k in first..last {
            let cell_start = self.start_s + k as f64 * self.step_s;
            if cell_start >= self.stop_s() {
                break;
            }
            let v = self.rates[k];
            lo = lo.min(v);
            hi = hi.max(v);
            if self.linear && k + 1 < self.rates.len() {
                hi = hi.max(self.rates[k + 1]);
                lo = lo.min(self.rates[k + 1]);
            }
        }
        (lo, hi)
    }
}

/// One component in evaluable form.
#[derive(Debug, Clone)]
pub(super) enum Part {
    Constant(f64),
    Diurnal {
        min: f64,
        max: f64,
        peak: f64,
        period: f64,
    },
    /// Piecewise linear through `points` (t, r); flat before the first and after the last.
    Linear {
        points: Vec<(f64, f64)>,
        after: f64,
    },
    Trace(TraceFn),
}

impl Part {
    pub(super) fn rate(&self, t: f64) -> f64 {
        match self {
            Part::Constant(r) => *r,
            Part::Diurnal {
                min,
                max,
                peak,
                period,
            } => min + (max - min) * (1.0 + (TAU * (t - peak) / period).cos()) / 2.0,
            Part::Linear { points, after } => linear_rate(points, *after, t),
            Part::Trace(tr) => tr.rate(t),
        }
    }

    /// ∫₀ᵗ of this part.
    pub(super) fn integral(&self, t: f64) -> f64 {
        match self {
            Part::Constant(r) => r * t,
            Part::Diurnal {
                min,
                max,
                peak,
                period,
            } => {
                let w = TAU / period;
                let amp = (max - min) / 2.0;
                min * t + amp * (t + ((w * (t - peak)).sin() - (w * -peak).sin()) / w)
            }
            Part::Linear { points, after } => linear_integral(points, *after, t),
            Part::Trace(tr) => tr.integral_to(t) - tr.before_start,
        }
    }

    pub(super) fn bounds(&self, a: f64, b: f64) -> (f64, f64) {
        let ends = (
            self.rate(a).min(self.rate(b)),
            self.rate(a).max(self.rate(b)),
        );
        match self {
            Part::Constant(r) => (*r, *r),
            Part::Diurnal {
                min,
                max,
                peak,
                period,
            } => {
                let contains = |phase: f64| {
                    let k = ((a - phase) / period).ceil();
                    phase + k * period <= b
                };
                let hi = if contains(*peak) { *max } else { ends.1 };
                let lo = if contains(peak + period / 2.0) {
                    *min
                } else {
                    ends.0
                };
                (lo, hi)
            }
            Part::Linear { points, .. } => points
                .iter()
                .filter(|(t, _)| *t > a && *t < b)
                .fold(ends, |(lo, hi), (_, r)| (lo.min(*r), hi.max(*r))),
            Part::Trace(tr) => tr.bounds(a, b),
        }
    }
}

/// Rate at `t` of a piecewise-linear function: `points[0].1` before the first
/// point, linear between points, `after` from the last point on.
fn linear_rate(points: &[(f64, f64)], after: f64, t: f64) -> f64 {
    match points.iter().position(|(pt, _)| t < *pt) {
        Some(0) => points[0].1,
        Some(i) => {
            let ((t0, r0), (t1, r1)) = (points[i - 1], points[i]);
            r0 + (r1 - r0) * (t - t0) / (t1 - t0)
        }
        None => after,
    }
}

/// Appends the corners in (0, `end_s`) of the piecewise-linear function
/// through `points`, each with whether it jumps there (two points at one
/// time with different values).
pub(super) fn linear_corners(points: &[(f64, f64)], end_s: f64, out: &mut Vec<(f64, bool)>) {
    for (i, &(t, r)) in points.iter().enumerate() {
        if t > 0.0 && t < end_s {
            let jump = points
                .get(i + 1)
                .is_some_and(|&(t2, r2)| t2 == t && r2 != r);
            out.push((t, jump));
        }
    }
}

/// ∫₀ᵗ of the piecewise-linear function of [`linear_rate`].
fn linear_integral(points: &[(f64, f64)], after: f64, t: f64) -> f64 {
    if t <= 0.0 {
        return 0.0;
    }
    // Integral of the line through (ta, ra), (tb, rb) over its part inside [0, t].
    let segment = |ta: f64, ra: f64, tb: f64, rb: f64| -> f64 {
        let (x0, x1) = (ta.max(0.0), tb.min(t));
        if x1 <= x0 {
            return 0.0;
        }
        let f = |x: f64| {
            if tb.is_finite() && ta.is_finite() {
                ra + (rb - ra) * (x - ta) / (tb - ta)
            } else {
                ra
            }
        };
        (x1 - x0) * (f(x0) + f(x1)) / 2.0
    };
    let (first, last) = (points[0], points[points.len() - 1]);
    let mut total = segment(f64::NEG_INFINITY, first.1, first.0, first.1);
    for w in points.windows(2) {
        if w[1].0 > w[0].0 {
            total += segment(w[0].0, w[0].1, w[1].0, w[1].1);
        }
    }
    total + segment(last.0, after, f64::INFINITY, after)
}
