//! Expanders and chains (reference §2), expected values worked out by hand.

use rand::Rng as _;

use super::test_support::*;
use super::*;

/// Groups `names` of 4 CPU / 16 GiB and `pods` pending pods of 1 CPU / 1 GiB.
fn snap(names: &[&str], pods: usize) -> Snapshot {
    Snapshot {
        groups: names
            .iter()
            .map(|n| group(n, 4000, 16.0, 0, 100, 0))
            .collect(),
        nodes: vec![],
        pending: vec![pending(1000, 1.0); pods],
    }
}

fn opt(group: usize, node_count: u32, pods: &[usize]) -> ScaleUpOption {
    ScaleUpOption {
        group,
        node_count,
        pods: pods.to_vec(),
    }
}

fn cfg(chain: &str) -> CaConfig {
    CaConfig {
        expanders: parse_expanders(chain).unwrap(),
        ..CaConfig::default()
    }
}

fn pick(s: &Snapshot, c: &CaConfig, options: Vec<ScaleUpOption>) -> (String, String) {
    let (o, trace) = choose(options, s, c, &mut rng());
    (s.groups[o.group].name().to_string(), trace)
}

#[test]
fn least_waste_adds_cpu_and_memory_fractions_on_capacity() {
    let mut s = snap(&["a", "b"], 0);
    s.pending = vec![pending(9000, 2.0), pending(8000, 8.0)];
    // a: capacity 10 CPU / 10 GiB, pod 9 CPU / 2 GiB → 0.1 + 0.8 = 0.9.
    // b: same capacity, pod 8 CPU / 8 GiB → 0.2 + 0.2 = 0.4: b wins although
    // a wastes less CPU (the FAQ's "CPU first" reading would pick a).
    for g in &mut s.groups {
        g.capacity = node_res(10_000, 10.0);
        // Allocatable is smaller; the score must ignore it.
        g.template.allocatable = node_res(9_000, 9.0);
    }
    let (a, b) = (opt(0, 1, &[0]), opt(1, 1, &[1]));
    assert!((least_waste_score(&a, &s) - 0.9).abs() < 1e-12);
    assert!((least_waste_score(&b, &s) - 0.4).abs() < 1e-12);
    assert_eq!(pick(&s, &cfg("least-waste"), vec![a, b]).0, "b");
}

#[test]
fn least_waste_counts_every_node_of_the_option() {
    let mut s = snap(&["a"], 0);
    s.pending = vec![pending(3000, 4.0); 2];
    // 2 nodes of 4 CPU / 16 GiB for 6 CPU / 8 GiB: 2/8 + 24/32 = 0.25 + 0.75 = 1.0.
    assert!((least_waste_score(&opt(0, 2, &[0, 1]), &s) - 1.0).abs() < 1e-12);
}

#[test]
fn most_pods_keeps_the_options_helping_most_pods() {
    let s = snap(&["a", "b", "c"], 6);
    let options = vec![
        opt(0, 1, &[0, 1, 2]),
        opt(1, 3, &[0, 1, 2, 3, 4]),
        opt(2, 1, &[0]),
    ];
    assert_eq!(pick(&s, &cfg("most-pods"), options).0, "b");
}

#[test]
fn least_nodes_keeps_the_fewest_nodes() {
    let s = snap(&["a", "b"], 4);
    let options = vec![opt(0, 3, &[0, 1]), opt(1, 2, &[0, 1, 2, 3])];
    assert_eq!(pick(&s, &cfg("least-nodes"), options).0, "b");
}

#[test]
fn priority_keeps_the_highest_named_group_and_drops_unnamed_ones() {
    let s = snap(&["a", "b", "c"], 1);
    let mut c = cfg("priority");
    c.priorities = [("a".to_string(), 10), ("b".to_string(), 20)].into();
    let all = || vec![opt(0, 1, &[0]), opt(1, 1, &[0]), opt(2, 1, &[0])];
    assert_eq!(pick(&s, &c, all()).0, "b");
    // Only c (unnamed) and a: c is dropped, a wins.
    assert_eq!(pick(&s, &c, vec![opt(2, 1, &[0]), opt(0, 1, &[0])]).0, "a");
    // No option named: all pass through to random (no panic, some group chosen).
    c.priorities = [("zzz".to_string(), 1)].into();
    let (_, trace) = pick(&s, &c, all());
    assert!(
        trace.contains("priority: [a, b, c] -> [a, b, c]"),
        "{trace}"
    );
}

