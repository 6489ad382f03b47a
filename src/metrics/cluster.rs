//! What the cluster did in one run: nodes per group over time, pending
//! pods, requested and allocatable resources, and each node's life, from
//! which [`ClusterResult::bill`] builds the run's [`Bill`].

use super::bill::Bill;
use crate::spec::resources::{CapacityType, Resources};
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
    /// How it was bought.
    pub capacity: CapacityType,
    /// Its price.
    pub price_usd_per_hour: f64,
    /// Its zone.
    pub zone: String,
    /// Its instance type.
    pub instance_type: String,
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
    /// Each group's maximum size.
    pub group_max: Vec<u32>,
    /// One row per interval.
    pub series: Vec<ClusterRow>,
    /// Every node's life, by node id.
    pub nodes: Vec<NodeRecord>,
    /// The control plane's price.
    pub control_plane_usd_per_hour: f64,
    /// Spot interruption notices received.
    pub spot_interruptions: u64,
    /// Pods evicted by spot interruptions.
    pub pods_evicted: u64,
}

impl ClusterResult {
    /// The run's bill: every node from launch to termination, and the control plane.
    pub fn bill(&self) -> Bill {
        let mut bill = Bill::new(self.control_plane_usd_per_hour, 0);
        let mut stops: Vec<(Nanos, u64, bool)> = Vec::new();
        for (id, n) in self.nodes.iter().enumerate() {
            bill.node_started(
                id as u64,
                &self.groups[n.group as usize],
                n.capacity,
                n.price_usd_per_hour,
                n.launched_ns,
            );
            if let Some(t) = n.stopped_ns {
                stops.push((t, id as u64, n.interrupted));
            }
        }
        for (t, id, interrupted) in stops {
            bill.node_stopped(id, t, interrupted);
        }
        bill
    }
}
