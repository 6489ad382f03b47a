//! Each profile against the first, replication by replication.
//!
//! In a given replication every profile sees the same arrivals and work
//! (common random numbers), so the difference between two profiles' figures
//! in that replication is the profiles' difference plus much less noise than
//! either figure has. The summary gives, for every profile after the first,
//! the mean of those paired differences and the half-width of its 95 %
//! Student-t interval across replications (absent with one replication):
//! an interval that excludes 0 is a difference beyond noise.

use super::{ci95_half_width, pool, round4};
use crate::metrics::RunResult;
use serde::Serialize;

/// A paired difference: this profile's figure minus the first's, mean over replications.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Difference {
    /// Mean of the per-replication differences.
    pub diff: f64,
    /// Half-width of its 95 % interval (absent with one replication).
    pub ci95: Option<f64>,
}

/// A profile against the first profile.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct VsFirst {
    /// The first profile's name.
    pub profile: String,
    /// Mean latency of completed requests, all services (ms).
    pub latency_mean_ms: Difference,
    /// p99 latency of completed requests, all services (ms).
    pub latency_p99_ms: Difference,
}

/// The paired difference of `xs` against `base`, replication by replication.
pub fn difference(xs: &[f64], base: &[f64]) -> Option<Difference> {
    if xs.is_empty() || xs.len() != base.len() {
        return None;
    }
    let d: Vec<f64> = xs.iter().zip(base).map(|(x, b)| x - b).collect();
    Some(Difference {
        diff: round4(d.iter().sum::<f64>() / d.len() as f64),
        ci95: ci95_half_width(&d).map(round4),
    })
}

/// Mean and p99 latency (ms) of each run, in replication order; `None`
/// if a run completed no request.
pub fn headline(runs: &[&RunResult]) -> Option<(Vec<f64>, Vec<f64>)> {
    let (mut means, mut p99s) = (Vec::new(), Vec::new());
    for run in runs {
        let (_, hist) = pool(&run.services);
        let h = hist?;
        means.push(h.mean_ms()?);
        p99s.push(h.quantile_ms(0.99)?);
    }
    Some((means, p99s))
}

/// Profile `runs` against the first profile's `first` runs (named `name`).
pub fn vs_first(name: &str, first: &[&RunResult], runs: &[&RunResult]) -> Option<VsFirst> {
    let (base_mean, base_p99) = headline(first)?;
    let (mean, p99) = headline(runs)?;
    Some(VsFirst {
        profile: name.to_string(),
        latency_mean_ms: difference(&mean, &base_mean)?,
        latency_p99_ms: difference(&p99, &base_p99)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_is_student_t_over_the_paired_differences() {
        // Differences 1, 2, 3: mean 2, s = 1, t(0.975, 2) = 4.302653 → 4.302653 / √3.
        let d = difference(&[11.0, 22.0, 33.0], &[10.0, 20.0, 30.0]).unwrap();
        assert_eq!(d.diff, 2.0);
        assert!((d.ci95.unwrap() - 2.4841).abs() < 1e-4, "{d:?}");
        // One replication: a difference, no interval.
        let d = difference(&[5.0], &[3.0]).unwrap();
        assert_eq!((d.diff, d.ci95), (2.0, None));
        assert_eq!(difference(&[1.0, 2.0], &[1.0]), None);
    }
}
