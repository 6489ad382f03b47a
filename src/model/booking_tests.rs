//! Requests booked at arrival ([`crate::model::service::ledger`]) against
//! the event-by-event path: whole runs, every result compared.
//!
//! The scenarios draw continuous times (so no two things happen at the
//! same nanosecond, where the two paths order differently) and exercise
//! what touches a booked pod: queues that fill and reject, I/O, timeouts,
//! warmup, autoscaling out and in (deletion, drain, the grace period's
//! kill), a cluster under the cluster-autoscaler, a spot reclaim, and an
//! ASG's instances.

use super::simulate_with;
use crate::scenario::parse_str;
use std::path::Path;

/// The golden scenarios, with pods (and instances) on dedicated CPU
/// balanced without comparing loads (so that their requests are booked).
fn scenarios() -> Vec<(&'static str, String)> {
    // Clients that give up before a full queue has served them.
    let plain = include_str!("../../tests/golden/plain/scenario.yaml")
        .replace("load_balancer: least_request", "load_balancer: random")
        .replace("timeout: 1s", "timeout: 100ms");
    let cluster = include_str!("../../tests/golden/hpa-cluster-spot/scenario.yaml")
        .replace("load_balancer: least_request", "load_balancer: round_robin")
        .replace(
            "limits: { cpu: \"1\", memory: 1Gi }",
            "limits: { memory: 1Gi }",
        );
    // An m5.large's two vCPUs are dedicated to at most two requests, busy
    // enough (no I/O) to scale out; scaled in, an instance is killed with
    // what it holds (no grace period).
    let vm = include_str!("../../tests/golden/vm-asg/scenario.yaml")
        .replace("concurrency: 64", "concurrency: 2")
        .replace(
            "      io: { lognormal: { median: 15ms, p99: 120ms } }\n",
            "",
        )
        .replace("termination_grace: 30s", "termination_grace: 0s");
    vec![
        ("plain", plain),
        ("hpa-cluster-spot", cluster),
        ("vm-asg", vm),
        ("faults", FAULTS.to_string()),
    ]
}

/// Zones, a node failure, a zone outage, a rolling deployment, a traffic
/// incident and a metrics outage, under an HPA on in-flight requests and
/// memory (which read the pods' booked state at every sync), with warmup
/// slowdown and kills at the end of a short grace period.
const FAULTS: &str = "\
name: faults
duration: 40m
warmup: 1m
seed: 5
replications: 2
metrics: { interval: 30s }
cluster:
  node_groups:
    - { name: general, instance_type: m5.xlarge, zones: [a, b, c], min: 3, max: 8, initial: 3, boot: { lognormal: { median: 60s, p99: 120s } } }
  node_autoscaler: { kind: cluster-autoscaler }
events:
  - { at: 8m, node_failure: { group: general } }
  - { at: 14m, rolling_deployment: { service: api, max_surge: 1, max_unavailable: 0 } }
  - { at: 20m, zone_outage: { zone: b, for: 6m } }
  - { at: 24m, traffic_incident: { service: api, for: 5m, multiply: 3, ramp: 1m } }
  - { at: 30m, metrics_outage: { for: 90s } }
services:
  - name: api
    replicas: 4
    hpa:
      minReplicas: 3
      maxReplicas: 14
      metrics:
        - type: Pods
          pods: { metric: { name: in_flight_requests }, target: { type: AverageValue, averageValue: \"6\" } }
        - type: Resource
          resource: { name: memory, target: { type: Utilization, averageUtilization: 70 } }
    traffic:
      arrivals: poisson
      rate:
        - diurnal: { min: 60, max: 180, peak_at: 20m, period: 40m }
    request:
      cpu: { gamma: { mean: 40ms, cv: 1.5 } }
      io: { exponential: { mean: 15ms } }
      timeout: 2s
    pod:
      concurrency: 8
      queue_limit: 30
      requests: { cpu: 1000m, memory: 1Gi }
      memory_usage: { base: 400Mi, per_request: 40Mi }
      zone_spread: { max_skew: 2, when_unsatisfiable: ScheduleAnyway }
      startup:
        image_pull: { uniform: { min: 4s, max: 9s } }
        app_start: { lognormal: { median: 5s, p99: 12s } }
        readiness: { periodSeconds: 3 }
      warmup: { duration: 90s, slowdown: 2.5 }
      termination_grace: 1s
";

#[test]
fn booked_requests_give_the_results_of_the_event_by_event_path() {
    for (name, text) in scenarios() {
        let scenario = parse_str(&text, Path::new("booking.yaml")).expect("parses");
        let (mut seen, mut scaled) = (crate::metrics::Outcomes::default(), 0);
        for replication in 0..2 {
            let booked = simulate_with(&scenario, 0, replication, true, |_| {}).expect("runs");
            let events = simulate_with(&scenario, 0, replication, false, |_| {}).expect("runs");
            // The booked run handles fewer events (no completions).
            assert!(booked.events < events.events, "{name}");
            let (b, e) = (&booked.services, &events.services);
            assert!(b[0].outcomes.completed > 1_000, "{name}: a real load");
            let o = &b[0].outcomes;
            seen.add(o);
            scaled += booked.scaling_events.len();
            let (bt, et) = (format!("{b:#?}"), format!("{e:#?}"));
            if bt != et {
                let dir = std::env::temp_dir();
                std::fs::write(dir.join(format!("booked-{name}.txt")), &bt).ok();
                std::fs::write(dir.join(format!("events-{name}.txt")), &et).ok();
            }
            assert!(bt == et, "{name} #{replication}: see {}", dir_note(name));
            assert_eq!(
                format!("{:#?}", booked.scaling_events),
                format!("{:#?}", events.scaling_events),
                "{name} #{replication}"
            );
            assert_eq!(
                format!("{:#?}", booked.cluster),
                format!("{:#?}", events.cluster),
                "{name} #{replication}"
            );
        }
        // What each scenario is here to exercise did happen.
        match name {
            "plain" => assert!(seen.rejected > 0 && seen.timed_out > 0, "{seen:?}"),
            "hpa-cluster-spot" => assert!(scaled > 0),
            "vm-asg" => assert!(scaled > 0 && seen.failed > 0, "{seen:?}"),
            _ => assert!(
                scaled > 0 && seen.failed > 0 && seen.timed_out + seen.rejected > 0,
                "{seen:?}"
            ),
        }
    }
}

/// Where a failing comparison leaves the two results.
fn dir_note(name: &str) -> String {
    let dir = std::env::temp_dir();
    format!(
        "{} and {}",
        dir.join(format!("booked-{name}.txt")).display(),
        dir.join(format!("events-{name}.txt")).display()
    )
}
