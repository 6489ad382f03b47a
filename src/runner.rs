//! Profiles × replications → runs, in parallel; rayon lives only here.
//!
//! Every run is independent and seeded from (seed, profile, replication,
//! stream), and results are collected in run order, so the outcome is the
//! same for any number of threads. On a terminal, a bar shows the simulated
//! time of all runs together, with the time left at the pace so far.

use crate::engine::EngineError;
use crate::error::Error;
use crate::metrics::RunResult;
use crate::model;
use crate::spec::Scenario;
use crate::units::format_duration;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

/// How to execute the runs.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Worker threads (≥ 1).
    pub jobs: usize,
    /// Show a progress bar on stderr.
    pub progress: bool,
}

/// Runs every replication of a scenario without profiles; results in replication order.
pub fn run_all(scenario: &Scenario, options: RunOptions) -> Result<Vec<RunResult>, Error> {
    run_profiles(&[scenario], options)
}

/// Runs every replication of every profile (`profiles`: each profile's
/// scenario, in order; they share the replications and duration); results
/// in (profile, replication) order.
pub fn run_profiles(profiles: &[&Scenario], options: RunOptions) -> Result<Vec<RunResult>, Error> {
    let Some(&scenario) = profiles.first() else {
        return Ok(Vec::new());
    };
    let plan: Vec<(u32, u32)> = (0..profiles.len() as u32)
        .flat_map(|p| (0..scenario.replications).map(move |r| (p, r)))
        .collect();
    let bar = progress_bar(options.progress, scenario.duration_ns, plan.len());
    // Simulated milliseconds of all runs so far (the bar's position).
    let simulated_ms = AtomicU64::new(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.max(1))
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {} worker threads: {e}", options.jobs)))?;
    let results = pool.install(|| {
        plan.par_iter()
            .map(|&(profile, replication)| {
                let mut reported_ms = 0;
                let mut report = |now_ns: u64| {
                    let now_ms = now_ns / 1_000_000;
                    let total = simulated_ms.fetch_add(now_ms - reported_ms, Ordering::Relaxed);
                    bar.set_position(total + now_ms - reported_ms);
                    reported_ms = now_ms;
                };
                let result = run_one(
                    profiles[profile as usize],
                    profile,
                    replication,
                    &mut report,
                );
                report(scenario.duration_ns);
                result
            })
            .collect::<Vec<Result<RunResult, Error>>>()
    });
    bar.finish_and_clear();
    // The first failure in run order, whatever the threads: the same error at any --jobs.
    results.into_iter().collect()
}

/// The bar of simulated time over `runs` runs of `duration_ns` each (hidden
/// unless `shown`): its position is in simulated milliseconds.
fn progress_bar(shown: bool, duration_ns: u64, runs: usize) -> ProgressBar {
    if !shown {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(duration_ns / 1_000_000 * runs as u64);
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} simulating {runs} [{bar:30}] {percent:>3} % {elapsed_precise}, about {eta} left",
    ) {
        let label = if runs == 1 {
            "1 run".to_string()
        } else {
            format!("{runs} runs")
        };
        bar.set_style(
            style
                .with_key(
                    "runs",
                    move |_: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = w.write_str(&label);
                    },
                )
                .progress_chars("=> "),
        );
    }
    bar
}

/// Runs one replication and checks the conservation invariant on its
/// results; `progress` hears the simulated time now and then.
pub fn run_one(
    scenario: &Scenario,
    profile: u32,
    replication: u32,
    progress: impl FnMut(u64),
) -> Result<RunResult, Error> {
    let seed = scenario.seed;
    let result = model::simulate_observed(scenario, profile, replication, progress).map_err(
        |e| match e {
            EngineError::BudgetExhausted { budget, at_ns } => Error::Budget {
                run: format!("(seed {seed}, replication {replication})"),
                seed,
                replications: replication + 1,
                events: budget,
                at: format_duration(at_ns),
            },
            EngineError::Invariant(what) => {
                Error::Internal(format!("seed {seed}, replication {replication}: {what}"))
            }
        },
    )?;
    for s in &result.services {
        if !s.outcomes.is_balanced() {
            return Err(Error::Internal(format!(
                "service {} in seed {seed}, replication {replication}: offered {} ≠ completed {} + rejected {} + timed out {} + failed {} + in flight {}",
                s.name,
                s.outcomes.offered,
                s.outcomes.completed,
                s.outcomes.rejected,
                s.outcomes.timed_out,
                s.outcomes.failed,
                s.outcomes.in_flight
            )));
        }
    }
    Ok(result)
}
