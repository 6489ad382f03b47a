//! What the simulation shows the cluster-autoscaler each loop: node groups,
//! registered nodes with their pods, and pending unschedulable pods.
//!
//! The simulation rebuilds (or updates) a [`Snapshot`] before every call; the
//! autoscaler never mutates it. Everything is in `Vec`s so that iteration
//! order, and hence every decision, is deterministic.

use std::collections::BTreeMap;

use crate::model::cluster::ids::{GroupId, NodeId};
use crate::spec::resources::{NodeTemplate, PodNeeds, Resources, Taint};
use crate::units::Nanos;

/// One autoscaled node group (an ASG on AWS).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupView {
    /// The node a scale-up would add; `template.group` is the group's name.
    pub template: NodeTemplate,
    /// The node's `Status.Capacity` (before kube-reserved and eviction
    /// threshold); `least-waste` and `price` use it (reference §2).
    pub capacity: Resources,
    /// `MinSize`.
    pub min_size: u32,
    /// `MaxSize`.
    pub max_size: u32,
    /// `TargetSize`: the desired capacity, registered plus upcoming nodes.
    pub target_size: u32,
    /// Upcoming nodes: requested from the cloud but not registered yet.
    pub upcoming: u32,
}

impl GroupView {
    /// The group's name.
    pub fn name(&self) -> &str {
        &self.template.group
    }
}

/// What kind of pod runs on a node, for scale-down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodKind {
    /// A pod with a controller (Deployment, ReplicaSet, …): moved elsewhere on scale-down.
    Movable,
    /// A DaemonSet pod: not moved, does not make a node non-empty.
    DaemonSet,
    /// A mirror (static) pod: not moved, does not make a node non-empty.
    Mirror,
}

/// A pod bound to a node.
#[derive(Debug, Clone, PartialEq)]
pub struct NodePod {
    /// Requests, selector and tolerations.
    pub needs: PodNeeds,
    /// DaemonSet, mirror or movable.
    pub kind: PodKind,
    /// The pod blocks removal of its node whatever the capacity elsewhere
    /// (reference §1.3): its PDB allows no disruption, it has no controller,
    /// it is a kube-system pod without PDB, it has local storage, or it is
    /// annotated `safe-to-evict: "false"`.
    pub blocks_removal: bool,
}

/// A registered node.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeView {
    /// The node (timers key on it; it displays as the node's name).
    pub id: NodeId,
    /// Its node group, an index into [`Snapshot::groups`]; `None` for nodes
    /// the autoscaler does not manage.
    pub group: Option<GroupId>,
    /// Node labels.
    pub labels: BTreeMap<String, String>,
    /// Node taints (without CA's own `ToBeDeletedByClusterAutoscaler`).
    pub taints: Vec<Taint>,
    /// Allocatable resources.
    pub allocatable: Resources,
    /// Pods bound to it, DaemonSet and mirror pods included.
    pub pods: Vec<NodePod>,
    /// Whether the node is Ready.
    pub ready: bool,
    /// Being deleted or drained (by an earlier scale-down): neither a
    /// candidate nor a destination, and it counts against the parallelism limits.
    pub being_deleted: bool,
    /// Annotated `cluster-autoscaler.kubernetes.io/scale-down-disabled=true`.
    pub scale_down_disabled: bool,
}

impl NodeView {
    /// Sum of every pod's requests (DaemonSet and mirror pods included).
    pub fn requested(&self) -> Resources {
        self.pods
            .iter()
            .fold(Resources::default(), |acc, p| acc.plus(p.needs.requests))
    }

    /// Free resources: allocatable minus requested.
    pub fn free(&self) -> Resources {
        self.allocatable.minus(self.requested())
    }

    /// Scale-down utilisation with `extra` requests added (pending pods placed
    /// here): the larger of CPU and memory of `CalculateUtilizationOfResource`
    /// (`simulator/utilization/info.go`), Σ pod requests ÷ allocatable, every
    /// pod counted (`--ignore-daemonsets-utilization=false`, the default). With
    /// `ignore_daemonsets`, DaemonSet pods leave the sum and their requests are
    /// taken off allocatable: Σ other requests ÷ (allocatable − Σ DaemonSet).
    pub fn utilization(&self, extra: Resources, ignore_daemonsets: bool) -> f64 {
        let (mut counted, mut daemonsets) = (extra, Resources::default());
        for p in &self.pods {
            if ignore_daemonsets && p.kind == PodKind::DaemonSet {
                daemonsets = daemonsets.plus(p.needs.requests);
            } else {
                counted = counted.plus(p.needs.requests);
            }
        }
        let room = self.allocatable.minus(daemonsets);
        ratio(counted.cpu_milli, room.cpu_milli).max(ratio(counted.memory_bytes, room.memory_bytes))
    }

    /// No pods other than DaemonSet and mirror pods.
    pub fn is_empty(&self) -> bool {
        self.pods.iter().all(|p| p.kind != PodKind::Movable)
    }
}

/// `a / b`, or 0 when `b` is 0 (a resource the node does not have).
pub(crate) fn ratio(a: i64, b: i64) -> f64 {
    if b <= 0 { 0.0 } else { a as f64 / b as f64 }
}

/// A pod whose `PodScheduled` condition is False with reason `Unschedulable`.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingPod {
    /// Requests, selector and tolerations.
    pub needs: PodNeeds,
    /// When the pod was created (for `--new-pod-scale-up-delay` and the 2 s buffer).
    pub created_ns: Nanos,
}

/// Everything one autoscaler loop looks at.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    /// Autoscaled node groups.
    pub groups: Vec<GroupView>,
    /// Registered nodes (Ready or not); upcoming ones are counted in [`GroupView::upcoming`].
    pub nodes: Vec<NodeView>,
    /// Pending unschedulable pods.
    pub pending: Vec<PendingPod>,
}

impl Snapshot {
    /// The group `id`.
    pub fn group(&self, id: GroupId) -> &GroupView {
        &self.groups[id.index()]
    }
}
