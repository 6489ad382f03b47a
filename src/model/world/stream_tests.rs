//! Random streams are keyed by what draws from them (kind and name), not by
//! position: adding a service, reordering services or node groups, or renaming
//! one leaves the draws of every other stream unchanged (issue 12 g).
//!
//! Each test builds two worlds from scenario texts that differ only as stated
//! and compares the next draws of the node groups' boot and spot streams and of
//! the services' streams. The expected relation (equal, or different for the
//! renamed one) follows from the keying rule in `stream::id`, not from a run.

use super::World;
use crate::engine::rng::SimRng;
use crate::scenario::parse_str;
use crate::spec::Scenario;
use rand::Rng;
use std::path::Path;

const SERVICE_API: &str = "
  - name: api
    replicas: 2
    traffic: { rate: [ { constant: { rps: 20 } } ] }
    request: { cpu: { exponential: { mean: 10ms } } }
    pod: { concurrency: 4, requests: { cpu: 250m, memory: 256Mi } }";
const SERVICE_WEB: &str = "
  - name: web
    replicas: 1
    traffic: { rate: [ { constant: { rps: 5 } } ] }
    request: { cpu: { exponential: { mean: 20ms } } }
    pod: { concurrency: 2, requests: { cpu: 250m, memory: 256Mi } }";
const GROUP_A: &str = "
    - { name: general, instance_type: m5.large, initial: 2, min: 1, max: 5 }";
const GROUP_B: &str = "
    - { name: spot-pool, instance_type: c5.xlarge, capacity: spot, spot: { interruption: \"10-15%\" }, initial: 2, min: 1, max: 5 }";

fn scenario(groups: &[&str], services: &[&str]) -> Scenario {
    let text = format!(
        "name: t\nduration: 10m\nseed: 9\ncluster:\n  node_groups:{}\n  node_autoscaler: {{ kind: cluster-autoscaler, expander: random }}\nservices:{}\n",
        groups.concat(),
        services.concat()
    );
    parse_str(&text, Path::new("t.yaml")).unwrap_or_else(|e| panic!("{e}"))
}

fn next(rng: &SimRng) -> u64 {
    rng.clone().next_u64()
}

/// (boot, spot) next draws per node group, by name.
fn group_draws(w: &World) -> Vec<(String, u64, u64)> {
    let c = w.cluster.as_ref().expect("a cluster");
    c.spec
        .groups
        .iter()
        .zip(&c.groups)
        .map(|(s, g)| (s.name.clone(), next(&g.rng), next(&g.spot_rng)))
        .collect()
}

/// (arrival, work, balancer, lifecycle) next draws per service, by name.
fn service_draws(w: &World) -> Vec<(String, [u64; 4])> {
    w.services
        .iter()
        .map(|s| {
            let d = [
                next(&s.arrival_rng),
                next(&s.work_rng),
                next(&s.balancer_rng),
                next(&s.life_rng),
            ];
            (s.name.clone(), d)
        })
        .collect()
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

#[test]
fn adding_a_service_leaves_node_boot_and_spot_draws_unchanged() {
    let one = World::new(&scenario(&[GROUP_A, GROUP_B], &[SERVICE_API]), 0);
    let two = World::new(
        &scenario(&[GROUP_A, GROUP_B], &[SERVICE_API, SERVICE_WEB]),
        0,
    );
    assert_eq!(group_draws(&one), group_draws(&two));
    // The cluster-autoscaler's stream (the random expander) does not move either.
    let ca = |w: &World| next(&w.ca.as_ref().expect("CA runs").rng);
    assert_eq!(ca(&one), ca(&two));
    // And the first service's own streams are the same.
    assert_eq!(service_draws(&one)[0], service_draws(&two)[0]);
}

#[test]
fn reordering_keeps_every_stream_with_its_name() {
    let ab = World::new(
        &scenario(&[GROUP_A, GROUP_B], &[SERVICE_API, SERVICE_WEB]),
        0,
    );
    let ba = World::new(
        &scenario(&[GROUP_B, GROUP_A], &[SERVICE_WEB, SERVICE_API]),
        0,
    );
    assert_eq!(sorted(group_draws(&ab)), sorted(group_draws(&ba)));
    assert_eq!(sorted(service_draws(&ab)), sorted(service_draws(&ba)));
}

#[test]
fn renaming_changes_only_the_renamed_streams() {
    let base = World::new(
        &scenario(&[GROUP_A, GROUP_B], &[SERVICE_API, SERVICE_WEB]),
        0,
    );
    let renamed_group = GROUP_B.replace("spot-pool", "spot-pool-2");
    let renamed_service = SERVICE_WEB.replace("web", "frontend");
    let other = World::new(
        &scenario(&[GROUP_A, &renamed_group], &[SERVICE_API, &renamed_service]),
        0,
    );
    let (g0, g1) = (group_draws(&base), group_draws(&other));
    assert_eq!(g0[0], g1[0], "the untouched group keeps its draws");
    assert_ne!(
        (g0[1].1, g0[1].2),
        (g1[1].1, g1[1].2),
        "renamed group: new streams"
    );
    let (s0, s1) = (service_draws(&base), service_draws(&other));
    assert_eq!(s0[0], s1[0], "the untouched service keeps its draws");
    assert_ne!(s0[1].1, s1[1].1, "renamed service: new streams");
    // Every stream of one world is distinct from every other (no two keys collide).
    let mut all: Vec<u64> = g0.iter().flat_map(|g| [g.1, g.2]).collect();
    all.extend(s0.iter().flat_map(|s| s.1));
    let n = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), n);
}
