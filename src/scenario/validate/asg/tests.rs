//! Parsing and checking `asg:` snippets, including the error messages users see.

use super::super::Ctx;
use super::asg;
use crate::error::InputError;
use crate::scenario::raw::asg::RawAsg;
use crate::scenario::yaml;
use crate::spec::asg::*;
use crate::units::NANOS_PER_SEC;
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::path::{Path, PathBuf};

/// A document holding only an `asg:` block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Doc {
    asg: Spanned<RawAsg>,
}

fn check(text: &str) -> Result<AsgSpec, InputError> {
    let file = Path::new("s.yaml");
    let doc: Doc = yaml::from_str(text, file)?;
    let ctx = Ctx {
        file,
        text,
        base_dir: PathBuf::new(),
        warnings: Vec::new(),
    };
    asg(&ctx, "asg", &doc.asg)
}

fn err(text: &str) -> InputError {
    check(text).expect_err("should be rejected")
}

/// The seed-003 rule exactly as `docs/asg.md` shows it.
const SEED_003: &str = "\
asg:
  min: 2
  max: 20
  cooldown: 300s
  policies:
    - name: scale-out
      simple:
        alarm: { metric: cpu_utilization, period: 1m, evaluation_periods: 5, above: 70% }
        adjust: +1
    - name: scale-in
      simple:
        alarm: { metric: cpu_utilization, period: 1m, evaluation_periods: 10, below: 30% }
        adjust: -1
";

#[test]
fn seed_003_reads_as_the_rule_says() {
    let spec = check(SEED_003).unwrap();
    let alarm = |comparison, threshold, n| AlarmSpec {
        metric: Metric::CpuUtilization,
        statistic: Statistic::Average,
        period_ns: 60 * NANOS_PER_SEC,
        evaluation_periods: n,
        datapoints_to_alarm: n,
        comparison,
        threshold,
    };
    let simple = |name: &str, alarm, value| PolicySpec {
        name: name.into(),
        kind: PolicyKind::Simple {
            alarm,
            adjustment: Adjustment {
                kind: AdjustmentType::ChangeInCapacity,
                value,
            },
            min_adjustment_magnitude: None,
            cooldown_ns: None,
        },
    };
    assert_eq!(
        spec,
        AsgSpec {
            min: 2,
            max: 20,
            desired: 2,
            policies: vec![
                simple("scale-out", alarm(Comparison::Greater, 70.0, 5), 1),
                simple("scale-in", alarm(Comparison::Less, 30.0, 10), -1),
            ],
            default_cooldown_ns: 300 * NANOS_PER_SEC,
            default_instance_warmup_ns: None,
        }
    );
}

/// `SEED_003` with `from` (which must occur once) replaced by `to`.
fn seed_with(from: &str, to: &str) -> String {
    assert_eq!(SEED_003.matches(from).count(), 1, "{from}");
    SEED_003.replacen(from, to, 1)
}

#[test]
fn step_and_target_tracking_read() {
    let spec = check(
        "\
asg:
  min: 1
  max: 30
  desired: 4
  instance_warmup: 2m
  policies:
    - name: steps
      step:
        alarm: { metric: cpu_utilization, statistic: maximum, period: 10s, evaluation_periods: 6, datapoints_to_alarm: 3, at_or_above: 60% }
        steps: [ { from: 10, adjust: +30% }, { from: 0, to: 10, adjust: +10% } ]
        min_adjustment_magnitude: 2
    - name: tt
      target_tracking: { metric: request_count_per_target, target: 1000, disable_scale_in: true }
",
    )
    .unwrap();
    assert_eq!(spec.desired, 4);
    assert_eq!(spec.default_instance_warmup_ns, Some(120 * NANOS_PER_SEC));
    let PolicyKind::Step {
        alarm,
        adjustment_type,
        steps,
        min_adjustment_magnitude,
        ..
    } = &spec.policies[0].kind
    else {
        panic!("step")
    };
    assert_eq!(alarm.period_ns, 10 * NANOS_PER_SEC);
    assert_eq!(
        (alarm.datapoints_to_alarm, alarm.evaluation_periods),
        (3, 6)
    );
    assert_eq!(alarm.comparison, Comparison::GreaterOrEqual);
    assert_eq!(alarm.statistic, Statistic::Maximum);
    assert_eq!(*adjustment_type, AdjustmentType::PercentChangeInCapacity);
    assert_eq!(*min_adjustment_magnitude, Some(2));
    // Sorted lowest first.
    assert_eq!(steps[0].lower, Some(0.0));
    assert_eq!(steps[1].upper, None);
    assert_eq!(
        spec.policies[1].kind,
        PolicyKind::TargetTracking {
            metric: Metric::RequestCountPerTarget,
            target: 1000.0,
            disable_scale_in: true,
            instance_warmup_ns: None,
        }
    );
    // A below alarm with negative steps.
    let spec = check(
        "\
asg:
  min: 1
  max: 9
  policies:
    - name: in
      step:
        alarm: { metric: cpu_utilization, period: 1m, evaluation_periods: 1, below: 40 }
        steps: [ { from: -10, to: 0, adjust: -1 }, { to: -10, adjust: -2 } ]
",
    )
    .unwrap();
    assert_eq!(spec.policies.len(), 1);
}

