//! Spot interruptions and zone outages: the hazard matches its rate, and the
//! cluster recovers — pods are rescheduled, nothing launches in a lost zone.

use crate::common::{run, scenario};

const S: u64 = 1_000_000_000;

/// Ten spot nodes at λ = 0.1 interruptions per node-hour, 4 h, 20
/// replications; each reclaimed node is replaced by the Auto Scaling group,
/// and the replacement has its own hazard. Given the exposure E (node-hours
/// from launch to notice, or to the end), the count of notices is Poisson(λE)
/// (memoryless), so it must lie within 4 standard deviations of λE.
const SPOT: &str = "\
name: spot
duration: 4h
replications: 20
metrics: { interval: 1m }
cluster:
  node_groups:
    - name: sp
      instance_type: c5.xlarge
      capacity: spot
      spot: { interruption: 0.1/h }
      min: 10
      max: 10
      boot: { constant: 60s }
services:
  - name: api
    replicas: 10
    traffic:
      arrivals: deterministic
      rate: [ { constant: { rps: 20 } } ]
    request:
      cpu: { constant: 5ms }
    pod:
      concurrency: 8
      requests: { cpu: 2000m, memory: 1Gi }
      startup:
        image_pull: { constant: 10s }
        readiness: { periodSeconds: 5 }
";

#[test]
fn spot_interruptions_follow_the_hazard_and_pods_come_back() {
    let runs = run(&scenario(SPOT));
    let end = 4 * 3600 * S;
    let (mut count, mut exposure_h) = (0u64, 0.0);
    for r in &runs {
        let c = r.cluster.as_ref().unwrap();
        count += c.spot_interruptions;
        for n in &c.nodes {
            let until = match n.stopped_ns {
                Some(t) if n.interrupted => t - 120 * S,
                Some(t) => t,
                None => end,
            };
            exposure_h += (until - n.launched_ns) as f64 / 3.6e12;
        }
        // Evicted pods are rescheduled: after each notice with no other notice before
        // the check, all ten pods are Ready again 5 minutes later (replacement node
        // boots in 60 s, pull 10 s, probe ≤ 5 s).
        let notices: Vec<u64> = r
            .scaling_events
            .iter()
            .filter(|e| e.source == "spot")
            .map(|e| e.at_ns)
            .collect();
        for (i, &t) in notices.iter().enumerate() {
            let check = (t / (60 * S) + 6) * 60 * S;
            // No other notice until the check (it can be up to 6 min after t).
            let quiet = notices[i + 1..].iter().all(|&u| u > check);
            if quiet && check <= end {
                let row = r.services[0]
                    .series
                    .iter()
                    .find(|x| x.end_ns == check)
                    .unwrap();
                assert_eq!(
                    row.pods,
                    10,
                    "Ready pods 5 min after the notice at {} s",
                    t / S
                );
            }
        }
        assert!(r.services[0].outcomes.is_balanced());
    }
    let expected = 0.1 * exposure_h;
    let sd = expected.sqrt();
    eprintln!(
        "interruptions {count}, expected {expected:.1} ± {sd:.1} over {exposure_h:.0} node-hours"
    );
    assert!(exposure_h > 780.0 && exposure_h <= 800.0, "{exposure_h}");
    assert!(
        (count as f64 - expected).abs() <= 4.0 * sd,
        "{count} vs {expected}"
    );
    assert!(count > 40);
}

/// Three nodes, one per zone. Zone b is lost from 10 min for 20 min: its node
/// fails at once (its pods die and are replaced on the surviving nodes), the
/// group's replacement node launches in a or c, and nothing launches in b
/// until 30 min.
#[test]
fn a_zone_outage_loses_its_nodes_and_blocks_launches_there() {
    let text = "\
name: zone
duration: 1h
metrics: { interval: 1m }
cluster:
  node_groups:
    - { name: general, instance_type: m5.xlarge, zones: [a, b, c], min: 3, max: 3, boot: { constant: 60s } }
events:
  - { at: 10m, zone_outage: { zone: b, for: 20m } }
services:
  - name: api
    replicas: 6
    traffic:
      arrivals: deterministic
      rate: [ { constant: { rps: 30 } } ]
    request:
      cpu: { constant: 5ms }
    pod:
      concurrency: 8
      requests: { cpu: 1000m, memory: 1Gi }
      zone_spread: { max_skew: 2, when_unsatisfiable: ScheduleAnyway }
";
    let runs = run(&scenario(text));
    let c = runs[0].cluster.as_ref().unwrap();
    let zones: Vec<&str> = c.nodes.iter().map(|n| n.zone.as_str()).collect();
    assert_eq!(zones[..3], ["a", "b", "c"]);
    // The node in b is gone at the outage's start.
    assert_eq!(c.nodes[1].stopped_ns, Some(600 * S));
    // Its replacement launched at once, not in b.
    assert_eq!(c.nodes.len(), 4);
    assert_eq!(c.nodes[3].launched_ns, 600 * S);
    assert_ne!(c.nodes[3].zone, "b");
    // The pods that died with the node are Ready again after the replacement booted.
    let s = &runs[0].services[0];
    let ready = |m: u64| {
        s.series
            .iter()
            .find(|x| x.end_ns == m * 60 * S)
            .unwrap()
            .pods
    };
    // (The outage at 600 s comes before that instant's series row: it was scheduled first.)
    assert_eq!(ready(9), 6);
    assert_eq!(ready(10), 4);
    // The two replacement pods fit on the surviving nodes (2 pods of 1 CPU
    // each on m5.xlarge, 3920m allocatable): bound and Ready at once.
    assert_eq!(ready(11), 6);
    assert_eq!(ready(30), 6);
    assert!(s.outcomes.is_balanced());
    let evicted = runs[0]
        .scaling_events
        .iter()
        .any(|e| e.source == "fault" && e.reason.contains("ZoneOutage: 1 nodes"));
    assert!(evicted, "{:?}", runs[0].scaling_events);
}
