//! Typed identities of the cluster's nodes, node groups and Karpenter
//! NodePools, shared by the
//! controllers that decide about them ([`crate::model::ca`],
//! [`crate::model::karpenter`]) and the executor that carries the decisions
//! out (`model::world`, the simulation).
//!
//! Both are indices into the cluster's own tables
//! ([`crate::model::cluster::state::Cluster::nodes`] and `groups`), so a
//! decision goes back to its node or group without a name lookup. Text is
//! made only where it is output: [`NodeId`] displays as `node-<id>`, the
//! name every event and report uses; a group's name is its spec's.

use std::fmt;

/// A node: its index in the cluster's node table (never reused in a run).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);

impl NodeId {
    /// The index in the cluster's node table.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for NodeId {
    /// `node-<id>`, the node's name in events and reports.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "node-{}", self.0)
    }
}

/// Declares an id that is an index into one table: `of(i)` and `index()`.
macro_rules! index_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            #[doc = concat!("The ", $what, " of index `i`.")]
            pub fn of(i: usize) -> $name {
                $name(u32::try_from(i).expect(concat!("fewer than 2^32 ", $what, "s")))
            }

            /// Its index in the table.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

index_id!(
    /// A node group: its index in the cluster spec's groups (and in a
    /// cluster-autoscaler snapshot's [`crate::model::ca::Snapshot::groups`]).
    GroupId,
    "node group"
);

index_id!(
    /// A Karpenter NodePool: its index in the node autoscaler's pools (the
    /// scenario's order, and the order of the pools a plan is made over).
    PoolId,
    "node pool"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_displays_as_its_name_and_ids_index_their_tables() {
        assert_eq!(NodeId(7).to_string(), "node-7");
        assert_eq!(NodeId(7).index(), 7);
        assert_eq!(GroupId::of(3), GroupId(3));
        assert_eq!(GroupId(3).index(), 3);
        assert_eq!(PoolId::of(2).index(), 2);
    }
}
