//! `timeseries.csv`: one row per profile, replication, service and interval.

use crate::metrics::RunResult;

/// Column names of `timeseries.csv`.
pub const COLUMNS: [&str; 15] = [
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
];

fn opt(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.4}")).unwrap_or_default()
}

/// The series of every run as CSV bytes.
pub fn timeseries_csv(runs: &[RunResult], profile_names: &[&str]) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS).expect("write to memory");
    for run in runs {
        let profile = profile_names
            .get(run.profile as usize)
            .copied()
            .unwrap_or("?");
        for s in &run.services {
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
                ])
                .expect("write to memory");
            }
        }
    }
    w.into_inner().expect("flush to memory")
}
