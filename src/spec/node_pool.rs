//! Karpenter NodePools: what a pool may launch ([`NodePoolSpec`]: types,
//! capacity types, zones, labels, taints, limits, consolidation, disruption
//! budgets, prices), resolved against the instance catalog into [`NodePool`]
//! with each type's capacity, allocatable and per-capacity-type price; and
//! the well-known labels Karpenter puts on its nodes.
//!
//! Facts and defaults come from `docs/reference/nodes-spot-cost.md` §3
//! (Karpenter v1.14.1) and §5; Karpenter's decisions over these pools are
//! `model::karpenter`.

use std::collections::BTreeMap;

use crate::spec::allocatable;
use crate::spec::catalog;
use crate::spec::catalog::{Arch, InstanceType};
use crate::spec::placement::ZONE_LABEL;
use crate::spec::price::{DEFAULT_SPOT_DISCOUNT, SpotPrice};
use crate::spec::resources::{CapacityType, Resources, Taint};
use crate::units::Nanos;

/// Well-known node label: availability zone (the scheduler's [`ZONE_LABEL`]).
pub const LABEL_ZONE: &str = ZONE_LABEL;
/// Well-known node label: EC2 instance type.
pub const LABEL_INSTANCE_TYPE: &str = "node.kubernetes.io/instance-type";
/// Well-known node label: CPU architecture (`amd64` or `arm64`).
pub const LABEL_ARCH: &str = "kubernetes.io/arch";
/// Karpenter's capacity-type label (`spot`, `on-demand`, `reserved`).
pub const LABEL_CAPACITY_TYPE: &str = "karpenter.sh/capacity-type";
/// Karpenter's NodePool label.
pub const LABEL_NODEPOOL: &str = "karpenter.sh/nodepool";

/// Errors building a NodePool.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum KarpenterError {
    /// An allowed instance type is not in the catalog.
    #[error("node pool {pool}: unknown instance type {name:?}")]
    UnknownInstanceType {
        /// The pool.
        pool: String,
        /// The name as written.
        name: String,
    },
    /// A pool allows no instance type, capacity type or zone.
    #[error("node pool {pool}: no {what} allowed")]
    Empty {
        /// The pool.
        pool: String,
        /// `instance types`, `capacity types` or `zones`.
        what: &'static str,
    },
}

/// Which nodes consolidation may remove (`spec.disruption.consolidationPolicy`, §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConsolidationPolicy {
    /// Only nodes without (non-daemonset) pods.
    WhenEmpty,
    /// Empty nodes, and nodes that can be deleted or replaced more cheaply (Karpenter's default).
    #[default]
    WhenEmptyOrUnderutilized,
}

/// Caps on the summed capacity of a pool's nodes (`spec.limits`); `None` = unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PoolLimits {
    /// CPU, millicores of instance capacity.
    pub cpu_milli: Option<i64>,
    /// Memory, bytes of instance capacity.
    pub memory_bytes: Option<i64>,
}

/// Spot prices of a pool's types: a default rule and per-type overrides.
#[derive(Debug, Clone, PartialEq)]
pub struct SpotPricing {
    /// Rule for types without an override.
    pub default: SpotPrice,
    /// Overrides by instance-type name.
    pub per_type: BTreeMap<String, SpotPrice>,
}

impl Default for SpotPricing {
    fn default() -> Self {
        SpotPricing {
            default: SpotPrice::Discount(DEFAULT_SPOT_DISCOUNT),
            per_type: BTreeMap::new(),
        }
    }
}

impl SpotPricing {
    /// Spot price of `it`, US dollars per hour.
    pub fn usd_per_hour(&self, it: &InstanceType) -> f64 {
        match self.per_type.get(it.name).unwrap_or(&self.default) {
            SpotPrice::Discount(d) => it.on_demand_usd_per_hour * (1.0 - d),
            SpotPrice::UsdPerHour(usd) => *usd,
        }
    }
}

