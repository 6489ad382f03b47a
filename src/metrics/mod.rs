//! The recorder: the model's only output channel, and the results of a run.
//!
//! The model reports arrivals, rejections and finished requests as they
//! happen and closes intervals on its ticks; the recorder keeps outcome
//! counts and latency histograms (requests arriving at or after the warmup
//! only) and the per-interval series (every request). Memory is fixed per
//! service plus one row per interval: it does not grow with requests.
//!
//! [`cluster`] and [`instances`] hold what the cluster's nodes and a VM
//! service's instances did; [`bill`] prices those stays under AWS's billing
//! rules.

pub mod bill;
pub mod cluster;
pub mod instances;
mod interval;
mod latency;
mod replicas;
mod series;

pub use latency::LatencyHistogram;
use latency::RunLatency;
pub use replicas::{ReplicaStats, ScalingEvent};
pub use series::IntervalRow;

use crate::units::Nanos;
use serde::Serialize;
use series::OpenInterval;

/// What became of the requests that arrived after the warmup.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Outcomes {
    /// Requests that arrived.
    pub offered: u64,
    /// Finished within their timeout.
    pub completed: u64,
    /// Turned away by a full queue (or no Ready pod).
    pub rejected: u64,
    /// The client gave up before the response.
    pub timed_out: u64,
    /// Killed in flight (their pod's termination grace period ended).
    pub failed: u64,
    /// Still waiting for a response when the run ended.
    pub in_flight: u64,
}

impl Outcomes {
    /// offered = completed + rejected + timed_out + failed + in_flight.
    pub fn is_balanced(&self) -> bool {
        self.offered
            == self.completed + self.rejected + self.timed_out + self.failed + self.in_flight
    }

    /// Adds `other` field by field.
    pub fn add(&mut self, other: &Outcomes) {
        self.offered += other.offered;
        self.completed += other.completed;
        self.rejected += other.rejected;
        self.timed_out += other.timed_out;
        self.failed += other.failed;
        self.in_flight += other.in_flight;
    }
}

/// Records one service.
#[derive(Debug, Clone)]
pub struct ServiceRecorder {
    timeout_ns: Nanos,
    latency_target_ns: Option<Nanos>,
    outcomes: Outcomes,
    within_latency_target: u64,
    latency: RunLatency,
    open: OpenInterval,
    series: Vec<IntervalRow>,
}

impl ServiceRecorder {
    /// A recorder for a service whose clients wait at most `timeout_ns` (`None` = forever)
    /// and whose SLO promises latencies up to `latency_target_ns` (`None` = no latency objective).
    pub fn new(
        timeout_ns: Option<Nanos>,
        duration_ns: Nanos,
        latency_target_ns: Option<Nanos>,
    ) -> Self {
        ServiceRecorder {
            timeout_ns: timeout_ns.unwrap_or(Nanos::MAX),
            latency_target_ns,
            outcomes: Outcomes::default(),
            within_latency_target: 0,
            latency: RunLatency::new(duration_ns),
            open: OpenInterval::new(duration_ns),
            series: Vec::new(),
        }
    }

    /// A request arrived; `measured` = it arrived after the warmup.
    #[inline]
    pub fn arrival(&mut self, measured: bool) {
        self.open.offered += 1;
        self.outcomes.offered += measured as u64;
    }

    /// A request was rejected on arrival.
    #[inline]
    pub fn rejected(&mut self, measured: bool) {
        self.open.rejected += 1;
        self.outcomes.rejected += measured as u64;
    }

    /// The server finished a request that arrived at `arrival_ns`.
    #[inline]
    pub fn finished(&mut self, now: Nanos, arrival_ns: Nanos, measured: bool) {
        let latency = now - arrival_ns;
        if latency > self.timeout_ns {
            self.open.timed_out += 1;
            self.outcomes.timed_out += measured as u64;
        } else {
            // One histogram record per request: measured latencies are folded
            // into the run's histogram when the interval closes.
            self.open.completed += 1;
            self.outcomes.completed += measured as u64;
            // Without a latency objective the count stays unused (and reported as none).
            let within = latency <= self.latency_target_ns.unwrap_or(Nanos::MAX);
            self.open.within_latency_target += within as u64;
            self.within_latency_target += (within && measured) as u64;
            if measured {
                self.open.latency_measured.record(latency);
            } else {
                self.open.latency_warmup.record(latency);
            }
        }
    }

    /// A request from `arrival_ns` was killed with its pod at `now`.
    pub fn failed(&mut self, now: Nanos, arrival_ns: Nanos, measured: bool) {
        if now - arrival_ns > self.timeout_ns {
            self.open.timed_out += 1;
            self.outcomes.timed_out += measured as u64;
        } else {
            self.open.failed += 1;
            self.outcomes.failed += measured as u64;
        }
    }

