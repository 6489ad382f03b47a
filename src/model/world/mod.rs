//! The simulated world of one run: services, their replicas, requests in flight.
//!
//! This file holds the state and the event dispatch; the request path is in
//! [`crate::model::world::flow`], replicas coming and going in [`crate::model::world::replicas`], and the
//! periodic control loops (metric snapshots, HPA syncs) in
//! [`crate::model::world::control`]. The state each runtime owns (the control
//! loops', the cluster-autoscaler's, Karpenter's, a rollout's) is a leaf
//! module of [`crate::model::world::state`] that knows nothing of `World`,
//! so the files with `impl World` import it without an import circle; so
//! is the state of each service, pod and request
//! ([`crate::model::world::state::service`]).
//! Requests live in a slab that is reused, so memory follows the number in
//! flight, not the number simulated.

mod binding;
mod ca;
mod control;
mod faults;
mod flow;
mod karpenter_disruption;
mod karpenter_provision;
mod replicas;
mod rollout;
mod spot;
mod state;

pub(super) use state::service::{
    FREE, INITIAL_AGE_NS, PodLife, PodTemplate, Request, ServiceState,
};
pub(super) use state::stream;

use crate::engine::rng::StreamKey;
use crate::engine::{LaneEvent, Model, Scheduler};
use crate::metrics::cluster::{ClusterResult, ClusterRow};
use crate::metrics::instances::InstanceLog;
use crate::metrics::{ReplicaStats, ScalingEvent, ServiceRecorder, ServiceResult};
use crate::model::cluster::kube_scheduler::PodToPlace;
use crate::model::cluster::state::Cluster;
use crate::model::service::balancer::Balancer;
use crate::model::service::dist::Sampler;
use crate::model::service::lifecycle::Startup;
use crate::model::service::pipeline::History;
use crate::model::service::pod::Pod;
use crate::model::service::usage::Usage;
use crate::model::traffic::arrivals::ArrivalGen;
use crate::model::world::state::ca::CaRuntime;
use crate::model::world::state::cluster_log::ClusterLog;
use crate::model::world::state::control::{Control, Scaler};
use crate::model::world::state::faults::Faults;
use crate::model::world::state::karpenter::KarpenterRuntime;
use crate::spec::placement::AntiAffinity;
use crate::spec::{Platform, Scenario};
use crate::units::{Nanos, nanos_to_secs};

/// Events of the world.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A request of service `.0` arrives.
    Arrival(u32),
    /// Request `.0` ends its CPU phase on a dedicated CPU.
    CpuDone(u32),
    /// The first CPU phase on shared-CPU pod `pod` ends, if `generation` is still current.
    PodCpu {
        /// The pod.
        pod: u32,
        /// Generation the event was scheduled for.
        generation: u32,
    },
    /// Request `.0` ends its I/O wait.
    IoDone(u32),
    /// An interval of the time series ends.
    Tick,
    /// Pod `.0` passes its first readiness probe.
    PodReady(u32),
    /// Pod `.0`'s termination grace period ends; what it still holds fails.
    PodKill(u32),
    /// Pod `.0`, deleted, finishes the last request booked in its ledger.
    PodDrained(u32),
    /// The control loops' clock ticks (metric snapshots, autoscaler syncs).
    Control,
    /// Node `.0` finished booting.
    NodeReady(u32),
    /// Spot node `.0` gets its two-minute interruption notice.
    SpotNotice(u32),
    /// AWS terminates interrupted node `.0`.
    NodeReclaimed(u32),
    /// Scheduled event `.0` (a fault) happens.
    Fault(u32),
    /// Karpenter's batching window may have closed.
    KarpenterBatch,
    /// A Karpenter disruption command's validation delay ends.
    KarpenterValidate,
}