#[test]
fn min_above_max_is_located() {
    let e = err(&seed_with("min: 2", "min: 25"));
    assert_eq!(e.path, "asg.min");
    assert_eq!(e.message, "expected min ≤ max, found min 25 and max 20");
    assert_eq!((e.line, e.column), (2, 8));
    assert!(e.hint.is_some());
}

#[test]
fn datapoints_cannot_exceed_evaluation_periods() {
    let e = err(&seed_with(
        "evaluation_periods: 5,",
        "evaluation_periods: 5, datapoints_to_alarm: 6,",
    ));
    assert_eq!(e.path, "asg.policies[0].simple.alarm.datapoints_to_alarm");
    assert_eq!(
        e.message,
        "expected 1 to evaluation_periods (5) datapoints, found 6"
    );
    assert_eq!(e.line, 8);
}

#[test]
fn periods_follow_cloudwatch() {
    let e = err(&seed_with(
        "period: 1m, evaluation_periods: 5",
        "period: 90s, evaluation_periods: 5",
    ));
    assert_eq!(e.path, "asg.policies[0].simple.alarm.period");
    assert_eq!(
        e.message,
        "expected a period of 10s, 20s, 30s or a multiple of 1m, found 1m30s"
    );
    assert!(
        check(&seed_with(
            "period: 1m, evaluation_periods: 5",
            "period: 20s, evaluation_periods: 5"
        ))
        .is_ok()
    );
    assert!(
        check(&seed_with(
            "period: 1m, evaluation_periods: 5",
            "period: 5m, evaluation_periods: 5"
        ))
        .is_ok()
    );
    // 1441 one-minute periods exceed one day.
    let e = err(&seed_with(
        "evaluation_periods: 5,",
        "evaluation_periods: 1441,",
    ));
    assert_eq!(e.path, "asg.policies[0].simple.alarm.evaluation_periods");
    assert!(e.message.contains("at most 1d"), "{}", e.message);
}

#[test]
fn unknown_metric_lists_the_valid_ones() {
    let e = err(&seed_with(
        "metric: cpu_utilization, period: 1m, evaluation_periods: 5",
        "metric: cpu, period: 1m, evaluation_periods: 5",
    ));
    assert_eq!(e.path, "asg.policies[0].simple.alarm.metric");
    assert_eq!(e.message, "expected a known metric, found \"cpu\"");
    assert_eq!(
        e.hint.as_deref(),
        Some("valid metrics: cpu_utilization, request_count_per_target")
    );
}

#[test]
fn thresholds_and_statistics_fit_the_metric() {
    let e = err(&seed_with("above: 70%", "above: 170%"));
    assert_eq!(e.path, "asg.policies[0].simple.alarm.above");
    let rc = "metric: request_count_per_target, period: 1m, evaluation_periods: 5, above: 70%";
    let e = err(&seed_with(
        "metric: cpu_utilization, period: 1m, evaluation_periods: 5, above: 70%",
        rc,
    ));
    assert_eq!(
        e.message,
        "expected a request count, found the percentage 70%"
    );
    let rc = "metric: request_count_per_target, statistic: average, period: 1m, evaluation_periods: 5, above: 70";
    let e = err(&seed_with(
        "metric: cpu_utilization, period: 1m, evaluation_periods: 5, above: 70%",
        rc,
    ));
    assert_eq!(e.path, "asg.policies[0].simple.alarm.statistic");
    let e = err(&seed_with("above: 70%", "above: 70%, below: 20%"));
    assert_eq!(
        e.message,
        "expected exactly one of above, at_or_above, below or at_or_below, found 2"
    );
}

#[test]
fn adjustments_are_checked() {
    let e = err(&seed_with("adjust: +1", "adjust: +1.5"));
    assert_eq!(e.path, "asg.policies[0].simple.adjust");
    assert!(e.hint.unwrap().contains("+10%"));
    let e = err(&seed_with("adjust: +1", "adjust: twenty"));
    assert!(e.message.contains("\"twenty\""), "{}", e.message);
    let e = err(&seed_with("adjust: +1", "adjust: 0"));
    assert_eq!(e.message, "expected an adjustment other than 0");
    let e = err(&seed_with("adjust: +1", "adjust: \"=-2\""));
    assert_eq!(
        e.message,
        "expected an exact capacity that is not negative, found =-2"
    );
    let e = err(&seed_with(
        "adjust: +1",
        "adjust: +1\n        min_adjustment_magnitude: 2",
    ));
    assert_eq!(e.path, "asg.policies[0].simple.min_adjustment_magnitude");
    assert!(
        check(&seed_with(
            "adjust: +1",
            "adjust: +10%\n        min_adjustment_magnitude: 2"
        ))
        .is_ok()
    );
    assert!(check(&seed_with("adjust: +1", "adjust: \"=4\"")).is_ok());
}

