//! The Kubernetes HorizontalPodAutoscaler controller (autoscaling/v2), as pure logic.
//!
//! [`reconcile`] performs one `reconcileAutoscaler` of the upstream controller
//! (`docs/reference/hpa.md`, sections 1.2–1.11 and 1.13–1.15): first-sight
//! seeding of the recommendation history, range checks (including scale from
//! zero), one proposal per metric (`calc`), the maximum over metrics with the
//! failure rules of 1.3, then normalization without or with `spec.behavior`
//! (`normalize`) and, when the count changes, the scale event that later rate
//! limits read (`state`).
//!
//! No serde and no I/O here: specs arrive already validated and defaulted
//! ([`crate::scenario::hpa`]), observations are plain data. Quantities are
//! integer milli-units, times are [`SignedNanos`] on the simulation's clock
//! (pods that predate the run have negative times).

mod calc;
mod normalize;
mod pods;
mod state;

pub use state::{HpaState, Recommendation, ScaleEvent};

use crate::spec::hpa::{ControllerConfig, HpaSpec, MetricSource, ScalingRules};
use crate::units::SignedNanos;

use std::borrow::Cow;
use std::collections::BTreeMap;

/// A metric's name in an [`Observation`]: borrowed for the names the
/// simulation serves (fixed, so no text is made per sync), owned for the
/// names a replay reads.
pub type MetricName = Cow<'static, str>;

/// A pod's phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodPhase {
    /// Not yet running (unscheduled or starting).
    Pending,
    /// Running.
    Running,
    /// Terminated successfully.
    Succeeded,
    /// Terminated with a failure.
    Failed,
}

/// One pod matched by the target's selector, with its latest metric samples.
#[derive(Debug, Clone, PartialEq)]
pub struct PodSample {
    /// `status.phase`.
    pub phase: PodPhase,
    /// `metadata.deletionTimestamp` is set.
    pub deleted: bool,
    /// The Ready condition's status; `None` = the pod has no Ready condition.
    pub ready: Option<bool>,
    /// `status.startTime`; `None` = unset.
    pub start: Option<SignedNanos>,
    /// The Ready condition's `lastTransitionTime`; `None` = the zero time (long ago).
    pub ready_transition: Option<SignedNanos>,
    /// Sum of the containers' cpu requests, millicores; `None` = a container has none.
    pub cpu_request_milli: Option<i64>,
    /// Sum of the containers' memory requests, milli-bytes; `None` = a container has none.
    pub memory_request_milli: Option<i64>,
    /// CPU usage sample, millicores; `None` = no sample for this pod.
    pub cpu_usage_milli: Option<i64>,
    /// Memory usage sample, milli-bytes; `None` = no sample for this pod.
    pub memory_usage_milli: Option<i64>,
    /// When the resource samples were taken.
    pub sample_time: SignedNanos,
    /// The window the resource samples cover, ns.
    pub sample_window_ns: SignedNanos,
    /// Pods metrics of this pod (name, milli-units); a metric absent = no sample.
    pub metrics: Vec<(MetricName, i64)>,
}

/// What the controller reads in one sync.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Observation {
    /// The target's `/scale` `spec.replicas`.
    pub spec_replicas: i32,
    /// The target's `/scale` `status.replicas` (AverageValue Object/External paths).
    pub status_replicas: i32,
    /// The pods matched by the target's selector.
    pub pods: Vec<PodSample>,
    /// Object metric values by name, milli-units; absent = the fetch failed this sync.
    pub object_metrics: BTreeMap<MetricName, i64>,
    /// External metric values (sum over series) by name, milli; absent = the fetch failed.
    pub external_metrics: BTreeMap<MetricName, i64>,
}

/// The rule that set a reconcile's final replica count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// spec.replicas is 0 and scaling from zero is not allowed: autoscaling disabled.
    ScalingDisabled,
    /// Current replicas above maxReplicas (range check), or the proposal capped at maxReplicas.
    TooManyReplicas,
    /// Current replicas below minReplicas (range check), or the proposal raised to minReplicas.
    TooFewReplicas,
    /// Every metric failed: no scaling.
    FailedGetMetrics,
    /// Some metric failed and the valid ones proposed a scale-down: no scaling.
    InvalidMetrics,
    /// Capped by the scale-up rate limit (legacy factor, or behavior policies).
    ScaleUpLimit,
    /// Held by the behavior scale-down policies.
    ScaleDownLimit,
    /// Held by the scale-up stabilization window (behavior path).
    ScaleUpStabilized,
    /// Held by the scale-down stabilization window.
    ScaleDownStabilized,
    /// The proposal, unchanged.
    DesiredWithinRange,
}

impl Reason {
    /// The Kubernetes condition reason this corresponds to.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::ScalingDisabled => "ScalingDisabled",
            Reason::TooManyReplicas => "TooManyReplicas",
            Reason::TooFewReplicas => "TooFewReplicas",
            Reason::FailedGetMetrics => "FailedGetMetrics",
            Reason::InvalidMetrics => "InvalidMetrics",
            Reason::ScaleUpLimit => "ScaleUpLimit",
            Reason::ScaleDownLimit => "ScaleDownLimit",
            Reason::ScaleUpStabilized => "ScaleUpStabilized",
            Reason::ScaleDownStabilized => "ScaleDownStabilized",
            Reason::DesiredWithinRange => "DesiredWithinRange",
        }
    }
}

