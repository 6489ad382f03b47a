//! `spec.behavior`: API defaults (docs/reference/hpa.md 1.1) and the API server's range checks.
//!
//! A direction that is absent gets the defaults; a supplied `policies` list
//! replaces the default list as a whole; `tolerance` is converted like
//! `Quantity.AsApproximateFloat64`.

use super::SpecError;
use super::prepare::{err, join};
use crate::spec::hpa::{Behavior, PolicyKind, ScalingPolicy, ScalingRules, SelectPolicy};
use crate::units::quantity::parse_quantity;
use k8s_openapi::api::autoscaling::v2 as k8s;

/// `behavior`, with API defaults (docs/reference/hpa.md 1.1).
pub(super) fn behavior(
    b: &k8s::HorizontalPodAutoscalerBehavior,
    at: &str,
) -> Result<Behavior, SpecError> {
    let pol = |kind, value| ScalingPolicy {
        kind,
        value,
        period_s: 15,
    };
    let up = ScalingRules {
        stabilization_window_s: Some(0),
        select_policy: SelectPolicy::Max,
        policies: vec![pol(PolicyKind::Pods, 4), pol(PolicyKind::Percent, 100)],
        tolerance: None,
    };
    let down = ScalingRules {
        stabilization_window_s: None,
        select_policy: SelectPolicy::Max,
        policies: vec![pol(PolicyKind::Percent, 100)],
        tolerance: None,
    };
    Ok(Behavior {
        scale_up: rules(b.scale_up.as_ref(), up, &join(at, "scaleUp"))?,
        scale_down: rules(b.scale_down.as_ref(), down, &join(at, "scaleDown"))?,
    })
}

/// One direction's rules over their defaults.
fn rules(
    r: Option<&k8s::HPAScalingRules>,
    mut out: ScalingRules,
    at: &str,
) -> Result<ScalingRules, SpecError> {
    let Some(r) = r else { return Ok(out) };
    if let Some(w) = window_s(r, at)? {
        out.stabilization_window_s = Some(w);
    }
    if let Some(p) = &r.select_policy {
        out.select_policy = match p.as_str() {
            "Max" => SelectPolicy::Max,
            "Min" => SelectPolicy::Min,
            "Disabled" => SelectPolicy::Disabled,
            other => {
                return Err(err(
                    join(at, "selectPolicy"),
                    format!("expected selectPolicy Max, Min or Disabled, found \"{other}\""),
                    "Max takes the largest change, Min the smallest, Disabled none",
                ));
            }
        };
    }
    if let Some(list) = &r.policies {
        let pat = join(at, "policies");
        if list.is_empty() {
            return Err(err(
                pat,
                "expected at least one policy",
                "remove `policies` to use the defaults, or use selectPolicy: Disabled",
            ));
        }
        out.policies = list
            .iter()
            .enumerate()
            .map(|(i, p)| policy(p, &format!("{pat}[{i}]")))
            .collect::<Result<_, _>>()?;
    }
    if let Some(t) = &r.tolerance {
        let tat = join(at, "tolerance");
        let q = parse_quantity(&t.0).map_err(|e| {
            err(
                tat.clone(),
                e.split('\n').next().unwrap_or(""),
                "write a fraction such as 0.05",
            )
        })?;
        if q.mantissa < 0 {
            return Err(err(
                tat,
                format!("expected a tolerance of at least 0, found \"{}\"", t.0),
                "0.05 allows a 5 % deviation",
            ));
        }
        out.tolerance = Some(q.approx_f64());
    }
    Ok(out)
}

/// `stabilizationWindowSeconds`, checked to be within 0..=3600.
fn window_s(r: &k8s::HPAScalingRules, at: &str) -> Result<Option<i32>, SpecError> {
    match r.stabilization_window_seconds {
        Some(w) if !(0..=3600).contains(&w) => Err(err(
            join(at, "stabilizationWindowSeconds"),
            format!("expected 0 to 3600 seconds, found {w}"),
            "the window is at most one hour",
        )),
        w => Ok(w),
    }
}

/// One policy.
fn policy(p: &k8s::HPAScalingPolicy, at: &str) -> Result<ScalingPolicy, SpecError> {
    let kind = match p.type_.as_str() {
        "Pods" => PolicyKind::Pods,
        "Percent" => PolicyKind::Percent,
        other => {
            return Err(err(
                join(at, "type"),
                format!("expected policy type Pods or Percent, found \"{other}\""),
                "Pods limits by a number of pods, Percent by a share of the current count",
            ));
        }
    };
    if p.value <= 0 {
        return Err(err(
            join(at, "value"),
            format!("expected a value greater than 0, found {}", p.value),
            "to forbid scaling in a direction use selectPolicy: Disabled",
        ));
    }
    if !(1..=1800).contains(&p.period_seconds) {
        return Err(err(
            join(at, "periodSeconds"),
            format!("expected 1 to 1800 seconds, found {}", p.period_seconds),
            "the period is at most 30 minutes",
        ));
    }
    Ok(ScalingPolicy {
        kind,
        value: p.value,
        period_s: p.period_seconds,
    })
}
