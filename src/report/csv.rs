//! `timeseries.csv` (one row per profile, replication, service and interval)
//! and `events.csv` (one row per scaling decision).

use crate::analysis::headroom::{interval_capacity_rps, interval_headroom};
use crate::metrics::RunResult;

/// Column names of `timeseries.csv`.
pub const COLUMNS: [&str; 20] = [
    "profile",
    "replication",
    "service",
    "interval_start_s",
    "interval_end_s",
    "offered_rps",
    "completed_rps",
    "rejected",
    "timed_out",
    "latency_p50_ms",
    "latency_p99_ms",
    "in_flight",
    "pods",
    "cpu_utilization",
    "offered",
    "failed",
    "desired_replicas",
    "pending_replicas",
    "service_capacity_rps",
    "service_headroom",
];

fn opt(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.4}")).unwrap_or_default()
}

/// The series of every run as CSV bytes; `capacity_rps_per_pod[profile][service]`
/// is one Ready pod's capacity at the service's SLO (`None`: no SLO or no bound,
/// and the service columns stay empty).
pub fn timeseries_csv(
    runs: &[RunResult],
    profile_names: &[&str],
    capacity_rps_per_pod: &[Vec<Option<f64>>],
) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS).expect("write to memory");
    for run in runs {
        let profile = profile_names
            .get(run.profile as usize)
            .copied()
            .unwrap_or("?");
        for (i, s) in run.services.iter().enumerate() {
            let per_pod = capacity_rps_per_pod
                .get(run.profile as usize)
                .and_then(|p| p.get(i).copied().flatten());
            for row in &s.series {
                w.write_record([
                    profile.to_string(),
                    run.replication.to_string(),
                    s.name.clone(),
                    format!("{:.3}", row.start_ns as f64 / 1e9),
                    format!("{:.3}", row.end_ns as f64 / 1e9),
                    format!("{:.4}", row.offered_rps()),
                    format!("{:.4}", row.completed_rps()),
                    row.rejected.to_string(),
                    row.timed_out.to_string(),
                    opt(row.latency_p50_ms),
                    opt(row.latency_p99_ms),
                    row.in_flight.to_string(),
                    row.pods.to_string(),
                    format!("{:.4}", row.cpu_utilization),
                    row.offered.to_string(),
                    row.failed.to_string(),
                    row.desired_replicas.to_string(),
                    row.pending_replicas.to_string(),
                    opt(per_pod.map(|c| interval_capacity_rps(row, c))),
                    opt(per_pod.and_then(|c| interval_headroom(row, c))),
                ])
                .expect("write to memory");
            }
        }
    }
    w.into_inner().expect("flush to memory")
}

/// Column names of `events.csv`.
pub const EVENT_COLUMNS: [&str; 9] = [
    "profile",
    "replication",
    "time_s",
    "target",
    "source",
    "from",
    "to",
    "reason",
    "metrics",
];

/// Every scaling decision of every run as CSV bytes, in run then time order.
pub fn events_csv(runs: &[RunResult], profile_names: &[&str]) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(EVENT_COLUMNS).expect("write to memory");
    for run in runs {
        let profile = profile_names
            .get(run.profile as usize)
            .copied()
            .unwrap_or("?");
        for e in &run.scaling_events {
            w.write_record([
                profile.to_string(),
                run.replication.to_string(),
                format!("{:.3}", e.at_ns as f64 / 1e9),
                e.target.clone(),
                e.source.to_string(),
                e.from.to_string(),
                e.to.to_string(),
                e.reason.clone(),
                e.metrics.clone(),
            ])
            .expect("write to memory");
        }
    }
    w.into_inner().expect("flush to memory")
}

#[cfg(test)]
#[path = "csv_tests.rs"]
mod tests;
