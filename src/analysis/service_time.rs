//! How long a request holds a worker slot, X = cpu·G + io, as a
//! distribution the capacity model can compute with: mean, squared
//! coefficient of variation, survival function P(X > t), and expectations
//! E\[g(X)\] over weighted nodes. G ≥ 1 is the CPU slowdown a request meets
//! (a discrete distribution, from [`super::capacity`]).
//!
//! Nodes split the probability into cells — equal cells up to the 90th
//! percentile, then geometric cells per decade of tail probability down to
//! 10⁻⁹, and one last cell — each weighted by its probability. A work
//! distribution puts each cell's weight on the quantile at the cell's
//! (geometric) middle; a set of weighted atoms (cpu·G) is compressed onto
//! the same cells by the mean value within each. The tail is resolved
//! finely because the SLO quantiles (p99, p99.9) live there. The survival
//! function stays exact in the CPU work (or, with constant CPU work, in the
//! I/O wait) and sums over the nodes of the other parts.

use crate::spec::WorkDist;
use statrs::distribution::{ContinuousCDF, Gamma};
use statrs::function::erf::{erfc, erfc_inv};
use std::f64::consts::SQRT_2;

/// Equal cells below the 90th percentile.
const BODY_CELLS: u32 = 40;
/// Geometric cells per decade of tail probability.
const CELLS_PER_DECADE: u32 = 12;
/// Decades of tail probability resolved (0.1 down to 10⁻⁹).
const TAIL_DECADES: u32 = 8;

/// P(X > t) for a work distribution (seconds).
pub fn survival(d: &WorkDist, t: f64) -> f64 {
    match *d {
        WorkDist::Constant { secs } => f64::from(u8::from(t < secs)),
        _ if t <= 0.0 => 1.0,
        WorkDist::Exponential { mean_s } if mean_s <= 0.0 => 0.0,
        WorkDist::Exponential { mean_s } => (-t / mean_s).exp(),
        WorkDist::Lognormal { mu, sigma } if sigma <= 0.0 => f64::from(u8::from(t < mu.exp())),
        WorkDist::Lognormal { mu, sigma } => 0.5 * erfc((t.ln() - mu) / (sigma * SQRT_2)),
        WorkDist::Gamma { shape, scale_s } => gamma(shape, scale_s).sf(t),
        WorkDist::Uniform { min_s, .. } if t < min_s => 1.0,
        WorkDist::Uniform { max_s, .. } if t >= max_s => 0.0,
        WorkDist::Uniform { min_s, max_s } => (max_s - t) / (max_s - min_s),
    }
}

/// The value exceeded with probability `p_tail` ∈ (0, 1): the (1 − p_tail)-quantile.
pub fn upper_quantile(d: &WorkDist, p_tail: f64) -> f64 {
    match *d {
        WorkDist::Constant { secs } => secs,
        WorkDist::Exponential { mean_s } => -mean_s * p_tail.ln(),
        // Φ⁻¹(1 − p) = √2·erfc⁻¹(2p), accurate for tiny p.
        WorkDist::Lognormal { mu, sigma } => (mu + sigma * SQRT_2 * erfc_inv(2.0 * p_tail)).exp(),
        WorkDist::Gamma { shape, scale_s } => gamma(shape, scale_s).inverse_cdf(1.0 - p_tail),
        WorkDist::Uniform { min_s, max_s } => max_s - p_tail * (max_s - min_s),
    }
}

/// Variance, seconds².
pub fn variance_s2(d: &WorkDist) -> f64 {
    match *d {
        WorkDist::Constant { .. } => 0.0,
        WorkDist::Exponential { mean_s } => mean_s * mean_s,
        WorkDist::Lognormal { mu, sigma } => {
            let s2 = sigma * sigma;
            s2.exp_m1() * (2.0 * mu + s2).exp()
        }
        WorkDist::Gamma { shape, scale_s } => shape * scale_s * scale_s,
        WorkDist::Uniform { min_s, max_s } => (max_s - min_s).powi(2) / 12.0,
    }
}

