//! Latency histograms: HDR buckets for quantiles, exact count, sum and max.

use crate::units::Nanos;
use hdrhistogram::Histogram;

/// Significant decimal digits kept by the histogram (relative error ≤ 0.1 %).
const SIGNIFICANT_DIGITS: u8 = 3;

/// Request latencies in nanoseconds: quantiles to 3 significant digits, exact mean and max.
#[derive(Debug, Clone)]
pub struct LatencyHistogram {
    hist: Histogram<u64>,
    sum_ns: u128,
    max_ns: Nanos,
}

impl LatencyHistogram {
    /// An empty histogram for latencies up to `highest_ns` (larger ones are clamped).
    pub fn new(highest_ns: Nanos) -> Self {
        let hist = Histogram::new_with_bounds(1, highest_ns.max(2_000_000_000), SIGNIFICANT_DIGITS)
            .expect("valid histogram bounds");
        LatencyHistogram {
            hist,
            sum_ns: 0,
            max_ns: 0,
        }
    }

    /// Records one latency.
    #[inline]
    pub fn record(&mut self, latency_ns: Nanos) {
        self.hist.saturating_record(latency_ns);
        self.sum_ns += latency_ns as u128;
        self.max_ns = self.max_ns.max(latency_ns);
    }

    /// Adds every sample of `other`.
    pub fn merge(&mut self, other: &LatencyHistogram) {
        if other.count() == 0 {
            return;
        }
        self.hist
            .add(&other.hist)
            .expect("histograms of one scenario share bounds");
        self.sum_ns += other.sum_ns;
        self.max_ns = self.max_ns.max(other.max_ns);
    }

    /// Forgets every sample (keeps the allocation).
    pub fn reset(&mut self) {
        if self.count() > 0 {
            self.hist.reset();
        }
        self.sum_ns = 0;
        self.max_ns = 0;
    }

    /// Number of samples.
    pub fn count(&self) -> u64 {
        self.hist.len()
    }

    /// Exact mean in milliseconds (`None` when empty).
    pub fn mean_ms(&self) -> Option<f64> {
        (self.count() > 0).then(|| self.sum_ns as f64 / self.count() as f64 / 1e6)
    }

    /// The `q`-quantile in milliseconds, to 3 significant digits (`None` when empty).
    pub fn quantile_ms(&self, q: f64) -> Option<f64> {
        (self.count() > 0).then(|| self.hist.value_at_quantile(q).min(self.max_ns) as f64 / 1e6)
    }

    /// Exact maximum in milliseconds (`None` when empty).
    pub fn max_ms(&self) -> Option<f64> {
        (self.count() > 0).then(|| self.max_ns as f64 / 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_mean_and_max() {
        let mut h = LatencyHistogram::new(10_000_000_000);
        for ms in 1..=1000u64 {
            h.record(ms * 1_000_000);
        }
        assert_eq!(h.count(), 1000);
        assert_eq!(h.mean_ms(), Some(500.5));
        assert_eq!(h.max_ms(), Some(1000.0));
        let p99 = h.quantile_ms(0.99).unwrap();
        assert!((p99 - 990.0).abs() / 990.0 < 1e-3, "{p99}");
        let mut other = LatencyHistogram::new(10_000_000_000);
        other.record(5_000_000_000);
        h.merge(&other);
        assert_eq!(h.count(), 1001);
        assert_eq!(h.max_ms(), Some(5000.0));
        h.reset();
        assert_eq!(h.mean_ms(), None);
    }
}
