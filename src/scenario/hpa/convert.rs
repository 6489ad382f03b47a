//! From the k8s-openapi `HorizontalPodAutoscalerSpec` to [`HpaSpec`], checked like the API server.
//!
//! Checks follow `pkg/apis/autoscaling/validation`: replica bounds, one metric
//! source matching `type`, consistent targets, cpu/memory resources, policy
//! and window ranges. Defaults follow `pkg/apis/autoscaling/v2/defaults.go`
//! (docs/reference/hpa.md 1.1). `ContainerResource` is read like `Resource` (capsim pods have
//! one container); the container name is kept. The target path is resolved
//! here as the controller resolves it (docs/reference/hpa.md 1.9): Resource and External go by
//! the field that is set, Object needs type and field to agree (a mismatch
//! would fail every sync upstream, so it is rejected here).

use super::SpecError;
use super::prepare::{err, join};
use crate::spec::hpa::{HpaSpec, MetricSource, MetricSpec, MetricTarget, Resource};
use crate::units::quantity::parse_quantity;
use k8s_openapi::api::autoscaling::v2 as k8s;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

/// Converts and checks a spec; `at` is the path prefix of the spec (`""` or `"spec"`).
pub(super) fn convert(
    spec: &k8s::HorizontalPodAutoscalerSpec,
    at: &str,
    scaled_to_zero: bool,
) -> Result<HpaSpec, SpecError> {
    let metrics = match &spec.metrics {
        Some(list) if !list.is_empty() => list
            .iter()
            .enumerate()
            .map(|(i, m)| metric(m, &format!("{}[{i}]", join(at, "metrics"))))
            .collect::<Result<Vec<_>, _>>()?,
        _ => vec![MetricSpec {
            source: MetricSource::Resource {
                resource: Resource::Cpu,
                container: None,
            },
            target: MetricTarget::Utilization(80),
        }],
    };
    let zero_ok = metrics.iter().any(|m| {
        matches!(
            m.source,
            MetricSource::Object { .. } | MetricSource::External { .. }
        )
    });
    let min = spec.min_replicas.unwrap_or(1);
    if min < 0 || (min == 0 && !zero_ok) {
        return Err(err(
            join(at, "minReplicas"),
            format!("expected minReplicas of at least 1, found {min}"),
            "minReplicas 0 (scale to zero) needs at least one Object or External metric",
        ));
    }
    if spec.max_replicas < 1 {
        return Err(err(
            join(at, "maxReplicas"),
            format!(
                "expected maxReplicas of at least 1, found {}",
                spec.max_replicas
            ),
            "maxReplicas is the most replicas the HPA may set",
        ));
    }
    if spec.max_replicas < min {
        return Err(err(
            join(at, "maxReplicas"),
            format!(
                "expected maxReplicas ≥ minReplicas ({min}), found {}",
                spec.max_replicas
            ),
            "raise maxReplicas or lower minReplicas",
        ));
    }
    let behavior = match &spec.behavior {
        None => None,
        Some(b) => Some(super::behavior::behavior(b, &join(at, "behavior"))?),
    };
    Ok(HpaSpec {
        min_replicas: min,
        max_replicas: spec.max_replicas,
        metrics,
        behavior,
        scaled_to_zero,
    })
}

/// Valid metric source types.
const TYPES: &str = "Resource, ContainerResource, Pods, Object or External";

/// One metric spec.
fn metric(m: &k8s::MetricSpec, at: &str) -> Result<MetricSpec, SpecError> {
    let present: Vec<&str> = [
        ("resource", m.resource.is_some()),
        ("containerResource", m.container_resource.is_some()),
        ("pods", m.pods.is_some()),
        ("object", m.object.is_some()),
        ("external", m.external.is_some()),
    ]
    .iter()
    .filter(|(_, set)| *set)
    .map(|(name, _)| *name)
    .collect();
    let member = match m.type_.as_str() {
        "Resource" => "resource",
        "ContainerResource" => "containerResource",
        "Pods" => "pods",
        "Object" => "object",
        "External" => "external",
        other => {
            return Err(err(
                join(at, "type"),
                format!("expected a metric type of {TYPES}, found \"{other}\""),
                format!(
                    "type must be one of {TYPES}, and the member of that name (resource, pods, …) must be set"
                ),
            ));
        }
    };
    if let Some(extra) = present.iter().find(|p| **p != member) {
        return Err(err(
            join(at, extra),
            format!(
                "expected only the `{member}` member for type {}, found `{extra}` too",
                m.type_
            ),
            format!("remove `{extra}` or change type"),
        ));
    }
    let missing = || {
        err(
            join(at, member),
            format!("expected a `{member}` member for type {}", m.type_),
            format!("add `{member}:` with the metric and its target"),
        )
    };
    let tat = join(&join(at, member), "target");
    let (source, target) = match member {
        "resource" => {
            let r = m.resource.as_ref().ok_or_else(missing)?;
            let resource = resource(&r.name, &join(&join(at, member), "name"))?;
            (
                MetricSource::Resource {
                    resource,
                    container: None,
                },
                resource_target(&r.target, &tat)?,
            )
        }
        "containerResource" => {
            let r = m.container_resource.as_ref().ok_or_else(missing)?;
            let resource = resource(&r.name, &join(&join(at, member), "name"))?;
            let container = Some(r.container.clone());
            (
                MetricSource::Resource {
                    resource,
                    container,
                },
                resource_target(&r.target, &tat)?,
            )
        }
        "pods" => {
            let p = m.pods.as_ref().ok_or_else(missing)?;
            check_type(&p.target, &tat)?;
            let avg = positive(p.target.average_value.as_ref(), &join(&tat, "averageValue"))?
                .ok_or_else(|| {
                    err(
                        join(&tat, "averageValue"),
                        "expected averageValue for a Pods metric",
                        "Pods metrics take a per-pod target: type: AverageValue, averageValue: 100",
                    )
                })?;
            (
                MetricSource::Pods {
                    metric: p.metric.name.clone(),
                },
                MetricTarget::AverageValue(avg),
            )
        }
        "object" => {
            let o = m.object.as_ref().ok_or_else(missing)?;
            let target = value_target(&o.target, &tat, true)?;
            (
                MetricSource::Object {
                    metric: o.metric.name.clone(),
                },
                target,
            )
        }
        _ => {
            let e = m.external.as_ref().ok_or_else(missing)?;
            let target = value_target(&e.target, &tat, false)?;
            (
                MetricSource::External {
                    metric: e.metric.name.clone(),
                },
                target,
            )
        }
    };
    Ok(MetricSpec { source, target })
}

