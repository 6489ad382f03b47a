//! Scale-up rules, with expected values worked out by hand from the reference
//! (§1.2 trigger, estimate, caps, balancing; §1.1 backoff and provision time).

use super::test_support::*;
use super::*;

/// A snapshot with `groups`, no nodes and `pods` pending.
fn snap(groups: Vec<GroupView>, pods: Vec<PendingPod>) -> Snapshot {
    Snapshot {
        groups,
        nodes: vec![],
        pending: pods,
    }
}

fn up(s: &Snapshot, cfg: &CaConfig, state: &mut CaState, now: u64) -> Option<ScaleUpDecision> {
    scale_up(s, cfg, state, now, &mut rng())
}

#[test]
fn pods_that_fit_an_upcoming_node_trigger_nothing() {
    let mut g = group("a", 4000, 16.0, 0, 10, 1);
    g.upcoming = 1;
    // Two 1.5-CPU pods fit the upcoming 4-CPU node (3 ≤ 4): no scale-up.
    let s = snap(vec![g.clone()], vec![pending(1500, 1.0); 2]);
    assert_eq!(
        up(&s, &CaConfig::default(), &mut CaState::default(), MIN),
        None
    );
    // A third does not (4.5 > 4): one more node for that one pod.
    let s = snap(vec![g], vec![pending(1500, 1.0); 3]);
    let d = up(&s, &CaConfig::default(), &mut CaState::default(), MIN).unwrap();
    assert_eq!((d.group, d.delta), (GroupId(0), 1));
    assert!(
        d.reason.starts_with("1 unschedulable pod(s)"),
        "{}",
        d.reason
    );
}

#[test]
fn pods_that_fit_free_capacity_trigger_nothing() {
    let g = group("a", 4000, 16.0, 0, 10, 1);
    let mut s = snap(vec![g.clone()], vec![pending(2000, 1.0)]);
    s.nodes = vec![node(0, 0, &g, vec![movable(1000, 1.0)])];
    assert_eq!(
        up(&s, &CaConfig::default(), &mut CaState::default(), MIN),
        None
    );
    // 3.5 CPU does not fit the 3 CPU left.
    s.pending = vec![pending(3500, 1.0)];
    assert_eq!(
        up(&s, &CaConfig::default(), &mut CaState::default(), MIN)
            .unwrap()
            .delta,
        1
    );
}

#[test]
fn ffd_ten_pods_of_one_and_a_half_cpu_need_five_four_cpu_nodes() {
    // Two 1.5-CPU pods per 4-CPU node (a third would need 4.5): ⌈10/2⌉ = 5.
    let s = snap(
        vec![group("a", 4000, 16.0, 0, 100, 0)],
        vec![pending(1500, 1.0); 10],
    );
    let d = up(&s, &CaConfig::default(), &mut CaState::default(), MIN).unwrap();
    assert_eq!(d.delta, 5);
    assert_eq!(d.balanced, vec![(GroupId(0), 5)]);
}

#[test]
fn ffd_sorts_largest_first() {
    // In arrival order first-fit needs 3 nodes of 5 CPU (2+2 | 3 | 3);
    // decreasing order packs 3+2 | 3+2 = 2 nodes.
    let pods = vec![
        pending(2000, 1.0),
        pending(2000, 1.0),
        pending(3000, 1.0),
        pending(3000, 1.0),
    ];
    let s = snap(vec![group("a", 5000, 16.0, 0, 100, 0)], pods);
    assert_eq!(
        up(&s, &CaConfig::default(), &mut CaState::default(), MIN)
            .unwrap()
            .delta,
        2
    );
}

