//! The cluster-autoscaler in the simulation: every scan interval it sees a
//! snapshot of the node groups, the registered nodes with their pods and the
//! pending pods ([`crate::model::ca::Snapshot`]), and its decisions are carried
//! out: new nodes launched (they boot, then the scheduler uses them), timed
//! out launches cancelled, unneeded nodes drained and terminated.
//!
//! Nodes and groups cross to the autoscaler and back as typed ids
//! ([`crate::model::cluster::ids`]): a decision names the node and group it
//! acts on by their index, and text is made only for events. A launching node counts
//! as "upcoming" until it is Ready (registration and readiness are one step
//! here: the boot time covers both). The autoscaler's state between loops
//! is [`crate::model::world::state::ca::CaRuntime`].

use crate::engine::Scheduler;
use crate::metrics::ScalingEvent;
use crate::model::ca::{self, GroupView, NodePod, NodeView, PendingPod, PodKind, Snapshot};
use crate::model::cluster::ids::{GroupId, NodeId};
use crate::model::cluster::state::NodeStage;
use crate::model::world::state::ca::CaRuntime;
use crate::model::world::{Event, World};
use crate::spec::resources::Resources;
use crate::units::Nanos;

/// The node's DaemonSet pods, as one pod of their summed requests (not moved, never blocking).
fn daemonset_pod(requests: Resources) -> NodePod {
    NodePod {
        needs: crate::spec::resources::PodNeeds {
            requests,
            ..Default::default()
        },
        kind: PodKind::DaemonSet,
        blocks_removal: false,
    }
}

/// A node's scale-down utilisation from the scheduler's view (`requested` by
/// its pods, `allocatable` already less the DaemonSets): the same number
/// [`NodeView::utilization`] gives for the snapshot CA sees.
fn ca_utilization(
    requested: Resources,
    allocatable: Resources,
    daemonsets: Resources,
    ignore_daemonsets: bool,
) -> f64 {
    let share = |used: i64, total: i64| {
        if total > 0 {
            used as f64 / total as f64
        } else {
            0.0
        }
    };
    let (used, room) = if ignore_daemonsets {
        (requested, allocatable)
    } else {
        (requested.plus(daemonsets), allocatable.plus(daemonsets))
    };
    share(used.cpu_milli, room.cpu_milli).max(share(used.memory_bytes, room.memory_bytes))
}

impl World {
    /// What the cluster-autoscaler sees at `now` (its node views are taken
    /// from `ca.views`; give them back with [`CaRuntime::keep_views`]).
    fn ca_snapshot(&self, ca: &mut CaRuntime) -> Snapshot {
        let c = self
            .cluster
            .as_ref()
            .expect("the autoscaler implies a cluster");
        let groups = c
            .spec
            .groups
            .iter()
            .enumerate()
            .map(|(g, spec)| GroupView {
                template: ca.templates[g].0.clone(),
                capacity: ca.templates[g].1,
                min_size: spec.min,
                max_size: spec.max,
                target_size: c.groups[g].target,
                upcoming: c.group_counts(g).1,
            })
            .collect();
        let daemonsets = c.spec.daemonset_overhead;
        let mut nodes = Vec::new();
        ca.views.resize(c.nodes.len(), None);
        for (id, n) in c.nodes.iter().enumerate() {
            if matches!(n.stage, NodeStage::Launching | NodeStage::Gone) {
                ca.views[id] = None;
                continue;
            }
            let view = &c.views[id];
            let mut v = ca.views[id].take().unwrap_or_else(|| NodeView {
                id: NodeId(id as u32),
                group: Some(GroupId(n.group)),
                labels: view.labels.clone(),
                taints: view.taints.clone(),
                allocatable: view.allocatable,
                pods: Vec::new(),
                ready: false,
                being_deleted: false,
                scale_down_disabled: false,
            });
            // The node's own allocatable (capacity less reserves) holds its
            // DaemonSet pods too; the scheduler's view has them taken off.
            v.allocatable = view.allocatable.plus(daemonsets);
            v.pods.clear();
            if daemonsets != Resources::default() {
                v.pods.push(daemonset_pod(daemonsets));
            }
            v.pods.extend(n.pods.iter().map(|&p| NodePod {
                needs: self.needs_of(p).clone(),
                kind: PodKind::Movable,
                blocks_removal: false,
            }));
            v.ready = n.stage == NodeStage::Ready;
            v.being_deleted = n.stage == NodeStage::Draining;
            nodes.push(v);
        }
        let pending = c
            .pending
            .iter()
            .map(|&p| PendingPod {
                needs: self.needs_of(p).clone(),
                created_ns: self.lives[p as usize].created.max(0) as Nanos,
            })
            .collect();
        Snapshot {
            groups,
            nodes,
            pending,
        }
    }

