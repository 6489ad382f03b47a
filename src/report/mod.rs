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

/// The report folder `dir` could not be made ready for writing.
fn unwritable(dir: &Path, e: std::io::Error) -> Error {
    Error::Usage(format!(
        "cannot write the report folder {}: {e}\n  hint: pass --out a folder you can write (it is created if needed)",
        dir.display()
    ))
}

/// Makes the report folder `dir` ready before any run: creates it (and its
/// parents) if needed and checks that a file can be written in it, so a
/// long run never fails at its end on an unwritable folder. Returns
/// whether it created `dir` (see [`discard_dir`]).
pub fn prepare_dir(dir: &Path) -> Result<bool, Error> {
    let existed = dir.is_dir();
    std::fs::create_dir_all(dir).map_err(|e| unwritable(dir, e))?;
    let probe = dir.join(".capsim-write-check.tmp~");
    let written = std::fs::write(&probe, b"");
    let _ = std::fs::remove_file(&probe);
    written.map_err(|e| unwritable(dir, e))?;
    Ok(!existed)
}

/// Removes the report folder `dir` that [`prepare_dir`] created, if it is
/// still empty (the runs failed before anything was written).
pub fn discard_dir(dir: &Path) {
    let _ = std::fs::remove_dir(dir);
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
///
/// The files are staged under temporary names and renamed into place only
/// when every one is written.
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
    // Every file goes to its temporary name first; only when all are
    // written are they renamed into place, so a failure leaves no mix of
    // new and old report files.
    let mut staged = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let path = dir.join(name);
        let tmp = path.with_extension("tmp~");
        if let Err(e) = std::fs::write(&tmp, &bytes) {
            for (t, _) in &staged {
                let _ = std::fs::remove_file(t);
            }
            let _ = std::fs::remove_file(&tmp);
            return Err(Error::io(&tmp, e));
        }
        staged.push((tmp, path));
    }
    let mut written = Vec::with_capacity(staged.len());
    for (tmp, path) in staged {
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
        written.push(path);
    }
    Ok(written)
}
