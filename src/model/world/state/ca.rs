//! The cluster-autoscaler's state in one run ([`CaRuntime`]): its flags,
//! its memory between loops, its random stream, the node each group adds and
//! the node views kept from loop to loop. The loop that fills its snapshot
//! and carries out its decisions is [`crate::model::world::ca`]'s.

use crate::engine::rng::SimRng;
use crate::model::ca::{CaConfig, CaState, NodeView, Snapshot};
use crate::spec::allocatable;
use crate::spec::resources::{NodeTemplate, Resources};
use crate::spec::{ClusterSpec, NodeAutoscalerSpec, catalog};

/// The cluster-autoscaler's settings, memory and random stream.
#[derive(Debug, Clone)]
pub struct CaRuntime {
    /// Flags.
    pub cfg: CaConfig,
    /// What the autoscaler remembers between loops.
    pub(crate) state: CaState,
    /// Its own random stream (the `random` expander).
    pub(crate) rng: SimRng,
    /// Per node group: the node a scale-up adds, and its capacity.
    pub(crate) templates: Vec<(NodeTemplate, Resources)>,
    /// By node id: the node's view from the last loop, kept so that its
    /// labels and taints (fixed for the node's life) are not built
    /// again every scan interval; its pods and state are refreshed.
    pub(crate) views: Vec<Option<NodeView>>,
}

impl CaRuntime {
    /// The cluster-autoscaler of `spec`, if it has one.
    pub fn new(spec: &ClusterSpec, rng: SimRng) -> Option<CaRuntime> {
        let NodeAutoscalerSpec::ClusterAutoscaler {
            expanders,
            balance_similar,
            priorities,
            scan_interval_ns,
            unneeded_ns,
            utilization_threshold,
            delay_after_add_ns,
            ignore_daemonsets_utilization,
        } = &spec.autoscaler
        else {
            return None;
        };
        let mut cfg = CaConfig {
            expanders: expanders.clone(),
            balance_similar_node_groups: *balance_similar,
            priorities: priorities.clone(),
            ignore_daemonsets_utilization: *ignore_daemonsets_utilization,
            ..CaConfig::default()
        };
        if let Some(v) = scan_interval_ns {
            cfg.scan_interval_ns = *v;
        }
        if let Some(v) = unneeded_ns {
            cfg.scale_down_unneeded_time_ns = *v;
        }
        if let Some(v) = utilization_threshold {
            cfg.scale_down_utilization_threshold = *v;
        }
        if let Some(v) = delay_after_add_ns {
            cfg.scale_down_delay_after_add_ns = *v;
        }
        let templates = spec
            .groups
            .iter()
            .map(|g| {
                let labels = g.node_labels(&g.zones[0]);
                let capacity = match catalog::lookup(&g.instance.name) {
                    Some(it) => allocatable::capacity(it),
                    None => Resources {
                        cpu_milli: i64::from(g.instance.vcpus) * 1000,
                        memory_bytes: g.instance.memory_bytes as i64,
                        pods: i64::from(g.instance.max_pods),
                    },
                };
                let template = NodeTemplate {
                    group: g.name.clone(),
                    instance_type: g.instance.name.clone(),
                    allocatable: g.allocatable,
                    labels,
                    taints: g.taints.clone(),
                    capacity: g.capacity,
                    price_usd_per_hour: g.price_usd_per_hour,
                };
                (template, capacity)
            })
            .collect();
        Some(CaRuntime {
            cfg,
            state: CaState::default(),
            rng,
            templates,
            views: Vec::new(),
        })
    }
}

impl CaRuntime {
    /// Keeps the node views of a loop's snapshot for the next loop.
    pub(crate) fn keep_views(&mut self, snap: Snapshot) {
        for v in snap.nodes {
            let id = v.id.index();
            self.views[id] = Some(v);
        }
    }
}
