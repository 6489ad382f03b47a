//! Scale-down: which nodes are unneeded, their timers, the cooldowns, and
//! which of the removable ones go this loop (reference §1.3,
//! `core/scaledown/eligibility`, `core/scaledown/unneeded`, `budgets`).
//!
//! Complexity per loop: one pass over the candidates, each pod on a candidate
//! placed once on the index of destination nodes ([`super::fit::Bins`]):
//! O(n log n + P·log n) for n nodes and P pods on candidates when pods fit the
//! first node with enough free CPU; no all-pairs node comparison.

use std::collections::BTreeMap;

use crate::model::cluster::ids::{GroupId, NodeId};
use crate::spec::resources::{PodNeeds, Resources};
use crate::units::Nanos;

use super::config::CaConfig;
use super::fit::Bins;
use super::snapshot::{NodeView, PodKind, Snapshot};
use super::state::CaState;

/// One node to delete now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaleDownDecision {
    /// The node.
    pub node: NodeId,
    /// Its node group (shrinks by one).
    pub group: GroupId,
    /// Only DaemonSet or mirror pods: delete at once. Otherwise drain first
    /// (taint, evict, grace ≤ `max-graceful-termination-sec`), then delete.
    pub empty: bool,
    /// Why: utilisation, how long unneeded.
    pub reason: String,
}

/// Whether deletions are paused at `now_ns` (`isScaleDownInCooldown`); the reason if so.
pub fn cooldown(cfg: &CaConfig, state: &CaState, now_ns: Nanos) -> Option<&'static str> {
    let within = |at: Option<Nanos>, delay: Nanos| at.is_some_and(|t| t + delay > now_ns);
    if within(state.last_scale_up_ns, cfg.scale_down_delay_after_add_ns) {
        Some("scale-down-delay-after-add")
    } else if within(
        state.last_scale_down_fail_ns,
        cfg.scale_down_delay_after_failure_ns,
    ) {
        Some("scale-down-delay-after-failure")
    } else if within(
        state.last_scale_down_delete_ns,
        cfg.scale_down_delay_after_delete_ns,
    ) {
        Some("scale-down-delay-after-delete")
    } else {
        None
    }
}

