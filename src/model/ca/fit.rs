//! Placement primitives: an index of nodes by free CPU for "does this pod fit
//! somewhere?" questions, and the first-fit-decreasing binpacking estimator.
//!
//! Complexity. [`Bins::place`] walks the nodes with enough free CPU in
//! ascending order (a `BTreeSet` keyed by free millicores) and takes the first
//! whose memory, pod slots, selector and taints also fit: O(log n) when that
//! first node fits, O(k log n) when k nodes with enough CPU must be skipped
//! (memory-bound or label-mismatched nodes). [`estimate`] is exact first-fit
//! decreasing with a per-request-shape resume index, O(p log p + p + s·m) for
//! p pods of s distinct request shapes onto m new nodes.

use std::collections::{BTreeMap, BTreeSet};

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
}

impl<'a> Bins<'a> {
    /// Adds an active node; returns its index (0, 1, … in call order).
    pub(crate) fn push(
        &mut self,
        free: Resources,
        labels: &'a BTreeMap<String, String>,
        taints: &'a [Taint],
    ) -> usize {
        let i = self.free.len();
        self.free.push(free);
        self.labels.push(labels);
        self.taints.push(taints);
        self.active.push(true);
        self.by_cpu.insert((free.cpu_milli, i));
        i
    }

    /// The node (smallest free CPU first) that admits and fits `pod`, without placing it.
    pub(crate) fn find(&self, pod: &PodNeeds) -> Option<usize> {
        let need = pod.requests;
        self.by_cpu
            .range((need.cpu_milli, 0)..)
            .map(|&(_, i)| i)
            .find(|&i| self.free[i].fits(need) && pod.admits(self.labels[i], self.taints[i]))
    }

    /// Places `pod` on the node [`Bins::find`] returns; returns that node.
    pub(crate) fn place(&mut self, pod: &PodNeeds) -> Option<usize> {
        let i = self.find(pod)?;
        self.take(i, pod.requests);
        Some(i)
    }

    /// Subtracts `need` from node `i`'s free resources.
    pub(crate) fn take(&mut self, i: usize, need: Resources) {
        self.set_free(i, self.free[i].minus(need));
    }

    /// Gives `need` back to node `i` (undoes [`Bins::take`]).
    pub(crate) fn give(&mut self, i: usize, need: Resources) {
        self.set_free(i, self.free[i].plus(need));
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
/// first new node that fits it, or opens a new node; once `max_nodes` are
/// open, pods that fit none are left out. Candidates must already pass the
/// template's selector, taints and size (see [`template_admits`]).
pub(crate) fn estimate(
    template: &NodeTemplate,
    pods: &[&PodNeeds],
    candidates: &[usize],
    max_nodes: u32,
) -> Estimate {
    let alloc = template.allocatable;
    let score = |p: &PodNeeds| {
        ratio(p.requests.cpu_milli, alloc.cpu_milli)
            + ratio(p.requests.memory_bytes, alloc.memory_bytes)
    };
    let mut order: Vec<(f64, usize)> = candidates.iter().map(|&i| (score(pods[i]), i)).collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut free: Vec<Resources> = Vec::new();
    // First node worth trying per request shape: earlier nodes did not fit this shape and only fill up.
    let mut resume: BTreeMap<Resources, usize> = BTreeMap::new();
    let mut helped = Vec::new();
    for (_, i) in order {
        let need = pods[i].requests;
        let start = resume.get(&need).copied().unwrap_or(0);
        let slot = (start..free.len()).find(|&n| free[n].fits(need));
        let slot = match slot {
            Some(n) => n,
            None if (free.len() as u64) < u64::from(max_nodes) => {
                free.push(alloc);
                free.len() - 1
            }
            None => {
                resume.insert(need, free.len());
                continue;
            }
        };
        free[slot] = free[slot].minus(need);
        resume.insert(need, slot);
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
