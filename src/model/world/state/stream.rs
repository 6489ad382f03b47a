//! Random streams, each keyed by the stable identity of what draws from it:
//! a kind, a name and a purpose (`stream id = hash(kind, name) · 256 + purpose`),
//! so adding, removing or reordering services or node groups leaves every
//! other stream's draws unchanged, and renaming one changes only its own.

/// A service's arrival times.
pub const ARRIVALS: u64 = 0;
/// A service's CPU and I/O work sizes.
pub const WORK: u64 = 1;
/// A service's load-balancer choices.
pub const BALANCER: u64 = 2;
/// A service's pod start-up times.
pub const LIFECYCLE: u64 = 3;
/// A node group's boot times; + 1: its spot interruptions.
pub const NODES: u64 = 4;
/// The cluster-autoscaler's own stream (the `random` expander).
pub const AUTOSCALER: u64 = 0;

/// Kind of a service's streams.
pub const SERVICE: &str = "service";
/// Kind of a node group's streams.
pub const NODE_GROUP: &str = "node-group";
/// Kind of the cluster-autoscaler's stream (one per cluster; its name is "").
pub const CLUSTER_AUTOSCALER: &str = "cluster-autoscaler";

/// The stream id of (`kind`, `name`, `purpose`): FNV-1a over the kind, a 0
/// byte and the name, shifted left by 8, with the purpose in the low byte.
pub fn id(kind: &str, name: &str, purpose: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in kind.bytes().chain([0]).chain(name.bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    (h << 8) | (purpose & 0xff)
}
