//! The rate function r(t) of a service: value, integral and bounds.
//!
//! r(t) is the sum of the scenario's rate components, changed by the
//! service's traffic incidents (`incident`). Arrival generators
//! need three things of it: its value (thinning), its integral Λ(t) from 0
//! (deterministic arrivals, expected request counts) and tight bounds on
//! short intervals (the thinning envelope). All are exact for every
//! component; times are seconds from the start of the run.

use super::incident::{Window, trapezoid};
use super::part::{Part, TraceFn, linear_corners};
use crate::spec::{EventKind, IncidentChange, RateComponent, Scenario, TrafficIncident};
use crate::units::nanos_to_secs;

/// Service `i`'s rate function: its components, changed by its incidents.
pub(in crate::model) fn service_rate(scenario: &Scenario, i: usize) -> RateFn {
    let own = RateFn::new(&scenario.services[i].traffic.rate);
    scenario.events.iter().fold(own, |rate, e| match &e.kind {
        EventKind::TrafficIncident { service, incident } if *service == i => {
            rate.with_incident(nanos_to_secs(e.at_ns), incident)
        }
        _ => rate,
    })
}

/// r(t) = the sum of a service's rate components, changed by its incidents.
#[derive(Debug, Clone)]
pub struct RateFn {
    /// The components, then the additive incidents.
    parts: Vec<Part>,
    /// How many of `parts` are the scenario's own components.
    base: usize,
    /// Multiplicative incidents (over the components only).
    windows: Vec<Window>,
}

impl RateFn {
    /// Builds the rate function of the given components.
    pub fn new(components: &[RateComponent]) -> Self {
        let parts = components
            .iter()
            .map(|c| match c {
                RateComponent::Constant { rps } => Part::Constant(*rps),
                RateComponent::Diurnal {
                    min_rps,
                    max_rps,
                    peak_s,
                    period_s,
                } => Part::Diurnal {
                    min: *min_rps,
                    max: *max_rps,
                    peak: *peak_s,
                    period: *period_s,
                },
                RateComponent::Ramp {
                    from_rps,
                    to_rps,
                    start_s,
                    end_s,
                } => Part::Linear {
                    points: vec![(*start_s, *from_rps), (*end_s, *to_rps)],
                    after: *to_rps,
                },
                RateComponent::Spike {
                    at_s,
                    peak_rps,
                    rise_s,
                    hold_s,
                    fall_s,
                } => {
                    let top = at_s + rise_s;
                    let down = top + hold_s;
                    Part::Linear {
                        points: vec![
                            (*at_s, 0.0),
                            (top, *peak_rps),
                            (down, *peak_rps),
                            (down + fall_s, 0.0),
                        ],
                        after: 0.0,
                    }
                }
                RateComponent::Trace(t) => Part::Trace(TraceFn::new(t)),
            })
            .collect::<Vec<Part>>();
        RateFn {
            base: parts.len(),
            parts,
            windows: Vec::new(),
        }
    }

    /// This rate changed by `incident` from `start_s` on (incidents do not
    /// compound: a multiplicative one scales the components only).
    pub fn with_incident(mut self, start_s: f64, incident: &TrafficIncident) -> Self {
        match incident.change {
            IncidentChange::AddRps(rps) => self.parts.push(Part::Linear {
                points: trapezoid(start_s, incident, rps),
                after: 0.0,
            }),
            IncidentChange::Multiply(m) => {
                let w = Window::new(start_s, incident, m, &self.parts[..self.base]);
                self.windows.push(w);
            }
        }
        self
    }

    /// r(t), requests per second.
    #[inline]
    pub fn rate(&self, t: f64) -> f64 {
        let base: f64 = self.parts[..self.base].iter().map(|p| p.rate(t)).sum();
        let extra: f64 = self.parts[self.base..].iter().map(|p| p.rate(t)).sum();
        let scaled: f64 = self.windows.iter().map(|w| w.rate(t, base)).sum();
        (base + extra + scaled).max(0.0)
    }

    /// Λ(t) = ∫₀ᵗ r, the expected number of arrivals by `t`.
    pub fn integral(&self, t: f64) -> f64 {
        let parts: f64 = self.parts.iter().map(|p| p.integral(t)).sum();
        let base = &self.parts[..self.base];
        parts
            + self
                .windows
                .iter()
                .map(|w| w.integral(t, base))
                .sum::<f64>()
    }

    /// (min, max) of r on [a, b].
    pub fn bounds(&self, a: f64, b: f64) -> (f64, f64) {
        let sum = |parts: &[Part]| {
            parts.iter().fold((0.0, 0.0), |(lo, hi), p| {
                let (l, h) = p.bounds(a, b);
                (lo + l, hi + h)
            })
        };
        let base = sum(&self.parts[..self.base]);
        let extra = sum(&self.parts[self.base..]);
        self.windows
            .iter()
            .fold((base.0 + extra.0, base.1 + extra.1), |(lo, hi), w| {
                let (l, h) = w.bounds(a, b, base);
                (lo + l, hi + h)
            })
    }

    /// The times in (0, `end_s`) where a ramp, spike or traffic incident
    /// bends or jumps, in order, each with whether r jumps there. The
    /// thinning envelope cuts its cells there too, so a short spike costs
    /// candidates in proportion to its own length, not to a whole cell's.
    pub fn breakpoints(&self, end_s: f64) -> Vec<(f64, bool)> {
        let mut out = Vec::new();
        for p in &self.parts {
            if let Part::Linear { points, .. } = p {
                linear_corners(points, end_s, &mut out);
            }
        }
        for w in &self.windows {
            w.corners(end_s, &mut out);
        }
        out.sort_by(|a, b| a.0.total_cmp(&b.0));
        out.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            kept.1 |= same && later.1;
            same
        });
        out
    }

    /// True when r is the same at every time.
    pub fn is_constant(&self) -> bool {
        self.windows.is_empty() && self.parts.iter().all(|p| matches!(p, Part::Constant(_)))
    }

    /// A span short enough that bounds over it are tight (the thinning envelope's cell).
    pub fn cell_width_s(&self) -> f64 {
        self.parts
            .iter()
            .filter_map(|p| match p {
                Part::Trace(t) => Some(t.step_s),
                _ => None,
            })
            .fold(60.0, f64::min)
    }
}