/// The state of one run.
#[derive(Debug, Clone)]
pub struct World {
    pub(super) services: Vec<ServiceState>,
    pub(super) pods: Vec<Pod>,
    pub(super) lives: Vec<PodLife>,
    pub(super) requests: Vec<Request>,
    pub(super) free: Vec<u32>,
    pub(super) recorders: Vec<ServiceRecorder>,
    pub(super) warmup_ns: Nanos,
    pub(super) duration_ns: Nanos,
    pub(super) interval_ns: Nanos,
    pub(super) control: Option<Control>,
    pub(super) events: Vec<ScalingEvent>,
    pub(super) cluster: Option<Cluster>,
    pub(super) cluster_log: ClusterLog,
    pub(super) ca: Option<CaRuntime>,
    pub(super) karpenter: Option<KarpenterRuntime>,
    pub(super) faults: Faults,
    /// The first broken invariant (a bug in capsim): the run ends with an internal error.
    pub(super) broken: Option<String>,
    /// Whether pods' CPU core-seconds are integrated: only the control
    /// loops' metric snapshots read them (see [`Usage::change_if`]).
    pub(super) pod_usage_read: bool,
    /// Whether pods with dedicated CPU book their requests at arrival
    /// ([`crate::model::service::ledger`]); off, every request takes the
    /// event-by-event path (the reference the ledger is tested against).
    pub(super) book_requests: bool,
}

impl World {
    /// The world of replication `replication` of `scenario` (a profile's:
    /// every profile draws the same random numbers).
    pub fn new(scenario: &Scenario, replication: u32) -> Self {
        Self::with_booking(scenario, replication, true)
    }

    /// [`World::new`], with pods booking their requests at arrival or not
    /// (`book_requests`).
    pub(crate) fn with_booking(scenario: &Scenario, replication: u32, book_requests: bool) -> Self {
        let end_s = nanos_to_secs(scenario.duration_ns);
        let key = |kind: &str, name: &str, purpose: u64| {
            // Not keyed by profile: common random numbers across profiles.
            StreamKey {
                seed: scenario.seed,
                replication,
                stream: stream::id(kind, name, purpose),
            }
            .rng()
        };
        let mut services = Vec::with_capacity(scenario.services.len());
        let mut recorders = Vec::with_capacity(scenario.services.len());
        for (i, s) in scenario.services.iter().enumerate() {
            let milli = |x: f64| (x * 1000.0).round() as i64;
            services.push(ServiceState {
                name: s.name.clone(),
                arrivals: ArrivalGen::new(
                    s.traffic.arrivals,
                    crate::model::traffic::rate::service_rate(scenario, i),
                    end_s,
                ),
                arrival_rng: key(stream::SERVICE, &s.name, stream::ARRIVALS),
                cpu: Sampler::new(&s.request.cpu),
                io: s.request.io.as_ref().map(Sampler::new),
                work_rng: key(stream::SERVICE, &s.name, stream::WORK),
                balancer: Balancer::new(s.balancing),
                balancer_rng: key(stream::SERVICE, &s.name, stream::BALANCER),
                endpoints: Vec::new(),
                pods: Vec::new(),
                desired: s.replicas,
                terminating: 0,
                in_flight: 0,
                arrivals_total: 0,
                usage: Usage::default(),
                cpu_base_cores: match s.platform {
                    Platform::Vm { vcpus, .. } => f64::from(vcpus),
                    Platform::Kubernetes => s.pod.utilization_base_cores(),
                },
                ready_pod_s: Usage::default(),
                template: PodTemplate {
                    concurrency: s.pod.concurrency,
                    queue_limit: s.pod.queue_limit,
                    cpu_limit_cores: s.pod.cpu_limit_cores,
                    cpu_request_milli: s.pod.cpu_request_cores.map(milli),
                    memory_request_milli: s.pod.memory_request_bytes.map(|b| b as i64 * 1000),
                    memory: s.memory_usage,
                },
                startup: Startup::new(&s.lifecycle),
                life_rng: key(stream::SERVICE, &s.name, stream::LIFECYCLE),
                history: History::default(),
                scaler: Scaler::new(&s.autoscaler),
                replicas: ReplicaStats::new(scenario.warmup_ns),
                placement: PodToPlace {
                    needs: s.pod_needs(),
                    app: s.name.clone(),
                    anti_affinity: s.placement.anti_affinity.unwrap_or(AntiAffinity::None),
                    spread: s.placement.zone_spread,
                },
                unschedulable: None,
                revision: 0,
                rollout: None,
                instances: match &s.platform {
                    Platform::Vm { instance_type, .. } => Some(InstanceLog {
                        instance_type: instance_type.clone(),
                        price_usd_per_hour: crate::spec::catalog::lookup(instance_type)
                            .expect("validation accepts only catalog instance types")
                            .on_demand_usd_per_hour,
                        stays: Vec::new(),
                    }),
                    Platform::Kubernetes => None,
                },
                instance_pods: Vec::new(),
            });
            recorders.push(ServiceRecorder::new(
                s.request.timeout_ns,
                scenario.duration_ns,
                s.slo.and_then(|o| o.latency).map(|l| l.target_ns),
            ));
        }
        let mut world = World {
            services,
            pods: Vec::new(),
            lives: Vec::new(),
            requests: Vec::new(),
            free: Vec::new(),
            recorders,
            warmup_ns: scenario.warmup_ns,
            duration_ns: scenario.duration_ns,
            interval_ns: scenario.interval_ns,
            control: Control::new(scenario),
            events: Vec::new(),
            cluster: None,
            cluster_log: ClusterLog::default(),
            ca: None,
            karpenter: None,
            faults: Faults::new(scenario.events.clone()),
            broken: None,
            pod_usage_read: false,
            book_requests,
        };
        world.pod_usage_read = world.control.is_some();
        if let Some(c) = &scenario.cluster {
            let cluster = Cluster::new(c, |g, k| {
                key(stream::NODE_GROUP, &c.groups[g].name, stream::NODES + k)
            });
            world.cluster_log.nodes = cluster
                .nodes
                .iter()
                .enumerate()
                .map(|(id, _)| cluster.record(id as u32, 0))
                .collect();
            world.cluster = Some(cluster);
            world.ca = CaRuntime::new(c, key(stream::CLUSTER_AUTOSCALER, "", stream::AUTOSCALER));
            world.karpenter = KarpenterRuntime::new(c);
        }
        let replicas: Vec<u32> = scenario.services.iter().map(|s| s.replicas).collect();
        world.karpenter_initial_nodes(&replicas);
        for (i, s) in scenario.services.iter().enumerate() {
            for _ in 0..s.replicas {
                world.add_initial_pod(i as u32);
            }
        }
        world
    }