/// Why a node is voluntarily disrupted (the budget `reasons` Karpenter knows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DisruptionReason {
    /// The node holds no (non-daemonset) pods.
    Empty,
    /// The node's pods fit elsewhere, or on a cheaper replacement.
    Underutilized,
    /// The node no longer matches its pool (not modelled; listed so budgets can name it).
    Drifted,
}

/// A budget's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetNodes {
    /// A percentage of the pool's nodes, rounded up (`nodes: "10%"`).
    Percent(u32),
    /// A count of nodes (`nodes: "5"`).
    Count(u32),
}

/// One entry of `spec.disruption.budgets` (schedules are not modelled: a budget is always active).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisruptionBudget {
    /// Size.
    pub nodes: BudgetNodes,
    /// Reasons it applies to; empty = every reason.
    pub reasons: Vec<DisruptionReason>,
}

impl Default for DisruptionBudget {
    /// Karpenter's default budget: `nodes: "10%"` for every reason (§3.2).
    fn default() -> Self {
        DisruptionBudget {
            nodes: BudgetNodes::Percent(10),
            reasons: Vec::new(),
        }
    }
}

impl DisruptionBudget {
    /// Nodes this budget allows disrupted at once in a pool of `total_nodes`, before subtracting those already disrupted.
    pub fn limit(&self, total_nodes: usize) -> usize {
        match self.nodes {
            // ceil(total × pct / 100) (§3.3, `GetScaledValueFromIntOrPercent` rounding up).
            BudgetNodes::Percent(p) => (total_nodes * p as usize).div_ceil(100),
            BudgetNodes::Count(c) => c as usize,
        }
    }

    /// Whether the budget applies to `reason`.
    pub fn applies_to(&self, reason: DisruptionReason) -> bool {
        self.reasons.is_empty() || self.reasons.contains(&reason)
    }
}

/// A Karpenter NodePool as the scenario describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct NodePoolSpec {
    /// Name (also the `karpenter.sh/nodepool` label).
    pub name: String,
    /// `spec.weight`: pools with higher weight are tried first.
    pub weight: i32,
    /// Allowed instance types, by catalog name.
    pub instance_types: Vec<String>,
    /// Allowed capacity types; Karpenter prefers reserved, then spot, then on-demand (§3.1).
    pub capacity_types: Vec<CapacityType>,
    /// Allowed zones, in preference order.
    pub zones: Vec<String>,
    /// Labels put on every node.
    pub labels: BTreeMap<String, String>,
    /// Taints put on every node.
    pub taints: Vec<Taint>,
    /// Capacity limits.
    pub limits: PoolLimits,
    /// Consolidation policy.
    pub consolidation_policy: ConsolidationPolicy,
    /// `consolidateAfter`; `None` = `Never` (consolidation off).
    pub consolidate_after_ns: Option<Nanos>,
    /// Disruption budgets; the most restrictive applicable one wins.
    pub budgets: Vec<DisruptionBudget>,
    /// Spot prices.
    pub spot_pricing: SpotPricing,
    /// Reserved capacity's discount off on-demand (0.4 = 40 % off).
    pub reserved_discount: f64,
}

impl NodePoolSpec {
    /// A pool with Karpenter's defaults (§3.2): on-demand only, weight 0, no
    /// labels, taints or limits, `WhenEmptyOrUnderutilized`, `consolidateAfter: 0s`,
    /// one budget `nodes: "10%"`, spot at [`DEFAULT_SPOT_DISCOUNT`].
    pub fn new(name: &str, instance_types: &[&str], zones: &[&str]) -> NodePoolSpec {
        NodePoolSpec {
            name: name.to_string(),
            weight: 0,
            instance_types: instance_types.iter().map(|s| s.to_string()).collect(),
            capacity_types: vec![CapacityType::OnDemand],
            zones: zones.iter().map(|s| s.to_string()).collect(),
            labels: BTreeMap::new(),
            taints: Vec::new(),
            limits: PoolLimits::default(),
            consolidation_policy: ConsolidationPolicy::default(),
            consolidate_after_ns: Some(0),
            budgets: vec![DisruptionBudget::default()],
            spot_pricing: SpotPricing::default(),
            reserved_discount: 0.0,
        }
    }
}

