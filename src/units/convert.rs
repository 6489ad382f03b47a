//! Casts between nanoseconds and `f64` that are cheap on the hot path.
//!
//! On baseline x86-64, `u64 as f64` and `f64 as u64` have no instruction of
//! their own and take half a dozen each (a signed conversion and fix-ups);
//! the signed `i64` casts are one instruction plus a saturation check.
//! Simulated times and spans are below 2⁶³ ns (292 years), where the signed
//! casts give exactly the same values, so these functions take the signed
//! path there and fall back to the plain cast elsewhere: results are
//! identical to `as` for every input, only faster where it matters.

use crate::units::Nanos;

/// 2⁶³ as an `f64`: the first value past what `i64` holds.
const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;

/// `ns as f64`, through the signed conversion when `ns` < 2⁶³.
#[inline(always)]
pub fn nanos_as_f64(ns: Nanos) -> f64 {
    if ns <= i64::MAX as Nanos {
        ns as i64 as f64
    } else {
        ns as f64
    }
}

/// `x as Nanos` (truncating; 0 for negative or NaN `x`, saturating past
/// `u64::MAX`), through the signed conversion when `x` < 2⁶³.
#[inline(always)]
pub fn f64_as_nanos(x: f64) -> Nanos {
    if x < TWO_POW_63 {
        (x as i64).max(0) as Nanos
    } else {
        x as Nanos
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_values_as_the_plain_casts() {
        let ns = [
            0,
            1,
            999,
            1 << 52,
            (1 << 53) + 1,
            i64::MAX as Nanos - 1,
            i64::MAX as Nanos,
            1 << 63,
            u64::MAX,
        ];
        for n in ns {
            assert_eq!(nanos_as_f64(n).to_bits(), (n as f64).to_bits(), "{n}");
        }
        let xs = [
            0.0,
            -0.0,
            0.49,
            0.5,
            1.5,
            -1.0,
            -1e30,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e18 + 0.5,
            TWO_POW_63 - 1024.0,
            TWO_POW_63,
            1.8e19,
            1e20,
        ];
        for x in xs {
            assert_eq!(f64_as_nanos(x), x as Nanos, "{x}");
        }
    }
}
