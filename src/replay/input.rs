//! The replay file: raw serde types, and their translation into controller inputs.
//!
//! Times in the file are durations: `at` from the start of the replay, the
//! pod fields (`started`, `ready_changed`, `sample_age`) and the `state` ages
//! back from an observation's or the first observation's `at`. They become
//! absolute times on the controller clock (nanoseconds, `at` = now).

use crate::error::InputError;
use crate::model::hpa::{HpaState, Observation, PodPhase, PodSample, Recommendation, ScaleEvent};
use crate::scenario::yaml::{locate, locate_key};
use crate::spec::hpa::{ControllerConfig, HpaSpec, MetricSource, MetricTarget, Resource};
use crate::units::quantity::MilliQuantity;
use crate::units::{Duration, NonNegative, SignedNanos};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The whole replay file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReplay {
    pub hpa: serde_json::Value,
    #[serde(default)]
    pub controller: Option<RawController>,
    #[serde(default)]
    pub state: Option<RawState>,
    pub observations: Vec<RawObservation>,
}

/// `controller:` — kube-controller-manager flags.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawController {
    #[serde(default)]
    tolerance: Option<NonNegative>,
    #[serde(default)]
    cpu_initialization_period: Option<Duration>,
    #[serde(default)]
    initial_readiness_delay: Option<Duration>,
    #[serde(default)]
    downscale_stabilization: Option<Duration>,
    #[serde(default)]
    scale_up_limit_factor: Option<NonNegative>,
    #[serde(default)]
    scale_up_limit_minimum: Option<NonNegative>,
}

/// `state:` — controller memory before the first observation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawState {
    #[serde(default)]
    recommendations: Option<Vec<RawRecommendation>>,
    #[serde(default)]
    scale_up_events: Vec<RawEvent>,
    #[serde(default)]
    scale_down_events: Vec<RawEvent>,
}

/// A stored recommendation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRecommendation {
    replicas: i32,
    age: Duration,
}

/// A stored scale event.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    change: i32,
    age: Duration,
}

/// One sync's view of the world.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawObservation {
    pub at: Duration,
    pub replicas: i32,
    #[serde(default)]
    status_replicas: Option<i32>,
    #[serde(default)]
    sample_window: Option<Duration>,
    #[serde(default)]
    pods: Vec<RawPod>,
    #[serde(default)]
    object_metrics: BTreeMap<String, MilliQuantity>,
    #[serde(default)]
    external_metrics: BTreeMap<String, MilliQuantity>,
}

/// A pod's phase as written.
#[derive(Debug, Clone, Copy, Deserialize)]
enum RawPhase {
    Pending,
    Running,
    Succeeded,
    Failed,
}

/// `ready:` — true, false, or `none` (the pod has no Ready condition).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum RawReady {
    Bool(bool),
    Text(String),
}

/// One pod.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPod {
    #[serde(default)]
    #[allow(dead_code)]
    name: Option<String>,
    #[serde(default)]
    phase: Option<RawPhase>,
    #[serde(default)]
    deleted: bool,
    #[serde(default)]
    ready: Option<RawReady>,
    #[serde(default)]
    started: Option<Duration>,
    #[serde(default)]
    ready_changed: Option<Duration>,
    #[serde(default)]
    requests: Option<RawResources>,
    #[serde(default)]
    usage: Option<RawResources>,
    #[serde(default)]
    sample_age: Option<Duration>,
    #[serde(default)]
    metrics: BTreeMap<String, MilliQuantity>,
}

/// `{ cpu, memory }` quantities.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResources {
    #[serde(default)]
    cpu: Option<MilliQuantity>,
    #[serde(default)]
    memory: Option<MilliQuantity>,
}

/// Default window of the usage samples when an observation gives none.
const DEFAULT_SAMPLE_WINDOW_NS: i64 = 30_000_000_000;

/// Nanoseconds as the controller's signed clock.
fn ns(d: Duration) -> i64 {
    i64::try_from(d.0).unwrap_or(i64::MAX)
}

/// Where to report problems found after reading.
pub(super) struct Ctx<'a> {
    /// The replay file.
    pub file: &'a Path,
    /// Its text.
    pub text: &'a str,
}

impl Ctx<'_> {
    /// An error at the node at `path`.
    pub fn error(&self, path: &str, message: impl Into<String>, hint: &str) -> InputError {
        let message = message.into();
        // An unknown key is pointed at itself, not at its value (which may start on the next line).
        let place = if message.starts_with("unknown field") {
            locate_key(self.text, path)
        } else {
            locate(self.text, path)
        };
        let (line, column) = place.unwrap_or((0, 0));
        InputError::new(self.file, line, column, path, message)
            .with_hint(hint)
            .with_source(self.text)
    }
}

/// The controller settings, over Kubernetes defaults.
pub(super) fn controller(raw: Option<&RawController>) -> ControllerConfig {
    let mut c = ControllerConfig::default();
    if let Some(r) = raw {
        if let Some(t) = r.tolerance {
            c.tolerance = t.0;
        }
        if let Some(d) = r.cpu_initialization_period {
            c.cpu_initialization_period_ns = ns(d);
        }
        if let Some(d) = r.initial_readiness_delay {
            c.initial_readiness_delay_ns = ns(d);
        }
        if let Some(d) = r.downscale_stabilization {
            c.downscale_stabilization_ns = ns(d);
        }
        if let Some(f) = r.scale_up_limit_factor {
            c.scale_up_limit_factor = f.0;
        }
        if let Some(m) = r.scale_up_limit_minimum {
            c.scale_up_limit_minimum = m.0;
        }
    }
    c
}

