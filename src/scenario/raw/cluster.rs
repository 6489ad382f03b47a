//! The raw serde mirror of `cluster:` — node groups, instance types, the
//! node autoscaler, the scheduler — and of the pods' placement fields.
//!
//! Like [`super`], these types reject unknown keys and parse units
//! while reading; [`crate::scenario::validate::cluster`] checks the relations.

use super::common::{Count, RawDist};
pub use super::common::{RawCapacity, RawResourcesPlain, RawSpot, RawTaint};
use crate::units::{Bytes, Duration, NonNegative, Percent};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

/// `cluster:` — the nodes pods run on.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCluster {
    /// Instance types beyond the built-in catalog.
    #[serde(default)]
    pub instance_types: Option<Vec<Spanned<RawInstanceType>>>,
    /// The node groups (Auto Scaling groups of one instance type).
    #[serde(default)]
    pub node_groups: Option<Spanned<Vec<Spanned<RawNodeGroup>>>>,
    /// Karpenter NodePools (with `node_autoscaler.kind: karpenter`).
    #[serde(default)]
    pub node_pools: Option<Spanned<Vec<Spanned<super::karpenter::RawNodePool>>>>,
    /// Per-node requests of DaemonSets (aws-node, kube-proxy, …), taken off allocatable.
    #[serde(default)]
    pub daemonset_overhead: Option<RawResourcesPlain>,
    /// EKS control plane price.
    #[serde(default)]
    pub control_plane_usd_per_hour: Option<Spanned<NonNegative>>,
    /// kube-scheduler's resource scoring.
    #[serde(default)]
    pub scheduler: Option<RawScheduler>,
    /// The node autoscaler, if any.
    #[serde(default)]
    pub node_autoscaler: Option<Spanned<RawNodeAutoscaler>>,
}

/// A user-defined instance type.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInstanceType {
    /// Its name, as node groups refer to it.
    pub name: Spanned<String>,
    /// Virtual CPUs.
    pub vcpus: Spanned<Count>,
    /// Memory.
    pub memory: Spanned<Bytes>,
    /// On-demand price.
    pub price_usd_per_hour: Spanned<NonNegative>,
    /// Most pods (default: the VPC CNI figure of a same-sized type, else 110).
    #[serde(default)]
    pub max_pods: Option<Spanned<Count>>,
}

/// One node group.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNodeGroup {
    /// Unique name.
    pub name: Spanned<String>,
    /// Built-in or user-defined type.
    pub instance_type: Spanned<String>,
    /// How it is bought (default on-demand).
    #[serde(default)]
    pub capacity: Option<Spanned<RawCapacity>>,
    /// Reserved: the discount off on-demand.
    #[serde(default)]
    pub discount: Option<Spanned<Percent>>,
    /// Spot settings.
    #[serde(default)]
    pub spot: Option<Spanned<RawSpot>>,
    /// Zones its nodes spread over (default a, b, c).
    #[serde(default)]
    pub zones: Option<Spanned<Vec<String>>>,
    /// Fewest nodes.
    pub min: Spanned<Count>,
    /// Most nodes.
    pub max: Spanned<Count>,
    /// Nodes at the start (default `min`).
    #[serde(default)]
    pub initial: Option<Spanned<Count>>,
    /// Node labels.
    #[serde(default)]
    pub labels: Option<BTreeMap<String, String>>,
    /// Node taints.
    #[serde(default)]
    pub taints: Option<Vec<Spanned<RawTaint>>>,
    /// Launch to node Ready (default: the catalog's EC2 boot figures).
    #[serde(default)]
    pub boot: Option<Spanned<RawDist>>,
    /// Windows when launches in this group fail (InsufficientInstanceCapacity).
    #[serde(default)]
    pub shortages: Option<Vec<Spanned<RawWindow>>>,
}

/// A time window `{ from, to }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWindow {
    /// Start.
    pub from: Spanned<crate::units::Offset>,
    /// End.
    pub to: Spanned<crate::units::Offset>,
}

/// A toleration, as in a pod spec.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawToleration {
    /// Key (none with `Exists` = everything).
    #[serde(default)]
    pub key: Option<String>,
    /// `Equal` (default) or `Exists`.
    #[serde(default)]
    pub operator: Option<Spanned<String>>,
    /// Value for `Equal`.
    #[serde(default)]
    pub value: Option<String>,
    /// Effect (none = every effect).
    #[serde(default)]
    pub effect: Option<Spanned<String>>,
}

/// `scheduler:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScheduler {
    /// `least_allocated` (default) or `most_allocated`.
    pub scoring: RawScoring,
}

/// kube-scheduler's `NodeResourcesFit` strategy.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawScoring {
    /// Spread load.
    LeastAllocated,
    /// Pack nodes.
    MostAllocated,
}

/// `node_autoscaler:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNodeAutoscaler {
    /// `cluster-autoscaler` or `karpenter`.
    pub kind: Spanned<String>,
    /// Karpenter: the `SpotToSpotConsolidation` feature gate (default false).
    #[serde(default)]
    pub spot_to_spot_consolidation: Option<bool>,
    /// Expander chain, e.g. `least-waste` or `priority,least-waste`.
    #[serde(default)]
    pub expander: Option<Spanned<String>>,
    /// `--balance-similar-node-groups`.
    #[serde(default)]
    pub balance_similar_node_groups: Option<bool>,
    /// Priority expander: group name → priority (higher wins).
    #[serde(default)]
    pub priorities: Option<BTreeMap<String, i64>>,
    /// `--scan-interval`.
    #[serde(default)]
    pub scan_interval: Option<Spanned<Duration>>,
    /// `--scale-down-unneeded-time`.
    #[serde(default)]
    pub scale_down_unneeded_time: Option<Spanned<Duration>>,
    /// `--scale-down-utilization-threshold`.
    #[serde(default)]
    pub scale_down_utilization_threshold: Option<Spanned<NonNegative>>,
    /// `--scale-down-delay-after-add`.
    #[serde(default)]
    pub scale_down_delay_after_add: Option<Spanned<Duration>>,
    /// `--ignore-daemonsets-utilization` (default false).
    #[serde(default)]
    pub ignore_daemonsets_utilization: Option<bool>,
}

/// A pod's anti-affinity to its own app's pods, by hostname.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAntiAffinity {
    /// `required` or `preferred`.
    #[serde(rename = "type")]
    pub kind: Spanned<String>,
    /// Weight of a preferred term (1–100, default 100).
    #[serde(default)]
    pub weight: Option<Spanned<Count>>,
}

/// A zone topology-spread constraint over the app's pods.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawZoneSpread {
    /// `maxSkew` (≥ 1).
    pub max_skew: Spanned<Count>,
    /// `DoNotSchedule` (default) or `ScheduleAnyway`.
    #[serde(default)]
    pub when_unsatisfiable: Option<Spanned<String>>,
}
