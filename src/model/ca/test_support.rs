//! Fixtures for the cluster-autoscaler's tests: groups, nodes and pods in
//! round units (millicores, GiB).

use std::collections::BTreeMap;

use rand::SeedableRng;

use crate::engine::rng::SimRng;
pub use crate::model::cluster::ids::{GroupId, NodeId};
use crate::spec::resources::{CapacityType, NodeTemplate, PodNeeds, Resources};
use crate::units::{NANOS_PER_SEC, Nanos};

use super::snapshot::{GroupView, NodePod, NodeView, PendingPod, PodKind};

/// Bytes in one GiB.
pub const GIB: i64 = 1 << 30;
/// One minute in nanoseconds.
pub const MIN: Nanos = 60 * NANOS_PER_SEC;
/// One second in nanoseconds.
pub const SEC: Nanos = NANOS_PER_SEC;

/// Pod requests: `cpu_milli` millicores, `mem_gib` GiB, one pod slot.
pub fn req(cpu_milli: i64, mem_gib: f64) -> Resources {
    Resources {
        cpu_milli,
        memory_bytes: (mem_gib * GIB as f64) as i64,
        pods: 1,
    }
}

/// Node resources with 110 pod slots.
pub fn node_res(cpu_milli: i64, mem_gib: f64) -> Resources {
    Resources {
        pods: 110,
        ..req(cpu_milli, mem_gib)
    }
}

/// Pod needs without selector or tolerations.
pub fn needs(cpu_milli: i64, mem_gib: f64) -> PodNeeds {
    PodNeeds {
        requests: req(cpu_milli, mem_gib),
        node_selector: BTreeMap::new(),
        tolerations: vec![],
        one_per_node: None,
        zone_spread: None,
    }
}

/// A pending pod created at time 0.
pub fn pending(cpu_milli: i64, mem_gib: f64) -> PendingPod {
    PendingPod {
        needs: needs(cpu_milli, mem_gib),
        created_ns: 0,
    }
}

/// A group whose nodes have capacity = allocatable = `cpu_milli`/`mem_gib`.
pub fn group(
    name: &str,
    cpu_milli: i64,
    mem_gib: f64,
    min: u32,
    max: u32,
    target: u32,
) -> GroupView {
    GroupView {
        template: NodeTemplate {
            group: name.into(),
            instance_type: "test".into(),
            allocatable: node_res(cpu_milli, mem_gib),
            labels: [("group".to_string(), name.to_string())].into(),
            taints: vec![],
            capacity: CapacityType::OnDemand,
            price_usd_per_hour: 0.1,
        },
        capacity: node_res(cpu_milli, mem_gib),
        min_size: min,
        max_size: max,
        target_size: target,
        upcoming: 0,
    }
}

/// A movable pod on a node.
pub fn movable(cpu_milli: i64, mem_gib: f64) -> NodePod {
    NodePod {
        needs: needs(cpu_milli, mem_gib),
        kind: PodKind::Movable,
        blocks_removal: false,
    }
}

/// A DaemonSet pod on a node.
pub fn daemon(cpu_milli: i64, mem_gib: f64) -> NodePod {
    NodePod {
        kind: PodKind::DaemonSet,
        ..movable(cpu_milli, mem_gib)
    }
}

/// Ready node `id` of group `gi` (`g`, the group at that index), built from
/// the group's template, with `pods`.
pub fn node(id: u32, gi: u32, g: &GroupView, pods: Vec<NodePod>) -> NodeView {
    NodeView {
        id: NodeId(id),
        group: Some(GroupId(gi)),
        labels: g.template.labels.clone(),
        taints: g.template.taints.clone(),
        allocatable: g.template.allocatable,
        pods,
        ready: true,
        being_deleted: false,
        scale_down_disabled: false,
    }
}

/// A seeded simulation rng.
pub fn rng() -> SimRng {
    SimRng::seed_from_u64(7)
}