#[test]
fn estimate_is_capped_by_group_max() {
    // max 3, target 1: at most 2 new nodes, hosting 4 of the 10 pods.
    let s = snap(
        vec![group("a", 4000, 16.0, 0, 3, 1)],
        vec![pending(1500, 1.0); 10],
    );
    let d = up(&s, &CaConfig::default(), &mut CaState::default(), MIN).unwrap();
    assert_eq!(d.delta, 2);
    assert!(d.reason.contains("+2 node(s) for 4 pod(s)"), "{}", d.reason);
    // A group at max is skipped altogether.
    let s = snap(
        vec![group("a", 4000, 16.0, 0, 3, 3)],
        vec![pending(1500, 1.0)],
    );
    assert_eq!(
        up(&s, &CaConfig::default(), &mut CaState::default(), MIN),
        None
    );
}

#[test]
fn cluster_node_cap_cuts_the_count() {
    let g = group("a", 4000, 16.0, 0, 100, 3);
    let mut s = snap(vec![g.clone()], vec![pending(1500, 1.0); 10]);
    s.nodes = (0..3)
        .map(|i| node(i, 0, &g, vec![movable(4000, 1.0)]))
        .collect();
    let cfg = CaConfig {
        max_nodes_total: 5,
        ..CaConfig::default()
    };
    // 5 nodes wanted, 5 − 3 = 2 allowed.
    assert_eq!(up(&s, &cfg, &mut CaState::default(), MIN).unwrap().delta, 2);
}

#[test]
fn groups_that_cannot_run_the_pod_are_not_options() {
    let small = group("small", 4000, 16.0, 0, 10, 0);
    let big = group("big", 8000, 32.0, 0, 10, 0);
    // Too big for `small`.
    let s = snap(vec![small.clone(), big.clone()], vec![pending(6000, 1.0)]);
    assert_eq!(
        up(&s, &CaConfig::default(), &mut CaState::default(), MIN)
            .unwrap()
            .group,
        GroupId(1)
    );
    // A selector only `small` satisfies.
    let mut p = pending(1000, 1.0);
    p.needs.node_selector = [("group".to_string(), "small".to_string())].into();
    let s = snap(vec![small.clone(), big.clone()], vec![p.clone()]);
    assert_eq!(
        up(&s, &CaConfig::default(), &mut CaState::default(), MIN)
            .unwrap()
            .group,
        GroupId(0)
    );
    // A taint on `small` the pod does not tolerate: nothing can help.
    let mut tainted = small;
    tainted.template.taints = vec![crate::spec::resources::Taint {
        key: "dedicated".into(),
        value: "x".into(),
        effect: crate::spec::resources::TaintEffect::NoSchedule,
    }];
    let s = snap(vec![tainted, big], vec![p]);
    assert_eq!(
        up(&s, &CaConfig::default(), &mut CaState::default(), MIN),
        None
    );
}

#[test]
fn young_pods_defer_the_loop_and_its_scale_down() {
    let s = snap(
        vec![group("a", 4000, 16.0, 0, 10, 0)],
        vec![pending(1000, 1.0)],
    );
    let mut st = CaState::default();
    // 1.999 s old: wait a loop (2 s buffer), and no scale-down in this loop.
    assert_eq!(up(&s, &CaConfig::default(), &mut st, 2 * SEC - 1), None);
    assert_eq!(st.scale_down_skipped_at_ns, Some(2 * SEC - 1));
    assert!(up(&s, &CaConfig::default(), &mut st, 2 * SEC).is_some());
    assert_eq!(st.last_scale_up_ns, Some(2 * SEC));
}

#[test]
fn one_group_per_loop() {
    let mut pa = pending(1000, 1.0);
    pa.needs.node_selector = [("group".to_string(), "a".to_string())].into();
    let mut pb = pa.clone();
    pb.needs.node_selector = [("group".to_string(), "b".to_string())].into();
    let s = snap(
        vec![
            group("a", 4000, 16.0, 0, 10, 0),
            group("b", 4000, 16.0, 0, 10, 0),
        ],
        vec![pa, pb],
    );
    let d = up(&s, &CaConfig::default(), &mut CaState::default(), MIN).unwrap();
    assert_eq!(d.balanced.len(), 1);
}