/// One instance type of a pool, with what the scheduler counts.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolType {
    /// The catalog entry.
    pub it: InstanceType,
    /// Instance capacity (counts against limits).
    pub capacity: Resources,
    /// What pods can request.
    pub allocatable: Resources,
}

/// A NodePool resolved against the catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct NodePool {
    /// The spec.
    pub spec: NodePoolSpec,
    /// Allowed types, in the spec's order.
    pub types: Vec<PoolType>,
}

impl NodePool {
    /// Resolves `spec` with `lookup` for instance types and `allocatable` for what pods can request.
    pub fn resolve(
        spec: NodePoolSpec,
        lookup: impl Fn(&str) -> Option<InstanceType>,
        allocatable: impl Fn(&InstanceType) -> Resources,
    ) -> Result<NodePool, KarpenterError> {
        let empty = |what| KarpenterError::Empty {
            pool: spec.name.clone(),
            what,
        };
        if spec.instance_types.is_empty() {
            return Err(empty("instance types"));
        }
        if spec.capacity_types.is_empty() {
            return Err(empty("capacity types"));
        }
        if spec.zones.is_empty() {
            return Err(empty("zones"));
        }
        let mut types = Vec::with_capacity(spec.instance_types.len());
        for name in &spec.instance_types {
            let it = lookup(name).ok_or_else(|| KarpenterError::UnknownInstanceType {
                pool: spec.name.clone(),
                name: name.clone(),
            })?;
            types.push(PoolType {
                capacity: capacity(&it),
                allocatable: allocatable(&it),
                it,
            });
        }
        Ok(NodePool { spec, types })
    }

    /// Resolves `spec` against the built-in catalog with [`karpenter_allocatable`].
    pub fn from_catalog(spec: NodePoolSpec) -> Result<NodePool, KarpenterError> {
        NodePool::resolve(spec, |n| catalog::lookup(n).copied(), karpenter_allocatable)
    }

    /// Price of type `ty` (index into [`NodePool::types`]) bought as `cap`, US dollars per hour.
    pub fn price_usd_per_hour(&self, ty: usize, cap: CapacityType) -> f64 {
        let it = &self.types[ty].it;
        match cap {
            CapacityType::OnDemand => it.on_demand_usd_per_hour,
            CapacityType::Spot => self.spec.spot_pricing.usd_per_hour(it),
            CapacityType::Reserved => {
                it.on_demand_usd_per_hour * (1.0 - self.spec.reserved_discount)
            }
        }
    }

    /// Labels of a node of type `ty` bought as `cap` in `zone`: the pool's
    /// labels plus the well-known zone, instance-type, arch, capacity-type and nodepool labels.
    pub fn node_labels(
        &self,
        ty: usize,
        cap: CapacityType,
        zone: &str,
    ) -> BTreeMap<String, String> {
        let mut labels = self.spec.labels.clone();
        let it = &self.types[ty].it;
        labels.insert(LABEL_ZONE.into(), zone.into());
        labels.insert(LABEL_INSTANCE_TYPE.into(), it.name.into());
        labels.insert(LABEL_ARCH.into(), arch_label(it.arch).into());
        labels.insert(LABEL_CAPACITY_TYPE.into(), capacity_label(cap).into());
        labels.insert(LABEL_NODEPOOL.into(), self.spec.name.clone());
        labels
    }
}

/// Karpenter's label value for a capacity type.
pub fn capacity_label(cap: CapacityType) -> &'static str {
    match cap {
        CapacityType::OnDemand => "on-demand",
        CapacityType::Spot => "spot",
        CapacityType::Reserved => "reserved",
    }
}

