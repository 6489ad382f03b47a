//! The `steps` of a step scaling policy: AWS's interval rules and capsim's coverage rule.
//!
//! AWS: "The ranges of your step adjustments can't overlap or have a gap. At
//! most, one step adjustment can have a null lower bound. If one step
//! adjustment has a negative lower bound, then there must be a step
//! adjustment with a null lower bound. At most, one step adjustment can have
//! a null upper bound. If one step adjustment has a positive upper bound,
//! then there must be a step adjustment with a null upper bound. The upper
//! and lower bound can't be null in the same step adjustment" (EC2 Auto
//! Scaling API reference, `StepAdjustment`). capsim also requires the steps
//! to cover the whole breaching side of the threshold, [0, ∞) for `above`
//! alarms and (−∞, 0] for `below` ones, so that every breach has a step.

use super::super::Ctx;
use super::{adjust, bound};
use crate::error::InputError;
use crate::scenario::raw::asg::RawStepItem;
use crate::spec::asg::describe;
use crate::spec::asg::{AdjustmentType, AlarmSpec, StepAdjustment};
use serde_saphyr::Spanned;

/// Hint shared by the interval errors.
const STEPS_HINT: &str = "steps are intervals of (metric − threshold): each step's `from` is the previous step's `to`; leave `to` out on the last step of an above alarm, `from` out on the first step of a below alarm";

/// Checks the steps at path `p` for `alarm`; returns their common adjustment type and the steps, lowest first.
pub(super) fn steps(
    ctx: &Ctx,
    p: &str,
    raw: &Spanned<Vec<Spanned<RawStepItem>>>,
    alarm: &AlarmSpec,
) -> Result<(AdjustmentType, Vec<StepAdjustment>), InputError> {
    if raw.value.is_empty() {
        return Err(ctx
            .err(
                &raw.referenced,
                p.to_string(),
                "expected at least one step, found an empty list",
            )
            .with_hint("for example steps: [ { from: 0, adjust: +1 } ]"));
    }
    let mut items: Vec<(StepAdjustment, &Spanned<RawStepItem>, usize)> =
        Vec::with_capacity(raw.value.len());
    let mut kind = None;
    for (i, item) in raw.value.iter().enumerate() {
        let ip = format!("{p}[{i}]");
        let r = &item.value;
        let a = adjust(ctx, &format!("{ip}.adjust"), &r.adjust)?;
        let first = *kind.get_or_insert(a.kind);
        if a.kind != first {
            return Err(ctx
                .err(
                    &r.adjust.referenced,
                    format!("{ip}.adjust"),
                    format!(
                        "expected the same kind of adjustment as the first step ({}), found {}",
                        describe(first, 1),
                        describe(a.kind, a.value)
                    ),
                )
                .with_hint("a step policy adjusts by instances (+1), by percent (+10%) or to an exact capacity (=4) in every step"));
        }
        let lower = bound(ctx, &format!("{ip}.from"), &r.from, alarm.metric)?;
        let upper = bound(ctx, &format!("{ip}.to"), &r.to, alarm.metric)?;
        match (lower, upper) {
            (None, None) => {
                return Err(ctx
                    .err(&item.referenced, ip, "expected `from`, `to` or both; a step open at both ends leaves no room for others")
                    .with_hint("for a single step write from: 0 (above alarms) or to: 0 (below alarms)"));
            }
            (Some(l), Some(u)) if l >= u => {
                return Err(ctx
                    .err(
                        &r.to.as_ref().expect("given").referenced,
                        format!("{ip}.to"),
                        format!("expected `to` greater than `from` ({l}), found {u}"),
                    )
                    .with_hint(STEPS_HINT));
            }
            _ => {}
        }
        items.push((
            StepAdjustment {
                lower,
                upper,
                adjustment: a.value,
            },
            item,
            i,
        ));
    }
    items.sort_by(|a, b| {
        let key = |s: &StepAdjustment| s.lower.unwrap_or(f64::NEG_INFINITY);
        key(&a.0).total_cmp(&key(&b.0))
    });
    for pair in items.windows(2) {
        let (prev, (next, item, i)) = (&pair[0].0, &pair[1]);
        let ip = format!("{p}[{i}]");
        let msg = match (prev.upper, next.lower) {
            (None, _) => "expected at most one step without `to`".to_string(),
            (_, None) => "expected at most one step without `from`".to_string(),
            (Some(u), Some(l)) if l > u => format!(
                "expected this step to start at {u}, where the step below it ends; found from: {l}, a gap"
            ),
            (Some(u), Some(l)) if l < u => format!(
                "expected this step to start at {u}, where the step below it ends; found from: {l}, an overlap"
            ),
            _ => continue,
        };
        return Err(ctx.err(&item.referenced, ip, msg).with_hint(STEPS_HINT));
    }
    let (first, last) = (&items[0], &items[items.len() - 1]);
    let upper_alarm = alarm.comparison.is_upper();
    let problem = if upper_alarm && first.0.lower.is_some_and(|l| l > 0.0) {
        Some((
            first,
            format!(
                "expected the lowest step to start at 0 or below, found from: {}; an alarm above its threshold would match no step between 0 and there",
                first.0.lower.unwrap_or_default()
            ),
        ))
    } else if (upper_alarm || last.0.upper.is_some_and(|u| u > 0.0)) && last.0.upper.is_some() {
        Some((
            last,
            format!(
                "expected the highest step to leave out `to`, found to: {}",
                last.0.upper.unwrap_or_default()
            ),
        ))
    } else if !upper_alarm && last.0.upper.is_some_and(|u| u < 0.0) {
        Some((
            last,
            format!(
                "expected the highest step to end at 0 or above, found to: {}; an alarm below its threshold would match no step between there and 0",
                last.0.upper.unwrap_or_default()
            ),
        ))
    } else if (!upper_alarm || first.0.lower.is_some_and(|l| l < 0.0)) && first.0.lower.is_some() {
        Some((
            first,
            format!(
                "expected the lowest step to leave out `from`, found from: {}",
                first.0.lower.unwrap_or_default()
            ),
        ))
    } else {
        None
    };
    if let Some(((_, item, i), msg)) = problem {
        return Err(ctx
            .err(&item.referenced, format!("{p}[{i}]"), msg)
            .with_hint(STEPS_HINT));
    }
    Ok((
        kind.expect("at least one step"),
        items.into_iter().map(|(s, _, _)| s).collect(),
    ))
}
