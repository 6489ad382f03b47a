//! Fields that node groups (`cluster.node_groups`) and Karpenter pools
//! (`cluster.node_pools`) share: discounts, zones, taints and their effects,
//! unknown instance types, spot interruption rates. A leaf, so that
//! [`super::cluster`] and [`super::karpenter`] need not import each other.

use super::Ctx;
use crate::error::InputError;
use crate::scenario::raw::common::RawTaint;
use crate::spec::catalog;
use crate::spec::resources::{Taint, TaintEffect};
use serde_saphyr::Spanned;

/// A discount off on-demand (0–100 %) as a share (0–1).
pub(super) fn discount_share(
    ctx: &Ctx,
    d: &Spanned<crate::units::Percent>,
    path: String,
) -> Result<f64, InputError> {
    if !(0.0..=100.0).contains(&d.value.0) {
        return Err(ctx
            .err(
                &d.referenced,
                path,
                format!("expected a discount from 0% to 100%, found {}%", d.value.0),
            )
            .with_hint("the share taken off the on-demand price"));
    }
    Ok(d.value.0 / 100.0)
}

/// `zones:` of a node group or pool under `p` (default a, b, c).
pub(super) fn zones(
    ctx: &Ctx,
    p: &str,
    raw: Option<&Spanned<Vec<String>>>,
) -> Result<Vec<String>, InputError> {
    match raw {
        Some(z) if z.value.is_empty() => Err(ctx
            .err(
                &z.referenced,
                format!("{p}.zones"),
                "expected at least one zone",
            )
            .with_hint("for example zones: [a, b, c]")),
        Some(z) => Ok(z.value.iter().map(|s| s.trim().to_string()).collect()),
        None => Ok(vec!["a".into(), "b".into(), "c".into()]),
    }
}

/// `taints:` of a node group or pool under `p`.
pub(super) fn taints(
    ctx: &Ctx,
    p: &str,
    raw: Option<&[Spanned<RawTaint>]>,
) -> Result<Vec<Taint>, InputError> {
    let mut taints = Vec::new();
    for (j, t) in raw.into_iter().flatten().enumerate() {
        taints.push(Taint {
            key: t.value.key.clone(),
            value: t.value.value.clone().unwrap_or_default(),
            effect: effect(ctx, &format!("{p}.taints[{j}].effect"), &t.value.effect)?,
        });
    }
    Ok(taints)
}

/// The error for an instance type that is neither built in nor defined, with a did-you-mean.
pub(super) fn unknown_type(
    ctx: &Ctx,
    at: &serde_saphyr::Location,
    path: String,
    name: &str,
) -> InputError {
    let hint = match catalog::did_you_mean(name) {
        Some(close) => format!(
            "did you mean {close}? `capsim catalog` lists the built-in types; define others under cluster.instance_types"
        ),
        None => {
            "`capsim catalog` lists the built-in types; define others under cluster.instance_types"
                .to_string()
        }
    };
    ctx.err(
        at,
        path,
        format!("expected a known instance type, found \"{name}\""),
    )
    .with_hint(hint)
}

/// An interruption rate per node-hour: an Advisor band (`"5-10%"` a month), a monthly share or `"0.002/h"`.
pub(super) fn interruption_rate(text: &str) -> Result<f64, String> {
    crate::spec::interruption::parse_interruption_rate(text).map(|r| r.lambda_per_hour())
}

/// A taint `effect:` at `path`, as Kubernetes writes it.
pub(super) fn effect(
    ctx: &Ctx,
    path: &str,
    raw: &Spanned<String>,
) -> Result<TaintEffect, InputError> {
    match raw.value.as_str() {
        "NoSchedule" => Ok(TaintEffect::NoSchedule),
        "PreferNoSchedule" => Ok(TaintEffect::PreferNoSchedule),
        "NoExecute" => Ok(TaintEffect::NoExecute),
        other => Err(ctx
            .err(
                &raw.referenced,
                path,
                format!("expected NoSchedule, PreferNoSchedule or NoExecute, found \"{other}\""),
            )
            .with_hint("taint effects are written as in Kubernetes")),
    }
}
