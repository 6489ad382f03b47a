//! Run results → per-profile summaries with confidence intervals.
//!
//! Counts and latency histograms are pooled across replications (every
//! measured request counts once). Across-replication 95 % confidence
//! intervals (Student t) are given for the mean and the p99, so a reader
//! can tell how much of a difference between profiles is noise.

pub mod capacity;
pub mod cluster;
pub mod cost;
pub mod erlang;
pub mod headroom;
pub mod paired;
pub mod service_time;
pub mod slo;

use crate::metrics::{LatencyHistogram, Outcomes, RunResult, ServiceResult};
use crate::spec::Scenario;
use crate::units::nanos_to_secs;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

pub use crate::spec::DEFAULT_PROFILE;

/// The content of `summary.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Scenario name.
    pub scenario: String,
    /// Base seed.
    pub seed: u64,
    /// Replications per profile.
    pub replications: u32,
    /// Simulated length of each run, seconds.
    pub duration_s: f64,
    /// Warmup excluded from statistics, seconds.
    pub warmup_s: f64,
    /// One entry per profile.
    pub profiles: Vec<ProfileSummary>,
}

/// Figures of one profile, pooled over its replications.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileSummary {
    /// Profile name.
    pub name: String,
    /// Outcomes of requests arriving after the warmup, all services.
    pub requests: Outcomes,
    /// Latency of completed requests, all services.
    pub latency_ms: LatencySummary,
    /// Half-widths of 95 % confidence intervals across replications (absent with one replication).
    pub latency_ci95_ms: Option<LatencyCi>,
    /// This profile against the first, replication by replication (absent
    /// for the first profile).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vs_first: Option<paired::VsFirst>,
    /// The same per service.
    pub services: Vec<ServiceSummary>,
    /// Nodes and headroom, with a cluster.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster: Option<cluster::ClusterSummary>,
    /// The whole bill: cluster nodes, VM instances, control plane (absent when nothing is billed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<cluster::CostSummary>,
    /// SLO attainment of the services with an SLO together (absent when none has one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slo: Option<slo::SloOverall>,
}

/// Figures of one service within a profile.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceSummary {
    /// Service name.
    pub name: String,
    /// Outcomes of its requests.
    pub requests: Outcomes,
    /// Latency of its completed requests.
    pub latency_ms: LatencySummary,
    /// Replicas (pods that exist and are not terminating) after the warmup:
    /// fewest and most over all replications, time-weighted mean of the replications' means.
    pub replicas: ReplicaSummary,
    /// Scaling decisions that changed the replicas, mean per replication.
    pub scaling_events: f64,
    /// Scaling headroom: the autoscaler's maximum minus the most replicas reached (none without an autoscaler).
    pub headroom_to_max_replicas: Option<u32>,
    /// Its SLO and how well it was met (absent without an SLO).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slo: Option<slo::SloSummary>,
    /// Service headroom at the SLO (absent without an SLO).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headroom: Option<headroom::HeadroomBlock>,
}

/// Replica counts of a service.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct ReplicaSummary {
    /// Fewest.
    pub min: u32,
    /// Most.
    pub max: u32,
    /// Time-weighted mean.
    pub mean: f64,
}

/// Latency statistics in milliseconds (`null` when nothing completed).
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct LatencySummary {
    /// Exact mean.
    pub mean: Option<f64>,
    /// Median.
    pub p50: Option<f64>,
    /// 90th percentile.
    pub p90: Option<f64>,
    /// 95th percentile.
    pub p95: Option<f64>,
    /// 99th percentile.
    pub p99: Option<f64>,
    /// 99.9th percentile.
    pub p999: Option<f64>,
    /// Exact maximum.
    pub max: Option<f64>,
}

/// Half-widths of 95 % confidence intervals, milliseconds.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct LatencyCi {
    /// Of the mean.
    pub mean: f64,
    /// Of the p99.
    pub p99: f64,
}

/// Rounds to 4 decimals (0.1 µs for milliseconds): the histogram's precision is far coarser.
fn round4(v: f64) -> f64 {
    (v * 1e4).round() / 1e4
}

impl LatencySummary {
    /// The statistics of a histogram.
    pub fn of(h: &LatencyHistogram) -> Self {
        let q = |p: f64| h.quantile_ms(p).map(round4);
        LatencySummary {
            mean: h.mean_ms().map(round4),
            p50: q(0.5),
            p90: q(0.9),
            p95: q(0.95),
            p99: q(0.99),
            p999: q(0.999),
            max: h.max_ms().map(round4),
        }
    }
}

