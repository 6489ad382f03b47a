//! Provisioning tests; expected values worked out by hand from the
//! reference's catalog prices (§5.1) and allocatable table (§5.2).

use super::*;
use crate::model::karpenter::schedule::{LIMITS_REACHED, NO_POOL_MATCHES};
use crate::model::karpenter::test_support::{node, pod, pool};
use crate::spec::catalog;
use crate::spec::node_pool::{LABEL_ARCH, PoolLimits};
use crate::spec::price::SpotPrice;
use crate::spec::resources::{Taint, TaintEffect, Toleration};
use crate::units::NANOS_PER_SEC as S;
use CapacityType::{OnDemand, Spot};

fn all_types() -> Vec<&'static str> {
    catalog::all().iter().map(|t| t.name).collect()
}

fn one(plan: &ProvisionPlan) -> &Launch {
    assert_eq!(plan.launches.len(), 1, "{plan:?}");
    &plan.launches[0]
}

#[test]
fn cheapest_fitting_type_for_three_small_pods() {
    // 3 pods × (1 CPU, 2 GiB) = 3000 m, 6144 MiB, 3 pods. The 2-vCPU types allocate 1930 m: too
    // little. 4-vCPU types allocate 3920 m; of those, the 8 GiB ones allocate c5/c6i 6584 MiB and
    // c6g/c7g 6525 MiB (≥ 6144), the rest more. Cheapest: c6g.xlarge $0.136 (c7g 0.145, m6g 0.154,
    // c5/c6i 0.17). All three go on one node.
    let p = pool("default", &all_types(), &[OnDemand], &["us-east-1a"]);
    let pods = vec![pod(1000, 2); 3];
    let plan = provision(
        &pods,
        &[],
        std::slice::from_ref(&p),
        &IceCache::default(),
        0,
    );
    let l = one(&plan);
    assert_eq!(
        (l.instance_type.as_str(), l.capacity, l.price_usd_per_hour),
        ("c6g.xlarge", OnDemand, 0.136)
    );
    assert_eq!(
        (l.pool.index(), l.zone.as_str(), l.pods.clone()),
        (0, "us-east-1a", vec![0, 1, 2])
    );
    // Pinned to amd64: c5.xlarge and c6i.xlarge tie at $0.17 (m6a.xlarge 0.1728); name order picks c5.
    let mut amd = pods.clone();
    for p in &mut amd {
        p.node_selector.insert(LABEL_ARCH.into(), "amd64".into());
    }
    let plan = provision(&amd, &[], std::slice::from_ref(&p), &IceCache::default(), 0);
    assert_eq!(
        (
            one(&plan).instance_type.as_str(),
            one(&plan).price_usd_per_hour
        ),
        ("c5.xlarge", 0.17)
    );
    // One such pod: t3.medium (1930 m, 3246 MiB) at $0.0416.
    let plan = provision(&pods[..1], &[], &[p], &IceCache::default(), 0);
    assert_eq!(one(&plan).instance_type, "t3.medium");
}

#[test]
fn spot_is_preferred_when_allowed() {
    // m5.large fits a 1 CPU pod; spot at the default 65 % off: 0.096 × 0.35 = 0.0336.
    let mut p = pool("p", &["m5.large", "m5.xlarge"], &[OnDemand, Spot], &["a"]);
    let plan = provision(
        &[pod(1000, 2)],
        &[],
        std::slice::from_ref(&p),
        &IceCache::default(),
        0,
    );
    let l = one(&plan);
    assert_eq!((l.instance_type.as_str(), l.capacity), ("m5.large", Spot));
    assert!((l.price_usd_per_hour - 0.0336).abs() < 1e-12);
    // Capacity type comes before price (reserved > spot > on-demand): even spot priced above
    // on-demand is taken, at its cheapest type (m5.large spot 0.20 < m5.xlarge spot 0.30).
    p.spec
        .spot_pricing
        .per_type
        .insert("m5.large".into(), SpotPrice::UsdPerHour(0.20));
    p.spec
        .spot_pricing
        .per_type
        .insert("m5.xlarge".into(), SpotPrice::UsdPerHour(0.30));
    let plan = provision(
        &[pod(1000, 2)],
        &[],
        std::slice::from_ref(&p),
        &IceCache::default(),
        0,
    );
    assert_eq!(
        (
            one(&plan).instance_type.as_str(),
            one(&plan).capacity,
            one(&plan).price_usd_per_hour
        ),
        ("m5.large", Spot, 0.20)
    );
    // On-demand only: the on-demand price.
    p.spec.capacity_types = vec![OnDemand];
    let plan = provision(&[pod(1000, 2)], &[], &[p], &IceCache::default(), 0);
    assert_eq!(
        (one(&plan).capacity, one(&plan).price_usd_per_hour),
        (OnDemand, 0.096)
    );
}

