//! The shared placement predicate, filter by filter, with the rules of
//! kube-scheduler's plugins worked by hand (NodeResourcesFit, TaintToleration,
//! InterPodAffinity for required hostname anti-affinity, PodTopologySpread with
//! DoNotSchedule: placing must keep count(zone) + 1 − min ≤ maxSkew).

use super::*;
use crate::spec::resources::{SpreadRule, Taint, TaintEffect};

fn pod(cpu_milli: i64) -> PodNeeds {
    PodNeeds {
        requests: Resources {
            cpu_milli,
            memory_bytes: 1 << 30,
            pods: 1,
        },
        ..PodNeeds::default()
    }
}

fn room(cpu_milli: i64) -> Resources {
    Resources {
        cpu_milli,
        memory_bytes: 8 << 30,
        pods: 110,
    }
}

fn facts<'a>(
    labels: &'a BTreeMap<String, String>,
    taints: &'a [Taint],
    free: Resources,
) -> NodeFacts<'a> {
    NodeFacts {
        labels,
        taints,
        free,
        same_key_pods: 0,
        zone_counts: None,
    }
}

#[test]
fn requests_selector_and_taints() {
    let labels = BTreeMap::new();
    let p = pod(500);
    assert_eq!(check(&p, p.rules(), facts(&labels, &[], room(500))), Ok(()));
    assert_eq!(
        check(&p, p.rules(), facts(&labels, &[], room(499))),
        Err(Misfit::Resources)
    );
    let hard = [Taint {
        key: "k".into(),
        value: "v".into(),
        effect: TaintEffect::NoSchedule,
    }];
    assert_eq!(
        check(&p, p.rules(), facts(&labels, &hard, room(500))),
        Err(Misfit::Taints)
    );
}

#[test]
fn required_anti_affinity_allows_one_pod_of_the_key_per_node() {
    let labels = BTreeMap::new();
    let p = PodNeeds {
        one_per_node: Some("web".into()),
        ..pod(100)
    };
    let mut f = facts(&labels, &[], room(4000));
    assert_eq!(check(&p, p.rules(), f), Ok(()));
    f.same_key_pods = 1;
    assert_eq!(check(&p, p.rules(), f), Err(Misfit::AntiAffinity));
    // Without the rule the same node is fine.
    let q = pod(100);
    assert_eq!(check(&q, q.rules(), f), Ok(()));
}

#[test]
fn hard_zone_spread_keeps_the_skew() {
    let labels = BTreeMap::new();
    let p = PodNeeds {
        zone_spread: Some(SpreadRule {
            app: "web".into(),
            max_skew: 1,
        }),
        ..pod(100)
    };
    let mut f = facts(&labels, &[], room(4000));
    // Zone has 1, fewest elsewhere 1: 1 + 1 − 1 = 1 ≤ 1.
    f.zone_counts = Some((1, 1));
    assert_eq!(check(&p, p.rules(), f), Ok(()));
    // Zone has 2, fewest 1: 2 + 1 − 1 = 2 > 1.
    f.zone_counts = Some((2, 1));
    assert_eq!(check(&p, p.rules(), f), Err(Misfit::Spread));
    // maxSkew 2 allows it.
    let wide = PodNeeds {
        zone_spread: Some(SpreadRule {
            app: "web".into(),
            max_skew: 2,
        }),
        ..p.clone()
    };
    assert_eq!(check(&wide, wide.rules(), f), Ok(()));
}

#[test]
fn zone_tally_counts_and_minimum() {
    let mut t = ZoneTally::default();
    t.add("web", "a", 2);
    t.add("web", "b", 1);
    t.add("api", "c", 5);
    assert_eq!(t.get("web", "a"), 2);
    assert_eq!(t.min_over("web", ["a", "b"]), 1);
    assert_eq!(t.min_over("web", ["a", "b", "c"]), 0);
    t.add("web", "a", -1);
    assert_eq!(t.get("web", "a"), 1);
}
