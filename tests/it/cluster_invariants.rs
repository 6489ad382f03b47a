//! Everything at once, over several seeds: HPAs, the cluster-autoscaler,
//! spot interruptions at a high rate, a zone outage, node failures, pods
//! with selectors, tolerations, anti-affinity and zone spread. No run may
//! panic, and the invariants hold: every request accounted for, replicas
//! within the HPA's range, billing records consistent, cost non-decreasing.

use crate::common::{run, scenario};

const CHAOS: &str = "\
name: chaos
duration: 3h
warmup: 5m
replications: 6
metrics: { interval: 1m }
cluster:
  daemonset_overhead: { cpu: 100m, memory: 200Mi }
  node_groups:
    - { name: od, instance_type: m5.large, min: 1, max: 6, zones: [a, b, c], boot: { uniform: { min: 40s, max: 90s } } }
    - name: sp
      instance_type: c5.xlarge
      capacity: spot
      spot: { interruption: 0.5/h }
      min: 0
      max: 8
      zones: [a, b]
      labels: { pool: spot }
      taints: [ { key: spot, value: \"true\", effect: NoSchedule } ]
  node_autoscaler: { kind: cluster-autoscaler, expander: \"priority,least-waste\", priorities: { sp: 10 }, balance_similar_node_groups: true, scale_down_unneeded_time: 2m, scale_down_delay_after_add: 2m }
events:
  - { at: 40m, zone_outage: { zone: a, for: 15m } }
  - { at: 90m, node_failure: { group: od, count: 2 } }
  - { at: 2h, spot_reclaim: { group: sp, fraction: 100% } }
services:
  - name: web
    replicas: 2
    traffic:
      rate:
        - constant: { rps: 20 }
        - spike: { at: 20m, peak: 150, rise: 20m, hold: 40m, fall: 20m }
    request:
      cpu: { exponential: { mean: 20ms } }
      io: { exponential: { mean: 10ms } }
      timeout: 2s
    pod:
      concurrency: 8
      queue_limit: 50
      requests: { cpu: 400m, memory: 512Mi }
      limits: { cpu: \"1\" }
      tolerations: [ { key: spot, operator: Exists } ]
      anti_affinity: { type: preferred, weight: 50 }
      zone_spread: { max_skew: 1, when_unsatisfiable: ScheduleAnyway }
      startup:
        image_pull: { uniform: { min: 2s, max: 20s } }
        app_start: { constant: 3s }
        readiness: { initialDelaySeconds: 2, periodSeconds: 5 }
      termination_grace: 10s
    hpa:
      minReplicas: 2
      maxReplicas: 12
      metrics:
        - type: Resource
          resource: { name: cpu, target: { type: Utilization, averageUtilization: 60 } }
      behavior:
        scaleDown: { stabilizationWindowSeconds: 60 }
  - name: worker
    replicas: 3
    traffic:
      rate: [ { constant: { rps: 15 } } ]
    request:
      cpu: { gamma: { mean: 30ms, cv: 1.5 } }
    pod:
      concurrency: 4
      requests: { cpu: 300m, memory: 1Gi }
      node_selector: { pool: spot }
      tolerations: [ { key: spot, operator: Equal, value: \"true\", effect: NoSchedule } ]
      anti_affinity: { type: required }
";

#[test]
fn chaos_keeps_every_invariant() {
    let s = scenario(CHAOS);
    let runs = run(&s);
    let end = s.duration_ns;
    let mut interruptions = 0;
    for r in &runs {
        for svc in &r.services {
            assert!(
                svc.outcomes.is_balanced(),
                "{}: {:?}",
                svc.name,
                svc.outcomes
            );
        }
        let web = &r.services[0];
        assert!(
            web.replicas.min >= 2 && web.replicas.max <= 12,
            "{:?}",
            web.replicas
        );
        for row in &web.series {
            assert!(
                row.desired_replicas >= 2 && row.desired_replicas <= 12,
                "{row:?}"
            );
        }
        let c = r.cluster.as_ref().unwrap();
        interruptions += c.spot_interruptions;
        for n in &c.nodes {
            assert!(
                n.stopped_ns.is_none_or(|t| t >= n.launched_ns && t <= end),
                "{n:?}"
            );
        }
        // No node launched in zone a during its outage.
        for n in &c.nodes {
            let during =
                n.launched_ns >= 2400 * 1_000_000_000 && n.launched_ns < 3300 * 1_000_000_000;
            assert!(!(during && n.zone == "a"), "{n:?}");
        }
        // Cost never decreases and stays within the nodes' bounds.
        let bill = c.bill();
        let mut last = 0.0;
        for row in &c.series {
            let v = bill.total_usd(row.end_ns);
            assert!(v + 1e-12 >= last, "cost went down at {}", row.end_ns);
            last = v;
            for (g, &(ready, launching)) in row.nodes.iter().enumerate() {
                let max = s.cluster.as_ref().unwrap().groups[g].max;
                assert!(
                    ready + launching <= max,
                    "group {g} at {ready}+{launching} > max {max}"
                );
            }
        }
        assert!(
            r.scaling_events
                .iter()
                .any(|e| e.source == "cluster-autoscaler")
        );
    }
    assert!(interruptions > 0);
}

#[test]
fn chaos_is_deterministic_at_any_jobs() {
    use capsim::runner::{RunOptions, run_all};
    let s = scenario(CHAOS);
    let one = run_all(
        &s,
        RunOptions {
            jobs: 1,
            progress: false,
        },
    )
    .unwrap();
    let two = run_all(
        &s,
        RunOptions {
            jobs: 2,
            progress: false,
        },
    )
    .unwrap();
    for (a, b) in one.iter().zip(&two) {
        assert_eq!(a.scaling_events, b.scaling_events);
        assert_eq!(a.cluster, b.cluster);
        assert_eq!(a.services[0].outcomes, b.services[0].outcomes);
    }
    assert_ne!(one[0].cluster, one[1].cluster, "replications differ");
}
