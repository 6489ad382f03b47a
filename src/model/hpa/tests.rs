//! Unit tests of a whole reconcile: seeding, range checks, scale from zero, event storage.

use super::*;
use crate::spec::hpa::*;
use crate::units::{SIGNED_NANOS_PER_SEC, SignedNanos};

const S: SignedNanos = SIGNED_NANOS_PER_SEC;
const NOW: SignedNanos = 100_000 * S;

fn external(target: MetricTarget) -> MetricSpec {
    MetricSpec {
        source: MetricSource::External { metric: "q".into() },
        target,
    }
}

fn spec(min: i32, max: i32, behavior: Option<Behavior>) -> HpaSpec {
    HpaSpec {
        min_replicas: min,
        max_replicas: max,
        metrics: vec![external(MetricTarget::AverageValue(1000))],
        behavior,
        scaled_to_zero: false,
    }
}

/// An observation whose External AverageValue metric (target 1) proposes `proposal`.
fn obs(current: i32, proposal: i64) -> Observation {
    let mut o = Observation {
        spec_replicas: current,
        status_replicas: current,
        ..Observation::default()
    };
    o.external_metrics.insert("q".into(), proposal * 1000);
    o
}

fn default_behavior() -> Behavior {
    let policy = |kind, value| ScalingPolicy {
        kind,
        value,
        period_s: 15,
    };
    Behavior {
        scale_up: ScalingRules {
            stabilization_window_s: Some(0),
            select_policy: SelectPolicy::Max,
            policies: vec![
                policy(PolicyKind::Pods, 4),
                policy(PolicyKind::Percent, 100),
            ],
            tolerance: None,
        },
        scale_down: ScalingRules {
            stabilization_window_s: None,
            select_policy: SelectPolicy::Max,
            policies: vec![policy(PolicyKind::Percent, 100)],
            tolerance: None,
        },
    }
}

#[test]
fn a_new_hpa_cannot_scale_down_in_its_first_window() {
    let cfg = ControllerConfig::default();
    let mut st = HpaState::default();
    let d = reconcile(&spec(1, 10, None), &cfg, &mut st, &obs(5, 2), NOW);
    assert_eq!(
        (d.desired, d.recommendation, d.reason),
        (5, Some(2), Reason::ScaleDownStabilized)
    );
    // Five minutes later (exactly the window: still kept), then one sync after.
    let d = reconcile(&spec(1, 10, None), &cfg, &mut st, &obs(5, 2), NOW + 300 * S);
    assert_eq!(d.desired, 5);
    let d = reconcile(&spec(1, 10, None), &cfg, &mut st, &obs(5, 2), NOW + 315 * S);
    assert_eq!((d.desired, d.reason), (2, Reason::DesiredWithinRange));
}

#[test]
fn range_checks_come_before_metrics() {
    let cfg = ControllerConfig::default();
    let mut st = HpaState::default();
    let d = reconcile(&spec(3, 5, None), &cfg, &mut st, &obs(10, 1), NOW);
    assert_eq!(
        (d.desired, d.recommendation, d.reason),
        (5, None, Reason::TooManyReplicas)
    );
    assert!(d.metrics.is_empty());
    let d = reconcile(&spec(2, 6, None), &cfg, &mut st, &obs(1, 100), NOW);
    assert_eq!((d.desired, d.reason), (2, Reason::TooFewReplicas));
    let d = reconcile(&spec(3, 5, None), &cfg, &mut st, &obs(0, 100), NOW);
    assert_eq!((d.desired, d.reason), (0, Reason::ScalingDisabled));
}

#[test]
fn scale_from_zero_needs_the_scaled_to_zero_condition() {
    let cfg = ControllerConfig::default();
    let mut s = spec(0, 6, None);
    s.metrics = vec![external(MetricTarget::Value(15_000))];
    let mut o = obs(0, 0);
    o.external_metrics.insert("q".into(), 20_000);
    let d = reconcile(&s, &cfg, &mut HpaState::default(), &o, NOW);
    assert_eq!((d.desired, d.reason), (0, Reason::ScalingDisabled));
    s.scaled_to_zero = true;
    // ceil(20/15) = 2, no tolerance, no pods.
    let d = reconcile(&s, &cfg, &mut HpaState::default(), &o, NOW);
    assert_eq!((d.desired, d.recommendation), (2, Some(2)));
    // With minReplicas 3 the result is raised to 3.
    s.min_replicas = 3;
    let d = reconcile(&s, &cfg, &mut HpaState::default(), &o, NOW);
    assert_eq!((d.desired, d.reason), (3, Reason::TooFewReplicas));
}

