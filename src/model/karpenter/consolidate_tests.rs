//! Consolidation tests; expected values worked out by hand from the
//! reference (§3.2, §3.3) and the catalog prices (§5.1).

use super::*;
use crate::model::karpenter::test_support::{node, pod, pool};
use crate::spec::node_pool::{BudgetNodes, DisruptionBudget};
use crate::units::NANOS_PER_SEC as S;
use CapacityType::{OnDemand, Spot};

fn run(nodes: &[ClusterNode], pools: &[NodePool], now_ns: Nanos) -> Consolidation {
    consolidate(
        nodes,
        pools,
        &IceCache::default(),
        now_ns,
        &ConsolidationOptions::default(),
    )
}

fn deleted(c: &Consolidation) -> Vec<usize> {
    c.disruptions.iter().flat_map(|d| d.nodes.clone()).collect()
}

#[test]
fn when_empty_waits_for_consolidate_after() {
    let mut p = pool("p", &["m5.large"], &[OnDemand], &["a"]);
    p.spec.consolidation_policy = ConsolidationPolicy::WhenEmpty;
    p.spec.consolidate_after_ns = Some(30 * S);
    let mut empty = node(&p, "m5.large", OnDemand, vec![]);
    empty.last_pod_event_ns = 100 * S;
    let busy = node(&p, "m5.large", OnDemand, vec![pod(100, 1)]);
    let nodes = [busy, empty];
    let pools = [p.clone()];
    // 129 s: 29 s since the last pod left; 130 s: 30 s ≥ consolidateAfter → delete.
    assert!(run(&nodes, &pools, 129 * S).disruptions.is_empty());
    let c = run(&nodes, &pools, 130 * S);
    assert_eq!(deleted(&c), vec![1]);
    let d = &c.disruptions[0];
    assert_eq!(
        (d.reason, d.method, d.replacement.clone()),
        (
            DisruptionReason::Empty,
            ConsolidationMethod::Emptiness,
            None
        )
    );
    assert_eq!(d.savings_usd_per_hour, 0.096);
    // WhenEmpty never touches the under-used busy node, however long we wait.
    assert!(run(&nodes[..1], &pools, 10_000 * S).disruptions.is_empty());
    // Never = off.
    let mut never = p;
    never.spec.consolidate_after_ns = None;
    assert!(run(&nodes, &[never], 10_000 * S).disruptions.is_empty());
}

#[test]
fn underutilized_node_is_deleted_when_its_pods_fit_elsewhere() {
    // Two m5.xlarge ($0.192, 3920 m): A holds 1 CPU, B holds 3 × 0.9 CPU (2700 m).
    // Multi-node {A, B}: 3700 m needs one new m5.xlarge, which must undercut the m5.xlarge being
    // removed (same-type rule) → rejected. Single-node, fewest pods first: A's pod fits B's free
    // 3920 − 2700 = 1220 m → delete A, saving $0.192/h.
    // Budget 100 % so that multi-node is tried (10 % of 2 nodes would allow only one candidate).
    let mut p = pool("p", &["m5.large", "m5.xlarge"], &[OnDemand], &["a"]);
    p.spec.budgets[0].nodes = BudgetNodes::Percent(100);
    let a = node(&p, "m5.xlarge", OnDemand, vec![pod(1000, 2)]);
    let b = node(&p, "m5.xlarge", OnDemand, vec![pod(900, 2); 3]);
    let c = run(&[b, a], &[p], 0);
    assert_eq!(c.disruptions.len(), 1);
    let d = &c.disruptions[0];
    assert_eq!((d.nodes.clone(), d.replacement.clone()), (vec![1], None));
    assert_eq!(
        (d.reason, d.method),
        (
            DisruptionReason::Underutilized,
            ConsolidationMethod::SingleNode
        )
    );
    assert_eq!(d.savings_usd_per_hour, 0.192);
}

