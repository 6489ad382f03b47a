//! The cluster's state: nodes and their stages, node groups, the
//! scheduler's view of each node, pending pods, zone outages. How pods and
//! nodes change is in `binding`.
//!
//! With a `cluster`, a new pod is Pending until the scheduler
//! ([`crate::model::cluster::kube_scheduler`]) finds it a node; its start-up then begins there,
//! and its image pull is skipped if the node already has the image (or ends
//! with a pull already under way for it). Pending pods are retried, in
//! creation order, whenever capacity may have appeared: a node turned Ready,
//! a pod left, a new pod was created. A node being removed is cordoned, its
//! pods are evicted (they drain, and their services replace them), and it is
//! gone once empty. Nodes present at the start have been Ready for an hour.

use crate::engine::rng::SimRng;
use crate::metrics::cluster::NodeRecord;
use crate::model::cluster::kube_scheduler::{NodeView, Scheduler};
use crate::model::service::dist::Sampler;
use crate::spec::ClusterSpec;
use crate::spec::placement::ZONE_LABEL;
use crate::spec::resources::{CapacityType, NodeTemplate, Resources};
use crate::units::Nanos;

/// Where a node is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeStage {
    /// Launched, booting.
    Launching,
    /// Schedulable.
    Ready,
    /// Cordoned, its pods being evicted.
    Draining,
    /// Terminated.
    Gone,
}

/// One node.
#[derive(Debug, Clone)]
pub struct NodeState {
    /// Its node group.
    pub group: u32,
    /// Where it is in its life.
    pub stage: NodeStage,
    /// When it was launched (0 for nodes present at the start).
    pub launched_ns: Nanos,
    /// Pods bound to it.
    pub pods: Vec<u32>,
    /// Images on the node: ((service, template revision), when the pull ends or ended).
    pub(in crate::model) images: Vec<((u32, u32), Nanos)>,
    /// Its spot interruption notice came: AWS terminates it at the deadline, not before.
    pub interrupting: bool,
    /// Its instance type.
    pub instance_type: String,
    /// How it is bought.
    pub capacity_type: CapacityType,
    /// Its price, US dollars per hour.
    pub price_usd_per_hour: f64,
}

/// One node group's state.
#[derive(Debug, Clone)]
pub struct GroupState {
    /// Nodes wanted.
    pub target: u32,
    /// Nodes not gone, in launch order.
    pub live: Vec<u32>,
    /// Of `live`, how many are in each of the group's zones (parallel to the
    /// spec's `zones`), so that picking a new node's zone is O(zones), not O(live).
    pub(in crate::model) zone_live: Vec<u32>,
    pub(in crate::model) boot: Sampler,
    pub(in crate::model) rng: SimRng,
    /// Draws spot interruption times.
    pub spot_rng: SimRng,
}

/// The cluster of one run.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// The spec.
    pub spec: ClusterSpec,
    /// Every node ever launched (index = node id).
    pub nodes: Vec<NodeState>,
    /// The scheduler's view of each node (parallel to `nodes`; gone nodes stay cordoned).
    pub views: Vec<NodeView>,
    /// Per node group.
    pub groups: Vec<GroupState>,
    /// kube-scheduler.
    pub scheduler: Scheduler,
    /// Pods waiting for a node, in creation order.
    pub pending: Vec<u32>,
    /// Zone outages: (zone, until).
    pub outages: Vec<(String, Nanos)>,
}

impl Cluster {
    /// The cluster of `spec`; `rng(g, k)` gives node group g its boot-time (k = 0) and spot (k = 1) streams.
    pub fn new(spec: &ClusterSpec, mut rng: impl FnMut(usize, u64) -> SimRng) -> Cluster {
        let groups = spec
            .groups
            .iter()
            .enumerate()
            .map(|(g, gs)| GroupState {
                target: gs.initial,
                live: Vec::new(),
                zone_live: vec![0; gs.zones.len()],
                boot: Sampler::new(&gs.boot),
                rng: rng(g, 0),
                spot_rng: rng(g, 1),
            })
            .collect();
        let mut c = Cluster {
            spec: spec.clone(),
            nodes: Vec::new(),
            views: Vec::new(),
            groups,
            scheduler: Scheduler::new(spec.scoring),
            pending: Vec::new(),
            outages: Vec::new(),
        };
        for g in 0..spec.groups.len() {
            for _ in 0..spec.groups[g].initial {
                c.add_node(g as u32, 0, NodeStage::Ready);
            }
        }
        c
    }

    /// Whether `zone` is out (a zone outage) at `now`.
    pub fn zone_out(&self, zone: &str, now: Nanos) -> bool {
        self.outages
            .iter()
            .any(|(z, until)| z == zone && now < *until)
    }

