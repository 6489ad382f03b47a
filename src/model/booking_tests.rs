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
    ]
}

#[test]
fn booked_requests_give_the_results_of_the_event_by_event_path() {
    for (name, text) in scenarios() {
        let scenario = parse_str(&text, Path::new("booking.yaml")).expect("parses");
        let (mut seen, mut scaled) = (crate::metrics::Outcomes::default(), 0);
        for replication in 0..2 {
            let booked = simulate_with(&scenario, 0, replication, true).expect("runs");
            let events = simulate_with(&scenario, 0, replication, false).expect("runs");
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
            _ => assert!(scaled > 0 && seen.failed > 0, "{seen:?}"),
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
