//! Karpenter in the simulation: the disruption controller. Every 10 s
//! ([`karpenter::DISRUPTION_POLL_NS`]) one consolidation pass
//! ([`karpenter::consolidate`]) runs over the live nodes; a command it finds
//! waits 15 s ([`karpenter::COMMAND_VALIDATION_DELAY_NS`]) and is carried
//! out only if a fresh pass still finds it. Deletions drain the nodes at
//! once (their pods are evicted and their ReplicaSets replace them
//! elsewhere); a replacement is launched first, the candidates are tainted
//! (no new pods), and they are drained when the replacement is Ready. One
//! command runs at a time.
//!
//! A pass that finds nothing is not repeated until something it looks at
//! changes (a pod bound or removed, a node launched, Ready or gone, an
//! offering marked unavailable) or a node's `consolidateAfter` runs out.
//! The command in progress is [`crate::model::world::state::karpenter::Command`].

use crate::engine::Scheduler;
use crate::model::cluster::ids::NodeId;
use crate::model::cluster::state::NodeStage;
use crate::model::karpenter::{self, Disruption, consolidate};
use crate::model::world::state::karpenter::{Command, Planned};
use crate::model::world::{Event, World};
use crate::spec::node_pool::DisruptionReason;
use crate::units::Nanos;

fn planned(d: &Disruption, ids: &[NodeId]) -> Planned {
    let nodes: Vec<NodeId> = d.nodes.iter().map(|&i| ids[i]).collect();
    let reason = match d.reason {
        DisruptionReason::Empty => "Empty",
        DisruptionReason::Underutilized => "Underutilized",
        DisruptionReason::Drifted => "Drifted",
    };
    let names: Vec<String> = nodes.iter().map(NodeId::to_string).collect();
    let what = format!(
        "{reason} ({:?}): {}{}; saves ${:.4}/h",
        d.method,
        names.join(", "),
        d.replacement.as_ref().map_or(String::new(), |r| format!(
            " → {} {}",
            r.instance_type,
            crate::model::world::karpenter_provision::capacity_name(r.capacity)
        )),
        d.savings_usd_per_hour
    );
    Planned {
        nodes,
        replacement: d.replacement.clone(),
        what,
    }
}

impl World {
    /// The disruption controller's poll at `now` (every 10 s).
    pub(super) fn karpenter_poll(&mut self, now: Nanos, sched: &mut Scheduler<Event>) {
        let Some(k) = self.karpenter.as_ref() else {
            return;
        };
        let c = self.cluster.as_ref().expect("Karpenter implies a cluster");
        // Pods still Pending with nothing on its way for them: provision again
        // (a launch failed, a node vanished, limits were freed).
        let launching = k.groups.iter().any(|&g| c.group_counts(g as usize).1 > 0);
        if !c.pending.is_empty() && !launching && !k.batcher.is_open() {
            self.karpenter_trigger(now, sched);
        }
        let k = self.karpenter.as_ref().expect("checked");
        if !k.consolidates || k.command.is_some() || k.quiet_until.is_some_and(|q| now < q) {
            return;
        }
        let (nodes, ids) = self.karpenter_nodes();
        let k = self.karpenter.as_mut().expect("checked");
        k.ice.purge(now);
        let found = consolidate(&nodes, &k.pools, &k.ice, now, &k.options);
        if found.disruptions.is_empty() {
            // Quiet until a node's consolidateAfter runs out (or something changes).
            let next = nodes
                .iter()
                .filter_map(|n| {
                    let p = &k.pools[n.pool?.index()];
                    let at = n
                        .last_pod_event_ns
                        .saturating_add(p.spec.consolidate_after_ns?);
                    (at > now).then_some(at)
                })
                .min()
                .unwrap_or(Nanos::MAX);
            k.quiet_until = if k.ice.is_empty() { Some(next) } else { None };
            return;
        }
        let plans = found.disruptions.iter().map(|d| planned(d, &ids)).collect();
        k.command = Some(Command::Validating(plans));
        sched.at(
            now.saturating_add(karpenter::COMMAND_VALIDATION_DELAY_NS),
            Event::KarpenterValidate,
        );
    }