/// Half-width of the 95 % Student-t confidence interval of the mean of `xs` (`None` below 2 values).
pub fn ci95_half_width(xs: &[f64]) -> Option<f64> {
    let n = xs.len();
    if n < 2 {
        return None;
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let t = StudentsT::new(0.0, 1.0, (n - 1) as f64)
        .ok()?
        .inverse_cdf(0.975);
    Some(t * (var / n as f64).sqrt())
}

/// Pools the runs of a scenario without profiles (its one profile,
/// [`DEFAULT_PROFILE`]) into the summary.
pub fn summarize(scenario: &Scenario, runs: &[RunResult]) -> Summary {
    summarize_profiles(&[(DEFAULT_PROFILE, scenario)], runs)
}

/// Pools the runs of each profile into the summary; `profiles` are the
/// profiles' names and scenarios, in run order (they share the seed,
/// replications, duration and warmup: the first's are the summary's).
pub fn summarize_profiles(profiles: &[(&str, &Scenario)], runs: &[RunResult]) -> Summary {
    let (first_name, scenario) = *profiles.first().expect("a scenario has a profile");
    let runs_of =
        |p: usize| -> Vec<&RunResult> { runs.iter().filter(|r| r.profile == p as u32).collect() };
    let first = runs_of(0);
    let profiles = profiles
        .iter()
        .enumerate()
        .map(|(p, (name, profile))| {
            let mine = runs_of(p);
            let mut summary = profile_summary(name, mine.clone(), profile);
            if p > 0 {
                summary.vs_first = paired::vs_first(first_name, &first, &mine);
            }
            summary
        })
        .collect();
    Summary {
        scenario: scenario.name.clone(),
        seed: scenario.seed,
        replications: scenario.replications,
        duration_s: nanos_to_secs(scenario.duration_ns),
        warmup_s: nanos_to_secs(scenario.warmup_ns),
        profiles,
    }
}

/// Sums the outcomes and merges the latency histograms of `parts`.
fn pool<'a>(
    parts: impl IntoIterator<Item = &'a ServiceResult>,
) -> (Outcomes, Option<LatencyHistogram>) {
    let mut outcomes = Outcomes::default();
    let mut hist: Option<LatencyHistogram> = None;
    for part in parts {
        outcomes.add(&part.outcomes);
        match &mut hist {
            Some(h) => h.merge(&part.latency),
            None => hist = Some(part.latency.clone()),
        }
    }
    (outcomes, hist)
}

fn profile_summary(name: &str, runs: Vec<&RunResult>, scenario: &Scenario) -> ProfileSummary {
    let mut requests = Outcomes::default();
    let mut pooled: Option<LatencyHistogram> = None;
    let (mut means, mut p99s) = (Vec::new(), Vec::new());
    for run in &runs {
        let (outcomes, hist) = pool(&run.services);
        requests.add(&outcomes);
        if let Some(h) = hist {
            means.extend(h.mean_ms());
            p99s.extend(h.quantile_ms(0.99));
            match &mut pooled {
                Some(p) => p.merge(&h),
                None => pooled = Some(h),
            }
        }
    }
    let latency_ci95_ms = match (ci95_half_width(&means), ci95_half_width(&p99s)) {
        (Some(mean), Some(p99)) if means.len() == runs.len() => Some(LatencyCi {
            mean: round4(mean),
            p99: round4(p99),
        }),
        _ => None,
    };
    let service_count = runs.first().map_or(0, |r| r.services.len());
    let services = (0..service_count)
        .map(|i| {
            let (requests, hist) = pool(runs.iter().map(|r| &r.services[i]));
            let stats = runs.iter().map(|r| &r.services[i].replicas);
            let stats_max = stats.clone().map(|r| r.max).max().unwrap_or(0);
            let n = runs.len().max(1) as f64;
            let events = runs
                .iter()
                .map(|r| {
                    r.scaling_events
                        .iter()
                        .filter(|e| {
                            e.target == runs[0].services[i].name
                                && matches!(e.source, "hpa" | "asg")
                        })
                        .count()
                })
                .sum::<usize>();
            ServiceSummary {
                name: runs[0].services[i].name.clone(),
                requests,
                latency_ms: hist.as_ref().map(LatencySummary::of).unwrap_or_default(),
                replicas: ReplicaSummary {
                    min: stats.clone().map(|r| r.min).min().unwrap_or(0),
                    max: stats.clone().map(|r| r.max).max().unwrap_or(0),
                    mean: round4(stats.map(|r| r.mean()).sum::<f64>() / n),
                },
                scaling_events: round4(events as f64 / n),
                headroom_to_max_replicas: scenario.services[i]
                    .autoscaler
                    .range()
                    .map(|(_, max)| max.saturating_sub(stats_max)),
                slo: scenario.services[i]
                    .slo
                    .map(|o| slo::service(&runs, i, &o, scenario.warmup_ns)),
                headroom: scenario.services[i].slo.map(|_| headroom::HeadroomBlock {
                    service: headroom::summarize(
                        &runs,
                        i,
                        headroom::capacity_rps_per_pod(&scenario.services[i]),
                        scenario.warmup_ns,
                    ),
                }),
            }
        })
        .collect();
    ProfileSummary {
        name: name.to_string(),
        vs_first: None,
        requests,
        latency_ms: pooled.as_ref().map(LatencySummary::of).unwrap_or_default(),
        latency_ci95_ms,
        services,
        cluster: cluster::summarize(&runs, scenario.duration_ns, scenario.warmup_ns),
        cost_usd: cost::summarize(&runs, scenario.duration_ns),
        slo: slo::overall(&runs, &scenario.services, scenario.warmup_ns),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ci_of_known_sample() {
        // n = 4, s = 1.2910, t(0.975, 3) = 3.1824 → 3.1824 · 1.2910 / 2 = 2.0543.
        let hw = ci95_half_width(&[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert!((hw - 2.0543).abs() < 1e-3, "{hw}");
        assert_eq!(ci95_half_width(&[1.0]), None);
    }
}
