//! Scale-down utilisation with DaemonSet pods (issue 12 b), against CA's
//! `CalculateUtilizationOfResource` (`cluster-autoscaler/simulator/utilization/info.go`):
//! utilisation = Σ pod requests ÷ allocatable with every pod counted, unless
//! `--ignore-daemonsets-utilization` (default false) takes DaemonSet pods out
//! of the sum and their requests off allocatable. The node's score is the
//! larger of CPU and memory. All expected numbers are worked by hand below.

use super::config::CaConfig;
use super::scale_down::update_unneeded;
use super::snapshot::Snapshot;
use super::state::CaState;
use super::test_support::{NodeId, daemon, group, movable, node};
use crate::spec::resources::Resources;

/// A 2000m / 8 GiB node with a 200m / 0.25 GiB DaemonSet pod and two 450m / 1 GiB pods.
fn busy_node_pods() -> Vec<super::snapshot::NodePod> {
    vec![daemon(200, 0.25), movable(450, 1.0), movable(450, 1.0)]
}

#[test]
fn daemonset_pods_count_by_default() {
    let g = group("g", 2000, 8.0, 0, 10, 2);
    let n = node(1, 0, &g, busy_node_pods());
    // CPU (200 + 450 + 450) / 2000 = 0.55; memory (0.25 + 2) / 8 = 0.28125 → 0.55.
    assert!((n.utilization(Resources::default(), false) - 0.55).abs() < 1e-12);
    // Flag on: CPU 900 / (2000 − 200) = 0.5; memory 2 / (8 − 0.25) = 0.2581 → 0.5.
    assert!((n.utilization(Resources::default(), true) - 0.5).abs() < 1e-12);
    // Extra (pending pods CA placed here) counts with the pods: +100m → 1200/2000 = 0.6.
    let extra = Resources {
        cpu_milli: 100,
        ..Resources::default()
    };
    assert!((n.utilization(extra, false) - 0.6).abs() < 1e-12);
}

/// The node above and a fuller, larger destination with room for its two pods.
fn snapshot() -> Snapshot {
    let g = group("g", 2000, 8.0, 0, 10, 1);
    let big = group("big", 4000, 16.0, 0, 10, 1);
    let busy = node(0, 0, &g, busy_node_pods());
    let spare = node(1, 1, &big, vec![daemon(200, 0.25), movable(2400, 4.0)]);
    Snapshot {
        groups: vec![g, big],
        nodes: vec![busy, spare],
        pending: vec![],
    }
}

fn unneeded_names(cfg: &CaConfig) -> Vec<String> {
    let snap = snapshot();
    let mut state = CaState::default();
    update_unneeded(&snap, cfg, &mut state, 0)
        .into_iter()
        .map(|(i, _)| {
            if snap.nodes[i].id == NodeId(0) {
                "busy"
            } else {
                "spare"
            }
            .to_string()
        })
        .collect()
}

#[test]
fn default_keeps_a_node_whose_daemonsets_lift_it_over_the_threshold() {
    // Threshold 0.5 (default). busy: 0.55 > 0.5 → needed. spare: CPU
    // (200 + 2400) / 4000 = 0.65 → needed. Nothing is unneeded.
    let cfg = CaConfig::default();
    assert!(
        !cfg.ignore_daemonsets_utilization,
        "the flag defaults to false"
    );
    assert_eq!(unneeded_names(&cfg), Vec::<String>::new());
}

#[test]
fn ignore_daemonsets_utilization_makes_it_a_candidate() {
    // Flag on: busy is at 900 / 1800 = 0.5 ≤ 0.5 and its two 450m pods fit in
    // spare's 4000 − 200 − 2400 = 1400m → unneeded. spare: 2400 / 3800 = 0.63 → needed.
    let cfg = CaConfig {
        ignore_daemonsets_utilization: true,
        ..CaConfig::default()
    };
    assert_eq!(unneeded_names(&cfg), vec!["busy".to_string()]);
}
