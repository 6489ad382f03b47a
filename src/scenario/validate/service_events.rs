//! `events:` that act on one service — `rolling_deployment` and
//! `traffic_incident` → [`EventKind`], checked against the services.
//!
//! A rollout's `max_surge` and `max_unavailable` follow Kubernetes'
//! validation of a Deployment's `rollingUpdate`: a count or a whole
//! percentage, not negative, `maxUnavailable` at most 100 %, and not both
//! zero as written ("may not be 0 when `maxSurge` is 0").

use super::Ctx;
use crate::error::InputError;
use crate::scenario::limits::{MAX_RPS, MAX_RPS_HINT};
use crate::scenario::raw::events::{RawIntOrPercent, RawRollingDeployment, RawTrafficIncident};
use crate::spec::{
    EventKind, EventSpec, IncidentChange, IntOrPercent, Platform, RollingUpdate, ServiceSpec,
    TrafficIncident,
};
use crate::units::{Nanos, format_duration};
use serde_saphyr::Spanned;

/// Most pods `max_surge` or `max_unavailable` may name.
const MAX_PODS: u64 = 1_000_000;
/// Largest factor of a `multiply` incident.
const MAX_FACTOR: f64 = 1e6;

/// The index of the service `name` names (field `p`.service).
fn service_index(
    ctx: &Ctx,
    p: &str,
    name: &Spanned<String>,
    services: &[ServiceSpec],
) -> Result<usize, InputError> {
    let wanted = name.value.trim();
    if let Some(i) = services.iter().position(|s| s.name == wanted) {
        return Ok(i);
    }
    let names: Vec<&str> = services.iter().map(|s| s.name.as_str()).collect();
    let hint = match crate::spec::catalog::closest(wanted, names.iter().copied()) {
        Some(close) => format!(
            "did you mean {close}? The services are {}",
            names.join(", ")
        ),
        None => format!("the services are {}", names.join(", ")),
    };
    Err(ctx
        .err(
            &name.referenced,
            format!("{p}.service"),
            format!("expected the name of a service, found \"{}\"", name.value),
        )
        .with_hint(hint))
}

/// Checks `rolling_deployment:` of event `p`.
pub(super) fn rolling_deployment(
    ctx: &Ctx,
    p: &str,
    raw: &Spanned<RawRollingDeployment>,
    services: &[ServiceSpec],
) -> Result<EventKind, InputError> {
    let p = format!("{p}.rolling_deployment");
    let r = &raw.value;
    let service = service_index(ctx, &p, &r.service, services)?;
    if let Platform::Vm { .. } = services[service].platform {
        return Err(ctx
            .err(
                &r.service.referenced,
                format!("{p}.service"),
                format!(
                    "expected a Kubernetes service, found {} (platform: vm)",
                    services[service].name
                ),
            )
            .with_hint("a rolling deployment replaces the pods of a Kubernetes Deployment; an EC2 Auto Scaling group's instance refresh is not modelled (see docs/events.md)"));
    }
    let defaults = RollingUpdate::default();
    let field = |name: &str,
                 v: &Option<Spanned<RawIntOrPercent>>,
                 default: IntOrPercent,
                 max_percent: Option<u64>|
     -> Result<IntOrPercent, InputError> {
        let Some(v) = v else {
            return Ok(default);
        };
        let at = |msg: String, hint: &str| {
            ctx.err(&v.referenced, format!("{p}.{name}"), msg)
                .with_hint(hint)
        };
        match v.value {
            RawIntOrPercent::Count(n) if n > MAX_PODS => Err(at(
                format!("expected at most {MAX_PODS} pods, found {n}"),
                "write a number of pods or a percentage of the replicas such as 25%",
            )),
            RawIntOrPercent::Count(n) => Ok(IntOrPercent::Count(n as u32)),
            RawIntOrPercent::Percent(n) if max_percent.is_some_and(|m| n > m) => Err(at(
                format!("expected at most 100%, found {n}%"),
                "more than all of the pods cannot be unavailable; Kubernetes refuses it too",
            )),
            RawIntOrPercent::Percent(n) if n > 100 * MAX_PODS => Err(at(
                format!("expected at most {}%, found {n}%", 100 * MAX_PODS),
                "a surge of 100% doubles the pods while the rollout lasts",
            )),
            RawIntOrPercent::Percent(n) => Ok(IntOrPercent::Percent(n as u32)),
        }
    };
    let max_surge = field("max_surge", &r.max_surge, defaults.max_surge, None)?;
    let max_unavailable = field(
        "max_unavailable",
        &r.max_unavailable,
        defaults.max_unavailable,
        Some(100),
    )?;
    if max_surge.is_zero() && max_unavailable.is_zero() {
        let at = r.max_unavailable.as_ref().expect("zero only as written");
        return Err(ctx
            .err(
                &at.referenced,
                format!("{p}.max_unavailable"),
                format!("expected max_unavailable above 0 when max_surge is 0, found {max_unavailable}"),
            )
            .with_hint("a rollout that may neither add a pod nor take one away cannot progress; Kubernetes refuses it too (\"may not be 0 when `maxSurge` is 0\")"));
    }
    Ok(EventKind::RollingDeployment {
        service,
        strategy: RollingUpdate {
            max_surge,
            max_unavailable,
        },
    })
}

