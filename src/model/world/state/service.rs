//! The state of each service, its pods and its requests in flight, as the
//! world holds it: the request slab's entries ([`Request`], [`FREE`]),
//! each pod's life cycle ([`PodLife`]), how a service's pods are built
//! ([`PodTemplate`]) and everything a service carries through a run
//! ([`ServiceState`]: its arrival and work streams, balancer, endpoints,
//! autoscaler, rollout, instances).

use crate::engine::rng::SimRng;
use crate::metrics::ReplicaStats;
use crate::metrics::instances::InstanceLog;
use crate::model::cluster::kube_scheduler::PodToPlace;
use crate::model::service::balancer::Balancer;
use crate::model::service::dist::Sampler;
use crate::model::service::lifecycle::{Stage, Startup};
use crate::model::service::pipeline::History;
use crate::model::service::usage::Usage;
use crate::model::traffic::arrivals::ArrivalGen;
use crate::model::world::state::control::Scaler;
use crate::model::world::state::rollout::Rollout;
use crate::spec::MemoryUsageSpec;
use crate::units::{Nanos, SIGNED_NANOS_PER_SEC, SignedNanos};

/// Marks a free slab entry.
pub const FREE: Nanos = Nanos::MAX;

/// Pods that exist at the start have been running this long.
pub const INITIAL_AGE_NS: SignedNanos = 3600 * SIGNED_NANOS_PER_SEC;

/// A request in flight: an entry of the world's request slab.
#[derive(Debug, Clone, Copy)]
pub struct Request {
    /// When it arrived ([`FREE`] marks a free entry).
    pub arrival_ns: Nanos,
    /// Its CPU work, in nanoseconds at one core.
    pub cpu_ns: Nanos,
    /// Its I/O wait after the CPU work.
    pub io_ns: Nanos,
    /// The pod serving it.
    pub pod: u32,
    /// It arrived after the warm-up, so its outcome counts.
    pub measured: bool,
    /// Its pod was killed: already counted as failed; the slot is freed when its pending event fires.
    pub dead: bool,
}

/// Life-cycle state of one pod (indexed like `World::pods`).
#[derive(Debug, Clone)]
pub struct PodLife {
    pub stage: Stage,
    /// When it was created, started running and turned Ready (negative for pods that predate the run).
    pub created: SignedNanos,
    pub running: SignedNanos,
    pub ready: SignedNanos,
    /// Until when requests run slower (warm-up).
    pub warm_until: Nanos,
    pub history: History,
    /// The node it is bound to (with a cluster).
    pub node: Option<u32>,
    /// Its pod template's revision (0 for the template the run starts with).
    pub revision: u32,
}

/// How one service's pods are built.
#[derive(Debug, Clone)]
pub struct PodTemplate {
    pub concurrency: Option<u32>,
    pub queue_limit: Option<u32>,
    pub cpu_limit_cores: Option<f64>,
    pub cpu_request_milli: Option<i64>,
    pub memory_request_milli: Option<i64>,
    pub memory: Option<MemoryUsageSpec>,
}

/// Everything one service carries through a run (indexed like the scenario's services).
#[derive(Debug, Clone)]
pub struct ServiceState {
    pub name: String,
    pub arrivals: ArrivalGen,
    pub arrival_rng: SimRng,
    pub cpu: Sampler,
    pub io: Option<Sampler>,
    pub work_rng: SimRng,
    pub balancer: Balancer,
    pub balancer_rng: SimRng,
    /// Ready pods.
    pub endpoints: Vec<u32>,
    /// Pods that are not gone, in creation order.
    pub pods: Vec<u32>,
    /// Replicas wanted (the scale target's spec.replicas).
    pub desired: u32,
    /// Pods deleted but still draining.
    pub terminating: u32,
    pub in_flight: u64,
    pub arrivals_total: u64,
    pub usage: Usage,
    pub cpu_base_cores: f64,
    /// Ready-pod-seconds, for utilization over an interval.
    pub ready_pod_s: Usage,
    pub template: PodTemplate,
    pub startup: Startup,
    pub life_rng: SimRng,
    pub history: History,
    pub scaler: Scaler,
    pub replicas: ReplicaStats,
    /// What the scheduler needs to place its pods.
    pub placement: PodToPlace,
    /// The last reason its pods found no node.
    pub unschedulable: Option<String>,
    /// The Deployment's current pod template revision (new pods get it).
    pub revision: u32,
    /// A rolling deployment under way.
    pub rollout: Option<Box<Rollout>>,
    /// A `platform: vm` service's EC2 instances (for the bill).
    pub instances: Option<InstanceLog>,
    /// The pod of each of `instances`' stays.
    pub instance_pods: Vec<u32>,
}
