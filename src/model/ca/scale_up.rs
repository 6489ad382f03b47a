//! Scale-up: which pending pods need new nodes, how many nodes each group
//! would take, which group the expanders pick, and how the count is split
//! over similar groups (reference §1.2, `core/scaleup/orchestrator`,
//! `processors/nodegroupset/balancing_processor.go`).
//!
//! Complexity per loop, for p pending pods, n registered nodes, u upcoming
//! nodes and G groups: the trigger filter is O((n + u) log(n + u) + p·log(n + u))
//! when pods fit the first node with enough free CPU (see [`super::fit`]); the
//! estimates are O(G·(p log p + s·m)) for s request shapes and m new nodes;
//! the expanders O(G); balancing O(delta·G).

use std::collections::BTreeMap;

use rand::Rng;

use crate::model::cluster::ids::GroupId;
use crate::spec::resources::{PodNeeds, Resources};
use crate::units::Nanos;

use super::config::CaConfig;
use super::expander::{ScaleUpOption, choose};
use super::fit::{Bins, estimate, template_admits};
use super::snapshot::{GroupView, Snapshot};
use super::state::CaState;

/// Labels that never make two groups dissimilar (CA's `BasicIgnoredLabels` for zone and hostname).
pub const ALWAYS_IGNORED_LABELS: [&str; 4] = [
    "kubernetes.io/hostname",
    "topology.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/zone",
    "topology.ebs.csi.aws.com/zone",
];

/// Bytes in one GiB.
const GIB: i64 = 1 << 30;

/// One scale-up: the simulation raises each group in `balanced` by its delta.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleUpDecision {
    /// The group the expanders chose.
    pub group: GroupId,
    /// New nodes in total (after the caps), over all of `balanced`.
    pub delta: u32,
    /// Why: pods considered, the expander trace and the balancing split.
    pub reason: String,
    /// Every group to grow with its delta (just `[(group, delta)]` without balancing); deltas > 0.
    pub balanced: Vec<(GroupId, u32)>,
}

/// Indices of the pending pods that no registered or upcoming node can take.
///
/// Pods younger than `--new-pod-scale-up-delay` are ignored. The others are
/// placed in snapshot order on the free capacity of Ready nodes (nodes
/// being deleted excluded) and on empty template nodes for each group's
/// upcoming nodes, with kube-scheduler's predicate (anti-affinity and hard
/// zone spread included); whatever does not fit is the trigger.
pub fn unschedulable_pods(snap: &Snapshot, cfg: &CaConfig, now_ns: Nanos) -> Vec<usize> {
    filter_out_schedulable(snap, cfg, now_ns).0
}

/// [`unschedulable_pods`], with the nodes as they are once the other pods
/// are placed (what the estimator counts spread against).
fn filter_out_schedulable<'s>(
    snap: &'s Snapshot,
    cfg: &CaConfig,
    now_ns: Nanos,
) -> (Vec<usize>, Bins<'s>) {
    let mut bins = Bins::default();
    for n in snap.nodes.iter().filter(|n| n.ready && !n.being_deleted) {
        bins.push_with_pods(
            n.free(),
            &n.labels,
            &n.taints,
            n.pods.iter().map(|p| &p.needs),
        );
    }
    for g in &snap.groups {
        for _ in 0..g.upcoming {
            bins.push(
                g.template.allocatable,
                &g.template.labels,
                &g.template.taints,
            );
        }
    }
    let mut left = Vec::new();
    for (i, p) in snap.pending.iter().enumerate() {
        if now_ns.saturating_sub(p.created_ns) < cfg.new_pod_scale_up_delay_ns {
            continue;
        }
        if bins.place(&p.needs).is_none() {
            left.push(i);
        }
    }
    (left, bins)
}

