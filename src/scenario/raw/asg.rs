//! The raw serde mirror of a service's `asg:` block (an EC2 Auto Scaling group).
//!
//! Like [`super`], these types follow the YAML one to one, reject
//! unknown keys and keep `Spanned` positions; [`super::validate`] checks the
//! relations (min ≤ max, M ≤ N, valid periods, step intervals) and builds a
//! [`crate::spec::asg::AsgSpec`]. The format is documented in `docs/asg.md`.

// Not read by `RawService` yet: the simulation milestone hooks `asg:` in; remove this then.

use super::common::Count;
use crate::spec::asg::{Adjustment, AdjustmentType};
use crate::units::Duration;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// `asg:` — an Auto Scaling group running one instance per replica.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAsg {
    /// `MinSize`.
    pub min: Spanned<Count>,
    /// `MaxSize`.
    pub max: Spanned<Count>,
    /// Desired capacity at the start; `min` when left out.
    #[serde(default)]
    pub desired: Option<Spanned<Count>>,
    /// `DefaultCooldown` for simple scaling (300s when left out).
    #[serde(default)]
    pub cooldown: Option<Spanned<Duration>>,
    /// `DefaultInstanceWarmup`; not enabled when left out.
    #[serde(default)]
    pub instance_warmup: Option<Spanned<Duration>>,
    /// The dynamic scaling policies.
    pub policies: Spanned<Vec<Spanned<RawPolicy>>>,
}

/// One policy: a name and exactly one of `simple`, `step`, `target_tracking`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    /// Unique within the group.
    pub name: Spanned<String>,
    /// A simple scaling policy.
    #[serde(default)]
    pub simple: Option<RawSimple>,
    /// A step scaling policy.
    #[serde(default)]
    pub step: Option<RawStep>,
    /// A target tracking policy.
    #[serde(default)]
    pub target_tracking: Option<RawTargetTracking>,
}

/// `simple: { alarm, adjust, cooldown, min_adjustment_magnitude }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSimple {
    /// The alarm that invokes the policy.
    pub alarm: Spanned<RawAlarm>,
    /// `+1`, `-1`, `+10%`, `=4`.
    pub adjust: Spanned<RawAdjust>,
    /// This policy's cooldown, instead of the group's.
    #[serde(default)]
    pub cooldown: Option<Spanned<Duration>>,
    /// Smallest change a percentage adjustment makes.
    #[serde(default)]
    pub min_adjustment_magnitude: Option<Spanned<Count>>,
}

/// `step: { alarm, steps, min_adjustment_magnitude, instance_warmup }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    /// The alarm that invokes the policy.
    pub alarm: Spanned<RawAlarm>,
    /// Intervals of (metric − threshold) and their adjustments.
    pub steps: Spanned<Vec<Spanned<RawStepItem>>>,
    /// Smallest change a percentage adjustment makes.
    #[serde(default)]
    pub min_adjustment_magnitude: Option<Spanned<Count>>,
    /// `EstimatedInstanceWarmup` of this policy.
    #[serde(default)]
    pub instance_warmup: Option<Spanned<Duration>>,
}

/// One step: `{ from, to, adjust }`, bounds relative to the alarm threshold.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStepItem {
    /// `MetricIntervalLowerBound`; −∞ when left out.
    #[serde(default)]
    pub from: Option<Spanned<RawNumber>>,
    /// `MetricIntervalUpperBound`; +∞ when left out.
    #[serde(default)]
    pub to: Option<Spanned<RawNumber>>,
    /// The step's adjustment.
    pub adjust: Spanned<RawAdjust>,
}

/// `target_tracking: { metric, target, disable_scale_in, instance_warmup }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTargetTracking {
    /// The metric tracked.
    pub metric: Spanned<String>,
    /// The value to keep it at.
    pub target: Spanned<RawNumber>,
    /// Never remove capacity.
    #[serde(default)]
    pub disable_scale_in: Option<bool>,
    /// `EstimatedInstanceWarmup` of this policy.
    #[serde(default)]
    pub instance_warmup: Option<Spanned<Duration>>,
}

/// `alarm: { metric, statistic, period, evaluation_periods, datapoints_to_alarm, above | at_or_above | below | at_or_below }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlarm {
    /// The metric watched.
    pub metric: Spanned<String>,
    /// The statistic per period; the metric's usual one when left out.
    #[serde(default)]
    pub statistic: Option<RawStatistic>,
    /// Period length: 10s, 20s, 30s or a multiple of 1m.
    pub period: Spanned<Duration>,
    /// N.
    pub evaluation_periods: Spanned<Count>,
    /// M; N when left out.
    #[serde(default)]
    pub datapoints_to_alarm: Option<Spanned<Count>>,
    /// Threshold for `>`.
    #[serde(default)]
    pub above: Option<Spanned<RawNumber>>,
    /// Threshold for `>=`.
    #[serde(default)]
    pub at_or_above: Option<Spanned<RawNumber>>,
    /// Threshold for `<`.
    #[serde(default)]
    pub below: Option<Spanned<RawNumber>>,
    /// Threshold for `<=`.
    #[serde(default)]
    pub at_or_below: Option<Spanned<RawNumber>>,
}

