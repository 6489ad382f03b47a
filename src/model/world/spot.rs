//! Spot interruptions: each spot node draws its interruption from the
//! group's hazard (λ per node-hour, reference §4: λ = −ln(1 − f)/730 from the
//! Advisor band); at the two-minute notice it is cordoned and drained (its
//! pods are evicted and replaced elsewhere), and at the deadline AWS
//! terminates it whatever it still runs — those pods are killed, their
//! requests fail — and the node group's Auto Scaling group launches a
//! replacement to keep its desired capacity. The node is billed as
//! interrupted by AWS (free within its first hour).

use crate::engine::Scheduler;
use crate::model::cluster::ids::NodeId;
use crate::model::cluster::spot_hazard::{INTERRUPTION_NOTICE_NS, next_interruption_ns};
use crate::model::cluster::state::NodeStage;
use crate::model::world::{Event, World};
use crate::spec::resources::CapacityType;
use crate::units::Nanos;

impl World {
    /// Draws when spot node `id`, launched at `now`, gets its notice, and schedules it.
    pub(super) fn arm_interruption(&mut self, id: u32, now: Nanos, sched: &mut Scheduler<Event>) {
        let Some(c) = self.cluster.as_mut() else {
            return;
        };
        let g = c.nodes[id as usize].group as usize;
        if c.nodes[id as usize].capacity_type != CapacityType::Spot {
            return;
        }
        let Some(lambda) = c.spec.groups[g].interruptions_per_hour.filter(|l| *l > 0.0) else {
            return;
        };
        let at = next_interruption_ns(&mut c.groups[g].spot_rng, lambda, now);
        if at < self.duration_ns {
            sched.at(at, Event::SpotNotice(id));
        }
    }

    /// The two-minute notice for node `id`: cordon, drain, and set the deadline.
    pub(super) fn spot_notice(&mut self, id: u32, now: Nanos, sched: &mut Scheduler<Event>) {
        let c = self.cluster.as_mut().expect("spot nodes imply a cluster");
        let n = &mut c.nodes[id as usize];
        if n.stage == NodeStage::Gone || n.interrupting {
            return;
        }
        n.interrupting = true;
        self.cluster_log.spot_interruptions += 1;
        self.cluster_log.pods_evicted += n.pods.len() as u64;
        let group = c.spec.groups[n.group as usize].name.clone();
        let target = c.groups[n.group as usize].target;
        self.events.push(crate::metrics::ScalingEvent {
            at_ns: now,
            target: group,
            source: "spot",
            from: target,
            to: target,
            reason: format!("SpotInterruption: {} reclaimed at +2m", NodeId(id)),
            metrics: String::new(),
        });
        if let Some(k) = self.karpenter.as_mut() {
            // Karpenter marks the interrupted offering unavailable (reference §3.4).
            let c = self.cluster.as_ref().expect("checked");
            let n = &c.nodes[id as usize];
            k.ice
                .mark(&n.instance_type, c.zone_of(id), n.capacity_type, now);
            k.touch();
        }
        self.remove_node(id, now, sched);
        sched.at(
            now.saturating_add(INTERRUPTION_NOTICE_NS),
            Event::NodeReclaimed(id),
        );
    }

    /// AWS terminates interrupted node `id`: what still runs there is killed.
    pub(super) fn node_reclaimed(&mut self, id: u32, now: Nanos, sched: &mut Scheduler<Event>) {
        let c = self.cluster.as_mut().expect("spot nodes imply a cluster");
        if c.nodes[id as usize].stage == NodeStage::Gone {
            return;
        }
        for pod in c.nodes[id as usize].pods.clone() {
            self.kill_pod(pod, now, sched);
        }
        self.cluster_log.nodes[id as usize].interrupted = true;
        self.node_gone(id, now);
        let g = self.cluster.as_ref().expect("checked").nodes[id as usize].group;
        self.replenish(g, now, sched);
    }

    /// The Auto Scaling group of node group `g` launches instances to get back to its desired capacity.
    pub(super) fn replenish(&mut self, g: u32, now: Nanos, sched: &mut Scheduler<Event>) {
        let c = self.cluster.as_ref().expect("node groups imply a cluster");
        let missing = c.groups[g as usize]
            .target
            .saturating_sub(c.groups[g as usize].live.len() as u32);
        for _ in 0..missing {
            if self.launch_node(g, now, sched).is_none() {
                break; // retried by the next scale-up or replacement
            }
        }
    }
}
