//! SLO attainment (DESIGN §3.12): the share of requests within the latency
//! target, availability, and minutes in breach — per service and overall.
//!
//! Definitions (requests arriving after the warmup, pooled over replications):
//! * within latency target = completed within the target ÷ answered, where
//!   answered = completed + timed out (a timed-out request was too slow);
//! * availability = completed ÷ (offered − in flight): rejected, timed-out
//!   and failed requests are the failures; requests still in flight when the
//!   run ends have no outcome yet and are left out;
//! * an interval (of `metrics.interval`, ending after the warmup) is in
//!   breach when fewer than the objective's quantile of the requests
//!   answered in it were within the target — its quantile, counting
//!   timed-out requests as slower than any target, exceeds the target — or
//!   when its completions ÷ its outcomes (completed, rejected, timed out,
//!   failed in it) fall below the availability target. Minutes in breach
//!   sum those intervals' widths, mean per replication; overall, an interval
//!   is in breach when any service with an SLO is.

use crate::metrics::{IntervalRow, RunResult};
use crate::spec::{ServiceSpec, SloSpec};
use crate::units::Nanos;
use serde::Serialize;

/// A service's SLO and how well it was met.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct SloSummary {
    /// The latency objective's quantile (0.99 for `p99`); `null` without one.
    pub latency_quantile: Option<f64>,
    /// Its target, milliseconds.
    pub latency_target_ms: Option<f64>,
    /// The availability target as a share (0.999 for 99.9 %); `null` without one.
    pub availability_target: Option<f64>,
    /// Share of answered requests completed within the latency target (`null` without a latency objective or answers).
    pub within_latency_target: Option<f64>,
    /// Completed ÷ (offered − in flight) (`null` without outcomes).
    pub availability: Option<f64>,
    /// Minutes of intervals in breach, mean per replication.
    pub minutes_in_breach: f64,
}

/// SLO attainment of all services with an SLO together.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct SloOverall {
    /// Answered requests within their service's latency target ÷ answered requests (services with a latency objective).
    pub within_latency_target: Option<f64>,
    /// Completed ÷ (offered − in flight), services with an SLO.
    pub availability: Option<f64>,
    /// Minutes in which any service was in breach, mean per replication.
    pub minutes_in_breach: f64,
}

/// Shares to 6 decimals: 99.9 % targets need more than the 4 used elsewhere.
fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// `good ÷ total ≥ target`, tolerant of the rounding of `target · total`.
fn meets(good: u64, total: u64, target: f64) -> bool {
    good as f64 >= target * total as f64 * (1.0 - 1e-12)
}

/// Whether interval `row` is in breach of `slo`.
pub fn interval_breach(row: &IntervalRow, slo: &SloSpec) -> bool {
    let slow = slo.latency.is_some_and(|l| {
        let answered = row.completed + row.timed_out;
        answered > 0 && !meets(row.within_latency_target, answered, l.quantile)
    });
    let failing = slo.availability.is_some_and(|a| {
        let outcomes = row.completed + row.rejected + row.timed_out + row.failed;
        outcomes > 0 && !meets(row.completed, outcomes, a)
    });
    slow || failing
}

/// Minutes (mean per replication) of the intervals ending after `warmup_ns` for which `breach(run, index)` holds.
fn minutes_in_breach(
    runs: &[&RunResult],
    warmup_ns: Nanos,
    breach: impl Fn(&RunResult, usize) -> bool,
) -> f64 {
    if runs.is_empty() {
        return 0.0;
    }
    // Every service of a run shares the interval grid; the first gives it.
    let total_s: f64 = runs
        .iter()
        .map(|run| {
            run.services[0]
                .series
                .iter()
                .enumerate()
                .filter(|(i, row)| row.end_ns > warmup_ns && breach(run, *i))
                .map(|(_, row)| row.width_s())
                .sum::<f64>()
        })
        .sum();
    // `+ 0.0` turns the −0.0 of an empty f64 sum into 0.
    (total_s / 60.0 / runs.len() as f64 * 1e4).round() / 1e4 + 0.0
}

/// Whether service `s` of `run` is in breach of `slo` in interval `i`.
fn service_breach(run: &RunResult, s: usize, i: usize, slo: &SloSpec) -> bool {
    run.services[s]
        .series
        .get(i)
        .is_some_and(|row| interval_breach(row, slo))
}

