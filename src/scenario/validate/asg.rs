//! A service's `asg:` block: raw settings → [`AsgSpec`], with AWS's rules as located errors.
//!
//! AWS rules checked here: alarm periods of 10, 20 or 30 s or a multiple of
//! 60 s, and at most one day of evaluation for periods under an hour (seven
//! days otherwise) (CloudWatch API reference, `PutMetricAlarm`: "Valid
//! values are 10, 20, 30, and any multiple of 60"); `datapoints_to_alarm` ≤
//! `evaluation_periods`; `request_count_per_target` only with `sum`
//! (`ALBRequestCountPerTarget` is a sum per target); step intervals that
//! neither overlap nor leave gaps, at most one open at each end, none open at
//! both ends (EC2 Auto Scaling API reference, `StepAdjustment`);
//! `min_adjustment_magnitude` only with percentage adjustments; exact
//! capacities not negative. capsim adds: the steps must cover the whole
//! breaching side of the threshold, so every alarm breach has a step.

// Not read by `RawService` yet: the simulation milestone hooks `asg:` in; remove this then.

mod steps;
#[cfg(test)]
mod tests;

use super::Ctx;
use crate::error::InputError;
use crate::scenario::raw::Count;
use crate::scenario::raw::asg::*;
use crate::spec::asg::*;
use crate::units::{NANOS_PER_SEC, Nanos, format_duration};
use serde_saphyr::Spanned;
use steps::steps;

/// Longest evaluation window of an alarm with a period under an hour: one day.
const MAX_WINDOW_SHORT_NS: Nanos = 86_400 * NANOS_PER_SEC;
/// Longest evaluation window of an alarm with a period of an hour or more: seven days.
const MAX_WINDOW_LONG_NS: Nanos = 7 * 86_400 * NANOS_PER_SEC;

/// Checks the `asg:` block at path `p` (such as `services[0].asg`).
pub(crate) fn asg(ctx: &Ctx, p: &str, raw: &Spanned<RawAsg>) -> Result<AsgSpec, InputError> {
    let r = &raw.value;
    let (min, max) = (r.min.value.0, r.max.value.0);
    if max == 0 || max > 100_000 {
        return Err(ctx
            .err(
                &r.max.referenced,
                format!("{p}.max"),
                format!("expected a max of 1 to 100000 instances, found {max}"),
            )
            .with_hint("the most instances the group may run"));
    }
    if min > max {
        return Err(ctx
            .err(
                &r.min.referenced,
                format!("{p}.min"),
                format!("expected min ≤ max, found min {min} and max {max}"),
            )
            .with_hint("min is the fewest instances the group keeps, max the most it may run"));
    }
    let desired = match &r.desired {
        Some(d) if d.value.0 < min || d.value.0 > max => {
            return Err(ctx
                .err(
                    &d.referenced,
                    format!("{p}.desired"),
                    format!(
                        "expected a desired capacity between min {min} and max {max}, found {}",
                        d.value.0
                    ),
                )
                .with_hint("leave it out to start at min"));
        }
        Some(d) if d.value.0 == 0 => {
            return Err(ctx
                .err(
                    &d.referenced,
                    format!("{p}.desired"),
                    "expected a desired capacity of at least 1, found 0",
                )
                .with_hint("the service needs an instance at the start to serve its traffic; leave it out to start at min (at least 1)"));
        }
        // AWS: the group starts at DesiredCapacity (CreateAutoScalingGroup), within [min, max].
        Some(d) => d.value.0,
        None => min,
    };
    let mut policies: Vec<PolicySpec> = Vec::with_capacity(r.policies.value.len());
    for (i, sp) in r.policies.value.iter().enumerate() {
        let pp = format!("{p}.policies[{i}]");
        let spec = policy(ctx, &pp, sp)?;
        if policies.iter().any(|o| o.name == spec.name) {
            return Err(ctx
                .err(
                    &sp.value.name.referenced,
                    format!("{pp}.name"),
                    format!(
                        "expected a unique policy name, found \"{}\" a second time",
                        spec.name
                    ),
                )
                .with_hint("scaling decisions are reported by policy name"));
        }
        policies.push(spec);
    }
    Ok(AsgSpec {
        min: min as u32,
        max: max as u32,
        desired: desired as u32,
        policies,
        default_cooldown_ns: r
            .cooldown
            .as_ref()
            .map_or(DEFAULT_COOLDOWN_NS, |c| c.value.0),
        default_instance_warmup_ns: r.instance_warmup.as_ref().map(|w| w.value.0),
    })
}