fn gamma(shape: f64, scale_s: f64) -> Gamma {
    Gamma::new(shape, 1.0 / scale_s).expect("validated gamma parameters")
}

/// Cell boundaries as tail probabilities, from 1 down to 0.
fn boundaries() -> Vec<f64> {
    let mut out: Vec<f64> = (0..=BODY_CELLS)
        .map(|i| 1.0 - 0.9 * f64::from(i) / f64::from(BODY_CELLS))
        .collect();
    for i in 1..=CELLS_PER_DECADE * TAIL_DECADES {
        out.push(10f64.powf(-1.0 - f64::from(i) / f64::from(CELLS_PER_DECADE)));
    }
    out.push(0.0);
    out
}

/// Weighted quantile nodes (value, weight) of `d`, in increasing value.
pub fn nodes(d: &WorkDist) -> Vec<(f64, f64)> {
    if let WorkDist::Constant { secs } = *d {
        return vec![(secs, 1.0)];
    }
    let b = boundaries();
    let mut out: Vec<(f64, f64)> = b
        .windows(2)
        .map(|w| {
            let (hi, lo) = (w[0], w[1]);
            let mid = match (hi > 0.1 + 1e-12, lo > 0.0) {
                (true, _) => (hi + lo) / 2.0,
                (false, true) => (hi * lo).sqrt(),
                (false, false) => hi / 2.0,
            };
            (upper_quantile(d, mid), hi - lo)
        })
        .collect();
    // Quantiles of continuous distributions far in the tail can tie; keep one node per value.
    out.dedup_by(|later, earlier| {
        let same = later.0 <= earlier.0;
        if same {
            earlier.1 += later.1;
        }
        same
    });
    out
}

/// Compresses weighted atoms onto the cells: the weight-averaged value of the
/// atoms (or parts of atoms) in each cell. Keeps the mean; sorts `atoms`.
pub fn compress(atoms: &mut [(f64, f64)]) -> Vec<(f64, f64)> {
    atoms.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total: f64 = atoms.iter().map(|a| a.1).sum();
    let b = boundaries();
    // Walking down from the largest value, the tail mass `cum` fills cell j,
    // which ends where the tail probability reaches b[j].
    let mut j = b.len() - 2;
    let (mut cum, mut sum, mut mass) = (0.0, 0.0, 0.0);
    // The values in the cell so far (the mean is clamped into them against rounding).
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut out = Vec::with_capacity(b.len());
    for &(v, w) in atoms.iter() {
        let mut left = w / total;
        loop {
            let take = if j == 0 {
                left
            } else {
                left.min((b[j] - cum).max(0.0))
            };
            if take > 0.0 {
                sum += take * v;
                mass += take;
                cum += take;
                left -= take;
                (lo, hi) = (lo.min(v), hi.max(v));
            }
            if left <= 0.0 {
                break;
            }
            if mass > 0.0 {
                out.push(((sum / mass).clamp(lo, hi), mass));
            }
            (sum, mass, lo, hi) = (0.0, 0.0, f64::INFINITY, f64::NEG_INFINITY);
            j -= 1;
        }
    }
    if mass > 0.0 {
        out.push(((sum / mass).clamp(lo, hi), mass));
    }
    out.reverse();
    out
}

/// The work of a request: CPU work at one core and optional I/O wait, with their nodes.
#[derive(Debug, Clone)]
pub struct Work {
    /// CPU work, CPU-seconds.
    pub cpu: WorkDist,
    /// Off-CPU wait.
    pub io: Option<WorkDist>,
    cpu_nodes: Vec<(f64, f64)>,
    io_nodes: Vec<(f64, f64)>,
}

impl Work {
    /// The work of `cpu` and `io`.
    pub fn new(cpu: WorkDist, io: Option<WorkDist>) -> Self {
        Work {
            cpu_nodes: nodes(&cpu),
            io_nodes: io.as_ref().map(nodes).unwrap_or_default(),
            cpu,
            io,
        }
    }
}

