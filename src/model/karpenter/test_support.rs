//! Builders shared by the Karpenter tests.

use std::collections::BTreeMap;

use super::schedule::ClusterNode;
use crate::spec::node_pool::{NodePool, NodePoolSpec};
use crate::spec::resources::{CapacityType, PodNeeds, Resources};

/// Bytes in one GiB.
pub const GIB: i64 = 1 << 30;

/// A pod requesting `cpu_milli` and `mem_gib` GiB, no selector or tolerations.
pub fn pod(cpu_milli: i64, mem_gib: i64) -> PodNeeds {
    PodNeeds {
        requests: Resources {
            cpu_milli,
            memory_bytes: mem_gib * GIB,
            pods: 1,
        },
        node_selector: BTreeMap::new(),
        tolerations: vec![],
        one_per_node: None,
        zone_spread: None,
    }
}

/// A pool from the catalog with `types`, `caps`, `zones`, otherwise defaults.
pub fn pool(name: &str, types: &[&str], caps: &[CapacityType], zones: &[&str]) -> NodePool {
    let mut spec = NodePoolSpec::new(name, types, zones);
    spec.capacity_types = caps.to_vec();
    NodePool::from_catalog(spec).unwrap()
}

/// An initialized, ready node of `pool` (the first of the plan's pools) with
/// type `ty` and the pool's price and labels, holding `pods`.
pub fn node(pool: &NodePool, ty: &str, cap: CapacityType, pods: Vec<PodNeeds>) -> ClusterNode {
    let t = pool.types.iter().position(|t| t.it.name == ty).unwrap();
    let zone = pool.spec.zones[0].clone();
    ClusterNode {
        pool: Some(crate::model::cluster::ids::PoolId(0)),
        instance_type: ty.to_string(),
        capacity_type: cap,
        price_usd_per_hour: pool.price_usd_per_hour(t, cap),
        capacity: pool.types[t].capacity,
        allocatable: pool.types[t].allocatable,
        labels: pool.node_labels(t, cap, &zone),
        taints: pool.spec.taints.clone(),
        zone,
        pods,
        initialized: true,
        ready: true,
        deleting: false,
        do_not_disrupt: false,
        last_pod_event_ns: 0,
    }
}
