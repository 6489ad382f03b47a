//! Validated scenario specs: the only view of the scenario the model sees.
//!
//! Every value here has been checked: times are nanoseconds, rates requests
//! per second, CPU in cores, and all cross-field rules hold. Traces are
//! already loaded and resampled onto a regular grid.

use super::cluster::{ClusterSpec, EventSpec};
use super::dist::WorkDist;
use super::placement::{AntiAffinity, PlacementSpec};
use super::resources::{PodNeeds, Resources};
use super::scaling::{Autoscaler, LifecycleSpec, MemoryUsageSpec, Platform, ScalingSpec};
use crate::units::Nanos;
use std::sync::Arc;

/// A checked scenario, ready to run.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Name, used for the report folder.
    pub name: String,
    /// Free text describing the scenario.
    pub description: Option<String>,
    /// Simulated length of each run.
    pub duration_ns: Nanos,
    /// Statistics cover requests arriving at or after this time.
    pub warmup_ns: Nanos,
    /// Base seed of every random stream.
    pub seed: u64,
    /// Independent runs per profile.
    pub replications: u32,
    /// Width of one interval of the time series.
    pub interval_ns: Nanos,
    /// Explicit event budget per run (`limits.max_events`), if set.
    pub max_events: Option<u64>,
    /// The services, in file order.
    pub services: Vec<ServiceSpec>,
    /// Autoscaling controllers' settings and the metrics pipeline.
    pub scaling: ScalingSpec,
    /// The nodes; `None` = pods are placed at once, with no node limits.
    pub cluster: Option<ClusterSpec>,
    /// Scheduled events (faults), in time order.
    pub events: Vec<EventSpec>,
    /// The top-level service level objective, if any (each service's own is in [`ServiceSpec::slo`]).
    pub slo: Option<SloSpec>,
    /// Things that are allowed but probably not meant; printed, never fatal.
    pub warnings: Vec<String>,
}

/// One service.
#[derive(Debug, Clone)]
pub struct ServiceSpec {
    /// Unique name.
    pub name: String,
    /// Pods at the start (fixed, unless an autoscaler changes them).
    pub replicas: u32,
    /// Kubernetes pods or VM instances.
    pub platform: Platform,
    /// Offered load.
    pub traffic: TrafficSpec,
    /// Work each request brings.
    pub request: RequestSpec,
    /// Capacity of one pod.
    pub pod: PodSpec,
    /// How requests are spread over Ready pods.
    pub balancing: Balancing,
    /// From creation to Ready, and termination.
    pub lifecycle: LifecycleSpec,
    /// Memory a pod uses, for memory metrics.
    pub memory_usage: Option<MemoryUsageSpec>,
    /// What changes the replica count.
    pub autoscaler: Autoscaler,
    /// Where its pods may run (with a `cluster`).
    pub placement: PlacementSpec,
    /// Its service level objective: its own `slo` over the top-level one; `None` = neither.
    pub slo: Option<SloSpec>,
}

/// A service level objective: a latency target at one quantile, an availability target, or both.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SloSpec {
    /// At least `quantile` of the answered requests within `target_ns`.
    pub latency: Option<LatencyObjective>,
    /// Share of requests that must succeed (0 < a < 1; 99.9 % = 0.999).
    pub availability: Option<f64>,
}

/// `latency: { p99: 300ms }`: the `quantile` of latency must not exceed `target_ns`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatencyObjective {
    /// The quantile, in (0, 1): 0.99 for `p99`.
    pub quantile: f64,
    /// The latency target.
    pub target_ns: Nanos,
}

impl LatencyObjective {
    /// The quantile as written in the file: `p99`, `p99.9`, `p50`.
    pub fn label(&self) -> String {
        let percent = (self.quantile * 1e6).round() / 1e4;
        format!("p{percent}")
    }
}

/// Offered load of a service.
#[derive(Debug, Clone)]
pub struct TrafficSpec {
    /// How arrival times are drawn.
    pub arrivals: Arrivals,
    /// Components whose sum is the rate r(t).
    pub rate: Vec<RateComponent>,
}

/// How arrival times follow the rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrivals {
    /// Non-homogeneous Poisson process with intensity r(t).
    Poisson,
    /// Evenly spaced in operational time: the k-th arrival where ∫r = k − ½.
    Deterministic,
}

