//! Raw serde mirror of `events:`: each scheduled event and its one kind —
//! the cluster's (`spot_reclaim`, `node_failure`, `zone_outage`), the
//! metrics pipeline's (`metrics_outage`) and those that act on one service
//! (`rolling_deployment`, `traffic_incident`). It mirrors
//! [`crate::spec::events`] and is checked by [`crate::scenario::validate::events`].

use super::common::Count;
use crate::units::{Duration, Percent};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// One scheduled event under `events:`: `at` and exactly one kind.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    /// When: a time of day or an offset from the start.
    pub at: Spanned<crate::units::Offset>,
    /// EC2 reclaims a share of a spot group's nodes (two-minute notice).
    #[serde(default)]
    pub spot_reclaim: Option<RawSpotReclaim>,
    /// Nodes of a group fail at once (no drain).
    #[serde(default)]
    pub node_failure: Option<RawNodeFailure>,
    /// A zone is lost: its nodes fail, and nothing launches there until it ends.
    #[serde(default)]
    pub zone_outage: Option<RawZoneOutage>,
    /// The metrics pipeline delivers nothing: HPAs hold.
    #[serde(default)]
    pub metrics_outage: Option<RawMetricsOutage>,
    /// A service's Deployment rolls out a new pod template.
    #[serde(default)]
    pub rolling_deployment: Option<Spanned<RawRollingDeployment>>,
    /// A service's rate changes for a while.
    #[serde(default)]
    pub traffic_incident: Option<Spanned<RawTrafficIncident>>,
}

/// `metrics_outage:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMetricsOutage {
    /// How long.
    #[serde(rename = "for")]
    pub duration: Spanned<Duration>,
}

/// `spot_reclaim:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpotReclaim {
    /// The node group.
    pub group: Spanned<String>,
    /// Share of its nodes (rounded up).
    pub fraction: Spanned<Percent>,
}

/// `node_failure:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNodeFailure {
    /// The node group.
    pub group: Spanned<String>,
    /// How many of its nodes (oldest first; default 1).
    #[serde(default)]
    pub count: Option<Spanned<Count>>,
}

/// `zone_outage:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawZoneOutage {
    /// The zone (as node groups name it).
    pub zone: Spanned<String>,
    /// How long.
    #[serde(rename = "for")]
    pub duration: Spanned<Duration>,
}

/// `rolling_deployment:` — a new pod template rolled out as a Kubernetes Deployment does.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRollingDeployment {
    /// The service (a Kubernetes one).
    pub service: Spanned<String>,
    /// `maxSurge`: pods above the replica count (default 25%).
    #[serde(default)]
    pub max_surge: Option<Spanned<RawIntOrPercent>>,
    /// `maxUnavailable`: pods below it (default 25%).
    #[serde(default)]
    pub max_unavailable: Option<Spanned<RawIntOrPercent>>,
}

/// `traffic_incident:` — the service's rate changes for a while.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTrafficIncident {
    /// The service.
    pub service: Spanned<String>,
    /// How long, ramps included.
    #[serde(rename = "for")]
    pub duration: Spanned<Duration>,
    /// r(t) × this factor at full strength.
    #[serde(default)]
    pub multiply: Option<Spanned<Number>>,
    /// r(t) + this many requests per second at full strength.
    #[serde(default)]
    pub add_rps: Option<Spanned<Number>>,
    /// Linear rise at the start and fall at the end (default none).
    #[serde(default)]
    pub ramp: Option<Spanned<Duration>>,
}

/// A count of pods (`1`) or a whole percentage (`25%`), as Kubernetes' `IntOrString`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawIntOrPercent {
    /// A number of pods.
    Count(u64),
    /// A whole percentage.
    Percent(u64),
}

const HINT: &str =
    "hint: write a number of pods such as 1, or a whole percentage of the replicas such as 25%";

impl<'de> Deserialize<'de> for RawIntOrPercent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RawIntOrPercent;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number of pods or a whole percentage")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawIntOrPercent, E> {
                Ok(RawIntOrPercent::Count(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawIntOrPercent, E> {
                u64::try_from(v).map(RawIntOrPercent::Count).map_err(|_| {
                    E::custom(format!(
                        "expected a number of pods or a percentage that is not negative, found {v}\n{HINT}"
                    ))
                })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawIntOrPercent, E> {
                Err(E::custom(format!(
                    "expected a whole number of pods or a whole percentage, found {v}\n{HINT}"
                )))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawIntOrPercent, E> {
                let t = v.trim();
                let (digits, percent) = match t.strip_suffix('%') {
                    Some(d) => (d.trim(), true),
                    None => (t, false),
                };
                match digits.parse::<u64>() {
                    Ok(n) if percent => Ok(RawIntOrPercent::Percent(n)),
                    Ok(n) => Ok(RawIntOrPercent::Count(n)),
                    Err(_) => Err(E::custom(format!(
                        "expected a number of pods or a whole percentage that is not negative, found \"{v}\"\n{HINT}"
                    ))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// A plain number (its range is checked where its meaning is known).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number(pub f64);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
                Ok(Number(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
                Ok(Number(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Number, E> {
                Err(E::custom(format!(
                    "expected a number, found the text \"{v}\"\nhint: write a plain number without quotes or units, such as 3"
                )))
            }
        }
        d.deserialize_any(V)
    }
}