/// Checks one policy at path `p`.
fn policy(ctx: &Ctx, p: &str, raw: &Spanned<RawPolicy>) -> Result<PolicySpec, InputError> {
    let r = &raw.value;
    let name = r.name.value.trim().to_string();
    if name.is_empty() {
        return Err(ctx
            .err(
                &r.name.referenced,
                format!("{p}.name"),
                "expected a policy name, found an empty string",
            )
            .with_hint("for example name: scale-out"));
    }
    let kinds = [
        r.simple.is_some(),
        r.step.is_some(),
        r.target_tracking.is_some(),
    ];
    if kinds.iter().filter(|&&k| k).count() != 1 {
        return Err(ctx
            .err(
                &raw.referenced,
                p.to_string(),
                "expected exactly one of `simple`, `step` or `target_tracking`",
            )
            .with_hint("write each policy as its own list item with a name"));
    }
    let kind = if let Some(s) = &r.simple {
        let alarm = alarm(ctx, &format!("{p}.simple.alarm"), &s.alarm)?;
        let adjustment = adjust(ctx, &format!("{p}.simple.adjust"), &s.adjust)?;
        PolicyKind::Simple {
            alarm,
            adjustment,
            min_adjustment_magnitude: magnitude(
                ctx,
                &format!("{p}.simple"),
                &s.min_adjustment_magnitude,
                adjustment.kind,
            )?,
            cooldown_ns: s.cooldown.as_ref().map(|c| c.value.0),
        }
    } else if let Some(s) = &r.step {
        let alarm = alarm(ctx, &format!("{p}.step.alarm"), &s.alarm)?;
        let (adjustment_type, steps) = steps(ctx, &format!("{p}.step.steps"), &s.steps, &alarm)?;
        PolicyKind::Step {
            alarm,
            adjustment_type,
            steps,
            min_adjustment_magnitude: magnitude(
                ctx,
                &format!("{p}.step"),
                &s.min_adjustment_magnitude,
                adjustment_type,
            )?,
            instance_warmup_ns: s.instance_warmup.as_ref().map(|w| w.value.0),
        }
    } else {
        let t = r.target_tracking.as_ref().expect("exactly one kind");
        let tp = format!("{p}.target_tracking");
        let metric = metric(ctx, &format!("{tp}.metric"), &t.metric)?;
        let target = value(ctx, &format!("{tp}.target"), &t.target, metric)?;
        if target <= 0.0 {
            return Err(ctx
                .err(
                    &t.target.referenced,
                    format!("{tp}.target"),
                    format!("expected a target greater than 0, found {target}"),
                )
                .with_hint("the metric value to hold, for example target: 50%"));
        }
        PolicyKind::TargetTracking {
            metric,
            target,
            disable_scale_in: t.disable_scale_in.unwrap_or(false),
            instance_warmup_ns: t.instance_warmup.as_ref().map(|w| w.value.0),
        }
    };
    Ok(PolicySpec { name, kind })
}

/// The metric named at `raw`.
fn metric(ctx: &Ctx, p: &str, raw: &Spanned<String>) -> Result<Metric, InputError> {
    Metric::from_name(raw.value.trim()).ok_or_else(|| {
        let names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
        ctx.err(
            &raw.referenced,
            p.to_string(),
            format!("expected a known metric, found \"{}\"", raw.value),
        )
        .with_hint(format!("valid metrics: {}", names.join(", ")))
    })
}

