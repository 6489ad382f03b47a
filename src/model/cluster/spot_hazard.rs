//! Spot interruptions in time: when a spot node exposed under hazard λ
//! gets its next interruption notice, and the two-minute notice itself.
//!
//! Source: `docs/reference/nodes-spot-cost.md` §4. Each instance's
//! interruptions form a Poisson process with a constant hazard λ per
//! instance-hour, so the wait for the next one is exponential with mean 1/λ
//! hours. The hazard comes from the scenario's rate
//! ([`crate::spec::interruption`]: an Advisor band, a monthly probability
//! or an hourly hazard).

use crate::engine::rng::SimRng;
use crate::units::{NANOS_PER_SEC, Nanos};
use rand::RngExt;
use rand_distr::Exp1;

/// The interruption notice: 2 minutes before the instance is reclaimed (§4).
pub const INTERRUPTION_NOTICE_NS: Nanos = 120 * NANOS_PER_SEC;

/// Nanoseconds in one hour.
const NANOS_PER_HOUR: f64 = 3600.0 * NANOS_PER_SEC as f64;

/// The time of the next interruption notice of a node exposed from `now_ns`
/// under hazard `lambda_per_hour`: `now_ns` plus an exponential draw of mean
/// 1/λ hours, rounded to the nanosecond. EC2 reclaims the node
/// [`INTERRUPTION_NOTICE_NS`] after the notice. A zero (or negative, or NaN) hazard
/// never interrupts: `Nanos::MAX`. Saturates rather than wraps.
pub fn next_interruption_ns(rng: &mut SimRng, lambda_per_hour: f64, now_ns: Nanos) -> Nanos {
    if lambda_per_hour.is_nan() || lambda_per_hour <= 0.0 {
        return Nanos::MAX;
    }
    let x: f64 = rng.sample(Exp1);
    // Float-to-int casts saturate, so an enormous wait gives Nanos::MAX.
    let wait_ns = (x / lambda_per_hour * NANOS_PER_HOUR + 0.5) as Nanos;
    now_ns.saturating_add(wait_ns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::interruption::{AdvisorBand, HOURS_PER_MONTH, InterruptionRate};
    use rand::SeedableRng;
    use statrs::distribution::{ChiSquared, ContinuousCDF, Discrete, Poisson};

    #[test]
    fn no_hazard_never_interrupts() {
        let mut rng = SimRng::seed_from_u64(1);
        for l in [0.0, -1.0, f64::NAN] {
            assert_eq!(next_interruption_ns(&mut rng, l, 5), Nanos::MAX);
        }
        // A tiny hazard saturates instead of wrapping.
        assert_eq!(
            next_interruption_ns(&mut rng, 1e-300, Nanos::MAX - 1),
            Nanos::MAX
        );
    }

    #[test]
    fn mean_wait_is_one_over_lambda() {
        // n = 200,000 exponential draws: the sample mean has relative standard
        // error 1/√n = 0.224 %; accept 5 standard errors (a false alarm has
        // probability ≈ 6e-7, and the seeds are fixed).
        let lambda = InterruptionRate::Band(AdvisorBand::From5To10).lambda_per_hour();
        let n = 200_000u32;
        let tolerance = 5.0 / f64::from(n).sqrt();
        for seed in [11, 12, 13] {
            let mut rng = SimRng::seed_from_u64(seed);
            let now = 7 * NANOS_PER_SEC;
            let sum: f64 = (0..n)
                .map(|_| {
                    (next_interruption_ns(&mut rng, lambda, now) - now) as f64 / NANOS_PER_HOUR
                })
                .sum();
            let mean_h = sum / f64::from(n);
            let rel = mean_h * lambda - 1.0;
            assert!(
                rel.abs() < tolerance,
                "seed {seed}: mean {mean_h} h, rel error {rel}"
            );
        }
    }

    #[test]
    fn a_month_of_exposure_interrupts_the_band_fraction() {
        // P(wait < 730 h) = f = 0.075; binomial standard error √(f(1−f)/n).
        let lambda = InterruptionRate::Band(AdvisorBand::From5To10).lambda_per_hour();
        let n = 100_000u32;
        let mut rng = SimRng::seed_from_u64(21);
        let month_ns = (HOURS_PER_MONTH * NANOS_PER_HOUR) as Nanos;
        let hits = (0..n)
            .filter(|_| next_interruption_ns(&mut rng, lambda, 0) < month_ns)
            .count() as f64;
        let p = hits / f64::from(n);
        let se = (0.075 * 0.925 / f64::from(n)).sqrt();
        assert!((p - 0.075).abs() < 5.0 * se, "{p}");
    }

    #[test]
    fn interruption_counts_over_a_horizon_are_poisson() {
        // A node replaced at once after each interruption sees a Poisson
        // number of interruptions over a horizon H, mean λH. 100,000 such
        // nodes with λH = 1.5; chi-square over counts 0, 1, 2, 3, 4, ≥5
        // (5 degrees of freedom) against the 99.9th percentile.
        let lambda = 1.5 / 24.0;
        let horizon_ns = 24 * 3600 * NANOS_PER_SEC;
        let nodes = 100_000usize;
        let poisson = Poisson::new(1.5).unwrap();
        let mut rng = SimRng::seed_from_u64(31);
        let mut observed = [0u64; 6];
        for _ in 0..nodes {
            let mut t = 0;
            let mut count = 0usize;
            loop {
                t = next_interruption_ns(&mut rng, lambda, t);
                if t > horizon_ns {
                    break;
                }
                count += 1;
            }
            observed[count.min(5)] += 1;
        }
        let mut expected = [0.0; 6];
        for (k, e) in expected.iter_mut().enumerate().take(5) {
            *e = poisson.pmf(k as u64) * nodes as f64;
        }
        expected[5] = nodes as f64 - expected[..5].iter().sum::<f64>();
        let chi2: f64 = observed
            .iter()
            .zip(expected)
            .map(|(&o, e)| (o as f64 - e).powi(2) / e)
            .sum();
        let critical = ChiSquared::new(5.0).unwrap().inverse_cdf(0.999);
        assert!(
            chi2 < critical,
            "chi2 {chi2} ≥ {critical}; observed {observed:?}"
        );
    }
}
