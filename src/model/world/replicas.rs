//! Replicas coming and going: creation, Ready, deletion, drain, kill.
//!
//! Scaling up creates pods that go through the start-up of
//! [`crate::model::service::lifecycle`] and join the endpoints at their first successful
//! readiness probe. Scaling down deletes pods in the ReplicaSet
//! controller's order (not-ready before ready, then the most recently
//! Ready or created first: `controller.ActivePodsWithRanks`); a deleted pod
//! leaves the endpoints at once, finishes what it holds, and exits when it
//! is empty or when its termination grace period ends — then whatever it
//! still holds fails (counted as `failed`, or `timed_out` if the client had
//! already given up).

use crate::engine::Scheduler;
use crate::metrics::instances::InstanceStay;
use crate::model::service::lifecycle::Stage;
use crate::model::service::pipeline::History;
use crate::model::service::pod::Pod;
use crate::model::world::{Event, FREE, INITIAL_AGE_NS, PodLife, World};
use crate::spec::Balancing;
use crate::units::{Nanos, signed_nanos};

impl World {
    fn push_pod(&mut self, s: u32, life: PodLife) -> u32 {
        let t = &self.services[s as usize].template;
        let id = self.pods.len() as u32;
        let pod = Pod::new(s, t.concurrency, t.queue_limit, t.cpu_limit_cores);
        // Least-request balancing compares pods' loads at every arrival:
        // their requests take the event-by-event path.
        let book = self.book_requests
            && self.services[s as usize].balancer.policy() != Balancing::LeastRequest;
        self.pods.push(if book { pod.booking() } else { pod });
        // A VM instance is billed from its launch (pods from before the run: from time 0).
        let launched_ns = life.created.max(0) as Nanos;
        self.lives.push(life);
        let svc = &mut self.services[s as usize];
        svc.pods.push(id);
        if let Some(log) = &mut svc.instances {
            log.stays.push(InstanceStay {
                launched_ns,
                stopped_ns: None,
            });
            svc.instance_pods.push(id);
        }
        id
    }

    /// True when service `s`'s pods run on the cluster's nodes: a
    /// `platform: vm` service's replicas are EC2 instances of their own
    /// (DESIGN §3.7), never placed on nodes, even beside a cluster.
    fn on_cluster(&self, s: u32) -> bool {
        self.cluster.is_some() && self.services[s as usize].instances.is_none()
    }

    /// A pod of service `s` that has been Ready since long before the run
    /// (on the cluster: if the scheduler finds it a node; else it starts Pending).
    pub(super) fn add_initial_pod(&mut self, s: u32) {
        let id = self.push_pod(
            s,
            PodLife {
                stage: Stage::Ready,
                created: -INITIAL_AGE_NS,
                running: -INITIAL_AGE_NS,
                ready: -INITIAL_AGE_NS,
                warm_until: 0,
                history: History::default(),
                node: None,
                revision: 0,
            },
        );
        if self.on_cluster(s) && !self.bind_initial(id) {
            let life = &mut self.lives[id as usize];
            (life.stage, life.created, life.running, life.ready) =
                (Stage::Unscheduled, 0, i64::MAX, i64::MAX);
            self.cluster.as_mut().expect("checked").pending.push(id);
            let svc = &mut self.services[s as usize];
            svc.replicas.set(0, svc.pods.len() as u32);
            return;
        }
        let svc = &mut self.services[s as usize];
        svc.endpoints.push(id);
        svc.ready_pod_s.change(0, 1.0);
        svc.replicas.set(0, svc.pods.len() as u32);
    }

