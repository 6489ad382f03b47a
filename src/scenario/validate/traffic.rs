//! Traffic: rate components, their limits and relations, and trace files.
//!
//! Trace files are read by [`super::super::trace`]; here their errors are
//! placed at the scenario fields they concern, and a trace that ends before
//! the run gets a warning.

use super::Ctx;
use crate::error::InputError;
use crate::scenario::limits::{MAX_RPS, MAX_RPS_HINT};
use crate::scenario::raw::*;
use crate::scenario::trace::{self, TraceError, TraceRequest};
use crate::spec::*;
use crate::units::{NANOS_PER_SEC, Nanos, NonNegative, format_duration, nanos_to_secs};
use serde_saphyr::{Location, Spanned};
use std::sync::Arc;

/// Checks a service's traffic (`p` is the service's path) and loads its traces.
pub(super) fn traffic(
    ctx: &mut Ctx,
    p: &str,
    raw: RawTraffic,
    duration_ns: Nanos,
) -> Result<TrafficSpec, InputError> {
    if raw.rate.value.is_empty() {
        return Err(ctx
            .err(
                &raw.rate.referenced,
                format!("{p}.traffic.rate"),
                "expected at least one rate component, found an empty list",
            )
            .with_hint("for example: rate: [ { constant: { rps: 100 } } ]"));
    }
    let mut rate = Vec::with_capacity(raw.rate.value.len());
    for (i, c) in raw.rate.value.iter().enumerate() {
        let cp = format!("{p}.traffic.rate[{i}]");
        let at = &c.referenced;
        let secs = |ns: Nanos| nanos_to_secs(ns);
        let rates: Vec<(&str, &Spanned<NonNegative>)> = match &c.value {
            RawRate::Constant(k) => vec![("constant.rps", &k.rps)],
            RawRate::Diurnal(d) => vec![("diurnal.min", &d.min), ("diurnal.max", &d.max)],
            RawRate::Ramp(r) => vec![("ramp.from", &r.from), ("ramp.to", &r.to)],
            RawRate::Spike(s) => vec![("spike.peak", &s.peak)],
            RawRate::Trace(_) => vec![],
        };
        for (field, r) in rates {
            if r.value.0 > MAX_RPS {
                return Err(ctx
                    .err(
                        &r.referenced,
                        format!("{cp}.{field}"),
                        format!(
                            "expected at most {MAX_RPS:e} requests per second, found {:e}",
                            r.value.0
                        ),
                    )
                    .with_hint(MAX_RPS_HINT));
            }
        }
        rate.push(match &c.value {
            RawRate::Constant(k) => RateComponent::Constant { rps: k.rps.value.0 },
            RawRate::Diurnal(d) => {
                if d.max.value.0 < d.min.value.0 {
                    return Err(ctx
                        .err(
                            &d.max.referenced,
                            format!("{cp}.diurnal.max"),
                            format!(
                                "expected max ≥ min, found min {} and max {}",
                                d.min.value.0, d.max.value.0
                            ),
                        )
                        .with_hint("max is the rate at the peak, min the rate at the trough"));
                }
                let period = d
                    .period
                    .as_ref()
                    .map_or(86_400 * NANOS_PER_SEC, |p| p.value.0);
                if let Some(p) = d.period.as_ref().filter(|p| p.value.0 == 0) {
                    return Err(ctx
                        .err(
                            &p.referenced,
                            format!("{cp}.diurnal.period"),
                            "expected a period longer than 0",
                        )
                        .with_hint("leave it out for a daily cycle (1d)"));
                }
                RateComponent::Diurnal {
                    min_rps: d.min.value.0,
                    max_rps: d.max.value.0,
                    peak_s: secs(d.peak_at.0),
                    period_s: secs(period),
                }
            }
            RawRate::Ramp(r) => {
                if r.end.value.0 < r.start.0 {
                    return Err(ctx
                        .err(
                            &r.end.referenced,
                            format!("{cp}.ramp.end"),
                            format!(
                                "expected `end` at or after `start` ({}), found {}",
                                format_duration(r.start.0),
                                format_duration(r.end.value.0)
                            ),
                        )
                        .with_hint("the rate goes from `from` at `start` to `to` at `end`"));
                }
                RateComponent::Ramp {
                    from_rps: r.from.value.0,
                    to_rps: r.to.value.0,
                    start_s: secs(r.start.0),
                    end_s: secs(r.end.value.0),
                }
            }
            RawRate::Spike(s) => RateComponent::Spike {
                at_s: secs(s.at.0),
                peak_rps: s.peak.value.0,
                rise_s: secs(s.rise.map_or(0, |d| d.0)),
                hold_s: secs(s.hold.map_or(0, |d| d.0)),
                fall_s: secs(s.fall.map_or(0, |d| d.0)),
            },
            RawRate::Trace(t) => {
                RateComponent::Trace(Arc::new(load_trace(ctx, &cp, at, t, duration_ns)?))
            }
        });
    }
    let arrivals = match raw.arrivals.unwrap_or(RawArrivals::Poisson) {
        RawArrivals::Poisson => Arrivals::Poisson,
        RawArrivals::Deterministic => Arrivals::Deterministic,
    };
    Ok(TrafficSpec { arrivals, rate })
}

