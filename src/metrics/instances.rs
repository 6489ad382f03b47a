//! The EC2 instances of a `platform: vm` service in one run: each
//! instance's launch and termination, for the bill.
//!
//! An instance is billed from its launch (the Auto Scaling group's
//! scale-out, or the start of the run for the instances present then) to
//! its termination (the end of connection draining), by the rules of
//! [`super::bill`]: per second with a 60 s minimum, at the on-demand
//! price of its instance type.

use crate::units::Nanos;

/// One instance's stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstanceStay {
    /// Launch time (0 for instances present at the start).
    pub launched_ns: Nanos,
    /// Termination time; `None` = still running at the end.
    pub stopped_ns: Option<Nanos>,
}

/// Every instance a VM service ran, with its price.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceLog {
    /// The instance type, e.g. `m5.large`.
    pub instance_type: String,
    /// Its on-demand price, US dollars per hour (the catalog's).
    pub price_usd_per_hour: f64,
    /// Every instance, in launch order.
    pub stays: Vec<InstanceStay>,
}
