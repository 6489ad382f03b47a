//! Traffic incidents (`events: traffic_incident`) as parts of a service's
//! rate function r(t), exact like the rest of it.
//!
//! An incident's strength s(t) is a trapezoid over its window [t₀, t₁):
//! it rises linearly from 0 to 1 over the ramp, holds, and falls linearly
//! to 0 over the last ramp (a box without one). `add_rps: a` adds a·s(t) —
//! a piecewise-linear part like a spike. `multiply: m` makes the rate
//! r(t)·(1 + (m − 1)·s(t)): a `Window` adds (m − 1)·s(t)·r(t), the
//! product of the trapezoid and the scenario's own components.
//!
//! The window's integral is exact: its span is cut where the trapezoid or a
//! component bends or jumps (a ramp's or spike's corners, a trace's cells);
//! on each piece the trapezoid is linear, so ∫ (α + βx)·c(x) has a closed
//! form for every component c — a constant, a sinusoid (by parts), or a
//! line (a quadratic). The pieces' running sums are kept, so Λ(t) costs one
//! binary search and one piece. Its bounds on [a, b] are the products of
//! the trapezoid's and the components' bounds there (all four corners), a
//! valid envelope for thinning.

use super::part::Part;
use crate::spec::{IncidentChange, TrafficIncident};
use crate::units::{format_duration, nanos_to_secs};
use std::f64::consts::TAU;

/// The trapezoid of `incident` starting at `start_s`, at full strength `peak`:
/// points (t, value), 0 before the first and after the last.
pub(super) fn trapezoid(start_s: f64, incident: &TrafficIncident, peak: f64) -> Vec<(f64, f64)> {
    let end = start_s + nanos_to_secs(incident.duration_ns);
    let ramp = nanos_to_secs(incident.ramp_ns);
    vec![
        (start_s, 0.0),
        (start_s + ramp, peak),
        (end - ramp, peak),
        (end, 0.0),
    ]
}

/// What an incident does, for the event log.
pub(in crate::model) fn describe(incident: &TrafficIncident) -> String {
    let change = match incident.change {
        IncidentChange::Multiply(m) => format!("rate ×{m}"),
        IncidentChange::AddRps(a) => format!("rate +{a} rps"),
    };
    let ramp = if incident.ramp_ns > 0 {
        format!(" (ramps of {})", format_duration(incident.ramp_ns))
    } else {
        String::new()
    };
    format!(
        "TrafficIncident: {change} for {}{ramp}",
        format_duration(incident.duration_ns)
    )
}

/// A multiplicative incident: adds shape(t)·Σ base(t), shape = (m − 1)·s(t).
#[derive(Debug, Clone)]
pub(super) struct Window {
    /// (m − 1)·s(t), a piecewise-linear part (0 outside the window).
    shape: Part,
    /// Start and end of the window.
    from_s: f64,
    to_s: f64,
    /// Where the shape or a base component bends or jumps, in order, from `from_s` to `to_s`.
    breaks: Vec<f64>,
    /// cum[j] = ∫ from breaks[0] to breaks[j] of shape × base.
    cum: Vec<f64>,
}

impl Window {
    /// The window of `incident` at `start_s` multiplying the components `base` by `factor`.
    pub(super) fn new(
        start_s: f64,
        incident: &TrafficIncident,
        factor: f64,
        base: &[Part],
    ) -> Self {
        let points = trapezoid(start_s, incident, factor - 1.0);
        let (from_s, to_s) = (points[0].0, points[3].0);
        let mut breaks: Vec<f64> = points.iter().map(|p| p.0).collect();
        for p in base {
            p.breaks_in(from_s, to_s, &mut breaks);
        }
        breaks.sort_by(f64::total_cmp);
        breaks.dedup();
        let mut w = Window {
            shape: Part::Linear { points, after: 0.0 },
            from_s,
            to_s,
            breaks,
            cum: Vec::new(),
        };
        let mut sum = 0.0;
        w.cum.push(0.0);
        for j in 1..w.breaks.len() {
            sum += w.piece(w.breaks[j - 1], w.breaks[j], base);
            w.cum.push(sum);
        }
        w
    }

    /// Appends the times in (0, `end_s`) where the window's trapezoid bends,
    /// each with whether it jumps there.
    pub(super) fn corners(&self, end_s: f64, out: &mut Vec<(f64, bool)>) {
        if let Part::Linear { points, .. } = &self.shape {
            super::part::linear_corners(points, end_s, out);
        }
    }

