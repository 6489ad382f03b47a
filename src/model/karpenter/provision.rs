//! Provisioning (reference §3.1): launch decisions for a closed batch of
//! pending pods — existing nodes first, then new NodeClaims packed in
//! CPU-then-memory-descending order, each launched as the cheapest available
//! offering of the most preferred capacity type among the types that hold its pods.

use super::ice::IceCache;
use super::schedule::{self, Claim, ClusterNode, Offering};
use crate::model::cluster::ids::PoolId;
use crate::spec::node_pool::NodePool;
use crate::spec::resources::{CapacityType, NodeTemplate, PodNeeds};
use crate::units::Nanos;

/// One node to launch.
#[derive(Debug, Clone, PartialEq)]
pub struct Launch {
    /// The NodePool.
    pub pool: PoolId,
    /// Instance type name.
    pub instance_type: String,
    /// How it is bought.
    pub capacity: CapacityType,
    /// Zone.
    pub zone: String,
    /// Its price, US dollars per hour.
    pub price_usd_per_hour: f64,
    /// Indices of the pods planned onto it, ascending.
    pub pods: Vec<usize>,
}

/// What to do with a batch.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProvisionPlan {
    /// Nodes to launch.
    pub launches: Vec<Launch>,
    /// (pod, node) pods that fit on existing (or in-flight) nodes: no launch for them.
    pub on_existing: Vec<(usize, usize)>,
    /// Pods that stay Pending, with the reason.
    pub unschedulable: Vec<(usize, &'static str)>,
}

/// Plans launches for the pending `pods`, given the cluster's `nodes` (deleting ones are not used),
/// the NodePools and the insufficient-capacity cache at `now_ns`.
pub fn provision(
    pods: &[PodNeeds],
    nodes: &[ClusterNode],
    pools: &[NodePool],
    ice: &IceCache,
    now_ns: Nanos,
) -> ProvisionPlan {
    let usable: Vec<bool> = nodes.iter().map(|n| !n.deleting).collect();
    let excluded = vec![false; nodes.len()];
    let sched = schedule::simulate(pods, nodes, &usable, &excluded, pools, ice, now_ns);
    let mut plan = ProvisionPlan {
        launches: Vec::new(),
        on_existing: sched.existing,
        unschedulable: sched.unschedulable,
    };
    for claim in &sched.claims {
        let pool = &pools[claim.pool];
        let offers = schedule::offerings(pool, claim, ice, now_ns, None);
        match schedule::choose(pool, &offers) {
            Some(o) => plan.launches.push(launch_of(pool, claim, o)),
            // Unreachable: a claim only exists while some offering holds its pods.
            None => plan
                .unschedulable
                .extend(claim.pods.iter().map(|&p| (p, schedule::NO_CAPACITY))),
        }
    }
    plan.on_existing.sort_unstable();
    plan.unschedulable.sort_unstable();
    plan
}

/// The launch of `claim` as offering `o`.
pub fn launch_of(pool: &NodePool, claim: &Claim, o: Offering) -> Launch {
    let mut pods = claim.pods.clone();
    pods.sort_unstable();
    Launch {
        pool: PoolId::of(claim.pool),
        instance_type: pool.types[o.ty].it.name.to_string(),
        capacity: o.cap,
        zone: pool.spec.zones[o.zone].clone(),
        price_usd_per_hour: o.price_usd_per_hour,
        pods,
    }
}

/// The node `launch` creates in `pool`: allocatable, labels (with the well-known ones), taints, price.
/// `None` if the launch's type is not one of the pool's.
pub fn template(pool: &NodePool, launch: &Launch) -> Option<NodeTemplate> {
    let ty = pool
        .types
        .iter()
        .position(|t| t.it.name == launch.instance_type)?;
    Some(NodeTemplate {
        group: pool.spec.name.clone(),
        instance_type: launch.instance_type.clone(),
        allocatable: pool.types[ty].allocatable,
        labels: pool.node_labels(ty, launch.capacity, &launch.zone),
        taints: pool.spec.taints.clone(),
        capacity: launch.capacity,
        price_usd_per_hour: launch.price_usd_per_hour,
    })
}

#[cfg(test)]
#[path = "provision_tests.rs"]
mod tests;