/// Cluster totals counted against `--max-nodes-total`, `--cores-total` and
/// `--memory-total`: registered nodes plus upcoming ones; cores and memory
/// from each group's capacity × target size.
fn cluster_totals(snap: &Snapshot) -> (u64, i64, i64) {
    let nodes = snap.nodes.len() as u64
        + snap
            .groups
            .iter()
            .map(|g| u64::from(g.upcoming))
            .sum::<u64>();
    let (cpu, mem) = snap.groups.iter().fold((0i64, 0i64), |(c, m), g| {
        let t = i64::from(g.target_size);
        (
            c + t * g.capacity.cpu_milli,
            m + t * g.capacity.memory_bytes,
        )
    });
    (nodes, cpu, mem)
}

/// How many more nodes of capacity `cap` the cluster limits allow, given [`cluster_totals`].
fn limit_room(totals: (u64, i64, i64), cfg: &CaConfig, cap: Resources) -> u64 {
    let (nodes, cpu, mem) = totals;
    let mut room = u64::MAX;
    if cfg.max_nodes_total > 0 {
        room = room.min(u64::from(cfg.max_nodes_total).saturating_sub(nodes));
    }
    let per = |left: i64, each: i64| {
        if each <= 0 {
            u64::MAX
        } else {
            (left.max(0) / each) as u64
        }
    };
    room = room.min(per(cfg.max_cores_total * 1000 - cpu, cap.cpu_milli));
    room.min(per(cfg.max_memory_total_gib * GIB - mem, cap.memory_bytes))
}

/// One scale-up loop; `None` when nothing should grow.
///
/// Order (reference §1.2): trigger (ignoring pods that fit registered or
/// upcoming nodes; skip the loop, and its scale-down, when every pod is younger
/// than 2 s), per-group FFD estimate for groups not at max, not backed off and
/// within the cluster limits, the expander chain, the caps, balancing. On a
/// decision it records the scale-up in `state` (`lastScaleUpTime`, requests).
pub fn scale_up(
    snap: &Snapshot,
    cfg: &CaConfig,
    state: &mut CaState,
    now_ns: Nanos,
    rng: &mut impl Rng,
) -> Option<ScaleUpDecision> {
    let (pods, cluster) = filter_out_schedulable(snap, cfg, now_ns);
    if pods.is_empty() {
        return None;
    }
    let buffer = cfg.unschedulable_pod_time_buffer_ns;
    if pods
        .iter()
        .all(|&i| now_ns.saturating_sub(snap.pending[i].created_ns) < buffer)
    {
        state.scale_down_skipped_at_ns = Some(now_ns);
        return None;
    }
    let needs: Vec<&PodNeeds> = snap.pending.iter().map(|p| &p.needs).collect();
    let totals = cluster_totals(snap);
    let mut options = Vec::new();
    for (gi, g) in snap.groups.iter().enumerate() {
        if g.target_size >= g.max_size
            || state.is_backed_off(GroupId::of(gi), now_ns)
            || limit_room(totals, cfg, g.capacity) == 0
        {
            continue;
        }
        let fit: Vec<usize> = pods
            .iter()
            .copied()
            .filter(|&i| template_admits(&g.template, needs[i]))
            .collect();
        if fit.is_empty() {
            continue;
        }
        let max_new = (g.max_size - g.target_size).min(cfg.max_nodes_per_scaleup);
        let est = estimate(&g.template, &needs, &fit, max_new, &cluster);
        if est.node_count > 0 {
            options.push(ScaleUpOption {
                group: gi,
                node_count: est.node_count,
                pods: est.pods,
            });
        }
    }
    if options.is_empty() {
        return None;
    }
    let (best, trace) = choose(options, snap, cfg, rng);
    let g = &snap.groups[best.group];
    let room = limit_room(totals, cfg, g.capacity);
    let delta = u32::try_from(u64::from(best.node_count).min(room)).unwrap_or(u32::MAX);
    let similar = if cfg.balance_similar_node_groups {
        similar_groups(snap, cfg, state, best.group, &best.pods, now_ns)
    } else {
        Vec::new()
    };
    let mut members = vec![best.group];
    members.extend(similar);
    let balanced = balance(snap, &members, delta);
    let delta = balanced.iter().map(|(_, d)| d).sum();
    if delta == 0 {
        return None;
    }
    for &(group, d) in &balanced {
        state.record_scale_up(cfg, group, d, now_ns);
    }
    state.last_scale_up_ns = Some(now_ns);
    let split: Vec<String> = balanced
        .iter()
        .map(|&(n, d)| format!("{}+{d}", snap.group(n).name()))
        .collect();
    Some(ScaleUpDecision {
        group: GroupId::of(best.group),
        delta,
        reason: format!(
            "{} unschedulable pod(s); {trace}; capped to {delta}; split {}",
            pods.len(),
            split.join(" ")
        ),
        balanced,
    })
}

