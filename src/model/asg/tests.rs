//! Scenario tests of the controller with hand-computed expectations.
//!
//! A tiny stand-in for the simulation ([`Group`]) launches instances that
//! reach InService after a boot time and terminates the newest first; each
//! test gives the CPU every InService instance reports per minute.

use super::*;
use crate::spec::asg::*;
use crate::units::{NANOS_PER_SEC, Nanos};

const MIN: Nanos = 60 * NANOS_PER_SEC;

fn cpu_alarm(comparison: Comparison, threshold: f64, m: u32, n: u32) -> AlarmSpec {
    AlarmSpec {
        metric: Metric::CpuUtilization,
        statistic: Statistic::Average,
        period_ns: MIN,
        evaluation_periods: n,
        datapoints_to_alarm: m,
        comparison,
        threshold,
    }
}

fn change(value: i64) -> Adjustment {
    Adjustment {
        kind: AdjustmentType::ChangeInCapacity,
        value,
    }
}

fn simple(name: &str, alarm: AlarmSpec, adjustment: Adjustment) -> PolicySpec {
    PolicySpec {
        name: name.into(),
        kind: PolicyKind::Simple {
            alarm,
            adjustment,
            min_adjustment_magnitude: None,
            cooldown_ns: None,
        },
    }
}

fn group(min: u32, max: u32, desired: u32, policies: Vec<PolicySpec>) -> AsgSpec {
    AsgSpec {
        min,
        max,
        desired,
        policies,
        default_cooldown_ns: DEFAULT_COOLDOWN_NS,
        default_instance_warmup_ns: None,
    }
}

/// The seed-003 rule: CPU > 70 % for 5 min → +1, CPU < 30 % for 10 min → −1, min 2, max 20.
fn seed_003() -> AsgSpec {
    group(
        2,
        20,
        2,
        vec![
            simple(
                "scale-out",
                cpu_alarm(Comparison::Greater, 70.0, 5, 5),
                change(1),
            ),
            simple(
                "scale-in",
                cpu_alarm(Comparison::Less, 30.0, 10, 10),
                change(-1),
            ),
        ],
    )
}

/// A stand-in simulation: instances boot for `boot_ns`, then report the CPU the test gives.
struct Group {
    ctl: AsgController,
    desired: u32,
    boot_ns: Nanos,
    /// In-service-since times of InService instances, oldest first.
    in_service: Vec<Nanos>,
    /// Ready times of pending instances.
    pending: Vec<Nanos>,
}

impl Group {
    fn new(spec: &AsgSpec, boot_ns: Nanos) -> Self {
        Group {
            ctl: AsgController::new(spec),
            desired: spec.desired,
            boot_ns,
            in_service: vec![0; spec.desired as usize],
            pending: Vec::new(),
        }
    }

    /// Runs minutes `1..=minutes.len()` with each InService instance at `cpu(minute)` percent;
    /// returns (minute, new desired) for every action.
    fn run(&mut self, first_minute: u64, cpu: &[f64]) -> Vec<(u64, u32)> {
        let mut out = Vec::new();
        for (i, &c) in cpu.iter().enumerate() {
            let minute = first_minute + i as u64;
            let now = minute * MIN;
            let (ready, still): (Vec<Nanos>, Vec<Nanos>) =
                self.pending.iter().partition(|&&t| t <= now);
            self.in_service.extend(ready);
            self.pending = still;
            let samples: Vec<InstanceSample> = self
                .in_service
                .iter()
                .map(|&since| InstanceSample {
                    in_service_since_ns: since,
                    cpu_utilization_percent: c,
                    request_count: 0.0,
                })
                .collect();
            let obs = GroupObservation {
                desired: self.desired,
                pending: self.pending.len() as u32,
                instances: &samples,
            };
            if let Some(a) = self.ctl.evaluate(now, &obs) {
                assert!(!a.reason.is_empty());
                while (self.in_service.len() + self.pending.len()) < a.desired as usize {
                    self.pending.push(now + self.boot_ns);
                }
                while (self.in_service.len() + self.pending.len()) > a.desired as usize {
                    if self.pending.pop().is_none() {
                        self.in_service.pop();
                    }
                }
                self.desired = a.desired;
                out.push((minute, a.desired));
            }
        }
        out
    }
}

#[test]
fn seed_003_adds_one_at_minute_five_and_removes_one_after_ten_low_minutes() {
    let spec = seed_003();
    let mut g = Group::new(&spec, MIN);
    assert_eq!(g.ctl.evaluation_period_ns(), MIN);
    // Minutes 1–5 at 85 %: the 5-of-5 alarm fires at the end of minute 5, not before.
    assert_eq!(g.run(1, &[85.0; 5]), vec![(5, 3)]);
    // Minutes 6–15 at 10 %: the 10-of-10 alarm fires at minute 15. The cooldown
    // (instance InService at minute 6, +300 s = minute 11) is long over.
    assert_eq!(g.run(6, &[10.0; 10]), vec![(15, 2)]);
    // At min size, the scale-in alarm keeps firing but changes nothing.
    assert_eq!(g.run(16, &[10.0; 10]), vec![]);
}

