//! The raw serde mirror of `cluster.node_pools:` — Karpenter NodePools.
//!
//! Field names follow the rest of the scenario (snake_case) but mean what
//! Karpenter's `NodePool` fields mean (`spec.template.spec.requirements`,
//! `spec.limits`, `spec.weight`, `spec.disruption`); see `docs/karpenter.md`.
//! [`crate::scenario::validate::karpenter`] checks the relations.

use super::common::{RawCapacity, RawDist, RawResourcesPlain, RawSpot, RawTaint};
use crate::units::{Offset, Percent};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::fmt;

/// One Karpenter NodePool.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNodePool {
    /// Unique name (also the `karpenter.sh/nodepool` label).
    pub name: Spanned<String>,
    /// Instance types it may launch (the `node.kubernetes.io/instance-type` requirement).
    pub instance_types: Spanned<Vec<Spanned<String>>>,
    /// Capacity types it may buy (`karpenter.sh/capacity-type`; default on-demand).
    #[serde(default)]
    pub capacity_types: Option<Spanned<Vec<Spanned<RawCapacity>>>>,
    /// Zones, in preference order (default a, b, c).
    #[serde(default)]
    pub zones: Option<Spanned<Vec<String>>>,
    /// `spec.weight`: higher-weight pools are tried first.
    #[serde(default)]
    pub weight: Option<Spanned<i64>>,
    /// Labels on its nodes.
    #[serde(default)]
    pub labels: Option<BTreeMap<String, String>>,
    /// Taints on its nodes.
    #[serde(default)]
    pub taints: Option<Vec<Spanned<RawTaint>>>,
    /// `spec.limits` on the summed capacity of its nodes.
    #[serde(default)]
    pub limits: Option<RawResourcesPlain>,
    /// `spec.disruption.consolidationPolicy` (default `WhenEmptyOrUnderutilized`).
    #[serde(default)]
    pub consolidation_policy: Option<Spanned<RawConsolidationPolicy>>,
    /// `spec.disruption.consolidateAfter`: a duration or `Never` (default 0s).
    #[serde(default)]
    pub consolidate_after: Option<Spanned<ConsolidateAfter>>,
    /// `spec.disruption.budgets` (default one budget of 10 %).
    #[serde(default)]
    pub budgets: Option<Spanned<Vec<Spanned<RawBudget>>>>,
    /// Spot interruption hazard and discount.
    #[serde(default)]
    pub spot: Option<Spanned<RawSpot>>,
    /// Reserved capacity's discount off on-demand.
    #[serde(default)]
    pub discount: Option<Spanned<Percent>>,
    /// Launch to node Ready (default: the catalog's EC2 boot figures).
    #[serde(default)]
    pub boot: Option<Spanned<RawDist>>,
    /// Windows when launches of matching offerings fail (InsufficientInstanceCapacity).
    #[serde(default)]
    pub shortages: Option<Vec<Spanned<RawOfferingShortage>>>,
}

/// `consolidation_policy:`, written as in Karpenter.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
pub enum RawConsolidationPolicy {
    /// Only empty nodes.
    WhenEmpty,
    /// Empty and underutilized nodes.
    WhenEmptyOrUnderutilized,
}

/// `consolidate_after:` — a duration, or `Never` (consolidation off).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsolidateAfter(pub Option<crate::units::Nanos>);

impl<'de> Deserialize<'de> for ConsolidateAfter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ConsolidateAfter;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a duration such as 30s, or Never")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ConsolidateAfter, E> {
                if v.trim() == "Never" {
                    return Ok(ConsolidateAfter(None));
                }
                crate::units::parse_duration(v)
                    .map(|ns| ConsolidateAfter(Some(ns)))
                    .map_err(|e| {
                        let message = e.split("\nhint:").next().unwrap_or(&e);
                        E::custom(format!(
                            "{message}\nhint: write a duration such as 30s, or Never to turn consolidation off"
                        ))
                    })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ConsolidateAfter, E> {
                if v == 0 {
                    Ok(ConsolidateAfter(Some(0)))
                } else {
                    Err(E::custom(format!(
                        "expected a duration with a unit or Never, found the bare number {v}\nhint: write 30s, 5m, or Never"
                    )))
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ConsolidateAfter, E> {
                self.visit_u64(u64::try_from(v).map_err(|_| {
                    E::custom(format!(
                        "expected a duration or Never, found {v}\nhint: write 30s, 5m, or Never"
                    ))
                })?)
            }
        }
        d.deserialize_any(V)
    }
}

/// One disruption budget.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBudget {
    /// `"10%"` of the pool's nodes (rounded up) or a count such as `5`.
    pub nodes: Spanned<BudgetNodesText>,
    /// Reasons it applies to (`Empty`, `Underutilized`, `Drifted`); default all.
    #[serde(default)]
    pub reasons: Option<Spanned<Vec<Spanned<String>>>>,
}

/// A budget's `nodes`: a percentage or a count, as text or number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BudgetNodesText {
    /// `"10%"`.
    Percent(u32),
    /// `5` or `"5"`.
    Count(u32),
}

impl<'de> Deserialize<'de> for BudgetNodesText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        const HINT: &str =
            "hint: write a share of the pool's nodes such as \"10%\", or a count such as 2";
        impl Visitor<'_> for V {
            type Value = BudgetNodesText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a percentage such as \"10%\" or a whole number of nodes")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<BudgetNodesText, E> {
                u32::try_from(v)
                    .map(BudgetNodesText::Count)
                    .map_err(|_| E::custom(format!("expected a node count, found {v}\n{HINT}")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<BudgetNodesText, E> {
                u64::try_from(v)
                    .map_err(|_| {
                        E::custom(format!(
                            "expected a node count that is not negative, found {v}\n{HINT}"
                        ))
                    })
                    .and_then(|v| self.visit_u64(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<BudgetNodesText, E> {
                let t = v.trim();
                let bad = || {
                    E::custom(format!(
                        "expected a percentage such as \"10%\" or a whole number, found \"{v}\"\n{HINT}"
                    ))
                };
                match t.strip_suffix('%') {
                    Some(p) => match p.trim().parse::<u32>() {
                        Ok(p) if p <= 100 => Ok(BudgetNodesText::Percent(p)),
                        _ => Err(bad()),
                    },
                    None => t
                        .parse::<u32>()
                        .map(BudgetNodesText::Count)
                        .map_err(|_| bad()),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// A window when launches of matching offerings fail for lack of capacity.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOfferingShortage {
    /// Start.
    pub from: Spanned<Offset>,
    /// End.
    pub to: Spanned<Offset>,
    /// Only this capacity type (default every one).
    #[serde(default)]
    pub capacity: Option<Spanned<RawCapacity>>,
    /// Only this instance type (default every one).
    #[serde(default)]
    pub instance_type: Option<Spanned<String>>,
    /// Only this zone (default every one).
    #[serde(default)]
    pub zone: Option<Spanned<String>>,
}
