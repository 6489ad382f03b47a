//! The raw serde mirror of the scenario file: the top level and services
//! here, one file a block beside it (`cluster`, `karpenter`, `asg`,
//! `scaling`, `events`, `slo`; `common` for the pieces several share), as
//! `super::validate` and [`crate::spec`] have them. `spanned` is the one
//! list of `Spanned` fields.
//!
//! These types follow the YAML one to one, reject unknown keys, and parse
//! units while reading (so a bad unit is reported at its own position).
//! Checks that span several fields happen in `super::validate`, which
//! uses the `Spanned` locations kept here to point at the right line.

pub(crate) mod asg;
pub(crate) mod cluster;
pub(crate) mod common;
pub(crate) mod events;
pub(crate) mod karpenter;
mod scaling;
pub(crate) mod slo;
pub(crate) mod spanned;

use crate::units::{Bytes, Cpu, Duration, NonNegative, Offset};
pub use common::*;
pub use scaling::*;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// The whole scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Spanned<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub duration: Spanned<Duration>,
    #[serde(default)]
    pub warmup: Option<Spanned<Duration>>,
    #[serde(default)]
    pub seed: Option<Count>,
    #[serde(default)]
    pub replications: Option<Spanned<Count>>,
    #[serde(default)]
    pub metrics: Option<RawMetrics>,
    #[serde(default)]
    pub limits: Option<RawLimits>,
    #[serde(default)]
    pub hpa_controller: Option<RawHpaController>,
    #[serde(default)]
    pub metrics_pipeline: Option<RawPipeline>,
    #[serde(default)]
    pub cluster: Option<Spanned<cluster::RawCluster>>,
    #[serde(default)]
    pub events: Option<Spanned<Vec<Spanned<events::RawEvent>>>>,
    /// The service level objective of every service (a service's own `slo` overrides it).
    #[serde(default)]
    pub slo: Option<Spanned<slo::RawSlo>>,
    pub services: Spanned<Vec<Spanned<RawService>>>,
}

/// `metrics:` — how the per-interval series are sampled.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMetrics {
    #[serde(default)]
    pub interval: Option<Spanned<Duration>>,
}

/// `limits:` — safety limits of a run.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLimits {
    #[serde(default)]
    pub max_events: Option<Spanned<Count>>,
}

/// One service: traffic, request shape, pods.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    pub name: Spanned<String>,
    #[serde(default)]
    pub replicas: Option<Spanned<Count>>,
    #[serde(default)]
    pub platform: Option<Spanned<RawPlatform>>,
    #[serde(default)]
    pub instance_type: Option<Spanned<String>>,
    pub traffic: RawTraffic,
    pub request: RawRequest,
    pub pod: Spanned<RawPod>,
    #[serde(default)]
    pub load_balancer: Option<RawBalancing>,
    /// A HorizontalPodAutoscaler spec in Kubernetes field names, or `{ manifest, name }`.
    #[serde(default)]
    pub hpa: Option<Spanned<serde_json::Value>>,
    /// An Auto Scaling group (`platform: vm`).
    #[serde(default)]
    pub asg: Option<Spanned<asg::RawAsg>>,
    /// This service's objective: overrides the fields it sets of the top-level `slo`.
    #[serde(default)]
    pub slo: Option<Spanned<slo::RawSlo>>,
}

/// `traffic:` — arrival process and rate components.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTraffic {
    #[serde(default)]
    pub arrivals: Option<RawArrivals>,
    pub rate: Spanned<Vec<Spanned<RawRate>>>,
}

/// How arrival times are drawn from the rate.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawArrivals {
    Poisson,
    Deterministic,
}

/// One rate component; the service's rate is their sum.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawRate {
    Constant(RawConstant),
    Diurnal(RawDiurnal),
    Ramp(RawRamp),
    Spike(RawSpike),
    Trace(Box<RawTrace>),
}

/// `constant: { rps }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConstant {
    pub rps: Spanned<NonNegative>,
}

/// `diurnal: { min, max, peak_at, period }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDiurnal {
    pub min: Spanned<NonNegative>,
    pub max: Spanned<NonNegative>,
    pub peak_at: Offset,
    #[serde(default)]
    pub period: Option<Spanned<Duration>>,
}

/// `ramp: { from, to, start, end }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRamp {
    pub from: Spanned<NonNegative>,
    pub to: Spanned<NonNegative>,
    pub start: Offset,
    pub end: Spanned<Offset>,
}

