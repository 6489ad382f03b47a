//! Karpenter in the simulation: provisioning. Pods that kube-scheduler
//! leaves Pending feed the batching window ([`karpenter::Batcher`], 1 s
//! idle / 10 s max); when it closes, [`karpenter::provision`] plans the
//! batch against the live nodes (Launching nodes count, so pods already
//! waiting for one do not launch another) and every planned NodeClaim is
//! launched as its chosen offering. A launch that hits a capacity shortage
//! (or a zone that is out) fails with InsufficientInstanceCapacity: the
//! offering goes into the 3-minute unavailable-offerings cache and the batch
//! is retried, so the next choice falls back to another zone, type or
//! capacity type. Consolidation is in [`crate::model::world::karpenter_disruption`].
//!
//! Each NodePool has a stand-in node group (see
//! [`crate::spec::KarpenterPoolSpec`]) that holds its nodes for the
//! cluster's state, series and bill; each node carries its own instance
//! type, capacity type and price. Karpenter's state is
//! [`crate::model::world::state::karpenter::KarpenterRuntime`].

use crate::engine::Scheduler;
use crate::metrics::ScalingEvent;
use crate::model::cluster::ids::{NodeId, PoolId};
use crate::model::cluster::state::NodeStage;
use crate::model::karpenter::{self, ClusterNode, Launch};
use crate::model::world::{Event, World};
use crate::spec::resources::CapacityType;
use crate::units::Nanos;

impl World {
    /// Records a pod bound to or removed from `node` at `now` (consolidateAfter counts from it).
    pub(super) fn karpenter_pod_event(&mut self, node: u32, now: Nanos) {
        if let Some(k) = self.karpenter.as_mut() {
            if let Some(t) = k.last_pod_event_ns.get_mut(node as usize) {
                *t = now;
            }
            k.touch();
        }
    }

    /// After kube-scheduler's pass: pods newly left Pending open or extend the batch.
    pub(super) fn karpenter_see_pending(&mut self, now: Nanos, sched: &mut Scheduler<Event>) {
        let (Some(k), Some(c)) = (self.karpenter.as_mut(), self.cluster.as_ref()) else {
            return;
        };
        let Some(&newest) = c.pending.iter().max() else {
            return;
        };
        if newest >= k.next_pod {
            k.next_pod = newest + 1;
            self.karpenter_trigger(now, sched);
        }
    }

    /// Adds `now` to the batch and wakes the provisioner when the window would close.
    pub(super) fn karpenter_trigger(&mut self, now: Nanos, sched: &mut Scheduler<Event>) {
        let Some(k) = self.karpenter.as_mut() else {
            return;
        };
        k.batcher.add(now);
        if let Some(t) = k.batcher.ready_at() {
            sched.at(t, Event::KarpenterBatch);
        }
    }

    /// The live nodes as Karpenter sees them, and their ids.
    pub(super) fn karpenter_nodes(&self) -> (Vec<ClusterNode>, Vec<NodeId>) {
        let k = self.karpenter.as_ref().expect("Karpenter runs");
        let c = self.cluster.as_ref().expect("Karpenter implies a cluster");
        let mut nodes = Vec::new();
        let mut ids = Vec::new();
        for (id, n) in c.nodes.iter().enumerate() {
            if n.stage == NodeStage::Gone {
                continue;
            }
            let view = &c.views[id];
            let typed = k.node_type.get(id).copied().flatten();
            let disrupting = k
                .command
                .as_ref()
                .is_some_and(|cmd| cmd.holds(NodeId(id as u32)));
            nodes.push(ClusterNode {
                pool: c.spec.groups[n.group as usize].pool.map(PoolId::of),
                instance_type: n.instance_type.clone(),
                capacity_type: n.capacity_type,
                zone: c.zone_of(id as u32).to_string(),
                price_usd_per_hour: n.price_usd_per_hour,
                capacity: typed.map_or(view.allocatable, |(p, t)| k.pools[p].types[t].capacity),
                allocatable: view.allocatable,
                labels: view.labels.clone(),
                taints: view.taints.clone(),
                pods: n.pods.iter().map(|&p| self.needs_of(p).clone()).collect(),
                initialized: n.stage != NodeStage::Launching,
                ready: n.stage == NodeStage::Ready,
                deleting: n.stage == NodeStage::Draining || n.interrupting || disrupting,
                do_not_disrupt: false,
                last_pod_event_ns: k.last_pod_event_ns.get(id).copied().unwrap_or(0),
            });
            ids.push(NodeId(id as u32));
        }
        (nodes, ids)
    }

    /// Before the run: Karpenter has already provisioned for the pods that
    /// exist at the start (`replicas` per service), as it would have in the
    /// hour before; those nodes are Ready at 0 like a node group's `initial`.
    pub(super) fn karpenter_initial_nodes(&mut self, replicas: &[u32]) {
        if self.karpenter.is_none() {
            return;
        }
        let pods: Vec<_> = replicas
            .iter()
            .enumerate()
            .flat_map(|(s, &n)| (0..n).map(move |_| s))
            .map(|s| self.services[s].placement.needs.clone())
            .collect();
        let (nodes, _) = self.karpenter_nodes();
        let k = self.karpenter.as_ref().expect("checked");
        let plan = karpenter::provision(&pods, &nodes, &k.pools, &k.ice, 0);
        for launch in &plan.launches {
            self.karpenter_add_node(launch, 0, NodeStage::Ready);
        }
    }