#[test]
fn scaling_to_zero_sets_the_condition_and_scaling_up_clears_it() {
    let cfg = ControllerConfig::default();
    let mut s = spec(0, 6, None);
    s.metrics = vec![external(MetricTarget::Value(1000))];
    let mut st = HpaState::with_history(vec![], vec![], vec![]);
    let mut o = obs(2, 0);
    o.external_metrics.insert("q".into(), 0);
    let ready = PodSample {
        phase: PodPhase::Running,
        deleted: false,
        ready: Some(true),
        start: Some(0),
        ready_transition: Some(0),
        cpu_request_milli: None,
        memory_request_milli: None,
        cpu_usage_milli: None,
        memory_usage_milli: None,
        sample_time: NOW,
        sample_window_ns: 0,
        metrics: Vec::new(),
    };
    o.pods = vec![ready; 2];
    // ceil(0 × 2 ready pods) = 0: scale 2 → 0, the condition is set.
    let d = reconcile(&s, &cfg, &mut st, &o, NOW);
    assert_eq!((d.desired, d.scaled_to_zero), (0, true));
    s.scaled_to_zero = d.scaled_to_zero;
    o.spec_replicas = 0;
    o.pods.clear();
    o.external_metrics.insert("q".into(), 1500);
    let d = reconcile(&s, &cfg, &mut st, &o, NOW + 15 * S);
    assert_eq!((d.desired, d.scaled_to_zero), (2, false));
}

#[test]
fn failed_metrics_keep_current_and_store_nothing() {
    let cfg = ControllerConfig::default();
    let mut st = HpaState::with_history(vec![], vec![], vec![]);
    let mut o = obs(4, 1);
    o.external_metrics.clear();
    let d = reconcile(&spec(1, 10, None), &cfg, &mut st, &o, NOW);
    assert_eq!(
        (d.desired, d.recommendation, d.reason),
        (4, None, Reason::FailedGetMetrics)
    );
    assert!(st.recommendations().is_empty());
}

#[test]
fn behavior_rate_limits_across_periods_and_stores_events() {
    let cfg = ControllerConfig::default();
    let s = spec(1, 100, Some(default_behavior()));
    let mut st = HpaState::default();
    // 2 → max(2+4, 2×2) = 6; then 15 s later the event is exactly one period old: 6 → 12.
    let d = reconcile(&s, &cfg, &mut st, &obs(2, 50), NOW);
    assert_eq!((d.desired, d.reason), (6, Reason::ScaleUpLimit));
    assert_eq!(st.scale_up_events().len(), 1);
    let d = reconcile(&s, &cfg, &mut st, &obs(6, 50), NOW + 15 * S);
    assert_eq!(d.desired, 12);
    // 14 s later (inside the period of the last +6): start 6, limit max(10, 12) = 12 → no change.
    let d = reconcile(&s, &cfg, &mut st, &obs(12, 50), NOW + 29 * S);
    assert_eq!((d.desired, d.reason), (12, Reason::ScaleUpLimit));
}

#[test]
fn per_direction_tolerance_replaces_the_flag() {
    let mut b = default_behavior();
    b.scale_up.tolerance = Some(0.05);
    b.scale_down.tolerance = Some(0.5);
    let s = spec(1, 1000, Some(b));
    let t = Tolerances::for_hpa(&s, &ControllerConfig::default());
    assert_eq!((t.down, t.up), (0.5, 0.05));
    assert!(t.is_within(0.5) && t.is_within(1.05) && !t.is_within(1.051));
    let legacy = Tolerances::for_hpa(&spec(1, 2, None), &ControllerConfig::default());
    assert_eq!((legacy.down, legacy.up), (0.1, 0.1));
}
