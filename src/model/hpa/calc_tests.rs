//! Unit tests of the replica calculator, with expected values worked out by hand from docs/reference/hpa.md.

use super::super::pods::group;
use super::*;
use crate::model::hpa::{Observation, PodPhase, PodSample, Reason, Tolerances};
use crate::spec::hpa::{
    ControllerConfig, HpaSpec, MetricSource, MetricSpec, MetricTarget, Resource,
};

const S: i64 = 1_000_000_000;
const NOW: i64 = 10_000 * S;

fn tol(down: f64, up: f64) -> Tolerances {
    Tolerances { down, up }
}

/// A Running, Ready pod started 10 minutes ago with a CPU request and usage.
fn pod(request: i64, usage: Option<i64>) -> PodSample {
    PodSample {
        phase: PodPhase::Running,
        deleted: false,
        ready: Some(true),
        start: Some(NOW - 600 * S),
        ready_transition: Some(NOW - 600 * S),
        cpu_request_milli: Some(request),
        memory_request_milli: None,
        cpu_usage_milli: usage,
        memory_usage_milli: None,
        sample_time: NOW,
        sample_window_ns: 60 * S,
        metrics: Vec::new(),
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

fn cpu(target: i32) -> MetricSpec {
    MetricSpec {
        source: MetricSource::Resource {
            resource: Resource::Cpu,
            container: None,
        },
        target: MetricTarget::Utilization(target),
    }
}

fn one(m: &MetricSpec, o: &Observation, t: Tolerances) -> Result<i32, String> {
    replicas_for_metric(m, &ControllerConfig::default(), t, o, NOW).map(|(p, _)| p)
}

#[test]
fn utilization_is_an_integer_percent_of_sums_times_ready_pods() {
    // 1500m of 3000m = 50 %; 50/30 × 3 pods = 5.
    let o = obs(
        3,
        vec![
            pod(1000, Some(300)),
            pod(1000, Some(500)),
            pod(1000, Some(700)),
        ],
    );
    assert_eq!(one(&cpu(30), &o, tol(0.1, 0.1)), Ok(5));
    // 1400m of 5000m = 28 % (not 28.0…): 28/50 × 5 = 2.8 → 3.
    let usages = [100, 300, 500, 250, 250];
    let o = obs(5, usages.iter().map(|&u| pod(1000, Some(u))).collect());
    assert_eq!(one(&cpu(50), &o, tol(0.1, 0.1)), Ok(3));
}

#[test]
fn tolerance_bounds_are_inclusive() {
    // 110 % of a 100 % target: ratio 1.1 = 1 + 0.1, within; 111 % is not.
    assert_eq!(
        one(
            &cpu(100),
            &obs(1, vec![pod(1000, Some(1100))]),
            tol(0.1, 0.1)
        ),
        Ok(1)
    );
    assert_eq!(
        one(
            &cpu(100),
            &obs(1, vec![pod(1000, Some(1110))]),
            tol(0.1, 0.1)
        ),
        Ok(2)
    );
    // 90 % of 100 %: ratio 0.9 = 1 − 0.1, within (two pods, would go to 2).
    let o = obs(3, vec![pod(1000, Some(900)); 3]);
    assert_eq!(one(&cpu(100), &o, tol(0.1, 0.1)), Ok(3));
    let o = obs(3, vec![pod(1000, Some(890)); 3]);
    assert_eq!(one(&cpu(100), &o, tol(0.1, 0.1)), Ok(3));
    // 650/1000 = 65 % with a 0.34 down tolerance: 0.65 < 0.66 → ceil(0.65 × 3) = 2.
    let o = obs(3, vec![pod(1000, Some(650)); 3]);
    assert_eq!(one(&cpu(100), &o, tol(0.34, 0.1)), Ok(2));
    assert_eq!(one(&cpu(100), &o, tol(0.35, 0.1)), Ok(3));
}

#[test]
fn missing_pods_on_scale_down_use_max_of_100_and_target() {
    // Pod 0 unready (never ready), pods 1, 2 ready at 100m, pod 3 missing.
    // Pass 1: 200m of 3000m = 6 % → 0.02. Pass 2: pod 3 at 300 % of 2000m = 6000m:
    // 6200m of 5000m = 124 % → 0.4133 × 3 pods → 2.
    let mut p0 = pod(1000, Some(200));
    p0.ready = Some(false);
    let o = obs(
        4,
        vec![
            p0,
            pod(1000, Some(100)),
            pod(2000, Some(100)),
            pod(2000, None),
        ],
    );
    assert_eq!(one(&cpu(300), &o, tol(0.1, 0.1)), Ok(2));
}

#[test]
fn missing_pods_on_scale_up_count_as_zero() {
    // 1900m of 1000m = 190 % → pass 2: 1900m of 2000m = 95 % → within tolerance: 2.
    let o = obs(2, vec![pod(1000, Some(1900)), pod(1000, None)]);
    assert_eq!(one(&cpu(100), &o, tol(0.1, 0.1)), Ok(2));
}

#[test]
fn unready_pods_count_as_zero_only_on_scale_up() {
    // Pod 0 unready; ready: 2000m + missing pod 2. 200 % / 50 % = 4 → pass 2 with
    // pod 0 at 0 and pod 2 at 0: 2000m of 3000m = 66 % → 1.32 × 3 → 4.
    let mut p0 = pod(1000, Some(100));
    p0.ready = Some(false);
    let o = obs(3, vec![p0.clone(), pod(1000, Some(2000)), pod(1000, None)]);
    assert_eq!(one(&cpu(50), &o, tol(0.1, 0.1)), Ok(4));
    // 450m: 45 % / 50 % = 0.9; pass 2 fills pod 2 at 100 %: 1450 of 2000 = 72 % → 1.44
    // flips direction → current.
    let o = obs(3, vec![p0, pod(1000, Some(450)), pod(1000, None)]);
    assert_eq!(one(&cpu(50), &o, tol(0.1, 0.1)), Ok(3));
}

#[test]
fn cpu_readiness_rules() {
    let cfg = ControllerConfig {
        cpu_initialization_period_ns: 120 * S,
        initial_readiness_delay_ns: 10 * S,
        ..ControllerConfig::default()
    };
    let g = |p: &PodSample| group(p, Some(1), true, &cfg, NOW);
    // Started now, ready now, sample now: inside the period and the sample predates Ready + window.
    let mut hot = pod(1000, Some(1));
    hot.start = Some(NOW);
    hot.ready_transition = Some(NOW);
    assert_eq!(g(&hot), Group::Unready);
    // Same pod with a sample one whole window after the transition: ready.
    hot.ready_transition = Some(NOW - 60 * S);
    assert_eq!(g(&hot), Group::Ready);
    // No Ready condition, or no start time: unready.
    let mut p = pod(1000, Some(1));
    p.ready = None;
    assert_eq!(g(&p), Group::Unready);
    let mut p = pod(1000, Some(1));
    p.start = None;
    assert_eq!(g(&p), Group::Unready);
    // Past the period, not ready: unready only if the transition is strictly within the delay.
    let mut p = pod(1000, Some(1));
    p.ready = Some(false);
    p.ready_transition = Some(NOW - 600 * S + 10 * S);
    assert_eq!(g(&p), Group::Ready);
    p.ready_transition = Some(NOW - 600 * S + 10 * S - 1);
    assert_eq!(g(&p), Group::Unready);
    // Readiness is not checked without cpu rules; Pending is unready; Failed/deleted ignored.
    assert_eq!(group(&p, Some(1), false, &cfg, NOW), Group::Ready);
    p.phase = PodPhase::Pending;
    assert_eq!(group(&p, Some(1), false, &cfg, NOW), Group::Unready);
    p.phase = PodPhase::Succeeded;
    assert_eq!(group(&p, Some(1), false, &cfg, NOW), Group::Ignored);
    let mut d = pod(1000, Some(1));
    d.deleted = true;
    assert_eq!(group(&d, None, false, &cfg, NOW), Group::Ignored);
    assert_eq!(group(&pod(1, None), None, true, &cfg, NOW), Group::Missing);
}

#[test]
fn pods_metric_keeps_unready_samples_and_guards_direction() {
    let qps = MetricSpec {
        source: MetricSource::Pods {
            metric: "qps".into(),
        },
        target: MetricTarget::AverageValue(15_000),
    };
    let with = |v: Option<i64>, ready| {
        let mut p = pod(1000, None);
        p.ready = Some(ready);
        p.start = Some(NOW);
        p.metrics = v.map(|v| vec![("qps".into(), v)]).unwrap_or_default();
        p
    };
    // Average 30000 / 15000 = 2 × 3 pods = 6 (the unready, just-started pod still counts).
    let o = obs(
        3,
        vec![
            with(Some(50_000), true),
            with(Some(10_000), true),
            with(Some(30_000), false),
        ],
    );
    assert_eq!(one(&qps, &o, tol(0.1, 0.1)), Ok(6));
    // Two samples of 10000 and a missing pod at target 17000: pass 2 = 37000/3 = 12333,
    // ratio 0.725 → ceil(2.18) = 3 > current 2 while scaling down → current.
    let qps17 = MetricSpec {
        target: MetricTarget::AverageValue(17_000),
        ..qps
    };
    let o = obs(
        2,
        vec![
            with(Some(10_000), true),
            with(Some(10_000), true),
            with(None, true),
        ],
    );
    assert_eq!(one(&qps17, &o, tol(0.1, 0.1)), Ok(2));
}

#[test]
fn object_and_external_values() {
    let ext = |target| MetricSpec {
        source: MetricSource::External { metric: "q".into() },
        target,
    };
    let mut unready = pod(1, None);
    unready.ready = Some(false);
    let mut o = obs(3, vec![unready.clone(), pod(1, None), unready]);
    o.external_metrics.insert("q".into(), 8600);
    // Value: 8600/4400 = 1.95 × 1 Running+Ready pod → 2.
    assert_eq!(
        one(&ext(MetricTarget::Value(4400)), &o, tol(0.1, 0.1)),
        Ok(2)
    );
    // AverageValue: 8600 / (2150 × 3 status replicas) = 1.33 → ceil(8600/2150) = 4.
    assert_eq!(
        one(&ext(MetricTarget::AverageValue(2150)), &o, tol(0.1, 0.1)),
        Ok(4)
    );
    // 8600 / (2900 × 3) = 0.9885, within → status replicas.
    o.status_replicas = 5;
    assert_eq!(
        one(&ext(MetricTarget::AverageValue(1720)), &o, tol(0.1, 0.1)),
        Ok(5)
    );
    // From zero: ceil(ratio), no tolerance and no pods.
    let mut zero = obs(0, vec![]);
    zero.external_metrics.insert("q".into(), 1050);
    assert_eq!(
        one(&ext(MetricTarget::Value(1000)), &zero, tol(0.1, 0.1)),
        Ok(2)
    );
    // Absent value = failed fetch.
    assert!(
        one(
            &ext(MetricTarget::Value(1000)),
            &obs(1, vec![]),
            tol(0.1, 0.1)
        )
        .is_err()
    );
}

#[test]
fn missing_request_is_a_metric_error() {
    let mut p = pod(1000, Some(500));
    p.cpu_request_milli = None;
    let err = one(&cpu(50), &obs(1, vec![p]), tol(0.1, 0.1)).unwrap_err();
    assert!(err.contains("missing request for cpu"), "{err}");
}

#[test]
fn max_over_metrics_and_failure_rules() {
    let failing = MetricSpec {
        source: MetricSource::External {
            metric: "gone".into(),
        },
        target: MetricTarget::Value(1000),
    };
    let spec = |metrics| HpaSpec {
        min_replicas: 1,
        max_replicas: 100,
        metrics,
        behavior: None,
        scaled_to_zero: false,
    };
    let cfg = ControllerConfig::default();
    let t = tol(0.1, 0.1);
    // cpu proposes 3 < spec 5 and the other metric fails: no scale-down.
    let usages = [100, 300, 500, 250, 250];
    let o = obs(5, usages.iter().map(|&u| pod(1000, Some(u))).collect());
    let s = spec(vec![cpu(50), failing.clone()]);
    let (r, st) = replicas_for_metrics(&s, &cfg, t, &o, NOW);
    assert_eq!(r, Err(Reason::InvalidMetrics));
    assert_eq!(st[0].proposal, Some(3));
    assert!(st[1].error.is_some());
    // Tripled usage: 4200m of 5000m = 84 % / 50 % = 1.68 × 5 = 8.4 → 9 ≥ 5: scale up anyway.
    let o = obs(5, usages.iter().map(|&u| pod(1000, Some(u * 3))).collect());
    let (r, _) = replicas_for_metrics(&s, &cfg, t, &o, NOW);
    assert_eq!(r, Ok(9));
    // Every metric failing.
    let (r, _) = replicas_for_metrics(&spec(vec![failing]), &cfg, t, &o, NOW);
    assert_eq!(r, Err(Reason::FailedGetMetrics));
}
