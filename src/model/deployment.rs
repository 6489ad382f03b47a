//! The Kubernetes Deployment controller's `RollingUpdate` arithmetic, as
//! pure functions of ReplicaSet sizes (`pkg/controller/deployment`:
//! `rolling.go`, `sync.go`, `util/deployment_util.go`).
//!
//! - **Fenceposts** (`ResolveFenceposts`): `maxSurge` is scaled against the
//!   replica count rounding up, `maxUnavailable` rounding down; if both come
//!   out 0 (only rounding can do that: validation refuses two written zeros)
//!   `maxUnavailable` becomes 1. `MaxUnavailable` is at most the replica
//!   count, and 0 for a Deployment of 0 replicas.
//! - **A rollout step** (`rolloutRolling`): first `reconcileNewReplicaSet`
//!   (grow the new ReplicaSet while all ReplicaSets together stay within
//!   replicas + maxSurge, never beyond the replica count); if it scaled
//!   nothing, `reconcileOldReplicaSets` (scale the old ones down: first
//!   their unready pods, then Ready ones while the available pods stay at or
//!   above replicas − maxUnavailable, counting the new ReplicaSet's
//!   unavailable pods against it). Sizes are `spec.replicas`: terminating
//!   pods count for nothing.
//! - **A scaling event** (`scale`): when `spec.replicas` changes mid-rollout
//!   (an HPA), a lone active ReplicaSet takes the new count; otherwise every
//!   active ReplicaSet grows or shrinks in proportion to its size (against
//!   the `max-replicas` annotation), leftovers to the largest.
//!
//! The unit tests replay vectors from Kubernetes' own `rolling_test.go` and
//! `sync_test.go`.

use crate::spec::{IntOrPercent, RollingUpdate};

impl IntOrPercent {
    /// `GetScaledValueFromIntOrPercent`: a count as is; a percentage of
    /// `total`, rounded up or down.
    pub fn scaled(self, total: u32, round_up: bool) -> u32 {
        match self {
            IntOrPercent::Count(n) => n,
            IntOrPercent::Percent(p) => {
                let x = u64::from(p) * u64::from(total);
                let v = if round_up { x.div_ceil(100) } else { x / 100 };
                v.min(u64::from(u32::MAX)) as u32
            }
        }
    }
}

/// `ResolveFenceposts`: (maxSurge, maxUnavailable) for `desired` replicas.
pub fn resolve_fenceposts(s: &RollingUpdate, desired: u32) -> (u32, u32) {
    let surge = s.max_surge.scaled(desired, true);
    let unavailable = s.max_unavailable.scaled(desired, false);
    if surge == 0 && unavailable == 0 {
        // "set maxUnavailable to 1 on the theory that surge might not work due to quota"
        return (0, 1);
    }
    (surge, unavailable)
}

/// `MaxSurge`: pods allowed above `desired`.
pub fn max_surge(s: &RollingUpdate, desired: u32) -> u32 {
    resolve_fenceposts(s, desired).0
}

/// `MaxUnavailable`: pods allowed below `desired` (0 for 0 replicas, at most `desired`).
pub fn max_unavailable(s: &RollingUpdate, desired: u32) -> u32 {
    if desired == 0 {
        return 0;
    }
    resolve_fenceposts(s, desired).1.min(desired)
}

/// The old and new ReplicaSets of a rollout: `spec.replicas` and available (Ready) pods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RsState {
    /// spec.replicas of the old ReplicaSet(s).
    pub old: u32,
    /// spec.replicas of the new ReplicaSet.
    pub new: u32,
    /// Available pods of the old ReplicaSet(s).
    pub old_available: u32,
    /// Available pods of the new ReplicaSet.
    pub new_available: u32,
}

/// What one step of `rolloutRolling` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The new ReplicaSet is scaled to this size.
    ScaleNew(u32),
    /// The old ReplicaSet(s) are scaled to this size.
    ScaleOld(u32),
    /// Nothing to do until a pod turns Ready (or the replica count changes).
    Idle,
}

/// One sync of `rolloutRolling` for `desired` replicas.
pub fn rolling_step(s: &RollingUpdate, desired: u32, rs: RsState) -> Step {
    if let Some(n) = reconcile_new(s, desired, rs) {
        return Step::ScaleNew(n);
    }
    match reconcile_old(s, desired, rs) {
        Some(o) => Step::ScaleOld(o),
        None => Step::Idle,
    }
}

/// `reconcileNewReplicaSet` with `NewRSNewReplicas`: the new ReplicaSet's next size, if it changes.
fn reconcile_new(s: &RollingUpdate, desired: u32, rs: RsState) -> Option<u32> {
    if rs.new == desired {
        return None;
    }
    if rs.new > desired {
        return Some(desired);
    }
    let max_total = u64::from(desired) + u64::from(s.max_surge.scaled(desired, true));
    let current = u64::from(rs.old) + u64::from(rs.new);
    if current >= max_total {
        return None;
    }
    let up = (max_total - current).min(u64::from(desired - rs.new)) as u32;
    Some(rs.new + up)
}

