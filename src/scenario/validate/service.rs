//! One service: name, platform, replicas, traffic, request, pod, lifecycle,
//! placement and autoscaler — raw → [`ServiceSpec`] (its `slo` is merged
//! with the top-level one by the caller).

use super::traffic::traffic;
use super::work::work;
use super::{Ctx, asg, placement, scaling};
use crate::error::InputError;
use crate::scenario::raw::*;
use crate::spec::*;
use crate::units::Nanos;
use serde_saphyr::Spanned;

/// Checks service number `index`; `duration_ns` is the run's length, for trace coverage.
pub(super) fn service(
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
    let vm = s
        .platform
        .as_ref()
        .is_some_and(|p| p.value == RawPlatform::Vm);
    let platform = platform(ctx, &p, &s, vm)?;
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
    let vcpus = match &platform {
        Platform::Vm { vcpus, .. } => Some(f64::from(*vcpus)),
        Platform::Kubernetes => None,
    };
    let pod = pod(ctx, &p, &s.pod, vcpus)?;
    if s.pod.value.queue_limit.is_some() && pod.concurrency.is_none() {
        ctx.warnings.push(format!(
            "{p}.pod.queue_limit: no effect with unlimited concurrency: no request ever waits for a worker slot; set concurrency: N, or remove queue_limit"
        ));
    }
    let lifecycle = scaling::lifecycle(ctx, &p, &s.pod.value, vm)?;
    let placement = placement::placement(ctx, &p, &s.pod.value)?;
    let memory_usage = scaling::memory_usage(&s.pod.value);
    if let Some(a) = s.asg.as_ref().filter(|_| !vm) {
        // Before the HPA: a service with both would otherwise lose its `asg:` unread.
        return Err(ctx
            .err(&a.referenced, format!("{p}.asg"), "expected no `asg` on a Kubernetes service")
            .with_hint("set `platform: vm` and an `instance_type` for a service on its own instances, or use `hpa:` for pods"));
    }
    let autoscaler = match &s.hpa {
        Some(h) if vm => {
            return Err(ctx
                .err(
                    &h.referenced,
                    format!("{p}.hpa"),
                    "expected no HPA on a `platform: vm` service",
                )
                .with_hint("VM services scale with an Auto Scaling group policy (`asg:`)"));
        }
        Some(h) => scaling::hpa(ctx, &p, h, &pod, memory_usage, &name)?,
        None => match &s.asg {
            Some(a) => Autoscaler::Asg {
                spec: Box::new(asg::asg(ctx, &format!("{p}.asg"), a)?),
            },
            None => Autoscaler::None,
        },
    };
    let replicas = initial_replicas(ctx, &p, (&s.name, &s.replicas), &autoscaler)?;
    let balancing = match s.load_balancer.unwrap_or(RawBalancing::RoundRobin) {
        RawBalancing::RoundRobin => Balancing::RoundRobin,
        RawBalancing::Random => Balancing::Random,
        RawBalancing::LeastRequest => Balancing::LeastRequest,
    };
    Ok(ServiceSpec {
        name,
        replicas,
        platform,
        traffic,
        request,
        pod,
        balancing,
        lifecycle,
        memory_usage,
        autoscaler,
        placement,
        slo: None,
    })
}

/// The platform of service `s` at path `p`.
fn platform(ctx: &Ctx, p: &str, s: &RawService, vm: bool) -> Result<Platform, InputError> {
    match (&s.instance_type, vm) {
        (Some(t), false) => Err(ctx
            .err(
                &t.referenced,
                format!("{p}.instance_type"),
                "expected no `instance_type` on a Kubernetes service",
            )
            .with_hint("set `platform: vm` for a service that runs on its own instances")),
        (None, true) => Err(ctx
            .err(
                &s.name.referenced,
                format!("{p}.instance_type"),
                "expected an `instance_type` for a `platform: vm` service",
            )
            .with_hint("for example instance_type: m5.large")),
        (Some(t), true) => {
            let name = t.value.trim();
            match crate::spec::catalog::lookup(name) {
                Some(it) => Ok(Platform::Vm {
                    instance_type: name.to_string(),
                    vcpus: it.vcpus,
                }),
                None => {
                    let hint = match crate::spec::catalog::did_you_mean(name) {
                        Some(close) => format!(
                            "did you mean {close}? The built-in types are listed in docs/asg.md"
                        ),
                        None => {
                            "the built-in types are listed in docs/asg.md, for example m5.large"
                                .to_string()
                        }
                    };
                    Err(ctx
                        .err(
                            &t.referenced,
                            format!("{p}.instance_type"),
                            format!("expected a known EC2 instance type, found \"{name}\""),
                        )
                        .with_hint(hint))
                }
            }
        }
        (None, false) => Ok(Platform::Kubernetes),
    }
}

/// The replicas at the start: `replicas`, else an Auto Scaling group's
/// `desired` (AWS: a group starts at its DesiredCapacity, within [min, max]),
/// else the autoscaler's minimum (at least 1).
fn initial_replicas(
    ctx: &mut Ctx,
    p: &str,
    (name, replicas): (&Spanned<String>, &Option<Spanned<Count>>),
    autoscaler: &Autoscaler,
) -> Result<u32, InputError> {
    let range = autoscaler.range();
    let Some(r) = replicas else {
        return match (range, autoscaler) {
            (_, Autoscaler::Asg { spec }) => Ok(spec.desired.max(1)),
            (Some((min, _)), _) => Ok(min.max(1)),
            (None, _) => Err(ctx
                .err(
                    &name.referenced,
                    format!("{p}.replicas"),
                    "expected `replicas` for a service without an autoscaler",
                )
                .with_hint("add replicas: N, the fixed number of pods")),
        };
    };
    let n = r.value.0;
    if n == 0 || n > 100_000 {
        return Err(ctx
            .err(
                &r.referenced,
                format!("{p}.replicas"),
                format!("expected 1 to 100000 replicas, found {n}"),
            )
            .with_hint("a service needs at least one pod to serve its traffic"));
    }
    if let Some((min, max)) = range.filter(|(min, max)| n < *min as u64 || n > *max as u64) {
        ctx.warnings.push(format!(
            "{p}.replicas: {n} is outside the autoscaler's range {min}..{max}; it corrects that at its first sync"
        ));
    }
    Ok(n as u32)
}

/// Checks the pod of the service at path `p`; `vcpus` is a VM instance's CPU (its default limit).
fn pod(
    ctx: &Ctx,
    p: &str,
    raw: &Spanned<RawPod>,
    vcpus: Option<f64>,
) -> Result<PodSpec, InputError> {
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
    if concurrency.is_none() && limit.is_none() && vcpus.is_none() {
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
        cpu_limit_cores: limit.map(|l| l.value.0).or(vcpus),
        cpu_request_cores: request_cpu.map(|c| c.value.0),
        memory_request_bytes: r.requests.as_ref().and_then(|q| q.memory).map(|m| m.0),
        memory_limit_bytes: r.limits.as_ref().and_then(|q| q.memory).map(|m| m.0),
    })
}
