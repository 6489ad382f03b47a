//! Rendering results: terminal table, `summary.json`, `timeseries.csv`.
//!
//! Renderers are pure functions from results to bytes or text (tested
//! without touching the disk); [`write_report`] writes them into a staged
//! folder and publishes it as the report folder in one step ([`folder`]).

pub mod catalog;
pub mod cluster;
pub mod csv;
pub mod folder;
pub mod json;
pub mod table;
pub mod table_slo;

use crate::analysis::Summary;
use crate::error::Error;
use crate::metrics::RunResult;
use folder::Staging;
use std::path::PathBuf;

/// One Ready pod's capacity at the SLO, per profile and service, as the summary gives it.
fn capacity_rps_per_pod(summary: &Summary) -> Vec<Vec<Option<f64>>> {
    summary
        .profiles
        .iter()
        .map(|p| {
            p.services
                .iter()
                .map(|s| s.headroom.and_then(|h| h.service.capacity_rps_per_pod))
                .collect()
        })
        .collect()
}

/// Writes `summary.json`, `timeseries.csv`, `events.csv` (and `cluster.csv`
/// with a cluster) into the staged report folder and publishes it in one
/// step ([`folder`]); returns the paths of the files.
pub fn write_report(
    staging: Staging,
    summary: &Summary,
    runs: &[RunResult],
    profile_names: &[&str],
) -> Result<Vec<PathBuf>, Error> {
    let mut files = vec![
        ("summary.json", json::summary_json(summary)),
        (
            "timeseries.csv",
            csv::timeseries_csv(runs, profile_names, &capacity_rps_per_pod(summary)),
        ),
        ("events.csv", csv::events_csv(runs, profile_names)),
    ];
    if let Some(bytes) = cluster::cluster_csv(runs, profile_names) {
        files.push(("cluster.csv", bytes));
    }
    for (name, bytes) in &files {
        if let Err(e) = staging.write(name, bytes) {
            staging.discard();
            return Err(e);
        }
    }
    staging.publish()
}