/// The SLO summary of service `s` of `runs` under `slo`.
pub fn service(runs: &[&RunResult], s: usize, slo: &SloSpec, warmup_ns: Nanos) -> SloSummary {
    let (mut within, mut answered, mut completed, mut decided) = (0, 0, 0, 0);
    for run in runs {
        let r = &run.services[s];
        within += r.within_latency_target.unwrap_or(0);
        answered += r.outcomes.completed + r.outcomes.timed_out;
        completed += r.outcomes.completed;
        decided += r.outcomes.offered - r.outcomes.in_flight;
    }
    let share = |good: u64, total: u64| (total > 0).then(|| round6(good as f64 / total as f64));
    SloSummary {
        latency_quantile: slo.latency.map(|l| l.quantile),
        latency_target_ms: slo.latency.map(|l| l.target_ns as f64 / 1e6),
        availability_target: slo.availability,
        within_latency_target: slo.latency.and_then(|_| share(within, answered)),
        availability: share(completed, decided),
        minutes_in_breach: minutes_in_breach(runs, warmup_ns, |run, i| {
            service_breach(run, s, i, slo)
        }),
    }
}

/// The overall SLO figures of `runs` over the services of `specs` that have an SLO (`None` if none has).
pub fn overall(runs: &[&RunResult], specs: &[ServiceSpec], warmup_ns: Nanos) -> Option<SloOverall> {
    let with_slo: Vec<(usize, SloSpec)> = specs
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.slo.map(|slo| (i, slo)))
        .collect();
    if with_slo.is_empty() {
        return None;
    }
    let (mut within, mut answered, mut completed, mut decided) = (0, 0, 0, 0);
    for run in runs {
        for (s, slo) in &with_slo {
            let r = &run.services[*s];
            if slo.latency.is_some() {
                within += r.within_latency_target.unwrap_or(0);
                answered += r.outcomes.completed + r.outcomes.timed_out;
            }
            completed += r.outcomes.completed;
            decided += r.outcomes.offered - r.outcomes.in_flight;
        }
    }
    let share = |good: u64, total: u64| (total > 0).then(|| round6(good as f64 / total as f64));
    Some(SloOverall {
        within_latency_target: share(within, answered),
        availability: share(completed, decided),
        minutes_in_breach: minutes_in_breach(runs, warmup_ns, |run, i| {
            with_slo
                .iter()
                .any(|(s, slo)| service_breach(run, *s, i, slo))
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::LatencyObjective;

    fn row(completed: u64, within: u64, timed_out: u64, rejected: u64) -> IntervalRow {
        IntervalRow {
            start_ns: 0,
            end_ns: 60_000_000_000,
            offered: completed + timed_out + rejected,
            completed,
            rejected,
            timed_out,
            failed: 0,
            within_latency_target: within,
            latency_p50_ms: None,
            latency_p99_ms: None,
            in_flight: 0,
            pods: 1,
            ready_pod_s: 60.0,
            desired_replicas: 1,
            pending_replicas: 0,
            cpu_utilization: 0.0,
        }
    }

    #[test]
    fn an_interval_breaches_below_the_quantile_or_the_availability() {
        let slo = SloSpec {
            latency: Some(LatencyObjective {
                quantile: 0.99,
                target_ns: 300_000_000,
            }),
            availability: Some(0.999),
        };
        // 99 of 100 within: the p99 is within the target, exactly.
        assert!(!interval_breach(&row(100, 99, 0, 0), &slo));
        assert!(interval_breach(&row(100, 98, 0, 0), &slo));
        // A timed-out request counts as slow: 99 of 101 answered.
        assert!(interval_breach(&row(100, 99, 1, 0), &slo));
        // 1 rejected in 1000 outcomes is 99.9 %: met; 2 is not.
        assert!(!interval_breach(&row(999, 999, 0, 1), &slo));
        assert!(interval_breach(&row(998, 998, 0, 2), &slo));
        // Nothing answered: no breach.
        assert!(!interval_breach(&row(0, 0, 0, 0), &slo));
        let latency_only = SloSpec {
            availability: None,
            ..slo
        };
        assert!(!interval_breach(&row(998, 998, 0, 2), &latency_only));
    }
}