    /// Adds the node of `launch` at `now` in `stage`, recorded and typed; `None` if its pool or type is unknown.
    fn karpenter_add_node(&mut self, launch: &Launch, now: Nanos, stage: NodeStage) -> Option<u32> {
        let k = self.karpenter.as_mut().expect("Karpenter runs");
        let p = launch.pool.index();
        let ty = k.pools[p]
            .types
            .iter()
            .position(|t| t.it.name == launch.instance_type)?;
        let mut template = karpenter::provision::template(&k.pools[p], launch)?;
        template
            .labels
            .insert("capsim/node-group".to_string(), template.group.clone());
        let g = k.groups[p];
        let c = self.cluster.as_mut().expect("Karpenter implies a cluster");
        let id = c.add_node_as(g, template, now, stage);
        let k = self.karpenter.as_mut().expect("checked");
        k.node_type.resize(id as usize + 1, None);
        k.node_type[id as usize] = Some((p, ty));
        k.last_pod_event_ns.resize(id as usize + 1, now);
        k.touch();
        self.node_started(id, now);
        Some(id)
    }

    /// The batching window may have closed: provision the batch.
    pub(super) fn karpenter_batch(&mut self, now: Nanos, sched: &mut Scheduler<Event>) {
        let Some(k) = self.karpenter.as_mut() else {
            return;
        };
        if !k.batcher.take_if_ready(now) {
            return; // a later pod moved the window
        }
        k.ice.purge(now);
        let c = self.cluster.as_ref().expect("Karpenter implies a cluster");
        if c.pending.is_empty() {
            return;
        }
        let pods: Vec<_> = c
            .pending
            .iter()
            .map(|&p| self.needs_of(p).clone())
            .collect();
        let (nodes, _) = self.karpenter_nodes();
        let k = self.karpenter.as_ref().expect("checked");
        let plan = karpenter::provision(&pods, &nodes, &k.pools, &k.ice, now);
        let mut failed = false;
        for launch in &plan.launches {
            failed |= self.karpenter_launch(launch, now, sched).is_none();
        }
        if let Some(&(pod, why)) = plan.unschedulable.first() {
            let k = self.karpenter.as_mut().expect("checked");
            if k.last_unschedulable != Some(why) {
                k.last_unschedulable = Some(why);
                let c = self.cluster.as_ref().expect("checked");
                let s = self.pods[c.pending[pod] as usize].service as usize;
                let (name, desired) = (self.services[s].name.clone(), self.services[s].desired);
                let n = plan.unschedulable.len();
                self.karpenter_log(
                    now,
                    name,
                    desired,
                    desired,
                    format!("Unschedulable: {n} pods: {why}"),
                );
            }
        } else if let Some(k) = self.karpenter.as_mut() {
            k.last_unschedulable = None;
        }
        if failed {
            self.karpenter_trigger(now, sched); // retry with the offering marked unavailable
        }
    }

    /// Launches `launch`; `None` if EC2 has no capacity for its offering (it is marked unavailable).
    pub(super) fn karpenter_launch(
        &mut self,
        launch: &Launch,
        now: Nanos,
        sched: &mut Scheduler<Event>,
    ) -> Option<u32> {
        let k = self.karpenter.as_mut().expect("Karpenter runs");
        let p = launch.pool.index();
        let c = self.cluster.as_ref().expect("Karpenter implies a cluster");
        let short = k.shortages[p]
            .iter()
            .any(|s| s.hits(&launch.instance_type, launch.capacity, &launch.zone, now));
        let g = k.groups[p];
        if short || c.zone_out(&launch.zone, now) {
            k.ice
                .mark(&launch.instance_type, &launch.zone, launch.capacity, now);
            k.touch();
            let why = format!(
                "InsufficientInstanceCapacity: {} {} in {}; offering unavailable for 3m",
                launch.instance_type,
                capacity_name(launch.capacity),
                launch.zone
            );
            self.karpenter_event(now, g as usize, why);
            return None;
        }
        let id = self.karpenter_add_node(launch, now, NodeStage::Launching)?;
        let c = self.cluster.as_mut().expect("checked");
        let group = &mut c.groups[g as usize];
        let boot_ns = group.boot.sample(&mut group.rng);
        sched.at(now.saturating_add(boot_ns), Event::NodeReady(id));
        self.arm_interruption(id, now, sched);
        let c = self.cluster.as_ref().expect("checked");
        let live = c.groups[g as usize].live.len() as u32;
        self.karpenter_log(
            now,
            c.spec.groups[g as usize].name.clone(),
            live - 1,
            live,
            format!(
                "Launch: {} {} {} in {} (${:.4}/h) for {} pods",
                NodeId(id),
                launch.instance_type,
                capacity_name(launch.capacity),
                launch.zone,
                launch.price_usd_per_hour,
                launch.pods.len()
            ),
        );
        Some(id)
    }

    /// A line in `events.csv` about node group (pool stand-in) `g`; from/to are its live nodes.
    pub(super) fn karpenter_event(&mut self, now: Nanos, g: usize, reason: String) {
        let c = self.cluster.as_ref().expect("Karpenter implies a cluster");
        let n = c.groups[g].live.len() as u32;
        self.karpenter_log(now, c.spec.groups[g].name.clone(), n, n, reason);
    }

    /// A line in `events.csv` from Karpenter.
    fn karpenter_log(&mut self, now: Nanos, target: String, from: u32, to: u32, reason: String) {
        self.events.push(ScalingEvent {
            at_ns: now,
            target,
            source: "karpenter",
            from,
            to,
            reason,
            metrics: String::new(),
        });
    }
}

/// Karpenter's label value for a capacity type.
pub(super) fn capacity_name(c: CapacityType) -> &'static str {
    crate::spec::node_pool::capacity_label(c)
}