#[test]
fn simple_cooldown_blocks_until_activity_done_plus_cooldown() {
    let mut g = Group::new(&seed_003(), MIN);
    // Sustained 85 %: +1 at 5; the instance is InService at 6, cooldown to 11;
    // the alarm is re-invoked every minute, so +1 at 11, then at 17.
    assert_eq!(g.run(1, &[85.0; 20]), vec![(5, 3), (11, 4), (17, 5)]);
}

#[test]
fn simple_cooldown_after_scale_in_starts_at_once() {
    let mut spec = seed_003();
    spec.desired = 4;
    let mut g = Group::new(&spec, MIN);
    // −1 at minute 10; cooldown 300 s → next −1 at 15; then at min (2) nothing.
    assert_eq!(g.run(1, &[10.0; 25]), vec![(10, 3), (15, 2)]);
}

#[test]
fn max_clamps_and_largest_capacity_wins() {
    let alarm = cpu_alarm(Comparison::Greater, 70.0, 1, 1);
    let mut spec = group(
        2,
        20,
        17,
        vec![
            simple("small", alarm.clone(), change(1)),
            simple("big", alarm, change(5)),
        ],
    );
    spec.default_cooldown_ns = 0;
    let mut g = Group::new(&spec, 0);
    // Both fire at minute 1: the larger capacity (17 + 5 = 22, clamped to 20) wins.
    assert_eq!(g.run(1, &[90.0; 3]), vec![(1, 20)]);
}

fn step_policy(
    alarm: AlarmSpec,
    kind: AdjustmentType,
    steps: &[(Option<f64>, Option<f64>, i64)],
) -> PolicySpec {
    PolicySpec {
        name: "steps".into(),
        kind: PolicyKind::Step {
            alarm,
            adjustment_type: kind,
            steps: steps
                .iter()
                .map(|&(lower, upper, adjustment)| StepAdjustment {
                    lower,
                    upper,
                    adjustment,
                })
                .collect(),
            min_adjustment_magnitude: None,
            instance_warmup_ns: Some(5 * MIN),
        },
    }
}

#[test]
fn step_scale_out_respects_warmup_and_adds_only_the_difference() {
    let out = step_policy(
        cpu_alarm(Comparison::GreaterOrEqual, 60.0, 1, 1),
        AdjustmentType::ChangeInCapacity,
        &[
            (Some(0.0), Some(10.0), 1),
            (Some(10.0), Some(20.0), 2),
            (Some(20.0), None, 3),
        ],
    );
    let mut g = Group::new(&group(2, 50, 10, vec![out]), 2 * MIN);
    // 1: 65 % → step +1 → 11 (launched at 1, InService at 3, warm until 8).
    // 2: 65 % again: 1 warming, base 10 + 1 = 11, no change.
    // 3: 75 % → step +2: base 10 + 2 = 12 → adds the difference (InService 5, warm until 10).
    // 4–9: 65 %: base ≤ 11, + 1 ≤ 12, no change. 10: nothing warming, 12 + 1 = 13.
    let cpu = [65.0, 65.0, 75.0, 65.0, 65.0, 65.0, 65.0, 65.0, 65.0, 65.0];
    assert_eq!(g.run(1, &cpu), vec![(1, 11), (3, 12), (10, 13)]);
}

#[test]
fn negative_steps_scale_in_and_wait_for_warmup() {
    let inn = step_policy(
        cpu_alarm(Comparison::Less, 40.0, 1, 1),
        AdjustmentType::ChangeInCapacity,
        &[(Some(-10.0), Some(0.0), -1), (None, Some(-10.0), -2)],
    );
    let mut g = Group::new(&group(2, 20, 6, vec![inn]), 0);
    // 35 % (breach −5) → −1; 30 % (breach −10, upper inclusive) → −2; 20 % → −2 → 2 (min).
    assert_eq!(
        g.run(1, &[35.0, 30.0, 20.0, 20.0]),
        vec![(1, 5), (2, 3), (3, 2)]
    );
    // An instance still warming (InService 1 min ago, warm-up 5 min) blocks scale-in.
    let inn = step_policy(
        cpu_alarm(Comparison::Less, 40.0, 1, 1),
        AdjustmentType::ChangeInCapacity,
        &[(None, Some(0.0), -1)],
    );
    let mut g = Group::new(&group(2, 20, 6, vec![inn]), 0);
    g.in_service[5] = 4 * MIN;
    assert_eq!(g.run(5, &[20.0; 5]), vec![(9, 5)]);
}

