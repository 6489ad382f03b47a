//! Raw scenario → validated [`Scenario`]: the checks that span several fields.
//!
//! Field-level checks (units, signs, known keys) already happened while the
//! YAML was read. Here: required relations (warmup < duration, p99 >
//! median, …), unique names, loading traces, and defaults.

use super::raw::*;
use super::spec::*;
use super::trace::{self, TraceError, TraceRequest};
use super::yaml::error_at;
use crate::error::InputError;
use crate::units::{NANOS_PER_SEC, Nanos, NonNegative, format_duration, nanos_to_secs};
use serde_saphyr::{Location, Spanned};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Default width of one interval of the time series.
const DEFAULT_INTERVAL_NS: Nanos = 60 * NANOS_PER_SEC;
/// Highest rate of one rate component, requests per second.
///
/// capsim simulates every request, so far lower rates are already
/// impractical; the limit keeps every rate, integral and event budget finite.
pub(crate) const MAX_RPS: f64 = 1e9;
/// Hint for rates above [`MAX_RPS`].
const MAX_RPS_HINT: &str =
    "capsim simulates every request, so rates are limited to a billion per second per component";
/// Φ⁻¹(0.99): the standard normal 99th percentile.
const Z_99: f64 = 2.326_347_874_040_840_8;

/// Where errors point: the scenario file, its text, and its folder for relative paths.
pub(crate) struct Ctx<'a> {
    pub file: &'a Path,
    pub text: &'a str,
    pub base_dir: PathBuf,
    pub warnings: Vec<String>,
}

impl Ctx<'_> {
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
    {
        return Err(ctx
            .err(
                &raw.name.referenced,
                "name",
                format!("expected a name of letters, digits, '-', '_' or '.', found \"{name}\""),
            )
            .with_hint("the name is used as the report folder reports/<name>/"));
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
    let mut services: Vec<ServiceSpec> = Vec::with_capacity(raw.services.value.len());
    for (i, s) in raw.services.value.into_iter().enumerate() {
        let at = s.value.name.referenced;
        let spec = service(ctx, i, s, duration_ns)?;
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
        warnings: std::mem::take(&mut ctx.warnings),
    })
}

fn service(
    ctx: &mut Ctx,
    index: usize,
    raw: Spanned<RawService>,
    duration_ns: Nanos,
) -> Result<ServiceSpec, InputError> {
    let p = format!("services[{index}]");
    let s = raw.value;
    let name = s.name.value.trim().to_string();
    if name.is_empty() {
        return Err(ctx
            .err(
                &s.name.referenced,
                format!("{p}.name"),
                "expected a service name, found an empty string",
            )
            .with_hint("results are reported by service name, for example name: api"));
    }
    let replicas = s.replicas.value.0;
    if replicas == 0 || replicas > 100_000 {
        return Err(ctx
            .err(
                &s.replicas.referenced,
                format!("{p}.replicas"),
                format!("expected 1 to 100000 replicas, found {replicas}"),
            )
            .with_hint("a service needs at least one pod to serve its traffic"));
    }
    let traffic = traffic(ctx, &p, s.traffic, duration_ns)?;
    let request = RequestSpec {
        cpu: work(ctx, &format!("{p}.request.cpu"), &s.request.cpu)?,
        io: s
            .request
            .io
            .as_ref()
            .map(|io| work(ctx, &format!("{p}.request.io"), io))
            .transpose()?,
        timeout_ns: s.request.timeout.as_ref().map(|t| t.value.0),
    };
    if let Some(t) = s.request.timeout.as_ref().filter(|t| t.value.0 == 0) {
        return Err(ctx
            .err(
                &t.referenced,
                format!("{p}.request.timeout"),
                "expected a timeout longer than 0, found 0",
            )
            .with_hint("leave it out for clients that wait forever"));
    }
    let pod = pod(ctx, &p, &s.pod)?;
    let balancing = match s.load_balancer.unwrap_or(RawBalancing::RoundRobin) {
        RawBalancing::RoundRobin => Balancing::RoundRobin,
        RawBalancing::Random => Balancing::Random,
        RawBalancing::LeastRequest => Balancing::LeastRequest,
    };
    Ok(ServiceSpec {
        name,
        replicas: replicas as u32,
        traffic,
        request,
        pod,
        balancing,
    })
}

