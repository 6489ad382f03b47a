//! Turning the metric proposal into the replica count to set (docs/reference/hpa.md 1.10 and 1.11).
//!
//! Without `spec.behavior` (legacy): stabilize scale-down over the downscale
//! window (a recommendation exactly as old as the window still counts), then cap
//! by `max(factor × current, minimum)` and [min, max]. With `spec.behavior`:
//! clamp the current count between the lowest recommendation of the scale-up
//! window and the highest of the scale-down window (strictly newer than the
//! cutoff), then apply the per-policy rate limits computed from the replicas at
//! the start of each period (Percent limits in float64, as upstream).

use super::state::{HpaState, change_in_period};
use crate::model::hpa::Reason;
use crate::spec::hpa::{
    Behavior, ControllerConfig, HpaSpec, PolicyKind, ScalingRules, SelectPolicy,
};
use crate::units::{SIGNED_NANOS_PER_SEC, SignedNanos};

/// `normalizeDesiredReplicas`: the legacy path. Returns the count and the rule that set it.
pub(super) fn legacy(
    spec: &HpaSpec,
    cfg: &ControllerConfig,
    state: &mut HpaState,
    current: i32,
    proposal: i32,
    now: SignedNanos,
) -> (i32, Reason) {
    let stabilized = stabilize_legacy(state, cfg.downscale_stabilization_ns, proposal, now);
    let up_limit =
        (cfg.scale_up_limit_factor * f64::from(current)).max(cfg.scale_up_limit_minimum) as i32;
    let (allowed_max, cap_reason) = if spec.max_replicas > up_limit {
        (up_limit, Reason::ScaleUpLimit)
    } else {
        (spec.max_replicas, Reason::TooManyReplicas)
    };
    if stabilized < spec.min_replicas {
        (spec.min_replicas, Reason::TooFewReplicas)
    } else if stabilized > allowed_max {
        (allowed_max, cap_reason)
    } else if stabilized != proposal {
        (stabilized, Reason::ScaleDownStabilized)
    } else {
        (stabilized, Reason::DesiredWithinRange)
    }
}

/// `stabilizeRecommendation`: max of the proposal and every recommendation not
/// older than the window; stores the proposal over the last expired entry.
pub(super) fn stabilize_legacy(
    state: &mut HpaState,
    window_ns: SignedNanos,
    proposal: i32,
    now: SignedNanos,
) -> i32 {
    let cutoff = now - window_ns;
    let mut max = proposal;
    let mut reuse = None;
    for (i, rec) in state.recommendations_mut().iter().enumerate() {
        if rec.timestamp < cutoff {
            reuse = Some(i);
        } else if rec.replicas > max {
            max = rec.replicas;
        }
    }
    state.store_recommendation(reuse, proposal, now);
    max
}

/// `normalizeDesiredReplicasWithBehaviors`. Returns the count and the rule that set it.
pub(super) fn with_behavior(
    spec: &HpaSpec,
    behavior: &Behavior,
    cfg: &ControllerConfig,
    state: &mut HpaState,
    current: i32,
    proposal: i32,
    now: SignedNanos,
) -> (i32, Reason) {
    let up_window_ns = window_ns(behavior.scale_up.stabilization_window_s, 0);
    let down_window_ns = window_ns(
        behavior.scale_down.stabilization_window_s,
        cfg.downscale_stabilization_ns,
    );
    let stabilized =
        stabilize_with_windows(state, up_window_ns, down_window_ns, current, proposal, now);
    let stab_reason = if stabilized == proposal {
        Reason::DesiredWithinRange
    } else if proposal >= current {
        Reason::ScaleUpStabilized
    } else {
        Reason::ScaleDownStabilized
    };
    let limits = Limits {
        min: spec.min_replicas,
        max: spec.max_replicas,
    };
    match rate_limit(behavior, state, limits, current, stabilized, now) {
        Some(limited) => limited,
        None => (stabilized, stab_reason),
    }
}

/// A stabilization window in ns: `seconds`, or `default_ns` when unset.
fn window_ns(seconds: Option<i32>, default_ns: SignedNanos) -> SignedNanos {
    seconds.map_or(default_ns, |s| i64::from(s) * SIGNED_NANOS_PER_SEC)
}

