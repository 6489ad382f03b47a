//! SCAFFOLD (replaced by the hpa branch): the HPA controller's API shapes.
#![allow(missing_docs, dead_code)]
use std::collections::BTreeMap;
pub type Time = i64;
#[derive(Debug, Clone, PartialEq)]
pub struct HpaSpec {
    pub min_replicas: i32,
    pub max_replicas: i32,
    pub metrics: Vec<MetricSpec>,
    pub behavior: Option<Behavior>,
    pub scaled_to_zero: bool,
}
#[derive(Debug, Clone, PartialEq)]
pub struct MetricSpec {
    pub source: MetricSource,
    pub target: MetricTarget,
}
#[derive(Debug, Clone, PartialEq)]
pub enum MetricSource {
    Resource {
        resource: Resource,
        container: Option<String>,
    },
    Pods {
        metric: String,
    },
    Object {
        metric: String,
    },
    External {
        metric: String,
    },
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Cpu,
    Memory,
}
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MetricTarget {
    Utilization(i32),
    AverageValue(i64),
    Value(i64),
}
#[derive(Debug, Clone, PartialEq)]
pub struct Behavior {
    pub scale_up: ScalingRules,
    pub scale_down: ScalingRules,
}
#[derive(Debug, Clone, PartialEq)]
pub struct ScalingRules {
    pub stabilization_window_s: Option<i32>,
    pub select_policy: SelectPolicy,
    pub policies: Vec<ScalingPolicy>,
    pub tolerance: Option<f64>,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectPolicy {
    Max,
    Min,
    Disabled,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScalingPolicy {
    pub kind: PolicyKind,
    pub value: i32,
    pub period_s: i32,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    Pods,
    Percent,
}
#[derive(Debug, Clone, PartialEq)]
pub struct ControllerConfig {
    pub tolerance: f64,
    pub cpu_initialization_period_ns: i64,
    pub initial_readiness_delay_ns: i64,
    pub downscale_stabilization_ns: i64,
    pub scale_up_limit_factor: f64,
    pub scale_up_limit_minimum: f64,
    pub sync_period_ns: i64,
}
impl Default for ControllerConfig {
    fn default() -> Self {
        ControllerConfig {
            tolerance: 0.1,
            cpu_initialization_period_ns: 300_000_000_000,
            initial_readiness_delay_ns: 30_000_000_000,
            downscale_stabilization_ns: 300_000_000_000,
            scale_up_limit_factor: 2.0,
            scale_up_limit_minimum: 4.0,
            sync_period_ns: 15_000_000_000,
        }
    }
}
#[derive(Debug, Clone, Default)]
pub struct HpaState {
    pub recs: Vec<(i32, Time)>,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodPhase {
    Pending,
    Running,
    Succeeded,
    Failed,
}
#[derive(Debug, Clone)]
pub struct PodSample {
    pub phase: PodPhase,
    pub deleted: bool,
    pub ready: Option<bool>,
    pub start: Option<Time>,
    pub ready_transition: Option<Time>,
    pub cpu_request_milli: Option<i64>,
    pub memory_request_milli: Option<i64>,
    pub cpu_usage_milli: Option<i64>,
    pub memory_usage_milli: Option<i64>,
    pub sample_time: Time,
    pub sample_window_ns: i64,
    pub metrics: Vec<(String, i64)>,
}
#[derive(Debug, Clone)]
pub struct Observation {
    pub spec_replicas: i32,
    pub status_replicas: i32,
    pub pods: Vec<PodSample>,
    pub object_metrics: BTreeMap<String, i64>,
    pub external_metrics: BTreeMap<String, i64>,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    DesiredWithinRange,
}
impl Reason {
    pub fn as_str(&self) -> &'static str {
        "DesiredWithinRange"
    }
}
#[derive(Debug, Clone)]
pub struct MetricStatus {
    pub name: String,
    pub current: f64,
    pub proposal: Option<i32>,
    pub error: Option<String>,
}
#[derive(Debug, Clone)]
pub struct Decision {
    pub desired: i32,
    pub recommendation: Option<i32>,
    pub reason: Reason,
    pub metrics: Vec<MetricStatus>,
}
pub fn reconcile(
    _spec: &HpaSpec,
    _cfg: &ControllerConfig,
    _state: &mut HpaState,
    obs: &Observation,
    _now: Time,
) -> Decision {
    Decision {
        desired: obs.spec_replicas,
        recommendation: None,
        reason: Reason::DesiredWithinRange,
        metrics: vec![],
    }
}
