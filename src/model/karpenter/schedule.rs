//! Karpenter's scheduling simulation (reference §3.1,
//! `scheduling/{queue.go,scheduler.go}`), shared by provisioning and
//! consolidation: pods sorted by CPU then memory (descending) go to existing
//! nodes first, then to NodeClaims already planned (fewest pods first) if some
//! allowed type still holds all their pods, else open a claim from the
//! highest-weight NodePool that admits them. A claim's instance type is
//! chosen afterwards ([`choose`]): the preferred capacity type with an
//! available offering, then the cheapest offering.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use super::MAX_INSTANCE_TYPES;
use super::ice::IceCache;
use crate::model::cluster::ids::PoolId;
use crate::model::cluster::{NodeFacts, check};
use crate::spec::node_pool::{
    LABEL_ARCH, LABEL_CAPACITY_TYPE, LABEL_INSTANCE_TYPE, LABEL_NODEPOOL, LABEL_ZONE, NodePool,
    arch_label, capacity_label, capacity_rank,
};
use crate::spec::resources::{CapacityType, PodNeeds, Resources, Taint, TaintEffect};
use crate::units::Nanos;

/// A node in the cluster, as Karpenter sees it for scheduling and consolidation.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterNode {
    /// Owning NodePool (`None` = not Karpenter's: never consolidated, no limits).
    pub pool: Option<PoolId>,
    /// Instance type name.
    pub instance_type: String,
    /// How it is bought.
    pub capacity_type: CapacityType,
    /// Zone.
    pub zone: String,
    /// Its price, US dollars per hour.
    pub price_usd_per_hour: f64,
    /// Instance capacity (counts against pool limits).
    pub capacity: Resources,
    /// What pods can request.
    pub allocatable: Resources,
    /// Labels.
    pub labels: BTreeMap<String, String>,
    /// Taints.
    pub taints: Vec<Taint>,
    /// Pods bound to it (daemonsets excluded: they are in `allocatable`).
    pub pods: Vec<PodNeeds>,
    /// Initialized (registered and ready once); uninitialized nodes are never consolidated.
    pub initialized: bool,
    /// Ready now.
    pub ready: bool,
    /// Being deleted (or marked for disruption).
    pub deleting: bool,
    /// `karpenter.sh/do-not-disrupt` on the node or one of its pods, or a blocking PDB.
    pub do_not_disrupt: bool,
    /// Last pod bind or removal, or the initialization time if none.
    pub last_pod_event_ns: Nanos,
}

impl ClusterNode {
    /// Sum of its pods' requests.
    pub fn requested(&self) -> Resources {
        self.pods
            .iter()
            .fold(Resources::default(), |a, p| a.plus(p.requests))
    }
}

/// An available offering chosen or considered for a claim.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Offering {
    /// Index into the pool's types.
    pub ty: usize,
    /// Capacity type.
    pub cap: CapacityType,
    /// Index into the pool's zones.
    pub zone: usize,
    /// US dollars per hour.
    pub price_usd_per_hour: f64,
}

/// A planned node: its pool, pods, and the options still open.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// Index into the pools.
    pub pool: usize,
    /// Pod indices, in the order added.
    pub pods: Vec<usize>,
    /// Sum of the pods' requests.
    pub requests: Resources,
    /// Allowed type indices (selectors and limits applied).
    pub types: Vec<usize>,
    /// Allowed zone indices.
    pub zones: Vec<usize>,
    /// Allowed capacity types.
    pub caps: Vec<CapacityType>,
}

/// The outcome of one scheduling simulation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schedule {
    /// (pod, node) placements on existing nodes.
    pub existing: Vec<(usize, usize)>,
    /// New claims.
    pub claims: Vec<Claim>,
    /// Pods nothing can hold, with the reason.
    pub unschedulable: Vec<(usize, &'static str)>,
}

