//! Per-interval time series of one service.

use super::interval::IntervalHistogram;
use crate::units::Nanos;

/// What one service did during one interval.
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalRow {
    /// Interval start, simulated time.
    pub start_ns: Nanos,
    /// Interval end (exclusive).
    pub end_ns: Nanos,
    /// Requests that arrived.
    pub offered: u64,
    /// Requests that completed within their timeout.
    pub completed: u64,
    /// Requests rejected by a full queue.
    pub rejected: u64,
    /// Requests whose client gave up (counted when the server finished them,
    /// or at the end of the run for those still unanswered).
    pub timed_out: u64,
    /// Requests killed with their pod.
    pub failed: u64,
    /// Completed requests within the SLO's latency target (every completed one without a target).
    pub within_latency_target: u64,
    /// Median latency of the completed requests, ms.
    pub latency_p50_ms: Option<f64>,
    /// 99th-percentile latency of the completed requests, ms.
    pub latency_p99_ms: Option<f64>,
    /// Requests in the system at the end of the interval.
    pub in_flight: u64,
    /// Pods serving (Ready) at the end of the interval.
    pub pods: u32,
    /// Ready pods integrated over the interval, pod-seconds.
    pub ready_pod_s: f64,
    /// Replicas wanted at the end of the interval.
    pub desired_replicas: u32,
    /// Replicas created but not Ready yet at the end of the interval.
    pub pending_replicas: u32,
    /// Mean CPU usage over pods and time ÷ the pod's CPU base (request, else limit).
    pub cpu_utilization: f64,
}

impl IntervalRow {
    /// Offered load, requests per second.
    pub fn offered_rps(&self) -> f64 {
        self.offered as f64 / self.width_s()
    }

    /// Completed throughput, requests per second.
    pub fn completed_rps(&self) -> f64 {
        self.completed as f64 / self.width_s()
    }

    /// Time-weighted mean of the Ready pods over the interval.
    pub fn mean_ready_pods(&self) -> f64 {
        self.ready_pod_s / self.width_s()
    }

    /// Width of the interval, seconds (at least 1 ns).
    pub fn width_s(&self) -> f64 {
        (self.end_ns - self.start_ns).max(1) as f64 / 1e9
    }
}

/// Counters of the interval in progress.
#[derive(Debug, Clone)]
pub(crate) struct OpenInterval {
    pub start_ns: Nanos,
    pub offered: u64,
    pub completed: u64,
    pub rejected: u64,
    pub timed_out: u64,
    pub failed: u64,
    pub within_latency_target: u64,
    /// Latencies of measured requests completed in the interval.
    pub latency_measured: IntervalHistogram,
    /// Latencies of requests from before the warmup completed in the interval.
    pub latency_warmup: IntervalHistogram,
    /// CPU core-seconds used by the service up to `start_ns`.
    pub cpu_core_s_at_start: f64,
    /// CPU capacity (core-seconds of Ready pods' base) up to `start_ns`.
    pub capacity_core_s_at_start: f64,
    /// Ready pod-seconds up to `start_ns`.
    pub ready_pod_s_at_start: f64,
}

impl OpenInterval {
    pub fn new(highest_ns: Nanos) -> Self {
        OpenInterval {
            start_ns: 0,
            offered: 0,
            completed: 0,
            rejected: 0,
            timed_out: 0,
            failed: 0,
            within_latency_target: 0,
            latency_measured: IntervalHistogram::new(highest_ns),
            latency_warmup: IntervalHistogram::new(highest_ns),
            cpu_core_s_at_start: 0.0,
            capacity_core_s_at_start: 0.0,
            ready_pod_s_at_start: 0.0,
        }
    }
}
