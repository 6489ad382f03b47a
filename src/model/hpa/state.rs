//! The controller's in-memory history of one HPA: recommendations and scale events.
//!
//! Upstream keeps these in maps keyed by HPA (lost on a controller restart).
//! Recommendations are *unstabilized* proposals with their time; scale events
//! are replica changes with their time, used only with `spec.behavior`. Expired
//! entries are overwritten in place rather than removed, as upstream does, so
//! the order of entries is upstream's order too.

use crate::spec::hpa::{Behavior, ScalingRules};
use crate::units::{SIGNED_NANOS_PER_SEC, SignedNanos};

/// A stored proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recommendation {
    /// The unstabilized proposal.
    pub replicas: i32,
    /// When it was made.
    pub timestamp: SignedNanos,
}

/// A stored replica change (absolute value) in one direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScaleEvent {
    /// |new − old| replicas.
    pub change: i32,
    /// When the controller scaled.
    pub timestamp: SignedNanos,
    /// Older than the direction's longest policy period when last checked: reusable.
    pub outdated: bool,
}

/// The controller's memory of one HPA between syncs.
///
/// `Default` is an HPA never seen: the first reconcile seeds the recommendation
/// history with `(spec.replicas, now)` (docs/reference/hpa.md 1.2.2).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HpaState {
    seen: bool,
    recommendations: Vec<Recommendation>,
    scale_up_events: Vec<ScaleEvent>,
    scale_down_events: Vec<ScaleEvent>,
}

impl HpaState {
    /// An HPA already seen, with this history (for replay and tests).
    pub fn with_history(
        recommendations: Vec<Recommendation>,
        scale_up_events: Vec<ScaleEvent>,
        scale_down_events: Vec<ScaleEvent>,
    ) -> Self {
        HpaState {
            seen: true,
            recommendations,
            scale_up_events,
            scale_down_events,
        }
    }

    /// An HPA never seen whose scale events are preset (first-sight seeding still applies).
    pub fn unseen_with_events(
        scale_up_events: Vec<ScaleEvent>,
        scale_down_events: Vec<ScaleEvent>,
    ) -> Self {
        HpaState {
            seen: false,
            recommendations: Vec::new(),
            scale_up_events,
            scale_down_events,
        }
    }

    /// Has a reconcile (or a preset history) seen this HPA?
    pub fn seen(&self) -> bool {
        self.seen
    }

    /// The stored recommendations, in storage order.
    pub fn recommendations(&self) -> &[Recommendation] {
        &self.recommendations
    }

    /// The stored scale-up events, in storage order.
    pub fn scale_up_events(&self) -> &[ScaleEvent] {
        &self.scale_up_events
    }

    /// The stored scale-down events, in storage order.
    pub fn scale_down_events(&self) -> &[ScaleEvent] {
        &self.scale_down_events
    }

    /// `recordInitialRecommendation`: seeds `[(current, now)]` the first time.
    pub(super) fn seed_if_first_sight(&mut self, current: i32, now: SignedNanos) {
        if !self.seen {
            self.seen = true;
            self.recommendations = vec![Recommendation {
                replicas: current,
                timestamp: now,
            }];
        }
    }

    /// Mutable access for the stabilization functions.
    pub(super) fn recommendations_mut(&mut self) -> &mut Vec<Recommendation> {
        &mut self.recommendations
    }

    /// Stores `proposal` at `now`, overwriting the entry at `reuse` if given, else appending.
    pub(super) fn store_recommendation(
        &mut self,
        reuse: Option<usize>,
        proposal: i32,
        now: SignedNanos,
    ) {
        let rec = Recommendation {
            replicas: proposal,
            timestamp: now,
        };
        match reuse {
            Some(i) => self.recommendations[i] = rec,
            None => self.recommendations.push(rec),
        }
    }

