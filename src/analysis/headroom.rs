//! Service headroom (DESIGN §3.12 b): the capacity of a service's Ready
//! pods at its SLO ÷ the offered load − 1, per interval, its minimum and
//! its value at the peak.
//!
//! One pod's capacity at the SLO comes from [`super::capacity`]; the load
//! balancer splits traffic about evenly, so N Ready pods carry N times it.
//! N is the interval's time-weighted mean of Ready pods, so a pod Ready for
//! half the interval adds half a pod. Headroom 0 means the interval's load
//! was exactly what its pods could carry at the SLO, +1 that they could
//! carry twice as much, −0.5 that they could carry half of it. Intervals
//! without offered requests have no headroom.

use super::capacity::{PodQueue, capacity_rps};
use crate::metrics::{IntervalRow, RunResult};
use crate::spec::ServiceSpec;
use crate::units::Nanos;
use serde::Serialize;

/// `headroom` of a service in `summary.json` (with an SLO).
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct HeadroomBlock {
    /// Service headroom at the SLO.
    pub service: ServiceHeadroom,
}

/// A service's headroom at its SLO over the intervals that end after the warmup.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct ServiceHeadroom {
    /// Lowest headroom of any interval, any replication (`null` without offered load or without a bound).
    pub min: Option<f64>,
    /// Headroom in the interval with the most offered requests, mean over replications.
    pub at_peak: Option<f64>,
    /// Capacity of the Ready pods at the SLO in that interval, requests/s, mean over replications.
    pub capacity_rps_at_peak: Option<f64>,
    /// One Ready pod's capacity at the SLO, requests/s (`null`: nothing bounds it).
    pub capacity_rps_per_pod: Option<f64>,
}

fn round4(v: f64) -> f64 {
    (v * 1e4).round() / 1e4
}

/// One Ready pod's capacity at the SLO of `spec`, requests/s, to 4 decimals;
/// `None` without an SLO or when nothing bounds it.
pub fn capacity_rps_per_pod(spec: &ServiceSpec) -> Option<f64> {
    let slo = spec.slo?;
    let cap = capacity_rps(&PodQueue::of(&spec.pod, &spec.request), &slo);
    cap.is_finite().then(|| round4(cap))
}

/// Capacity at the SLO of the interval's Ready pods (time-weighted mean), requests/s.
pub fn interval_capacity_rps(row: &IntervalRow, per_pod_rps: f64) -> f64 {
    per_pod_rps * row.mean_ready_pods()
}

/// capacity ÷ offered − 1 of the interval (`None` when nothing was offered).
pub fn interval_headroom(row: &IntervalRow, per_pod_rps: f64) -> Option<f64> {
    let offered = row.offered_rps();
    (row.offered > 0).then(|| interval_capacity_rps(row, per_pod_rps) / offered - 1.0)
}

/// The headroom of service `s` of `runs` whose pods each carry `per_pod_rps` at the SLO.
pub fn summarize(
    runs: &[&RunResult],
    s: usize,
    per_pod_rps: Option<f64>,
    warmup_ns: Nanos,
) -> ServiceHeadroom {
    let Some(per_pod) = per_pod_rps else {
        return ServiceHeadroom {
            min: None,
            at_peak: None,
            capacity_rps_at_peak: None,
            capacity_rps_per_pod: None,
        };
    };
    let mut min: Option<f64> = None;
    let (mut peak_sum, mut capacity_sum, mut peaks) = (0.0, 0.0, 0u32);
    for run in runs {
        let mut peak: Option<&IntervalRow> = None;
        for row in run.services[s]
            .series
            .iter()
            .filter(|r| r.end_ns > warmup_ns && r.offered > 0)
        {
            let h = interval_headroom(row, per_pod).expect("offered load");
            min = Some(min.map_or(h, |m| m.min(h)));
            if peak.is_none_or(|p| row.offered_rps() > p.offered_rps()) {
                peak = Some(row);
            }
        }
        if let Some(p) = peak {
            peak_sum += interval_headroom(p, per_pod).expect("offered load");
            capacity_sum += interval_capacity_rps(p, per_pod);
            peaks += 1;
        }
    }
    let n = f64::from(peaks);
    ServiceHeadroom {
        min: min.map(round4),
        at_peak: (peaks > 0).then(|| round4(peak_sum / n)),
        capacity_rps_at_peak: (peaks > 0).then(|| round4(capacity_sum / n)),
        capacity_rps_per_pod: Some(per_pod),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(offered: u64, ready_pod_s: f64) -> IntervalRow {
        IntervalRow {
            start_ns: 0,
            end_ns: 60_000_000_000,
            offered,
            completed: offered,
            rejected: 0,
            timed_out: 0,
            failed: 0,
            within_latency_target: offered,
            latency_p50_ms: None,
            latency_p99_ms: None,
            in_flight: 0,
            pods: 2,
            ready_pod_s,
            desired_replicas: 2,
            pending_replicas: 0,
            cpu_utilization: 0.0,
        }
    }

    #[test]
    fn headroom_of_an_interval() {
        // 2 pods all minute at 50 rps each = 100 rps of capacity; 3000 requests in 60 s = 50 rps.
        let r = row(3000, 120.0);
        assert_eq!(interval_capacity_rps(&r, 50.0), 100.0);
        assert_eq!(interval_headroom(&r, 50.0), Some(1.0));
        // One pod Ready for half the minute: 1.5 pods on average → 75 rps, 50 % over 50 rps.
        assert_eq!(interval_headroom(&row(3000, 90.0), 50.0), Some(0.5));
        // No pods: −100 %; no load: no headroom.
        assert_eq!(interval_headroom(&row(3000, 0.0), 50.0), Some(-1.0));
        assert_eq!(interval_headroom(&row(0, 120.0), 50.0), None);
    }
}
