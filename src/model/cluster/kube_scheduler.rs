//! Pod placement as kube-scheduler does it: filter the nodes, score the
//! feasible ones, take the best.
//!
//! Filters (a node is feasible only if all pass): not cordoned; the pod's
//! requests fit what is left of the node's allocatable (`NodeResourcesFit`);
//! `nodeSelector` matches and every NoSchedule/NoExecute taint is tolerated
//! (`NodeAffinity`, `TaintToleration`); required pod anti-affinity by
//! hostname — no pod of the same app on the node (`InterPodAffinity`); zone
//! topology spread with `whenUnsatisfiable: DoNotSchedule` — placing the pod
//! keeps (pods of the app in the node's zone + 1) − (fewest in any eligible
//! zone) ≤ maxSkew (`PodTopologySpread`). The last four are
//! [`super::check`], the predicate the cluster-autoscaler and
//! Karpenter place pods with too.
//!
//! Scores (0–100 each, weighted as the default scheduler profile weights
//! them): `NodeResourcesFit` ×1 — least-allocated (default) or most-allocated,
//! the mean over CPU and memory of the free (or used) share after placing the
//! pod; `InterPodAffinity` ×2 for preferred anti-affinity — fewer pods of the
//! app on the node (times the weight) is better; `PodTopologySpread` ×2 —
//! fewer pods of the app in the node's zone is better; `TaintToleration` ×3
//! — fewer untolerated PreferNoSchedule taints is better. The last three are
//! scaled to 0–100 over the feasible nodes, min to max, as the plugins
//! normalize their scores (simplified: PodTopologySpread's own formula is
//! also decreasing in the count but not linear min–max). Ties go to the first
//! node in search order.
//!
//! Like kube-scheduler (`percentageOfNodesToScore`), the search stops once
//! it has found max(100, n × max(5, 50 − n/125) %) feasible nodes, starting
//! where the previous search stopped; so a placement costs O(feasible
//! nodes found), not O(all nodes), in a large cluster.
//!
//! The vocabulary the scenario shares (the zone label, anti-affinity, zone
//! spread, the scoring strategy) is [`crate::spec::placement`].

use super::{NodeFacts, PodRules, check};
use crate::spec::placement::{AntiAffinity, Scoring, ZONE_LABEL, ZoneSpread};
use crate::spec::resources::{PodNeeds, Resources, Taint, TaintEffect};
use std::collections::BTreeMap;

/// A node as the scheduler sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeView {
    /// Labels (the zone under [`ZONE_LABEL`]).
    pub labels: BTreeMap<String, String>,
    /// Taints.
    pub taints: Vec<Taint>,
    /// What pods may request in total.
    pub allocatable: Resources,
    /// What the pods on it request.
    pub requested: Resources,
    /// Cordoned (draining, interrupted): no new pods.
    pub cordoned: bool,
    /// Pods on it per app.
    pub apps: BTreeMap<String, u32>,
}

impl NodeView {
    fn zone(&self) -> &str {
        self.labels.get(ZONE_LABEL).map_or("", String::as_str)
    }

    fn app_pods(&self, app: &str) -> u32 {
        self.apps.get(app).copied().unwrap_or(0)
    }
}

/// One pod to place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodToPlace {
    /// Requests, selector, tolerations.
    pub needs: PodNeeds,
    /// Its app (the label anti-affinity and spread select on).
    pub app: String,
    /// Anti-affinity to its own app.
    pub anti_affinity: AntiAffinity,
    /// Zone spread of its app.
    pub spread: Option<ZoneSpread>,
}

/// Why no node took the pod, as kube-scheduler's event counts it ("0/5 nodes are available: …").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unschedulable {
    /// Nodes considered.
    pub nodes: usize,
    /// Reasons with how many nodes each ruled out, in a fixed order.
    pub reasons: Vec<(&'static str, usize)>,
}

impl std::fmt::Display for Unschedulable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "0/{} nodes are available", self.nodes)?;
        for (i, (why, n)) in self.reasons.iter().enumerate() {
            write!(f, "{} {n} {why}", if i == 0 { ":" } else { "," })?;
        }
        Ok(())
    }
}

/// The scheduler: its scoring strategy and where the last search stopped.
#[derive(Debug, Clone)]
pub struct Scheduler {
    scoring: Scoring,
    next_start: usize,
}

/// Filter failures, in the order reported.
const REASONS: [&str; 5] = [
    "node(s) were unschedulable",
    "node(s) had untolerated taint or didn't match Pod's node selector",
    "Insufficient resources",
    "node(s) didn't match pod anti-affinity rules",
    "node(s) didn't match pod topology spread constraints",
];

impl Scheduler {
    /// A scheduler scoring with `scoring`.
    pub fn new(scoring: Scoring) -> Self {
        Scheduler {
            scoring,
            next_start: 0,
        }
    }

    /// How many feasible nodes a search looks for among `n` (`numFeasibleNodesToFind`).
    pub fn feasible_to_find(n: usize) -> usize {
        if n <= 100 {
            return n;
        }
        let pct = (50 - (n / 125) as i64).max(5) as usize;
        (n * pct / 100).max(100)
    }