#[test]
fn underutilized_node_is_replaced_by_a_cheaper_one() {
    // A lone m5.xlarge ($0.192) with a 1 CPU / 2 GiB pod: nowhere else to go; m5.large
    // (1930 m, 6903 MiB) holds it for $0.096 < $0.192 → replace, saving $0.096/h.
    let p = pool("p", &["m5.large", "m5.xlarge"], &[OnDemand], &["a"]);
    let n = node(&p, "m5.xlarge", OnDemand, vec![pod(1000, 2)]);
    let c = run(&[n], std::slice::from_ref(&p), 0);
    let d = &c.disruptions[0];
    let r = d.replacement.as_ref().unwrap();
    assert_eq!(
        (r.instance_type.as_str(), r.capacity, r.pods.clone()),
        ("m5.large", OnDemand, vec![0])
    );
    assert!((d.savings_usd_per_hour - 0.096).abs() < 1e-12);
    // Already on the cheapest fitting type: nothing to do.
    let small = node(&p, "m5.large", OnDemand, vec![pod(1000, 2)]);
    assert!(run(&[small], &[p], 0).disruptions.is_empty());
}

#[test]
fn multi_node_merges_two_nodes_into_one_cheaper_node() {
    // Two m5.large ($0.096 each) with 1 CPU each; pool also has c5.xlarge ($0.17). Neither
    // pod fits the other node (1930 − 1000 = 930 m). Together (2000 m, 4 GiB) they need a 4-vCPU
    // type: c5.xlarge $0.17 < 0.192 → delete both, launch one, saving $0.022/h.
    // The default 10 % budget allows ceil(0.2) = 1 of the 2 nodes: no multi-node command, and a
    // lone m5.large has no cheaper replacement → nothing. With `nodes: "100%"` the merge happens.
    let mut p = pool("p", &["m5.large", "c5.xlarge"], &[OnDemand], &["a"]);
    let nodes = [
        node(&p, "m5.large", OnDemand, vec![pod(1000, 2)]),
        node(&p, "m5.large", OnDemand, vec![pod(1000, 2)]),
    ];
    assert!(
        run(&nodes, std::slice::from_ref(&p), 0)
            .disruptions
            .is_empty()
    );
    p.spec.budgets[0].nodes = BudgetNodes::Percent(100);
    let c = run(&nodes, &[p], 0);
    let d = &c.disruptions[0];
    assert_eq!(
        (d.nodes.clone(), d.method),
        (vec![0, 1], ConsolidationMethod::MultiNode)
    );
    assert_eq!(d.replacement.as_ref().unwrap().instance_type, "c5.xlarge");
    assert!((d.savings_usd_per_hour - 0.022).abs() < 1e-12);
}

#[test]
fn multi_node_takes_the_longest_valid_prefix() {
    // Three m5.large ($0.096) with 1 CPU / 2 GiB each. All three: 3000 m, 6 GiB → c5.xlarge
    // (3920 m, 6584 MiB) at $0.17 < 3 × 0.096 = $0.288; m5.large cannot hold them, so the same-type
    // rule does not apply. Saving 0.288 − 0.17 = $0.118/h.
    let mut p = pool(
        "p",
        &["m5.large", "c5.xlarge", "c5.2xlarge"],
        &[OnDemand],
        &["a"],
    );
    p.spec.budgets[0].nodes = BudgetNodes::Percent(100);
    let nodes = vec![node(&p, "m5.large", OnDemand, vec![pod(1000, 2)]); 3];
    let c = run(&nodes, &[p], 0);
    let d = &c.disruptions[0];
    assert_eq!(d.nodes, vec![0, 1, 2]);
    assert_eq!(d.replacement.as_ref().unwrap().instance_type, "c5.xlarge");
    assert!((d.savings_usd_per_hour - 0.118).abs() < 1e-12);
}

