//! Pods without a sample under plain metrics (`calcPlainMetricReplicas`) and their
//! absence from Object and External metrics, below, exactly at and above a usage
//! ratio of 1.
//!
//! Expected values follow the current upstream function (kubernetes/kubernetes
//! `pkg/controller/podautoscaler/replica_calculator.go`, as mirrored in
//! `omerap12/kubernetes@a769d588`): missing pods count at the target on a
//! scale-down (ratio < 1), at 0 on a scale-up (ratio > 1), and are left out at
//! exactly 1 (`else if usageRatio > 1.0`, kubernetes#117845, v1.28; before it the
//! plain path filled them with 0). Each case is worked by hand in its comment.

use super::super::{Observation, PodPhase, PodSample, Tolerances};
use super::replicas_for_metric;
use crate::spec::hpa::{ControllerConfig, MetricSource, MetricSpec, MetricTarget, Resource};

const S: i64 = 1_000_000_000;
const NOW: i64 = 10_000 * S;
const TOL: Tolerances = Tolerances { down: 0.1, up: 0.1 };

/// A Running, Ready pod started 10 minutes ago with an optional `qps` sample (milli).
fn pod(qps_milli: Option<i64>) -> PodSample {
    PodSample {
        phase: PodPhase::Running,
        deleted: false,
        ready: Some(true),
        start: Some(NOW - 600 * S),
        ready_transition: Some(NOW - 600 * S),
        cpu_request_milli: Some(1000),
        memory_request_milli: None,
        cpu_usage_milli: qps_milli,
        memory_usage_milli: None,
        sample_time: NOW,
        sample_window_ns: 60 * S,
        metrics: qps_milli
            .map(|v| vec![("qps".into(), v)])
            .unwrap_or_default(),
    }
}

fn obs(replicas: i32, pods: Vec<PodSample>) -> Observation {
    Observation {
        spec_replicas: replicas,
        status_replicas: replicas,
        pods,
        ..Observation::default()
    }
}

fn qps(target_milli: i64) -> MetricSpec {
    MetricSpec {
        source: MetricSource::Pods {
            metric: "qps".into(),
        },
        target: MetricTarget::AverageValue(target_milli),
    }
}

fn proposal(m: &MetricSpec, o: &Observation) -> Result<i32, String> {
    replicas_for_metric(m, &ControllerConfig::default(), TOL, o, NOW).map(|(p, _)| p)
}

/// Two pods with samples, two without, current 4.
fn two_and_two_missing(sample_milli: i64) -> Observation {
    let p = Some(sample_milli);
    obs(4, vec![pod(p), pod(p), pod(None), pod(None)])
}

#[test]
fn pods_metric_below_one_fills_missing_pods_at_the_target() {
    // Samples 5000, 5000 at target 10000: ratio 0.5 < 1. Missing pods count 10000:
    // average 30000/4 = 7500, new ratio 0.75 (outside 0.1, same direction),
    // ceil(0.75 × 4) = 3 ≤ current 4 → 3. (Filled with 0 it would be 2500 → 1.)
    assert_eq!(proposal(&qps(10_000), &two_and_two_missing(5_000)), Ok(3));
}

#[test]
fn pods_metric_exactly_at_one_leaves_missing_pods_out() {
    // Samples 10000, 10000 at target 10000: ratio exactly 1. Upstream fills nothing,
    // so the new ratio is 1.0, within tolerance → current 4. The pre-1.28 `else`
    // branch filled 0: 20000/4 = 5000, ratio 0.5, ceil(0.5 × 4) = 2.
    assert_eq!(proposal(&qps(10_000), &two_and_two_missing(10_000)), Ok(4));
}

#[test]
fn pods_metric_above_one_fills_missing_pods_with_zero() {
    // Samples 30000, 30000 at target 10000: ratio 3 > 1. Missing pods count 0:
    // 60000/4 = 15000, new ratio 1.5, ceil(1.5 × 4) = 6 ≥ current 4 → 6.
    // (Left out it would be ceil(3 × 2) = 6 too, so a second case separates them.)
    assert_eq!(proposal(&qps(10_000), &two_and_two_missing(30_000)), Ok(6));
    // Samples 16000, 16000 at target 10000: ratio 1.6. With zeros: 32000/4 = 8000,
    // new ratio 0.8 < 1 while ratio > 1 → direction flipped → current 4.
    assert_eq!(proposal(&qps(10_000), &two_and_two_missing(16_000)), Ok(4));
}

#[test]
fn pods_metric_rolling_update_missing_pod_keeps_current() {
    // replica_calculator_test.go `TestReplicaCalcPodMetric/rolling update with
    // maxSurge: extra pod missing metric` (hpa-vectors.json): samples 10000, 10000,
    // target 17000, 3 pods, current 2 → 2.
    let o = obs(2, vec![pod(Some(10_000)), pod(Some(10_000)), pod(None)]);
    assert_eq!(proposal(&qps(17_000), &o), Ok(2));
}

#[test]
fn resource_average_value_exactly_at_one_leaves_missing_pods_out() {
    // Resource cpu with an AverageValue target goes through `calcPlainMetricReplicas`
    // too (`GetRawResourceReplicas`): 500m, 500m at 500m = ratio 1, two pods missing
    // → current 4 (the old rule gave ceil(0.5 × 4) = 2).
    let cpu = MetricSpec {
        source: MetricSource::Resource {
            resource: Resource::Cpu,
            container: None,
        },
        target: MetricTarget::AverageValue(500),
    };
    assert_eq!(proposal(&cpu, &two_and_two_missing(500)), Ok(4));
    // Below 1 (250m): missing at 500m → 1500/4 = 375, ratio 0.75, ceil(3) = 3.
    assert_eq!(proposal(&cpu, &two_and_two_missing(250)), Ok(3));
}

#[test]
fn object_and_external_values_do_not_look_at_per_pod_samples() {
    // `GetObjectMetricReplicas`/`GetExternalMetricReplicas` have no missing-pod rule:
    // ceil(ratio × Running+Ready pods) (`getReadyPodsCount`), whether or not a pod
    // has a Pods sample. Value 30000 / target 10000 = 3 × 4 ready pods = 12, at any
    // mix of sampled and unsampled pods.
    for source in [
        MetricSource::Object { metric: "q".into() },
        MetricSource::External { metric: "q".into() },
    ] {
        let m = MetricSpec {
            source,
            target: MetricTarget::Value(10_000),
        };
        let mut o = two_and_two_missing(10_000);
        o.object_metrics.insert("q".into(), 30_000);
        o.external_metrics.insert("q".into(), 30_000);
        assert_eq!(proposal(&m, &o), Ok(12));
        // Exactly at 1 (10000 / 10000): within tolerance → current 4.
        o.object_metrics.insert("q".into(), 10_000);
        o.external_metrics.insert("q".into(), 10_000);
        assert_eq!(proposal(&m, &o), Ok(4));
    }
}