/// What one metric said in a reconcile.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricStatus {
    /// Which metric: its index in the spec's `metrics` (its name is
    /// [`crate::spec::hpa::MetricSpec::name`] of that entry, so no text is
    /// made per sync).
    pub metric: usize,
    /// Percent for Utilization targets, else the value in whole units (0 on error).
    pub current: f64,
    /// The replica count this metric proposed; `None` on error.
    pub proposal: Option<i32>,
    /// Why the metric failed, if it did.
    pub error: Option<String>,
}

/// The outcome of one reconcile.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The replica count the controller sets (equal to spec.replicas when it does not scale).
    pub desired: i32,
    /// The raw maximum over metric proposals; `None` if none was computed.
    pub recommendation: Option<i32>,
    /// The rule that set `desired`.
    pub reason: Reason,
    /// One status per metric spec, in order (empty when no metric was read).
    pub metrics: Vec<MetricStatus>,
    /// The `ScaledToZero` condition after this sync (v1.36+): set when the HPA
    /// itself scales a target with minReplicas 0 and an Object/External metric
    /// to zero, kept while it stays at zero, cleared when it has replicas again.
    /// Feed it back as [`HpaSpec::scaled_to_zero`] for the next sync.
    pub scaled_to_zero: bool,
}

/// The tolerances of one HPA (docs/reference/hpa.md 1.4, `tolerancesForHpa`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerances {
    /// Allowed ratio below 1 before scaling down.
    pub down: f64,
    /// Allowed ratio above 1 before scaling up.
    pub up: f64,
}

impl Tolerances {
    /// The flag value, replaced per side by `behavior.*.tolerance` when set.
    pub fn for_hpa(spec: &HpaSpec, cfg: &ControllerConfig) -> Self {
        let side =
            |rules: Option<&ScalingRules>| rules.and_then(|r| r.tolerance).unwrap_or(cfg.tolerance);
        let b = spec.behavior.as_ref();
        Tolerances {
            down: side(b.map(|b| &b.scale_down)),
            up: side(b.map(|b| &b.scale_up)),
        }
    }

    /// `(1 − down) ≤ ratio ≤ (1 + up)`, both bounds inclusive.
    pub fn is_within(&self, ratio: f64) -> bool {
        (1.0 - self.down) <= ratio && ratio <= (1.0 + self.up)
    }
}

/// Does the HPA have an Object or External metric (needed for scale to zero)?
fn has_object_or_external(spec: &HpaSpec) -> bool {
    spec.metrics.iter().any(|m| {
        matches!(
            m.source,
            MetricSource::Object { .. } | MetricSource::External { .. }
        )
    })
}

/// May the controller compute metrics while spec.replicas is 0 (v1.36+, hpa.md 1.2.3)?
fn computes_from_zero(spec: &HpaSpec) -> bool {
    spec.scaled_to_zero && (spec.min_replicas != 0 || has_object_or_external(spec))
}

/// One whole `reconcileAutoscaler`: reads `obs`, updates `state`, returns the decision.
///
/// The caller keeps `spec.scaled_to_zero` up to date from
/// [`Decision::scaled_to_zero`] between syncs, as the controller keeps the
/// condition in the HPA's status.
pub fn reconcile(
    spec: &HpaSpec,
    cfg: &ControllerConfig,
    state: &mut HpaState,
    obs: &Observation,
    now: SignedNanos,
) -> Decision {
    let current = obs.spec_replicas;
    state.seed_if_first_sight(current, now);
    let mut decision = decide(spec, cfg, state, obs, now);
    if decision.desired != current
        && decision.reason != Reason::ScalingDisabled
        && let Some(b) = &spec.behavior
    {
        state.store_scale_event(b, current, decision.desired, now);
    }
    decision.scaled_to_zero = decision.desired == 0
        && (spec.scaled_to_zero
            || (current > 0 && spec.min_replicas == 0 && has_object_or_external(spec)));
    decision
}

/// Range checks, metrics and normalization of one reconcile (no event storage).
fn decide(
    spec: &HpaSpec,
    cfg: &ControllerConfig,
    state: &mut HpaState,
    obs: &Observation,
    now: SignedNanos,
) -> Decision {
    let current = obs.spec_replicas;
    let decided = |desired, reason, metrics| Decision {
        desired,
        recommendation: None,
        reason,
        metrics,
        scaled_to_zero: false,
    };
    let from_zero = current == 0 && computes_from_zero(spec);
    if current == 0 && !from_zero {
        return decided(0, Reason::ScalingDisabled, Vec::new());
    } else if !from_zero && current > spec.max_replicas {
        return decided(spec.max_replicas, Reason::TooManyReplicas, Vec::new());
    } else if !from_zero && current < spec.min_replicas {
        return decided(spec.min_replicas, Reason::TooFewReplicas, Vec::new());
    }
    let tolerances = Tolerances::for_hpa(spec, cfg);
    let (proposal, metrics) = calc::replicas_for_metrics(spec, cfg, tolerances, obs, now);
    let proposal = match proposal {
        Ok(p) => p,
        Err(reason) => return decided(current, reason, metrics),
    };
    let (mut desired, mut reason) = match &spec.behavior {
        None => normalize::legacy(spec, cfg, state, current, proposal, now),
        Some(b) => normalize::with_behavior(spec, b, cfg, state, current, proposal, now),
    };
    if from_zero && desired < spec.min_replicas {
        desired = spec.min_replicas;
        reason = Reason::TooFewReplicas;
    }
    Decision {
        desired,
        recommendation: Some(proposal),
        reason,
        metrics,
        scaled_to_zero: false,
    }
}

#[cfg(test)]
mod tests;