/// `spike: { at, peak, rise, hold, fall }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpike {
    pub at: Offset,
    pub peak: Spanned<NonNegative>,
    #[serde(default)]
    pub rise: Option<Duration>,
    #[serde(default)]
    pub hold: Option<Duration>,
    #[serde(default)]
    pub fall: Option<Duration>,
}

/// `trace: { file, time_column, value_column, per, scale, from, to, interpolate }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTrace {
    pub file: Spanned<String>,
    #[serde(default)]
    pub time_column: Option<Spanned<String>>,
    #[serde(default)]
    pub value_column: Option<Spanned<String>>,
    pub per: RawPer,
    #[serde(default)]
    pub scale: Option<NonNegative>,
    #[serde(default)]
    pub from: Option<Spanned<String>>,
    #[serde(default)]
    pub to: Option<Spanned<String>>,
    #[serde(default)]
    pub interpolate: Option<RawInterpolate>,
}

/// The unit the trace's value column counts requests per.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawPer {
    Second,
    Minute,
    Hour,
}

/// How the rate between trace samples is filled in.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawInterpolate {
    Step,
    Linear,
}

/// `request:` — work per request.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRequest {
    pub cpu: Spanned<RawDist>,
    #[serde(default)]
    pub io: Option<Spanned<RawDist>>,
    #[serde(default)]
    pub timeout: Option<Spanned<Duration>>,
}

/// `pod:` — one replica's capacity.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPod {
    #[serde(default)]
    pub concurrency: Option<Spanned<Concurrency>>,
    #[serde(default)]
    pub queue_limit: Option<Spanned<Count>>,
    #[serde(default)]
    pub requests: Option<RawResources>,
    #[serde(default)]
    pub limits: Option<RawResources>,
    #[serde(default)]
    pub startup: Option<Spanned<RawStartup>>,
    #[serde(default)]
    pub warmup: Option<Spanned<RawWarmup>>,
    #[serde(default)]
    pub termination_grace: Option<Spanned<Duration>>,
    #[serde(default)]
    pub memory_usage: Option<RawMemoryUsage>,
    /// `nodeSelector`.
    #[serde(default)]
    pub node_selector: Option<std::collections::BTreeMap<String, String>>,
    /// Tolerations.
    #[serde(default)]
    pub tolerations: Option<Vec<Spanned<cluster::RawToleration>>>,
    /// Anti-affinity to the service's own pods, by hostname.
    #[serde(default)]
    pub anti_affinity: Option<Spanned<cluster::RawAntiAffinity>>,
    /// Zone spread of the service's pods.
    #[serde(default)]
    pub zone_spread: Option<Spanned<cluster::RawZoneSpread>>,
}

/// `requests:` / `limits:` of a container, in Kubernetes quantities.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResources {
    #[serde(default)]
    pub cpu: Option<Spanned<Cpu>>,
    #[serde(default)]
    pub memory: Option<Bytes>,
}

/// Load-balancing policy across a service's Ready pods.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawBalancing {
    RoundRobin,
    Random,
    LeastRequest,
}

/// Worker slots per pod: a positive number or `unlimited`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Concurrency {
    /// At most this many requests are served at once.
    Slots(u64),
    /// No limit on requests served at once.
    Unlimited,
}

impl<'de> Deserialize<'de> for Concurrency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Concurrency;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a positive whole number or `unlimited`")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Concurrency, E> {
                if v == 0 {
                    return Err(E::custom(
                        "expected at least 1 worker slot, found 0\nhint: write a positive number of slots, or `unlimited` for no limit",
                    ));
                }
                Ok(Concurrency::Slots(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Concurrency, E> {
                match u64::try_from(v) {
                    Ok(u) => self.visit_u64(u),
                    Err(_) => Err(E::custom(format!(
                        "expected a positive whole number or `unlimited`, found {v}\nhint: write a positive number of slots, or `unlimited` for no limit"
                    ))),
                }
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Concurrency, E> {
                Err(E::custom(format!(
                    "expected a positive whole number or `unlimited`, found {v}\nhint: write a whole number of slots, such as 8"
                )))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Concurrency, E> {
                if v == "unlimited" {
                    Ok(Concurrency::Unlimited)
                } else {
                    Err(E::custom(format!(
                        "expected a positive whole number or `unlimited`, found \"{v}\"\nhint: write a plain number of slots without quotes, or `unlimited`"
                    )))
                }
            }
        }
        d.deserialize_any(V)
    }
}