/// Why a pod could not get a new claim.
pub const NO_POOL_MATCHES: &str = "no NodePool matches the pod's node selector and tolerations";
/// Why a pod could not get a new claim.
pub const NO_TYPE_FITS: &str = "no allowed instance type fits the pod's requests";
/// Why a pod could not get a new claim.
pub const LIMITS_REACHED: &str = "NodePool limits reached";
/// Why a pod could not get a new claim.
pub const NO_CAPACITY: &str = "every fitting offering is unavailable (insufficient capacity)";

/// Simulates scheduling `pods` onto the nodes with `usable[i]`, then onto new claims.
///
/// Limits count the capacity of every node not `excluded` (consolidation excludes its candidates).
pub fn simulate(
    pods: &[PodNeeds],
    nodes: &[ClusterNode],
    usable: &[bool],
    excluded: &[bool],
    pools: &[NodePool],
    ice: &IceCache,
    now_ns: Nanos,
) -> Schedule {
    let mut order: Vec<usize> = (0..pods.len()).collect();
    order.sort_by_key(|&i| {
        (
            Reverse(pods[i].requests.cpu_milli),
            Reverse(pods[i].requests.memory_bytes),
            i,
        )
    });
    let mut free: Vec<Resources> = nodes
        .iter()
        .map(|n| n.allocatable.minus(n.requested()))
        .collect();
    let mut remaining: Vec<(Option<i64>, Option<i64>)> = pools
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let used = nodes
                .iter()
                .zip(excluded)
                .filter(|(n, ex)| !**ex && n.pool == Some(PoolId::of(i)))
                .fold(Resources::default(), |a, (n, _)| a.plus(n.capacity));
            (
                p.spec.limits.cpu_milli.map(|l| l - used.cpu_milli),
                p.spec.limits.memory_bytes.map(|l| l - used.memory_bytes),
            )
        })
        .collect();
    let mut pool_order: Vec<usize> = (0..pools.len()).collect();
    pool_order.sort_by_key(|&i| (Reverse(pools[i].spec.weight), i));
    let mut out = Schedule::default();
    // Required hostname anti-affinity: a key already on a node (bound, or placed in this pass).
    let mut placed: Vec<Vec<&str>> = nodes
        .iter()
        .map(|n| {
            n.pods
                .iter()
                .filter_map(|p| p.one_per_node.as_deref())
                .collect()
        })
        .collect();
    'pods: for i in order {
        let pod = &pods[i];
        let key = pod.one_per_node.as_deref();
        for (n, node) in nodes.iter().enumerate() {
            // kube-scheduler's predicate (`cluster::check`); hard zone spread is
            // left to kube-scheduler here (docs/karpenter.md).
            let facts = NodeFacts {
                labels: &node.labels,
                taints: &node.taints,
                free: free[n],
                same_key_pods: key
                    .map_or(0, |k| placed[n].iter().filter(|&&q| q == k).count() as u32),
                zone_counts: None,
            };
            if usable[n] && check(pod, pod.rules(), facts).is_ok() {
                free[n] = free[n].minus(pod.requests);
                placed[n].extend(key);
                out.existing.push((i, n));
                continue 'pods;
            }
        }
        let mut by_size: Vec<usize> = (0..out.claims.len()).collect();
        by_size.sort_by_key(|&c| (out.claims[c].pods.len(), c));
        for c in by_size {
            let claim = &out.claims[c];
            let clash = key.is_some_and(|k| {
                claim
                    .pods
                    .iter()
                    .any(|&q| pods[q].one_per_node.as_deref() == Some(k))
            });
            if clash {
                continue;
            }
            if let Some(next) = extend(claim, pod, &pools[claim.pool], ice, now_ns) {
                out.claims[c] = Claim {
                    pods: [claim.pods.as_slice(), &[i]].concat(),
                    ..next
                };
                continue 'pods;
            }
        }
        let mut reason = NO_POOL_MATCHES;
        for &p in &pool_order {
            match open(p, &pools[p], pod, remaining[p], ice, now_ns) {
                Ok(claim) => {
                    let max = claim.types.iter().fold((0, 0), |(c, m), &t| {
                        let cap = pools[p].types[t].capacity;
                        (c.max(cap.cpu_milli), m.max(cap.memory_bytes))
                    });
                    let r = &mut remaining[p];
                    *r = (r.0.map(|v| v - max.0), r.1.map(|v| v - max.1));
                    out.claims.push(Claim {
                        pods: vec![i],
                        ..claim
                    });
                    continue 'pods;
                }
                Err(why) => {
                    if rank(why) > rank(reason) {
                        reason = why;
                    }
                }
            }
        }
        out.unschedulable.push((i, reason));
    }
    out
}