/// Kubernetes' label value for an architecture.
pub fn arch_label(arch: Arch) -> &'static str {
    match arch {
        Arch::X86_64 => "amd64",
        Arch::Arm64 => "arm64",
    }
}

/// Karpenter's preference among capacity types: lower is preferred (reserved > spot > on-demand, §3.1).
pub fn capacity_rank(cap: CapacityType) -> u8 {
    match cap {
        CapacityType::Reserved => 0,
        CapacityType::Spot => 1,
        CapacityType::OnDemand => 2,
    }
}

/// Instance capacity: all vCPUs, nominal memory, max pods ([`allocatable::capacity`]).
pub fn capacity(it: &InstanceType) -> Resources {
    allocatable::capacity(it)
}

/// Allocatable as Karpenter estimates it on EKS with no DaemonSets: the EKS
/// formulas of [`allocatable::allocatable`] (kube-reserved CPU tiers, 7.5 %
/// VM memory overhead, kube-reserved memory, the 100 Mi eviction threshold;
/// reference §5.2).
pub fn karpenter_allocatable(it: &InstanceType) -> Resources {
    allocatable::allocatable(it, Resources::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alloc(name: &str) -> Resources {
        karpenter_allocatable(catalog::lookup(name).unwrap())
    }

    #[test]
    fn allocatable_is_the_eks_formula() {
        // The formulas are tested against the reference table in `spec::allocatable`.
        assert_eq!(alloc("m5.xlarge").cpu_milli, 3920);
        assert_eq!(alloc("m5.large").pods, 29);
    }

    #[test]
    fn percent_rounds_up() {
        let b = DisruptionBudget::default();
        // 10 % of 25 = 2.5 → 3 (rounded up, §3.3); 10 % of 1 = 0.1 → 1; of 0 → 0.
        assert_eq!(b.limit(25), 3);
        assert_eq!(b.limit(20), 2);
        assert_eq!(b.limit(1), 1);
        assert_eq!(b.limit(0), 0);
    }

    #[test]
    fn prices_per_capacity_type() {
        let mut spec = NodePoolSpec::new("p", &["m5.xlarge", "c5.xlarge"], &["a"]);
        spec.spot_pricing
            .per_type
            .insert("c5.xlarge".into(), SpotPrice::UsdPerHour(0.05));
        spec.reserved_discount = 0.25;
        let pool = NodePool::from_catalog(spec).unwrap();
        // 0.192 × (1 − 0.65) = 0.0672; reserved 0.192 × 0.75 = 0.144.
        assert!((pool.price_usd_per_hour(0, CapacityType::Spot) - 0.0672).abs() < 1e-12);
        assert!((pool.price_usd_per_hour(0, CapacityType::Reserved) - 0.144).abs() < 1e-12);
        assert_eq!(pool.price_usd_per_hour(0, CapacityType::OnDemand), 0.192);
        assert_eq!(pool.price_usd_per_hour(1, CapacityType::Spot), 0.05);
    }

    #[test]
    fn unknown_types_and_empty_lists_are_errors() {
        let spec = NodePoolSpec::new("p", &["m5.xlarg"], &["a"]);
        assert!(matches!(
            NodePool::from_catalog(spec),
            Err(KarpenterError::UnknownInstanceType { .. })
        ));
        let spec = NodePoolSpec::new("p", &["m5.xlarge"], &[]);
        assert!(matches!(
            NodePool::from_catalog(spec),
            Err(KarpenterError::Empty { what: "zones", .. })
        ));
    }

    #[test]
    fn node_labels_include_well_known_keys() {
        let pool = NodePool::from_catalog(NodePoolSpec::new("p", &["c6g.xlarge"], &["z"])).unwrap();
        let l = pool.node_labels(0, CapacityType::Spot, "z");
        assert_eq!(l[LABEL_ARCH], "arm64");
        assert_eq!(l[LABEL_CAPACITY_TYPE], "spot");
        assert_eq!(l[LABEL_ZONE], "z");
        assert_eq!(l[LABEL_NODEPOOL], "p");
    }
}