/// A threshold, bound or target for `metric`: `%` only on CPU, CPU within 0–100, counts not negative.
fn value(ctx: &Ctx, p: &str, raw: &Spanned<RawNumber>, metric: Metric) -> Result<f64, InputError> {
    let v = raw.value;
    let bad =
        |msg: String, hint: &str| Err(ctx.err(&raw.referenced, p.to_string(), msg).with_hint(hint));
    match metric {
        Metric::CpuUtilization if !(0.0..=100.0).contains(&v.value) => bad(
            format!(
                "expected a CPU utilization between 0% and 100%, found {}",
                v.value
            ),
            "CPU utilization is the busy share of an instance's vCPUs, for example 70%",
        ),
        Metric::RequestCountPerTarget if v.percent => bad(
            format!(
                "expected a request count, found the percentage {}%",
                v.value
            ),
            "request_count_per_target counts requests per instance per period; write a plain number",
        ),
        Metric::RequestCountPerTarget if v.value < 0.0 => bad(
            format!(
                "expected a request count that is not negative, found {}",
                v.value
            ),
            "request_count_per_target counts requests per instance per period",
        ),
        _ => Ok(v.value),
    }
}

/// Checks an alarm at path `p`.
fn alarm(ctx: &Ctx, p: &str, raw: &Spanned<RawAlarm>) -> Result<AlarmSpec, InputError> {
    let r = &raw.value;
    let metric = metric(ctx, &format!("{p}.metric"), &r.metric)?;
    let statistic = match r.statistic {
        None => metric.default_statistic(),
        Some(RawStatistic::Average) => Statistic::Average,
        Some(RawStatistic::Sum) => Statistic::Sum,
        Some(RawStatistic::Minimum) => Statistic::Minimum,
        Some(RawStatistic::Maximum) => Statistic::Maximum,
        Some(RawStatistic::SampleCount) => Statistic::SampleCount,
    };
    if metric == Metric::RequestCountPerTarget && statistic != Statistic::Sum {
        return Err(ctx
            .err(
                &r.metric.referenced,
                format!("{p}.statistic"),
                format!("expected statistic sum for request_count_per_target, found {statistic:?}"),
            )
            .with_hint("AWS defines request_count_per_target only as a sum; leave statistic out"));
    }
    let period_ns = r.period.value.0;
    let secs = period_ns / NANOS_PER_SEC;
    if !period_ns.is_multiple_of(NANOS_PER_SEC)
        || !(matches!(secs, 10 | 20 | 30) || (secs > 0 && secs.is_multiple_of(60)))
    {
        return Err(ctx
            .err(
                &r.period.referenced,
                format!("{p}.period"),
                format!(
                    "expected a period of 10s, 20s, 30s or a multiple of 1m, found {}",
                    format_duration(period_ns)
                ),
            )
            .with_hint("CloudWatch alarms allow only these periods; 1m is usual"));
    }
    let n = r.evaluation_periods.value.0;
    let window_max = if secs < 3600 {
        MAX_WINDOW_SHORT_NS
    } else {
        MAX_WINDOW_LONG_NS
    };
    if n == 0 || n.saturating_mul(period_ns) > window_max {
        return Err(ctx
            .err(
                &r.evaluation_periods.referenced,
                format!("{p}.evaluation_periods"),
                format!(
                    "expected 1 or more evaluation periods spanning at most {}, found {n} of {}",
                    format_duration(window_max),
                    format_duration(period_ns)
                ),
            )
            .with_hint("CloudWatch evaluates at most one day of periods under an hour, seven days of longer ones"));
    }
    let m = match &r.datapoints_to_alarm {
        Some(d) if d.value.0 == 0 || d.value.0 > n => {
            return Err(ctx
                .err(
                    &d.referenced,
                    format!("{p}.datapoints_to_alarm"),
                    format!("expected 1 to evaluation_periods ({n}) datapoints, found {}", d.value.0),
                )
                .with_hint("M out of N: M breaching datapoints among the last N periods; leave it out for N of N"));
        }
        Some(d) => d.value.0,
        None => n,
    };
    let given: Vec<(Comparison, &Spanned<RawNumber>)> = [
        (Comparison::Greater, &r.above),
        (Comparison::GreaterOrEqual, &r.at_or_above),
        (Comparison::Less, &r.below),
        (Comparison::LessOrEqual, &r.at_or_below),
    ]
    .into_iter()
    .filter_map(|(c, t)| t.as_ref().map(|t| (c, t)))
    .collect();
    let [(comparison, threshold)] = given[..] else {
        return Err(ctx
            .err(
                &raw.referenced,
                p.to_string(),
                format!(
                    "expected exactly one of above, at_or_above, below or at_or_below, found {}",
                    given.len()
                ),
            )
            .with_hint("for example above: 70% fires when the metric is over 70%"));
    };
    let field = threshold_field(comparison);
    Ok(AlarmSpec {
        metric,
        statistic,
        period_ns,
        evaluation_periods: n as u32,
        datapoints_to_alarm: m as u32,
        comparison,
        threshold: value(ctx, &format!("{p}.{field}"), threshold, metric)?,
    })
}

