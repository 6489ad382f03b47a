//! Capacity arithmetic: applying an adjustment, rounding percentages, choosing a step.

use crate::spec::asg::{Adjustment, AdjustmentType, StepAdjustment};

/// The change in instances a `PercentChangeInCapacity` of `percent` makes to `current`.
///
/// AWS rounds the fractional result toward zero but never to zero: "Values
/// greater than 1 are rounded down. For example, 12.7 is rounded to 12.
/// Values between 0 and 1 are rounded to 1. Values between 0 and -1 are
/// rounded to -1. Values less than -1 are rounded up. For example, -6.67 is
/// rounded to -6" (EC2 Auto Scaling user guide, "Step and simple scaling
/// policies", scaling adjustment types; the same rule appears in the worked
/// example "30 percent of 11, 3.3, rounded down to 3").
pub fn percent_change(current: u32, percent: i64) -> i64 {
    let product = i128::from(current) * i128::from(percent);
    // Integer division truncates toward zero, which is AWS's rounding for |x| ≥ 1.
    let truncated = (product / 100) as i64;
    if truncated == 0 && product != 0 {
        product.signum() as i64
    } else {
        truncated
    }
}

/// The capacity `adjustment` asks for, starting from `current`, before min/max clamping.
///
/// `MinAdjustmentMagnitude` raises the size of a percentage change: "If the
/// group has 4 instances and the scaling policy is performed, 25 percent of 4
/// is 1. However, because you specified a MinAdjustmentMagnitude of 2, Amazon
/// EC2 Auto Scaling scales out the group by 2 instances" (EC2 Auto Scaling
/// API reference, `PutScalingPolicy`). It is ignored for other types.
pub fn apply(current: u32, adjustment: Adjustment, min_magnitude: Option<u32>) -> i64 {
    let current_i = i64::from(current);
    match adjustment.kind {
        AdjustmentType::ChangeInCapacity => current_i.saturating_add(adjustment.value),
        AdjustmentType::ExactCapacity => adjustment.value,
        AdjustmentType::PercentChangeInCapacity => {
            let mut change = percent_change(current, adjustment.value);
            if let Some(m) = min_magnitude.map(i64::from)
                && change != 0
                && change.abs() < m
            {
                change = change.signum() * m;
            }
            current_i.saturating_add(change)
        }
    }
}

/// Clamps a requested capacity into the group's `[min, max]`.
///
/// "A scaling adjustment can't change the capacity of the group above the
/// maximum group size or below the minimum group size" (EC2 Auto Scaling
/// user guide, "Step and simple scaling policies").
pub fn clamp(requested: i64, min: u32, max: u32) -> u32 {
    requested.clamp(i64::from(min), i64::from(max)) as u32
}

/// The step whose interval holds `breach` (= metric − threshold).
///
/// For an alarm that fires above its threshold the lower bound is inclusive
/// and the upper bound exclusive; for one that fires below, the reverse
/// (EC2 Auto Scaling API reference, `StepAdjustment`).
pub fn select_step(
    steps: &[StepAdjustment],
    breach: f64,
    upper_alarm: bool,
) -> Option<&StepAdjustment> {
    steps.iter().find(|s| {
        if upper_alarm {
            s.lower.is_none_or(|l| breach >= l) && s.upper.is_none_or(|u| breach < u)
        } else {
            s.lower.is_none_or(|l| breach > l) && s.upper.is_none_or(|u| breach <= u)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(value: i64) -> Adjustment {
        Adjustment {
            kind: AdjustmentType::ChangeInCapacity,
            value,
        }
    }

    fn percent(value: i64) -> Adjustment {
        Adjustment {
            kind: AdjustmentType::PercentChangeInCapacity,
            value,
        }
    }

    #[test]
    fn percent_rounding_follows_aws() {
        // 10 % of 127 = 12.7 → 12; 10 % of 5 = 0.5 → 1.
        assert_eq!(percent_change(127, 10), 12);
        assert_eq!(percent_change(5, 10), 1);
        // −(2/3) of 10 = −6.67 → −6; −10 % of 5 = −0.5 → −1.
        assert_eq!(percent_change(10, -67), -6);
        assert_eq!(percent_change(5, -10), -1);
        // AWS's worked example: +30 % of 11 = 3.3 → 3; −10 % of 14 = −1.4 → −1.
        assert_eq!(percent_change(11, 30), 3);
        assert_eq!(percent_change(14, -10), -1);
        // Exact results stay exact; nothing of nothing is nothing.
        assert_eq!(percent_change(20, 50), 10);
        assert_eq!(percent_change(0, 50), 0);
        assert_eq!(percent_change(8, 0), 0);
    }

    #[test]
    fn min_adjustment_magnitude_only_widens_percentages() {
        // AWS's example: 25 % of 4 = 1, MinAdjustmentMagnitude 2 → +2.
        assert_eq!(apply(4, percent(25), Some(2)), 6);
        assert_eq!(apply(4, percent(-25), Some(2)), 2);
        // Already large enough: unchanged.
        assert_eq!(apply(40, percent(25), Some(2)), 50);
        // Not a percentage: ignored.
        assert_eq!(apply(4, change(1), Some(3)), 5);
    }

    #[test]
    fn exact_and_change_and_clamping() {
        let exact = Adjustment {
            kind: AdjustmentType::ExactCapacity,
            value: 7,
        };
        assert_eq!(apply(3, exact, None), 7);
        assert_eq!(apply(3, change(-5), None), -2);
        assert_eq!(clamp(-2, 2, 20), 2);
        assert_eq!(clamp(25, 2, 20), 20);
        assert_eq!(clamp(9, 2, 20), 9);
    }

    #[test]
    fn steps_use_aws_bound_inclusivity() {
        // Threshold 50; AWS's example: [0, 10) → +1 above, (−10, 0] → −1 below.
        let out = [
            StepAdjustment {
                lower: Some(0.0),
                upper: Some(10.0),
                adjustment: 1,
            },
            StepAdjustment {
                lower: Some(10.0),
                upper: None,
                adjustment: 3,
            },
        ];
        assert_eq!(select_step(&out, 0.0, true).unwrap().adjustment, 1);
        assert_eq!(select_step(&out, 9.99, true).unwrap().adjustment, 1);
        assert_eq!(select_step(&out, 10.0, true).unwrap().adjustment, 3);
        assert_eq!(select_step(&out, 500.0, true).unwrap().adjustment, 3);
        assert!(select_step(&out, -0.1, true).is_none());
        let inn = [
            StepAdjustment {
                lower: Some(-10.0),
                upper: Some(0.0),
                adjustment: -1,
            },
            StepAdjustment {
                lower: None,
                upper: Some(-10.0),
                adjustment: -2,
            },
        ];
        assert_eq!(select_step(&inn, 0.0, false).unwrap().adjustment, -1);
        assert_eq!(select_step(&inn, -10.0, false).unwrap().adjustment, -2);
        assert_eq!(select_step(&inn, -9.9, false).unwrap().adjustment, -1);
        assert_eq!(select_step(&inn, -45.0, false).unwrap().adjustment, -2);
    }
}
