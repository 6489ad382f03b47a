//! Validated specs of pod lifecycle, platforms and autoscaling.
//!
//! What a replica goes through from creation to Ready and from deletion to
//! gone ([`LifecycleSpec`]), what drives its replica count (a Kubernetes
//! HPA or an Auto Scaling group, [`Autoscaler`]), and how metrics reach the
//! autoscalers ([`PipelineSpec`]). Times are nanoseconds.

use crate::spec::asg::AsgSpec;
use crate::spec::dist::WorkDist;
use crate::spec::hpa::{ControllerConfig, HpaSpec};
use crate::units::{NANOS_PER_SEC, Nanos};

/// A replica's life from creation to Ready, and its termination.
#[derive(Debug, Clone, PartialEq)]
pub struct LifecycleSpec {
    /// VM only: launch to OS up.
    pub boot: Option<WorkDist>,
    /// Pulling the image (skipped on a node that already has it).
    pub image_pull: Option<WorkDist>,
    /// Sandbox and container start.
    pub container_start: Option<WorkDist>,
    /// The application's start-up once its container runs.
    pub app_start: Option<WorkDist>,
    /// The readiness probe; `None` = Ready as soon as the app has started.
    pub readiness: Option<ProbeSpec>,
    /// Slower service while the pod is new.
    pub warmup: Option<WarmupSpec>,
    /// Longest drain after deletion (`terminationGracePeriodSeconds`); what is left fails.
    pub termination_grace_ns: Nanos,
}

impl Default for LifecycleSpec {
    fn default() -> Self {
        LifecycleSpec {
            boot: None,
            image_pull: None,
            container_start: None,
            app_start: None,
            readiness: None,
            warmup: None,
            termination_grace_ns: 30 * NANOS_PER_SEC,
        }
    }
}

/// Readiness-probe timing, as the kubelet runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProbeSpec {
    /// `initialDelaySeconds`, as nanoseconds.
    pub initial_delay_ns: Nanos,
    /// `periodSeconds`, as nanoseconds.
    pub period_ns: Nanos,
}

/// A new pod's slowdown: CPU work × `slowdown` at Ready, fading linearly to × 1 over `duration_ns`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WarmupSpec {
    /// How long the slowdown lasts after Ready.
    pub duration_ns: Nanos,
    /// The multiplier at Ready (≥ 1).
    pub slowdown: f64,
}

/// The memory a pod uses: `base_bytes` + `per_request_bytes` × requests in the pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryUsageSpec {
    /// Idle working set.
    pub base_bytes: u64,
    /// Added per request running or queued in the pod.
    pub per_request_bytes: u64,
}

/// Where a service runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Platform {
    /// Pods on Kubernetes.
    Kubernetes,
    /// Instances of an EC2 instance type in an Auto Scaling group.
    Vm {
        /// The instance type, e.g. `m5.large`.
        instance_type: String,
        /// Its vCPUs (100 % CPU utilization).
        vcpus: u32,
    },
}

/// What changes a service's replica count.
#[derive(Debug, Clone)]
pub enum Autoscaler {
    /// Fixed replicas.
    None,
    /// A Kubernetes HorizontalPodAutoscaler.
    Hpa {
        /// Its name (from the manifest, or the service's).
        name: String,
        /// The checked spec.
        spec: Box<HpaSpec>,
    },
    /// An EC2 Auto Scaling group's dynamic scaling policies.
    Asg {
        /// The checked group and policies.
        spec: Box<AsgSpec>,
    },
}

impl Autoscaler {
    /// The replica range, if the service autoscales.
    pub fn range(&self) -> Option<(u32, u32)> {
        match self {
            Autoscaler::None => None,
            Autoscaler::Hpa { spec, .. } => {
                Some((spec.min_replicas.max(0) as u32, spec.max_replicas as u32))
            }
            Autoscaler::Asg { spec } => Some((spec.min, spec.max)),
        }
    }
}

/// One stage of the metrics pipeline: sampled every `scrape_ns`, as rates
/// over `window_ns`, readable `delay_ns` after the sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageSpec {
    /// Sampling period.
    pub scrape_ns: Nanos,
    /// Rate window (a multiple of the sampling period).
    pub window_ns: Nanos,
    /// Delay until a sample is visible.
    pub delay_ns: Nanos,
}

/// How metrics reach the autoscalers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PipelineSpec {
    /// metrics-server (CPU, memory), a stock cluster's: 15 s resolution (the
    /// manifest's and Helm chart's `--metric-resolution`), a 15 s window (one
    /// cAdvisor housekeeping gap, 10–20 s, mean 15 s) and a sample 15 s old when
    /// the HPA reads it (mean of U[0, 15 s) since the scrape plus the cAdvisor
    /// sample's age at the scrape): docs/reference/metrics-pipeline.md §1, §5.4.
    pub resource: StageSpec,
    /// Prometheus + adapter (Pods, Object, External): 30 s scrape, 2 min rate window.
    pub custom: StageSpec,
}

impl Default for PipelineSpec {
    fn default() -> Self {
        PipelineSpec {
            resource: StageSpec {
                scrape_ns: 15 * NANOS_PER_SEC,
                window_ns: 15 * NANOS_PER_SEC,
                delay_ns: 15 * NANOS_PER_SEC,
            },
            custom: StageSpec {
                scrape_ns: 30 * NANOS_PER_SEC,
                window_ns: 120 * NANOS_PER_SEC,
                delay_ns: 0,
            },
        }
    }
}

/// Scenario-wide autoscaling settings.
#[derive(Debug, Clone, Default)]
pub struct ScalingSpec {
    /// kube-controller-manager's HPA flags.
    pub hpa_controller: ControllerConfig,
    /// The metrics pipeline.
    pub pipeline: PipelineSpec,
}