/// How far a pool got before refusing a pod (the furthest is reported).
fn rank(reason: &str) -> u8 {
    [NO_POOL_MATCHES, NO_TYPE_FITS, LIMITS_REACHED, NO_CAPACITY]
        .iter()
        .position(|r| *r == reason)
        .unwrap_or(0) as u8
}

/// A new claim in pool `p` for `pod` alone, or why not.
fn open(
    p: usize,
    pool: &NodePool,
    pod: &PodNeeds,
    remaining: (Option<i64>, Option<i64>),
    ice: &IceCache,
    now_ns: Nanos,
) -> Result<Claim, &'static str> {
    let all = Claim {
        pool: p,
        pods: Vec::new(),
        requests: Resources::default(),
        types: (0..pool.types.len()).collect(),
        zones: (0..pool.spec.zones.len()).collect(),
        caps: pool.spec.capacity_types.clone(),
    };
    let base = restrict(&all, pod, pool).ok_or(NO_POOL_MATCHES)?;
    let fitting: Vec<usize> = base
        .types
        .iter()
        .copied()
        .filter(|&t| pool.types[t].allocatable.fits(pod.requests))
        .collect();
    if fitting.is_empty() {
        return Err(NO_TYPE_FITS);
    }
    let within = |t: &usize| {
        let cap = pool.types[*t].capacity;
        remaining.0.is_none_or(|r| cap.cpu_milli <= r)
            && remaining.1.is_none_or(|r| cap.memory_bytes <= r)
    };
    if !fitting.iter().any(within) {
        return Err(LIMITS_REACHED);
    }
    let limited = Claim {
        types: base.types.iter().copied().filter(within).collect(),
        ..base
    };
    extend(&limited, pod, pool, ice, now_ns).ok_or(NO_CAPACITY)
}

/// `claim` with `pod` added (pods list unchanged), if some type with an available offering still holds everything.
fn extend(
    claim: &Claim,
    pod: &PodNeeds,
    pool: &NodePool,
    ice: &IceCache,
    now_ns: Nanos,
) -> Option<Claim> {
    let next = restrict(claim, pod, pool)?;
    let requests = claim.requests.plus(pod.requests);
    let next = Claim { requests, ..next };
    next.types
        .iter()
        .any(|&t| {
            pool.types[t].allocatable.fits(requests) && has_offering(pool, &next, t, ice, now_ns)
        })
        .then_some(next)
}

/// `claim`'s options narrowed by `pod`'s node selector and checked against the pool's taints; `None` if nothing is left.
fn restrict(claim: &Claim, pod: &PodNeeds, pool: &NodePool) -> Option<Claim> {
    let tolerated = pool
        .spec
        .taints
        .iter()
        .filter(|t| t.effect != TaintEffect::PreferNoSchedule)
        .all(|t| pod.tolerations.iter().any(|tol| tol.tolerates(t)));
    if !tolerated {
        return None;
    }
    let mut next = claim.clone();
    for (key, value) in &pod.node_selector {
        match key.as_str() {
            LABEL_ZONE => next.zones.retain(|&z| &pool.spec.zones[z] == value),
            LABEL_INSTANCE_TYPE => next.types.retain(|&t| pool.types[t].it.name == value),
            LABEL_ARCH => next
                .types
                .retain(|&t| arch_label(pool.types[t].it.arch) == value),
            LABEL_CAPACITY_TYPE => next.caps.retain(|&c| capacity_label(c) == value),
            LABEL_NODEPOOL if &pool.spec.name != value => return None,
            LABEL_NODEPOOL => {}
            _ if pool.spec.labels.get(key) != Some(value) => return None,
            _ => {}
        }
    }
    (!next.types.is_empty() && !next.zones.is_empty() && !next.caps.is_empty()).then_some(next)
}

