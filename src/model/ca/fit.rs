//! Placement primitives: an index of nodes by free CPU for "does this pod fit
//! somewhere?" questions, and the first-fit-decreasing binpacking estimator.
//! Both ask the same predicate as kube-scheduler ([`check`]: selector, taints,
//! requests, required anti-affinity by hostname, hard zone spread), as CA runs
//! the scheduler framework's filters in filter-out-schedulable and in
//! `estimator/binpacking_estimator.go`.
//!
//! Complexity. [`Bins::place`] walks the nodes with enough free CPU in
//! ascending order (a `BTreeSet` keyed by free millicores) and takes the first
//! that passes the predicate: O(log n) when that first node fits, O(k log n)
//! when k nodes with enough CPU must be skipped (memory-bound, label-mismatched
//! or anti-affinity-blocked nodes); a pod with a hard zone spread also scans the
//! nodes once for its eligible zones, O(n). [`estimate`] is exact first-fit
//! decreasing with a resume index per (request shape, anti-affinity key),
//! O(p log p + p + s·m) for p pods of s distinct shapes onto m new nodes.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::cluster::{NodeFacts, ZoneTally, check};
use crate::spec::placement::ZONE_LABEL;
use crate::spec::resources::{NodeTemplate, PodNeeds, Resources, Taint};

use super::snapshot::ratio;

/// Nodes with free capacity, indexed by free CPU.
#[derive(Debug, Default)]
pub(crate) struct Bins<'a> {
    /// Free resources per node.
    free: Vec<Resources>,
    /// Labels per node.
    labels: Vec<&'a BTreeMap<String, String>>,
    /// Taints per node.
    taints: Vec<&'a [Taint]>,
    /// Whether a node may receive pods.
    active: Vec<bool>,
    /// `(free CPU millicores, node index)` of active nodes.
    by_cpu: BTreeSet<(i64, usize)>,
    /// Per node: its pods per app key (what anti-affinity and spread count).
    apps: Vec<BTreeMap<String, u32>>,
    /// Pods per (app, zone) over every node pushed.
    zones: ZoneTally,
}

/// The zone label of a node ("" without one).
fn zone_of(labels: &BTreeMap<String, String>) -> &str {
    labels.get(ZONE_LABEL).map_or("", String::as_str)
}

impl<'a> Bins<'a> {
    /// Adds an active node without pods; returns its index (0, 1, … in call order).
    pub(crate) fn push(
        &mut self,
        free: Resources,
        labels: &'a BTreeMap<String, String>,
        taints: &'a [Taint],
    ) -> usize {
        self.push_with_pods(free, labels, taints, std::iter::empty())
    }

    /// Adds an active node whose `pods` are already on it (their requests are
    /// not in `free`; they count for anti-affinity and spread).
    pub(crate) fn push_with_pods<'p>(
        &mut self,
        free: Resources,
        labels: &'a BTreeMap<String, String>,
        taints: &'a [Taint],
        pods: impl IntoIterator<Item = &'p PodNeeds>,
    ) -> usize {
        let i = self.free.len();
        self.free.push(free);
        self.labels.push(labels);
        self.taints.push(taints);
        self.active.push(true);
        self.apps.push(BTreeMap::new());
        self.by_cpu.insert((free.cpu_milli, i));
        for p in pods {
            self.count(i, p, 1);
        }
        i
    }

    /// Counts `pod` (±1) on node `i` under its app key.
    fn count(&mut self, i: usize, pod: &PodNeeds, delta: i32) {
        if let Some(k) = pod.app_key() {
            let apps = &mut self.apps[i];
            match apps.get_mut(k) {
                Some(n) => *n = n.saturating_add_signed(delta),
                None => {
                    apps.insert(k.to_string(), u32::try_from(delta.max(0)).unwrap_or(0));
                }
            }
            self.zones.add(k, zone_of(self.labels[i]), delta);
        }
    }

    /// Zones of the nodes that admit `pod` (selector and taints): where its
    /// spread is counted, as `PodTopologySpread` counts over eligible nodes.
    fn eligible_zones(&self, pod: &PodNeeds) -> BTreeSet<&'a str> {
        (0..self.free.len())
            .filter(|&i| pod.admits(self.labels[i], self.taints[i]))
            .map(|i| zone_of(self.labels[i]))
            .collect()
    }

    /// The node (smallest free CPU first) that passes the predicate for `pod`, without placing it.
    pub(crate) fn find(&self, pod: &PodNeeds) -> Option<usize> {
        let need = pod.requests;
        let rules = pod.rules();
        let min = rules
            .spread
            .map(|(app, _)| self.zones.min_over(app, self.eligible_zones(pod)));
        self.by_cpu
            .range((need.cpu_milli, 0)..)
            .map(|&(_, i)| i)
            .find(|&i| {
                let facts = NodeFacts {
                    labels: self.labels[i],
                    taints: self.taints[i],
                    free: self.free[i],
                    same_key_pods: rules
                        .one_per_node
                        .and_then(|k| self.apps[i].get(k).copied())
                        .unwrap_or(0),
                    zone_counts: rules
                        .spread
                        .zip(min)
                        .map(|((app, _), min)| (self.zones.get(app, zone_of(self.labels[i])), min)),
                };
                check(pod, rules, facts).is_ok()
            })
    }

    /// Places `pod` on the node [`Bins::find`] returns; returns that node.
    pub(crate) fn place(&mut self, pod: &PodNeeds) -> Option<usize> {
        let i = self.find(pod)?;
        self.take(i, pod);
        Some(i)
    }

    /// Puts `pod` on node `i`: its requests come off, it counts there.
    pub(crate) fn take(&mut self, i: usize, pod: &PodNeeds) {
        self.set_free(i, self.free[i].minus(pod.requests));
        self.count(i, pod, 1);
    }

    /// Takes `pod` back off node `i` (undoes [`Bins::take`]).
    pub(crate) fn give(&mut self, i: usize, pod: &PodNeeds) {
        self.set_free(i, self.free[i].plus(pod.requests));
        self.count(i, pod, -1);
    }

    /// Stops (or resumes) offering node `i` as a destination.
    pub(crate) fn set_active(&mut self, i: usize, active: bool) {
        if self.active[i] == active {
            return;
        }
        self.active[i] = active;
        if active {
            self.by_cpu.insert((self.free[i].cpu_milli, i));
        } else {
            self.by_cpu.remove(&(self.free[i].cpu_milli, i));
        }
    }

    /// Updates the free resources of node `i`, keeping the index in step.
    fn set_free(&mut self, i: usize, free: Resources) {
        if self.active[i] {
            self.by_cpu.remove(&(self.free[i].cpu_milli, i));
            self.by_cpu.insert((free.cpu_milli, i));
        }
        self.free[i] = free;
    }
}