    /// `storeScaleEvent`: records a change from `old` to `new` replicas (docs/reference/hpa.md 1.11.5).
    pub(super) fn store_scale_event(
        &mut self,
        behavior: &Behavior,
        old: i32,
        new: i32,
        now: SignedNanos,
    ) {
        let (events, rules, change) = if new > old {
            (&mut self.scale_up_events, &behavior.scale_up, new - old)
        } else {
            (&mut self.scale_down_events, &behavior.scale_down, old - new)
        };
        let cutoff = now - i64::from(longest_period_s(rules)) * SIGNED_NANOS_PER_SEC;
        for e in events.iter_mut() {
            if e.timestamp < cutoff {
                e.outdated = true;
            }
        }
        let event = ScaleEvent {
            change,
            timestamp: now,
            outdated: false,
        };
        match events.iter().rposition(|e| e.outdated) {
            Some(i) => events[i] = event,
            None => events.push(event),
        }
    }
}

/// `getLongestPolicyPeriod`.
fn longest_period_s(rules: &ScalingRules) -> i32 {
    rules
        .policies
        .iter()
        .map(|p| p.period_s)
        .max()
        .unwrap_or(0)
        .max(0)
}

/// `getReplicasChangePerPeriod`: sum of changes strictly newer than `now − period`.
pub(super) fn change_in_period(events: &[ScaleEvent], period_s: i32, now: SignedNanos) -> i32 {
    let cutoff = now - i64::from(period_s) * SIGNED_NANOS_PER_SEC;
    events
        .iter()
        .filter(|e| e.timestamp > cutoff)
        .fold(0i32, |sum, e| sum.saturating_add(e.change))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::hpa::{PolicyKind, ScalingPolicy, SelectPolicy};

    const S: SignedNanos = SIGNED_NANOS_PER_SEC;

    fn rules(period_s: i32) -> ScalingRules {
        ScalingRules {
            stabilization_window_s: Some(0),
            select_policy: SelectPolicy::Max,
            policies: vec![ScalingPolicy {
                kind: PolicyKind::Pods,
                value: 4,
                period_s,
            }],
            tolerance: None,
        }
    }

    fn ev(change: i32, timestamp: SignedNanos) -> ScaleEvent {
        ScaleEvent {
            change,
            timestamp,
            outdated: false,
        }
    }

    #[test]
    fn first_sight_seeds_once_and_preset_history_is_seen() {
        let mut s = HpaState::default();
        s.seed_if_first_sight(7, 100);
        s.seed_if_first_sight(9, 200);
        assert_eq!(
            s.recommendations(),
            &[Recommendation {
                replicas: 7,
                timestamp: 100
            }]
        );
        let mut empty = HpaState::with_history(vec![], vec![], vec![]);
        empty.seed_if_first_sight(7, 100);
        assert!(empty.recommendations().is_empty());
    }

    #[test]
    fn period_window_is_strict() {
        // An event exactly one period old is not counted; one a nanosecond younger is.
        let events = [ev(3, 1000 * S - 60 * S), ev(5, 1000 * S - 60 * S + 1)];
        assert_eq!(change_in_period(&events, 60, 1000 * S), 5);
    }

    #[test]
    fn store_marks_outdated_and_reuses_the_last_outdated_slot() {
        let b = Behavior {
            scale_up: rules(60),
            scale_down: rules(60),
        };
        let now = 1000 * S;
        let mut s = HpaState::with_history(
            vec![],
            vec![
                ev(1, now - 200 * S),
                ev(2, now - 100 * S),
                ev(3, now - 10 * S),
            ],
            vec![],
        );
        s.store_scale_event(&b, 5, 9, now);
        let up = s.scale_up_events();
        assert_eq!(up.len(), 3);
        assert!(up[0].outdated);
        assert_eq!(
            (up[1].change, up[1].timestamp, up[1].outdated),
            (4, now, false)
        );
        assert_eq!(up[2].change, 3);
        // No outdated slot: append; scale-down goes to its own list.
        s.store_scale_event(&b, 9, 6, now);
        assert_eq!(s.scale_down_events(), &[ev(3, now)]);
    }
}
