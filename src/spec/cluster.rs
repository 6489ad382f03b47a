//! Validated specs of the cluster: node groups, their instance types and
//! prices, DaemonSet overhead, the scheduler's scoring, the node autoscaler
//! and scheduled cluster events, and what a service's pod needs from a node
//! (its placement constraints are [`super::placement`]). Times are
//! nanoseconds, prices US dollars per hour.

use crate::spec::dist::WorkDist;
use crate::spec::node_pool::NodePool;
use crate::spec::placement::{Scoring, ZONE_LABEL};
use crate::spec::resources::{CapacityType, Resources, Taint};
use crate::units::Nanos;
use std::collections::BTreeMap;

/// An instance type, built in or user-defined.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceSpec {
    /// Name.
    pub name: String,
    /// Virtual CPUs.
    pub vcpus: u32,
    /// Memory in bytes.
    pub memory_bytes: u64,
    /// On-demand price.
    pub on_demand_usd_per_hour: f64,
    /// Most pods on a node.
    pub max_pods: u32,
}

/// One node group.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeGroupSpec {
    /// Unique name.
    pub name: String,
    /// Its instance type.
    pub instance: InstanceSpec,
    /// How its nodes are bought.
    pub capacity: CapacityType,
    /// What one node costs (after the spot or reserved discount).
    pub price_usd_per_hour: f64,
    /// Spot interruptions per node-hour (`None` for on-demand and reserved).
    pub interruptions_per_hour: Option<f64>,
    /// Zones its nodes spread over, round-robin.
    pub zones: Vec<String>,
    /// Fewest nodes.
    pub min: u32,
    /// Most nodes.
    pub max: u32,
    /// Nodes at the start.
    pub initial: u32,
    /// Node labels (the zone and instance-type labels are added per node).
    pub labels: BTreeMap<String, String>,
    /// Node taints.
    pub taints: Vec<Taint>,
    /// Launch to node Ready.
    pub boot: WorkDist,
    /// What pods can request on one node.
    pub allocatable: Resources,
    /// Windows [from, to) when launches fail for lack of capacity.
    pub shortages: Vec<(Nanos, Nanos)>,
    /// `Some(p)`: this group stands for Karpenter NodePool `p` (its nodes
    /// vary in type, price and capacity type; Karpenter, not an ASG, sizes it).
    pub pool: Option<usize>,
}

impl NodeGroupSpec {
    /// The labels of this group's nodes in `zone`: its own, plus zone, instance type and group.
    pub fn node_labels(&self, zone: &str) -> BTreeMap<String, String> {
        let mut labels = self.labels.clone();
        labels.insert(ZONE_LABEL.to_string(), zone.to_string());
        labels.insert(
            "node.kubernetes.io/instance-type".to_string(),
            self.instance.name.clone(),
        );
        labels.insert("capsim/node-group".to_string(), self.name.clone());
        labels
    }
}

/// What adds and removes nodes.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeAutoscalerSpec {
    /// Fixed node groups (each at its `initial` size).
    None,
    /// The Kubernetes cluster-autoscaler.
    ClusterAutoscaler {
        /// Expander chain, e.g. `[Priority, LeastWaste]`.
        expanders: Vec<crate::spec::expander::Expander>,
        /// `--balance-similar-node-groups`.
        balance_similar: bool,
        /// Priority expander: group → priority.
        priorities: BTreeMap<String, i64>,
        /// `--scan-interval`.
        scan_interval_ns: Option<Nanos>,
        /// `--scale-down-unneeded-time`.
        unneeded_ns: Option<Nanos>,
        /// `--scale-down-utilization-threshold`.
        utilization_threshold: Option<f64>,
        /// `--scale-down-delay-after-add`.
        delay_after_add_ns: Option<Nanos>,
        /// `--ignore-daemonsets-utilization` (false: DaemonSet pods count in a node's utilisation).
        ignore_daemonsets_utilization: bool,
    },
    /// Karpenter, provisioning from NodePools.
    Karpenter {
        /// The NodePools, in file order.
        pools: Vec<KarpenterPoolSpec>,
        /// The `SpotToSpotConsolidation` feature gate.
        spot_to_spot: bool,
    },
}

/// A Karpenter NodePool in the scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct KarpenterPoolSpec {
    /// The pool, resolved against the catalog (allocatable less the DaemonSet overhead).
    pub pool: NodePool,
    /// The node group (in [`ClusterSpec::groups`]) that stands for it.
    pub group: usize,
    /// Windows when launches of matching offerings fail.
    pub shortages: Vec<OfferingShortage>,
}

/// A window [from, to) when launches of matching offerings fail (InsufficientInstanceCapacity).
#[derive(Debug, Clone, PartialEq)]
pub struct OfferingShortage {
    /// Start.
    pub from_ns: Nanos,
    /// End.
    pub to_ns: Nanos,
    /// Only this capacity type.
    pub capacity: Option<CapacityType>,
    /// Only this instance type.
    pub instance_type: Option<String>,
    /// Only this zone.
    pub zone: Option<String>,
}

impl OfferingShortage {
    /// Whether a launch of `instance_type` as `capacity` in `zone` at `now` fails.
    pub fn hits(
        &self,
        instance_type: &str,
        capacity: CapacityType,
        zone: &str,
        now: Nanos,
    ) -> bool {
        self.from_ns <= now
            && now < self.to_ns
            && self.capacity.is_none_or(|c| c == capacity)
            && self
                .instance_type
                .as_deref()
                .is_none_or(|t| t == instance_type)
            && self.zone.as_deref().is_none_or(|z| z == zone)
    }
}

/// The cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterSpec {
    /// Node groups, in file order.
    pub groups: Vec<NodeGroupSpec>,
    /// Per-node DaemonSet requests (already taken off each group's allocatable).
    pub daemonset_overhead: Resources,
    /// EKS control plane.
    pub control_plane_usd_per_hour: f64,
    /// kube-scheduler's resource scoring.
    pub scoring: Scoring,
    /// The node autoscaler.
    pub autoscaler: NodeAutoscalerSpec,
}

/// What a scheduled event does.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    /// EC2 reclaims this share of the group's Ready nodes (rounded up), with the two-minute notice.
    SpotReclaim {
        /// Node group index.
        group: usize,
        /// Share, 0–1.
        fraction: f64,
    },
    /// This many of the group's nodes (oldest first) fail at once.
    NodeFailure {
        /// Node group index.
        group: usize,
        /// How many.
        count: u32,
    },
    /// The metrics pipeline delivers nothing for this long: every HPA metric fails, so HPAs hold.
    MetricsOutage {
        /// How long.
        duration_ns: Nanos,
    },
    /// Every node in the zone fails; nothing launches there until the outage ends.
    ZoneOutage {
        /// The zone.
        zone: String,
        /// How long.
        duration_ns: Nanos,
    },
    /// A new pod template for a service's Deployment, rolled out under `strategy`.
    RollingDeployment {
        /// Service index.
        service: usize,
        /// maxSurge and maxUnavailable.
        strategy: crate::spec::events::RollingUpdate,
    },
    /// The service's rate changes for a while (already part of its r(t)).
    TrafficIncident {
        /// Service index.
        service: usize,
        /// What changes, and for how long.
        incident: crate::spec::events::TrafficIncident,
    },
}

/// A scheduled event.
#[derive(Debug, Clone, PartialEq)]
pub struct EventSpec {
    /// When.
    pub at_ns: Nanos,
    /// What.
    pub kind: EventKind,
}
