//! Scheduled faults (`events:`): a mass spot reclaim, node failures, a zone
//! outage, a metrics outage (the pipeline delivers nothing, so every HPA
//! metric fails and the HPAs hold, as the controller does when the metrics
//! API errors). The events that act on a service are dispatched from here
//! too: a rolling deployment starts ([`crate::model::world::rollout`]); a traffic
//! incident, already part of the service's rate ([`crate::model::traffic::incident`]), is
//! recorded.
//!
//! A spot reclaim gives the chosen nodes (the oldest Ready ones, the share
//! rounded up) their two-minute notice, as [`crate::model::world::spot`] does for
//! a single node. A failed node is gone at once: its pods die with it (their
//! requests fail), their services replace them elsewhere, and its Auto
//! Scaling group launches a replacement. A zone outage fails every node in
//! the zone, and no node launches there until it ends; replacements go to
//! the group's other zones. The events and the outage they leave are
//! [`crate::model::world::state::faults::Faults`].

use crate::engine::Scheduler;
use crate::metrics::ScalingEvent;
use crate::model::cluster::state::NodeStage;
use crate::model::world::{Event, World};
use crate::spec::EventKind;
use crate::spec::resources::CapacityType;
use crate::units::Nanos;

impl World {
    /// Scheduled event `i` happens at `now`.
    pub(super) fn fault(&mut self, i: usize, now: Nanos, sched: &mut Scheduler<Event>) {
        let kind = self.faults.scheduled[i].kind.clone();
        match kind {
            EventKind::RollingDeployment { service, strategy } => {
                self.start_rollout(service as u32, strategy, now, sched);
                return;
            }
            EventKind::TrafficIncident { service, incident } => {
                // The change is part of the service's rate function from the start; this records it.
                self.events.push(ScalingEvent {
                    at_ns: now,
                    target: self.services[service].name.clone(),
                    source: "fault",
                    from: 0,
                    to: 0,
                    reason: crate::model::traffic::incident::describe(&incident),
                    metrics: String::new(),
                });
                return;
            }
            _ => {}
        }
        if let EventKind::MetricsOutage { duration_ns } = kind {
            self.faults.metrics_out_until_ns = now.saturating_add(duration_ns);
            self.events.push(ScalingEvent {
                at_ns: now,
                target: "metrics pipeline".to_string(),
                source: "fault",
                from: 0,
                to: 0,
                reason: format!(
                    "MetricsOutage: nothing delivered for {}",
                    crate::units::format_duration(duration_ns)
                ),
                metrics: String::new(),
            });
            return;
        }
        let Some(c) = self.cluster.as_mut() else {
            return;
        };
        let (target, victims, reason) = match &kind {
            EventKind::SpotReclaim { group, fraction } => {
                let ready: Vec<u32> = c.groups[*group]
                    .live
                    .iter()
                    .copied()
                    .filter(|&n| {
                        c.nodes[n as usize].stage == NodeStage::Ready
                            && !c.nodes[n as usize].interrupting
                            && c.nodes[n as usize].capacity_type == CapacityType::Spot
                    })
                    .collect();
                let k = ((ready.len() as f64 * fraction).ceil() as usize).min(ready.len());
                (
                    c.spec.groups[*group].name.clone(),
                    ready[..k].to_vec(),
                    format!("SpotReclaim: {k} of {} nodes", ready.len()),
                )
            }
            EventKind::NodeFailure { group, count } => {
                let live = &c.groups[*group].live;
                let k = (*count as usize).min(live.len());
                (
                    c.spec.groups[*group].name.clone(),
                    live[..k].to_vec(),
                    format!("NodeFailure: {k} nodes"),
                )
            }
            EventKind::ZoneOutage { zone, duration_ns } => {
                c.outages
                    .push((zone.clone(), now.saturating_add(*duration_ns)));
                let lost: Vec<u32> = (0..c.nodes.len() as u32)
                    .filter(|&n| {
                        c.nodes[n as usize].stage != NodeStage::Gone
                            && c.views[n as usize]
                                .labels
                                .get(crate::spec::placement::ZONE_LABEL)
                                == Some(zone)
                    })
                    .collect();
                (
                    format!("zone {zone}"),
                    lost.clone(),
                    format!(
                        "ZoneOutage: {} nodes lost for {}",
                        lost.len(),
                        crate::units::format_duration(*duration_ns)
                    ),
                )
            }
            EventKind::MetricsOutage { .. }
            | EventKind::RollingDeployment { .. }
            | EventKind::TrafficIncident { .. } => unreachable!("handled above"),
        };
        self.events.push(ScalingEvent {
            at_ns: now,
            target,
            source: "fault",
            from: 0,
            to: 0,
            reason,
            metrics: String::new(),
        });
        match kind {
            EventKind::SpotReclaim { .. } => {
                for id in victims {
                    self.spot_notice(id, now, sched);
                }
            }
            EventKind::MetricsOutage { .. }
            | EventKind::RollingDeployment { .. }
            | EventKind::TrafficIncident { .. } => {}
            EventKind::NodeFailure { .. } | EventKind::ZoneOutage { .. } => {
                let mut groups: Vec<u32> = Vec::new();
                for id in victims {
                    let g = self.cluster.as_ref().expect("checked").nodes[id as usize].group;
                    if !groups.contains(&g) {
                        groups.push(g);
                    }
                    self.fail_node(id, now, sched);
                }
                for g in groups {
                    self.replenish(g, now, sched);
                }
            }
        }
    }

    /// Node `id` fails at `now`: its pods die with it and it is gone.
    fn fail_node(&mut self, id: u32, now: Nanos, sched: &mut Scheduler<Event>) {
        let pods = self.cluster.as_ref().expect("checked").nodes[id as usize]
            .pods
            .clone();
        self.remove_node(id, now, sched);
        for pod in pods {
            self.kill_pod(pod, now, sched);
        }
        self.node_gone(id, now);
    }
}