#[test]
fn percent_steps_round_and_use_min_magnitude() {
    let mut p = step_policy(
        cpu_alarm(Comparison::Greater, 70.0, 1, 1),
        AdjustmentType::PercentChangeInCapacity,
        &[(Some(0.0), None, 50)],
    );
    if let PolicyKind::Step {
        min_adjustment_magnitude,
        instance_warmup_ns,
        ..
    } = &mut p.kind
    {
        *min_adjustment_magnitude = Some(2);
        *instance_warmup_ns = Some(0);
    }
    // 50 % of 3 = 1.5 → 1 → raised to 2 → 5; then 50 % of 5 = 2.5 → 2 → 7; then 50 % of 7 = 3.5 → 3 → 10 → max 9.
    let mut g = Group::new(&group(1, 9, 3, vec![p]), 0);
    assert_eq!(g.run(1, &[90.0; 4]), vec![(1, 5), (2, 7), (3, 9)]);
}

fn tt(target: f64, disable_scale_in: bool) -> PolicySpec {
    PolicySpec {
        name: "tt".into(),
        kind: PolicyKind::TargetTracking {
            metric: Metric::CpuUtilization,
            target,
            disable_scale_in,
            instance_warmup_ns: Some(2 * MIN),
        },
    }
}

#[test]
fn target_tracking_scales_out_proportionally_after_three_minutes_and_in_after_fifteen() {
    let mut g = Group::new(&group(2, 20, 4, vec![tt(50.0, false)]), MIN);
    // 80 % for 3 minutes: high alarm (3 of 3) at minute 3 → ceil(4 × 80 / 50) = ceil(6.4) = 7.
    // Minutes 4–5 at 80 %: the 3 new instances are pending or warming, base 4 → 7, no change.
    assert_eq!(g.run(1, &[80.0; 5]), vec![(3, 7)]);
    // 20 % from minute 6: low alarm (< 45, 15 of 15) at minute 20 → ceil(7 × 20 / 50) = 3.
    assert_eq!(g.run(6, &[20.0; 15]), vec![(20, 3)]);
    // Disabled scale-in: never removes.
    let mut g = Group::new(&group(2, 20, 4, vec![tt(50.0, true)]), MIN);
    assert_eq!(g.run(1, &[20.0; 30]), vec![]);
}

#[test]
fn target_tracking_near_target_does_nothing() {
    let mut g = Group::new(&group(2, 20, 4, vec![tt(50.0, false)]), MIN);
    // 46 %: below target, above 45 %: neither alarm.
    assert_eq!(g.run(1, &[46.0; 30]), vec![]);
}

#[test]
fn default_instance_warmup_leaves_young_instances_out_of_the_metric() {
    let alarm = cpu_alarm(Comparison::Greater, 70.0, 1, 1);
    let spec = |warmup| AsgSpec {
        default_instance_warmup_ns: warmup,
        ..group(1, 10, 3, vec![simple("out", alarm.clone(), change(1))])
    };
    let samples = [
        InstanceSample {
            in_service_since_ns: 0,
            cpu_utilization_percent: 90.0,
            request_count: 0.0,
        },
        InstanceSample {
            in_service_since_ns: 0,
            cpu_utilization_percent: 90.0,
            request_count: 0.0,
        },
        InstanceSample {
            in_service_since_ns: 9 * MIN,
            cpu_utilization_percent: 0.0,
            request_count: 0.0,
        },
    ];
    let obs = GroupObservation {
        desired: 3,
        pending: 0,
        instances: &samples,
    };
    // With a 5-minute default warm-up the young instance is left out: average 90 → +1.
    let mut with = AsgController::new(&spec(Some(5 * MIN)));
    assert_eq!(with.evaluate(10 * MIN, &obs).map(|a| a.desired), Some(4));
    // Without it, it counts: average 60 → nothing.
    let mut without = AsgController::new(&spec(None));
    assert_eq!(without.evaluate(10 * MIN, &obs), None);
}

#[test]
fn high_resolution_alarm_sets_a_ten_second_tick() {
    let mut a = cpu_alarm(Comparison::Greater, 70.0, 1, 1);
    a.period_ns = 10 * NANOS_PER_SEC;
    let ctl = AsgController::new(&group(1, 3, 1, vec![simple("hr", a, change(1))]));
    assert_eq!(ctl.evaluation_period_ns(), 10 * NANOS_PER_SEC);
    assert_eq!(ctl.alarm_states(), vec![vec![AlarmState::InsufficientData]]);
}

#[test]
fn reasons_name_policy_alarm_and_adjustment() {
    let mut g = Group::new(&seed_003(), MIN);
    let now = 5 * MIN;
    g.run(1, &[85.0; 4]);
    let samples = vec![
        InstanceSample {
            in_service_since_ns: 0,
            cpu_utilization_percent: 85.0,
            request_count: 0.0,
        };
        2
    ];
    let a = g
        .ctl
        .evaluate(
            now,
            &GroupObservation {
                desired: 2,
                pending: 0,
                instances: &samples,
            },
        )
        .unwrap();
    assert_eq!(
        a.reason,
        "policy scale-out (simple): alarm cpu_utilization average > 70 for 5 of 5 periods of 1m at 85.00; +1 → 3"
    );
}