/// One additive part of the rate, in requests per second; times in seconds from the start.
#[derive(Debug, Clone)]
pub enum RateComponent {
    /// r(t) = rps.
    Constant {
        /// Requests per second.
        rps: f64,
    },
    /// A sinusoid between `min_rps` and `max_rps`, highest at `peak_s` (+ k·period).
    Diurnal {
        /// Lowest rate.
        min_rps: f64,
        /// Highest rate.
        max_rps: f64,
        /// Time of a peak.
        peak_s: f64,
        /// Period of the cycle.
        period_s: f64,
    },
    /// `from_rps` until `start_s`, linear to `to_rps` at `end_s`, then `to_rps`.
    Ramp {
        /// Rate before the ramp.
        from_rps: f64,
        /// Rate after the ramp.
        to_rps: f64,
        /// Ramp start.
        start_s: f64,
        /// Ramp end.
        end_s: f64,
    },
    /// Zero, then linear rise to `peak_rps`, hold, linear fall back to zero.
    Spike {
        /// Start of the rise.
        at_s: f64,
        /// Height of the spike.
        peak_rps: f64,
        /// Rise time.
        rise_s: f64,
        /// Time at the peak.
        hold_s: f64,
        /// Fall time.
        fall_s: f64,
    },
    /// A recorded series on a regular grid.
    Trace(Arc<TraceRate>),
}

/// A recorded rate series on a regular grid, in scenario time.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceRate {
    /// Scenario time of sample 0 (negative when `from` is after the first row).
    pub start_s: f64,
    /// Grid spacing.
    pub step_s: f64,
    /// Rate at each grid point, requests per second (missing rows are 0).
    pub rates_rps: Vec<f64>,
    /// Scenario time after which the rate is 0 (`to`).
    pub end_s: f64,
    /// How the rate between grid points is filled in.
    pub interpolation: Interpolation,
}

/// Fill-in between trace samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interpolation {
    /// Each sample holds for one step (preserves counts exactly).
    Step,
    /// Linear between neighbouring samples.
    Linear,
}

/// Work a request brings.
#[derive(Debug, Clone)]
pub struct RequestSpec {
    /// CPU work, in CPU-seconds at one core.
    pub cpu: WorkDist,
    /// Off-CPU wait after the CPU work (holds the worker slot).
    pub io: Option<WorkDist>,
    /// The client gives up after this long.
    pub timeout_ns: Option<Nanos>,
}

/// Capacity of one pod.
#[derive(Debug, Clone, PartialEq)]
pub struct PodSpec {
    /// Worker slots; `None` = unlimited.
    pub concurrency: Option<u32>,
    /// Longest FIFO queue before new requests are rejected; `None` = unbounded.
    pub queue_limit: Option<u32>,
    /// CPU limit L in cores; `None` = unthrottled.
    pub cpu_limit_cores: Option<f64>,
    /// CPU request in cores (the base of CPU utilization), if set.
    pub cpu_request_cores: Option<f64>,
    /// Memory request in bytes, if set.
    pub memory_request_bytes: Option<u64>,
    /// Memory limit in bytes, if set.
    pub memory_limit_bytes: Option<u64>,
}

impl PodSpec {
    /// Cores that 100 % CPU utilization refers to: the request, else the limit, else the slots.
    pub fn utilization_base_cores(&self) -> f64 {
        self.cpu_request_cores
            .or(self.cpu_limit_cores)
            .or(self.concurrency.map(f64::from))
            .unwrap_or(1.0)
    }
}

/// Load-balancing policy across Ready pods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Balancing {
    /// Each pod in turn.
    RoundRobin,
    /// A uniformly random pod (kube-proxy iptables mode).
    Random,
    /// Power of two choices: the less loaded of two random pods (Envoy LEAST_REQUEST).
    LeastRequest,
}

impl ServiceSpec {
    /// What one of its pods needs from a node: requests, selector, tolerations.
    pub fn pod_needs(&self) -> PodNeeds {
        PodNeeds {
            requests: Resources {
                cpu_milli: self
                    .pod
                    .cpu_request_cores
                    .map_or(0, |c| (c * 1000.0).round() as i64),
                memory_bytes: self.pod.memory_request_bytes.map_or(0, |b| b as i64),
                pods: 1,
            },
            node_selector: self.placement.node_selector.clone(),
            tolerations: self.placement.tolerations.clone(),
            one_per_node: matches!(self.placement.anti_affinity, Some(AntiAffinity::Required))
                .then(|| self.name.clone()),
            zone_spread: self.placement.zone_spread.filter(|s| s.hard).map(|s| {
                crate::spec::resources::SpreadRule {
                    app: self.name.clone(),
                    max_skew: s.max_skew,
                }
            }),
        }
    }
}