    /// The validation delay is over: carry out what a fresh pass still finds.
    pub(super) fn karpenter_validate(&mut self, now: Nanos, sched: &mut Scheduler<Event>) {
        let Some(k) = self.karpenter.as_mut() else {
            return;
        };
        let Some(Command::Validating(plans)) = k.command.take() else {
            return;
        };
        k.touch();
        let (nodes, ids) = self.karpenter_nodes();
        let k = self.karpenter.as_mut().expect("checked");
        k.ice.purge(now);
        let fresh: Vec<Planned> = consolidate(&nodes, &k.pools, &k.ice, now, &k.options)
            .disruptions
            .iter()
            .map(|d| planned(d, &ids))
            .collect();
        for plan in plans {
            let Some(now_plan) = fresh.iter().find(|f| {
                f.nodes == plan.nodes && f.replacement.is_some() == plan.replacement.is_some()
            }) else {
                let g = self.node_group(plan.nodes[0]);
                self.karpenter_event(now, g, format!("DisruptionInvalidated: {}", plan.what));
                continue;
            };
            self.execute(now_plan.clone(), now, sched);
        }
    }

    fn node_group(&self, id: NodeId) -> usize {
        self.cluster.as_ref().expect("checked").nodes[id.index()].group as usize
    }

    fn execute(&mut self, plan: Planned, now: Nanos, sched: &mut Scheduler<Event>) {
        let g = self.node_group(plan.nodes[0]);
        let Some(launch) = &plan.replacement else {
            self.karpenter_event(now, g, format!("Disrupt: {}", plan.what));
            for id in plan.nodes {
                self.remove_node(id.0, now, sched);
            }
            return;
        };
        let Some(replacement) = self.karpenter_launch(launch, now, sched).map(NodeId) else {
            self.karpenter_event(
                now,
                g,
                format!("DisruptionFailed (no capacity): {}", plan.what),
            );
            return;
        };
        self.karpenter_event(
            now,
            g,
            format!("Replace: {}; {replacement} first", plan.what),
        );
        let c = self.cluster.as_mut().expect("checked");
        for &id in &plan.nodes {
            c.views[id.index()].cordoned = true;
        }
        let k = self.karpenter.as_mut().expect("checked");
        k.command = Some(Command::Replacing {
            replacement,
            nodes: plan.nodes,
        });
    }

    /// Node `id` turned Ready: it is initialized; a replacement lets its candidates go.
    pub(super) fn karpenter_node_ready(
        &mut self,
        id: u32,
        now: Nanos,
        sched: &mut Scheduler<Event>,
    ) {
        let Some(k) = self.karpenter.as_mut() else {
            return;
        };
        if let Some(t) = k.last_pod_event_ns.get_mut(id as usize) {
            *t = now;
        }
        k.touch();
        if !matches!(k.command, Some(Command::Replacing { replacement, .. }) if replacement == NodeId(id))
        {
            return;
        }
        let Some(Command::Replacing { nodes, .. }) = k.command.take() else {
            return;
        };
        for node in nodes {
            self.remove_node(node.0, now, sched);
        }
    }

    /// Node `id` is gone: a replacement that never came up releases its candidates.
    pub(super) fn karpenter_node_gone(&mut self, id: u32) {
        let Some(k) = self.karpenter.as_mut() else {
            return;
        };
        k.touch();
        if !matches!(k.command, Some(Command::Replacing { replacement, .. }) if replacement == NodeId(id))
        {
            return;
        }
        let Some(Command::Replacing { nodes, .. }) = k.command.take() else {
            return;
        };
        let c = self.cluster.as_mut().expect("checked");
        for node in nodes {
            if c.nodes[node.index()].stage == NodeStage::Ready {
                c.views[node.index()].cordoned = false;
            }
        }
    }
}
