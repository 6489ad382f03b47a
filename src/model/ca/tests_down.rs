//! Scale-down rules (reference §1.3, §1.1), expected values worked out by hand.

use super::test_support::*;
use super::*;

/// Group `g` (4 CPU / 16 GiB nodes, min `min`) with one node per entry of `pods`.
fn cluster(min: u32, pods: Vec<Vec<NodePod>>) -> Snapshot {
    let g = group("g", 4000, 16.0, min, 100, pods.len() as u32);
    let nodes = pods
        .into_iter()
        .enumerate()
        .map(|(i, p)| node(i as u32, 0, &g, p))
        .collect();
    Snapshot {
        groups: vec![g],
        nodes,
        pending: vec![],
    }
}

fn names(s: &Snapshot, idx: &[(usize, bool)]) -> Vec<String> {
    idx.iter()
        .map(|&(i, _)| s.nodes[i].id.to_string())
        .collect()
}

fn down(s: &Snapshot, st: &mut CaState, now: u64) -> Vec<String> {
    scale_down(s, &CaConfig::default(), st, now)
        .into_iter()
        .map(|d| d.node.to_string())
        .collect()
}

#[test]
fn utilisation_at_or_below_half_is_eligible() {
    let cfg = CaConfig::default();
    // n0 at 49 % (1960 m of 4000 m) or 50 %: candidate; at 51 % (2040 m): not. n1 has room.
    for (cpu, want) in [(1960, true), (2000, true), (2040, false)] {
        let s = cluster(0, vec![vec![movable(cpu, 1.0)], vec![movable(1000, 1.0)]]);
        let mut st = CaState::default();
        let u = update_unneeded(&s, &cfg, &mut st, 0);
        assert_eq!(
            names(&s, &u).contains(&"node-0".to_string()),
            want,
            "cpu {cpu}"
        );
    }
    // Memory counts too: 10 % CPU but 60 % memory is not eligible.
    let s = cluster(0, vec![vec![movable(400, 9.6)], vec![]]);
    let u = update_unneeded(&s, &cfg, &mut CaState::default(), 0);
    assert_eq!(names(&s, &u), vec!["node-1"]);
}

#[test]
fn pods_that_fit_nowhere_else_block_scale_down() {
    let cfg = CaConfig::default();
    // n0 at 45 %; n1 at 75 % (not a candidate) has 1 CPU free: 1.8 CPU does not fit.
    let s = cluster(0, vec![vec![movable(1800, 1.0)], vec![movable(3000, 1.0)]]);
    assert!(update_unneeded(&s, &cfg, &mut CaState::default(), 0).is_empty());
    // With 2 CPU free it fits.
    let s = cluster(0, vec![vec![movable(1800, 1.0)], vec![movable(2000, 1.0)]]);
    let u = update_unneeded(&s, &cfg, &mut CaState::default(), 0);
    assert_eq!(names(&s, &u), vec!["node-0"]);
    // A selector only n0 matches blocks it even with room on n1 (n1 itself can now move to n0).
    let mut s = s;
    s.nodes[0].labels.insert("disk".into(), "ssd".into());
    s.nodes[0].pods[0].needs.node_selector = [("disk".to_string(), "ssd".to_string())].into();
    let u = update_unneeded(&s, &cfg, &mut CaState::default(), 0);
    assert_eq!(names(&s, &u), vec!["node-1"]);
    // A PDB-blocked (unmovable) pod blocks it.
    let mut s = cluster(0, vec![vec![movable(100, 1.0)], vec![]]);
    s.nodes[0].pods[0].blocks_removal = true;
    let u = update_unneeded(&s, &cfg, &mut CaState::default(), 0);
    assert_eq!(names(&s, &u), vec!["node-1"]);
}

#[test]
fn two_candidates_cannot_count_on_the_same_room() {
    // n0 and n1 hold 1.5 CPU each (37.5 %); n2 at 75 % has 1 CPU free. n0's pod goes to n1
    // (2.5 CPU free → 1); n1's pod then fits neither n0 (removed) nor n2. Checked one by one
    // without memory, both would look removable.
    let s = cluster(
        0,
        vec![
            vec![movable(1500, 1.0)],
            vec![movable(1500, 1.0)],
            vec![movable(3000, 1.0)],
        ],
    );
    let u = update_unneeded(&s, &CaConfig::default(), &mut CaState::default(), 0);
    assert_eq!(names(&s, &u), vec!["node-0"]);
}

