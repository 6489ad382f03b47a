//! The replica calculator: one proposal per metric, and their maximum (docs/reference/hpa.md 1.3–1.9).
//!
//! Resource and Pods metrics classify pods first (`groupPods`, 1.5), compute a
//! usage ratio over the ready pods with samples (integer-percent utilization
//! from sums for Utilization targets, a truncated average for AverageValue),
//! then either scale by `ceil(ratio × readyPods)` or, when pods are missing or
//! unready, rebalance in a second pass with direction guards. Object and
//! External metrics use a single value with the Running+Ready pod count (Value
//! targets) or `status.replicas` (AverageValue targets).

use super::pods::{Group, PodCtx};
use crate::model::hpa::{MetricName, MetricStatus, Observation, PodPhase, Reason, Tolerances};
use crate::spec::hpa::{
    ControllerConfig, HpaSpec, MetricSource, MetricSpec, MetricTarget, Resource,
};
use crate::units::SignedNanos;
use std::collections::BTreeMap;

/// A successful metric calculation: the proposal and the metric's current value.
type Proposal = Result<(i32, f64), String>;

/// `computeReplicasForMetrics`: the maximum valid proposal, or why there is none.
pub(super) fn replicas_for_metrics(
    spec: &HpaSpec,
    cfg: &ControllerConfig,
    tol: Tolerances,
    obs: &Observation,
    now: SignedNanos,
) -> (Result<i32, Reason>, Vec<MetricStatus>) {
    let mut statuses = Vec::with_capacity(spec.metrics.len());
    let mut best = 0;
    let mut invalid = 0;
    for (metric, m) in spec.metrics.iter().enumerate() {
        match replicas_for_metric(m, cfg, tol, obs, now) {
            Ok((proposal, current)) => {
                best = best.max(proposal);
                statuses.push(MetricStatus {
                    metric,
                    current,
                    proposal: Some(proposal),
                    error: None,
                });
            }
            Err(e) => {
                invalid += 1;
                statuses.push(MetricStatus {
                    metric,
                    current: 0.0,
                    proposal: None,
                    error: Some(e),
                });
            }
        }
    }
    let result = if invalid >= spec.metrics.len() {
        Err(Reason::FailedGetMetrics)
    } else if invalid > 0 && best < obs.spec_replicas {
        Err(Reason::InvalidMetrics)
    } else {
        Ok(best)
    };
    (result, statuses)
}

/// `computeReplicasForMetric`: one metric's proposal and current value.
fn replicas_for_metric(
    m: &MetricSpec,
    cfg: &ControllerConfig,
    tol: Tolerances,
    obs: &Observation,
    now: SignedNanos,
) -> Proposal {
    let current = obs.spec_replicas;
    match (&m.source, m.target) {
        (MetricSource::Resource { resource, .. }, MetricTarget::Utilization(target)) => {
            let ctx = PodCtx::resource(*resource, obs, cfg, now)?;
            resource_utilization(&ctx, *resource, target, current, tol)
        }
        (MetricSource::Resource { resource, .. }, MetricTarget::AverageValue(target)) => {
            let ctx = PodCtx::resource(*resource, obs, cfg, now)?;
            plain_metric(&ctx, target, current, tol)
        }
        (MetricSource::Pods { metric }, MetricTarget::AverageValue(target)) => {
            let samples = obs
                .pods
                .iter()
                .map(|p| {
                    p.metrics
                        .iter()
                        .find(|(n, _)| n.as_ref() == metric.as_str())
                        .map(|(_, v)| *v)
                })
                .collect();
            let ctx = PodCtx::new(&obs.pods, samples, false, cfg, now, metric)?;
            plain_metric(&ctx, target, current, tol)
        }
        (MetricSource::Object { metric }, target) => {
            let value = fetched(&obs.object_metrics, "object", metric)?;
            single_value(value, target, obs, tol)
        }
        (MetricSource::External { metric }, target) => {
            let value = fetched(&obs.external_metrics, "external", metric)?;
            single_value(value, target, obs, tol)
        }
        (source, target) => Err(format!(
            "invalid metric: target {target:?} is not supported for source {source:?}"
        )),
    }
}

/// An Object/External value, or the failed fetch.
fn fetched(values: &BTreeMap<MetricName, i64>, kind: &str, metric: &str) -> Result<i64, String> {
    values
        .get(metric)
        .copied()
        .ok_or_else(|| format!("unable to get {kind} metric {metric}: no value this sync"))
}

/// Ceil of a float as Go's int32 conversion after capping at MaxInt32.
fn ceil_i32(x: f64) -> i32 {
    x.ceil() as i32
}

/// `GetResourceUtilizationRatio`: (ratio, integer-percent utilization) over pods with a request.
fn utilization_ratio(
    values: &BTreeMap<usize, i64>,
    requests: &[i64],
    target_pct: i32,
) -> Result<(f64, i64), String> {
    let (mut used, mut requested) = (0i128, 0i128);
    for (&i, &v) in values {
        used += i128::from(v);
        requested += i128::from(requests[i]);
    }
    if requested == 0 {
        return Err("no metrics returned matched known pods".into());
    }
    let utilization = i64::try_from(used * 100 / requested).unwrap_or(i64::MAX);
    Ok((utilization as f64 / f64::from(target_pct), utilization))
}

/// `GetMetricUsageRatio`: (ratio, truncated average) of the samples.
fn usage_ratio(values: &BTreeMap<usize, i64>, target: i64) -> (f64, i64) {
    let total: i128 = values.values().map(|&v| i128::from(v)).sum();
    let usage = i64::try_from(total / values.len().max(1) as i128).unwrap_or(i64::MAX);
    (usage as f64 / target as f64, usage)
}

