//! Raw scenario → validated [`Scenario`]: the checks that span several fields.
//!
//! Field-level checks (units, signs, known keys) already happened while the
//! YAML was read. Here: required relations (warmup < duration, p99 >
//! median, …), unique names, loading traces, and defaults.
//!
//! This module checks the top-level settings, services and pods; `traffic`
//! (rate components and traces) and `work` (CPU and I/O distributions) check
//! their parts of a service.

mod asg;
mod cluster;
mod events;
mod karpenter;
mod node_autoscaler;
mod node_fields;
mod placement;
mod scaling;
mod service;
mod service_events;
mod slo;
mod traffic;
mod work;

use super::raw::*;
use super::yaml::error_at;
use crate::error::InputError;
use crate::spec::*;
use crate::units::{NANOS_PER_SEC, Nanos, format_duration};
use serde_saphyr::Location;
use service::service;
use std::path::{Path, PathBuf};

/// Longest scenario name: it names the report folder, and file systems allow
/// 255 bytes in one path component (Linux `NAME_MAX`).
pub(crate) const MAX_NAME_LEN: usize = 255;

/// Default width of one interval of the time series.
const DEFAULT_INTERVAL_NS: Nanos = 60 * NANOS_PER_SEC;

/// Where errors point: the scenario file, its text, and its folder for relative paths.
pub(crate) struct Ctx<'a> {
    /// The scenario file, as named to the user.
    pub file: &'a Path,
    /// Its contents, for the offending line in errors.
    pub text: &'a str,
    /// The folder that relative paths (traces) resolve against.
    pub base_dir: PathBuf,
    /// Warnings found so far; they end up in [`Scenario::warnings`].
    pub warnings: Vec<String>,
}

impl Ctx<'_> {
    /// An error at `at`, with the YAML `path`; a `\nhint: …` suffix of `message` becomes the hint.
    fn err(
        &self,
        at: &Location,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> InputError {
        error_at(self.file, self.text, at, path, message)
    }
}

