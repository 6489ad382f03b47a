//! Expanders: the rules that pick one scale-up option, chained as filters
//! (reference §2, `expander/*`, `expander/factory/chain.go`).
//!
//! Each expander keeps the options it likes best (ties kept). The chain stops
//! as soon as one option is left; whatever survives the last expander goes to
//! `random`. Every expander is O(options).

use std::fmt::Write as _;

use rand::{Rng, RngExt};

use super::config::{CaConfig, Expander, PodPricing};
use super::snapshot::{Snapshot, ratio};

/// Bytes in one GiB.
const GIB: f64 = (1u64 << 30) as f64;

/// A node group that could help: the binpacking estimator's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleUpOption {
    /// Index of the group in [`Snapshot::groups`].
    pub group: usize,
    /// New nodes needed.
    pub node_count: u32,
    /// Indices into [`Snapshot::pending`] of the pods those nodes would host.
    pub pods: Vec<usize>,
}

/// Runs the chain over `options` (non-empty) and returns the chosen option and a trace of every step.
pub fn choose(
    options: Vec<ScaleUpOption>,
    snap: &Snapshot,
    cfg: &CaConfig,
    rng: &mut impl Rng,
) -> (ScaleUpOption, String) {
    let mut left = options;
    let mut trace = String::new();
    for &e in &cfg.expanders {
        if left.len() <= 1 {
            break;
        }
        if e == Expander::Random {
            break;
        }
        let before = names(&left, snap);
        left = filter(e, left, snap, cfg);
        let _ = write!(trace, "{}: {before} -> {}; ", e.name(), names(&left, snap));
    }
    let pick = if left.len() > 1 {
        let i = rng.random_range(0..left.len());
        let _ = write!(trace, "random: {} -> ", names(&left, snap));
        left.swap_remove(i)
    } else {
        left.pop().expect("choose needs at least one option")
    };
    let _ = write!(
        trace,
        "chose {} (+{} node(s) for {} pod(s))",
        snap.groups[pick.group].name(),
        pick.node_count,
        pick.pods.len()
    );
    (pick, trace)
}

/// `[a, b]`: the options' group names.
fn names(options: &[ScaleUpOption], snap: &Snapshot) -> String {
    let v: Vec<&str> = options
        .iter()
        .map(|o| snap.groups[o.group].name())
        .collect();
    format!("[{}]", v.join(", "))
}

/// Applies one expander as a filter.
fn filter(
    e: Expander,
    options: Vec<ScaleUpOption>,
    snap: &Snapshot,
    cfg: &CaConfig,
) -> Vec<ScaleUpOption> {
    match e {
        Expander::LeastWaste => keep_best(options, |o| -least_waste_score(o, snap)),
        Expander::MostPods => keep_best(options, |o| o.pods.len() as f64),
        Expander::LeastNodes => {
            let positive: Vec<ScaleUpOption> =
                options.into_iter().filter(|o| o.node_count > 0).collect();
            keep_best(positive, |o| -f64::from(o.node_count))
        }
        Expander::Price => keep_best(options, |o| -price_score(o, snap, cfg.pod_pricing)),
        Expander::Priority => priority(options, snap, cfg),
        Expander::Random => options,
    }
}

/// Keeps the options with the highest `value` (exact ties kept, in order).
fn keep_best(
    options: Vec<ScaleUpOption>,
    value: impl Fn(&ScaleUpOption) -> f64,
) -> Vec<ScaleUpOption> {
    let best = options.iter().map(&value).fold(f64::NEG_INFINITY, f64::max);
    options.into_iter().filter(|o| value(o) == best).collect()
}

/// `least-waste` (`expander/waste/waste.go`): `wastedCPU + wastedMem`, each
/// `(N·capacity − Σrequests) / (N·capacity)` on the node's *capacity*,
/// counting only the option's pending pods.
pub fn least_waste_score(o: &ScaleUpOption, snap: &Snapshot) -> f64 {
    let cap = snap.groups[o.group].capacity;
    let n = i64::from(o.node_count);
    let (cpu, mem) = sum_requests(o, snap);
    let wasted = |total: i64, used: i64| ratio(total - used, total);
    wasted(n * cap.cpu_milli, cpu) + wasted(n * cap.memory_bytes, mem)
}

/// Σ CPU millicores and Σ memory bytes requested by the option's pods.
fn sum_requests(o: &ScaleUpOption, snap: &Snapshot) -> (i64, i64) {
    o.pods.iter().fold((0, 0), |(c, m), &i| {
        let r = snap.pending[i].needs.requests;
        (c + r.cpu_milli, m + r.memory_bytes)
    })
}

/// `priority` (`expander/priority`): keeps the highest-priority groups named in
/// the map; groups it does not name are dropped; if it names none, all pass.
fn priority(options: Vec<ScaleUpOption>, snap: &Snapshot, cfg: &CaConfig) -> Vec<ScaleUpOption> {
    let prio = |o: &ScaleUpOption| cfg.priorities.get(snap.groups[o.group].name()).copied();
    let Some(best) = options.iter().filter_map(prio).max() else {
        return options;
    };
    options
        .into_iter()
        .filter(|o| prio(o) == Some(best))
        .collect()
}

/// A pod's price per hour under `pricing`.
fn pod_price(cpu_milli: i64, memory_bytes: i64, pricing: PodPricing) -> f64 {
    cpu_milli as f64 / 1000.0 * pricing.usd_per_core_hour
        + memory_bytes as f64 / GIB * pricing.usd_per_gib_hour
}

/// Preferred node CPU cores for a cluster of `nodes` nodes (`expander/price/preferred.go`).
pub fn preferred_node_cores(nodes: usize) -> f64 {
    match nodes {
        0..=2 => 1.0,
        3..=6 => 2.0,
        7..=20 => 4.0,
        21..=60 => 8.0,
        61..=200 => 16.0,
        _ => 32.0,
    }
}

/// `price` (`expander/price/price.go`): `suppressed unfitness × priceSubScore`, lower is better.
///
/// `priceSubScore = (N·nodePrice + stab) / (ΣpodPrice + stab)` with `stab` the
/// price of a 0.5 CPU / 500 MiB pod for an hour; `unfitness = max(pref/cpu,
/// cpu/pref)` on capacity CPU, suppressed as `(u−1)·(1−tanh((N−1)/15))+1`.
/// Groups always exist here, so the ×2 for new groups never applies.
pub fn price_score(o: &ScaleUpOption, snap: &Snapshot, pricing: PodPricing) -> f64 {
    let g = &snap.groups[o.group];
    let n = f64::from(o.node_count);
    let stab = pod_price(500, 500 << 20, pricing);
    let pods: f64 = o
        .pods
        .iter()
        .map(|&i| {
            let r = snap.pending[i].needs.requests;
            pod_price(r.cpu_milli, r.memory_bytes, pricing)
        })
        .sum();
    let sub = (n * g.template.price_usd_per_hour + stab) / (pods + stab);
    let pref = preferred_node_cores(snap.nodes.len());
    let cpu = (g.capacity.cpu_milli as f64 / 1000.0).max(1e-9);
    let unfit = (pref / cpu).max(cpu / pref);
    let suppressed = (unfit - 1.0) * (1.0 - ((n - 1.0) / 15.0).tanh()) + 1.0;
    suppressed * sub
}