#[test]
fn unneeded_for_strictly_more_than_ten_minutes() {
    let s = cluster(0, vec![vec![], vec![]]);
    let mut st = CaState::default();
    assert!(down(&s, &mut st, 0).is_empty());
    assert!(down(&s, &mut st, 9 * MIN + 59 * SEC).is_empty());
    // since + 10 min is not before now at exactly 10:00.
    assert!(down(&s, &mut st, 10 * MIN).is_empty());
    assert_eq!(
        down(&s, &mut st, 10 * MIN + 10 * SEC),
        vec!["node-0", "node-1"]
    );
}

#[test]
fn timer_restarts_when_a_node_becomes_needed() {
    let cfg = CaConfig::default();
    let mut s = cluster(0, vec![vec![], vec![]]);
    let mut st = CaState::default();
    update_unneeded(&s, &cfg, &mut st, 0);
    s.nodes[0].pods = vec![movable(2400, 1.0)]; // 60 %
    update_unneeded(&s, &cfg, &mut st, 5 * MIN);
    assert!(!st.unneeded_since.contains_key(&NodeId(0)));
    s.nodes[0].pods.clear();
    update_unneeded(&s, &cfg, &mut st, 6 * MIN);
    assert_eq!(st.unneeded_since[&NodeId(0)], 6 * MIN);
    assert_eq!(st.unneeded_since[&NodeId(1)], 0);
}

#[test]
fn unready_nodes_wait_twenty_minutes() {
    let mut s = cluster(0, vec![vec![]]);
    s.nodes[0].ready = false;
    let mut st = CaState::default();
    assert!(down(&s, &mut st, 0).is_empty());
    assert!(down(&s, &mut st, 20 * MIN).is_empty());
    assert_eq!(down(&s, &mut st, 20 * MIN + 10 * SEC), vec!["node-0"]);
}

#[test]
fn delay_after_add_blocks_deletions_but_not_timers() {
    let s = cluster(0, vec![vec![]]);
    let mut st = CaState::default();
    down(&s, &mut st, 0);
    st.last_scale_up_ns = Some(5 * MIN);
    // Unneeded long enough at 10:10, but 5:00 + 10 min > 10:10.
    assert!(down(&s, &mut st, 10 * MIN + 10 * SEC).is_empty());
    assert_eq!(st.unneeded_since[&NodeId(0)], 0);
    assert!(down(&s, &mut st, 15 * MIN - 1).is_empty());
    // The node unneeded throughout goes as soon as the delay ends.
    assert_eq!(down(&s, &mut st, 15 * MIN), vec!["node-0"]);
}

#[test]
fn delay_after_failure_and_after_delete() {
    let s = cluster(0, vec![vec![], vec![]]);
    let mut st = CaState::default();
    down(&s, &mut st, 0);
    st.record_failed_scale_down(9 * MIN);
    assert!(down(&s, &mut st, 11 * MIN).is_empty());
    assert_eq!(
        cooldown(&CaConfig::default(), &st, 12 * MIN - 1),
        Some("scale-down-delay-after-failure")
    );
    assert_eq!(down(&s, &mut st, 12 * MIN).len(), 2);
    assert_eq!(st.last_scale_down_delete_ns, Some(12 * MIN));
    // Delete delay 0 s: the very next loop may delete again.
    assert_eq!(
        cooldown(&CaConfig::default(), &st, 12 * MIN + 10 * SEC),
        None
    );
}

#[test]
fn empty_nodes_go_in_bulk_up_to_ten() {
    // 12 empty nodes (DaemonSet pods do not count), min 0: 10 at once, all empty.
    let s = cluster(0, (0..12).map(|_| vec![daemon(100, 0.1)]).collect());
    let mut st = CaState::default();
    down(&s, &mut st, 0);
    let d = scale_down(&s, &CaConfig::default(), &mut st, 11 * MIN);
    assert_eq!(d.len(), 10);
    assert!(d.iter().all(|x| x.empty && x.group == GroupId(0)));
}