/// Two groups alike but for the zone label.
fn twins(a_size: u32, b_size: u32) -> Vec<GroupView> {
    let mut a = group("a", 4000, 16.0, 0, 10, a_size);
    let mut b = group("b", 4000, 16.0, 0, 10, b_size);
    a.template.labels = [(
        "topology.kubernetes.io/zone".to_string(),
        "us-east-1a".to_string(),
    )]
    .into();
    b.template.labels = [(
        "topology.kubernetes.io/zone".to_string(),
        "us-east-1b".to_string(),
    )]
    .into();
    vec![a, b]
}

fn balanced_cfg() -> CaConfig {
    CaConfig {
        balance_similar_node_groups: true,
        expanders: vec![Expander::Priority],
        priorities: [("a".to_string(), 10)].into(),
        ..CaConfig::default()
    }
}

#[test]
fn balancing_splits_five_nodes_smallest_group_first() {
    // 10 × 1.5 CPU → 5 nodes; both groups at 2: a, b, a, b, a → a+3, b+2.
    let s = snap(twins(2, 2), vec![pending(1500, 1.0); 10]);
    let d = up(&s, &balanced_cfg(), &mut CaState::default(), MIN).unwrap();
    assert_eq!(d.delta, 5);
    assert_eq!(d.balanced, vec![(GroupId(0), 3), (GroupId(1), 2)]);
    // a at 4, b at 1: b to 4 (+3), then b, a → a+1, b+4.
    let s = snap(twins(4, 1), vec![pending(1500, 1.0); 10]);
    let d = up(&s, &balanced_cfg(), &mut CaState::default(), MIN).unwrap();
    assert_eq!(d.balanced, vec![(GroupId(0), 1), (GroupId(1), 4)]);
    // Without the flag everything goes to the chosen group.
    let cfg = CaConfig {
        balance_similar_node_groups: false,
        ..balanced_cfg()
    };
    let d = up(&s, &cfg, &mut CaState::default(), MIN).unwrap();
    assert_eq!(d.balanced, vec![(GroupId(0), 5)]);
}

#[test]
fn similarity_needs_equal_shape_and_labels() {
    let cfg = CaConfig::default();
    let g = twins(0, 0);
    assert!(similar(&g[0], &g[1], &cfg));
    // Memory capacity 1 % apart is within 1.5 %; allocatable 4 % apart within 5 %.
    let mut near = g[1].clone();
    near.capacity.memory_bytes = g[0].capacity.memory_bytes / 100 * 101;
    near.template.allocatable.cpu_milli = 3840;
    assert!(similar(&g[0], &near, &cfg));
    let mut far = g[1].clone();
    far.capacity.memory_bytes = g[0].capacity.memory_bytes / 100 * 102;
    assert!(!similar(&g[0], &far, &cfg));
    let mut other_cpu = g[1].clone();
    other_cpu.capacity.cpu_milli = 8000;
    assert!(!similar(&g[0], &other_cpu, &cfg));
    let mut labelled = g[1].clone();
    labelled
        .template
        .labels
        .insert("workload".into(), "batch".into());
    assert!(!similar(&g[0], &labelled, &cfg));
    let ignoring = CaConfig {
        balancing_ignore_labels: vec!["workload".into()],
        ..CaConfig::default()
    };
    assert!(similar(&g[0], &labelled, &ignoring));
}

#[test]
fn backoff_grows_5_10_20_30_and_resets_after_3h() {
    let cfg = CaConfig::default();
    let mut st = CaState::default();
    let dur = |st: &mut CaState, t: u64| {
        st.record_failed_scale_up(&cfg, GroupId(0), t);
        st.backoff[&GroupId(0)].duration_ns / MIN
    };
    assert_eq!(dur(&mut st, 0), 5);
    // A failure while still backed off keeps 5.
    assert_eq!(dur(&mut st, 2 * MIN), 5);
    assert_eq!(st.backoff[&GroupId(0)].until_ns, 7 * MIN);
    assert_eq!(dur(&mut st, 8 * MIN), 10);
    assert_eq!(dur(&mut st, 19 * MIN), 20);
    assert_eq!(dur(&mut st, 40 * MIN), 30);
    assert_eq!(dur(&mut st, 71 * MIN), 30);
    assert!(st.is_backed_off(GroupId(0), 100 * MIN));
    assert!(!st.is_backed_off(GroupId(0), 101 * MIN));
    // 3 h after the last failure is not yet "more than 3 h"; 3 h + 1 min is.
    let mut late = st.clone();
    assert_eq!(dur(&mut late, 71 * MIN + 180 * MIN), 30);
    assert_eq!(dur(&mut st, 71 * MIN + 181 * MIN), 5);
}

