//! Leaf types of the raw scenario mirror that several YAML blocks share:
//! [`Count`], the duration distributions ([`RawDist`]), and the node fields
//! that node groups (`cluster.node_groups`) and Karpenter pools
//! (`cluster.node_pools`) both have (capacity type, resources, spot, taints).
//!
//! It imports no other `raw_*` file, so that [`super`],
//! [`super::cluster`], [`super::karpenter`], [`super::asg`] and
//! [`super::scaling`] can all use it without importing one another.

use crate::units::{Bytes, Cpu, Duration, NonNegative, Percent};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// A whole number that is not negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count(pub u64);

struct CountVisitor;

impl Visitor<'_> for CountVisitor {
    type Value = Count;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a whole number that is not negative")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Count, E> {
        Ok(Count(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Count, E> {
        u64::try_from(v).map(Count).map_err(|_| {
            E::custom(format!(
                "expected a whole number that is not negative, found {v}\nhint: write a plain whole number such as 3"
            ))
        })
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Count, E> {
        Err(E::custom(format!(
            "expected a whole number that is not negative, found {v}\nhint: write a whole number without a fraction, such as 3"
        )))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Count, E> {
        Err(E::custom(format!(
            "expected a whole number that is not negative, found the text \"{v}\"\nhint: write a plain number without quotes"
        )))
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CountVisitor)
    }
}

/// A distribution of durations.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawDist {
    Constant(Duration),
    Exponential(RawMean),
    Lognormal(RawLognormal),
    Gamma(RawGamma),
    Uniform(RawUniform),
}

/// `exponential: { mean }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMean {
    pub mean: Spanned<Duration>,
}

/// `lognormal: { median, p99 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLognormal {
    pub median: Spanned<Duration>,
    pub p99: Spanned<Duration>,
}

/// `gamma: { mean, cv }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGamma {
    pub mean: Spanned<Duration>,
    pub cv: Spanned<NonNegative>,
}

/// `uniform: { min, max }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUniform {
    pub min: Duration,
    pub max: Spanned<Duration>,
}

/// CPU and memory, without spans.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResourcesPlain {
    /// CPU.
    #[serde(default)]
    pub cpu: Option<Cpu>,
    /// Memory.
    #[serde(default)]
    pub memory: Option<Bytes>,
}

/// How nodes are bought.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum RawCapacity {
    /// On-demand.
    OnDemand,
    /// Spot.
    Spot,
    /// Reserved instances or a savings plan.
    Reserved,
}

/// `spot:` of a node group.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpot {
    /// Interruption frequency: an Advisor band (`"5-10%"` per month) or a rate (`0.002/h`).
    #[serde(default)]
    pub interruption: Option<Spanned<String>>,
    /// Discount off on-demand (default 65 %).
    #[serde(default)]
    pub discount: Option<Spanned<Percent>>,
    /// Or an explicit price.
    #[serde(default)]
    pub price_usd_per_hour: Option<Spanned<NonNegative>>,
}

/// A taint, as in a node spec.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTaint {
    /// Key.
    pub key: String,
    /// Value.
    #[serde(default)]
    pub value: Option<String>,
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
    pub effect: Spanned<String>,
}