/// The YAML key of a comparison.
fn threshold_field(c: Comparison) -> &'static str {
    match c {
        Comparison::Greater => "above",
        Comparison::GreaterOrEqual => "at_or_above",
        Comparison::Less => "below",
        Comparison::LessOrEqual => "at_or_below",
    }
}

/// Checks an adjustment at path `p`: not zero, exact capacities not negative, percentages above −100 %.
pub(super) fn adjust(
    ctx: &Ctx,
    p: &str,
    raw: &Spanned<RawAdjust>,
) -> Result<Adjustment, InputError> {
    let a = raw.value.0;
    let problem = match a.kind {
        _ if a.value == 0 && a.kind != AdjustmentType::ExactCapacity => {
            Some("expected an adjustment other than 0".to_string())
        }
        AdjustmentType::ExactCapacity if a.value < 0 => Some(format!(
            "expected an exact capacity that is not negative, found ={}",
            a.value
        )),
        AdjustmentType::PercentChangeInCapacity if a.value < -100 => Some(format!(
            "expected a percentage of at least -100%, found {}%",
            a.value
        )),
        _ => None,
    };
    match problem {
        Some(msg) => Err(ctx
            .err(&raw.referenced, p.to_string(), msg)
            .with_hint("write +2 or -1 to add or remove instances, +10% or -25% for a share of the current capacity, =4 for an exact capacity")),
        None => Ok(a),
    }
}

/// `min_adjustment_magnitude` at `p`: at least 1, and only with percentage adjustments.
fn magnitude(
    ctx: &Ctx,
    p: &str,
    raw: &Option<Spanned<Count>>,
    kind: AdjustmentType,
) -> Result<Option<u32>, InputError> {
    let Some(m) = raw else { return Ok(None) };
    let path = format!("{p}.min_adjustment_magnitude");
    if kind != AdjustmentType::PercentChangeInCapacity {
        return Err(ctx
            .err(&m.referenced, path, "expected min_adjustment_magnitude only with a percentage adjustment")
            .with_hint("it widens small percentage changes, such as +10% of 4 instances; remove it or adjust by a percentage"));
    }
    if m.value.0 == 0 || m.value.0 > u64::from(u32::MAX) {
        return Err(ctx
            .err(
                &m.referenced,
                path,
                format!("expected at least 1 instance, found {}", m.value.0),
            )
            .with_hint("the fewest instances a percentage adjustment adds or removes"));
    }
    Ok(Some(m.value.0 as u32))
}

/// A step bound at `p`, in the alarm metric's unit (no `%` on request counts).
pub(super) fn bound(
    ctx: &Ctx,
    p: &str,
    raw: &Option<Spanned<RawNumber>>,
    metric: Metric,
) -> Result<Option<f64>, InputError> {
    match raw {
        None => Ok(None),
        Some(b) if metric == Metric::RequestCountPerTarget && b.value.percent => Err(ctx
            .err(
                &b.referenced,
                p.to_string(),
                format!(
                    "expected a request count, found the percentage {}%",
                    b.value.value
                ),
            )
            .with_hint("bounds are in the alarm metric's unit; write a plain number")),
        Some(b) => Ok(Some(b.value.value)),
    }
}
