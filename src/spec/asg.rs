//! The validated settings of an Auto Scaling group and its dynamic scaling policies.
//!
//! These mirror the EC2 Auto Scaling API (`PutScalingPolicy`) and the
//! CloudWatch alarm API (`PutMetricAlarm`) closely enough that a real
//! policy can be written down field for field; times are nanoseconds.
//! [`describe`] writes an adjustment as reasons and errors show it (`+1`).

use crate::units::{NANOS_PER_SEC, Nanos};

/// Default cooldown of a group: 300 s.
///
/// "DefaultCooldown … Only needed if you use simple scaling policies …
/// Default: 300 seconds" (EC2 Auto Scaling API reference,
/// `CreateAutoScalingGroup`).
pub const DEFAULT_COOLDOWN_NS: Nanos = 300 * NANOS_PER_SEC;

/// While an alarm stays in ALARM, its Auto Scaling action is invoked again once a minute.
///
/// "an alarm invokes an Auto Scaling action once each minute when the alarm
/// remains in a new state, regardless of the configured time period"
/// (AWS re:Post knowledge center, "Why doesn't my CloudWatch alarm's state
/// change invoke my Amazon EC2 Auto Scaling policy?"; CloudWatch user guide,
/// "Alarm actions": "Except for Auto Scaling actions, the actions happen only
/// on state transitions").
pub const ALARM_REINVOKE_NS: Nanos = 60 * NANOS_PER_SEC;

/// Period of the alarms target tracking creates: one minute.
pub const TARGET_TRACKING_PERIOD_NS: Nanos = 60 * NANOS_PER_SEC;

/// Datapoints (of as many one-minute periods) the target-tracking high alarm needs: 3.
///
/// AWS creates and manages these alarms; with one-minute metrics they fire
/// on "three consecutive breaching datapoints to trigger scale-out, fifteen
/// to trigger scale-in" (the cadence AWS used for all target tracking
/// policies until the November 2024 "highly responsive" update; see
/// `docs/asg.md` for that simplification).
pub const TARGET_TRACKING_HIGH_DATAPOINTS: u32 = 3;

/// Datapoints (of as many one-minute periods) the target-tracking low alarm needs: 15.
pub const TARGET_TRACKING_LOW_DATAPOINTS: u32 = 15;

/// The target-tracking low alarm fires below this fraction of the target: 0.9.
///
/// AWS: the policy removes capacity only when utilization is below the target
/// "usually more than 10% lower" (Application Auto Scaling user guide, "How
/// target tracking works"); the alarm AWS creates for a target of 50 has
/// threshold 45.
pub const TARGET_TRACKING_LOW_FRACTION: f64 = 0.9;

/// A metric the group's alarms and target tracking can watch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// `AWS/EC2 CPUUtilization` by group: each InService instance's average
    /// CPU busy percentage (0–100) over a period, one datapoint per instance.
    CpuUtilization,
    /// `AWS/ApplicationELB RequestCountPerTarget` (`ALBRequestCountPerTarget`):
    /// requests the group received in a period divided by its instances, one
    /// datapoint per period. AWS only allows the `Sum` statistic on it.
    RequestCountPerTarget,
}

impl Metric {
    /// Every metric, in the order they are listed to users.
    pub const ALL: [Metric; 2] = [Metric::CpuUtilization, Metric::RequestCountPerTarget];

    /// The name users write in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Metric::CpuUtilization => "cpu_utilization",
            Metric::RequestCountPerTarget => "request_count_per_target",
        }
    }

    /// The metric named `name` in scenario files.
    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The statistic an alarm uses when none is given: `Average` for CPU, `Sum` for request counts.
    pub fn default_statistic(self) -> Statistic {
        match self {
            Metric::CpuUtilization => Statistic::Average,
            Metric::RequestCountPerTarget => Statistic::Sum,
        }
    }
}

/// How an alarm reduces the datapoints of one period to one value (CloudWatch statistics).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statistic {
    /// Sum ÷ sample count.
    Average,
    /// Total of the datapoints.
    Sum,
    /// Smallest datapoint.
    Minimum,
    /// Largest datapoint.
    Maximum,
    /// Number of datapoints.
    SampleCount,
}

/// How a period's value is compared with the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `GreaterThanThreshold`.
    Greater,
    /// `GreaterThanOrEqualToThreshold`.
    GreaterOrEqual,
    /// `LessThanThreshold`.
    Less,
    /// `LessThanOrEqualToThreshold`.
    LessOrEqual,
}

impl Comparison {
    /// Whether `value` breaches `threshold`.
    pub fn breaches(self, value: f64, threshold: f64) -> bool {
        match self {
            Comparison::Greater => value > threshold,
            Comparison::GreaterOrEqual => value >= threshold,
            Comparison::Less => value < threshold,
            Comparison::LessOrEqual => value <= threshold,
        }
    }

    /// Whether the alarm fires when the metric is high (scale-out style alarms).
    pub fn is_upper(self) -> bool {
        matches!(self, Comparison::Greater | Comparison::GreaterOrEqual)
    }

    /// The operator as written in reasons (`>`, `>=`, `<`, `<=`).
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Greater => ">",
            Comparison::GreaterOrEqual => ">=",
            Comparison::Less => "<",
            Comparison::LessOrEqual => "<=",
        }
    }
}

/// A CloudWatch metric alarm on a group metric.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmSpec {
    /// The metric watched.
    pub metric: Metric,
    /// The statistic over each period.
    pub statistic: Statistic,
    /// Length of one period: 10, 20 or 30 s, or a multiple of 60 s.
    pub period_ns: Nanos,
    /// N: how many of the latest periods are looked at.
    pub evaluation_periods: u32,
    /// M: how many of those must breach for ALARM (M ≤ N).
    pub datapoints_to_alarm: u32,
    /// How a period's value is compared with the threshold.
    pub comparison: Comparison,
    /// The threshold, in the metric's unit (percent for CPU).
    pub threshold: f64,
}