    /// Group `g` can launch somewhere at `now` (not every zone of it is out).
    pub fn can_launch(&self, g: usize, now: Nanos) -> bool {
        self.spec.groups[g]
            .zones
            .iter()
            .any(|z| !self.zone_out(z, now))
    }

    /// Adds a node to group `g` in the zone where the group has fewest live
    /// nodes (O(zones): the per-zone counts are kept as nodes come and go).
    pub(in crate::model) fn add_node(&mut self, g: u32, now: Nanos, stage: NodeStage) -> u32 {
        let spec = &self.spec.groups[g as usize];
        let counts = &self.groups[g as usize].zone_live;
        // The first zone (in spec order) with the fewest live nodes, among zones not out.
        let zone = spec
            .zones
            .iter()
            .zip(counts)
            .filter(|(z, _)| !self.zone_out(z, now))
            .min_by_key(|(_, n)| **n)
            .map(|(z, _)| z.clone())
            .unwrap_or_default();
        let template = NodeTemplate {
            group: spec.name.clone(),
            instance_type: spec.instance.name.clone(),
            allocatable: spec.allocatable,
            labels: spec.node_labels(&zone),
            taints: spec.taints.clone(),
            capacity: spec.capacity,
            price_usd_per_hour: spec.price_usd_per_hour,
        };
        self.add_node_as(g, template, now, stage)
    }

    /// Adds a node of group `g` made from `t` (its zone is in its labels).
    pub(in crate::model) fn add_node_as(
        &mut self,
        g: u32,
        t: NodeTemplate,
        now: Nanos,
        stage: NodeStage,
    ) -> u32 {
        let id = self.nodes.len() as u32;
        self.views.push(NodeView {
            labels: t.labels,
            taints: t.taints,
            allocatable: t.allocatable,
            requested: Resources::default(),
            cordoned: stage != NodeStage::Ready,
            apps: Default::default(),
        });
        self.nodes.push(NodeState {
            group: g,
            stage,
            launched_ns: now,
            pods: Vec::new(),
            images: Vec::new(),
            interrupting: false,
            instance_type: t.instance_type,
            capacity_type: t.capacity,
            price_usd_per_hour: t.price_usd_per_hour,
        });
        self.groups[g as usize].live.push(id);
        self.count_zone(g, id, 1);
        id
    }

    /// Adds `delta` to group `g`'s live count in the zone of node `id` (if it is one of the group's zones).
    fn count_zone(&mut self, g: u32, id: u32, delta: i32) {
        let zone = self.views[id as usize].labels.get(ZONE_LABEL);
        let spec = &self.spec.groups[g as usize];
        if let Some(z) = zone.and_then(|z| spec.zones.iter().position(|s| s == z)) {
            let n = &mut self.groups[g as usize].zone_live[z];
            *n = n.saturating_add_signed(delta);
        }
    }

    /// Node `id` of group `g` is gone: it leaves the group's live list and zone count.
    pub(in crate::model) fn forget_live(&mut self, g: u32, id: u32) {
        let live = &mut self.groups[g as usize].live;
        if let Some(at) = live.iter().rposition(|&x| x == id) {
            live.remove(at);
            self.count_zone(g, id, -1);
        }
    }

    /// The billing record of node `id`, launched at `now`.
    pub fn record(&self, id: u32, now: Nanos) -> NodeRecord {
        let n = &self.nodes[id as usize];
        NodeRecord {
            zone: self.zone_of(id).to_string(),
            group: n.group,
            launched_ns: now,
            stopped_ns: None,
            interrupted: false,
            capacity: n.capacity_type,
            price_usd_per_hour: n.price_usd_per_hour,
            instance_type: n.instance_type.clone(),
        }
    }

    /// The zone of node `id` ("" if unlabelled).
    pub fn zone_of(&self, id: u32) -> &str {
        self.views[id as usize]
            .labels
            .get(ZONE_LABEL)
            .map_or("", String::as_str)
    }

    /// Nodes of group `g` that are Ready and Launching.
    pub fn group_counts(&self, g: usize) -> (u32, u32) {
        let live = &self.groups[g].live;
        let count = |s: NodeStage| {
            live.iter()
                .filter(|&&n| self.nodes[n as usize].stage == s)
                .count() as u32
        };
        (count(NodeStage::Ready), count(NodeStage::Launching))
    }

    /// Requests of the pods and allocatable of the Ready nodes, summed.
    pub fn usage(&self) -> (Resources, Resources) {
        let mut requested = Resources::default();
        let mut allocatable = Resources::default();
        for (n, v) in self.nodes.iter().zip(&self.views) {
            if n.stage == NodeStage::Ready {
                requested = requested.plus(v.requested);
                allocatable = allocatable.plus(v.allocatable);
            }
        }
        (requested, allocatable)
    }
}