    /// Records that an invariant of the model broke (the first one is kept);
    /// [`super::simulate`] then fails the run with an internal error.
    pub(super) fn invariant_broken(&mut self, what: String) {
        self.broken.get_or_insert(what);
    }

    /// The first invariant that broke during the run, if any.
    pub fn broken_invariant(&self) -> Option<&str> {
        self.broken.as_deref()
    }

    /// Expected number of arrivals over the whole run, all services.
    pub fn expected_requests(&self) -> f64 {
        let end_s = nanos_to_secs(self.duration_ns);
        self.services
            .iter()
            .map(|s| s.arrivals.rate().integral(end_s))
            .sum()
    }

    /// Events of the control loops over the whole run (for the event budget).
    pub fn expected_control_events(&self) -> u64 {
        self.control
            .as_ref()
            .map_or(0, |c| self.duration_ns / c.tick_ns + 1)
    }

    /// Schedules the first arrival of every service, the first tick and the control loops.
    pub fn start(&mut self, sched: &mut Scheduler<Event>) {
        for (i, s) in self.services.iter_mut().enumerate() {
            if let Some(t) = s.arrivals.next(&mut s.arrival_rng) {
                sched.at_lane(t, i as u32);
            }
        }
        if self.interval_ns < self.duration_ns {
            sched.at(self.interval_ns, Event::Tick);
        }
        if self.control.is_some() {
            sched.at(0, Event::Control);
        }
        for (i, e) in self.faults.scheduled.iter().enumerate() {
            sched.at(e.at_ns, Event::Fault(i as u32));
        }
        let initial = self.cluster.as_ref().map_or(0, |c| c.nodes.len() as u32);
        for id in 0..initial {
            self.arm_interruption(id, 0, sched);
        }
    }