#[test]
fn ice_cache_excludes_an_offering_until_it_expires() {
    let p = pool("p", &["m5.large"], &[OnDemand, Spot], &["a", "b"]);
    let pods = [pod(1000, 2)];
    let mut ice = IceCache::default();
    ice.mark("m5.large", "a", Spot, 0);
    // Spot in zone a unavailable: spot in zone b.
    let l = one(&provision(
        &pods,
        &[],
        std::slice::from_ref(&p),
        &ice,
        10 * S,
    ))
    .clone();
    assert_eq!((l.capacity, l.zone.as_str()), (Spot, "b"));
    // Spot unavailable everywhere: fall back to on-demand (first zone).
    ice.mark("m5.large", "b", Spot, 0);
    let l = one(&provision(
        &pods,
        &[],
        std::slice::from_ref(&p),
        &ice,
        10 * S,
    ))
    .clone();
    assert_eq!((l.capacity, l.zone.as_str()), (OnDemand, "a"));
    // 3 minutes after the marks: spot in zone a again.
    let l = one(&provision(
        &pods,
        &[],
        std::slice::from_ref(&p),
        &ice,
        180 * S,
    ))
    .clone();
    assert_eq!((l.capacity, l.zone.as_str()), (Spot, "a"));
    // Everything unavailable: the pod stays pending.
    ice.mark("m5.large", "a", OnDemand, 0);
    ice.mark("m5.large", "b", OnDemand, 0);
    let plan = provision(&pods, &[], &[p], &ice, 10 * S);
    assert!(plan.launches.is_empty());
    assert_eq!(plan.unschedulable.len(), 1);
}

#[test]
fn pool_limits_stop_provisioning() {
    // Limit 8 CPU; an existing m5.xlarge (4 vCPU of capacity) is full. Three 3-CPU pods need a
    // node each (two do not fit 3920 m); 8 − 4 = 4 CPU left → one more m5.xlarge only.
    let mut p = pool("p", &["m5.xlarge"], &[OnDemand], &["a"]);
    p.spec.limits = PoolLimits {
        cpu_milli: Some(8000),
        memory_bytes: None,
    };
    let full = node(&p, "m5.xlarge", OnDemand, vec![pod(3900, 1)]);
    let plan = provision(
        &vec![pod(3000, 1); 3],
        &[full],
        &[p],
        &IceCache::default(),
        0,
    );
    assert_eq!(plan.launches.len(), 1);
    assert_eq!(plan.launches[0].pods, vec![0]);
    assert_eq!(
        plan.unschedulable,
        vec![(1, LIMITS_REACHED), (2, LIMITS_REACHED)]
    );
}

#[test]
fn existing_nodes_are_used_first() {
    let p = pool("p", &["m5.xlarge"], &[OnDemand], &["a"]);
    let n = node(&p, "m5.xlarge", OnDemand, vec![pod(2000, 1)]);
    // 3920 − 2000 = 1920 m free: the 1.5 CPU pod fits there, the 1 CPU pod does not → one launch.
    let plan = provision(
        &[pod(1000, 1), pod(1500, 1)],
        &[n],
        &[p],
        &IceCache::default(),
        0,
    );
    assert_eq!(plan.on_existing, vec![(1, 0)]);
    assert_eq!(one(&plan).pods, vec![0]);
}

#[test]
fn packing_follows_karpenters_order() {
    // m5.large: 1930 m. Sorted pods 1500, 1000, 800, 400 m. 1500 → A; 1000 misses A (2500) → B;
    // 800 tries A (1 pod, older) 2300 ✗, then B 1800 ✓; 400 tries A (fewest pods) 1900 ✓.
    let p = pool("p", &["m5.large"], &[OnDemand], &["a"]);
    let pods = [pod(400, 1), pod(1000, 1), pod(1500, 1), pod(800, 1)];
    let plan = provision(&pods, &[], &[p], &IceCache::default(), 0);
    let sets: Vec<Vec<usize>> = plan.launches.iter().map(|l| l.pods.clone()).collect();
    assert_eq!(sets, vec![vec![0, 2], vec![1, 3]]);
}

