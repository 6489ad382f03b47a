//! Pod lifecycle, platform and autoscaler settings: raw → validated specs.
//!
//! The HPA spec itself is checked by [`crate::scenario::hpa`] with
//! Kubernetes' types; here its errors get their line and column, and the
//! spec is checked against what the simulated pods can report (a CPU
//! Utilization target needs a CPU request, memory needs a memory model,
//! custom metrics must be ones capsim measures).

use super::Ctx;
use super::work::work;
use crate::error::InputError;
use crate::scenario::hpa::{load_manifest, spec_from_value};
use crate::scenario::raw::*;
use crate::scenario::yaml::{error_at_path, error_at_position, locate_key};
use crate::spec::hpa::{ControllerConfig, HpaSpec, MetricSource, MetricTarget, Resource};
use crate::spec::scaling::*;
use crate::spec::{PodSpec, WorkDist};
use crate::units::{NANOS_PER_SEC, Nanos, format_duration};
use serde_saphyr::Spanned;

/// Pods metrics capsim measures for every pod.
pub const POD_METRICS: &[&str] = &["http_requests_per_second", "in_flight_requests"];
/// Object and External metrics capsim measures for every service.
pub const SERVICE_METRICS: &[&str] = &["requests_per_second", "in_flight_requests", "queue_length"];

/// The lifecycle of the pods of the service at path `p`.
pub(super) fn lifecycle(
    ctx: &Ctx,
    p: &str,
    raw: &RawPod,
    vm: bool,
) -> Result<LifecycleSpec, InputError> {
    let mut spec = LifecycleSpec::default();
    if let Some(s) = &raw.startup {
        let s = &s.value;
        if let (Some(b), false) = (&s.boot, vm) {
            return Err(ctx
                .err(&b.referenced, format!("{p}.pod.startup.boot"), "expected no `boot` on a Kubernetes service")
                .with_hint("boot is an instance's launch time, for `platform: vm`; pods use image_pull and container_start"));
        }
        let phase = |name: &str, d: &Option<Spanned<RawDist>>| {
            d.as_ref()
                .map(|d| work(ctx, &format!("{p}.pod.startup.{name}"), d))
                .transpose()
        };
        spec.boot = phase("boot", &s.boot)?;
        spec.image_pull = phase("image_pull", &s.image_pull)?;
        spec.container_start = phase("container_start", &s.container_start)?;
        spec.app_start = s
            .app_start
            .as_ref()
            .map(|d| work(ctx, &format!("{p}.pod.startup.app_start"), d))
            .transpose()?;
        if let Some(r) = &s.readiness {
            let period = r.period_seconds.as_ref().map_or(10, |c| c.value.0);
            if let Some(c) = r
                .period_seconds
                .as_ref()
                .filter(|c| c.value.0 == 0 || c.value.0 > 3600)
            {
                return Err(ctx
                    .err(
                        &c.referenced,
                        format!("{p}.pod.startup.readiness.periodSeconds"),
                        format!("expected 1 to 3600 seconds, found {}", c.value.0),
                    )
                    .with_hint("Kubernetes' default is 10"));
            }
            let delay = r.initial_delay_seconds.as_ref().map_or(0, |c| c.value.0);
            if let Some(c) = r
                .initial_delay_seconds
                .as_ref()
                .filter(|c| c.value.0 > 86_400)
            {
                return Err(ctx
                    .err(
                        &c.referenced,
                        format!("{p}.pod.startup.readiness.initialDelaySeconds"),
                        format!("expected at most 86400 seconds, found {}", c.value.0),
                    )
                    .with_hint("Kubernetes' default is 0"));
            }
            spec.readiness = Some(ProbeSpec {
                initial_delay_ns: delay * NANOS_PER_SEC,
                period_ns: period * NANOS_PER_SEC,
            });
        }
    }
    if vm && spec.boot.is_none() {
        spec.boot = Some(default_boot());
    }
    if let Some(w) = &raw.warmup {
        let slowdown = w.value.slowdown.value.0;
        if slowdown < 1.0 {
            return Err(ctx
                .err(
                    &w.value.slowdown.referenced,
                    format!("{p}.pod.warmup.slowdown"),
                    format!("expected a factor of at least 1, found {slowdown}"),
                )
                .with_hint("2 means a new pod needs twice the CPU per request at first"));
        }
        spec.warmup = Some(WarmupSpec {
            duration_ns: w.value.duration.value.0,
            slowdown,
        });
    }
    if let Some(g) = &raw.termination_grace {
        spec.termination_grace_ns = g.value.0;
    }
    Ok(spec)
}