/// Loads the trace of rate component `cp` (at `at`), placing its errors at the
/// fields they concern; warns when it ends before the run does.
fn load_trace(
    ctx: &mut Ctx,
    cp: &str,
    at: &Location,
    t: &RawTrace,
    duration_ns: Nanos,
) -> Result<TraceRate, InputError> {
    let tp = format!("{cp}.trace");
    let path = ctx.base_dir.join(&t.file.value);
    let req = TraceRequest {
        time_column: t.time_column.as_ref().map(|c| c.value.as_str()),
        value_column: t.value_column.as_ref().map(|c| c.value.as_str()),
        per_s: match t.per {
            RawPer::Second => 1.0,
            RawPer::Minute => 60.0,
            RawPer::Hour => 3600.0,
        },
        scale: t.scale.map_or(1.0, |s| s.0),
        from: t.from.as_ref().map(|f| f.value.as_str()),
        to: t.to.as_ref().map(|f| f.value.as_str()),
        interpolation: match t.interpolate {
            Some(RawInterpolate::Linear) => Interpolation::Linear,
            _ => Interpolation::Step,
        },
    };
    let rate = trace::load(&path, &req).map_err(|e| match e {
        TraceError::Io(why) => ctx
            .err(
                &t.file.referenced,
                format!("{tp}.file"),
                format!("cannot read trace file {}: {why}", path.display()),
            )
            .with_hint("relative paths are resolved against the scenario file's folder"),
        TraceError::Column {
            field,
            name,
            available,
        } => {
            let spanned = if field == "time_column" {
                t.time_column.as_ref()
            } else {
                t.value_column.as_ref()
            };
            ctx.err(
                spanned.map_or(at, |f| &f.referenced),
                format!("{tp}.{field}"),
                format!("the trace {} has no column \"{name}\"", path.display()),
            )
            .with_hint(format!("the columns are: {}", available.join(", ")))
        }
        TraceError::Row { line, message } => ctx.err(
            &t.file.referenced,
            format!("{tp}.file"),
            format!("{}:{line}: {message}", path.display()),
        ),
        TraceError::Bound { field, message } => {
            let spanned = if field == "from" {
                t.from.as_ref()
            } else {
                t.to.as_ref()
            };
            ctx.err(
                spanned.map_or(at, |f| &f.referenced),
                format!("{tp}.{field}"),
                message,
            )
        }
    })?;
    let covered_s = rate
        .end_s
        .min(rate.start_s + rate.step_s * rate.rates_rps.len() as f64);
    if covered_s < nanos_to_secs(duration_ns) {
        ctx.warnings.push(format!(
            "{tp}: the trace ends {} into the run, before its end ({}); the rate from it is 0 afterwards",
            format_duration((covered_s.max(0.0) * 1e9) as Nanos),
            format_duration(duration_ns)
        ));
    }
    Ok(rate)
}
