//! Validated specs of the scheduled events that act on one service: a
//! rolling deployment (a Kubernetes Deployment's `RollingUpdate` strategy)
//! and a traffic incident (a sudden change of the service's rate).

use crate::units::Nanos;

/// A Kubernetes `IntOrString` as `maxSurge` and `maxUnavailable` take it:
/// a number of pods or a whole percentage of the replica count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntOrPercent {
    /// This many pods.
    Count(u32),
    /// This share of the replica count, in whole percent.
    Percent(u32),
}

impl IntOrPercent {
    /// Whether it is zero as written (`0` or `0%`), as Kubernetes' validation sees it.
    pub fn is_zero(self) -> bool {
        matches!(self, IntOrPercent::Count(0) | IntOrPercent::Percent(0))
    }
}

impl std::fmt::Display for IntOrPercent {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            IntOrPercent::Count(n) => write!(f, "{n}"),
            IntOrPercent::Percent(p) => write!(f, "{p}%"),
        }
    }
}

/// `strategy.rollingUpdate` of a Deployment: how far above the replica
/// count (surge) and below it (unavailable) a rollout may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RollingUpdate {
    /// `maxSurge` (Kubernetes' default 25 %).
    pub max_surge: IntOrPercent,
    /// `maxUnavailable` (Kubernetes' default 25 %).
    pub max_unavailable: IntOrPercent,
}

impl Default for RollingUpdate {
    fn default() -> Self {
        RollingUpdate {
            max_surge: IntOrPercent::Percent(25),
            max_unavailable: IntOrPercent::Percent(25),
        }
    }
}

/// How a traffic incident changes the rate at full strength.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum IncidentChange {
    /// r(t) becomes r(t) × this factor (> 0).
    Multiply(f64),
    /// r(t) becomes r(t) + this many requests per second (> 0).
    AddRps(f64),
}

/// A sudden change of one service's rate, from the event's `at` for `duration_ns`.
///
/// The change grows linearly from nothing to full strength over the first
/// `ramp_ns`, holds, and fades linearly over the last `ramp_ns` (2 × ramp ≤
/// duration); with no ramp it is a step up and a step down.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrafficIncident {
    /// How long it lasts, ramps included.
    pub duration_ns: Nanos,
    /// Length of the linear rise and of the linear fall.
    pub ramp_ns: Nanos,
    /// What it does at full strength.
    pub change: IncidentChange,
}
