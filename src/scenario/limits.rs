//! Size limits of input files, and reading a file as text within them.
//!
//! Every file capsim reads (scenario, HPA manifest, replay file, trace) is
//! bounded, so that `/dev/zero`, a stray 1 GiB file or a single endless line
//! ends in a clear error instead of exhausting memory. The limits are
//! generous: far above any hand-written or generated scenario, and above the
//! largest published request traces once they are one row per time step.
//! They are documented in README.md ("Limits").
//!
//! A text file must be UTF-8; the first byte that is not gets an error at its
//! line and column.

use crate::error::InputError;
use std::io::Read;
use std::path::Path;

/// Bytes in one MiB.
const MIB: u64 = 1 << 20;
/// Largest scenario file: 64 MiB.
pub const MAX_SCENARIO_BYTES: u64 = 64 * MIB;
/// Largest HPA manifest: 64 MiB.
pub const MAX_MANIFEST_BYTES: u64 = 64 * MIB;
/// Largest `capsim hpa replay` file: 64 MiB.
pub const MAX_REPLAY_BYTES: u64 = 64 * MIB;
/// Largest trace file: 256 MiB (about ten million rows of `timestamp,count`).
pub const MAX_TRACE_BYTES: u64 = 256 * MIB;
/// Longest line (CSV record) of a trace: 64 KiB.
pub const MAX_TRACE_LINE_BYTES: u64 = 64 << 10;
/// Highest rate of one rate component, requests per second.
///
/// capsim simulates every request, so far lower rates are already
/// impractical; the limit keeps every rate, integral and event budget finite.
pub(crate) const MAX_RPS: f64 = 1e9;
/// Hint for rates above [`MAX_RPS`].
pub(crate) const MAX_RPS_HINT: &str =
    "capsim simulates every request, so rates are limited to a billion per second per component";
/// Most YAML nodes (scalars, lists, mappings; keys count) in one file: 10 million.
///
/// serde-saphyr's default of 250,000 refuses a legitimate replay file of
/// 100,000 observations; ten million is what 64 MiB of dense YAML holds at
/// about six bytes a node.
pub const MAX_YAML_NODES: usize = 10_000_000;
/// Most YAML parser events in one file: twice [`MAX_YAML_NODES`] (every
/// collection has a start and an end event).
pub const MAX_YAML_EVENTS: usize = 2 * MAX_YAML_NODES;

/// `bytes` in words: `64 MiB`, `64 KiB`, `512 bytes`.
pub fn format_size(bytes: u64) -> String {
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// Reads the file at `path` as UTF-8 text of at most `limit` bytes.
///
/// `what` names the file in messages ("the scenario file"); `hint` is the
/// hint for a file that cannot be opened. Special files (`/dev/zero`, a
/// FIFO) are read only up to the limit.
pub fn read_text(path: &Path, limit: u64, what: &str, hint: &str) -> Result<String, InputError> {
    let open_err = |e: std::io::Error| {
        InputError::new(path, 0, 0, "", format!("cannot read {what}: {e}")).with_hint(hint)
    };
    let file = std::fs::File::open(path).map_err(open_err)?;
    let too_large = |size: String| {
        InputError::new(
            path,
            0,
            0,
            "",
            format!(
                "expected {what} of at most {}, found {size}",
                format_size(limit)
            ),
        )
        .with_hint(format!(
            "capsim reads input files of up to {}; check that this is the file you meant",
            format_size(limit)
        ))
    };
    if let Ok(meta) = file.metadata() {
        if meta.is_dir() {
            return Err(InputError::new(
                path,
                0,
                0,
                "",
                format!("cannot read {what}: it is a folder"),
            )
            .with_hint(hint));
        }
        if meta.is_file() && meta.len() > limit {
            return Err(too_large(format!("{} bytes", meta.len())));
        }
    }
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(open_err)?;
    if bytes.len() as u64 > limit {
        return Err(too_large("more".into()));
    }
    utf8(path, bytes, what)
}

/// `bytes` as text, or an error at the line and column of the first byte that is not UTF-8.
pub fn utf8(path: &Path, bytes: Vec<u8>, what: &str) -> Result<String, InputError> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let good = std::str::from_utf8(&e.as_bytes()[..valid]).unwrap_or_default();
        let line = good.matches('\n').count() as u64 + 1;
        let line_start = good.rfind('\n').map_or(0, |i| i + 1);
        let column = good[line_start..].chars().count() as u64 + 1;
        let bad = e.as_bytes()[valid];
        InputError::new(
            path,
            line,
            column,
            "",
            format!("expected UTF-8 text in {what}, found the byte 0x{bad:02X}"),
        )
        .with_hint(
            "save the file as UTF-8 (a binary file, or one in Latin-1 or UTF-16, cannot be read)",
        )
        .with_source(good)
    })
}

/// A limit that [`BoundedLines`] found exceeded, carried inside an `io::Error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitExceeded {
    /// 1-based line where it happened.
    pub line: u64,
    /// What was exceeded, in words.
    pub message: String,
}

impl std::fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LimitExceeded {}

/// A reader that fails (with a [`LimitExceeded`] inside the `io::Error`) once
/// more than `max_total` bytes were read, or a line grows past `max_line`
/// bytes: a CSV reader grows one record without limit otherwise.
pub struct BoundedLines<R> {
    inner: R,
    max_total: u64,
    max_line: u64,
    total: u64,
    line_len: u64,
    line: u64,
}

impl<R> BoundedLines<R> {
    /// Wraps `inner` with the two limits.
    pub fn new(inner: R, max_total: u64, max_line: u64) -> Self {
        BoundedLines {
            inner,
            max_total,
            max_line,
            total: 0,
            line_len: 0,
            line: 1,
        }
    }
}

impl<R: Read> Read for BoundedLines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let exceeded = |line, message| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                LimitExceeded { line, message },
            )
        };
        self.total += n as u64;
        if self.total > self.max_total {
            return Err(exceeded(
                self.line,
                format!(
                    "the file is larger than {}, the most capsim reads",
                    format_size(self.max_total)
                ),
            ));
        }
        for &b in &buf[..n] {
            if b == b'\n' {
                self.line += 1;
                self.line_len = 0;
            } else {
                self.line_len += 1;
                if self.line_len > self.max_line {
                    return Err(exceeded(
                        self.line,
                        format!(
                            "the line is longer than {}, the most capsim reads in one line",
                            format_size(self.max_line)
                        ),
                    ));
                }
            }
        }
        Ok(n)
    }
}

/// The limit a CSV read ran into, if that is why it failed.
pub fn limit_exceeded(e: &csv::Error) -> Option<&LimitExceeded> {
    match e.kind() {
        csv::ErrorKind::Io(io) => io.get_ref()?.downcast_ref::<LimitExceeded>(),
        _ => None,
    }
}

#[cfg(test)]
#[path = "limits_tests.rs"]
mod tests;