/// CloudWatch statistics.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawStatistic {
    Average,
    Sum,
    Minimum,
    Maximum,
    SampleCount,
}

/// A number, optionally written as a percentage (`70%` or `70`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawNumber {
    /// The number (70 for `70%`).
    pub value: f64,
    /// Whether it was written with `%`.
    pub percent: bool,
}

impl<'de> Deserialize<'de> for RawNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RawNumber;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number such as 70 or 70%")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawNumber, E> {
                if v.is_finite() {
                    Ok(RawNumber {
                        value: v,
                        percent: false,
                    })
                } else {
                    Err(E::custom(format!(
                        "expected a finite number, found {v}\nhint: write a plain number such as 70, or a percentage such as 70%"
                    )))
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawNumber, E> {
                self.visit_f64(v as f64)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawNumber, E> {
                self.visit_f64(v as f64)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawNumber, E> {
                let t = v.trim();
                let (digits, percent) = match t.strip_suffix('%') {
                    Some(d) => (d.trim(), true),
                    None => (t, false),
                };
                match digits.parse::<f64>() {
                    Ok(n) if n.is_finite() => Ok(RawNumber { value: n, percent }),
                    _ => Err(E::custom(format!(
                        "expected a number such as 70 or 70%, found \"{v}\"\nhint: write a plain number, or a percentage for CPU such as 70%"
                    ))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// A scaling adjustment: `+2` / `-1` (instances), `+10%` / `-25%` (percent of capacity), `=4` (exact).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawAdjust(pub Adjustment);

/// Hint shared by every adjustment error.
const ADJUST_HINT: &str = "write +2 or -1 to add or remove instances, +10% or -25% for a share of the current capacity, =4 for an exact capacity";

impl<'de> Deserialize<'de> for RawAdjust {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RawAdjust;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an adjustment such as +1, -1, +10% or =4")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawAdjust, E> {
                Ok(RawAdjust(Adjustment {
                    kind: AdjustmentType::ChangeInCapacity,
                    value: v,
                }))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawAdjust, E> {
                i64::try_from(v)
                    .map_err(|_| E::custom(format!("expected a smaller adjustment, found {v}")))
                    .and_then(|v| self.visit_i64(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawAdjust, E> {
                Err(E::custom(format!(
                    "expected a whole number of instances, found {v}\nhint: {ADJUST_HINT}"
                )))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawAdjust, E> {
                parse_adjust(v).map(RawAdjust).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses `+2`, `-1`, `+10%`, `-25%` or `=4`.
pub fn parse_adjust(text: &str) -> Result<Adjustment, String> {
    let t = text.trim();
    let fail = || {
        format!(
            "expected an adjustment such as +1, -1, +10% or =4, found \"{text}\"\nhint: {ADJUST_HINT}"
        )
    };
    let (kind, digits) = if let Some(rest) = t.strip_prefix('=') {
        (AdjustmentType::ExactCapacity, rest.trim())
    } else if let Some(rest) = t.strip_suffix('%') {
        (AdjustmentType::PercentChangeInCapacity, rest.trim())
    } else {
        (AdjustmentType::ChangeInCapacity, t)
    };
    // One sign at most, then digits only: "++1" and "+-1" are refused
    // (`i64::from_str` would take the second sign as the number's own).
    let (negative, magnitude) = match digits.as_bytes().first() {
        Some(b'+') => (false, &digits[1..]),
        Some(b'-') => (true, &digits[1..]),
        _ => (false, digits),
    };
    if magnitude.is_empty() || !magnitude.bytes().all(|b| b.is_ascii_digit()) {
        return Err(fail());
    }
    let value: i64 = magnitude.parse().map_err(|_| fail())?;
    Ok(Adjustment {
        kind,
        value: if negative { -value } else { value },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjustments_parse() {
        let a = |kind, value| Ok(Adjustment { kind, value });
        assert_eq!(parse_adjust("+1"), a(AdjustmentType::ChangeInCapacity, 1));
        assert_eq!(parse_adjust("-3"), a(AdjustmentType::ChangeInCapacity, -3));
        assert_eq!(
            parse_adjust("+10%"),
            a(AdjustmentType::PercentChangeInCapacity, 10)
        );
        assert_eq!(
            parse_adjust("-25%"),
            a(AdjustmentType::PercentChangeInCapacity, -25)
        );
        assert_eq!(parse_adjust("=4"), a(AdjustmentType::ExactCapacity, 4));
        for bad in [
            "",
            "+",
            "1.5",
            "ten",
            "=+",
            "+1 instance",
            "%",
            "++1",
            "+-1",
            "--1",
            "-+1",
            "=+-4",
            "+-10%",
            "+ 1",
        ] {
            assert!(parse_adjust(bad).unwrap_err().contains("hint:"), "{bad}");
        }
    }
}
