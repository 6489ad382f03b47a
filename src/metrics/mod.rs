//! The recorder: the model's only output channel, and the results of a run.
//!
//! The model reports arrivals, rejections and finished requests as they
//! happen and closes intervals on its ticks; the recorder keeps outcome
//! counts and latency histograms (requests arriving at or after the warmup
//! only) and the per-interval series (every request). Memory is fixed per
//! service plus one row per interval: it does not grow with requests.

mod latency;
mod series;

pub use latency::LatencyHistogram;
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
    /// Still waiting for a response when the run ended.
    pub in_flight: u64,
}

impl Outcomes {
    /// offered = completed + rejected + timed_out + in_flight.
    pub fn is_balanced(&self) -> bool {
        self.offered == self.completed + self.rejected + self.timed_out + self.in_flight
    }

    /// Adds `other` field by field.
    pub fn add(&mut self, other: &Outcomes) {
        self.offered += other.offered;
        self.completed += other.completed;
        self.rejected += other.rejected;
        self.timed_out += other.timed_out;
        self.in_flight += other.in_flight;
    }
}

/// Records one service.
#[derive(Debug, Clone)]
pub struct ServiceRecorder {
    timeout_ns: Nanos,
    outcomes: Outcomes,
    latency: LatencyHistogram,
    open: OpenInterval,
    series: Vec<IntervalRow>,
}

impl ServiceRecorder {
    /// A recorder for a service whose clients wait at most `timeout_ns` (`None` = forever).
    pub fn new(timeout_ns: Option<Nanos>, duration_ns: Nanos) -> Self {
        ServiceRecorder {
            timeout_ns: timeout_ns.unwrap_or(Nanos::MAX),
            outcomes: Outcomes::default(),
            latency: LatencyHistogram::new(duration_ns),
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
            if measured {
                self.open.latency_measured.record(latency);
            } else {
                self.open.latency_warmup.record(latency);
            }
        }
    }

    /// The run ended with a measured request from `arrival_ns` still unanswered.
    pub fn unfinished(&mut self, now: Nanos, arrival_ns: Nanos) {
        if now - arrival_ns > self.timeout_ns {
            self.outcomes.timed_out += 1;
        } else {
            self.outcomes.in_flight += 1;
        }
    }

    /// Ends the interval in progress at `now` and starts the next.
    ///
    /// `cpu_core_s` is the service's CPU use (core-seconds) since the start,
    /// `cpu_base_cores` what one pod's 100 % utilization is.
    pub fn close_interval(
        &mut self,
        now: Nanos,
        in_flight: u64,
        pods: u32,
        cpu_core_s: f64,
        cpu_base_cores: f64,
    ) {
        let o = &mut self.open;
        self.latency.merge(&o.latency_measured);
        // The interval's quantiles cover every request, warmup or not.
        if o.latency_warmup.count() > 0 {
            o.latency_measured.merge(&o.latency_warmup);
            o.latency_warmup.reset();
        }
        let width_s = (now - o.start_ns) as f64 / 1e9;
        let capacity = width_s * pods as f64 * cpu_base_cores;
        self.series.push(IntervalRow {
            start_ns: o.start_ns,
            end_ns: now,
            offered: o.offered,
            completed: o.completed,
            rejected: o.rejected,
            timed_out: o.timed_out,
            latency_p50_ms: o.latency_measured.quantile_ms(0.5),
            latency_p99_ms: o.latency_measured.quantile_ms(0.99),
            in_flight,
            pods,
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
        o.latency_measured.reset();
        o.cpu_core_s_at_start = cpu_core_s;
    }

    /// Finishes recording (after the last `close_interval`): outcomes, latency histogram, series.
    pub fn into_result(self, name: String) -> ServiceResult {
        ServiceResult {
            name,
            outcomes: self.outcomes,
            latency: self.latency,
            series: self.series,
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
    /// Latencies of measured, completed requests.
    pub latency: LatencyHistogram,
    /// One row per interval, from time 0.
    pub series: Vec<IntervalRow>,
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
}
