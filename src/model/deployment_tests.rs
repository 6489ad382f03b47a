//! Vectors from Kubernetes' own tests of the Deployment controller
//! (`rolling_test.go`, `sync_test.go` `TestScale`, the `ResolveFenceposts`
//! examples), replayed through [`super`].

use super::*;
use crate::spec::IntOrPercent::{Count, Percent};

fn strategy(max_surge: IntOrPercent, max_unavailable: IntOrPercent) -> RollingUpdate {
    RollingUpdate {
        max_surge,
        max_unavailable,
    }
}

#[test]
fn fenceposts_round_surge_up_and_unavailable_down() {
    // 25 % of 10: surge ceil(2.5) = 3, unavailable floor(2.5) = 2 (kubectl's 13 / 8).
    let d = strategy(Percent(25), Percent(25));
    assert_eq!(resolve_fenceposts(&d, 10), (3, 2));
    assert_eq!(resolve_fenceposts(&d, 4), (1, 1));
    assert_eq!(resolve_fenceposts(&d, 1), (1, 0));
    // ResolveFenceposts' examples: "2 desired, max unavailable 1%, surge 0%"
    // resolves to (0, 0) and so to unavailable 1: old(-1), then new(+1).
    assert_eq!(
        resolve_fenceposts(&strategy(Percent(0), Percent(1)), 2),
        (0, 1)
    );
    // "2 desired, max unavailable 25%, surge 1%": new(+1), then old(-1).
    assert_eq!(
        resolve_fenceposts(&strategy(Percent(1), Percent(25)), 2),
        (1, 0)
    );
    // MaxUnavailable is capped at the replica count, and 0 for none.
    assert_eq!(max_unavailable(&strategy(Count(0), Count(7)), 3), 3);
    assert_eq!(max_unavailable(&strategy(Count(0), Count(7)), 0), 0);
    assert_eq!(Percent(200).scaled(3, true), 6);
}

#[test]
fn reconcile_new_replica_set_vectors() {
    // TestDeploymentController_reconcileNewReplicaSet: (replicas, maxSurge, old, new) → new size.
    let cases = [
        (10, 0, 10, 0, None),
        (10, 2, 10, 0, Some(2)),
        (10, 2, 5, 0, Some(7)),
        (10, 2, 10, 2, None),
        (10, 2, 2, 11, Some(10)),
    ];
    for (d, surge, old, new, want) in cases {
        let rs = RsState {
            old,
            new,
            ..RsState::default()
        };
        assert_eq!(
            reconcile_new(&strategy(Count(surge), Count(0)), d, rs),
            want,
            "{d} {surge} {old} {new}"
        );
    }
}

#[test]
fn reconcile_old_replica_sets_vectors() {
    // TestDeploymentController_reconcileOldReplicaSets (maxSurge 0):
    // (replicas, maxUnavailable, old, new, old ready, new ready) → old size.
    let cases = [
        (10, 0, 10, 0, 10, 0, Some(9)),
        (10, 2, 10, 0, 10, 0, Some(8)),
        (10, 2, 10, 0, 8, 0, Some(8)),
        (10, 2, 10, 0, 9, 0, Some(8)),
        (10, 2, 8, 2, 8, 0, None),
    ];
    for (d, unavailable, old, new, old_available, new_available, want) in cases {
        let rs = RsState {
            old,
            new,
            old_available,
            new_available,
        };
        assert_eq!(
            reconcile_old(&strategy(Count(0), Count(unavailable)), d, rs),
            want,
            "{d} {unavailable} {old} {new} {old_available}"
        );
    }
}

#[test]
fn cleanup_and_scale_down_vectors() {
    // TestDeploymentController_cleanupUnhealthyReplicas: 10 old, 8 ready.
    assert_eq!(cleanup_unhealthy(10, 8, 1), 1);
    assert_eq!(cleanup_unhealthy(10, 8, 3), 2);
    assert_eq!(cleanup_unhealthy(10, 8, 0), 0);
    assert_eq!(cleanup_unhealthy(10, 10, 3), 0);
    // TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate, 10 replicas:
    // maxUnavailable 0 (resolved to 1), 10 ready → 9; maxUnavailable 2 → 8;
    // 8 ready → none; 1 ready → none.
    let min = |u: u32| 10 - i64::from(max_unavailable(&strategy(Count(0), Count(u)), 10));
    assert_eq!(10 - scale_down_old(10, 10, min(0)), 9);
    assert_eq!(10 - scale_down_old(10, 10, min(2)), 8);
    assert_eq!(scale_down_old(10, 8, min(2)), 0);
    assert_eq!(scale_down_old(10, 1, min(2)), 0);
}

