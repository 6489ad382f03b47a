//! What a run records of its cluster as it goes: each node's stay, by node
//! id (launch, stop, spot interruption: the bill is read from it), the
//! cluster's row of each metrics interval (nodes per group, pending pods,
//! requested and allocatable resources), and the spot tallies. It becomes
//! the run's [`ClusterResult`] at the end.

use crate::metrics::cluster::{ClusterResult, ClusterRow, NodeRecord};
use crate::spec::ClusterSpec;
use crate::units::Nanos;

/// The cluster's records of one run.
#[derive(Debug, Clone, Default)]
pub struct ClusterLog {
    /// Every node that existed, indexed by node id.
    pub nodes: Vec<NodeRecord>,
    /// One row per closed metrics interval.
    pub series: Vec<ClusterRow>,
    /// Where the interval being recorded began.
    pub last_tick_ns: Nanos,
    /// Spot interruption notices received.
    pub spot_interruptions: u64,
    /// Pods on the nodes those notices named.
    pub pods_evicted: u64,
}

impl ClusterLog {
    /// The run's cluster results, for the cluster of `spec`.
    pub fn into_result(self, spec: &ClusterSpec) -> ClusterResult {
        ClusterResult {
            groups: spec.groups.iter().map(|g| g.name.clone()).collect(),
            group_max: spec.groups.iter().map(|g| g.max).collect(),
            series: self.series,
            nodes: self.nodes,
            control_plane_usd_per_hour: spec.control_plane_usd_per_hour,
            spot_interruptions: self.spot_interruptions,
            pods_evicted: self.pods_evicted,
        }
    }
}
