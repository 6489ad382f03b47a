//! The latency histogram of the interval in progress: HDR's bucket layout,
//! recorded inline.
//!
//! Every finished request records one latency here, so the record is a
//! few integer instructions: the bucket index as `hdrhistogram` computes it
//! for the run histograms' bounds (lowest 1 ns, 3 significant digits), a
//! `u32` count, and the range of indices touched. Closing an interval
//! works on that range only: the run's accumulator adds it element by
//! element, the interval's quantiles scan it as `hdrhistogram`'s
//! `value_at_quantile` scans its counts (so they are the same numbers), and
//! a reset zeroes it. The run's `u64` histogram receives each bucket's
//! count at the bucket's highest equivalent value ([`IntervalHistogram::spill_into`]),
//! which lands in the same bucket there.
//!
//! A `u32` bucket would saturate past 4.29 billion requests of one latency
//! bucket in one interval, far beyond any run; counts saturate like
//! `hdrhistogram`'s.

use crate::units::Nanos;
use hdrhistogram::Histogram;

/// Significant decimal digits (relative error ≤ 0.1 %), as the run histograms.
pub(super) const SIGNIFICANT_DIGITS: u8 = 3;
/// log2 of half the sub-buckets per bucket: 3 digits need 2,048 sub-buckets.
const HALF_MAGNITUDE: u32 = 10;
/// Half the sub-buckets per bucket.
const HALF_COUNT: usize = 1 << HALF_MAGNITUDE;
/// Values below this share bucket 0 (the mask of its sub-buckets).
const SUB_BUCKET_MASK: u64 = (2 << HALF_MAGNITUDE) - 1;
/// 64 − log2(2,048 sub-buckets), lowest value 1 (unit magnitude 0).
const LEADING_ZERO_BASE: u32 = 64 - (HALF_MAGNITUDE + 1);

/// The run histograms' highest trackable value for latencies up to `highest_ns`.
pub(super) fn trackable_ns(highest_ns: Nanos) -> Nanos {
    highest_ns.max(2_000_000_000)
}

/// Bucket of `value` (`hdrhistogram`'s `bucket_for`).
#[inline(always)]
fn bucket_of(value: u64) -> u32 {
    LEADING_ZERO_BASE - (value | SUB_BUCKET_MASK).leading_zeros()
}

/// Index of `value` in the counts (`hdrhistogram`'s `index_for`).
#[inline(always)]
fn index_of(value: u64) -> usize {
    let bucket = bucket_of(value);
    let sub_bucket = (value >> bucket) as usize;
    (((bucket + 1) as usize) << HALF_MAGNITUDE) + sub_bucket - HALF_COUNT
}

/// The lowest value of the bucket at `index` (`hdrhistogram`'s `value_for`).
fn value_at(index: usize) -> u64 {
    let bucket = (index >> HALF_MAGNITUDE) as i64 - 1;
    let sub_bucket = (index & (HALF_COUNT - 1)) + HALF_COUNT;
    if bucket < 0 {
        (sub_bucket - HALF_COUNT) as u64
    } else {
        (sub_bucket as u64) << bucket
    }
}

/// The highest value of the bucket whose lowest value is `lowest`
/// (`hdrhistogram`'s `highest_equivalent`).
fn highest_at(lowest: u64) -> u64 {
    if lowest == u64::MAX {
        return u64::MAX;
    }
    lowest.saturating_add(1 << bucket_of(lowest)) - 1
}

/// Latencies of one interval, in nanoseconds: HDR buckets, exact count, sum and max.
#[derive(Debug, Clone)]
pub struct IntervalHistogram {
    counts: Vec<u32>,
    /// Indices below `lo` or from `hi` on are all zero.
    lo: usize,
    hi: usize,
    highest_ns: Nanos,
    count: u64,
    sum_ns: u128,
    max_ns: Nanos,
}

impl IntervalHistogram {
    /// An empty histogram for latencies up to `highest_ns` (larger ones are
    /// clamped), with the buckets of the run histograms of the same bounds.
    pub fn new(highest_ns: Nanos) -> Self {
        let highest_ns = trackable_ns(highest_ns);
        let len = Histogram::<u32>::new_with_bounds(1, highest_ns, SIGNIFICANT_DIGITS)
            .expect("valid histogram bounds")
            .distinct_values();
        assert!(
            index_of(highest_ns) < len,
            "the inline layout is hdrhistogram's"
        );
        IntervalHistogram {
            counts: vec![0; len],
            lo: len,
            hi: 0,
            highest_ns,
            count: 0,
            sum_ns: 0,
            max_ns: 0,
        }
    }

