//! Rolling deployments (`events: rolling_deployment`): a service's
//! Deployment gets a new pod template, and the Deployment controller
//! replaces every pod under its `RollingUpdate` strategy (the arithmetic is
//! [`crate::model::deployment`]'s).
//!
//! The service's pods form two ReplicaSets: the old one (every earlier
//! template revision) and the new one (the current revision). The
//! controller syncs when the rollout starts, whenever one of the service's
//! pods turns Ready, and when the replica count changes; at each sync it
//! takes steps (grow the new ReplicaSet, shrink the old) until neither can
//! move, as the real controller does within milliseconds of each change.
//! Each ReplicaSet then creates or deletes pods to match its size: new pods
//! go through the whole start-up (scheduling, an image pull — a new
//! revision is a new image, so no node has it cached —, container and app
//! start, readiness probes); deleted pods leave the endpoints at once and
//! drain within their grace period, in the ReplicaSet controller's
//! deletion order. Terminating pods count toward neither the surge nor the
//! available pods, as in Kubernetes.
//!
//! If the replica count changes mid-rollout (an HPA), both ReplicaSets grow
//! or shrink in proportion (Kubernetes' proportional scaling), and the
//! rollout carries on from there. A rollout that starts while another is
//! under way supersedes it: the pods of the interrupted one count as old.
//! The rollout is complete when the new ReplicaSet has all the replicas,
//! all of them available, and no old pod is left (`DeploymentComplete`).
//! The rollout's state is [`crate::model::world::state::rollout::Rollout`].

use crate::engine::Scheduler;
use crate::metrics::ScalingEvent;
use crate::model::deployment::{self, Annotations, RsSize, RsState, Step};
use crate::model::service::lifecycle::Stage;
use crate::model::world::state::rollout::Rollout;
use crate::model::world::{Event, World};
use crate::spec::RollingUpdate;
use crate::units::{Nanos, format_duration};

/// Sync steps of one rollout sync beyond which something is wrong.
const MAX_STEPS: u32 = 1_000_000;

impl World {
    /// Service `s`'s Deployment starts rolling out a new pod template at `now`.
    pub(super) fn start_rollout(
        &mut self,
        s: u32,
        strategy: RollingUpdate,
        now: Nanos,
        sched: &mut Scheduler<Event>,
    ) {
        let svc = &mut self.services[s as usize];
        let d = svc.desired;
        // A rollout under way is superseded: its new pods become old ones.
        let (old, superseded) = match svc.rollout.take() {
            Some(r) => (r.old + r.new, " (superseding the rollout under way)"),
            None => (d, ""),
        };
        svc.revision += 1;
        let surge = deployment::max_surge(&strategy, d);
        let unavailable = deployment::max_unavailable(&strategy, d);
        svc.rollout = Some(Box::new(Rollout {
            strategy,
            started_ns: now,
            old,
            new: 0,
            last: Annotations {
                desired: d,
                max: d + surge,
            },
        }));
        self.events.push(ScalingEvent {
            at_ns: now,
            target: svc.name.clone(),
            source: "deployment",
            from: d,
            to: d,
            reason: format!(
                "RolloutStarted: revision {} of {d} replicas, maxSurge {} = {surge} pods, maxUnavailable {} = {unavailable} pods{superseded}",
                svc.revision, strategy.max_surge, strategy.max_unavailable
            ),
            metrics: format!("max_surge={surge};max_unavailable={unavailable}"),
        });
        self.rollout_sync(s, now, sched);
    }

    /// The ReplicaSets' sizes and available (Ready) pods of service `s`'s rollout.
    fn rs_state(&self, s: u32) -> RsState {
        let svc = &self.services[s as usize];
        let r = svc.rollout.as_ref().expect("a rollout is under way");
        let (mut old_available, mut new_available) = (0, 0);
        for &p in &svc.pods {
            let l = &self.lives[p as usize];
            if l.stage == Stage::Ready {
                if l.revision == svc.revision {
                    new_available += 1;
                } else {
                    old_available += 1;
                }
            }
        }
        RsState {
            old: r.old,
            new: r.new,
            old_available,
            new_available,
        }
    }

