//! Pods and nodes in the world: binding pods the scheduler placed, the
//! per-node image cache, launching, draining and removing nodes, and their
//! billing records (see [`crate::model::cluster::state`] for the cluster's state).

use crate::engine::Scheduler as EventScheduler;
use crate::model::cluster::kube_scheduler::PodToPlace;
use crate::model::cluster::state::NodeStage;
use crate::model::service::lifecycle::Stage;
use crate::model::world::{Event, World};
use crate::units::{Nanos, signed_nanos};

impl World {
    /// What pod `id` needs from the scheduler.
    fn pod_to_place(&self, id: u32) -> PodToPlace {
        let s = self.pods[id as usize].service as usize;
        self.services[s].placement.clone()
    }

    /// What pod `id` asks of a node: requests, selector, tolerations.
    pub(super) fn needs_of(&self, id: u32) -> &crate::spec::resources::PodNeeds {
        &self.services[self.pods[id as usize].service as usize]
            .placement
            .needs
    }

    /// Places pod `id`, present at the start, on a node at time 0 as if it
    /// had run there for long (image cached); if no node takes it, records
    /// why and returns false.
    pub(super) fn bind_initial(&mut self, id: u32) -> bool {
        let want = self.pod_to_place(id);
        let s = self.pods[id as usize].service;
        let c = self.cluster.as_mut().expect("called with a cluster");
        let node = match c.scheduler.place(&want, &c.views) {
            Ok(node) => node,
            Err(why) => {
                self.note_unschedulable(id, why.to_string(), 0);
                return false;
            }
        };
        let view = &mut c.views[node];
        view.requested = view.requested.plus(want.needs.requests);
        *view.apps.entry(want.app.clone()).or_insert(0) += 1;
        let n = &mut c.nodes[node];
        n.pods.push(id);
        n.images.push(((s, self.lives[id as usize].revision), 0));
        self.lives[id as usize].node = Some(node as u32);
        true
    }

    /// Records why pod `id` found no node, once per change of reason for its service.
    fn note_unschedulable(&mut self, id: u32, reason: String, now: Nanos) {
        let s = self.pods[id as usize].service;
        let last = &mut self.services[s as usize].unschedulable;
        if last.as_deref() != Some(reason.as_str()) {
            *last = Some(reason.clone());
            let desired = self.services[s as usize].desired;
            self.events.push(crate::metrics::ScalingEvent {
                at_ns: now,
                target: self.services[s as usize].name.clone(),
                source: "scheduler",
                from: desired,
                to: desired,
                reason: format!("FailedScheduling: {reason}"),
                metrics: String::new(),
            });
        }
    }

    pub(super) fn node_started(&mut self, id: u32, now: Nanos) {
        // Always on (node launches are rare): the node log is indexed by node id.
        if self.cluster_log.nodes.len() != id as usize {
            let logged = self.cluster_log.nodes.len();
            self.invariant_broken(format!(
                "node {id} started at {now} ns, but the node log holds {logged} nodes"
            ));
        }
        let c = self.cluster.as_ref().expect("nodes imply a cluster");
        self.cluster_log.nodes.push(c.record(id, now));
    }

    fn node_stopped(&mut self, id: u32, now: Nanos) {
        self.cluster_log.nodes[id as usize].stopped_ns = Some(now);
    }

    /// Launches a node of group `g` at `now`; it turns Ready after its boot time.
    /// `None` when the group is in a capacity shortage or every zone of it is out.
    pub(super) fn launch_node(
        &mut self,
        g: u32,
        now: Nanos,
        sched: &mut EventScheduler<Event>,
    ) -> Option<u32> {
        let c = self
            .cluster
            .as_mut()
            .expect("nodes exist only with a cluster");
        let short = c.spec.groups[g as usize]
            .shortages
            .iter()
            .any(|&(from, to)| from <= now && now < to);
        if short || !c.can_launch(g as usize, now) {
            return None; // no capacity, or every zone of the group is out
        }
        let id = c.add_node(g, now, NodeStage::Launching);
        let group = &mut c.groups[g as usize];
        let boot_ns = group.boot.sample(&mut group.rng);
        sched.at(now.saturating_add(boot_ns), Event::NodeReady(id));
        self.node_started(id, now);
        self.arm_interruption(id, now, sched);
        Some(id)
    }

    /// Node `id` finished booting.
    pub(super) fn node_ready(&mut self, id: u32, now: Nanos, sched: &mut EventScheduler<Event>) {
        let Some(c) = self.cluster.as_mut() else {
            return;
        };
        if c.nodes[id as usize].stage != NodeStage::Launching {
            return;
        }
        c.nodes[id as usize].stage = NodeStage::Ready;
        c.views[id as usize].cordoned = false;
        self.karpenter_node_ready(id, now, sched);
        self.schedule_pending(now, sched);
    }

