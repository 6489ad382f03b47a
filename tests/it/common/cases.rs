//! Running the binary on bad input files and checking its error reports.
#![allow(dead_code)]

use assert_cmd::cargo::cargo_bin_cmd;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

/// `base` with `from` (which must occur exactly once) replaced by `to`.
pub fn replace_once(base: &str, from: &str, to: &str) -> String {
    assert_eq!(
        base.matches(from).count(),
        1,
        "{from:?} must occur once in the base scenario"
    );
    base.replacen(from, to, 1)
}

/// The `api` service most bad-input bases share: two replicas of M/M/4
/// (10 rps, exponential CPU of 10 ms mean), its `pod:` block last so that a
/// base can add pod fields after it. A literal, for `concat!`.
macro_rules! api_service {
    () => {
        "  - name: api
    replicas: 2
    traffic:
      rate: [ { constant: { rps: 10 } } ]
    request:
      cpu: { exponential: { mean: 10ms } }
    pod:
      concurrency: 4
"
    };
}
pub(crate) use api_service;

/// For a file whose `const BASE: &str` is a valid scenario that its tests
/// change one piece at a time: declares `base_with(from, to)` (`BASE` with
/// `from`, which must occur once, replaced by `to`) and the test that `BASE`
/// itself validates cleanly (exit 0, `ok`, no warning).
macro_rules! base_scenario {
    () => {
        /// `BASE` with `from` (which must occur exactly once) replaced by `to`.
        fn base_with(from: &str, to: &str) -> String {
            $crate::common::cases::replace_once(BASE, from, to)
        }

        #[test]
        fn base_scenario_is_valid() {
            $crate::common::cases::validate(BASE).is_clean();
        }
    };
}
pub(crate) use base_scenario;

/// A temporary folder holding the scenario `s.yaml` (and any other files).
pub struct Case {
    dir: TempDir,
}

impl Case {
    pub fn new(scenario: &str) -> Case {
        let case = Case {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        case.file("s.yaml", scenario)
    }

    /// Adds a file (a trace) next to the scenario.
    pub fn file(self, name: &str, contents: &str) -> Case {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create folder");
        }
        fs::write(path, contents).expect("write file");
        self
    }

    /// `capsim validate FILE`, run in the case's folder.
    pub fn validate(&self, file: &str) -> Outcome {
        self.capsim(&["validate", file])
    }

    /// `capsim run --quiet --out OUT FILE`, run in the case's folder.
    pub fn run(&self, file: &str) -> Outcome {
        self.capsim(&["run", "--quiet", "--out", "out", file])
    }

    pub fn capsim(&self, args: &[&str]) -> Outcome {
        let output = cargo_bin_cmd!("capsim")
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("run capsim");
        Outcome {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// What a run of the binary did.
pub struct Outcome {
    /// Exit code.
    pub code: Option<i32>,
    /// What it printed.
    pub stdout: String,
    /// Its errors.
    pub stderr: String,
}

/// Validates `scenario` (written as `s.yaml`) alone in a folder.
pub fn validate(scenario: &str) -> Outcome {
    Case::new(scenario).validate("s.yaml")
}

impl Outcome {
    /// Exit code 0, `ok` on stdout, and no warning.
    #[track_caller]
    pub fn is_clean(&self) {
        assert_eq!(self.code, Some(0), "{}", self.stderr);
        assert!(self.stdout.contains("ok"), "{}", self.stdout);
        assert!(!self.stderr.contains("warning"), "{}", self.stderr);
    }

    /// Exit code 2, nothing on stdout, and stderr mentions each of `words`.
    #[track_caller]
    pub fn fails_with(&self, words: &[&str]) -> &Self {
        assert_eq!(
            self.code,
            Some(2),
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        assert!(
            self.stdout.is_empty(),
            "nothing on stdout expected, found:\n{}",
            self.stdout
        );
        assert!(
            self.stderr.starts_with("error: "),
            "stderr:\n{}",
            self.stderr
        );
        for w in words {
            assert!(
                self.stderr.contains(w),
                "stderr should mention {w:?}:\n{}",
                self.stderr
            );
        }
        self
    }

    /// The error is at `file:line:col`, at field `path` (empty for the whole
    /// file); the offending line is shown with a caret under `col`; there is
    /// a hint; and the message mentions each of `expected`.
    #[track_caller]
    pub fn error_at(&self, file: &str, line: u64, col: u64, path: &str, expected: &[&str]) {
        self.fails_with(expected);
        let lines: Vec<&str> = self.stderr.lines().collect();
        let head = if path.is_empty() {
            format!("error: {file}:{line}:{col}: ")
        } else {
            format!("error: {file}:{line}:{col}: {path}: ")
        };
        assert!(
            lines[0].starts_with(&head),
            "first line should start with {head:?}:\n{}",
            self.stderr
        );
        let number = line.to_string();
        assert!(
            lines.len() >= 3 && lines[1].starts_with(&format!(" {number} | ")),
            "the offending line should be shown:\n{}",
            self.stderr
        );
        let caret = format!(
            " {} | {}^",
            " ".repeat(number.len()),
            " ".repeat(col as usize - 1)
        );
        assert_eq!(
            lines[2], caret,
            "caret under column {col}:\n{}",
            self.stderr
        );
        self.has_hint();
    }

    /// There is a `  hint: …` line.
    #[track_caller]
    pub fn has_hint(&self) {
        assert!(
            self.stderr.lines().any(|l| l.starts_with("  hint: ")),
            "a hint expected:\n{}",
            self.stderr
        );
        assert!(
            !self.stderr.contains("\\nhint"),
            "hint left inside the message:\n{}",
            self.stderr
        );
    }
}
