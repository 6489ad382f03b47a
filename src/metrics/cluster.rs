//! What the cluster did in one run: nodes per group over time, pending
//! pods, requested and allocatable resources, and each node's life (for
//! billing).

use crate::model::cluster::Resources;
use crate::units::Nanos;

/// One node's life.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeRecord {
    /// Node group index.
    pub group: u32,
    /// Launch time (0 for nodes present at the start).
    pub launched_ns: Nanos,
    /// Termination time; `None` = still running at the end.
    pub stopped_ns: Option<Nanos>,
    /// Terminated by a spot interruption (AWS's doing, not the user's).
    pub interrupted: bool,
}

/// The cluster at the end of one interval.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterRow {
    /// Interval start.
    pub start_ns: Nanos,
    /// Interval end.
    pub end_ns: Nanos,
    /// Per node group: (Ready, launching) nodes.
    pub nodes: Vec<(u32, u32)>,
    /// Pods waiting for a node.
    pub pending_pods: u32,
    /// Requests of the pods on Ready nodes.
    pub requested: Resources,
    /// Allocatable of the Ready nodes.
    pub allocatable: Resources,
}

/// The cluster's results of one run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClusterResult {
    /// Node group names, in spec order.
    pub groups: Vec<String>,
    /// One row per interval.
    pub series: Vec<ClusterRow>,
    /// Every node's life, by node id.
    pub nodes: Vec<NodeRecord>,
}