#[test]
fn policies_need_one_kind_unique_names_and_known_keys() {
    let e = err(&seed_with("name: scale-in", "name: scale-out"));
    assert_eq!(e.path, "asg.policies[1].name");
    assert!(e.message.contains("unique policy name"));
    let e = err(&seed_with(
        "    - name: scale-in\n      simple:",
        "    - name: scale-in\n      target_tracking: { metric: cpu_utilization, target: 50% }\n      simple:",
    ));
    assert_eq!(e.path, "asg.policies[1]");
    assert_eq!(
        e.message,
        "expected exactly one of `simple`, `step` or `target_tracking`"
    );
    let e = err(&seed_with("cooldown: 300s", "cooldwn: 300s"));
    assert!(e.message.contains("cooldwn"), "{}", e.message);
    assert_eq!(e.line, 4);
    let e = err(&seed_with("min: 2", "min: 2\n  desired: 30"));
    assert_eq!(e.path, "asg.desired");
}

/// A one-policy group with the given step alarm comparison and steps.
fn stepped(comparison: &str, steps: &str) -> Result<AsgSpec, InputError> {
    check(&format!(
        "\
asg:
  min: 1
  max: 9
  policies:
    - name: s
      step:
        alarm: {{ metric: cpu_utilization, period: 1m, evaluation_periods: 1, {comparison}: 50% }}
        steps: {steps}
"
    ))
}

#[test]
fn step_intervals_follow_aws_rules() {
    let e = stepped(
        "above",
        "[ { from: 0, to: 10, adjust: +1 }, { from: 15, adjust: +2 } ]",
    )
    .unwrap_err();
    assert_eq!(e.path, "asg.policies[0].step.steps[1]");
    assert!(e.message.contains("a gap"), "{}", e.message);
    assert_eq!(e.line, 8);
    let e = stepped(
        "above",
        "[ { from: 0, to: 10, adjust: +1 }, { from: 5, adjust: +2 } ]",
    )
    .unwrap_err();
    assert!(e.message.contains("an overlap"), "{}", e.message);
    let e = stepped("above", "[ { from: 0, to: 10, adjust: +1 } ]").unwrap_err();
    assert_eq!(
        e.message,
        "expected the highest step to leave out `to`, found to: 10"
    );
    let e = stepped("above", "[ { from: 5, adjust: +1 } ]").unwrap_err();
    assert!(
        e.message
            .starts_with("expected the lowest step to start at 0 or below"),
        "{}",
        e.message
    );
    let e = stepped("below", "[ { from: -10, to: 0, adjust: -1 } ]").unwrap_err();
    assert_eq!(
        e.message,
        "expected the lowest step to leave out `from`, found from: -10"
    );
    let e = stepped("below", "[ { to: -5, adjust: -1 } ]").unwrap_err();
    assert!(
        e.message
            .starts_with("expected the highest step to end at 0 or above"),
        "{}",
        e.message
    );
    let e = stepped("above", "[ { adjust: +1 } ]").unwrap_err();
    assert!(e.message.contains("open at both ends"), "{}", e.message);
    let e = stepped(
        "above",
        "[ { from: 0, to: 10, adjust: +1 }, { from: 10, adjust: +10% } ]",
    )
    .unwrap_err();
    assert_eq!(e.path, "asg.policies[0].step.steps[1].adjust");
    let e = stepped("above", "[ { from: 10, to: 0, adjust: +1 } ]").unwrap_err();
    assert_eq!(e.path, "asg.policies[0].step.steps[0].to");
    let e = stepped("above", "[]").unwrap_err();
    assert_eq!(e.message, "expected at least one step, found an empty list");
    // A negative lower bound needs an open lower end (AWS), fine for an above alarm.
    assert!(
        stepped(
            "above",
            "[ { to: 10, adjust: +1 }, { from: 10, adjust: +3 } ]"
        )
        .is_ok()
    );
    let e = stepped(
        "above",
        "[ { from: -5, to: 10, adjust: +1 }, { from: 10, adjust: +3 } ]",
    )
    .unwrap_err();
    assert_eq!(
        e.message,
        "expected the lowest step to leave out `from`, found from: -5"
    );
}