    /// The run ends at `now` (before the last `close_interval`) with a
    /// request from `arrival_ns` still unanswered: timed out if its client
    /// has given up, else in flight. Returns whether it timed out; the
    /// caller then no longer counts it in flight, so the last interval's
    /// row and the outcomes agree.
    pub fn unfinished(&mut self, now: Nanos, arrival_ns: Nanos, measured: bool) -> bool {
        let gave_up = now - arrival_ns > self.timeout_ns;
        if gave_up {
            self.open.timed_out += 1;
            self.outcomes.timed_out += measured as u64;
        } else {
            self.outcomes.in_flight += measured as u64;
        }
        gave_up
    }

    /// Ends the interval in progress at `now` and starts the next.
    ///
    /// `replicas` are the desired, Ready and pending replicas at `now`;
    /// `cpu_core_s` is the service's CPU use (core-seconds) since the start,
    /// `ready_pod_s` its Ready pods integrated over time since the start
    /// (pod-seconds), and `capacity_core_s` the Ready pods' CPU base (what
    /// 100 % utilization is) integrated likewise.
    pub fn close_interval(
        &mut self,
        now: Nanos,
        in_flight: u64,
        replicas: [u32; 3],
        cpu_core_s: f64,
        ready_pod_s: f64,
        capacity_core_s: f64,
    ) {
        let o = &mut self.open;
        self.latency.add_interval(&o.latency_measured);
        // The interval's quantiles cover every request, warmup or not.
        if o.latency_warmup.count() > 0 {
            o.latency_measured.merge(&o.latency_warmup);
            o.latency_warmup.reset();
        }
        let capacity = capacity_core_s - o.capacity_core_s_at_start;
        let [desired, ready, pending] = replicas;
        self.series.push(IntervalRow {
            start_ns: o.start_ns,
            end_ns: now,
            offered: o.offered,
            completed: o.completed,
            rejected: o.rejected,
            timed_out: o.timed_out,
            failed: o.failed,
            within_latency_target: o.within_latency_target,
            latency_p50_ms: o.latency_measured.quantile_ms(0.5),
            latency_p99_ms: o.latency_measured.quantile_ms(0.99),
            in_flight,
            pods: ready,
            ready_pod_s: ready_pod_s - o.ready_pod_s_at_start,
            desired_replicas: desired,
            pending_replicas: pending,
            cpu_utilization: if capacity > 0.0 {
                (cpu_core_s - o.cpu_core_s_at_start) / capacity
            } else {
                0.0
            },
        });
        o.start_ns = now;
        o.offered = 0;
        o.completed = 0;
        o.rejected = 0;
        o.timed_out = 0;
        o.failed = 0;
        o.within_latency_target = 0;
        o.latency_measured.reset();
        o.cpu_core_s_at_start = cpu_core_s;
        o.ready_pod_s_at_start = ready_pod_s;
        o.capacity_core_s_at_start = capacity_core_s;
    }

    /// Finishes recording (after the last `close_interval`): outcomes, latency histogram, series.
    pub fn into_result(self, name: String, replicas: ReplicaStats) -> ServiceResult {
        ServiceResult {
            name,
            outcomes: self.outcomes,
            within_latency_target: self.latency_target_ns.map(|_| self.within_latency_target),
            latency: self.latency.finish(),
            series: self.series,
            replicas,
            instances: None,
        }
    }
}

/// What one service did in one run.
#[derive(Debug, Clone)]
pub struct ServiceResult {
    /// Service name.
    pub name: String,
    /// Outcome counts of measured requests.
    pub outcomes: Outcomes,
    /// Measured requests completed within the SLO's latency target (`None` without one).
    pub within_latency_target: Option<u64>,
    /// Latencies of measured, completed requests.
    pub latency: LatencyHistogram,
    /// One row per interval, from time 0.
    pub series: Vec<IntervalRow>,
    /// Replica counts over the measured part of the run.
    pub replicas: ReplicaStats,
    /// Its EC2 instances, for a `platform: vm` service (`None` for pods).
    pub instances: Option<instances::InstanceLog>,
}

/// Everything one run produced.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// Profile index.
    pub profile: u32,
    /// Replication index.
    pub replication: u32,
    /// Per service, in scenario order.
    pub services: Vec<ServiceResult>,
    /// Events the engine handled.
    pub events: u64,
    /// Scaling decisions, in time order.
    pub scaling_events: Vec<ScalingEvent>,
    /// The cluster, if the scenario has one.
    pub cluster: Option<cluster::ClusterResult>,
}