    /// Creates a pod of service `s` from template `revision` at `now`; it
    /// turns Ready at its first successful probe.
    pub(super) fn create_pod(
        &mut self,
        s: u32,
        revision: u32,
        now: Nanos,
        sched: &mut Scheduler<Event>,
    ) {
        if self.on_cluster(s) {
            let id = self.push_pod(
                s,
                PodLife {
                    stage: Stage::Unscheduled,
                    created: signed_nanos(now),
                    running: i64::MAX,
                    ready: i64::MAX,
                    warm_until: 0,
                    history: History::default(),
                    node: None,
                    revision,
                },
            );
            self.cluster.as_mut().expect("checked").pending.push(id);
            return;
        }
        let svc = &mut self.services[s as usize];
        let times = svc.startup.times(now, &mut svc.life_rng);
        let id = self.push_pod(
            s,
            PodLife {
                stage: Stage::Starting,
                created: signed_nanos(now),
                running: signed_nanos(times.running_ns),
                ready: signed_nanos(times.ready_ns),
                warm_until: 0,
                history: History::default(),
                node: None,
                revision,
            },
        );
        sched.at(times.ready_ns, Event::PodReady(id));
    }

    /// Pod `id` passed its readiness probe: it joins the endpoints (and a
    /// rollout of its service may take its next step).
    pub(super) fn pod_ready(&mut self, id: u32, now: Nanos, sched: &mut Scheduler<Event>) {
        let life = &mut self.lives[id as usize];
        if life.stage != Stage::Starting {
            return; // deleted while starting
        }
        life.stage = Stage::Ready;
        life.ready = signed_nanos(now);
        let s = self.pods[id as usize].service as usize;
        let svc = &mut self.services[s];
        if let Some(w) = svc.startup.warmup_ns() {
            self.lives[id as usize].warm_until = now.saturating_add(w);
        }
        svc.endpoints.push(id);
        svc.ready_pod_s.change(now, 1.0);
        if svc.rollout.is_some() {
            self.rollout_sync(s as u32, now, sched);
        }
    }

    /// Sets the replicas of service `s` to `desired`, creating or deleting
    /// pods (during a rollout, its ReplicaSets scale in proportion).
    pub(super) fn scale_to(
        &mut self,
        s: u32,
        desired: u32,
        now: Nanos,
        sched: &mut Scheduler<Event>,
    ) {
        if self.services[s as usize].rollout.is_some() {
            self.rollout_scale(s, desired, now, sched);
            return;
        }
        let svc = &mut self.services[s as usize];
        svc.desired = desired;
        let revision = svc.revision;
        let active = svc.pods.len() as u32 - svc.terminating;
        if desired > active {
            for _ in active..desired {
                self.create_pod(s, revision, now, sched);
            }
        } else if desired < active {
            let victims = self.deletion_order(s, (active - desired) as usize, |_| true);
            for id in victims {
                self.delete_pod(id, now, sched);
            }
        }
        let svc = &mut self.services[s as usize];
        svc.replicas
            .set(now, svc.pods.len() as u32 - svc.terminating);
        self.schedule_pending(now, sched);
    }

    /// The `n` pods of service `s` (those `of_set` takes: one ReplicaSet's)
    /// the ReplicaSet controller deletes first.
    pub(super) fn deletion_order(
        &self,
        s: u32,
        n: usize,
        of_set: impl Fn(&PodLife) -> bool,
    ) -> Vec<u32> {
        let mut candidates: Vec<u32> = self.services[s as usize]
            .pods
            .iter()
            .copied()
            .filter(|&p| {
                let l = &self.lives[p as usize];
                l.stage != Stage::Terminating && of_set(l)
            })
            .collect();
        // Not ready first; then the most recently Ready (or created); ties: the newest pod.
        candidates.sort_by_key(|&p| {
            let l = &self.lives[p as usize];
            let ready = l.stage == Stage::Ready;
            let since = if ready { l.ready } else { l.created };
            (ready, std::cmp::Reverse(since), std::cmp::Reverse(p))
        });
        candidates.truncate(n);
        candidates
    }

