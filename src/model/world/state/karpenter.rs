//! Karpenter's state in one run ([`KarpenterRuntime`]): its NodePools and
//! their stand-in node groups, the batching window, the unavailable
//! offerings, what it knows of each node, and the disruption [`Command`] in
//! progress. Provisioning is [`crate::model::world::karpenter_provision`]'s,
//! consolidation [`crate::model::world::karpenter_disruption`]'s.

use crate::model::cluster::ids::NodeId;
use crate::model::karpenter::{self, Batcher, ConsolidationOptions, IceCache, Launch};
use crate::spec::node_pool::NodePool;
use crate::spec::{ClusterSpec, NodeAutoscalerSpec, OfferingShortage};
use crate::units::Nanos;

/// Karpenter's settings and memory in one run.
#[derive(Debug, Clone)]
pub struct KarpenterRuntime {
    /// The NodePools.
    pub(crate) pools: Vec<NodePool>,
    /// Per pool: its stand-in node group.
    pub(crate) groups: Vec<u32>,
    /// Per pool: shortage windows.
    pub(crate) shortages: Vec<Vec<OfferingShortage>>,
    /// Feature gates of the disruption controller.
    pub(crate) options: ConsolidationOptions,
    /// Some pool consolidates (its `consolidateAfter` is not `Never`).
    pub(crate) consolidates: bool,
    pub(crate) batcher: Batcher,
    pub(crate) ice: IceCache,
    /// Pending pods with an id below this have already been seen by the batcher.
    pub(crate) next_pod: u32,
    /// Per node id: the last pod bound or removed (or when it turned Ready).
    pub(crate) last_pod_event_ns: Vec<Nanos>,
    /// Per node id: (pool, type index) for the pools' nodes.
    pub(crate) node_type: Vec<Option<(usize, usize)>>,
    /// The consolidation command in progress.
    pub(crate) command: Option<Command>,
    /// Nothing changed since a pass that found nothing, until this time.
    pub(crate) quiet_until: Option<Nanos>,
    /// The last reason pods could not be provisioned (to log changes only).
    pub(crate) last_unschedulable: Option<&'static str>,
}

impl KarpenterRuntime {
    /// Karpenter for `spec`, if its node autoscaler is Karpenter.
    pub fn new(spec: &ClusterSpec) -> Option<KarpenterRuntime> {
        let NodeAutoscalerSpec::Karpenter {
            pools,
            spot_to_spot,
        } = &spec.autoscaler
        else {
            return None;
        };
        Some(KarpenterRuntime {
            consolidates: pools
                .iter()
                .any(|p| p.pool.spec.consolidate_after_ns.is_some()),
            groups: pools.iter().map(|p| p.group as u32).collect(),
            shortages: pools.iter().map(|p| p.shortages.clone()).collect(),
            pools: pools.iter().map(|p| p.pool.clone()).collect(),
            options: ConsolidationOptions {
                spot_to_spot: *spot_to_spot,
            },
            batcher: Batcher::default(),
            ice: IceCache::new(karpenter::ICE_TTL_NS),
            next_pod: 0,
            last_pod_event_ns: Vec::new(),
            node_type: Vec::new(),
            command: None,
            quiet_until: None,
            last_unschedulable: None,
        })
    }

    /// Something the disruption controller looks at changed.
    pub(crate) fn touch(&mut self) {
        self.quiet_until = None;
    }
}

/// One planned disruption, with node ids.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Planned {
    /// Nodes to delete.
    pub(crate) nodes: Vec<NodeId>,
    /// Launched first, if a replace.
    pub(crate) replacement: Option<Launch>,
    /// Why (for the log).
    pub(crate) what: String,
}

/// The disruption command in progress.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Command {
    /// Found by a pass; re-checked when the validation delay ends.
    Validating(Vec<Planned>),
    /// Replacement `replacement` is booting; `nodes` are tainted and go once it is Ready.
    Replacing {
        /// The new node.
        replacement: NodeId,
        /// The nodes it replaces.
        nodes: Vec<NodeId>,
    },
}

impl Command {
    /// Whether node `id` is tainted by this command (no new pods; counts as deleting).
    pub(crate) fn holds(&self, id: NodeId) -> bool {
        matches!(self, Command::Replacing { nodes, .. } if nodes.contains(&id))
    }
}