/// The second pass shared by 1.6 and 1.7: fill missing and unready pods, recompute, guard.
struct Rebalance<'c, 'a> {
    ctx: &'c PodCtx<'a>,
    current: i32,
    tol: Tolerances,
}

impl Rebalance<'_, '_> {
    /// Runs the fast path or the rebalance; `fill_missing_down` is the value of a
    /// missing pod on scale-down, `ratio_of` recomputes the ratio.
    fn run(
        &self,
        mut values: BTreeMap<usize, i64>,
        ratio: f64,
        fill_missing_down: impl Fn(usize) -> i64,
        ratio_of: impl Fn(&BTreeMap<usize, i64>) -> Result<f64, String>,
    ) -> Result<i32, String> {
        let ready_count = self.ctx.in_group(Group::Ready).len();
        let unready = self.ctx.in_group(Group::Unready);
        let missing = self.ctx.in_group(Group::Missing);
        let up_with_unready = !unready.is_empty() && ratio > 1.0;
        if !up_with_unready && missing.is_empty() {
            if self.tol.is_within(ratio) {
                return Ok(self.current);
            }
            return Ok(ceil_i32(ratio * ready_count as f64));
        }
        // Below 1 a missing pod counts at the scale-down fallback, above 1 at 0; at
        // exactly 1 it is left out, for plain metrics too since kubernetes#117845
        // (v1.28; `calcPlainMetricReplicas` and `GetResourceReplicas` agree).
        for &i in &missing {
            if ratio < 1.0 {
                values.insert(i, fill_missing_down(i));
            } else if ratio > 1.0 {
                values.insert(i, 0);
            }
        }
        if up_with_unready {
            for &i in &unready {
                values.insert(i, 0);
            }
        }
        let new_ratio = ratio_of(&values)?;
        if self.tol.is_within(new_ratio)
            || (ratio < 1.0 && new_ratio > 1.0)
            || (ratio > 1.0 && new_ratio < 1.0)
        {
            return Ok(self.current);
        }
        let new = ceil_i32(new_ratio * values.len() as f64);
        if (new_ratio < 1.0 && new > self.current) || (new_ratio > 1.0 && new < self.current) {
            return Ok(self.current);
        }
        Ok(new)
    }
}

/// `GetResourceReplicas`: Resource metric with a Utilization target (docs/reference/hpa.md 1.6).
fn resource_utilization(
    ctx: &PodCtx,
    resource: Resource,
    target_pct: i32,
    current: i32,
    tol: Tolerances,
) -> Proposal {
    let values = ctx.ready_samples()?;
    let requests = ctx
        .pods
        .iter()
        .enumerate()
        .map(|(i, p)| {
            match resource {
                Resource::Cpu => p.cpu_request_milli,
                Resource::Memory => p.memory_request_milli,
            }
            .ok_or_else(|| format!("missing request for {} in pod #{i}", resource.as_str()))
        })
        .collect::<Result<Vec<i64>, String>>()?;
    let (ratio, utilization) = utilization_ratio(&values, &requests, target_pct)?;
    let fallback_pct = i64::from(target_pct.max(100));
    let r = Rebalance { ctx, current, tol };
    let proposal = r.run(
        values,
        ratio,
        |i| requests[i].saturating_mul(fallback_pct) / 100,
        |v| utilization_ratio(v, &requests, target_pct).map(|(ratio, _)| ratio),
    )?;
    Ok((proposal, utilization as f64))
}

/// `calcPlainMetricReplicas`: Resource AverageValue and Pods metrics (docs/reference/hpa.md 1.7).
fn plain_metric(ctx: &PodCtx, target: i64, current: i32, tol: Tolerances) -> Proposal {
    if ctx.pods.is_empty() {
        return Err("no pods returned by selector while calculating replica count".into());
    }
    let values = ctx.ready_samples()?;
    let (ratio, usage) = usage_ratio(&values, target);
    let r = Rebalance { ctx, current, tol };
    let proposal = r.run(values, ratio, |_| target, |v| Ok(usage_ratio(v, target).0))?;
    Ok((proposal, usage as f64 / 1000.0))
}

/// Object and External metrics (docs/reference/hpa.md 1.8 and 1.9).
fn single_value(value: i64, target: MetricTarget, obs: &Observation, tol: Tolerances) -> Proposal {
    match target {
        MetricTarget::Value(target) => {
            let ratio = value as f64 / target as f64;
            let current = obs.spec_replicas;
            let proposal = if current == 0 {
                ceil_i32(ratio)
            } else if tol.is_within(ratio) {
                current
            } else {
                if obs.pods.is_empty() {
                    return Err(
                        "no pods returned by selector while calculating replica count".into(),
                    );
                }
                let ready = obs
                    .pods
                    .iter()
                    .filter(|p| p.phase == PodPhase::Running && p.ready == Some(true))
                    .count();
                ceil_i32(ratio * ready as f64)
            };
            Ok((proposal, value as f64 / 1000.0))
        }
        MetricTarget::AverageValue(target) => {
            let status = obs.status_replicas;
            let ratio = value as f64 / (target as f64 * f64::from(status));
            let proposal = if tol.is_within(ratio) {
                status
            } else {
                ceil_i32(value as f64 / target as f64)
            };
            let per_pod = if status > 0 {
                (value as f64 / f64::from(status)).ceil()
            } else {
                value as f64
            };
            Ok((proposal, per_pod / 1000.0))
        }
        MetricTarget::Utilization(_) => {
            Err("invalid metric: a Utilization target needs a Resource metric".into())
        }
    }
}

#[cfg(test)]
#[path = "calc_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "calc_missing_tests.rs"]
mod missing_tests;