fn traffic(
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

fn work(ctx: &Ctx, p: &str, raw: &Spanned<RawDist>) -> Result<WorkDist, InputError> {
    let s = |d: crate::units::Duration| nanos_to_secs(d.0);
    let positive = |d: &Spanned<crate::units::Duration>, path: &str| -> Result<(), InputError> {
        if d.value.0 > 0 {
            Ok(())
        } else {
            let what = path.rsplit('.').next().unwrap_or(path);
            Err(ctx
                .err(
                    &d.referenced,
                    format!("{p}.{path}"),
                    format!("expected a {what} longer than 0, found 0"),
                )
                .with_hint("for requests that take no time use `constant: 0`"))
        }
    };
    Ok(match &raw.value {
        RawDist::Constant(d) => WorkDist::Constant { secs: s(*d) },
        RawDist::Exponential(e) => {
            positive(&e.mean, "exponential.mean")?;
            WorkDist::Exponential {
                mean_s: s(e.mean.value),
            }
        }
        RawDist::Lognormal(l) => {
            positive(&l.median, "lognormal.median")?;
            if l.p99.value.0 <= l.median.value.0 {
                return Err(ctx
                    .err(
                        &l.p99.referenced,
                        format!("{p}.lognormal.p99"),
                        format!(
                            "expected p99 greater than the median, found median {} and p99 {}",
                            format_duration(l.median.value.0),
                            format_duration(l.p99.value.0)
                        ),
                    )
                    .with_hint(format!(
                        "for a fixed value use `constant: {}`",
                        format_duration(l.median.value.0)
                    )));
            }
            let mu = s(l.median.value).ln();
            WorkDist::Lognormal {
                mu,
                sigma: (s(l.p99.value).ln() - mu) / Z_99,
            }
        }
        RawDist::Gamma(g) => {
            positive(&g.mean, "gamma.mean")?;
            if g.cv.value.0 <= 0.0 {
                return Err(ctx
                    .err(
                        &g.cv.referenced,
                        format!("{p}.gamma.cv"),
                        format!(
                            "expected a coefficient of variation greater than 0, found {}",
                            g.cv.value.0
                        ),
                    )
                    .with_hint("for a fixed value use `constant`"));
            }
            let shape = 1.0 / (g.cv.value.0 * g.cv.value.0);
            let scale_s = s(g.mean.value) / shape;
            if !shape.is_finite() || !scale_s.is_normal() {
                return Err(ctx
                    .err(
                        &g.cv.referenced,
                        format!("{p}.gamma.cv"),
                        format!(
                            "expected a coefficient of variation between 1e-6 and 1e6, found {}",
                            g.cv.value.0
                        ),
                    )
                    .with_hint("a cv of 1 is as variable as an exponential; for a fixed value use `constant`"));
            }
            WorkDist::Gamma { shape, scale_s }
        }
        RawDist::Uniform(u) => {
            if u.max.value.0 < u.min.0 {
                return Err(ctx
                    .err(
                        &u.max.referenced,
                        format!("{p}.uniform.max"),
                        format!(
                            "expected max ≥ min, found min {} and max {}",
                            format_duration(u.min.0),
                            format_duration(u.max.value.0)
                        ),
                    )
                    .with_hint("values are drawn evenly between min and max"));
            }
            WorkDist::Uniform {
                min_s: s(u.min),
                max_s: s(u.max.value),
            }
        }
    })
}

fn pod(ctx: &Ctx, p: &str, raw: &Spanned<RawPod>) -> Result<PodSpec, InputError> {
    let at = &raw.referenced;
    let r = &raw.value;
    let concurrency = match r.concurrency.as_ref().map(|c| (c, c.value)) {
        Some((c, Concurrency::Slots(n))) if n > u32::MAX as u64 / 2 => {
            return Err(ctx
                .err(
                    &c.referenced,
                    format!("{p}.pod.concurrency"),
                    format!("expected at most {} slots, found {n}", u32::MAX / 2),
                )
                .with_hint("write `unlimited`"));
        }
        Some((_, Concurrency::Slots(n))) => Some(n as u32),
        Some((_, Concurrency::Unlimited)) | None => None,
    };
    let limit = r.limits.as_ref().and_then(|l| l.cpu.as_ref());
    if let Some(l) = limit
        && l.value.0 <= 0.0
    {
        return Err(ctx
            .err(
                &l.referenced,
                format!("{p}.pod.limits.cpu"),
                "expected a CPU limit greater than 0",
            )
            .with_hint("leave it out for an unthrottled pod"));
    }
    if concurrency.is_none() && limit.is_none() {
        return Err(ctx
            .err(at, format!("{p}.pod"), "expected `concurrency` or `limits.cpu`; with neither, every request would get a whole core of its own")
            .with_hint("set concurrency: N (worker slots), or limits: { cpu: \"2\" } for processor sharing"));
    }
    let queue_limit = match &r.queue_limit {
        Some(q) if q.value.0 > u32::MAX as u64 => {
            return Err(ctx
                .err(
                    &q.referenced,
                    format!("{p}.pod.queue_limit"),
                    format!(
                        "expected a queue limit below 4294967296, found {}",
                        q.value.0
                    ),
                )
                .with_hint("leave it out for an unbounded queue"));
        }
        q => q.as_ref().map(|q| q.value.0 as u32),
    };
    let request_cpu = r.requests.as_ref().and_then(|q| q.cpu.as_ref());
    if let Some(rc) = request_cpu
        && rc.value.0 <= 0.0
    {
        return Err(ctx
            .err(
                &rc.referenced,
                format!("{p}.pod.requests.cpu"),
                "expected a CPU request greater than 0",
            )
            .with_hint("leave it out to measure utilization against the limit or the slots"));
    }
    Ok(PodSpec {
        concurrency,
        queue_limit,
        cpu_limit_cores: limit.map(|l| l.value.0),
        cpu_request_cores: request_cpu.map(|c| c.value.0),
        memory_request_bytes: r.requests.as_ref().and_then(|q| q.memory).map(|m| m.0),
        memory_limit_bytes: r.limits.as_ref().and_then(|q| q.memory).map(|m| m.0),
    })
}
