//! SCAFFOLD (replaced by the cost branch): allocatable of a node.
use super::cluster::Resources;
use crate::scenario::catalog::InstanceType;
/// Allocatable (scaffold: capacity minus the DaemonSets).
pub fn allocatable(it: &InstanceType, daemonset: Resources) -> Resources {
    Resources {
        cpu_milli: it.vcpus as i64 * 1000,
        memory_bytes: it.memory_bytes as i64,
        pods: it.max_pods as i64,
    }
    .minus(daemonset)
}