    /// ∫ₐᵇ shape × base, for [a, b] within one piece.
    fn piece(&self, a: f64, b: f64, base: &[Part]) -> f64 {
        let h = b - a;
        if h <= 0.0 {
            return 0.0;
        }
        // The shape is linear inside the piece; read it at interior points (jumps sit on the ends).
        let (s1, s2) = (
            self.shape.rate(a + h / 4.0),
            self.shape.rate(a + 3.0 * h / 4.0),
        );
        let beta = (s2 - s1) / (h / 2.0);
        let alpha = s1 - beta * h / 4.0;
        base.iter().map(|p| p.weighted(a, b, alpha, beta)).sum()
    }

    /// What the window adds to the rate at `t`, given the base rate there.
    #[inline]
    pub(super) fn rate(&self, t: f64, base_rps: f64) -> f64 {
        if t < self.from_s || t >= self.to_s {
            return 0.0;
        }
        self.shape.rate(t) * base_rps
    }

    /// ∫₀ᵗ of what the window adds.
    pub(super) fn integral(&self, t: f64, base: &[Part]) -> f64 {
        let n = self.breaks.len();
        if t <= self.breaks[0] {
            return 0.0;
        }
        if t >= self.breaks[n - 1] {
            return self.cum[n - 1];
        }
        let j = self.breaks.partition_point(|&b| b <= t) - 1;
        self.cum[j] + self.piece(self.breaks[j], t, base)
    }

    /// (min, max) of what the window adds on [a, b], given the base's bounds there.
    pub(super) fn bounds(&self, a: f64, b: f64, base: (f64, f64)) -> (f64, f64) {
        if b <= self.from_s || a >= self.to_s {
            return (0.0, 0.0);
        }
        let (slo, shi) = self.shape.bounds(a, b);
        let corners = [slo * base.0, slo * base.1, shi * base.0, shi * base.1];
        corners
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &c| {
                (lo.min(c), hi.max(c))
            })
    }
}

/// The pieces of a component that a window's integral needs.
impl Part {
    /// Appends the times in (a, b) where this part bends or jumps.
    pub(super) fn breaks_in(&self, a: f64, b: f64, out: &mut Vec<f64>) {
        match self {
            Part::Constant(_) | Part::Diurnal { .. } => {}
            Part::Linear { points, .. } => {
                out.extend(points.iter().map(|p| p.0).filter(|&t| t > a && t < b));
            }
            Part::Trace(tr) => {
                let first = ((a - tr.start_s) / tr.step_s).floor().max(0.0) as usize;
                for k in first..=tr.rates.len() {
                    let t = tr.start_s + k as f64 * tr.step_s;
                    if t >= b || t >= tr.stop_s() {
                        break;
                    }
                    if t > a {
                        out.push(t);
                    }
                }
                let stop = tr.stop_s();
                if stop > a && stop < b {
                    out.push(stop);
                }
            }
        }
    }

    /// ∫ₐᵇ r(x)·(α + β(x − a)) dx, for [a, b] on which this part neither bends nor jumps.
    pub(super) fn weighted(&self, a: f64, b: f64, alpha: f64, beta: f64) -> f64 {
        let h = b - a;
        match self {
            Part::Constant(c) => c * (alpha * h + beta * h * h / 2.0),
            Part::Diurnal {
                min,
                max,
                peak,
                period,
            } => {
                // r = C + A·cos(ω(x − peak)); the cosine term by parts.
                let (c, amp, w) = ((min + max) / 2.0, (max - min) / 2.0, TAU / period);
                let f = |x: f64| {
                    let phase = w * (x - peak);
                    (alpha + beta * (x - a)) * phase.sin() / w + beta * phase.cos() / (w * w)
                };
                c * (alpha * h + beta * h * h / 2.0) + amp * (f(b) - f(a))
            }
            Part::Linear { .. } | Part::Trace(_) => {
                // Linear inside: read it at interior points (jumps sit on the ends).
                let (r1, r2) = (self.rate(a + h / 4.0), self.rate(a + 3.0 * h / 4.0));
                let slope = (r2 - r1) / (h / 2.0);
                let r0 = r1 - slope * h / 4.0;
                alpha * r0 * h
                    + (alpha * slope + beta * r0) * h * h / 2.0
                    + beta * slope * h * h * h / 3.0
            }
        }
    }
}

#[cfg(test)]
#[path = "incident_tests.rs"]
mod tests;