#[test]
fn selectors_taints_and_weights_pick_the_pool() {
    let mut general = pool("general", &["m5.large"], &[OnDemand], &["a"]);
    let mut compute = pool("compute", &["c5.xlarge"], &[OnDemand], &["a"]);
    compute
        .spec
        .labels
        .insert("workload".into(), "compute".into());
    compute.spec.taints.push(Taint {
        key: "workload".into(),
        value: "compute".into(),
        effect: TaintEffect::NoSchedule,
    });
    let plain = pod(500, 1);
    let mut selective = pod(500, 1);
    selective
        .node_selector
        .insert("workload".into(), "compute".into());
    let mut tolerant = selective.clone();
    tolerant.tolerations.push(Toleration {
        key: Some("workload".into()),
        exists: true,
        value: String::new(),
        effect: None,
    });
    let pools = [general.clone(), compute.clone()];
    let plan = provision(
        &[plain.clone(), selective, tolerant.clone()],
        &[],
        &pools,
        &IceCache::default(),
        0,
    );
    // The plain pod → general; the selector without toleration → nowhere; with it → compute.
    assert_eq!(plan.launches.len(), 2);
    assert_eq!(
        (
            pools[plan.launches[0].pool.index()].spec.name.as_str(),
            plan.launches[0].pods.clone()
        ),
        ("general", vec![0])
    );
    assert_eq!(
        (
            pools[plan.launches[1].pool.index()].spec.name.as_str(),
            plan.launches[1].pods.clone()
        ),
        ("compute", vec![2])
    );
    assert_eq!(plan.unschedulable, vec![(1, NO_POOL_MATCHES)]);
    // Weight wins over price: an untainted c5 pool with weight 10 takes the plain pod.
    compute.spec.taints.clear();
    compute.spec.weight = 10;
    general.spec.weight = 1;
    let plan = provision(
        &[plain],
        &[],
        &[general, compute.clone()],
        &IceCache::default(),
        0,
    );
    assert_eq!(one(&plan).pool.index(), 1, "compute, the second pool");
    let t = template(&compute, one(&plan)).unwrap();
    assert_eq!(
        (t.instance_type.as_str(), t.allocatable.cpu_milli),
        ("c5.xlarge", 3920)
    );
    assert_eq!(t.labels["workload"], "compute");
}

#[test]
fn spot_interruption_replacement_avoids_the_interrupted_offering() {
    use crate::model::karpenter::interruption::{
        InterruptionAction, InterruptionEvent, handle_interruption,
    };
    // A spot m5.large in zone a gets the 2-minute warning at t = 50 s: cordon and drain, and
    // (m5.large, a, spot) is unavailable until 230 s. Its pod, now Pending, is re-provisioned at
    // once as spot m5.large in zone b (same price, next zone).
    let p = pool("p", &["m5.large"], &[OnDemand, Spot], &["a", "b"]);
    let mut doomed = node(&p, "m5.large", Spot, vec![pod(1000, 2)]);
    let mut ice = IceCache::default();
    let action = handle_interruption(
        InterruptionEvent::SpotInterruptionWarning,
        &doomed,
        50 * S,
        &mut ice,
    );
    assert_eq!(action, InterruptionAction::CordonAndDrain);
    doomed.deleting = true;
    let evicted = doomed.pods.clone();
    let plan = provision(&evicted, &[doomed], std::slice::from_ref(&p), &ice, 51 * S);
    let l = one(&plan);
    assert_eq!(
        (l.instance_type.as_str(), l.capacity, l.zone.as_str()),
        ("m5.large", Spot, "b")
    );
}

#[test]
fn required_anti_affinity_puts_each_pod_on_its_own_node() {
    // The same three pods as above, but with required hostname anti-affinity
    // to each other: one per node. A lone 1 CPU / 2 GiB pod fits the 2-vCPU
    // types (1930 m); the cheapest of all: t3.medium $0.0416 (4 GiB: 3.2 GiB
    // allocatable ≥ 2 GiB). Three claims, three t3.medium. A fourth pod of
    // another app shares the first claim (it has no such rule), and an
    // existing node that already runs one of the app's pods takes none.
    let p = pool("default", &all_types(), &[OnDemand], &["us-east-1a"]);
    let mut web = pod(1000, 2);
    web.one_per_node = Some("web".into());
    let pods = vec![web.clone(), web.clone(), web.clone(), pod(100, 0)];
    let plan = provision(
        &pods,
        &[],
        std::slice::from_ref(&p),
        &IceCache::default(),
        0,
    );
    assert_eq!(plan.launches.len(), 3, "{plan:?}");
    for l in &plan.launches {
        assert_eq!(l.instance_type, "t3.medium", "{plan:?}");
    }
    let mut per_launch: Vec<usize> = plan.launches.iter().map(|l| l.pods.len()).collect();
    per_launch.sort_unstable();
    assert_eq!(per_launch, vec![1, 1, 2]);
    // An existing m5.2xlarge with a web pod already bound: room, but not for another web pod.
    let existing = node(&p, "m5.2xlarge", OnDemand, vec![web.clone()]);
    let plan = provision(
        &[web.clone(), pod(100, 0)],
        std::slice::from_ref(&existing),
        std::slice::from_ref(&p),
        &IceCache::default(),
        0,
    );
    assert_eq!(plan.on_existing, vec![(1, 0)], "{plan:?}");
    assert_eq!(one(&plan).pods, vec![0]);
}
