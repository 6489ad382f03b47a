//! The report folder, written as one unit.
//!
//! A run stages its report in a fresh hidden folder beside `--out`
//! (`.NAME.capsim-PID-N.tmp`, created before the simulation starts, so an
//! unwritable place fails at once), writes every file there, and then
//! publishes the folder in one step: on Linux it atomically exchanges the
//! staged folder with the old report (`renameat2(RENAME_EXCHANGE)`) and
//! removes the old one; elsewhere, or on a filesystem without the exchange,
//! the old report is renamed aside first. A reader of `--out` so sees the
//! old report or the new one, whole, never files of two runs, never a
//! half-written file, never a file left from an earlier scenario. Two runs
//! into one `--out` at once each stage in their own folder, and the one that
//! publishes last wins; a run killed before it publishes leaves the old
//! report as it was, and its staging folder is removed by the next run
//! (once no process of that id is alive).

use crate::error::Error;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// Distinguishes the staging folders of one process.
static NEXT: AtomicU32 = AtomicU32::new(0);

/// A report folder being written: the staged files, and where they go.
#[derive(Debug)]
pub struct Staging {
    /// The hidden folder the files are written to.
    dir: PathBuf,
    /// The report folder they are published to.
    out: PathBuf,
    /// The parent folders created for `out` (deepest last), removed if the
    /// run fails before it publishes.
    created: Vec<PathBuf>,
}

/// The report folder `dir` could not be made ready for writing.
fn unwritable(dir: &Path, e: std::io::Error) -> Error {
    Error::Usage(format!(
        "cannot write the report folder {}: {e}\n  hint: pass --out a folder you can write (it is created if needed)",
        dir.display()
    ))
}

/// The folder `out` lives in, and its own name.
fn split(out: &Path) -> (PathBuf, String) {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    (parent, name)
}

/// Prefix of the staging folders of report `name`.
fn staging_prefix(name: &str) -> String {
    format!(".{name}.capsim-")
}

/// Whether process `pid` may still be running (unknown: yes).
fn alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// Removes the staging folders of report `name` in `parent` left by
/// processes that no longer run (killed while simulating or writing).
fn sweep_stale(parent: &Path, name: &str) {
    let prefix = staging_prefix(name);
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| pid != std::process::id() && !alive(pid)) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

impl Staging {
    /// Makes ready to write the report folder `out`: creates its parent
    /// folders if needed and a fresh staging folder beside it.
    pub fn create(out: &Path) -> Result<Self, Error> {
        let (parent, name) = split(out);
        let mut created = Vec::new();
        let mut missing = Some(parent.as_path());
        while let Some(p) = missing.filter(|p| !p.as_os_str().is_empty() && !p.exists()) {
            created.push(p.to_path_buf());
            missing = p.parent();
        }
        created.reverse();
        std::fs::create_dir_all(&parent).map_err(|e| unwritable(out, e))?;
        if out.exists() && !out.is_dir() {
            return Err(Error::Usage(format!(
                "cannot write the report folder {}: it is a file\n  hint: pass --out a folder (it is created if needed)",
                out.display()
            )));
        }
        sweep_stale(&parent, &name);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = parent.join(format!(
            "{}{}-{n}.tmp",
            staging_prefix(&name),
            std::process::id()
        ));
        std::fs::create_dir(&dir).map_err(|e| unwritable(out, e))?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            created,
        })
    }

    /// Writes file `name` of the report.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<(), Error> {
        let path = self.dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
    }

    /// Publishes the staged files as the report folder, replacing whatever
    /// was there; returns the paths of the files, sorted.
    pub fn publish(self) -> Result<Vec<PathBuf>, Error> {
        let mut names: Vec<String> = std::fs::read_dir(&self.dir)
            .map_err(|e| Error::io(&self.dir, e))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        self.swap_in()?;
        Ok(names.into_iter().map(|n| self.out.join(n)).collect())
    }

    /// Puts the staged folder at `out` in one step; the old report, if any,
    /// ends at the staging path and is removed.
    fn swap_in(&self) -> Result<(), Error> {
        // Nothing there yet: a rename (which fails if another run's report
        // has appeared since; then that one is exchanged below).
        if !self.out.exists() && std::fs::rename(&self.dir, &self.out).is_ok() {
            return Ok(());
        }
        if exchange(&self.dir, &self.out).is_ok() {
            let _ = std::fs::remove_dir_all(&self.dir);
            return Ok(());
        }
        // No exchange here: the old report goes aside first.
        let aside = self.dir.with_extension("old");
        std::fs::rename(&self.out, &aside).map_err(|e| Error::io(&self.out, e))?;
        std::fs::rename(&self.dir, &self.out).map_err(|e| Error::io(&self.out, e))?;
        let _ = std::fs::remove_dir_all(&aside);
        Ok(())
    }

    /// The run failed before publishing: the staging folder, and the parent
    /// folders it created if they are empty, go.
    pub fn discard(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        for dir in self.created.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Exchanges `a` and `b` atomically (Linux).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

/// No atomic exchange on this system.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

#[cfg(test)]
#[path = "folder_tests.rs"]
mod tests;