    /// Deletes pod `id` at `now`: out of the endpoints; it drains, then exits.
    pub(super) fn delete_pod(&mut self, id: u32, now: Nanos, sched: &mut Scheduler<Event>) {
        let s = self.pods[id as usize].service as usize;
        let svc = &mut self.services[s];
        if self.lives[id as usize].stage == Stage::Ready {
            svc.endpoints.retain(|&p| p != id);
            svc.ready_pod_s.change(now, -1.0);
        }
        self.lives[id as usize].stage = Stage::Terminating;
        self.pods[id as usize].terminating = true;
        svc.terminating += 1;
        let grace_end = now.saturating_add(svc.startup.termination_grace_ns);
        self.settle_pod(id, now, now);
        if self.pods[id as usize].in_flight() == 0 {
            self.pod_gone(id, now, sched);
            return;
        }
        sched.at(grace_end, Event::PodKill(id));
        // A ledger knows when its last request finishes.
        if let Some(last) = self.pods[id as usize]
            .ledger_mut()
            .and_then(|l| l.last_finish_ns())
            .filter(|&t| t < grace_end)
        {
            sched.at(last, Event::PodDrained(id));
        }
    }

    /// Deleted pod `id` has finished every request booked in its ledger.
    pub(super) fn pod_drained(&mut self, id: u32, now: Nanos, sched: &mut Scheduler<Event>) {
        if self.lives[id as usize].stage != Stage::Terminating {
            return; // killed at the end of its grace period
        }
        // This is the instant its last request finishes.
        self.settle_pod(id, now, now + 1);
        if self.pods[id as usize].in_flight() == 0 {
            self.pod_gone(id, now, sched);
        }
    }

    /// The grace period of pod `id` ended: whatever it still holds fails.
    pub(super) fn kill_pod(&mut self, id: u32, now: Nanos, sched: &mut Scheduler<Event>) {
        if self.lives[id as usize].stage != Stage::Terminating {
            return; // it exited on its own
        }
        let s = self.pods[id as usize].service as usize;
        self.settle_pod(id, now, now);
        if let Some(ledger) = self.pods[id as usize].ledger_mut() {
            for b in ledger.kill() {
                self.recorders[s].failed(now, b.arrival_ns, b.measured);
                self.services[s].in_flight -= 1;
            }
        }
        // Queued requests and those sharing a CPU have no pending event of their own.
        let whole = self.pods[id as usize].usage.whole() as i64;
        let (orphans, cores) = self.pods[id as usize].kill(now);
        let integrate = self.pod_usage_read;
        let usage = &mut self.pods[id as usize].usage;
        usage.change_if(integrate, now, -cores);
        usage.change_whole_if(integrate, now, -whole);
        self.services[s].usage.change(now, -cores);
        self.services[s].usage.change_whole(now, -whole);
        for req in orphans {
            self.fail(req, now);
            self.release(req);
        }
        // The rest (dedicated CPU or I/O phase) have an event pending: mark them.
        for i in 0..self.requests.len() {
            let r = &self.requests[i];
            if r.arrival_ns != FREE && r.pod == id && !r.dead {
                self.fail(i as u32, now);
                self.requests[i].dead = true;
            }
        }
        self.pod_gone(id, now, sched);
    }

    /// Counts request `req` as failed at `now` (or timed out if its client had already left).
    fn fail(&mut self, req: u32, now: Nanos) {
        let r = self.requests[req as usize];
        let s = self.pods[r.pod as usize].service as usize;
        self.recorders[s].failed(now, r.arrival_ns, r.measured);
        self.services[s].in_flight -= 1;
    }

    /// Pod `id` no longer exists.
    pub(super) fn pod_gone(&mut self, id: u32, now: Nanos, sched: &mut Scheduler<Event>) {
        let life = &mut self.lives[id as usize];
        if life.stage == Stage::Gone {
            return;
        }
        let was = life.stage;
        life.stage = Stage::Gone;
        life.history = History::default();
        self.pods[id as usize].terminating = false;
        let s = self.pods[id as usize].service as usize;
        let svc = &mut self.services[s];
        svc.pods.retain(|&p| p != id);
        // A VM instance's billing ends when it terminates, after draining.
        if let (Some(log), Some(i)) = (
            &mut svc.instances,
            svc.instance_pods.iter().rposition(|&p| p == id),
        ) {
            log.stays[i].stopped_ns = Some(now);
        }
        if was == Stage::Terminating {
            svc.terminating -= 1;
        }
        svc.replicas
            .set(now, svc.pods.len() as u32 - svc.terminating);
        if self.on_cluster(s as u32) {
            self.unbind(id, now, sched);
        }
    }
}