/// Whether type `t` has an available offering within `claim`'s zones and capacity types.
fn has_offering(pool: &NodePool, claim: &Claim, t: usize, ice: &IceCache, now_ns: Nanos) -> bool {
    let name = pool.types[t].it.name;
    claim.caps.iter().any(|&cap| {
        claim
            .zones
            .iter()
            .any(|&z| !ice.is_unavailable(name, &pool.spec.zones[z], cap, now_ns))
    })
}

/// Available offerings of type `t` within `claim`'s zones and capacity types.
fn offerings_of(
    pool: &NodePool,
    claim: &Claim,
    t: usize,
    ice: &IceCache,
    now_ns: Nanos,
) -> Vec<Offering> {
    let name = pool.types[t].it.name;
    let mut out = Vec::new();
    for &cap in &claim.caps {
        for &z in &claim.zones {
            if !ice.is_unavailable(name, &pool.spec.zones[z], cap, now_ns) {
                out.push(Offering {
                    ty: t,
                    cap,
                    zone: z,
                    price_usd_per_hour: pool.price_usd_per_hour(t, cap),
                });
            }
        }
    }
    out
}

/// Every available offering of a type that holds all of `claim`'s pods and costs less than `max_price`
/// (if given), its types ordered by cheapest offering and truncated to [`MAX_INSTANCE_TYPES`].
pub fn offerings(
    pool: &NodePool,
    claim: &Claim,
    ice: &IceCache,
    now_ns: Nanos,
    max_price: Option<f64>,
) -> Vec<Offering> {
    let mut per_type: Vec<Vec<Offering>> = claim
        .types
        .iter()
        .filter(|&&t| pool.types[t].allocatable.fits(claim.requests))
        .map(|&t| {
            let mut o = offerings_of(pool, claim, t, ice, now_ns);
            o.retain(|o| max_price.is_none_or(|m| o.price_usd_per_hour < m));
            o
        })
        .filter(|o| !o.is_empty())
        .collect();
    let cheapest = |o: &Vec<Offering>| {
        o.iter()
            .map(|o| o.price_usd_per_hour)
            .fold(f64::INFINITY, f64::min)
    };
    per_type.sort_by(|a, b| {
        cheapest(a)
            .total_cmp(&cheapest(b))
            .then_with(|| pool.types[a[0].ty].it.name.cmp(pool.types[b[0].ty].it.name))
    });
    per_type.truncate(MAX_INSTANCE_TYPES);
    per_type.concat()
}

/// The offering Karpenter launches from `offers`: the most preferred capacity
/// type present (reserved > spot > on-demand), then the lowest price
/// (`lowest-price`; spot's `price-capacity-optimized` simplified to lowest
/// price), ties by type name then zone order.
pub fn choose(pool: &NodePool, offers: &[Offering]) -> Option<Offering> {
    offers.iter().copied().min_by(|a, b| {
        capacity_rank(a.cap)
            .cmp(&capacity_rank(b.cap))
            .then(a.price_usd_per_hour.total_cmp(&b.price_usd_per_hour))
            .then_with(|| pool.types[a.ty].it.name.cmp(pool.types[b.ty].it.name))
            .then(a.zone.cmp(&b.zone))
    })
}
