//! User-facing errors with hints, and the exit codes they map to.
//!
//! Exit codes follow ripgrep's convention: 0 success, 1 "ran, but a check
//! failed" (assertions, from a later milestone), 2 bad input or usage.

use std::fmt;
use std::path::{Path, PathBuf};

/// Exit code for success.
pub const EXIT_OK: i32 = 0;
/// Exit code for a run whose assertions or regressions failed.
pub const EXIT_CHECK_FAILED: i32 = 1;
/// Exit code for bad input, bad usage, or any other error.
pub const EXIT_BAD_INPUT: i32 = 2;

/// A problem in an input file, located as precisely as possible.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    /// The file the problem is in.
    pub file: Box<Path>,
    /// 1-based line, 0 when unknown.
    pub line: u32,
    /// 1-based column, 0 when unknown.
    pub column: u32,
    /// The YAML path of the offending field, such as `services[0].pod.concurrency`.
    pub path: String,
    /// What was expected and what was found.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
    /// The text of the offending line, for display (clipped around the column when long).
    pub source_line: Option<Box<str>>,
    /// The caret's column in `source_line` when that is clipped (0: `column`).
    pub source_column: u32,
}

/// Longest offending line shown whole; a longer one is shown as a window
/// of this many characters around the column, `…` marking the cuts.
pub const MAX_SHOWN_LINE_CHARS: usize = 160;
/// Longest message shown whole (a found value is echoed in it); longer ones are clipped.
pub const MAX_MESSAGE_CHARS: usize = 2000;

/// `text` cut to at most `width` characters, `…` at the cut.
pub fn clip(text: &str, width: usize) -> String {
    match text.char_indices().nth(width) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// A window of at most `width` characters of `text` around character
/// `column` (1-based), `…` marking cuts; returns it and the column's place in it.
pub fn clip_around(text: &str, column: usize, width: usize) -> (String, usize) {
    let count = text.chars().count();
    if count <= width {
        return (text.to_string(), column);
    }
    let start = column.saturating_sub(1 + width / 2).min(count - width);
    let window: String = text.chars().skip(start).take(width).collect();
    let (head, shift) = if start > 0 { ("…", 1) } else { ("", 0) };
    let tail = if start + width < count { "…" } else { "" };
    (format!("{head}{window}{tail}"), column - start + shift)
}

impl InputError {
    /// An error at `line`:`column` of `file`; a `\nhint: …` suffix of `message` becomes the hint.
    pub fn new(
        file: impl Into<PathBuf>,
        line: u64,
        column: u64,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        let message = message.into();
        let (message, hint) = match message.split_once("\nhint: ") {
            Some((m, h)) => (m.to_string(), Some(h.to_string())),
            None => (message, None),
        };
        InputError {
            file: file.into().into_boxed_path(),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
            path: path.into(),
            message: clip(&message, MAX_MESSAGE_CHARS),
            hint,
            source_line: None,
            source_column: 0,
        }
    }

    /// Sets the hint (replacing one taken from the message).
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attaches the offending line from the file's text, for display;
    /// a line longer than [`MAX_SHOWN_LINE_CHARS`] is clipped around the column.
    pub fn with_source(mut self, text: &str) -> Self {
        if self.line > 0
            && let Some(line) = text.lines().nth(self.line as usize - 1)
        {
            let (shown, caret) = clip_around(line, self.column as usize, MAX_SHOWN_LINE_CHARS);
            self.source_column = if shown.len() == line.len() {
                0
            } else {
                caret as u32
            };
            self.source_line = Some(shown.into_boxed_str());
        }
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        if !self.path.is_empty() {
            write!(f, ": {}", self.path)?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(src) = &self.source_line {
            let number = self.line.to_string();
            write!(f, "\n {number} | {src}")?;
            let pad = " ".repeat(number.len());
            let column = if self.source_column > 0 {
                self.source_column
            } else {
                self.column
            };
            let caret = " ".repeat(column.saturating_sub(1) as usize);
            write!(f, "\n {pad} | {caret}^")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

/// Every error capsim reports to its user.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A scenario, trace or other input file is wrong.
    #[error("{0}")]
    Input(Box<InputError>),
    /// A run stopped because it handled more events than its budget.
    #[error(
        "run {run} stopped: {events} events handled by simulated time {at}, the event budget\n  hint: the scenario generates far more events than its traffic implies (a runaway scenario); if it is meant to, raise limits.max_events; `--seed {seed} --replications {replications}` reproduces this run (it is the last)"
    )]
    Budget {
        /// Which run stopped: its seed, profile and replication, in words.
        run: String,
        /// The scenario seed of the run.
        seed: u64,
        /// Replications that reproduce it (its replication index + 1).
        replications: u32,
        /// The budget.
        events: u64,
        /// Simulated time when it stopped, formatted.
        at: String,
    },
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// Command-line usage that parsed but makes no sense.
    #[error("{0}")]
    Usage(String),
    /// A broken invariant: a bug in capsim, never the user's fault.
    #[error("internal error (please report it): {0}")]
    Internal(String),
}

impl From<InputError> for Error {
    fn from(e: InputError) -> Self {
        Error::Input(Box::new(e))
    }
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        EXIT_BAD_INPUT
    }

    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Result type used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_location_path_source_and_hint() {
        let text = "name: x\nduration: 10 minutes\n";
        let e = InputError::new(
            "s.yaml",
            2,
            11,
            "duration",
            "expected a duration, found \"10 minutes\"\nhint: write 10m",
        )
        .with_source(text);
        let shown = e.to_string();
        assert!(
            shown.starts_with("s.yaml:2:11: duration: expected a duration"),
            "{shown}"
        );
        assert!(shown.contains(" 2 | duration: 10 minutes"), "{shown}");
        assert!(shown.contains("   |           ^"), "{shown}");
        assert!(shown.ends_with("hint: write 10m"), "{shown}");
    }
}
