//! Consolidation (reference §3.2): one pass of Karpenter's disruption
//! controller. Methods run in order and the first that finds something wins:
//!
//! 1. **Emptiness**: delete consolidatable empty nodes in parallel (both policies).
//! 2. **Multi-node** (`WhenEmptyOrUnderutilized`): binary search for the
//!    longest prefix (≥ 2, at most 100) of the ordered candidates whose pods
//!    fit on the other nodes plus at most one new node that is cheaper than
//!    the candidates together (and than any candidate of the same type).
//! 3. **Single-node**: the first candidate that can be deleted (its pods fit
//!    elsewhere) or replaced by one strictly cheaper node.
//!
//! A node is a candidate once `now − lastPodEvent ≥ consolidateAfter`, if it
//! is initialized, not deleting and not `do-not-disrupt`. Budgets (§3.3) cap
//! the candidates per pool and reason. Spot→spot replacement needs
//! [`ConsolidationOptions::spot_to_spot`] (off by default) and, for a single
//! node, at least 15 cheaper spot types. The caller waits
//! [`super::COMMAND_VALIDATION_DELAY_NS`] before executing and launches
//! replacements before deleting.

use super::budget::allowed_disruptions;
use super::ice::IceCache;
use super::provision::{Launch, launch_of};
use super::schedule::{self, ClusterNode};
use super::{MIN_TYPES_SPOT_TO_SPOT, MULTI_NODE_MAX_CANDIDATES};
use crate::model::cluster::ids::PoolId;
use crate::spec::node_pool::{ConsolidationPolicy, DisruptionReason, NodePool};
use crate::spec::resources::CapacityType;
use crate::units::Nanos;

/// Switches of the disruption controller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConsolidationOptions {
    /// Feature gate `SpotToSpotConsolidation` (default false).
    pub spot_to_spot: bool,
}

/// Which method produced a disruption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsolidationMethod {
    /// Empty nodes deleted in parallel.
    Emptiness,
    /// Several nodes deleted, optionally one replacement.
    MultiNode,
    /// One node deleted or replaced.
    SingleNode,
}

/// One disruption command.
#[derive(Debug, Clone, PartialEq)]
pub struct Disruption {
    /// Indices of the nodes to delete.
    pub nodes: Vec<usize>,
    /// The node to launch first, if a replace; its `pods` index the deleted
    /// nodes' pods taken in `nodes` order, then each node's pod order.
    pub replacement: Option<Launch>,
    /// Budget reason.
    pub reason: DisruptionReason,
    /// Method.
    pub method: ConsolidationMethod,
    /// Price removed minus price added, US dollars per hour.
    pub savings_usd_per_hour: f64,
}

/// The decisions of one pass.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Consolidation {
    /// Commands to execute (empty = nothing to do).
    pub disruptions: Vec<Disruption>,
}

/// Runs one consolidation pass over `nodes` at `now_ns`.
pub fn consolidate(
    nodes: &[ClusterNode],
    pools: &[NodePool],
    ice: &IceCache,
    now_ns: Nanos,
    options: &ConsolidationOptions,
) -> Consolidation {
    let pool_of: Vec<Option<usize>> = nodes
        .iter()
        .map(|n| n.pool.map(PoolId::index).filter(|&p| p < pools.len()))
        .collect();
    let mut budget: Vec<[usize; 2]> = pools
        .iter()
        .enumerate()
        .map(|(p, pool)| {
            let mine = || {
                nodes
                    .iter()
                    .zip(&pool_of)
                    .filter(|(_, q)| **q == Some(p))
                    .map(|(n, _)| n)
            };
            let total = mine().count();
            let deleting = mine().filter(|n| n.deleting).count();
            let not_ready = mine().filter(|n| !n.deleting && !n.ready).count();
            [DisruptionReason::Empty, DisruptionReason::Underutilized]
                .map(|r| allowed_disruptions(&pool.spec.budgets, r, total, deleting, not_ready))
        })
        .collect();
    let consolidatable = |i: usize| -> Option<usize> {
        let n = &nodes[i];
        let p = pool_of[i]?;
        let after = pools[p].spec.consolidate_after_ns?;
        (n.initialized
            && !n.deleting
            && !n.do_not_disrupt
            && now_ns >= n.last_pod_event_ns.saturating_add(after))
        .then_some(p)
    };
    let mut out = Consolidation::default();
    for (i, node) in nodes.iter().enumerate() {
        if let Some(p) = consolidatable(i).filter(|_| node.pods.is_empty())
            && budget[p][0] > 0
        {
            budget[p][0] -= 1;
            out.disruptions.push(Disruption {
                nodes: vec![i],
                replacement: None,
                reason: DisruptionReason::Empty,
                method: ConsolidationMethod::Emptiness,
                savings_usd_per_hour: node.price_usd_per_hour,
            });
        }
    }
    if !out.disruptions.is_empty() {
        return out;
    }
    let mut candidates: Vec<usize> = (0..nodes.len())
        .filter(|&i| {
            consolidatable(i).is_some_and(|p| {
                pools[p].spec.consolidation_policy == ConsolidationPolicy::WhenEmptyOrUnderutilized
            }) && !nodes[i].pods.is_empty()
        })
        .collect();
    // Docs' order (§3.2): fewer pods first; then the more expensive node (more savings); then index.
    candidates.sort_by(|&a, &b| {
        nodes[a]
            .pods
            .len()
            .cmp(&nodes[b].pods.len())
            .then(
                nodes[b]
                    .price_usd_per_hour
                    .total_cmp(&nodes[a].price_usd_per_hour),
            )
            .then(a.cmp(&b))
    });
    candidates.retain(|&i| {
        let b = &mut budget[pool_of[i].unwrap_or(0)][1];
        let ok = *b > 0;
        *b = b.saturating_sub(1);
        ok
    });
    candidates.truncate(MULTI_NODE_MAX_CANDIDATES);
    let eval = |set: &[usize]| evaluate(set, nodes, pools, ice, now_ns, options);
    if candidates.len() >= 2 {
        // Longest valid prefix of length ≥ 2, by binary search on the last index (`firstNConsolidationOption`).
        let (mut lo, mut hi, mut best) = (1usize, candidates.len() - 1, None);
        while lo <= hi {
            let mid = (lo + hi) / 2;
            match eval(&candidates[..=mid]) {
                Some(d) => {
                    best = Some(d);
                    lo = mid + 1;
                }
                None => hi = mid - 1,
            }
        }
        if let Some(d) = best {
            out.disruptions.push(d);
            return out;
        }
    }
    if let Some(d) = candidates.iter().find_map(|&c| eval(&[c])) {
        out.disruptions.push(d);
    }
    out
}