/// EC2 launch to ready when `boot` is left out: lognormal with the catalog's
/// median (70 s) and 95th percentile (135 s).
pub(super) fn default_boot() -> WorkDist {
    use crate::spec::catalog::{EC2_BOOT_MEDIAN_NS, EC2_BOOT_P95_NS};
    const Z_95: f64 = 1.644_853_626_951_472_2;
    let median_s = EC2_BOOT_MEDIAN_NS as f64 * 1e-9;
    let p95_s = EC2_BOOT_P95_NS as f64 * 1e-9;
    WorkDist::Lognormal {
        mu: median_s.ln(),
        sigma: (p95_s / median_s).ln() / Z_95,
    }
}

/// The memory model of a pod, if given.
pub(super) fn memory_usage(raw: &RawPod) -> Option<MemoryUsageSpec> {
    raw.memory_usage.as_ref().map(|m| MemoryUsageSpec {
        base_bytes: m.base.0,
        per_request_bytes: m.per_request.map_or(0, |b| b.0),
    })
}

/// The HPA of the service at path `p`: inline, or `{ manifest, name }`; `fallback` names it.
pub(super) fn hpa(
    ctx: &Ctx,
    p: &str,
    raw: &Spanned<serde_json::Value>,
    pod: &PodSpec,
    memory: Option<MemoryUsageSpec>,
    fallback: &str,
) -> Result<Autoscaler, InputError> {
    let at = &raw.referenced;
    let (spec, name) = match raw.value.as_object().and_then(|m| m.get("manifest")) {
        Some(serde_json::Value::String(file)) => {
            let name = raw.value.get("name").and_then(|n| n.as_str());
            if let Some(key) = raw
                .value
                .as_object()
                .and_then(|m| m.keys().find(|k| *k != "manifest" && *k != "name"))
            {
                return Err(error_at_path(
                    ctx.file,
                    ctx.text,
                    at,
                    format!("{p}.hpa.{key}"),
                    format!(
                        "expected only `manifest` and `name` next to `manifest`, found `{key}`"
                    ),
                )
                .with_hint("write the HPA either inline or in the manifest file, not both"));
            }
            let path = ctx.base_dir.join(file);
            load_manifest(&path, name).map_err(|e| {
                // As for traces: at the scenario's `manifest:` field, the manifest's own place in the message.
                let (message, hint) = match e {
                    crate::error::Error::Input(inner) => {
                        let mut place = inner.file.display().to_string();
                        if inner.line > 0 {
                            place.push_str(&format!(":{}:{}", inner.line, inner.column));
                        }
                        if !inner.path.is_empty() {
                            place.push_str(&format!(": {}", inner.path));
                        }
                        (format!("{place}: {}", inner.message), inner.hint)
                    }
                    other => (other.to_string(), None),
                };
                let err =
                    error_at_path(ctx.file, ctx.text, at, format!("{p}.hpa.manifest"), message);
                match hint {
                    Some(h) => err.with_hint(h),
                    None => {
                        err.with_hint("paths in a scenario are relative to the scenario's folder")
                    }
                }
            })?
        }
        Some(_) => {
            return Err(error_at_path(
                ctx.file,
                ctx.text,
                at,
                format!("{p}.hpa.manifest"),
                "expected the path of a manifest file",
            )
            .with_hint("for example manifest: k8s/auth-service-hpa.yaml (relative to this file)"));
        }
        None => {
            let spec = spec_from_value(&raw.value).map_err(|e| {
                let path = if e.path.is_empty() {
                    format!("{p}.hpa")
                } else {
                    format!("{p}.hpa.{}", e.path)
                };
                let err = if e.message.starts_with("unknown field") {
                    // At the key itself: its value may start on the next line.
                    let place = locate_key(ctx.text, &path).unwrap_or((at.line(), at.column()));
                    error_at_position(ctx.file, ctx.text, place, path, e.message)
                } else {
                    error_at_path(ctx.file, ctx.text, at, path, e.message)
                };
                match e.hint {
                    Some(h) => err.with_hint(h),
                    None => err,
                }
            })?;
            (spec, fallback.to_string())
        }
    };
    check_measurable(ctx, p, at, &spec, pod, memory)?;
    Ok(Autoscaler::Hpa {
        name,
        spec: Box::new(spec),
    })
}