/// `stabilizeRecommendationWithBehaviors`: clamps `current` into
/// [min over the up window, max over the down window], both including the
/// proposal; stores the proposal over the last entry older than both windows.
pub(super) fn stabilize_with_windows(
    state: &mut HpaState,
    up_window_ns: SignedNanos,
    down_window_ns: SignedNanos,
    current: i32,
    proposal: i32,
    now: SignedNanos,
) -> i32 {
    let up_cutoff = now - up_window_ns;
    let down_cutoff = now - down_window_ns;
    let mut up_rec = proposal;
    let mut down_rec = proposal;
    let mut reuse = None;
    for (i, rec) in state.recommendations_mut().iter().enumerate() {
        if rec.timestamp > up_cutoff {
            up_rec = up_rec.min(rec.replicas);
        }
        if rec.timestamp > down_cutoff {
            down_rec = down_rec.max(rec.replicas);
        }
        if rec.timestamp < up_cutoff && rec.timestamp < down_cutoff {
            reuse = Some(i);
        }
    }
    let mut stabilized = current;
    if stabilized < up_rec {
        stabilized = up_rec;
    }
    if stabilized > down_rec {
        stabilized = down_rec;
    }
    state.store_recommendation(reuse, proposal, now);
    stabilized
}

/// minReplicas and maxReplicas.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// minReplicas.
    pub min: i32,
    /// maxReplicas.
    pub max: i32,
}

/// `convertDesiredReplicasWithBehaviorRate`: `Some` when a limit changed `desired`.
pub(super) fn rate_limit(
    behavior: &Behavior,
    state: &HpaState,
    limits: Limits,
    current: i32,
    desired: i32,
    now: SignedNanos,
) -> Option<(i32, Reason)> {
    if desired > current {
        let up_limit = scale_up_limit(&behavior.scale_up, state, current, now).max(current);
        let (allowed_max, reason) = if limits.max > up_limit {
            (up_limit, Reason::ScaleUpLimit)
        } else {
            (limits.max, Reason::TooManyReplicas)
        };
        (desired > allowed_max).then_some((allowed_max, reason))
    } else if desired < current {
        let down_limit = scale_down_limit(&behavior.scale_down, state, current, now).min(current);
        let (allowed_min, reason) = if limits.min < down_limit {
            (down_limit, Reason::ScaleDownLimit)
        } else {
            (limits.min, Reason::TooFewReplicas)
        };
        (desired < allowed_min).then_some((allowed_min, reason))
    } else {
        None
    }
}

/// Replicas at the start of a policy's period: current − added + removed.
fn period_start(state: &HpaState, current: i32, period_s: i32, now: SignedNanos) -> i32 {
    let added = change_in_period(state.scale_up_events(), period_s, now);
    let removed = change_in_period(state.scale_down_events(), period_s, now);
    current.saturating_sub(added).saturating_add(removed)
}

/// `calculateScaleUpLimitWithScalingRules` (`up`) and
/// `calculateScaleDownLimitWithBehaviors` (not `up`): the highest count the
/// scale-up policies allow, or the lowest count the scale-down policies allow.
///
/// `Max` picks the largest change (the highest upper or the lowest lower
/// limit), `Min` the smallest; `Disabled` allows no change.
fn policy_limit(
    rules: &ScalingRules,
    state: &HpaState,
    current: i32,
    now: SignedNanos,
    up: bool,
) -> i32 {
    let highest = match rules.select_policy {
        SelectPolicy::Disabled => return current,
        SelectPolicy::Max => up,
        SelectPolicy::Min => !up,
    };
    let (mut result, pick): (i32, fn(i32, i32) -> i32) = if highest {
        (i32::MIN, i32::max)
    } else {
        (i32::MAX, i32::min)
    };
    for p in &rules.policies {
        let start = period_start(state, current, p.period_s, now);
        let share = f64::from(p.value) / 100.0;
        let proposed = match (p.kind, up) {
            (PolicyKind::Pods, true) => start.saturating_add(p.value),
            (PolicyKind::Pods, false) => start.saturating_sub(p.value),
            (PolicyKind::Percent, true) => (f64::from(start) * (1.0 + share)).ceil() as i32,
            // Go's float64 → int32 conversion truncates toward zero.
            (PolicyKind::Percent, false) => (f64::from(start) * (1.0 - share)) as i32,
        };
        result = pick(result, proposed);
    }
    result
}

/// The highest count the scale-up policies allow.
pub(super) fn scale_up_limit(
    rules: &ScalingRules,
    state: &HpaState,
    current: i32,
    now: SignedNanos,
) -> i32 {
    policy_limit(rules, state, current, now, true)
}

/// The lowest count the scale-down policies allow.
pub(super) fn scale_down_limit(
    rules: &ScalingRules,
    state: &HpaState,
    current: i32,
    now: SignedNanos,
) -> i32 {
    policy_limit(rules, state, current, now, false)
}

#[cfg(test)]
#[path = "normalize_tests.rs"]
mod tests;
