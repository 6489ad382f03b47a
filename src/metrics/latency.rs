//! Latency histograms: HDR buckets for quantiles, exact count, sum and max.
//!
//! The run's histograms count in `u64`. The histogram of the interval in
//! progress, which every request records into, counts in `u32` in the
//! same layout, recorded inline ([`IntervalHistogram`]): half the bytes,
//! so with many services the buckets requests land in stay in cache.
//! Intervals reach the run's `u64` histogram through an accumulator of the
//! interval's own kind ([`RunLatency`]), so closing an interval is an
//! array addition over the buckets it touched.

use super::interval::{IntervalHistogram, SIGNIFICANT_DIGITS, trackable_ns};
use crate::units::Nanos;
use hdrhistogram::Histogram;

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
        let hist = Histogram::new_with_bounds(1, trackable_ns(highest_ns), SIGNIFICANT_DIGITS)
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
    #[inline]
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

    /// Adds every sample of an interval's histogram: each bucket's count is
    /// recorded at the bucket's highest equivalent value, so it lands in the
    /// same bucket here (both share bounds and precision).
    pub fn merge_interval(&mut self, other: &IntervalHistogram) {
        if other.count() == 0 {
            return;
        }
        let (sum_ns, max_ns) = other.spill_into(&mut self.hist);
        self.sum_ns += sum_ns;
        self.max_ns = self.max_ns.max(max_ns);
    }
}

/// A run's latencies, gathered one interval at a time.
///
/// Each interval adds into a `u32` accumulator of the interval's own
/// layout (element by element); the accumulator spills into the `u64`
/// histogram before any bucket of it could saturate (when its total would
/// pass `u32::MAX`) and at the end.
#[derive(Debug, Clone)]
pub struct RunLatency {
    acc: IntervalHistogram,
    total: LatencyHistogram,
}

impl RunLatency {
    /// No latencies yet; bounds as for [`LatencyHistogram::new`].
    pub fn new(highest_ns: Nanos) -> Self {
        RunLatency {
            acc: IntervalHistogram::new(highest_ns),
            total: LatencyHistogram::new(highest_ns),
        }
    }

    /// Adds an interval's latencies (same bounds).
    pub fn add_interval(&mut self, interval: &IntervalHistogram) {
        if self.acc.count() + interval.count() > u64::from(u32::MAX) {
            self.spill();
        }
        self.acc.merge(interval);
    }

    fn spill(&mut self) {
        self.total.merge_interval(&self.acc);
        self.acc.reset();
    }

    /// Every latency added, in one `u64` histogram.
    pub fn finish(mut self) -> LatencyHistogram {
        self.spill();
        self.total
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

    #[test]
    fn an_interval_merges_exactly_into_a_run_histogram() {
        // Latencies spread over six decades, recorded both ways.
        let (mut direct, mut run) = (
            LatencyHistogram::new(10_000_000_000),
            LatencyHistogram::new(10_000_000_000),
        );
        let mut interval = IntervalHistogram::new(10_000_000_000);
        let mut x: u64 = 12345;
        for _ in 0..100_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let v = 1_000 + (x >> 33) % 5_000_000_000;
            direct.record(v);
            interval.record(v);
        }
        run.merge_interval(&interval);
        assert_eq!(run.count(), direct.count());
        assert_eq!(run.hist, direct.hist);
        assert_eq!((run.sum_ns, run.max_ns), (direct.sum_ns, direct.max_ns));
        for q in [0.0, 0.5, 0.9, 0.99, 0.999, 1.0] {
            assert_eq!(run.quantile_ms(q), direct.quantile_ms(q));
        }
        // Three intervals through the accumulator, and a spill forced
        // midway (as when its total would pass u32::MAX), give the same.
        let mut gathered = RunLatency::new(10_000_000_000);
        for _ in 0..3 {
            gathered.add_interval(&interval);
        }
        gathered.spill();
        gathered.add_interval(&interval);
        let gathered = gathered.finish();
        for _ in 0..3 {
            direct.merge(&run);
        }
        assert_eq!(gathered.count(), 400_000);
        assert_eq!(gathered.hist, direct.hist);
        assert_eq!(
            (gathered.sum_ns, gathered.max_ns),
            (direct.sum_ns, direct.max_ns)
        );
    }
}