    /// The Deployment controller syncs service `s`'s rollout at `now`: it
    /// steps until nothing moves, then checks whether the rollout is complete.
    pub(super) fn rollout_sync(&mut self, s: u32, now: Nanos, sched: &mut Scheduler<Event>) {
        for _ in 0..MAX_STEPS {
            let st = self.rs_state(s);
            let svc = &mut self.services[s as usize];
            let d = svc.desired;
            let r = svc.rollout.as_mut().expect("a rollout is under way");
            let (set, from, to) = match deployment::rolling_step(&r.strategy, d, st) {
                Step::Idle => {
                    self.rollout_check(s, st, now);
                    return;
                }
                Step::ScaleNew(n) => ("new", std::mem::replace(&mut r.new, n), n),
                Step::ScaleOld(o) => ("old", std::mem::replace(&mut r.old, o), o),
            };
            r.last = Annotations {
                desired: d,
                max: d + deployment::max_surge(&r.strategy, d),
            };
            self.apply_replica_sets(s, now, sched);
            let after = self.rs_state(s);
            let svc = &self.services[s as usize];
            self.events.push(ScalingEvent {
                at_ns: now,
                target: svc.name.clone(),
                source: "deployment",
                from,
                to,
                reason: format!(
                    "ScalingReplicaSet: {set} replica set {} to {to}",
                    if to > from { "up" } else { "down" }
                ),
                metrics: format!(
                    "old={};new={};available={};pods={}",
                    after.old,
                    after.new,
                    after.old_available + after.new_available,
                    svc.pods.len() as u32 - svc.terminating
                ),
            });
        }
        // Always on: a rollout that keeps stepping is a bug, reported as an internal error.
        self.invariant_broken(format!(
            "the rolling deployment of service {} does not settle within {MAX_STEPS} steps at {} ns",
            self.services[s as usize].name, now
        ));
    }

    /// Service `s`'s replica count becomes `desired` mid-rollout: its ReplicaSets scale in proportion.
    pub(super) fn rollout_scale(
        &mut self,
        s: u32,
        desired: u32,
        now: Nanos,
        sched: &mut Scheduler<Event>,
    ) {
        let st = self.rs_state(s);
        let svc = &mut self.services[s as usize];
        svc.desired = desired;
        let r = svc.rollout.as_mut().expect("a rollout is under way");
        if desired != r.last.desired {
            let sets = [
                RsSize {
                    replicas: r.old,
                    created: 0,
                },
                RsSize {
                    replicas: r.new,
                    created: 1,
                },
            ];
            let sizes = deployment::scale(
                &r.strategy,
                desired,
                r.last,
                &sets,
                Some(1),
                st.new_available,
            );
            let reason = format!(
                "ScalingReplicaSet: proportional to {desired} replicas: old {} to {}, new {} to {}",
                r.old, sizes[0], r.new, sizes[1]
            );
            (r.old, r.new) = (sizes[0], sizes[1]);
            r.last = Annotations {
                desired,
                max: desired + deployment::max_surge(&r.strategy, desired),
            };
            let metrics = format!("old={};new={}", r.old, r.new);
            self.events.push(ScalingEvent {
                at_ns: now,
                target: svc.name.clone(),
                source: "deployment",
                from: st.old + st.new,
                to: sizes[0] + sizes[1],
                reason,
                metrics,
            });
        }
        self.apply_replica_sets(s, now, sched);
        self.rollout_sync(s, now, sched);
    }

    /// Each ReplicaSet of service `s` creates or deletes pods to match its size.
    fn apply_replica_sets(&mut self, s: u32, now: Nanos, sched: &mut Scheduler<Event>) {
        let svc = &self.services[s as usize];
        let revision = svc.revision;
        let r = svc.rollout.as_ref().expect("a rollout is under way");
        let (old_size, new_size) = (r.old, r.new);
        let (mut old, mut new) = (0u32, 0u32);
        for &p in &svc.pods {
            let l = &self.lives[p as usize];
            if l.stage != Stage::Terminating {
                if l.revision == revision {
                    new += 1;
                } else {
                    old += 1;
                }
            }
        }
        // The old ReplicaSet replaces a lost pod from its own template.
        for (active, size, rev) in [(new, new_size, revision), (old, old_size, revision - 1)] {
            if active < size {
                for _ in active..size {
                    self.create_pod(s, rev, now, sched);
                }
            } else if active > size {
                let of_new = rev == revision;
                let victims = self.deletion_order(s, (active - size) as usize, |l| {
                    (l.revision == revision) == of_new
                });
                for id in victims {
                    self.delete_pod(id, now, sched);
                }
            }
        }
        let svc = &mut self.services[s as usize];
        svc.replicas
            .set(now, svc.pods.len() as u32 - svc.terminating);
        self.schedule_pending(now, sched);
    }

    /// Records the end of service `s`'s rollout if it is complete: all
    /// replicas new and available, no old pod left.
    fn rollout_check(&mut self, s: u32, st: RsState, now: Nanos) {
        let svc = &mut self.services[s as usize];
        let d = svc.desired;
        let active = svc.pods.len() as u32 - svc.terminating;
        if !(st.old == 0 && st.new == d && st.new_available == d && active == d) {
            return;
        }
        let r = svc.rollout.take().expect("a rollout is under way");
        let took_ns = now - r.started_ns;
        self.events.push(ScalingEvent {
            at_ns: now,
            target: svc.name.clone(),
            source: "deployment",
            from: d,
            to: d,
            reason: format!(
                "RolloutComplete: revision {} on all {d} replicas after {}",
                svc.revision,
                format_duration(took_ns)
            ),
            metrics: format!("duration_s={}", took_ns as f64 / 1e9),
        });
    }
}
