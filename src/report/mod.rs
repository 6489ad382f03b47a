//! Rendering results: terminal table, `summary.json`, `timeseries.csv`.
//!
//! Renderers are pure functions from results to bytes or text (tested
//! without touching the disk); [`write_report`] writes them atomically
//! (temporary file, then rename) into the report folder.

pub mod catalog;
pub mod cluster;
pub mod csv;
pub mod json;
pub mod table;
pub mod table_slo;

use crate::analysis::Summary;
use crate::error::Error;
use crate::metrics::RunResult;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` via a temporary file in the same folder and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let tmp = path.with_extension("tmp~");
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

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

/// Writes `summary.json`, `timeseries.csv`, `events.csv` (and `cluster.csv` with a cluster) into `dir` (created if needed); returns the paths.
pub fn write_report(
    dir: &Path,
    summary: &Summary,
    runs: &[RunResult],
    profile_names: &[&str],
) -> Result<Vec<PathBuf>, Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
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
    let mut written = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let path = dir.join(name);
        write_atomic(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}