/// Whether deleting `set` is possible, and with which replacement (`computeConsolidation`).
fn evaluate(
    set: &[usize],
    nodes: &[ClusterNode],
    pools: &[NodePool],
    ice: &IceCache,
    now_ns: Nanos,
    options: &ConsolidationOptions,
) -> Option<Disruption> {
    let mut excluded = vec![false; nodes.len()];
    for &i in set {
        excluded[i] = true;
    }
    let usable: Vec<bool> = nodes
        .iter()
        .zip(&excluded)
        .map(|(n, ex)| !n.deleting && !ex)
        .collect();
    let pods: Vec<_> = set
        .iter()
        .flat_map(|&i| nodes[i].pods.iter().cloned())
        .collect();
    let sched = schedule::simulate(&pods, nodes, &usable, &excluded, pools, ice, now_ns);
    let removed: f64 = set.iter().map(|&i| nodes[i].price_usd_per_hour).sum();
    let method = if set.len() > 1 {
        ConsolidationMethod::MultiNode
    } else {
        ConsolidationMethod::SingleNode
    };
    let disruption = |replacement: Option<Launch>| {
        let added = replacement.as_ref().map_or(0.0, |l| l.price_usd_per_hour);
        Disruption {
            nodes: set.to_vec(),
            replacement,
            reason: DisruptionReason::Underutilized,
            method,
            savings_usd_per_hour: removed - added,
        }
    };
    if !sched.unschedulable.is_empty() || sched.claims.len() > 1 {
        return None;
    }
    let Some(claim) = sched.claims.first() else {
        return Some(disruption(None));
    };
    let pool = &pools[claim.pool];
    let mut max_price = removed;
    if set.len() > 1 {
        // `filterOutSameType`: a replacement of a candidate's type must undercut that candidate,
        // else deleting the others alone is the better command.
        for &i in set {
            let option = |t: &usize| {
                let pt = &pool.types[*t];
                pt.it.name == nodes[i].instance_type && pt.allocatable.fits(claim.requests)
            };
            if claim.types.iter().any(option) {
                max_price = max_price.min(nodes[i].price_usd_per_hour);
            }
        }
    }
    let mut offers = schedule::offerings(pool, claim, ice, now_ns, Some(max_price));
    let all_spot = set
        .iter()
        .all(|&i| nodes[i].capacity_type == CapacityType::Spot);
    if all_spot && claim.caps.contains(&CapacityType::Spot) {
        if !options.spot_to_spot {
            return None;
        }
        offers.retain(|o| o.cap == CapacityType::Spot);
        if set.len() == 1 {
            let mut types: Vec<usize> = offers.iter().map(|o| o.ty).collect();
            types.dedup();
            if types.len() < MIN_TYPES_SPOT_TO_SPOT {
                return None;
            }
            // Keep the 15 cheapest types (offerings are ordered by type price).
            let keep = &types[..MIN_TYPES_SPOT_TO_SPOT];
            offers.retain(|o| keep.contains(&o.ty));
        }
    }
    let chosen = schedule::choose(pool, &offers)?;
    Some(disruption(Some(launch_of(pool, claim, chosen))))
}

#[cfg(test)]
#[path = "consolidate_tests.rs"]
mod tests;