/// The binpacking estimate for one node group (an expander *option*).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Estimate {
    /// New nodes needed.
    pub(crate) node_count: u32,
    /// Indices (into the pending list given) of the pods those nodes would host.
    pub(crate) pods: Vec<usize>,
}

/// First-fit-decreasing estimate of how many `template` nodes the pods
/// `candidates` (indices into `pods`) need, at most `max_nodes` nodes
/// (`estimator/binpacking_estimator.go`, `decreasing_pod_orderer.go`).
///
/// Pods are sorted by `cpuReq/allocCPU + memReq/allocMem` of the template,
/// largest first (stable: equal scores keep their order). Each pod goes to the
/// first new node the predicate lets it on, or opens a new node; once
/// `max_nodes` are open, pods that fit none are left out. A new node holds at
/// most one pod per required anti-affinity key, and a pod with a hard zone
/// spread is left out when one more pod in the template's zone would exceed
/// its maxSkew, counting the pods already on `cluster` (registered and upcoming
/// nodes after filter-out-schedulable) and those this estimate placed.
/// Candidates must already pass the template's selector, taints and size (see
/// [`template_admits`]).
pub(crate) fn estimate(
    template: &NodeTemplate,
    pods: &[&PodNeeds],
    candidates: &[usize],
    max_nodes: u32,
    cluster: &Bins,
) -> Estimate {
    let alloc = template.allocatable;
    let zone = zone_of(&template.labels);
    let score = |p: &PodNeeds| {
        ratio(p.requests.cpu_milli, alloc.cpu_milli)
            + ratio(p.requests.memory_bytes, alloc.memory_bytes)
    };
    let mut order: Vec<(f64, usize)> = candidates.iter().map(|&i| (score(pods[i]), i)).collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut free: Vec<Resources> = Vec::new();
    // Anti-affinity keys on each new node.
    let mut keys: Vec<Vec<&str>> = Vec::new();
    // Pods placed here per app key (all in the template's zone).
    let mut added: BTreeMap<&str, u32> = BTreeMap::new();
    // Eligible zones per spread app (the template's zone is one: candidates fit it).
    let mut eligible: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    // First node worth trying per (shape, key): earlier nodes did not take it and only fill up.
    let mut resume: BTreeMap<(Resources, Option<&str>), usize> = BTreeMap::new();
    let mut helped = Vec::new();
    for (_, i) in order {
        let pod = pods[i];
        let rules = pod.rules();
        if let Some((app, max_skew)) = rules.spread {
            let zones = eligible.entry(app).or_insert_with(|| {
                let mut z = cluster.eligible_zones(pod);
                z.insert(zone);
                z
            });
            let count = |z: &str| {
                cluster.zones.get(app, z)
                    + if z == zone {
                        added.get(app).copied().unwrap_or(0)
                    } else {
                        0
                    }
            };
            let min = zones.iter().map(|z| count(z)).min().unwrap_or(0);
            if (count(zone) + 1).saturating_sub(min) > max_skew {
                continue;
            }
        }
        let need = pod.requests;
        let key = rules.one_per_node;
        let start = resume.get(&(need, key)).copied().unwrap_or(0);
        let slot = (start..free.len())
            .find(|&n| free[n].fits(need) && key.is_none_or(|k| !keys[n].contains(&k)));
        let slot = match slot {
            Some(n) => n,
            None if (free.len() as u64) < u64::from(max_nodes) => {
                free.push(alloc);
                keys.push(Vec::new());
                free.len() - 1
            }
            None => {
                resume.insert((need, key), free.len());
                continue;
            }
        };
        free[slot] = free[slot].minus(need);
        keys[slot].extend(key);
        if let Some(app) = pod.app_key() {
            *added.entry(app).or_insert(0) += 1;
        }
        resume.insert((need, key), slot);
        helped.push(i);
    }
    Estimate {
        node_count: free.len() as u32,
        pods: helped,
    }
}

/// Whether a pod could run on an empty node from `template`: selector, taints and size.
pub(crate) fn template_admits(template: &NodeTemplate, pod: &PodNeeds) -> bool {
    template.allocatable.fits(pod.requests) && pod.admits(&template.labels, &template.taints)
}
