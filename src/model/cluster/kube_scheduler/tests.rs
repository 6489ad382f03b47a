//! Tests of the scheduler's filters and scores, with expectations worked out by hand.

use crate::model::cluster::kube_scheduler::*;
use crate::spec::placement::{AntiAffinity, Scoring, ZONE_LABEL, ZoneSpread};
use crate::spec::resources::Toleration;

const GIB: i64 = 1 << 30;

fn node(zone: &str, cpu_milli: i64, used_milli: i64) -> NodeView {
    NodeView {
        labels: [(ZONE_LABEL.to_string(), zone.to_string())].into(),
        taints: vec![],
        allocatable: Resources {
            cpu_milli,
            memory_bytes: 16 * GIB,
            pods: 58,
        },
        requested: Resources {
            cpu_milli: used_milli,
            memory_bytes: 0,
            pods: 0,
        },
        cordoned: false,
        apps: BTreeMap::new(),
    }
}

fn pod(cpu_milli: i64) -> PodToPlace {
    PodToPlace {
        needs: PodNeeds {
            requests: Resources {
                cpu_milli,
                memory_bytes: GIB,
                pods: 1,
            },
            node_selector: BTreeMap::new(),
            tolerations: vec![],
            one_per_node: None,
            zone_spread: None,
        },
        app: "auth".into(),
        anti_affinity: AntiAffinity::None,
        spread: None,
    }
}

#[test]
fn least_allocated_prefers_the_emptier_node_most_allocated_the_fuller() {
    // Node 0: 4 CPU with 3 used; node 1: 4 CPU with 1 used. A 500m pod:
    // after placing, CPU used 87.5 % vs 37.5 %, memory 1/16 on both.
    let nodes = [node("a", 4000, 3000), node("a", 4000, 1000)];
    assert_eq!(
        Scheduler::new(Scoring::LeastAllocated).place(&pod(500), &nodes),
        Ok(1)
    );
    assert_eq!(
        Scheduler::new(Scoring::MostAllocated).place(&pod(500), &nodes),
        Ok(0)
    );
}

#[test]
fn insufficient_resources_and_taints_are_reported_like_kube_scheduler() {
    let mut tainted = node("a", 4000, 0);
    tainted.taints.push(Taint {
        key: "workload".into(),
        value: "compute".into(),
        effect: TaintEffect::NoSchedule,
    });
    let mut cordoned = node("a", 4000, 0);
    cordoned.cordoned = true;
    let nodes = [node("a", 4000, 3800), tainted.clone(), cordoned];
    let err = Scheduler::new(Scoring::LeastAllocated)
        .place(&pod(500), &nodes)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "0/3 nodes are available: 1 node(s) were unschedulable, 1 node(s) had untolerated taint or didn't match Pod's node selector, 1 Insufficient resources"
    );
    // Tolerating the taint makes the tainted node feasible.
    let mut p = pod(500);
    p.needs.tolerations.push(Toleration {
        key: Some("workload".into()),
        exists: false,
        value: "compute".into(),
        effect: Some(TaintEffect::NoSchedule),
    });
    assert_eq!(
        Scheduler::new(Scoring::LeastAllocated).place(&p, &nodes),
        Ok(1)
    );
}

#[test]
fn node_selector_must_match() {
    let mut p = pod(100);
    p.needs
        .node_selector
        .insert("node-type".into(), "memory".into());
    let mut memory = node("a", 4000, 3000);
    memory.labels.insert("node-type".into(), "memory".into());
    let nodes = [node("a", 4000, 0), memory];
    assert_eq!(
        Scheduler::new(Scoring::LeastAllocated).place(&p, &nodes),
        Ok(1)
    );
}

#[test]
fn required_anti_affinity_keeps_one_pod_of_an_app_per_node() {
    let mut busy = node("a", 4000, 0);
    busy.apps.insert("auth".into(), 1);
    let nodes = [busy, node("a", 4000, 3000)];
    let mut p = pod(500);
    p.anti_affinity = AntiAffinity::Required;
    assert_eq!(
        Scheduler::new(Scoring::LeastAllocated).place(&p, &nodes),
        Ok(1)
    );
    let only_busy = [nodes[0].clone()];
    let err = Scheduler::new(Scoring::LeastAllocated)
        .place(&p, &only_busy)
        .unwrap_err();
    assert_eq!(
        err.reasons,
        vec![("node(s) didn't match pod anti-affinity rules", 1)]
    );
}

#[test]
fn preferred_anti_affinity_outweighs_a_small_resource_difference() {
    // Node 0 is emptier (fit 91 vs 72: mean used share of CPU and memory
    // after placing, 9.4 % vs 28.1 %) but already runs an auth pod; the
    // anti-affinity term scales to 0 and 100: 91 + 2·0 vs 72 + 2·100 → node 1.
    let mut busy = node("a", 4000, 0);
    busy.apps.insert("auth".into(), 1);
    let nodes = [busy, node("a", 4000, 1500)];
    let mut p = pod(500);
    p.anti_affinity = AntiAffinity::Preferred(100);
    assert_eq!(
        Scheduler::new(Scoring::LeastAllocated).place(&p, &nodes),
        Ok(1)
    );
}

#[test]
fn hard_zone_spread_respects_max_skew() {
    // Zones a (2 auth pods), b (0), c (1). With maxSkew 1 the next pod may go
    // only where count + 1 − min(0) ≤ 1: zone b.
    let mut a = node("a", 4000, 0);
    a.apps.insert("auth".into(), 2);
    let mut c = node("c", 4000, 0);
    c.apps.insert("auth".into(), 1);
    let b = node("b", 4000, 3500);
    let nodes = [a, c, b];
    let mut p = pod(100);
    p.spread = Some(ZoneSpread {
        max_skew: 1,
        hard: true,
    });
    assert_eq!(
        Scheduler::new(Scoring::LeastAllocated).place(&p, &nodes),
        Ok(2)
    );
}

#[test]
fn feasible_nodes_to_find_follow_percentage_of_nodes_to_score() {
    assert_eq!(Scheduler::feasible_to_find(50), 50);
    assert_eq!(Scheduler::feasible_to_find(100), 100);
    // 500 nodes: 50 − 500/125 = 46 % → 230.
    assert_eq!(Scheduler::feasible_to_find(500), 230);
    // 5,000 nodes: 50 − 40 = 10 % → 500; 10,000: 5 % floor → 500.
    assert_eq!(Scheduler::feasible_to_find(5000), 500);
    assert_eq!(Scheduler::feasible_to_find(10_000), 500);
    // 150 nodes: 49 % = 73, at least 100.
    assert_eq!(Scheduler::feasible_to_find(150), 100);
}
