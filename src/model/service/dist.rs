//! Samplers for the work distributions of requests, in integer nanoseconds.

use crate::engine::rng::{SimRng, exp1};
use crate::spec::WorkDist;
use crate::units::Nanos;
use crate::units::convert::f64_as_nanos;
use rand_distr::{Distribution, Gamma, LogNormal, Uniform};

/// A ready-to-sample distribution of durations.
#[derive(Debug, Clone)]
pub enum Sampler {
    /// Always the same.
    Constant(Nanos),
    /// Exponential with this mean, in nanoseconds.
    Exponential(f64),
    /// Lognormal, in seconds.
    Lognormal(LogNormal<f64>),
    /// Gamma, in seconds.
    Gamma(Gamma<f64>),
    /// Uniform, in seconds.
    Uniform(Uniform<f64>),
}

impl Sampler {
    /// The sampler for a validated distribution.
    pub fn new(d: &WorkDist) -> Self {
        match *d {
            WorkDist::Constant { secs } => Sampler::Constant((secs * 1e9).round() as Nanos),
            WorkDist::Exponential { mean_s } => Sampler::Exponential(mean_s * 1e9),
            WorkDist::Lognormal { mu, sigma } => {
                Sampler::Lognormal(LogNormal::new(mu, sigma).expect("validated: sigma > 0"))
            }
            WorkDist::Gamma { shape, scale_s } => {
                Sampler::Gamma(Gamma::new(shape, scale_s).expect("validated: shape, scale > 0"))
            }
            WorkDist::Uniform { min_s, max_s } => Sampler::Uniform(
                Uniform::new_inclusive(min_s, max_s).expect("validated: min <= max"),
            ),
        }
    }

    /// One sample, rounded to the nearest nanosecond.
    #[inline(always)]
    pub fn sample(&self, rng: &mut SimRng) -> Nanos {
        let secs = match self {
            Sampler::Constant(ns) => return *ns,
            Sampler::Exponential(mean_ns) => {
                let x = exp1(rng);
                return f64_as_nanos(x * mean_ns + 0.5);
            }
            Sampler::Lognormal(d) => d.sample(rng),
            Sampler::Gamma(d) => d.sample(rng),
            Sampler::Uniform(d) => d.sample(rng),
        };
        f64_as_nanos(secs * 1e9 + 0.5)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn mean_of(d: WorkDist, n: usize) -> f64 {
        let s = Sampler::new(&d);
        let mut rng = SimRng::seed_from_u64(3);
        (0..n).map(|_| s.sample(&mut rng) as f64).sum::<f64>() / n as f64 / 1e9
    }

    #[test]
    fn sample_means_match_the_distribution_means() {
        let cases = [
            WorkDist::Constant { secs: 0.02 },
            WorkDist::Exponential { mean_s: 0.1 },
            WorkDist::Lognormal {
                mu: (0.02f64).ln(),
                sigma: 0.8,
            },
            WorkDist::Gamma {
                shape: 4.0,
                scale_s: 0.005,
            },
            WorkDist::Uniform {
                min_s: 0.01,
                max_s: 0.03,
            },
        ];
        for d in cases {
            let m = mean_of(d, 400_000);
            assert!(
                (m / d.mean_s() - 1.0).abs() < 0.01,
                "{d:?}: {m} vs {}",
                d.mean_s()
            );
        }
    }
}