#[test]
fn chain_priority_then_least_waste() {
    let mut s = snap(&["spot-a", "spot-b", "on-demand"], 0);
    s.pending = vec![pending(3000, 12.0), pending(2000, 4.0)];
    let mut c = cfg("priority,least-waste");
    c.priorities = [
        ("spot-a".to_string(), 20),
        ("spot-b".to_string(), 20),
        ("on-demand".to_string(), 10),
    ]
    .into();
    // spot-a: 3/4 CPU, 12/16 GiB → 0.25 + 0.25 = 0.5; spot-b: 2/4, 4/16 → 0.5 + 0.75 = 1.25;
    // on-demand would waste nothing but priority removed it first.
    s.pending.push(pending(4000, 16.0));
    let options = vec![opt(0, 1, &[0]), opt(1, 1, &[1]), opt(2, 1, &[2])];
    let (g, trace) = pick(&s, &c, options);
    assert_eq!(g, "spot-a");
    assert!(
        trace.starts_with(
            "priority: [spot-a, spot-b, on-demand] -> [spot-a, spot-b]; least-waste: [spot-a, spot-b] -> [spot-a]"
        ),
        "{trace}"
    );
}

#[test]
fn chain_stops_when_one_option_is_left_and_random_breaks_ties() {
    let s = snap(&["a", "b"], 3);
    let c = cfg("most-pods,least-nodes");
    let mut r = rng();
    let (o, trace) = choose(vec![opt(0, 1, &[0]), opt(1, 1, &[0, 1])], &s, &c, &mut r);
    assert_eq!(o.group, 1);
    assert!(
        !trace.contains("least-nodes") && !trace.contains("random"),
        "{trace}"
    );
    // The rng was not touched.
    assert_eq!(r.next_u64(), rng().next_u64());
    // A full tie after the last expander goes to random.
    let (_, trace) = choose(vec![opt(0, 1, &[0]), opt(1, 1, &[1])], &s, &c, &mut rng());
    assert!(trace.contains("random: [a, b]"), "{trace}");
}

#[test]
fn random_is_uniform_and_reproducible_with_a_seed() {
    use rand::SeedableRng;
    let s = snap(&["a", "b", "c"], 1);
    let c = cfg("random");
    let options = || vec![opt(0, 1, &[0]), opt(1, 1, &[0]), opt(2, 1, &[0])];
    let mut counts = [0u32; 3];
    let mut r = crate::engine::rng::SimRng::seed_from_u64(42);
    for _ in 0..3000 {
        counts[choose(options(), &s, &c, &mut r).0.group] += 1;
    }
    // Each about 1000; a binomial sd is about 26, so ±150 is ~6 sd.
    assert!(
        counts.iter().all(|&k| (850..=1150).contains(&k)),
        "{counts:?}"
    );
    let once = |seed| {
        choose(
            options(),
            &s,
            &c,
            &mut crate::engine::rng::SimRng::seed_from_u64(seed),
        )
        .0
    };
    assert_eq!(once(9), once(9));
}

#[test]
fn price_prefers_the_cheaper_well_sized_group() {
    let mut s = snap(&["small", "large"], 1);
    s.groups[0].capacity = node_res(1000, 4.0);
    s.groups[0].template.price_usd_per_hour = 0.05;
    s.groups[1].capacity = node_res(4000, 16.0);
    s.groups[1].template.price_usd_per_hour = 0.15;
    let p = PodPricing::default();
    // Hand computation with 0 nodes in the cluster → preferred node 1 CPU.
    let pod = 1.0 * 0.033 + 1.0 * 0.0044;
    let stab = 0.5 * 0.033 + (500.0 / 1024.0) * 0.0044;
    let small = (0.05 + stab) / (pod + stab); // unfitness 1
    let large = 4.0 * (0.15 + stab) / (pod + stab); // unfitness 4, N = 1 → not suppressed
    assert!((price_score(&opt(0, 1, &[0]), &s, p) - small).abs() < 1e-12);
    assert!((price_score(&opt(1, 1, &[0]), &s, p) - large).abs() < 1e-12);
    assert_eq!(
        pick(&s, &cfg("price"), vec![opt(1, 1, &[0]), opt(0, 1, &[0])]).0,
        "small"
    );
    // 16 nodes: tanh(15/15) suppresses the unfitness to 1 + 3·(1 − tanh 1).
    let sixteen = opt(1, 16, &[0]);
    let want = (3.0 * (1.0 - 1f64.tanh()) + 1.0) * (16.0 * 0.15 + stab) / (pod + stab);
    assert!((price_score(&sixteen, &s, p) - want).abs() < 1e-9);
    assert_eq!(preferred_node_cores(2), 1.0);
    assert_eq!(preferred_node_cores(7), 4.0);
    assert_eq!(preferred_node_cores(201), 32.0);
}