/// Finds the unneeded nodes and updates their timers in `state`; returns
/// `(index in [`Snapshot::nodes`], empty)` in the order they were checked;
/// empty means no pods but DaemonSet and mirror pods, and no pending pod
/// placed on it.
///
/// Pending pods that fit a Ready node are placed first (best fit by CPU) and
/// count as that node's pods, as in CA's snapshot after filter-out-schedulable.
/// Candidates: nodes of a group above its min size, not being deleted, not
/// annotated scale-down-disabled (NotReady ones only with
/// `--scale-down-unready-enabled`); previously unneeded nodes first (oldest
/// first), then snapshot order. A candidate is unneeded when its utilisation
/// is ≤ the threshold, none of its pods blocks removal, and every movable pod
/// fits on another Ready node that is neither being deleted nor already found
/// unneeded. Placements are remembered, so two candidates cannot count on the
/// same free capacity.
pub fn update_unneeded(
    snap: &Snapshot,
    cfg: &CaConfig,
    state: &mut CaState,
    now_ns: Nanos,
) -> Vec<(usize, bool)> {
    let mut bins = Bins::default();
    let mut bin_of: Vec<Option<usize>> = vec![None; snap.nodes.len()];
    let mut node_of: Vec<usize> = Vec::new();
    for (i, n) in snap.nodes.iter().enumerate() {
        if n.ready && !n.being_deleted {
            let pods = n.pods.iter().map(|p| &p.needs);
            bin_of[i] = Some(bins.push_with_pods(n.free(), &n.labels, &n.taints, pods));
            node_of.push(i);
        }
    }
    // Pending pods that fit somewhere are placed first, as CA's filter-out-schedulable does in its snapshot.
    let mut extra: Vec<Vec<&PodNeeds>> = vec![Vec::new(); snap.nodes.len()];
    for p in &snap.pending {
        if let Some(b) = bins.place(&p.needs) {
            extra[node_of[b]].push(&p.needs);
        }
    }
    let above_min = |n: &NodeView| {
        n.group
            .and_then(|g| snap.groups.get(g.index()))
            .is_some_and(|g| g.target_size > g.min_size)
    };
    let mut candidates: Vec<(Option<Nanos>, usize)> = snap
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            !n.being_deleted
                && !n.scale_down_disabled
                && (n.ready || cfg.scale_down_unready_enabled)
                && above_min(n)
        })
        .map(|(i, n)| (state.unneeded_since.get(&n.id).copied(), i))
        .collect();
    // Previously unneeded (oldest first), then the rest in snapshot order.
    candidates.sort_by_key(|&(since, i)| (since.is_none(), since, i));
    let mut unneeded = Vec::new();
    let mut since = BTreeMap::new();
    for (was, i) in candidates {
        let n = &snap.nodes[i];
        let util = n.utilization(sum(&extra[i]), cfg.ignore_daemonsets_utilization);
        if util > cfg.scale_down_utilization_threshold || n.pods.iter().any(|p| p.blocks_removal) {
            continue;
        }
        if let Some(b) = bin_of[i] {
            bins.set_active(b, false);
        }
        let mut placed: Vec<(usize, &PodNeeds)> = Vec::new();
        let mut ok = true;
        let movable = n
            .pods
            .iter()
            .filter(|p| p.kind == PodKind::Movable)
            .map(|p| &p.needs)
            .chain(extra[i].iter().copied());
        for p in movable {
            match bins.place(p) {
                Some(dest) => placed.push((dest, p)),
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if !ok {
            for (dest, pod) in placed {
                bins.give(dest, pod);
            }
            if let Some(b) = bin_of[i] {
                bins.set_active(b, true);
            }
            continue;
        }
        unneeded.push((i, n.is_empty() && extra[i].is_empty()));
        since.insert(n.id, was.unwrap_or(now_ns));
    }
    state.unneeded_since = since;
    unneeded
}

/// One scale-down loop: updates the unneeded timers, then (outside cooldown)
/// returns the nodes to delete now.
///
/// A node is removable when it has been unneeded for longer than
/// `--scale-down-unneeded-time` (`--scale-down-unready-time` if NotReady;
/// strictly longer: `since + time < now`) and its group stays at or above its
/// min size. Empty nodes go first, up to `--max-scale-down-parallelism` minus
/// deletions in progress; then at most `--max-drain-parallelism` non-empty
/// nodes (minus drains in progress) within what is left of that budget.
/// A loop that deferred scale-up for young pods updates the timers but deletes nothing.
/// `GroupView::target_size` must still count nodes being deleted.
pub fn scale_down(
    snap: &Snapshot,
    cfg: &CaConfig,
    state: &mut CaState,
    now_ns: Nanos,
) -> Vec<ScaleDownDecision> {
    if !cfg.scale_down_enabled {
        return Vec::new();
    }
    let unneeded = update_unneeded(snap, cfg, state, now_ns);
    if state.scale_down_skipped_at_ns == Some(now_ns) || cooldown(cfg, state, now_ns).is_some() {
        return Vec::new();
    }
    // Room above min size per group, after deletions already in progress.
    let mut room: Vec<i64> = snap
        .groups
        .iter()
        .map(|g| i64::from(g.target_size) - i64::from(g.min_size))
        .collect();
    let (mut busy_empty, mut busy_drain) = (0u32, 0u32);
    for n in snap.nodes.iter().filter(|n| n.being_deleted) {
        if let Some(r) = n.group.and_then(|g| room.get_mut(g.index())) {
            *r -= 1;
        }
        if n.is_empty() {
            busy_empty += 1;
        } else {
            busy_drain += 1;
        }
    }
    let mut budget = cfg
        .max_scale_down_parallelism
        .saturating_sub(busy_empty + busy_drain);
    let mut drain_budget = cfg.max_drain_parallelism.saturating_sub(busy_drain);
    let removable: Vec<(usize, bool)> = unneeded
        .into_iter()
        .filter(|&(i, _)| {
            let n = &snap.nodes[i];
            let wait = if n.ready {
                cfg.scale_down_unneeded_time_ns
            } else {
                cfg.scale_down_unready_time_ns
            };
            state
                .unneeded_since
                .get(&n.id)
                .is_some_and(|&s| s + wait < now_ns)
        })
        .collect();
    let mut out = Vec::new();
    for want_empty in [true, false] {
        for &(i, empty) in &removable {
            let n = &snap.nodes[i];
            if empty != want_empty || budget == 0 || (!want_empty && drain_budget == 0) {
                continue;
            }
            let Some(group) = n.group else {
                continue;
            };
            let Some(r) = room.get_mut(group.index()) else {
                continue;
            };
            if *r <= 0 {
                continue;
            }
            *r -= 1;
            budget -= 1;
            if !want_empty {
                drain_budget -= 1;
            }
            let since = state.unneeded_since.get(&n.id).copied().unwrap_or(now_ns);
            out.push(ScaleDownDecision {
                node: n.id,
                group,
                empty: want_empty,
                reason: format!(
                    "utilization {:.3} <= {}, unneeded for {} s{}",
                    n.utilization(Resources::default(), cfg.ignore_daemonsets_utilization),
                    cfg.scale_down_utilization_threshold,
                    (now_ns - since) / 1_000_000_000,
                    if want_empty {
                        ", empty"
                    } else {
                        ", pods fit elsewhere; drain"
                    }
                ),
            });
        }
    }
    if !out.is_empty() {
        state.last_scale_down_delete_ns = Some(now_ns);
        for d in &out {
            state.unneeded_since.remove(&d.node);
        }
    }
    out
}

/// Sum of the requests of `pods`.
fn sum(pods: &[&PodNeeds]) -> Resources {
    pods.iter()
        .fold(Resources::default(), |acc, p| acc.plus(p.requests))
}
