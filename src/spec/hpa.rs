//! What the controller is configured with: the HPA spec (validated, API
//! defaults applied) and the kube-controller-manager flags.

use crate::units::{SIGNED_NANOS_PER_SEC, SignedNanos};

/// A validated, defaulted HPA spec (what the controller reads from `spec` and `status`).
#[derive(Debug, Clone, PartialEq)]
pub struct HpaSpec {
    /// `spec.minReplicas` (API default 1 already applied; 0 allowed with an Object/External metric).
    pub min_replicas: i32,
    /// `spec.maxReplicas`.
    pub max_replicas: i32,
    /// `spec.metrics`, in order (API default: cpu at 80 % utilization).
    pub metrics: Vec<MetricSpec>,
    /// `spec.behavior` with API defaults filled in; `None` selects the legacy path (1.10).
    pub behavior: Option<Behavior>,
    /// The status condition `ScaledToZero=True`: the HPA itself scaled the target to zero.
    pub scaled_to_zero: bool,
}

/// One entry of `spec.metrics`.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricSpec {
    /// What is measured.
    pub source: MetricSource,
    /// The target the measurement is compared with.
    pub target: MetricTarget,
}

impl MetricSpec {
    /// The resource or metric name (`cpu`, `memory`, or the metric's own), as
    /// events and replays print it; borrowed from the spec, never built per sync.
    pub fn name(&self) -> &str {
        match &self.source {
            MetricSource::Resource { resource, .. } => resource.as_str(),
            MetricSource::Pods { metric }
            | MetricSource::Object { metric }
            | MetricSource::External { metric } => metric,
        }
    }
}

/// Where a metric comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum MetricSource {
    /// A pod resource (`Resource`, or `ContainerResource` with the container named).
    Resource {
        /// cpu or memory.
        resource: Resource,
        /// The container of a `ContainerResource` metric (capsim pods have one container).
        container: Option<String>,
    },
    /// A custom per-pod metric (`Pods`).
    Pods {
        /// The metric name.
        metric: String,
    },
    /// A metric describing one Kubernetes object (`Object`).
    Object {
        /// The metric name.
        metric: String,
    },
    /// A metric from outside the cluster (`External`).
    External {
        /// The metric name.
        metric: String,
    },
}

/// A pod resource an HPA can scale on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// CPU, in millicores.
    Cpu,
    /// Memory, in milli-bytes.
    Memory,
}

impl Resource {
    /// The Kubernetes name (`cpu`, `memory`).
    pub fn as_str(self) -> &'static str {
        match self {
            Resource::Cpu => "cpu",
            Resource::Memory => "memory",
        }
    }
}

/// A metric target, already resolved to the path the controller takes (1.9).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MetricTarget {
    /// `averageUtilization`, integer percent of the request (Resource only).
    Utilization(i32),
    /// `averageValue`, milli-units per pod.
    AverageValue(i64),
    /// `value`, milli-units in total (Object and External only).
    Value(i64),
}

/// `spec.behavior` with the API defaults filled in (docs/reference/hpa.md 1.1).
#[derive(Debug, Clone, PartialEq)]
pub struct Behavior {
    /// Rules for scaling up.
    pub scale_up: ScalingRules,
    /// Rules for scaling down.
    pub scale_down: ScalingRules,
}

/// One direction of `spec.behavior`.
#[derive(Debug, Clone, PartialEq)]
pub struct ScalingRules {
    /// `stabilizationWindowSeconds`; `None` means the controller flag (scale-down) or 0 (scale-up).
    pub stabilization_window_s: Option<i32>,
    /// How the policies' limits combine.
    pub select_policy: SelectPolicy,
    /// Rate-limit policies.
    pub policies: Vec<ScalingPolicy>,
    /// Per-direction tolerance; `None` means the controller flag.
    pub tolerance: Option<f64>,
}

/// `selectPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectPolicy {
    /// The largest change.
    Max,
    /// The smallest change.
    Min,
    /// No scaling in this direction.
    Disabled,
}

/// One rate-limit policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScalingPolicy {
    /// Pods or Percent.
    pub kind: PolicyKind,
    /// Pods, or percent of the replicas at the start of the period.
    pub value: i32,
    /// The period, in seconds.
    pub period_s: i32,
}

/// The unit of a policy's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    /// A number of pods.
    Pods,
    /// A percentage of the replicas at the start of the period.
    Percent,
}

/// The kube-controller-manager settings of the HPA controller.
#[derive(Debug, Clone, PartialEq)]
pub struct ControllerConfig {
    /// `--horizontal-pod-autoscaler-tolerance`, both directions.
    pub tolerance: f64,
    /// `--horizontal-pod-autoscaler-cpu-initialization-period`.
    pub cpu_initialization_period_ns: SignedNanos,
    /// `--horizontal-pod-autoscaler-initial-readiness-delay`.
    pub initial_readiness_delay_ns: SignedNanos,
    /// `--horizontal-pod-autoscaler-downscale-stabilization`.
    pub downscale_stabilization_ns: SignedNanos,
    /// Legacy path: the cap is `max(factor × current, minimum)`.
    pub scale_up_limit_factor: f64,
    /// Legacy path: see `scale_up_limit_factor`.
    pub scale_up_limit_minimum: f64,
    /// `--horizontal-pod-autoscaler-sync-period` (how often the caller should reconcile).
    pub sync_period_ns: SignedNanos,
}

impl Default for ControllerConfig {
    /// Kubernetes production defaults: 0.1, 5m, 30s, 5m, 2, 4, 15s.
    fn default() -> Self {
        ControllerConfig {
            tolerance: 0.1,
            cpu_initialization_period_ns: 300 * SIGNED_NANOS_PER_SEC,
            initial_readiness_delay_ns: 30 * SIGNED_NANOS_PER_SEC,
            downscale_stabilization_ns: 300 * SIGNED_NANOS_PER_SEC,
            scale_up_limit_factor: 2.0,
            scale_up_limit_minimum: 4.0,
            sync_period_ns: 15 * SIGNED_NANOS_PER_SEC,
        }
    }
}