/// Checks `raw` and turns it into a [`Scenario`].
pub(crate) fn scenario(ctx: &mut Ctx, raw: RawScenario) -> Result<Scenario, InputError> {
    let name = raw.name.value.trim().to_string();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        || name.starts_with('.')
        || name.len() > MAX_NAME_LEN
    {
        let found = crate::error::clip(&name, 60);
        return Err(ctx
            .err(
                &raw.name.referenced,
                "name",
                format!(
                    "expected a name of 1 to {MAX_NAME_LEN} letters, digits, '-', '_' or '.', not starting with '.', found \"{found}\"{}",
                    if name.len() > MAX_NAME_LEN {
                        format!(" ({} characters)", name.len())
                    } else {
                        String::new()
                    }
                ),
            )
            .with_hint("the name is used as the report folder reports/<name>/, so it must be a file name the system accepts (at most 255 bytes) and not `.` or `..`"));
    }
    let duration_ns = raw.duration.value.0;
    if duration_ns == 0 {
        return Err(ctx
            .err(
                &raw.duration.referenced,
                "duration",
                "expected a duration longer than 0, found 0",
            )
            .with_hint("the simulated length of a run, for example 1h"));
    }
    let warmup_ns = raw.warmup.as_ref().map_or(0, |w| w.value.0);
    if let Some(w) = &raw.warmup
        && warmup_ns >= duration_ns
    {
        return Err(ctx
            .err(
                &w.referenced,
                "warmup",
                format!(
                    "expected a warmup shorter than the duration ({}), found {}",
                    format_duration(duration_ns),
                    format_duration(warmup_ns)
                ),
            )
            .with_hint(
                "statistics cover requests arriving after the warmup, so it must end before the run does",
            ));
    }
    let replications = match &raw.replications {
        Some(r) if r.value.0 == 0 || r.value.0 > 10_000 => {
            return Err(ctx
                .err(
                    &r.referenced,
                    "replications",
                    format!("expected 1 to 10000 replications, found {}", r.value.0),
                )
                .with_hint("independent runs with different random streams; leave it out for 1"));
        }
        Some(r) => r.value.0 as u32,
        None => 1,
    };
    let interval_ns = match raw.metrics.as_ref().and_then(|m| m.interval.as_ref()) {
        Some(i) if i.value.0 < NANOS_PER_SEC => {
            return Err(ctx
                .err(
                    &i.referenced,
                    "metrics.interval",
                    format!(
                        "expected an interval of at least 1s, found {}",
                        format_duration(i.value.0)
                    ),
                )
                .with_hint("leave it out for one-minute intervals"));
        }
        Some(i) => i.value.0,
        None => DEFAULT_INTERVAL_NS,
    };
    if let Some(m) = raw
        .limits
        .as_ref()
        .and_then(|l| l.max_events.as_ref())
        .filter(|m| m.value.0 == 0)
    {
        return Err(ctx
            .err(
                &m.referenced,
                "limits.max_events",
                "expected an event budget of at least 1, found 0",
            )
            .with_hint("leave limits.max_events out for a budget based on the expected traffic"));
    }
    if raw.services.value.is_empty() {
        return Err(ctx
            .err(
                &raw.services.referenced,
                "services",
                "expected at least one service, found an empty list",
            )
            .with_hint("add a service with name, replicas, traffic, request and pod"));
    }
    let scaling = ScalingSpec {
        hpa_controller: scaling::controller(ctx, raw.hpa_controller.as_ref())?,
        pipeline: scaling::pipeline(ctx, raw.metrics_pipeline.as_ref())?,
    };
    let cluster = raw
        .cluster
        .as_ref()
        .map(|c| cluster::cluster(ctx, c))
        .transpose()?;
    let top_slo = raw
        .slo
        .as_ref()
        .map(|s| slo::slo(ctx, "slo", s))
        .transpose()?;
    let mut services: Vec<ServiceSpec> = Vec::with_capacity(raw.services.value.len());
    for (i, s) in raw.services.value.into_iter().enumerate() {
        let at = s.value.name.referenced;
        let vm = s.value.platform.as_ref().map(|p| p.value) == Some(RawPlatform::Vm);
        let unplaced = match (vm, &cluster) {
            (true, _) => Some(placement::NotPlaced::Vm),
            (false, None) => Some(placement::NotPlaced::NoCluster),
            (false, Some(_)) => None,
        };
        if let Some(why) = unplaced {
            let p = format!("services[{i}]");
            placement::unplaced_warnings(ctx, &p, &s.value.pod.value, why);
        }
        let own_slo = s
            .value
            .slo
            .as_ref()
            .map(|o| slo::slo(ctx, &format!("services[{i}].slo"), o))
            .transpose()?;
        let mut spec = service(ctx, i, s, duration_ns)?;
        spec.slo = slo::merge(top_slo, own_slo);
        if services.iter().any(|other| other.name == spec.name) {
            return Err(ctx
                .err(
                    &at,
                    format!("services[{i}].name"),
                    format!(
                        "expected a unique service name, found \"{}\" a second time",
                        spec.name
                    ),
                )
                .with_hint("each service needs its own name; results are reported by name"));
        }
        services.push(spec);
    }
    let events = events::events(
        ctx,
        raw.events.as_ref(),
        cluster.as_ref(),
        &services,
        duration_ns,
    )?;
    if let Some(c) = &cluster {
        placement::fit_warnings(ctx, c, &services);
    }
    Ok(Scenario {
        name,
        description: raw.description,
        duration_ns,
        warmup_ns,
        seed: raw.seed.map_or(1, |s| s.0),
        replications,
        interval_ns,
        max_events: raw.limits.and_then(|l| l.max_events).map(|c| c.value.0),
        services,
        scaling,
        cluster,
        events,
        slo: top_slo,
        warnings: std::mem::take(&mut ctx.warnings),
    })
}