    /// Records one latency.
    #[inline]
    pub fn record(&mut self, latency_ns: Nanos) {
        let mut i = index_of(latency_ns);
        if i >= self.counts.len() {
            // Past the last bucket: hdrhistogram's saturating record clamps.
            i = index_of(self.highest_ns);
        }
        self.counts[i] = self.counts[i].saturating_add(1);
        self.lo = self.lo.min(i);
        self.hi = self.hi.max(i + 1);
        self.count += 1;
        self.sum_ns += latency_ns as u128;
        self.max_ns = self.max_ns.max(latency_ns);
    }

    /// Number of samples.
    #[inline]
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Adds every sample of `other` (same bounds).
    pub fn merge(&mut self, other: &IntervalHistogram) {
        if other.count == 0 {
            return;
        }
        let (lo, hi) = (other.lo, other.hi);
        for (c, o) in self.counts[lo..hi].iter_mut().zip(&other.counts[lo..hi]) {
            *c = c.saturating_add(*o);
        }
        self.lo = self.lo.min(lo);
        self.hi = self.hi.max(hi);
        self.count += other.count;
        self.sum_ns += other.sum_ns;
        self.max_ns = self.max_ns.max(other.max_ns);
    }

    /// Forgets every sample (keeps the allocation).
    pub fn reset(&mut self) {
        if self.lo < self.hi {
            self.counts[self.lo..self.hi].fill(0);
        }
        self.lo = self.counts.len();
        self.hi = 0;
        self.count = 0;
        self.sum_ns = 0;
        self.max_ns = 0;
    }

    /// The `q`-quantile (0 < `q` ≤ 1) in milliseconds, to 3 significant
    /// digits, as `hdrhistogram`'s `value_at_quantile` of the same counts
    /// (`None` when empty).
    pub fn quantile_ms(&self, q: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let q = q.min(1.0);
        let target = ((q * self.count as f64).ceil() as u64).max(1);
        let mut total = 0u64;
        let mut value = 0;
        for i in self.lo..self.hi {
            total += u64::from(self.counts[i]);
            if total >= target {
                let lowest = value_at(i);
                value = if q == 0.0 { lowest } else { highest_at(lowest) };
                break;
            }
        }
        Some(value.min(self.max_ns) as f64 / 1e6)
    }

    /// Records every sample into `hist` (the run's histogram, of the same
    /// bounds): each bucket's count at the bucket's highest equivalent
    /// value. Returns the sum and the maximum of the samples.
    pub(super) fn spill_into(&self, hist: &mut Histogram<u64>) -> (u128, Nanos) {
        for i in self.lo..self.hi {
            let n = self.counts[i];
            if n > 0 {
                hist.record_n(highest_at(value_at(i)), u64::from(n))
                    .expect("histograms of one scenario share bounds");
            }
        }
        (self.sum_ns, self.max_ns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inline_layout_is_hdrhistogram_s() {
        let highest = 70_000 * 1_000_000_000;
        let mut inline = IntervalHistogram::new(highest);
        let mut hdr = Histogram::<u64>::new_with_bounds(1, highest, SIGNIFICANT_DIGITS).unwrap();
        let mut x: u64 = 12345;
        let mut values = vec![0, 1, 2047, 2048, 2049, 4095, 4096, highest, highest + 1];
        for _ in 0..200_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            values.push((x >> 20) >> (x % 44));
        }
        values.push(u64::MAX);
        for &v in &values {
            inline.record(v);
            hdr.saturating_record(v);
            assert_eq!(
                hdr.lowest_equivalent(v.min(hdr.high() * 2)),
                value_at(index_of(v.min(hdr.high() * 2)))
            );
        }
        let mut spilled =
            Histogram::<u64>::new_with_bounds(1, highest, SIGNIFICANT_DIGITS).unwrap();
        inline.spill_into(&mut spilled);
        assert_eq!(spilled.len(), hdr.len());
        for (a, b) in spilled.iter_all().zip(hdr.iter_all()) {
            assert_eq!(
                a.count_at_value(),
                b.count_at_value(),
                "{}",
                a.value_iterated_to()
            );
        }
        let max = *values.iter().max().unwrap();
        for q in [1e-9, 0.001, 0.25, 0.5, 0.9, 0.99, 0.999, 0.999999, 1.0] {
            let expected = hdr.value_at_quantile(q).min(max) as f64 / 1e6;
            assert_eq!(inline.quantile_ms(q), Some(expected), "q = {q}");
        }
        inline.reset();
        assert_eq!((inline.count(), inline.quantile_ms(0.5)), (0, None));
        assert!(inline.counts.iter().all(|&c| c == 0));
    }
}
