//! Helpers shared by the integration tests: run a scenario text, collect per-replication figures.
#![allow(dead_code)]

pub mod cases;

use capsim::metrics::RunResult;
use capsim::runner::{RunOptions, run_all};
use capsim::scenario::parse_str;
use capsim::spec::Scenario;
use std::path::Path;

/// The smallest useful valid scenario (one service, constant traffic, M/M/4).
pub const SMALL_SCENARIO: &str = "\
name: t
duration: 1m
services:
  - name: api
    replicas: 1
    traffic:
      rate:
        - constant: { rps: 10 }
    request:
      cpu: { exponential: { mean: 10ms } }
    pod:
      concurrency: 4
";

/// Parses a scenario given as text (relative paths resolve against `dir`).
pub fn scenario_in(dir: &Path, yaml: &str) -> Scenario {
    parse_str(yaml, &dir.join("test.yaml"))
        .unwrap_or_else(|e| panic!("scenario does not parse: {e}"))
}

/// Parses a scenario given as text.
pub fn scenario(yaml: &str) -> Scenario {
    scenario_in(Path::new("."), yaml)
}

/// Runs every replication of `s` on two threads.
pub fn run(s: &Scenario) -> Vec<RunResult> {
    run_all(
        s,
        RunOptions {
            jobs: 2,
            progress: false,
        },
    )
    .expect("run succeeds")
}

/// Mean and 95 % CI half-width (Student t) of `xs`.
pub fn mean_ci(xs: &[f64]) -> (f64, f64) {
    let mean = xs.iter().sum::<f64>() / xs.len() as f64;
    (
        mean,
        capsim::analysis::ci95_half_width(xs).expect("at least two replications"),
    )
}

/// Asserts that a simulated estimate agrees with theory.
///
/// * relative error within `tol` (the accuracy the issue promises);
/// * error within 4 standard errors plus `quantization` (statistical consistency);
/// * the 95 % CI half-width below `tol / 2` (the test can tell a `tol` error from noise).
pub fn assert_agrees(
    what: &str,
    per_replication: &[f64],
    theory: f64,
    tol: f64,
    quantization: f64,
) {
    let (mean, hw) = mean_ci(per_replication);
    let n = per_replication.len() as f64;
    let t = hw / (1.96 * (1.0 + 2.0 / n)); // ≈ standard error (t-quantile ≥ 1.96)
    let err = mean - theory;
    eprintln!(
        "{what}: simulated {mean:.5} ± {hw:.5} (95 % CI), theory {theory:.5}, error {:+.3} %",
        100.0 * err / theory
    );
    assert!(
        hw <= tol / 2.0 * theory,
        "{what}: CI half-width {hw} too wide to test a {tol} tolerance"
    );
    assert!(
        (err / theory).abs() <= tol,
        "{what}: relative error {} exceeds {tol}",
        err / theory
    );
    assert!(
        err.abs() <= 4.0 * t + quantization * theory,
        "{what}: error {err} is beyond 4 standard errors ({t})"
    );
}