#[test]
fn budget_caps_disrupted_nodes() {
    // 25 empty nodes, default budget 10 %: ceil(2.5) = 3 deleted this pass (§3.3).
    let p = pool("p", &["m5.large"], &[OnDemand], &["a"]);
    let mut nodes = vec![node(&p, "m5.large", OnDemand, vec![]); 25];
    assert_eq!(
        deleted(&run(&nodes, std::slice::from_ref(&p), 0)),
        vec![0, 1, 2]
    );
    // Underutilized too: 25 nodes with one 100 m pod each, 10 % → 3 candidates at most. The
    // longest valid prefix merges all 3 pods onto one of the other 22 nodes' free room, i.e. a
    // multi-node delete of exactly 3 nodes.
    let busy = vec![node(&p, "m5.large", OnDemand, vec![pod(100, 1)]); 25];
    let c = run(&busy, std::slice::from_ref(&p), 0);
    assert_eq!(deleted(&c), vec![0, 1, 2]);
    assert_eq!(c.disruptions[0].method, ConsolidationMethod::MultiNode);
    // One already deleting and one not ready: 3 − 1 − 1 = 1.
    nodes[0].deleting = true;
    nodes[1].ready = false;
    nodes[1].initialized = false;
    assert_eq!(deleted(&run(&nodes, std::slice::from_ref(&p), 0)), vec![2]);
    // A count budget of 0 for Empty blocks emptiness.
    let mut strict = p;
    strict.spec.budgets.push(DisruptionBudget {
        nodes: BudgetNodes::Count(0),
        reasons: vec![DisruptionReason::Empty],
    });
    assert!(run(&nodes, &[strict], 0).disruptions.is_empty());
}

#[test]
fn do_not_disrupt_and_uninitialized_nodes_are_skipped() {
    let p = pool("p", &["m5.large"], &[OnDemand], &["a"]);
    let mut a = node(&p, "m5.large", OnDemand, vec![]);
    a.do_not_disrupt = true;
    let mut b = node(&p, "m5.large", OnDemand, vec![]);
    b.initialized = false;
    assert!(run(&[a, b], &[p], 0).disruptions.is_empty());
}

#[test]
fn spot_to_spot_replacement_needs_the_gate_and_fifteen_types() {
    // A c5.xlarge spot node (0.17 × 0.35 = $0.0595) with a 1 CPU / 2 GiB pod in a spot-only pool
    // of every catalog type. Cheaper spot types that fit: t3.medium, t3.large, m5.large,
    // c6g.xlarge, c7g.xlarge, m6g.xlarge, m7g.xlarge = 7 (on-demand below $0.17).
    let names: Vec<&str> = crate::spec::catalog::all().iter().map(|t| t.name).collect();
    let mut p = pool("p", &names, &[Spot], &["a"]);
    p.spec.budgets[0].nodes = BudgetNodes::Percent(100);
    let n = node(&p, "c5.xlarge", Spot, vec![pod(1000, 2)]);
    // Gate off (default): no spot→spot replace.
    assert!(
        run(std::slice::from_ref(&n), std::slice::from_ref(&p), 0)
            .disruptions
            .is_empty()
    );
    // Gate on: 7 < 15 cheaper types → still none.
    let on = ConsolidationOptions { spot_to_spot: true };
    assert!(
        consolidate(
            std::slice::from_ref(&n),
            std::slice::from_ref(&p),
            &IceCache::default(),
            0,
            &on
        )
        .disruptions
        .is_empty()
    );
    // Deleting a spot node is allowed without the gate: a second node with room takes the pod.
    let big = node(&p, "m5.2xlarge", Spot, vec![pod(4000, 8); 1]);
    let c = run(&[big, n], &[p], 0);
    assert_eq!(deleted(&c), vec![1]);
    assert!(c.disruptions[0].replacement.is_none());
}

#[test]
fn on_demand_node_may_be_replaced_by_spot() {
    // m5.xlarge on-demand ($0.192); the pool allows spot: m5.large spot 0.096 × 0.35 = $0.0336.
    let p = pool("p", &["m5.large", "m5.xlarge"], &[OnDemand, Spot], &["a"]);
    let n = node(&p, "m5.xlarge", OnDemand, vec![pod(1000, 2)]);
    let c = run(&[n], &[p], 0);
    let r = c.disruptions[0].replacement.as_ref().unwrap();
    assert_eq!((r.instance_type.as_str(), r.capacity), ("m5.large", Spot));
    assert!((c.disruptions[0].savings_usd_per_hour - (0.192 - 0.0336)).abs() < 1e-12);
}
