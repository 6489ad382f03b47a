//! The cluster-autoscaler places pods with kube-scheduler's predicate (issue
//! 12 a): required hostname anti-affinity and hard zone spread hold in
//! filter-out-schedulable and in the binpacking estimator, as CA runs the
//! scheduler framework's filters there (`core/scaleup`, `estimator/binpacking_estimator.go`).
//! Expected counts are worked by hand from those rules.

use super::config::CaConfig;
use super::fit::{Bins, estimate};
use super::scale_up::{scale_up, unschedulable_pods};
use super::snapshot::{PendingPod, Snapshot};
use super::state::CaState;
use super::test_support::*;
use crate::spec::placement::ZONE_LABEL;
use crate::spec::resources::{PodNeeds, SpreadRule};

/// A 400m pod of `web` with required anti-affinity (4 fit a 1600m node by CPU).
fn web(anti: bool, spread: Option<u32>) -> PodNeeds {
    PodNeeds {
        one_per_node: anti.then(|| "web".to_string()),
        zone_spread: spread.map(|max_skew| SpreadRule {
            app: "web".into(),
            max_skew,
        }),
        ..needs(400, 0.5)
    }
}

fn pending_web(n: usize) -> Vec<PendingPod> {
    (0..n)
        .map(|_| PendingPod {
            needs: web(true, None),
            created_ns: 0,
        })
        .collect()
}

#[test]
fn estimate_gives_one_node_per_anti_affine_pod() {
    // 8 pods of 400m on 1600m nodes: by requests 2 nodes, but at most one
    // `web` pod per node → 8 nodes (the scheduler could place exactly 8).
    let g = group("g", 1600, 8.0, 0, 20, 0);
    let snap = Snapshot {
        groups: vec![g.clone()],
        nodes: vec![],
        pending: pending_web(8),
    };
    let pods: Vec<&PodNeeds> = snap.pending.iter().map(|p| &p.needs).collect();
    let all: Vec<usize> = (0..8).collect();
    let est = estimate(&g.template, &pods, &all, 20, &Bins::default());
    assert_eq!(est.node_count, 8);
    assert_eq!(est.pods.len(), 8);
    // Without the rule, plain FFD packs 4 per node: 2 nodes.
    let plain: Vec<PodNeeds> = (0..8).map(|_| needs(400, 0.5)).collect();
    let plain: Vec<&PodNeeds> = plain.iter().collect();
    assert_eq!(
        estimate(&g.template, &plain, &all, 20, &Bins::default()).node_count,
        2
    );
    // And the whole scale-up asks for 8.
    let mut state = CaState::default();
    let up = scale_up(
        &snap,
        &CaConfig::default(),
        &mut state,
        10 * SEC,
        &mut rng(),
    )
    .expect("scales up");
    assert_eq!(up.delta, 8);
}

#[test]
fn upcoming_nodes_take_one_anti_affine_pod_each() {
    // 2 upcoming nodes of 1600m: by requests they hold all 8 pods; with the rule
    // only 2, so 6 pods still trigger a scale-up (of 6 nodes).
    let mut g = group("g", 1600, 8.0, 0, 20, 2);
    g.upcoming = 2;
    let snap = Snapshot {
        groups: vec![g],
        nodes: vec![],
        pending: pending_web(8),
    };
    assert_eq!(
        unschedulable_pods(&snap, &CaConfig::default(), 10 * SEC).len(),
        6
    );
    let mut state = CaState::default();
    let up = scale_up(
        &snap,
        &CaConfig::default(),
        &mut state,
        10 * SEC,
        &mut rng(),
    )
    .expect("scales up");
    assert_eq!(up.delta, 6);
}

#[test]
fn estimate_respects_hard_zone_spread() {
    // Nodes in zones a, b, c each run one `web` pod and are full. The group's
    // template is in zone a. Three pending pods with maxSkew 1: counts a=1, b=1,
    // c=1. Pod 1 → a: 1 + 1 − 1 = 1 ≤ 1, a=2. Pod 2 → a: 2 + 1 − 1 = 2 > 1:
    // left out, and so is pod 3. Estimate: 1 node, 1 pod.
    let mut g = group("g", 1600, 8.0, 0, 20, 3);
    g.template.labels.insert(ZONE_LABEL.into(), "a".into());
    let zoned = |z: &str| {
        let mut n = node(u32::from(z.as_bytes()[0]), 0, &g, vec![]);
        n.labels.insert(ZONE_LABEL.into(), z.into());
        n.pods = vec![super::snapshot::NodePod {
            needs: PodNeeds {
                requests: req(1600, 1.0),
                ..web(false, Some(1))
            },
            ..movable(0, 0.0)
        }];
        n
    };
    let snap = Snapshot {
        groups: vec![g.clone()],
        nodes: vec![zoned("a"), zoned("b"), zoned("c")],
        pending: (0..3)
            .map(|_| PendingPod {
                needs: web(false, Some(1)),
                created_ns: 0,
            })
            .collect(),
    };
    let mut bins = Bins::default();
    for n in &snap.nodes {
        bins.push_with_pods(
            n.free(),
            &n.labels,
            &n.taints,
            n.pods.iter().map(|p| &p.needs),
        );
    }
    let pods: Vec<&PodNeeds> = snap.pending.iter().map(|p| &p.needs).collect();
    let est = estimate(&g.template, &pods, &[0, 1, 2], 20, &bins);
    assert_eq!((est.node_count, est.pods.len()), (1, 1));
    // maxSkew 3 lets all three into zone a: 1 + 1 − 1, 2 + 1 − 1, 3 + 1 − 1 ≤ 3 → 1 node (3 × 400m fit).
    let wide: Vec<PodNeeds> = (0..3).map(|_| web(false, Some(3))).collect();
    let wide: Vec<&PodNeeds> = wide.iter().collect();
    let est = estimate(&g.template, &wide, &[0, 1, 2], 20, &bins);
    assert_eq!((est.node_count, est.pods.len()), (1, 3));
}
