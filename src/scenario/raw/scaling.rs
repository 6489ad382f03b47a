//! The raw serde mirror of the autoscaling parts of the scenario file.
//!
//! A service's pod lifecycle (`pod.startup`, `pod.warmup`,
//! `pod.termination_grace`, `pod.memory_usage`), its platform (`platform:
//! vm` with an `instance_type`), its HPA (`hpa:` inline in Kubernetes field
//! names, or `hpa: { manifest: … }`), and the scenario-wide
//! `hpa_controller:` flags and `metrics_pipeline:` delays. Like
//! [`super`], these types reject unknown keys and parse units while
//! reading; the HPA spec itself is read as a plain tree and checked by
//! [`super::hpa`] with Kubernetes' own types.

use super::common::{Count, RawDist};
use crate::units::{Bytes, Duration, NonNegative};
use serde::Deserialize;
use serde_saphyr::Spanned;

/// `pod.startup:` — the phases from creation to Ready.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStartup {
    /// VM only: instance launch to OS up.
    #[serde(default)]
    pub boot: Option<Spanned<RawDist>>,
    /// Image pull (Kubernetes).
    #[serde(default)]
    pub image_pull: Option<Spanned<RawDist>>,
    /// Sandbox and container start (Kubernetes).
    #[serde(default)]
    pub container_start: Option<Spanned<RawDist>>,
    /// The application's own start-up.
    #[serde(default)]
    pub app_start: Option<Spanned<RawDist>>,
    /// The readiness probe, in Kubernetes field names.
    #[serde(default)]
    pub readiness: Option<RawProbe>,
}

/// `readiness:` — a readiness probe's timing, as in a container spec.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RawProbe {
    /// Seconds after the container started before probes count.
    #[serde(default)]
    pub initial_delay_seconds: Option<Spanned<Count>>,
    /// Seconds between probes (Kubernetes' default 10).
    #[serde(default)]
    pub period_seconds: Option<Spanned<Count>>,
}

/// `pod.warmup:` — a new pod is slower for a while (JIT, cold caches).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWarmup {
    /// How long after Ready the slowdown lasts; it fades linearly to none.
    pub duration: Spanned<Duration>,
    /// CPU work multiplier at Ready (≥ 1).
    pub slowdown: Spanned<NonNegative>,
}

/// `pod.memory_usage:` — working-set model for memory metrics.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMemoryUsage {
    /// Memory in use by an idle pod.
    pub base: Bytes,
    /// Added per request in the pod (running or queued).
    #[serde(default)]
    pub per_request: Option<Bytes>,
}

/// Where a service runs.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawPlatform {
    /// Pods on Kubernetes (the default).
    Kubernetes,
    /// Instances of an Auto Scaling group.
    Vm,
}

/// `hpa_controller:` — kube-controller-manager's HPA flags.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHpaController {
    /// `--horizontal-pod-autoscaler-sync-period`.
    #[serde(default)]
    pub sync_period: Option<Spanned<Duration>>,
    /// `--horizontal-pod-autoscaler-tolerance`.
    #[serde(default)]
    pub tolerance: Option<Spanned<NonNegative>>,
    /// `--horizontal-pod-autoscaler-cpu-initialization-period`.
    #[serde(default)]
    pub cpu_initialization_period: Option<Spanned<Duration>>,
    /// `--horizontal-pod-autoscaler-initial-readiness-delay`.
    #[serde(default)]
    pub initial_readiness_delay: Option<Spanned<Duration>>,
    /// `--horizontal-pod-autoscaler-downscale-stabilization`.
    #[serde(default)]
    pub downscale_stabilization: Option<Spanned<Duration>>,
}

/// `metrics_pipeline:` — how metrics reach the autoscalers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPipeline {
    /// metrics-server: CPU and memory.
    #[serde(default)]
    pub resource: Option<RawPipelineStage>,
    /// Prometheus and its adapter: Pods, Object and External metrics.
    #[serde(default)]
    pub custom: Option<RawPipelineStage>,
}

/// One stage of the pipeline.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPipelineStage {
    /// How often samples are taken.
    #[serde(default)]
    pub scrape: Option<Spanned<Duration>>,
    /// The window a rate is averaged over.
    #[serde(default)]
    pub window: Option<Spanned<Duration>>,
    /// From a sample's time until the autoscaler can read it.
    #[serde(default)]
    pub delay: Option<Spanned<Duration>>,
}