    /// Whether a loop could do anything: pending pods, nodes on their way
    /// (timeouts) or being deleted, or a Ready node at or below the
    /// scale-down threshold. Otherwise CA would find nothing to add and every
    /// node needed (so its unneeded timers all reset), and the loop is skipped
    /// without building its snapshot — the same outcome at a fraction of the cost.
    fn ca_has_work(&self, ca: &CaRuntime) -> bool {
        let c = self
            .cluster
            .as_ref()
            .expect("the autoscaler implies a cluster");
        if !c.pending.is_empty() || ca.state.requests.values().next().is_some() {
            return true;
        }
        c.nodes.iter().zip(&c.views).any(|(n, v)| match n.stage {
            NodeStage::Launching | NodeStage::Draining => true,
            NodeStage::Gone => false,
            NodeStage::Ready => {
                ca_utilization(
                    v.requested,
                    v.allocatable,
                    c.spec.daemonset_overhead,
                    ca.cfg.ignore_daemonsets_utilization,
                ) <= ca.cfg.scale_down_utilization_threshold
            }
        })
    }

    /// One cluster-autoscaler loop at `now`.
    pub(super) fn ca_loop(&mut self, now: Nanos, sched: &mut Scheduler<Event>) {
        let Some(mut ca) = self.ca.take() else { return };
        if !self.ca_has_work(&ca) {
            ca.state.unneeded_since.clear();
            self.ca = Some(ca);
            return;
        }
        let snap = self.ca_snapshot(&mut ca);
        let outcome = ca::run_loop(&snap, &ca.cfg, &mut ca.state, now, &mut ca.rng);
        ca.keep_views(snap);
        self.ca = Some(ca);
        for f in outcome.failures {
            let g = f.group.index();
            for _ in 0..f.nodes {
                let c = self.cluster.as_mut().expect("checked");
                let newest = c.groups[g]
                    .live
                    .iter()
                    .rev()
                    .copied()
                    .find(|&n| c.nodes[n as usize].stage == NodeStage::Launching);
                if let Some(node) = newest {
                    self.cancel_launch(node, now);
                }
            }
            self.node_event(
                now,
                g,
                "cluster-autoscaler",
                format!("FailedScaleUp: {}", f.reason),
            );
        }
        if let Some(up) = outcome.scale_up {
            for &(group, delta) in &up.balanced {
                let g = group.index();
                let c = self.cluster.as_mut().expect("checked");
                let from = c.groups[g].target;
                c.groups[g].target = from + delta;
                let mut failed = false;
                for _ in 0..delta {
                    failed |= self.launch_node(g as u32, now, sched).is_none();
                }
                if failed {
                    // The ASG cannot launch (a capacity shortage, or its zones are out):
                    // CA sees a failed scale-up and backs the group off.
                    let mut ca = self.ca.take().expect("in a CA loop");
                    let until = ca.state.record_failed_scale_up(&ca.cfg, group, now);
                    self.ca = Some(ca);
                    let c = self.cluster.as_mut().expect("checked");
                    let to = c.groups[g].live.len() as u32;
                    c.groups[g].target = to;
                    self.node_event_moved(
                        now,
                        g,
                        from,
                        to,
                        format!(
                            "FailedScaleUp: InsufficientInstanceCapacity; backed off until {} s",
                            until / 1_000_000_000
                        ),
                    );
                    continue;
                }
                self.node_event_moved(
                    now,
                    g,
                    from,
                    from + delta,
                    format!("ScaleUp: {}", up.reason),
                );
            }
        }
        for down in outcome.scale_down {
            let (g, id) = (down.group.index(), down.node.0);
            let c = self.cluster.as_mut().expect("checked");
            let from = c.groups[g].target;
            c.groups[g].target = from.saturating_sub(1);
            self.remove_node(id, now, sched);
            self.node_event_moved(
                now,
                g,
                from,
                from.saturating_sub(1),
                format!(
                    "ScaleDown{}: {}",
                    if down.empty { "Empty" } else { "" },
                    down.reason
                ),
            );
        }
    }

    fn node_event(&mut self, now: Nanos, g: usize, source: &'static str, reason: String) {
        let c = self.cluster.as_ref().expect("checked");
        let n = c.groups[g].target;
        self.events.push(ScalingEvent {
            at_ns: now,
            target: c.spec.groups[g].name.clone(),
            source,
            from: n,
            to: n,
            reason,
            metrics: String::new(),
        });
    }

    fn node_event_moved(&mut self, now: Nanos, g: usize, from: u32, to: u32, reason: String) {
        let c = self.cluster.as_ref().expect("checked");
        self.events.push(ScalingEvent {
            at_ns: now,
            target: c.spec.groups[g].name.clone(),
            source: "cluster-autoscaler",
            from,
            to,
            reason,
            metrics: String::new(),
        });
    }
}