/// `reconcileOldReplicaSets`: the old ReplicaSets' next size, if it changes.
fn reconcile_old(s: &RollingUpdate, desired: u32, rs: RsState) -> Option<u32> {
    if rs.old == 0 {
        return None;
    }
    let all = i64::from(rs.old) + i64::from(rs.new);
    let min_available = i64::from(desired) - i64::from(max_unavailable(s, desired));
    let new_unavailable = i64::from(rs.new) - i64::from(rs.new_available);
    let max_scaled_down = all - min_available - new_unavailable;
    if max_scaled_down <= 0 {
        return None;
    }
    let cleaned = cleanup_unhealthy(rs.old, rs.old_available, max_scaled_down);
    let old = rs.old - cleaned;
    let down = scale_down_old(old, rs.old_available + rs.new_available, min_available);
    (cleaned + down > 0).then_some(old - down)
}

/// `cleanupUnhealthyReplicas`: how many of the old ReplicaSets' unavailable pods go, at most `max`.
fn cleanup_unhealthy(old: u32, old_available: u32, max: i64) -> u32 {
    let unhealthy = old.saturating_sub(old_available);
    (i64::from(unhealthy).min(max.max(0))) as u32
}

/// `scaleDownOldReplicaSetsForRollingUpdate`: how many old pods go while `available` stays ≥ `min_available`.
fn scale_down_old(old: u32, available: u32, min_available: i64) -> u32 {
    let spare = i64::from(available) - min_available;
    if spare <= 0 {
        return 0;
    }
    (i64::from(old).min(spare)) as u32
}

/// A ReplicaSet in a scaling event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RsSize {
    /// spec.replicas.
    pub replicas: u32,
    /// Creation order: greater is newer.
    pub created: u32,
}

/// What a Deployment's ReplicaSets were last scaled for (their annotations).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Annotations {
    /// `deployment.kubernetes.io/desired-replicas`.
    pub desired: u32,
    /// `deployment.kubernetes.io/max-replicas` (replicas + maxSurge).
    pub max: u32,
}

/// `scale`: the ReplicaSets' sizes (in the order of `sets`) after the
/// Deployment's replica count became `desired`. `new` indexes the new
/// ReplicaSet, if any, and `new_available` is its available pods.
pub fn scale(
    s: &RollingUpdate,
    desired: u32,
    last: Annotations,
    sets: &[RsSize],
    new: Option<usize>,
    new_available: u32,
) -> Vec<u32> {
    let mut sizes: Vec<u32> = sets.iter().map(|r| r.replicas).collect();
    let active: Vec<usize> = (0..sets.len()).filter(|&i| sets[i].replicas > 0).collect();
    // FindActiveOrLatest: a lone active ReplicaSet, or (none active) the newest.
    let lone = match active.len() {
        0 => new.or_else(|| (0..sets.len()).max_by_key(|&i| sets[i].created)),
        1 => Some(active[0]),
        _ => None,
    };
    if let Some(i) = lone {
        sizes[i] = desired;
        return sizes;
    }
    if let Some(n) = new
        && sets[n].replicas == desired
        && last.desired == desired
        && new_available == desired
    {
        // IsSaturated: the old ReplicaSets go entirely.
        for (i, size) in sizes.iter_mut().enumerate() {
            if i != n {
                *size = 0;
            }
        }
        return sizes;
    }
    let allowed = if desired > 0 {
        i64::from(desired) + i64::from(max_surge(s, desired))
    } else {
        0
    };
    let total: i64 = active.iter().map(|&i| i64::from(sets[i].replicas)).sum();
    let to_add = allowed - total;
    if to_add == 0 {
        return sizes;
    }
    let mut order = active;
    // Larger first; on ties newer first when growing, older first when shrinking.
    order.sort_by_key(|&i| {
        let age = if to_add > 0 {
            u32::MAX - sets[i].created
        } else {
            sets[i].created
        };
        (std::cmp::Reverse(sets[i].replicas), age)
    });
    let mut added = 0i64;
    let mut next: Vec<i64> = sizes.iter().map(|&x| i64::from(x)).collect();
    for &i in &order {
        let p = proportion(s, desired, last.max, sets[i].replicas, to_add, added);
        next[i] += p;
        added += p;
    }
    let first = order[0];
    next[first] = (next[first] + to_add - added).max(0);
    for (size, n) in sizes.iter_mut().zip(next) {
        *size = n.max(0) as u32;
    }
    sizes
}

/// `GetProportion`: what a ReplicaSet of `replicas` gains (or loses) of `to_add`, `added` being given out already.
fn proportion(
    s: &RollingUpdate,
    desired: u32,
    annotated_max: u32,
    replicas: u32,
    to_add: i64,
    added: i64,
) -> i64 {
    if replicas == 0 || to_add == 0 || to_add == added {
        return 0;
    }
    let r = i64::from(replicas);
    // getReplicaSetFraction
    let fraction = if desired == 0 {
        -r
    } else {
        let allowed = f64::from(desired) + f64::from(max_surge(s, desired));
        // integer.RoundToInt32: math.Round, half away from zero.
        (r as f64 * allowed / f64::from(annotated_max.max(1))).round() as i64 - r
    };
    let room = to_add - added;
    if to_add > 0 {
        fraction.min(room)
    } else {
        fraction.max(room)
    }
}

#[cfg(test)]
#[path = "deployment_tests.rs"]
mod tests;