/// The slot-holding time X = cpu·G + io for a slowdown G given as (g, weight) nodes.
#[derive(Debug, Clone)]
pub struct Holding<'w> {
    work: &'w Work,
    slowdown: Vec<(f64, f64)>,
    /// Nodes of cpu·G.
    cpu_nodes: Vec<(f64, f64)>,
}

impl<'w> Holding<'w> {
    /// X = cpu·G + io with G distributed as the `slowdown` nodes (weights summing to 1).
    pub fn new(work: &'w Work, slowdown: Vec<(f64, f64)>) -> Self {
        let cpu_nodes = match slowdown.as_slice() {
            [(g, _)] => work.cpu_nodes.iter().map(|&(x, w)| (x * g, w)).collect(),
            _ => {
                let mut atoms: Vec<(f64, f64)> = slowdown
                    .iter()
                    .flat_map(|&(g, wg)| work.cpu_nodes.iter().map(move |&(x, w)| (x * g, w * wg)))
                    .collect();
                compress(&mut atoms)
            }
        };
        Holding {
            work,
            slowdown,
            cpu_nodes,
        }
    }

    /// E\[G\] and E\[G²\].
    fn slowdown_moments(&self) -> (f64, f64) {
        self.slowdown
            .iter()
            .fold((0.0, 0.0), |(m1, m2), &(g, w)| (m1 + w * g, m2 + w * g * g))
    }

    /// E\[X\], seconds.
    pub fn mean_s(&self) -> f64 {
        self.work.cpu.mean_s() * self.slowdown_moments().0
            + self.work.io.as_ref().map_or(0.0, WorkDist::mean_s)
    }

    /// Var\[X\] / E\[X\]² (0 when E\[X\] = 0).
    pub fn scv(&self) -> f64 {
        let (g1, g2) = self.slowdown_moments();
        let c = self.work.cpu.mean_s();
        let cpu2 = variance_s2(&self.work.cpu) + c * c;
        let var = cpu2 * g2 - (c * g1).powi(2) + self.work.io.as_ref().map_or(0.0, variance_s2);
        let mean = self.mean_s();
        if mean > 0.0 { var / (mean * mean) } else { 0.0 }
    }

    /// X is exponential (exponential CPU work, a constant slowdown, no I/O): M/M/c closed forms apply.
    pub fn is_exponential(&self) -> bool {
        self.work.io.is_none()
            && self.slowdown.len() == 1
            && matches!(self.work.cpu, WorkDist::Exponential { mean_s } if mean_s > 0.0)
    }

    /// P(X > t).
    pub fn survival(&self, t: f64) -> f64 {
        let cpu = &self.work.cpu;
        let by_slowdown = |shift: f64| -> f64 {
            self.slowdown
                .iter()
                .map(|&(g, w)| w * survival(cpu, (t - shift) / g))
                .sum()
        };
        match &self.work.io {
            None => by_slowdown(0.0),
            // Constant CPU work: exact in the I/O wait instead.
            Some(io) if matches!(cpu, WorkDist::Constant { .. }) => self
                .cpu_nodes
                .iter()
                .map(|&(x, w)| w * survival(io, t - x))
                .sum(),
            Some(_) => self
                .work
                .io_nodes
                .iter()
                .map(|&(y, w)| w * by_slowdown(y))
                .sum(),
        }
    }

    /// E\[h(X)\] over the nodes (h should be continuous for accuracy).
    pub fn expect(&self, h: impl Fn(f64) -> f64) -> f64 {
        if self.work.io.is_none() {
            return self.cpu_nodes.iter().map(|&(x, w)| w * h(x)).sum();
        }
        self.work
            .io_nodes
            .iter()
            .map(|&(y, wy)| {
                wy * self
                    .cpu_nodes
                    .iter()
                    .map(|&(x, wx)| wx * h(x + y))
                    .sum::<f64>()
            })
            .sum()
    }
}

#[cfg(test)]
#[path = "service_time_tests.rs"]
mod tests;