/// Checks `traffic_incident:` of event `p` at `at_ns`, against the incidents in `earlier`.
pub(super) fn traffic_incident(
    ctx: &Ctx,
    p: &str,
    raw: &Spanned<RawTrafficIncident>,
    at_ns: Nanos,
    services: &[ServiceSpec],
    earlier: &[EventSpec],
) -> Result<EventKind, InputError> {
    let p = format!("{p}.traffic_incident");
    let r = &raw.value;
    let service = service_index(ctx, &p, &r.service, services)?;
    let duration_ns = r.duration.value.0;
    if duration_ns == 0 {
        return Err(ctx
            .err(
                &r.duration.referenced,
                format!("{p}.for"),
                "expected an incident longer than 0, found 0",
            )
            .with_hint("how long the traffic stays changed, ramps included, for example 20m"));
    }
    let change = match (&r.multiply, &r.add_rps) {
        (None, None) => {
            return Err(ctx
                .err(
                    &raw.referenced,
                    p.clone(),
                    "expected one of multiply and add_rps, found neither",
                )
                .with_hint(
                    "multiply: 3 triples the rate; add_rps: 500 adds 500 requests per second",
                ));
        }
        (Some(_), Some(a)) => {
            return Err(ctx
                .err(
                    &a.referenced,
                    format!("{p}.add_rps"),
                    "expected one of multiply and add_rps, found both",
                )
                .with_hint("write one incident per change; two on one service may not overlap"));
        }
        (Some(m), None) => {
            let f = m.value.0;
            if !(f.is_finite() && f > 0.0 && f <= MAX_FACTOR) {
                return Err(ctx
                    .err(
                        &m.referenced,
                        format!("{p}.multiply"),
                        format!("expected a factor above 0 and at most {MAX_FACTOR:e}, found {f}"),
                    )
                    .with_hint("3 triples the rate, 0.5 halves it"));
            }
            IncidentChange::Multiply(f)
        }
        (None, Some(a)) => {
            let rps = a.value.0;
            if !(rps.is_finite() && rps > 0.0) {
                return Err(ctx
                    .err(
                        &a.referenced,
                        format!("{p}.add_rps"),
                        format!("expected a rate above 0 requests per second, found {rps}"),
                    )
                    .with_hint("to lower the traffic, use multiply with a factor below 1"));
            }
            if rps > MAX_RPS {
                return Err(ctx
                    .err(
                        &a.referenced,
                        format!("{p}.add_rps"),
                        format!("expected at most {MAX_RPS:e} requests per second, found {rps:e}"),
                    )
                    .with_hint(MAX_RPS_HINT));
            }
            IncidentChange::AddRps(rps)
        }
    };
    let ramp_ns = r.ramp.as_ref().map_or(0, |x| x.value.0);
    if let Some(ramp) = &r.ramp
        && ramp_ns.saturating_mul(2) > duration_ns
    {
        return Err(ctx
            .err(
                &ramp.referenced,
                format!("{p}.ramp"),
                format!(
                    "expected a ramp of at most half the incident ({}), found {}",
                    format_duration(duration_ns / 2),
                    format_duration(ramp_ns)
                ),
            )
            .with_hint("the change rises over the ramp at the start and falls over it at the end, both within `for`"));
    }
    let end = at_ns.saturating_add(duration_ns);
    for other in earlier {
        if let EventKind::TrafficIncident {
            service: s,
            incident,
        } = &other.kind
            && *s == service
            && at_ns < other.at_ns.saturating_add(incident.duration_ns)
            && other.at_ns < end
        {
            return Err(ctx
                .err(
                    &raw.referenced,
                    p,
                    format!(
                        "expected {}'s traffic incidents not to overlap, but this one and the one at {} do",
                        services[service].name,
                        format_duration(other.at_ns)
                    ),
                )
                .with_hint("merge them into one incident, or move one"));
        }
    }
    Ok(EventKind::TrafficIncident {
        service,
        incident: TrafficIncident {
            duration_ns,
            ramp_ns,
            change,
        },
    })
}