#[test]
fn non_empty_nodes_drain_one_at_a_time() {
    // n0..n2 hold 0.5 CPU each; n3 holds 1.9 CPU. n0..n2's pods move to n3 (2.1 → 0.6 CPU free);
    // n3's pod then has nowhere to go. Three drainable nodes, one drained per loop.
    let mut pods: Vec<Vec<NodePod>> = (0..3).map(|_| vec![movable(500, 1.0)]).collect();
    pods.push(vec![movable(1900, 1.0)]);
    let mut s = cluster(0, pods);
    let mut st = CaState::default();
    let u = update_unneeded(&s, &CaConfig::default(), &mut st, 0);
    assert_eq!(names(&s, &u), vec!["node-0", "node-1", "node-2"]);
    let d = scale_down(&s, &CaConfig::default(), &mut st, 11 * MIN);
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].node, d[0].empty), (NodeId(0), false));
    // While n0 drains, no other drain starts; an empty node still may go.
    s.nodes[0].being_deleted = true;
    s.nodes.push(node(4, 0, &s.groups[0].clone(), vec![]));
    s.groups[0].target_size = 5;
    let d = scale_down(&s, &CaConfig::default(), &mut st, 11 * MIN + 10 * SEC);
    assert!(d.is_empty(), "n4 is only just unneeded: {d:?}");
    let d = scale_down(&s, &CaConfig::default(), &mut st, 22 * MIN);
    assert_eq!(
        d.iter().map(|x| (x.node, x.empty)).collect::<Vec<_>>(),
        vec![(NodeId(4), true)]
    );
}

#[test]
fn min_size_is_respected() {
    // min 2 of 3 empty nodes: one goes.
    let s = cluster(2, vec![vec![], vec![], vec![]]);
    let mut st = CaState::default();
    down(&s, &mut st, 0);
    assert_eq!(down(&s, &mut st, 11 * MIN).len(), 1);
    // A group at min has no candidates at all.
    let s = cluster(3, vec![vec![], vec![], vec![]]);
    let mut st = CaState::default();
    assert!(update_unneeded(&s, &CaConfig::default(), &mut st, 0).is_empty());
}

#[test]
fn pending_pods_that_fit_make_a_node_needed() {
    // n1 is empty but a pending 3-CPU pod fits only there.
    let mut s = cluster(0, vec![vec![movable(3500, 1.0)], vec![]]);
    s.pending = vec![pending(3000, 1.0)];
    let u = update_unneeded(&s, &CaConfig::default(), &mut CaState::default(), 0);
    assert!(u.is_empty(), "{u:?}");
}

#[test]
fn disabled_annotation_and_unmanaged_nodes_are_kept() {
    let mut s = cluster(0, vec![vec![], vec![]]);
    s.nodes[0].scale_down_disabled = true;
    s.nodes[1].group = None;
    assert!(update_unneeded(&s, &CaConfig::default(), &mut CaState::default(), 0).is_empty());
}

#[test]
fn a_loop_deferred_for_young_pods_keeps_timers_but_deletes_nothing() {
    let mut s = cluster(0, vec![vec![movable(3900, 1.0)], vec![]]);
    let mut st = CaState::default();
    down(&s, &mut st, 0);
    // A 1-second-old pod too big for n1 (4.5 CPU on 4-CPU nodes): scale-up waits a loop.
    s.pending = vec![PendingPod {
        created_ns: 11 * MIN - SEC,
        ..pending(4500, 1.0)
    }];
    let out = run_loop(&s, &CaConfig::default(), &mut st, 11 * MIN, &mut rng());
    assert!(out.scale_up.is_none() && out.scale_down.is_empty());
    assert_eq!(st.unneeded_since[&NodeId(1)], 0);
    let out = run_loop(
        &s,
        &CaConfig::default(),
        &mut st,
        11 * MIN + 10 * SEC,
        &mut rng(),
    );
    // 4.5 CPU fits no 4-CPU group: no scale-up, so scale-down proceeds.
    assert_eq!(out.scale_down.len(), 1);
}

#[test]
fn a_large_cluster_loop_stays_cheap() {
    // 500 nodes × 10 pods of 0.3 CPU (75 %), 2000 pending pods of 0.5 CPU.
    let g = group("g", 4000, 16.0, 0, 2000, 500);
    let nodes = (0..500)
        .map(|i| node(i, 0, &g, vec![movable(300, 1.0); 10]))
        .collect();
    let s = Snapshot {
        groups: vec![g],
        nodes,
        pending: vec![pending(500, 0.5); 2000],
    };
    let mut st = CaState::default();
    let out = run_loop(&s, &CaConfig::default(), &mut st, MIN, &mut rng());
    // 500 nodes × 1 CPU free take 2 pods each = 1000; 1000 left, 8 per new node → 125.
    assert_eq!(out.scale_up.unwrap().delta, 125);
}
