//! Unit tests of normalization, with expected values worked out by hand from docs/reference/hpa.md.

use super::super::state::{Recommendation, ScaleEvent};
use super::*;
use crate::spec::hpa::ScalingPolicy;
use crate::units::{SIGNED_NANOS_PER_SEC, SignedNanos};

const S: SignedNanos = SIGNED_NANOS_PER_SEC;
const NOW: SignedNanos = 100_000 * S;

fn recs(list: &[(i32, i64)]) -> HpaState {
    let recs = list
        .iter()
        .map(|&(replicas, age_s)| Recommendation {
            replicas,
            timestamp: NOW - age_s * S,
        })
        .collect();
    HpaState::with_history(recs, vec![], vec![])
}

fn events(list: &[(i32, i64)]) -> Vec<ScaleEvent> {
    list.iter()
        .map(|&(change, age_s)| ScaleEvent {
            change,
            timestamp: NOW - age_s * S,
            outdated: false,
        })
        .collect()
}

fn rules(select: SelectPolicy, policies: &[(PolicyKind, i32, i32)]) -> ScalingRules {
    ScalingRules {
        stabilization_window_s: Some(0),
        select_policy: select,
        policies: policies
            .iter()
            .map(|&(kind, value, period_s)| ScalingPolicy {
                kind,
                value,
                period_s,
            })
            .collect(),
        tolerance: None,
    }
}

fn spec(min: i32, max: i32) -> HpaSpec {
    HpaSpec {
        min_replicas: min,
        max_replicas: max,
        metrics: vec![],
        behavior: None,
        scaled_to_zero: false,
    }
}

#[test]
fn legacy_window_keeps_a_recommendation_exactly_as_old_as_the_window() {
    let mut s = recs(&[(10, 300)]);
    assert_eq!(stabilize_legacy(&mut s, 300 * S, 3, NOW), 10);
    let mut s = HpaState::with_history(
        vec![Recommendation {
            replicas: 10,
            timestamp: NOW - 300 * S - 1,
        }],
        vec![],
        vec![],
    );
    assert_eq!(stabilize_legacy(&mut s, 300 * S, 3, NOW), 3);
    // The expired entry was overwritten, not appended to.
    assert_eq!(
        s.recommendations(),
        &[Recommendation {
            replicas: 3,
            timestamp: NOW
        }]
    );
}

#[test]
fn legacy_stabilization_overwrites_the_last_expired_entry() {
    // [10 @600s, 4 @60s, 5 @120s, 9 @540s], proposal 3: max over the window = 5;
    // the 9 @540s entry (last expired) is replaced.
    let mut s = recs(&[(10, 600), (4, 60), (5, 120), (9, 540)]);
    assert_eq!(stabilize_legacy(&mut s, 300 * S, 3, NOW), 5);
    let r: Vec<i32> = s.recommendations().iter().map(|r| r.replicas).collect();
    assert_eq!(r, vec![10, 4, 5, 3]);
}

#[test]
fn legacy_caps() {
    let cfg = ControllerConfig::default();
    // Current 1: cap max(2×1, 4) = 4.
    let mut s = recs(&[]);
    assert_eq!(
        legacy(&spec(1, 100), &cfg, &mut s, 1, 10, NOW),
        (4, Reason::ScaleUpLimit)
    );
    // Cap above max: TooManyReplicas. Below min: TooFewReplicas.
    let mut s = recs(&[]);
    assert_eq!(
        legacy(&spec(1, 3), &cfg, &mut s, 2, 10, NOW),
        (3, Reason::TooManyReplicas)
    );
    let mut s = recs(&[]);
    assert_eq!(
        legacy(&spec(2, 8), &cfg, &mut s, 3, 1, NOW),
        (2, Reason::TooFewReplicas)
    );
    let mut s = recs(&[(4, 60)]);
    assert_eq!(
        legacy(&spec(1, 8), &cfg, &mut s, 4, 2, NOW),
        (4, Reason::ScaleDownStabilized)
    );
}

#[test]
fn behavior_windows_are_strict() {
    // A recommendation exactly as old as the 300 s down window is dropped …
    let mut s = recs(&[(10, 300)]);
    assert_eq!(stabilize_with_windows(&mut s, 0, 300 * S, 10, 3, NOW), 3);
    // … and one a second younger holds the current count.
    let mut s = recs(&[(10, 299)]);
    assert_eq!(stabilize_with_windows(&mut s, 0, 300 * S, 10, 3, NOW), 10);
    // Window 0 sees nothing, even a recommendation made now.
    let mut s = recs(&[(10, 0)]);
    assert_eq!(stabilize_with_windows(&mut s, 0, 0, 10, 3, NOW), 3);
}

#[test]
fn behavior_stabilization_clamps_current() {
    // [2 @6000s, 3 @180s], current 2, proposal 1, both windows 300 s:
    // up = min(1, 3) = 1, down = max(1, 3) = 3 → current 2 stays.
    let mut s = recs(&[(2, 6000), (3, 180)]);
    assert_eq!(
        stabilize_with_windows(&mut s, 300 * S, 300 * S, 2, 1, NOW),
        2
    );
    // Scale-up goes to the lowest recommendation of the up window: [6 @30s], proposal 9 → 6.
    let mut s = recs(&[(6, 30)]);
    assert_eq!(stabilize_with_windows(&mut s, 60 * S, 0, 4, 9, NOW), 6);
}

