//! `capsim hpa replay`: run the HPA controller over a file of observations.
//!
//! The file (YAML or JSON, see `docs/hpa-replay.md`) holds an HPA spec,
//! optional controller flags and history, and a list of observations in time
//! order. Each observation is one sync: [`crate::model::hpa::reconcile`] runs
//! on it with the state left by the previous one, and one JSON object per
//! observation is printed (JSON lines).

mod input;

use crate::error::{EXIT_OK, Error, InputError};
use crate::model::hpa::{Decision, reconcile};
use crate::scenario::hpa::spec_from_value;
use crate::spec::hpa::HpaSpec;
use input::{Ctx, RawReplay};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// One output line.
#[derive(Debug, Serialize)]
struct Line<'a> {
    at_s: f64,
    replicas: i32,
    desired_replicas: i32,
    recommendation: Option<i32>,
    reason: &'static str,
    metrics: Vec<MetricLine<'a>>,
}

/// One metric of an output line.
#[derive(Debug, Serialize)]
struct MetricLine<'a> {
    name: &'a str,
    current: Option<f64>,
    proposal: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

/// Reads the replay file at `path` and prints one JSON line per observation.
pub fn replay_file(path: &Path) -> Result<i32, Error> {
    let text = crate::scenario::limits::read_text(
        path,
        crate::scenario::limits::MAX_REPLAY_BYTES,
        "the replay file",
        "check the path; it is relative to the current folder",
    )?;
    let lines = replay_str(&text, path)?;
    let mut out = std::io::stdout().lock();
    for line in lines {
        writeln!(out, "{line}").map_err(|e| Error::io("<stdout>", e))?;
    }
    Ok(EXIT_OK)
}

/// Runs the replay in `text` (read from `path`); returns the JSON lines.
pub fn replay_str(text: &str, path: &Path) -> Result<Vec<String>, InputError> {
    let raw: RawReplay = crate::scenario::yaml::from_str(text, path)?;
    let ctx = Ctx { file: path, text };
    let mut spec = spec_from_value(&raw.hpa).map_err(|e| {
        let at = if e.path.is_empty() {
            "hpa".to_string()
        } else {
            format!("hpa.{}", e.path)
        };
        let mut ie = ctx.error(&at, e.message, "");
        ie.hint = e.hint;
        ie
    })?;
    let cfg = input::controller(raw.controller.as_ref());
    let start = raw
        .observations
        .first()
        .map_or(0, |o| i64::try_from(o.at.0).unwrap_or(i64::MAX));
    let mut state = input::state(raw.state.as_ref(), start);
    let mut previous = None;
    let mut lines = Vec::with_capacity(raw.observations.len());
    for (i, o) in raw.observations.iter().enumerate() {
        if let Some(prev) = previous
            && o.at.0 < prev
        {
            return Err(ctx.error(
                &format!("observations[{i}].at"),
                format!(
                    "expected a time after the previous observation's, found {} < {}",
                    crate::units::format_duration(o.at.0),
                    crate::units::format_duration(prev)
                ),
                "observations are syncs in time order; sort them by at",
            ));
        }
        previous = Some(o.at.0);
        let obs = input::observation(&ctx, &spec, i, o)?;
        let now = i64::try_from(o.at.0).unwrap_or(i64::MAX);
        let d = reconcile(&spec, &cfg, &mut state, &obs, now);
        spec.scaled_to_zero = d.scaled_to_zero;
        lines.push(render(
            crate::units::nanos_to_secs(o.at.0),
            o.replicas,
            &spec,
            &d,
        ));
    }
    Ok(lines)
}

/// One decision as a JSON line.
fn render(at_s: f64, replicas: i32, spec: &HpaSpec, d: &Decision) -> String {
    let line = Line {
        at_s,
        replicas,
        desired_replicas: d.desired,
        recommendation: d.recommendation,
        reason: d.reason.as_str(),
        metrics: d
            .metrics
            .iter()
            .map(|m| MetricLine {
                name: spec.metrics[m.metric].name(),
                current: m.error.is_none().then_some(m.current),
                proposal: m.proposal,
                error: m.error.as_deref(),
            })
            .collect(),
    };
    serde_json::to_string(&line).unwrap_or_default()
}