/// cpu or memory.
fn resource(name: &str, at: &str) -> Result<Resource, SpecError> {
    match name {
        "cpu" => Ok(Resource::Cpu),
        "memory" => Ok(Resource::Memory),
        other => Err(err(
            at.to_string(),
            format!("expected resource cpu or memory, found \"{other}\""),
            "capsim models cpu and memory only",
        )),
    }
}

/// `target.type` is one of the three.
fn check_type(t: &k8s::MetricTarget, at: &str) -> Result<(), SpecError> {
    match t.type_.as_str() {
        "Utilization" | "Value" | "AverageValue" => Ok(()),
        other => Err(err(
            join(at, "type"),
            format!(
                "expected a target type of Utilization, Value or AverageValue, found \"{other}\""
            ),
            "type: Utilization with averageUtilization, Value with value, AverageValue with averageValue",
        )),
    }
}

/// A Quantity that must be positive, in milli-units.
fn positive(q: Option<&Quantity>, at: &str) -> Result<Option<i64>, SpecError> {
    let Some(q) = q else { return Ok(None) };
    let parsed = parse_quantity(&q.0).map_err(|e| {
        let (m, h) = e.split_once("\nhint: ").unwrap_or((&e, ""));
        err(at.to_string(), m, h)
    })?;
    match parsed.milli() {
        Some(v) if v > 0 => Ok(Some(v)),
        _ => Err(err(
            at.to_string(),
            format!("expected a positive quantity, found \"{}\"", q.0),
            "targets must be greater than 0",
        )),
    }
}

/// A Resource target: averageValue if set, else averageUtilization.
fn resource_target(t: &k8s::MetricTarget, at: &str) -> Result<MetricTarget, SpecError> {
    check_type(t, at)?;
    let avg = positive(t.average_value.as_ref(), &join(at, "averageValue"))?;
    match (avg, t.average_utilization) {
        (Some(_), Some(_)) => Err(err(
            join(at, "averageUtilization"),
            "expected either averageValue or averageUtilization, found both",
            "keep one",
        )),
        (Some(v), None) => Ok(MetricTarget::AverageValue(v)),
        (None, Some(u)) if u >= 1 => Ok(MetricTarget::Utilization(u)),
        (None, Some(u)) => Err(err(
            join(at, "averageUtilization"),
            format!("expected a utilization greater than 0, found {u}"),
            "averageUtilization is a percent of the pods' requests, e.g. 80",
        )),
        (None, None) => Err(err(
            at.to_string(),
            "expected averageUtilization or averageValue",
            "for example type: Utilization, averageUtilization: 80",
        )),
    }
}

/// An Object or External target (docs/reference/hpa.md 1.9).
fn value_target(t: &k8s::MetricTarget, at: &str, object: bool) -> Result<MetricTarget, SpecError> {
    check_type(t, at)?;
    let value = positive(t.value.as_ref(), &join(at, "value"))?;
    let avg = positive(t.average_value.as_ref(), &join(at, "averageValue"))?;
    match (value, avg) {
        (Some(_), Some(_)) => Err(err(
            join(at, "averageValue"),
            "expected either value or averageValue, found both",
            "keep one",
        )),
        (None, None) => Err(err(
            at.to_string(),
            "expected value or averageValue",
            "type: Value with value, or type: AverageValue with averageValue",
        )),
        (Some(v), None) if !object || t.type_ == "Value" => Ok(MetricTarget::Value(v)),
        (None, Some(v)) if !object || t.type_ == "AverageValue" => {
            Ok(MetricTarget::AverageValue(v))
        }
        _ => Err(err(
            join(at, "type"),
            format!(
                "expected the target type to match the field that is set, found type {}",
                t.type_
            ),
            "an Object metric needs type: Value with value, or type: AverageValue with averageValue",
        )),
    }
}