/// Every metric of `spec` must be one the simulated pods report.
fn check_measurable(
    ctx: &Ctx,
    p: &str,
    at: &serde_saphyr::Location,
    spec: &HpaSpec,
    pod: &PodSpec,
    memory: Option<MemoryUsageSpec>,
) -> Result<(), InputError> {
    for (i, m) in spec.metrics.iter().enumerate() {
        let path = format!("{p}.hpa.metrics[{i}]");
        let fail = |msg: String, hint: String| {
            Err(error_at_path(ctx.file, ctx.text, at, path.clone(), msg).with_hint(hint))
        };
        match (&m.source, &m.target) {
            (
                MetricSource::Resource {
                    resource: Resource::Cpu,
                    ..
                },
                MetricTarget::Utilization(_),
            ) if pod.cpu_request_cores.is_none() => {
                return fail("expected the pod to request CPU: a CPU Utilization target is a share of the request".into(), format!("set {p}.pod.requests.cpu, as the HPA controller needs it"));
            }
            (
                MetricSource::Resource {
                    resource: Resource::Memory,
                    ..
                },
                target,
            ) => {
                if memory.is_none() {
                    return fail(
                        "expected a memory model for a memory metric".into(),
                        format!("set {p}.pod.memory_usage: {{ base: 300Mi, per_request: 1Mi }}"),
                    );
                }
                if matches!(target, MetricTarget::Utilization(_))
                    && pod.memory_request_bytes.is_none()
                {
                    return fail("expected the pod to request memory: a memory Utilization target is a share of the request".into(), format!("set {p}.pod.requests.memory"));
                }
            }
            (MetricSource::Pods { metric }, _) if !POD_METRICS.contains(&metric.as_str()) => {
                return fail(
                    format!("expected a Pods metric capsim measures, found \"{metric}\""),
                    format!("capsim's pods report {}", POD_METRICS.join(", ")),
                );
            }
            (MetricSource::Object { metric } | MetricSource::External { metric }, _)
                if !SERVICE_METRICS.contains(&metric.as_str()) =>
            {
                return fail(
                    format!(
                        "expected an Object or External metric capsim measures, found \"{metric}\""
                    ),
                    format!("capsim measures {} per service", SERVICE_METRICS.join(", ")),
                );
            }
            _ => {}
        }
    }
    Ok(())
}

/// A whole number of seconds, at least one; the control loops run on a one-second grid.
fn whole_seconds(
    ctx: &Ctx,
    path: &str,
    d: &Spanned<crate::units::Duration>,
    zero_ok: bool,
) -> Result<Nanos, InputError> {
    let ns = d.value.0;
    if !ns.is_multiple_of(NANOS_PER_SEC) || (ns == 0 && !zero_ok) {
        return Err(ctx
            .err(
                &d.referenced,
                path,
                format!(
                    "expected a whole number of seconds{}, found {}",
                    if zero_ok { "" } else { " (at least 1s)" },
                    format_duration(ns)
                ),
            )
            .with_hint("autoscaling loops run on a one-second grid"));
    }
    Ok(ns)
}

/// `hpa_controller:` → the controller flags (Kubernetes defaults for what is left out).
pub(super) fn controller(
    ctx: &Ctx,
    raw: Option<&RawHpaController>,
) -> Result<ControllerConfig, InputError> {
    let mut c = ControllerConfig::default();
    let Some(r) = raw else { return Ok(c) };
    if let Some(d) = &r.sync_period {
        c.sync_period_ns = whole_seconds(ctx, "hpa_controller.sync_period", d, false)? as i64;
    }
    if let Some(t) = &r.tolerance {
        c.tolerance = t.value.0;
    }
    if let Some(d) = &r.cpu_initialization_period {
        c.cpu_initialization_period_ns = d.value.0 as i64;
    }
    if let Some(d) = &r.initial_readiness_delay {
        c.initial_readiness_delay_ns = d.value.0 as i64;
    }
    if let Some(d) = &r.downscale_stabilization {
        c.downscale_stabilization_ns = d.value.0 as i64;
    }
    Ok(c)
}

/// `metrics_pipeline:` → the pipeline (defaults for what is left out).
pub(super) fn pipeline(ctx: &Ctx, raw: Option<&RawPipeline>) -> Result<PipelineSpec, InputError> {
    let mut spec = PipelineSpec::default();
    let Some(r) = raw else { return Ok(spec) };
    for (name, stage, out) in [
        ("resource", &r.resource, &mut spec.resource),
        ("custom", &r.custom, &mut spec.custom),
    ] {
        let Some(s) = stage else { continue };
        let p = format!("metrics_pipeline.{name}");
        if let Some(d) = &s.scrape {
            out.scrape_ns = whole_seconds(ctx, &format!("{p}.scrape"), d, false)?;
            if s.window.is_none() {
                out.window_ns =
                    out.window_ns.max(out.scrape_ns).div_ceil(out.scrape_ns) * out.scrape_ns;
            }
        }
        if let Some(d) = &s.window {
            let w = whole_seconds(ctx, &format!("{p}.window"), d, false)?;
            if !w.is_multiple_of(out.scrape_ns) {
                return Err(ctx
                    .err(&d.referenced, format!("{p}.window"), format!("expected a multiple of the scrape period {}, found {}", format_duration(out.scrape_ns), format_duration(w)))
                    .with_hint("a rate is taken between two samples, so its window spans whole scrape periods"));
            }
            out.window_ns = w;
        }
        if let Some(d) = &s.delay {
            out.delay_ns = whole_seconds(ctx, &format!("{p}.delay"), d, true)?;
        }
    }
    Ok(spec)
}