#[test]
fn percent_limits_use_float64() {
    let st = recs(&[]);
    // 50 × 1.1 = 55.00000000000001 in float64 → ceil 56 (exact arithmetic gives 55).
    let up = rules(SelectPolicy::Max, &[(PolicyKind::Percent, 10, 60)]);
    assert_eq!(scale_up_limit(&up, &st, 50, NOW), 56);
    // 50 × 0.9 = 45 → 45; 5 × 0.5 = 2.5 → 2 (truncation).
    assert_eq!(scale_down_limit(&up, &st, 50, NOW), 45);
    let half = rules(SelectPolicy::Max, &[(PolicyKind::Percent, 50, 60)]);
    assert_eq!(scale_down_limit(&half, &st, 5, NOW), 2);
    // Percent > 100 on scale-down goes negative (caught later by minReplicas).
    let big = rules(SelectPolicy::Max, &[(PolicyKind::Percent, 1000, 60)]);
    assert_eq!(scale_down_limit(&big, &st, 40, NOW), -360);
}

#[test]
fn select_policy_per_direction() {
    let st = recs(&[]);
    let both = [(PolicyKind::Pods, 2, 60), (PolicyKind::Percent, 50, 60)];
    // Scale-down from 5: Pods → 3, Percent → 2. Max (largest change) = 2, Min = 3.
    assert_eq!(
        scale_down_limit(&rules(SelectPolicy::Max, &both), &st, 5, NOW),
        2
    );
    assert_eq!(
        scale_down_limit(&rules(SelectPolicy::Min, &both), &st, 5, NOW),
        3
    );
    // Scale-up from 10: Pods → 12, Percent → 15. Max = 15, Min = 12. Disabled = current.
    assert_eq!(
        scale_up_limit(&rules(SelectPolicy::Max, &both), &st, 10, NOW),
        15
    );
    assert_eq!(
        scale_up_limit(&rules(SelectPolicy::Min, &both), &st, 10, NOW),
        12
    );
    assert_eq!(
        scale_up_limit(&rules(SelectPolicy::Disabled, &both), &st, 10, NOW),
        10
    );
    assert_eq!(
        scale_down_limit(&rules(SelectPolicy::Disabled, &both), &st, 10, NOW),
        10
    );
}

#[test]
fn period_start_uses_both_event_lists() {
    // Current 10, +2 and −4 within 180 s: start 12, Percent 50 → 6.
    let st = HpaState::with_history(vec![], events(&[(2, 60)]), events(&[(4, 60)]));
    let down = rules(SelectPolicy::Max, &[(PolicyKind::Percent, 50, 180)]);
    assert_eq!(scale_down_limit(&down, &st, 10, NOW), 6);
    // An event exactly one period old is outside: start 10 − 0 + 0.
    let st = HpaState::with_history(vec![], events(&[(2, 180)]), events(&[]));
    assert_eq!(scale_down_limit(&down, &st, 10, NOW), 5);
}

#[test]
fn rate_limit_raises_up_limit_to_current_and_applies_min_max() {
    let limits = Limits { min: 1, max: 1000 };
    // 15 added in 120 s: start 85, Pods 5 → 90 < 100 → limit = current: no scale-up.
    let st = HpaState::with_history(vec![], events(&[(1, 100), (5, 60), (9, 20)]), vec![]);
    let b = Behavior {
        scale_up: rules(SelectPolicy::Max, &[(PolicyKind::Pods, 5, 120)]),
        scale_down: rules(SelectPolicy::Max, &[(PolicyKind::Percent, 100, 15)]),
    };
    assert_eq!(
        rate_limit(&b, &st, limits, 100, 500, NOW),
        Some((100, Reason::ScaleUpLimit))
    );
    // maxReplicas below the policy limit.
    let st = recs(&[]);
    let l = Limits { min: 100, max: 150 };
    let def = Behavior {
        scale_up: rules(
            SelectPolicy::Max,
            &[(PolicyKind::Pods, 4, 15), (PolicyKind::Percent, 100, 15)],
        ),
        scale_down: rules(SelectPolicy::Max, &[(PolicyKind::Percent, 100, 15)]),
    };
    assert_eq!(
        rate_limit(&def, &st, l, 100, 1000, NOW),
        Some((150, Reason::TooManyReplicas))
    );
    // minReplicas above the policy floor (100 % down allows 0).
    let l = Limits { min: 5, max: 1000 };
    assert_eq!(
        rate_limit(&def, &st, l, 10, 2, NOW),
        Some((5, Reason::TooFewReplicas))
    );
    // Default behavior at 1 replica allows max(1 + 4, 2 × 1) = 5.
    assert_eq!(
        rate_limit(&def, &st, limits, 1, 10, NOW),
        Some((5, Reason::ScaleUpLimit))
    );
    assert_eq!(rate_limit(&def, &st, limits, 5, 7, NOW), None);
}
