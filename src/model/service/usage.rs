//! A pod's (or a service's) CPU use over time, integrated as it changes.
//!
//! The autoscalers' CPU metrics and each interval's utilization read
//! core-seconds used between two instants. Shared CPUs change by fractions
//! of a core and integrate in floating point; whole cores held on dedicated
//! CPU, and the CPU time a [`crate::model::service::ledger::Ledger`]
//! settles, integrate exactly in integer core-nanoseconds.

use crate::units::Nanos;
use crate::units::convert::nanos_as_f64;

/// CPU core-seconds used, integrated as usage changes.
///
/// Whole cores held by requests on dedicated CPU, and the CPU time of
/// requests booked by a [`crate::model::service::ledger::Ledger`], are
/// integrated exactly, in integer core-nanoseconds; the fractional cores of
/// shared CPUs in floating point.
#[derive(Debug, Clone, Default)]
pub struct Usage {
    cores: f64,
    core_s: f64,
    last_ns: Nanos,
    /// Whole cores held (dedicated CPU).
    whole: u64,
    /// Core-nanoseconds of `whole` up to `whole_ns`, plus those added.
    core_ns: u64,
    whole_ns: Nanos,
}

impl Usage {
    /// Usage changes by `delta_cores` at `now`.
    #[inline]
    pub fn change(&mut self, now: Nanos, delta_cores: f64) {
        self.core_s += self.cores * nanos_as_f64(now - self.last_ns) * 1e-9;
        self.last_ns = now;
        self.cores += delta_cores;
    }

    /// Whole cores held change by `delta` at `now` (a request on dedicated
    /// CPU starts or ends its CPU phase).
    #[inline]
    pub fn change_whole(&mut self, now: Nanos, delta: i64) {
        self.core_ns += self.whole * (now - self.whole_ns);
        self.whole_ns = now;
        self.whole = self.whole.wrapping_add_signed(delta);
    }

    /// [`Usage::change_whole`], integrated only if `integrate` (as [`Usage::change_if`]).
    #[inline(always)]
    pub fn change_whole_if(&mut self, integrate: bool, now: Nanos, delta: i64) {
        if integrate {
            self.change_whole(now, delta);
        } else {
            self.whole = self.whole.wrapping_add_signed(delta);
        }
    }

    /// Fractional cores in use now (shared CPUs).
    pub fn fractional_cores(&self) -> f64 {
        self.cores
    }

    /// Whole cores held now.
    pub fn whole(&self) -> u64 {
        self.whole
    }

    /// Adds `core_ns` core-nanoseconds used (settled by a ledger).
    #[inline]
    pub fn add_core_ns(&mut self, core_ns: u64) {
        self.core_ns += core_ns;
    }

    /// Usage changes by `delta_cores` at `now`, integrated only if
    /// `integrate`: a pod's integral is read only by the autoscalers'
    /// metrics, so without a control loop only its cores are kept (and
    /// [`Usage::total`] is then not meaningful).
    #[inline(always)]
    pub fn change_if(&mut self, integrate: bool, now: Nanos, delta_cores: f64) {
        if integrate {
            self.change(now, delta_cores);
        } else {
            self.cores += delta_cores;
        }
    }

    /// Core-seconds used up to `now`.
    pub fn total(&self, now: Nanos) -> f64 {
        let exact_ns = self.core_ns + self.whole * (now - self.whole_ns);
        self.core_s + self.cores * (now - self.last_ns) as f64 * 1e-9 + exact_ns as f64 * 1e-9
    }
}