    /// Ends the run at `now`: closes the last interval, classifies requests still open.
    pub fn finish(
        mut self,
        now: Nanos,
    ) -> (Vec<ServiceResult>, Vec<ScalingEvent>, Option<ClusterResult>) {
        // Unanswered requests whose client has given up are timed out, in
        // the last interval's row as in the outcomes; the rest are in flight.
        self.settle_end(now);
        for r in self
            .requests
            .iter()
            .filter(|r| r.arrival_ns != FREE && !r.dead)
        {
            let s = self.pods[r.pod as usize].service as usize;
            if self.recorders[s].unfinished(now, r.arrival_ns, r.measured) {
                self.services[s].in_flight -= 1;
            }
        }
        self.close_intervals(now);
        let results = self
            .recorders
            .into_iter()
            .zip(self.services)
            .map(|(rec, mut s)| {
                s.replicas.close(now);
                let mut result = rec.into_result(s.name, s.replicas);
                result.instances = s.instances;
                result
            })
            .collect();
        let log = self.cluster_log;
        let cluster = self.cluster.as_ref().map(|c| log.into_result(&c.spec));
        (results, self.events, cluster)
    }

    pub(super) fn close_intervals(&mut self, now: Nanos) {
        if let Some(c) = &self.cluster {
            let (requested, allocatable) = c.usage();
            self.cluster_log.series.push(ClusterRow {
                start_ns: self.cluster_log.last_tick_ns,
                end_ns: now,
                nodes: (0..c.groups.len()).map(|g| c.group_counts(g)).collect(),
                pending_pods: c.pending.len() as u32,
                requested,
                allocatable,
            });
        }
        self.cluster_log.last_tick_ns = now;
        for (s, rec) in self.services.iter_mut().zip(self.recorders.iter_mut()) {
            let pending = s.pods.len() - s.endpoints.len() - s.terminating as usize;
            rec.close_interval(
                now,
                s.in_flight,
                [s.desired, s.endpoints.len() as u32, pending as u32],
                s.usage.total(now),
                s.ready_pod_s.total(now),
                s.ready_pod_s.total(now) * s.cpu_base_cores,
            );
        }
    }
}

impl LaneEvent for Event {
    /// The lane is a service's arrivals: stream `s` is service `s`.
    #[inline(always)]
    fn from_lane(stream: u32) -> Event {
        Event::Arrival(stream)
    }
}

impl Model for World {
    type Event = Event;

    #[inline]
    fn handle(&mut self, event: Event, sched: &mut Scheduler<Event>) {
        match event {
            Event::Arrival(s) => return self.arrival(s, sched),
            Event::CpuDone(req) => return self.cpu_done(req, sched),
            Event::PodCpu { pod, generation } => return self.pod_cpu(pod, generation, sched),
            Event::IoDone(req) => return self.io_done(req, sched),
            _ => {}
        }
        // Every other event may look at the pods: the bookings that
        // finished before now are settled first (one finishing at this very
        // instant finishes after the event, as a completion event scheduled
        // after it would).
        self.settle(sched.now(), sched.now());
        match event {
            Event::Arrival(_) | Event::CpuDone(_) | Event::PodCpu { .. } | Event::IoDone(_) => {}
            Event::Tick => {
                let now = sched.now();
                self.close_intervals(now);
                if now + self.interval_ns < self.duration_ns {
                    sched.at(now + self.interval_ns, Event::Tick);
                }
            }
            Event::PodReady(pod) => self.pod_ready(pod, sched.now(), sched),
            Event::PodKill(pod) => self.kill_pod(pod, sched.now(), sched),
            Event::PodDrained(pod) => self.pod_drained(pod, sched.now(), sched),
            Event::NodeReady(node) => self.node_ready(node, sched.now(), sched),
            Event::SpotNotice(node) => self.spot_notice(node, sched.now(), sched),
            Event::NodeReclaimed(node) => self.node_reclaimed(node, sched.now(), sched),
            Event::Fault(i) => self.fault(i as usize, sched.now(), sched),
            Event::Control => self.control_tick(sched),
            Event::KarpenterBatch => self.karpenter_batch(sched.now(), sched),
            Event::KarpenterValidate => self.karpenter_validate(sched.now(), sched),
        }
    }
}

#[cfg(test)]
#[path = "stream_tests.rs"]
mod stream_tests;
