//! The one placement predicate: may this pod go on that node? kube-scheduler
//! ([`super::kube_scheduler`]), the cluster-autoscaler (filter-out-schedulable,
//! the binpacking estimator and scale-down's drain simulation, `ca::fit`) and
//! Karpenter (existing nodes, `karpenter::schedule`) all ask it, so a pod that one
//! of them places the others can place too, as the real CA runs the scheduler
//! framework's filters in `FilterOutSchedulable` and the binpacking estimator.
//!
//! Filters, in the order their failures are reported (`Misfit`): node selector
//! and hard taints (`NodeAffinity`, `TaintToleration`); requests within what is
//! free (`NodeResourcesFit`); required anti-affinity by hostname — no pod with
//! the same key on the node (`InterPodAffinity`); zone topology spread with
//! `whenUnsatisfiable: DoNotSchedule` — (pods of the app in the node's zone + 1)
//! − (fewest in any eligible zone) ≤ maxSkew (`PodTopologySpread`). Whether a
//! node is cordoned is the caller's business.

use crate::spec::resources::{PodNeeds, Resources, Taint};
use std::collections::BTreeMap;

/// Why a node cannot take a pod (the index is the reason's position in
/// kube-scheduler's report: 0 is "unschedulable", checked by the caller).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Misfit {
    /// Node selector or an untolerated NoSchedule/NoExecute taint.
    Taints = 1,
    /// Not enough free CPU, memory or pod slots.
    Resources = 2,
    /// A pod with the same required anti-affinity key is already on the node.
    AntiAffinity = 3,
    /// Placing it in the node's zone would exceed the spread's maxSkew.
    Spread = 4,
}

/// The rules of a pod that depend on other pods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PodRules<'a> {
    /// Required hostname anti-affinity key (the app).
    pub one_per_node: Option<&'a str>,
    /// Hard zone spread: (app, maxSkew).
    pub spread: Option<(&'a str, u32)>,
}

impl PodNeeds {
    /// The pod's inter-pod rules, from its `one_per_node` and `zone_spread`.
    pub fn rules(&self) -> PodRules<'_> {
        PodRules {
            one_per_node: self.one_per_node.as_deref(),
            spread: self
                .zone_spread
                .as_ref()
                .map(|s| (s.app.as_str(), s.max_skew)),
        }
    }

    /// The app this pod is counted under by other pods' rules (anti-affinity
    /// key or spread app; the two are the same name when both are set).
    pub fn app_key(&self) -> Option<&str> {
        self.one_per_node
            .as_deref()
            .or(self.zone_spread.as_ref().map(|s| s.app.as_str()))
    }
}

/// What the predicate needs to know about one node.
#[derive(Debug, Clone, Copy)]
pub struct NodeFacts<'a> {
    /// Labels.
    pub labels: &'a BTreeMap<String, String>,
    /// Taints.
    pub taints: &'a [Taint],
    /// Allocatable minus what its pods request.
    pub free: Resources,
    /// Pods on the node with the pod's anti-affinity key.
    pub same_key_pods: u32,
    /// With a spread rule: (pods of the app in this node's zone, fewest in any eligible zone).
    pub zone_counts: Option<(u32, u32)>,
}

/// Whether `pod` (with `rules`) may go on the node described by `node`.
pub fn check(pod: &PodNeeds, rules: PodRules, node: NodeFacts) -> Result<(), Misfit> {
    if !pod.admits(node.labels, node.taints) {
        return Err(Misfit::Taints);
    }
    if !node.free.fits(pod.requests) {
        return Err(Misfit::Resources);
    }
    if rules.one_per_node.is_some() && node.same_key_pods > 0 {
        return Err(Misfit::AntiAffinity);
    }
    if let (Some((_, max_skew)), Some((here, min))) = (rules.spread, node.zone_counts)
        && (here + 1).saturating_sub(min) > max_skew
    {
        return Err(Misfit::Spread);
    }
    Ok(())
}

/// Pods per (app, zone), for spread rules (looked up without allocating).
#[derive(Debug, Clone, Default)]
pub struct ZoneTally {
    counts: BTreeMap<String, BTreeMap<String, u32>>,
}

impl ZoneTally {
    /// Pods of `app` in `zone`.
    pub fn get(&self, app: &str, zone: &str) -> u32 {
        self.counts
            .get(app)
            .and_then(|z| z.get(zone))
            .copied()
            .unwrap_or(0)
    }

    /// Adds `delta` pods of `app` in `zone`.
    pub fn add(&mut self, app: &str, zone: &str, delta: i32) {
        if !self.counts.contains_key(app) {
            self.counts.insert(app.to_string(), BTreeMap::new());
        }
        let zones = self.counts.get_mut(app).expect("just inserted");
        if !zones.contains_key(zone) {
            zones.insert(zone.to_string(), 0);
        }
        let n = zones.get_mut(zone).expect("just inserted");
        *n = n.saturating_add_signed(delta);
    }

    /// The fewest pods of `app` over `zones` (0 if there are none).
    pub fn min_over<'z>(&self, app: &str, zones: impl IntoIterator<Item = &'z str>) -> u32 {
        zones
            .into_iter()
            .map(|z| self.get(app, z))
            .min()
            .unwrap_or(0)
    }
}

#[cfg(test)]
#[path = "predicate_tests.rs"]
mod tests;