#[test]
fn backed_off_group_is_skipped_until_the_backoff_ends() {
    let cfg = CaConfig {
        expanders: vec![Expander::Priority],
        priorities: [("a".to_string(), 10), ("b".to_string(), 1)].into(),
        ..CaConfig::default()
    };
    let s = snap(
        vec![
            group("a", 4000, 16.0, 0, 10, 0),
            group("b", 4000, 16.0, 0, 10, 0),
        ],
        vec![pending(1000, 1.0)],
    );
    let mut st = CaState::default();
    st.record_failed_scale_up(&cfg, GroupId(0), MIN);
    assert_eq!(
        up(&s, &cfg, &mut st, 6 * MIN - 1).unwrap().group,
        GroupId(1)
    );
    assert_eq!(up(&s, &cfg, &mut st, 6 * MIN).unwrap().group, GroupId(0));
}

#[test]
fn provision_timeout_fails_after_15_minutes_and_success_clears_backoff() {
    let cfg = CaConfig::default();
    let mut g = group("a", 4000, 16.0, 0, 10, 0);
    let s = snap(vec![g.clone()], vec![pending(1000, 1.0)]);
    let mut st = CaState::default();
    assert_eq!(up(&s, &cfg, &mut st, 10 * SEC).unwrap().delta, 1);
    g.target_size = 1;
    g.upcoming = 1;
    let launching = snap(vec![g.clone()], vec![]);
    // Expected add time 15:10; a failure needs it to be strictly before now.
    assert!(check_provisioning(&launching, &cfg, &mut st, 15 * MIN + 10 * SEC).is_empty());
    let f = check_provisioning(&launching, &cfg, &mut st, 15 * MIN + 20 * SEC);
    assert_eq!((f[0].group, f[0].nodes), (GroupId(0), 1));
    assert!(st.is_backed_off(GroupId(0), 20 * MIN));
    assert_eq!(st.backoff[&GroupId(0)].until_ns, 20 * MIN + 20 * SEC);
    // After the backoff a new scale-up whose node registers removes the backoff.
    st.record_scale_up(&cfg, GroupId(0), 1, 21 * MIN);
    g.upcoming = 0;
    assert!(check_provisioning(&snap(vec![g], vec![]), &cfg, &mut st, 23 * MIN).is_empty());
    assert!(st.backoff.is_empty() && st.requests.is_empty());
}

#[test]
fn a_loop_that_scales_up_deletes_nothing() {
    let g = group("a", 4000, 16.0, 0, 10, 2);
    let mut s = snap(vec![g.clone()], vec![pending(3000, 1.0)]);
    // n1 is empty and has been unneeded for an hour.
    s.nodes = vec![
        node(0, 0, &g, vec![movable(3500, 1.0)]),
        node(1, 0, &g, vec![]),
    ];
    let mut st = CaState::default();
    st.unneeded_since.insert(NodeId(1), 0);
    let out = run_loop(&s, &CaConfig::default(), &mut st, 60 * MIN, &mut rng());
    // The 3-CPU pod fits n1, so no scale-up; n1 is needed now.
    assert!(out.scale_up.is_none() && out.scale_down.is_empty());
    s.pending = vec![pending(3000, 1.0), pending(3000, 1.0)];
    let out = run_loop(&s, &CaConfig::default(), &mut st, 60 * MIN, &mut rng());
    assert_eq!(out.scale_up.unwrap().delta, 1);
    assert!(out.scale_down.is_empty());
}