/// `TestScale` (maxSurge and maxUnavailable 0 unless given): the sizes
/// (oldest first, newest last; the last is the new ReplicaSet when `with_new`)
/// after the replica count goes from `from` to `to`.
fn scaled(from: u32, to: u32, surge: u32, sizes: &[u32], with_new: bool) -> Vec<u32> {
    let s = strategy(Count(surge), Count(0));
    let sets: Vec<RsSize> = sizes
        .iter()
        .enumerate()
        .map(|(i, &replicas)| RsSize {
            replicas,
            created: i as u32,
        })
        .collect();
    let last = Annotations {
        desired: from,
        max: from + max_surge(&s, from),
    };
    let new = with_new.then_some(sizes.len() - 1);
    scale(&s, to, last, &sets, new, 0)
}

#[test]
fn scaling_events_are_proportional_as_in_test_scale() {
    assert_eq!(scaled(10, 12, 0, &[10], true), [12]);
    assert_eq!(scaled(10, 5, 0, &[10], true), [5]);
    assert_eq!(scaled(5, 10, 0, &[3, 2], true), [6, 4]);
    assert_eq!(scaled(5, 3, 0, &[3, 2], true), [2, 1]);
    assert_eq!(scaled(9, 4, 0, &[1, 8], true), [0, 4]);
    assert_eq!(scaled(7, 10, 0, &[2, 3, 2], true), [3, 4, 3]);
    assert_eq!(scaled(13, 8, 0, &[3, 8, 2], true), [2, 5, 1]);
    // Leftovers: up to the newest of equals, down from the oldest.
    assert_eq!(scaled(3, 4, 0, &[1, 1, 1], true), [1, 1, 2]);
    assert_eq!(scaled(3, 2, 0, &[1, 1, 1], true), [0, 1, 1]);
    assert_eq!(scaled(4, 5, 0, &[2, 2], false), [2, 3]);
    assert_eq!(scaled(6, 0, 0, &[1, 2, 3], true), [0, 0, 0]);
    assert_eq!(scaled(6, 6, 0, &[0, 0, 0], true), [0, 0, 6]);
    assert_eq!(scaled(10, 20, 2, &[6, 6], true), [11, 11]);
    assert_eq!(scaled(10, 14, 0, &[3, 7], false), [4, 10]);
}

#[test]
fn changing_surge_and_size_together() {
    // "change both surge and size": 10 replicas / surge 3 → 50 / surge 6.
    let s = strategy(Count(6), Count(0));
    let sets = [
        RsSize {
            replicas: 8,
            created: 0,
        },
        RsSize {
            replicas: 5,
            created: 1,
        },
    ];
    let last = Annotations {
        desired: 10,
        max: 13,
    };
    assert_eq!(scale(&s, 50, last, &sets, Some(1), 0), [34, 22]);
}

#[test]
fn a_saturated_but_broken_new_replica_set_leaves_old_pods_alone() {
    let s = strategy(Count(1), Count(1));
    let sets = [
        RsSize {
            replicas: 1,
            created: 0,
        },
        RsSize {
            replicas: 2,
            created: 1,
        },
    ];
    let last = Annotations { desired: 2, max: 3 };
    assert_eq!(scale(&s, 2, last, &sets, Some(1), 0), [1, 2]);
    // Saturated and available: the old ReplicaSet goes.
    assert_eq!(scale(&s, 2, last, &sets, Some(1), 2), [0, 2]);
}

#[test]
fn a_rollout_of_four_alternates_surge_and_scale_down() {
    // maxSurge 1, maxUnavailable 0: new +1, then (once it is available) old −1.
    let s = strategy(Count(1), Count(0));
    let mut rs = RsState {
        old: 4,
        old_available: 4,
        ..RsState::default()
    };
    assert_eq!(rolling_step(&s, 4, rs), Step::ScaleNew(1));
    rs.new = 1;
    assert_eq!(rolling_step(&s, 4, rs), Step::Idle);
    rs.new_available = 1;
    assert_eq!(rolling_step(&s, 4, rs), Step::ScaleOld(3));
}