    /// Tries to place every pending pod, in creation order.
    pub(super) fn schedule_pending(&mut self, now: Nanos, sched: &mut EventScheduler<Event>) {
        let Some(c) = self.cluster.as_ref() else {
            return;
        };
        if c.pending.is_empty() {
            return;
        }
        let pending = c.pending.clone();
        let mut still = Vec::with_capacity(pending.len());
        // Pods of one service ask the same of a node, and binds only take room:
        // once one fails in this pass, the rest of its service fails too (a
        // failed search also leaves the scheduler's start node where it was).
        let mut failed: Vec<u32> = Vec::new();
        for pod in pending {
            let s = self.pods[pod as usize].service;
            if failed.contains(&s) {
                still.push(pod);
                continue;
            }
            let want = self.pod_to_place(pod);
            let c = self.cluster.as_mut().expect("checked above");
            match c.scheduler.place(&want, &c.views) {
                Ok(node) => self.bind(pod, node as u32, &want, now, sched),
                Err(why) => {
                    self.note_unschedulable(pod, why.to_string(), now);
                    failed.push(s);
                    still.push(pod);
                }
            }
        }
        self.cluster.as_mut().expect("checked above").pending = still;
        self.karpenter_see_pending(now, sched);
    }

    /// Binds pod `id` to `node` at `now`: its start-up begins there.
    fn bind(
        &mut self,
        id: u32,
        node: u32,
        want: &PodToPlace,
        now: Nanos,
        sched: &mut EventScheduler<Event>,
    ) {
        let s = self.pods[id as usize].service;
        // A new template revision is a new image: what the node holds of older ones does not help.
        let image = (s, self.lives[id as usize].revision);
        let c = self.cluster.as_mut().expect("binding needs a cluster");
        let view = &mut c.views[node as usize];
        view.requested = view.requested.plus(want.needs.requests);
        *view.apps.entry(want.app.clone()).or_insert(0) += 1;
        let n = &mut c.nodes[node as usize];
        n.pods.push(id);
        let images = &mut n.images;
        let svc = &mut self.services[s as usize];
        let times = svc
            .startup
            .times_with_pull(now, &mut svc.life_rng, |start, pull_ns| {
                match images.iter().find(|(img, _)| *img == image) {
                    Some(&(_, ready)) => ready.max(start),
                    None => {
                        let ready = start.saturating_add(pull_ns);
                        images.push((image, ready));
                        ready
                    }
                }
            });
        self.karpenter_pod_event(node, now);
        let life = &mut self.lives[id as usize];
        life.node = Some(node);
        life.stage = Stage::Starting;
        life.running = signed_nanos(times.running_ns);
        life.ready = signed_nanos(times.ready_ns);
        sched.at(times.ready_ns, Event::PodReady(id));
    }

    /// Frees pod `id`'s place on its node (it is gone).
    pub(super) fn unbind(&mut self, id: u32, now: Nanos, sched: &mut EventScheduler<Event>) {
        let Some(node) = self.lives[id as usize].node.take() else {
            if let Some(c) = self.cluster.as_mut() {
                c.pending.retain(|&p| p != id);
            }
            return;
        };
        let want = self.pod_to_place(id);
        let c = self
            .cluster
            .as_mut()
            .expect("a bound pod implies a cluster");
        let view = &mut c.views[node as usize];
        view.requested = view.requested.minus(want.needs.requests);
        if let Some(count) = view.apps.get_mut(&want.app) {
            *count -= 1;
            if *count == 0 {
                view.apps.remove(&want.app);
            }
        }
        let n = &mut c.nodes[node as usize];
        n.pods.retain(|&p| p != id);
        let gone = n.stage == NodeStage::Draining && n.pods.is_empty() && !n.interrupting;
        self.karpenter_pod_event(node, now);
        if gone {
            self.node_gone(node, now);
        }
        self.schedule_pending(now, sched);
    }

    /// Cordons node `id` and evicts its pods; it is gone once they are.
    pub(super) fn remove_node(&mut self, id: u32, now: Nanos, sched: &mut EventScheduler<Event>) {
        let c = self
            .cluster
            .as_mut()
            .expect("nodes exist only with a cluster");
        let n = &mut c.nodes[id as usize];
        if matches!(n.stage, NodeStage::Draining | NodeStage::Gone) {
            return;
        }
        n.stage = NodeStage::Draining;
        c.views[id as usize].cordoned = true;
        let pods = n.pods.clone();
        if pods.is_empty() {
            if !n.interrupting {
                self.node_gone(id, now);
            }
            return;
        }
        let mut services: Vec<u32> = Vec::new();
        for pod in pods {
            let s = self.pods[pod as usize].service;
            if !services.contains(&s) {
                services.push(s);
            }
            self.delete_pod(pod, now, sched);
        }
        // Their ReplicaSets replace the evicted pods.
        for s in services {
            let desired = self.services[s as usize].desired;
            self.scale_to(s, desired, now, sched);
        }
    }

    /// Cancels the launch of node `id` (a timed-out scale-up): it is terminated and its group shrinks.
    pub(super) fn cancel_launch(&mut self, id: u32, now: Nanos) {
        let c = self
            .cluster
            .as_mut()
            .expect("nodes exist only with a cluster");
        let g = c.nodes[id as usize].group as usize;
        c.groups[g].target = c.groups[g].target.saturating_sub(1);
        self.node_gone(id, now);
    }

    /// Node `id` is terminated.
    pub(super) fn node_gone(&mut self, id: u32, now: Nanos) {
        let c = self
            .cluster
            .as_mut()
            .expect("nodes exist only with a cluster");
        let n = &mut c.nodes[id as usize];
        if n.stage == NodeStage::Gone {
            return;
        }
        n.stage = NodeStage::Gone;
        c.views[id as usize].cordoned = true;
        let g = n.group;
        c.forget_live(g, id);
        self.node_stopped(id, now);
        self.karpenter_node_gone(id);
    }
}
