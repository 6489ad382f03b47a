//! Profiles × replications → runs, in parallel; rayon lives only here.
//!
//! Every run is independent and seeded from (seed, profile, replication,
//! stream), and results are collected in run order, so the outcome is the
//! same for any number of threads.

use crate::engine::EngineError;
use crate::error::Error;
use crate::metrics::RunResult;
use crate::model;
use crate::spec::Scenario;
use crate::units::format_duration;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

/// How to execute the runs.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Worker threads (≥ 1).
    pub jobs: usize,
    /// Show a progress bar on stderr.
    pub progress: bool,
}

/// Runs every replication of every profile; results in (profile, replication) order.
pub fn run_all(scenario: &Scenario, options: RunOptions) -> Result<Vec<RunResult>, Error> {
    let profiles = 1u32;
    let plan: Vec<(u32, u32)> = (0..profiles)
        .flat_map(|p| (0..scenario.replications).map(move |r| (p, r)))
        .collect();
    let bar = if options.progress {
        let bar = ProgressBar::new(plan.len() as u64);
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} runs {pos}/{len} [{bar:30}] {elapsed_precise}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.max(1))
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {} worker threads: {e}", options.jobs)))?;
    let results = pool.install(|| {
        plan.par_iter()
            .map(|&(profile, replication)| {
                let result = run_one(scenario, profile, replication);
                bar.inc(1);
                result
            })
            .collect::<Vec<Result<RunResult, Error>>>()
    });
    bar.finish_and_clear();
    // The first failure in run order, whatever the threads: the same error at any --jobs.
    results.into_iter().collect()
}

/// Runs one replication and checks the conservation invariant on its results.
pub fn run_one(scenario: &Scenario, profile: u32, replication: u32) -> Result<RunResult, Error> {
    let seed = scenario.seed;
    let result = model::simulate(scenario, profile, replication).map_err(|e| match e {
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
    })?;
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
