//! `cluster.csv`: one row per profile, replication and interval — nodes per
//! group (Ready and launching), pending pods, requested and allocatable
//! resources, the cluster's resource headroom (computed by
//! [`crate::analysis::cluster::headroom`]), and the cumulative cost.

use crate::analysis::cluster::headroom;
use crate::metrics::RunResult;

const GIB: f64 = (1u64 << 30) as f64;

/// The cluster series of every run as CSV bytes; `None` without a cluster.
pub fn cluster_csv(runs: &[RunResult], profile_names: &[&str]) -> Option<Vec<u8>> {
    let groups = &runs.first()?.cluster.as_ref()?.groups;
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "profile",
        "replication",
        "interval_start_s",
        "interval_end_s",
        "pending_pods",
        "cpu_requested_cores",
        "cpu_allocatable_cores",
        "memory_requested_gib",
        "memory_allocatable_gib",
        "headroom_cpu",
        "headroom_memory",
        "cost_usd",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for g in groups {
        header.push(format!("nodes_ready.{g}"));
        header.push(format!("nodes_launching.{g}"));
    }
    w.write_record(&header).expect("write to memory");
    for run in runs {
        let Some(c) = &run.cluster else { continue };
        let profile = profile_names
            .get(run.profile as usize)
            .copied()
            .unwrap_or("?");
        let bill = c.bill();
        for row in &c.series {
            let mut rec = vec![
                profile.to_string(),
                run.replication.to_string(),
                format!("{:.3}", row.start_ns as f64 / 1e9),
                format!("{:.3}", row.end_ns as f64 / 1e9),
                row.pending_pods.to_string(),
                format!("{:.3}", row.requested.cpu_milli as f64 / 1000.0),
                format!("{:.3}", row.allocatable.cpu_milli as f64 / 1000.0),
                format!("{:.3}", row.requested.memory_bytes as f64 / GIB),
                format!("{:.3}", row.allocatable.memory_bytes as f64 / GIB),
                format!(
                    "{:.4}",
                    headroom(row.requested.cpu_milli, row.allocatable.cpu_milli)
                ),
                format!(
                    "{:.4}",
                    headroom(row.requested.memory_bytes, row.allocatable.memory_bytes)
                ),
                format!("{:.4}", bill.total_usd(row.end_ns)),
            ];
            for &(ready, launching) in &row.nodes {
                rec.push(ready.to_string());
                rec.push(launching.to_string());
            }
            w.write_record(&rec).expect("write to memory");
        }
    }
    Some(w.into_inner().expect("flush to memory"))
}

#[cfg(test)]
#[path = "cluster_tests.rs"]
mod tests;