/// The controller memory at `start` (the first observation's time).
pub(super) fn state(raw: Option<&RawState>, start: SignedNanos) -> HpaState {
    let Some(raw) = raw else {
        return HpaState::default();
    };
    let events = |list: &[RawEvent]| -> Vec<ScaleEvent> {
        list.iter()
            .map(|e| ScaleEvent {
                change: e.change,
                timestamp: start - ns(e.age),
                outdated: false,
            })
            .collect()
    };
    let up = events(&raw.scale_up_events);
    let down = events(&raw.scale_down_events);
    match &raw.recommendations {
        None => HpaState::unseen_with_events(up, down),
        Some(recs) => {
            let recs = recs
                .iter()
                .map(|r| Recommendation {
                    replicas: r.replicas,
                    timestamp: start - ns(r.age),
                })
                .collect();
            HpaState::with_history(recs, up, down)
        }
    }
}

/// The resources a Resource Utilization metric of the spec needs requests for.
fn needed_requests(spec: &HpaSpec) -> Vec<Resource> {
    spec.metrics
        .iter()
        .filter_map(|m| match (&m.source, m.target) {
            (MetricSource::Resource { resource, .. }, MetricTarget::Utilization(_)) => {
                Some(*resource)
            }
            _ => None,
        })
        .collect()
}

/// Translates observation `index` (taken at its `at`) into controller input.
pub(super) fn observation(
    ctx: &Ctx,
    spec: &HpaSpec,
    index: usize,
    raw: &RawObservation,
) -> Result<Observation, InputError> {
    let at = format!("observations[{index}]");
    let now = ns(raw.at);
    if raw.replicas < 0 {
        return Err(ctx.error(
            &format!("{at}.replicas"),
            format!("expected replicas of at least 0, found {}", raw.replicas),
            "replicas is the target's spec.replicas",
        ));
    }
    let status_replicas = raw.status_replicas.unwrap_or(raw.replicas);
    if status_replicas < 0 {
        return Err(ctx.error(
            &format!("{at}.status_replicas"),
            format!("expected status_replicas of at least 0, found {status_replicas}"),
            "status_replicas is the target's status.replicas",
        ));
    }
    let window = raw.sample_window.map_or(DEFAULT_SAMPLE_WINDOW_NS, ns);
    let needed = needed_requests(spec);
    let mut pods = Vec::with_capacity(raw.pods.len());
    for (j, p) in raw.pods.iter().enumerate() {
        let pat = format!("{at}.pods[{j}]");
        let requests = p.requests.as_ref();
        for r in &needed {
            let has = requests.is_some_and(|q| match r {
                Resource::Cpu => q.cpu.is_some(),
                Resource::Memory => q.memory.is_some(),
            });
            if !has {
                let name = r.as_str();
                return Err(ctx.error(&pat, format!("expected requests.{name} on this pod: the HPA has a {name} Utilization metric"), &format!("utilization is usage as a percent of the request; add requests: {{ {name}: ... }} (Kubernetes would fail the metric with \"missing request for {name}\")")));
            }
        }
        let ready = match &p.ready {
            None => Some(true),
            Some(RawReady::Bool(b)) => Some(*b),
            Some(RawReady::Text(t)) if t == "none" => None,
            Some(RawReady::Text(t)) => {
                return Err(ctx.error(
                    &format!("{pat}.ready"),
                    format!("expected true, false or none, found \"{t}\""),
                    "none means the pod has no Ready condition; omitted means ready: true",
                ));
            }
        };
        let start = p.started.map(|d| now - ns(d));
        let usage = p.usage.as_ref();
        pods.push(PodSample {
            phase: match p.phase.unwrap_or(RawPhase::Running) {
                RawPhase::Pending => PodPhase::Pending,
                RawPhase::Running => PodPhase::Running,
                RawPhase::Succeeded => PodPhase::Succeeded,
                RawPhase::Failed => PodPhase::Failed,
            },
            deleted: p.deleted,
            ready,
            start,
            ready_transition: p.ready_changed.map(|d| now - ns(d)).or(start),
            cpu_request_milli: requests.and_then(|q| q.cpu).map(|q| q.0),
            memory_request_milli: requests.and_then(|q| q.memory).map(|q| q.0),
            cpu_usage_milli: usage.and_then(|q| q.cpu).map(|q| q.0),
            memory_usage_milli: usage.and_then(|q| q.memory).map(|q| q.0),
            sample_time: now - p.sample_age.map_or(0, ns),
            sample_window_ns: window,
            metrics: p
                .metrics
                .iter()
                .map(|(k, v)| (k.clone().into(), v.0))
                .collect(),
        });
    }
    let values = |m: &BTreeMap<String, MilliQuantity>| {
        m.iter().map(|(k, v)| (k.clone().into(), v.0)).collect()
    };
    Ok(Observation {
        spec_replicas: raw.replicas,
        status_replicas,
        pods,
        object_metrics: values(&raw.object_metrics),
        external_metrics: values(&raw.external_metrics),
    })
}