    /// The node (index into `nodes`) for `pod`, or why there is none.
    pub fn place(&mut self, pod: &PodToPlace, nodes: &[NodeView]) -> Result<usize, Unschedulable> {
        let n = nodes.len();
        let want = Self::feasible_to_find(n);
        let zone_min = pod
            .spread
            .map(|_| zone_counts(pod, nodes).values().copied().min().unwrap_or(0));
        let zones = pod.spread.map(|_| zone_counts(pod, nodes));
        let mut failures = [0usize; 5];
        let mut feasible: Vec<Candidate> = Vec::new();
        let mut last = self.next_start;
        for k in 0..n {
            let i = (self.next_start + k) % n;
            last = i;
            match self.filter(pod, &nodes[i], zone_min, zones.as_ref()) {
                Err(r) => failures[r] += 1,
                Ok(()) => {
                    feasible.push(self.raw_scores(i, pod, &nodes[i], zones.as_ref()));
                    if feasible.len() >= want {
                        break;
                    }
                }
            }
        }
        self.next_start = if n == 0 { 0 } else { (last + 1) % n };
        best(&feasible).ok_or_else(|| Unschedulable {
            nodes: n,
            reasons: REASONS
                .iter()
                .zip(failures)
                .filter(|(_, c)| *c > 0)
                .map(|(r, c)| (*r, c))
                .collect(),
        })
    }

    fn filter(
        &self,
        pod: &PodToPlace,
        node: &NodeView,
        zone_min: Option<u32>,
        zones: Option<&BTreeMap<String, u32>>,
    ) -> Result<(), usize> {
        if node.cordoned {
            return Err(0);
        }
        // The predicate CA and Karpenter use too (`cluster::check`).
        let hard_spread = pod.spread.filter(|s| s.hard);
        let rules = PodRules {
            one_per_node: (pod.anti_affinity == AntiAffinity::Required).then_some(pod.app.as_str()),
            spread: hard_spread.map(|s| (pod.app.as_str(), s.max_skew)),
        };
        let zone_counts = match (hard_spread, zone_min, zones) {
            (Some(_), Some(min), Some(z)) => Some((z.get(node.zone()).copied().unwrap_or(0), min)),
            _ => None,
        };
        let facts = NodeFacts {
            labels: &node.labels,
            taints: &node.taints,
            free: node.allocatable.minus(node.requested),
            same_key_pods: node.app_pods(&pod.app),
            zone_counts,
        };
        check(&pod.needs, rules, facts).map_err(|m| m as usize)
    }

    /// A feasible node's raw scores.
    fn raw_scores(
        &self,
        index: usize,
        pod: &PodToPlace,
        node: &NodeView,
        zones: Option<&BTreeMap<String, u32>>,
    ) -> Candidate {
        let after = node.requested.plus(pod.needs.requests);
        let share = |used: i64, total: i64| {
            if total <= 0 {
                0.0
            } else {
                (used as f64 / total as f64).clamp(0.0, 1.0)
            }
        };
        let used = (share(after.cpu_milli, node.allocatable.cpu_milli)
            + share(after.memory_bytes, node.allocatable.memory_bytes))
            / 2.0;
        let fit = match self.scoring {
            Scoring::LeastAllocated => 1.0 - used,
            Scoring::MostAllocated => used,
        };
        Candidate {
            index,
            fit: (fit * 100.0).round() as i64,
            affinity_cost: match pod.anti_affinity {
                AntiAffinity::Preferred(w) => i64::from(w) * i64::from(node.app_pods(&pod.app)),
                _ => 0,
            },
            spread_cost: zones.map_or(0, |z| i64::from(z.get(node.zone()).copied().unwrap_or(0))),
            taint_cost: node
                .taints
                .iter()
                .filter(|t| t.effect == TaintEffect::PreferNoSchedule)
                .filter(|t| !pod.needs.tolerations.iter().any(|tol| tol.tolerates(t)))
                .count() as i64,
        }
    }
}

/// Raw scores of one feasible node.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    index: usize,
    /// `NodeResourcesFit`, 0–100.
    fit: i64,
    /// Σ weight × same-app pods on the node (preferred anti-affinity).
    affinity_cost: i64,
    /// Same-app pods in the node's zone.
    spread_cost: i64,
    /// Untolerated PreferNoSchedule taints.
    taint_cost: i64,
}

/// The best candidate: fit ×1 + anti-affinity ×2 + spread ×2 + taints ×3,
/// each cost scaled to 0–100 over the candidates (fewer is better); the first on ties.
fn best(c: &[Candidate]) -> Option<usize> {
    let scaled = |cost: fn(&Candidate) -> i64| {
        let max = c.iter().map(cost).max().unwrap_or(0);
        let min = c.iter().map(cost).min().unwrap_or(0);
        move |x: &Candidate| {
            if max == min {
                100
            } else {
                100 * (max - cost(x)) / (max - min)
            }
        }
    };
    let (aff, spread, taint) = (
        scaled(|x| x.affinity_cost),
        scaled(|x| x.spread_cost),
        scaled(|x| x.taint_cost),
    );
    let mut best: Option<(i64, usize)> = None;
    for x in c {
        let total = x.fit + 2 * aff(x) + 2 * spread(x) + 3 * taint(x);
        if best.is_none_or(|(s, _)| total > s) {
            best = Some((total, x.index));
        }
    }
    best.map(|(_, i)| i)
}

/// Pods of `pod`'s app per zone, over the zones of nodes the pod may run on.
fn zone_counts(pod: &PodToPlace, nodes: &[NodeView]) -> BTreeMap<String, u32> {
    let mut counts = BTreeMap::new();
    for node in nodes
        .iter()
        .filter(|n| pod.needs.admits(&n.labels, &n.taints))
    {
        *counts.entry(node.zone().to_string()).or_insert(0) += node.app_pods(&pod.app);
    }
    counts
}

#[cfg(test)]
mod tests;