/// How a scaling adjustment is read (`AdjustmentType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdjustmentType {
    /// Add the adjustment to the current capacity.
    ChangeInCapacity,
    /// Add this percentage of the current capacity.
    PercentChangeInCapacity,
    /// Set the capacity to the adjustment.
    ExactCapacity,
}

/// Adjustments as written in reasons: `+1`, `-10%`, `=4`.
pub fn describe(kind: AdjustmentType, value: i64) -> String {
    match kind {
        AdjustmentType::ChangeInCapacity => format!("{value:+}"),
        AdjustmentType::PercentChangeInCapacity => format!("{value:+}%"),
        AdjustmentType::ExactCapacity => format!("={value}"),
    }
}

/// A scaling adjustment: a type and a signed amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Adjustment {
    /// How `value` is read.
    pub kind: AdjustmentType,
    /// Instances, percent, or the exact capacity.
    pub value: i64,
}

/// One step of a step scaling policy; bounds are relative to the alarm threshold.
///
/// "The lower bound for the difference between the alarm threshold and the
/// CloudWatch metric. If the metric value is above the breach threshold, the
/// lower bound is inclusive … Otherwise, it is exclusive" and the reverse for
/// the upper bound; a missing bound is infinite (EC2 Auto Scaling API
/// reference, `StepAdjustment`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepAdjustment {
    /// `MetricIntervalLowerBound`; `None` is −∞.
    pub lower: Option<f64>,
    /// `MetricIntervalUpperBound`; `None` is +∞.
    pub upper: Option<f64>,
    /// `ScalingAdjustment`, read per the policy's adjustment type.
    pub adjustment: i64,
}

/// What a policy does.
#[derive(Debug, Clone, PartialEq)]
pub enum PolicyKind {
    /// Simple scaling: one adjustment when the alarm fires, then a cooldown.
    Simple {
        /// The alarm that invokes the policy.
        alarm: AlarmSpec,
        /// The adjustment.
        adjustment: Adjustment,
        /// `MinAdjustmentMagnitude` (percent adjustments only).
        min_adjustment_magnitude: Option<u32>,
        /// The policy's own cooldown; the group's default when `None`.
        cooldown_ns: Option<Nanos>,
    },
    /// Step scaling: the adjustment depends on how far the metric is past the threshold.
    Step {
        /// The alarm that invokes the policy.
        alarm: AlarmSpec,
        /// How every step's adjustment is read.
        adjustment_type: AdjustmentType,
        /// The steps; validated to neither overlap nor leave gaps.
        steps: Vec<StepAdjustment>,
        /// `MinAdjustmentMagnitude` (percent adjustments only).
        min_adjustment_magnitude: Option<u32>,
        /// `EstimatedInstanceWarmup`; the group's default when `None`.
        instance_warmup_ns: Option<Nanos>,
    },
    /// Target tracking: keep the metric near `target`.
    TargetTracking {
        /// The metric tracked.
        metric: Metric,
        /// The target value (percent for CPU, requests per instance per minute).
        target: f64,
        /// Whether the policy never removes capacity.
        disable_scale_in: bool,
        /// `EstimatedInstanceWarmup`; the group's default when `None`.
        instance_warmup_ns: Option<Nanos>,
    },
}

/// A named dynamic scaling policy.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicySpec {
    /// Unique name, used in reasons.
    pub name: String,
    /// What the policy does.
    pub kind: PolicyKind,
}

/// An Auto Scaling group's size limits and policies.
#[derive(Debug, Clone, PartialEq)]
pub struct AsgSpec {
    /// `MinSize`.
    pub min: u32,
    /// `MaxSize`.
    pub max: u32,
    /// `DesiredCapacity` at the start (`min` when not given).
    pub desired: u32,
    /// The policies, in file order.
    pub policies: Vec<PolicySpec>,
    /// `DefaultCooldown` (simple scaling only).
    pub default_cooldown_ns: Nanos,
    /// `DefaultInstanceWarmup`, when enabled.
    pub default_instance_warmup_ns: Option<Nanos>,
}

impl AsgSpec {
    /// The warm-up a step or target-tracking policy uses when it sets none.
    ///
    /// "If you don't set a default instance warmup … target tracking and step
    /// scaling policies … use the value set for the default cooldown as the
    /// default warm-up time" (EC2 Auto Scaling user guide, "Set the default
    /// instance warmup for an Auto Scaling group").
    pub fn policy_warmup_ns(&self, own: Option<Nanos>) -> Nanos {
        own.or(self.default_instance_warmup_ns)
            .unwrap_or(self.default_cooldown_ns)
    }

    /// How long after reaching InService an instance is left out of the group's metrics.
    ///
    /// "When default instance warmup is not enabled, each instance starts
    /// contributing usage data to the aggregated metrics as soon as the
    /// instance reaches the InService state" (same page); when it is enabled,
    /// only after the warm-up.
    pub fn metric_warmup_ns(&self) -> Nanos {
        self.default_instance_warmup_ns.unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjustments_describe_themselves() {
        assert_eq!(describe(AdjustmentType::ChangeInCapacity, 1), "+1");
        assert_eq!(describe(AdjustmentType::ChangeInCapacity, -1), "-1");
        assert_eq!(
            describe(AdjustmentType::PercentChangeInCapacity, -10),
            "-10%"
        );
        assert_eq!(describe(AdjustmentType::ExactCapacity, 4), "=4");
    }
}