/// Whether `a` and `b` are within `ratio` of each other (relative to the larger).
fn close(a: i64, b: i64, ratio: f64) -> bool {
    let (lo, hi) = (a.min(b) as f64, a.max(b) as f64);
    hi - lo <= hi * ratio
}

/// `--balance-similar-node-groups`' comparator (`compare_nodegroups.go`):
/// same capacity CPU and pods, capacity memory within `--memory-difference-ratio`,
/// allocatable within `--max-allocatable-difference-ratio`, and the same labels
/// apart from zone, hostname and `--balancing-ignore-label`.
pub fn similar(a: &GroupView, b: &GroupView, cfg: &CaConfig) -> bool {
    let (ca, cb) = (a.capacity, b.capacity);
    let (aa, ab) = (a.template.allocatable, b.template.allocatable);
    let r = cfg.max_allocatable_difference_ratio;
    let kept = |g: &GroupView| -> BTreeMap<String, String> {
        g.template
            .labels
            .iter()
            .filter(|(k, _)| {
                !ALWAYS_IGNORED_LABELS.contains(&k.as_str())
                    && !cfg.balancing_ignore_labels.contains(k)
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    ca.cpu_milli == cb.cpu_milli
        && ca.pods == cb.pods
        && close(
            ca.memory_bytes,
            cb.memory_bytes,
            cfg.memory_difference_ratio,
        )
        && close(aa.cpu_milli, ab.cpu_milli, r)
        && close(aa.memory_bytes, ab.memory_bytes, r)
        && close(aa.pods, ab.pods, r)
        && kept(a) == kept(b)
}

/// Groups similar to `best` that could take the same pods now: not at max,
/// not backed off, and every pod of the option admitted by their template.
fn similar_groups(
    snap: &Snapshot,
    cfg: &CaConfig,
    state: &CaState,
    best: usize,
    pods: &[usize],
    now_ns: Nanos,
) -> Vec<usize> {
    let b = &snap.groups[best];
    (0..snap.groups.len())
        .filter(|&i| i != best)
        .filter(|&i| {
            let g = &snap.groups[i];
            g.target_size < g.max_size
                && !state.is_backed_off(GroupId::of(i), now_ns)
                && similar(b, g, cfg)
                && pods
                    .iter()
                    .all(|&p| template_admits(&g.template, &snap.pending[p].needs))
        })
        .collect()
}

/// Splits `delta` nodes over `members` (the chosen group first): the groups
/// are ordered by current size (stable), and each node goes to the first
/// group of smallest size so far that is below its max, which is what CA's
/// `BalanceScaleUpBetweenGroups` loop does. Groups left at +0 are dropped.
pub fn balance(snap: &Snapshot, members: &[usize], delta: u32) -> Vec<(GroupId, u32)> {
    let mut order: Vec<usize> = members.to_vec();
    order.sort_by_key(|&i| snap.groups[i].target_size);
    let mut size: Vec<u32> = order.iter().map(|&i| snap.groups[i].target_size).collect();
    let max: Vec<u32> = order.iter().map(|&i| snap.groups[i].max_size).collect();
    for _ in 0..delta {
        let pick = (0..order.len())
            .filter(|&k| size[k] < max[k])
            .min_by_key(|&k| size[k]);
        match pick {
            Some(k) => size[k] += 1,
            None => break,
        }
    }
    members
        .iter()
        .filter_map(|&i| {
            let k = order.iter().position(|&o| o == i)?;
            let d = size[k] - snap.groups[i].target_size;
            (d > 0).then_some((GroupId::of(i), d))
        })
        .collect()
}
