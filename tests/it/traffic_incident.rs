//! Traffic incidents: arrivals follow the changed rate exactly
//! (deterministic arrivals count ∫ r to the request), Poisson arrivals
//! within their known variance; and runs with incidents and rollouts are
//! deterministic.

use crate::common::cases::Case;
use crate::common::{run, scenario};
use capsim::metrics::RunResult;

fn yaml(base_rps: u32, incident: &str, arrivals: &str, minutes: u32, replications: u32) -> String {
    format!(
        "\
name: incident
duration: {minutes}m
replications: {replications}
seed: 11
metrics: {{ interval: 1m }}
events:
  - {{ at: 10m, traffic_incident: {{ service: api, {incident} }} }}
services:
  - name: api
    replicas: 4
    traffic:
      arrivals: {arrivals}
      rate: [ {{ constant: {{ rps: {base_rps} }} }} ]
    request:
      cpu: {{ constant: 1ms }}
    pod:
      concurrency: 64
"
    )
}

/// Offered requests per one-minute interval of replication `r`.
fn per_minute(runs: &[RunResult], r: usize) -> Vec<u64> {
    runs[r].services[0]
        .series
        .iter()
        .map(|x| x.offered)
        .collect()
}

/// 10 rps, ×3 from 10 min for 5 min with ramps of 1 min. By hand: the
/// extra rate is 20·s(t); the rising minute adds 20·30 = 600, each of the
/// three full minutes 20·60 = 1200, the falling minute 600 again.
#[test]
fn deterministic_arrivals_count_the_integral_of_a_multiplied_rate() {
    let runs = run(&scenario(&yaml(
        10,
        "for: 5m, multiply: 3, ramp: 1m",
        "deterministic",
        20,
        1,
    )));
    let mut want = vec![600u64; 20];
    want[10] = 1200;
    want[11] = 1800;
    want[12] = 1800;
    want[13] = 1800;
    want[14] = 1200;
    assert_eq!(per_minute(&runs, 0), want);
    assert_eq!(runs[0].services[0].outcomes.offered, 12_000 + 4_800);
    let logged = runs[0].scaling_events.iter().any(|e| {
        e.at_ns == 600_000_000_000 && e.reason.contains("TrafficIncident: rate ×3 for 5m")
    });
    assert!(logged, "{:?}", runs[0].scaling_events);
}

/// 100 rps + 500 rps for 2 min from 10 min, ramps of 30 s: rise
/// 500·15 = 7500, hold 500·90 = 45000 in all, fall 7500; each of the two
/// minutes gets 6000 + 22500.
#[test]
fn deterministic_arrivals_count_the_integral_of_an_added_rate() {
    let runs = run(&scenario(&yaml(
        100,
        "for: 2m, add_rps: 500, ramp: 30s",
        "deterministic",
        14,
        1,
    )));
    let mut want = vec![6000u64; 14];
    want[10] = 28_500;
    want[11] = 28_500;
    assert_eq!(per_minute(&runs, 0), want);
}

/// Λ over [a, b) minutes of 50 rps × (1 + 3·s(t)), s rising over 10–12 min,
/// full over 12–18 min, falling over 18–20 min: worked out minute by minute.
fn expected_minute(m: usize) -> f64 {
    let base = 50.0 * 60.0;
    // ∫ of the ramp share over the first and second minute of a 2-minute ramp: 15 s and 45 s.
    let extra = 150.0
        * match m {
            10 | 19 => 15.0,
            11 | 18 => 45.0,
            12..=17 => 60.0,
            _ => 0.0,
        };
    base + extra
}

/// Poisson arrivals under the same kind of incident: each count is Poisson
/// with mean Λ (variance Λ), so over 12 replications the pooled count of
/// the incident's window must lie within 4 standard deviations of 12·Λ,
/// and every pooled minute within 4.5 of its own.
#[test]
fn poisson_arrivals_follow_the_changed_rate() {
    let n = 12;
    let runs = run(&scenario(&yaml(
        50,
        "for: 10m, multiply: 4, ramp: 2m",
        "poisson",
        30,
        n,
    )));
    let window: f64 = (10..20).map(expected_minute).sum();
    assert_eq!(window, 30_000.0 + 72_000.0);
    let mut pooled = vec![0u64; 30];
    for r in 0..runs.len() {
        for (m, c) in per_minute(&runs, r).into_iter().enumerate() {
            pooled[m] += c;
        }
    }
    let n = f64::from(n);
    let got: u64 = pooled[10..20].iter().sum();
    let (mean, sd) = (n * window, (n * window).sqrt());
    eprintln!("incident window: {got} arrivals, expected {mean} ± {sd:.0}");
    assert!(
        (got as f64 - mean).abs() <= 4.0 * sd,
        "{got} vs {mean} ± {sd}"
    );
    for (m, &c) in pooled.iter().enumerate() {
        let mu = n * expected_minute(m);
        assert!(
            (c as f64 - mu).abs() <= 4.5 * mu.sqrt(),
            "minute {m}: {c} vs {mu}"
        );
    }
    // The replications differ (independent streams), as they should.
    assert_ne!(per_minute(&runs, 0), per_minute(&runs, 1));
}

/// Same scenario and seed ⇒ the same bytes, at one or two threads, with an
/// incident, a rollout, the HPA, a cluster and random start-up times.
#[test]
fn incidents_and_rollouts_are_deterministic() {
    let text = "\
name: both
duration: 40m
replications: 2
seed: 5
cluster:
  node_groups:
    - { name: g, instance_type: m5.xlarge, min: 2, max: 6, boot: { constant: 60s } }
  node_autoscaler: { kind: cluster-autoscaler }
events:
  - { at: 5m, traffic_incident: { service: api, for: 15m, multiply: 2.5, ramp: 3m } }
  - { at: 8m, rolling_deployment: { service: api, max_surge: 50%, max_unavailable: 1 } }
services:
  - name: api
    replicas: 4
    traffic:
      arrivals: poisson
      rate: [ { diurnal: { min: 40, max: 120, peak_at: 20m, period: 1h } } ]
    request:
      cpu: { exponential: { mean: 15ms } }
    pod:
      concurrency: 8
      requests: { cpu: 500m, memory: 512Mi }
      startup:
        image_pull: { uniform: { min: 5s, max: 20s } }
        app_start: { uniform: { min: 4s, max: 8s } }
        readiness: { initialDelaySeconds: 5, periodSeconds: 5 }
    hpa:
      minReplicas: 4
      maxReplicas: 16
      metrics:
        - type: Resource
          resource: { name: cpu, target: { type: Utilization, averageUtilization: 60 } }
";
    let case = Case::new(text);
    for (out, jobs) in [("a", "1"), ("b", "2")] {
        let o = case.capsim(&["run", "--quiet", "--jobs", jobs, "--out", out, "s.yaml"]);
        assert_eq!(o.code, Some(0), "{}", o.stderr);
    }
    let events = std::fs::read_to_string(case.path().join("a/events.csv")).unwrap();
    assert!(events.contains("RolloutComplete"), "{events}");
    assert!(events.contains("TrafficIncident"), "{events}");
    for name in [
        "summary.json",
        "timeseries.csv",
        "events.csv",
        "cluster.csv",
    ] {
        let a = std::fs::read(case.path().join("a").join(name)).unwrap();
        let b = std::fs::read(case.path().join("b").join(name)).unwrap();
        assert!(a == b, "{name} differs between --jobs 1 and --jobs 2");
    }
}
