//! The simulated world of one run. [`simulate`] runs one replication of one
//! profile: a fresh [`World`] driven by the [`crate::engine`] to the end.
//!
//! ```text
//! model/
//!   world/       the only place with `impl World`: the state and the event
//!                dispatch (mod.rs), the request path (flow), replicas coming
//!                and going (replicas), binding pods to nodes (binding), the
//!                control clock (control: metric snapshots, HPA and ASG syncs),
//!                the executors of the cluster-autoscaler's and Karpenter's
//!                decisions (ca, karpenter_provision, karpenter_disruption),
//!                spot interruptions (spot), faults, rollouts; state/: the
//!                state each runtime owns (control loops, cluster-autoscaler,
//!                Karpenter, a rollout, faults), the cluster's records
//!                (cluster_log), each service's, pod's and
//!                request's (service), the random stream ids (stream): leaf
//!                modules that know nothing of `World`, composed by mod.rs
//!                and imported by the `impl World` files
//!   traffic/     the rate function r(t) (rate), traffic incidents as exact
//!                parts of it (incident), arrival times (arrivals)
//!   service/     the service substrate: a pod as a queue (pod), the requests
//!                a pod on dedicated CPU books at arrival (ledger), the balancer,
//!                a replica's start-up and drain (lifecycle), work samplers
//!                (dist), the metrics pipeline the autoscalers read (pipeline)
//!   cluster/     the cluster substrate: nodes, groups and pending pods
//!                (state), kube-scheduler's filters and scores
//!                (kube_scheduler), the placement predicate, spot
//!                interruption draws (spot_hazard), the typed node and
//!                group ids (ids) that cross from the controllers to
//!                `world/` and back
//!   hpa/ asg/ ca/ karpenter/ deployment
//!                pure controllers: plain inputs in, decisions out; no events,
//!                no clock of their own, no world; `world/` carries them out
//! ```
//!
//! The model sees only validated specs and writes only to the recorder
//! ([`crate::metrics`]): no files, no wall clock, no global random state.
//! The vocabulary it shares with the scenario (placement, node pools,
//! allocatable, prices, interruption rates) is [`crate::spec`]; the bill of
//! a run is [`crate::metrics::bill`].

pub mod asg;
pub mod ca;
pub mod cluster;
pub mod deployment;
pub mod hpa;
pub mod karpenter;
pub mod service;
pub mod traffic;
mod world;

pub use world::{Event, World};

use crate::engine::{self, EngineError, Scheduler};
use crate::metrics::RunResult;
use crate::spec::Scenario;
use crate::units::Nanos;

/// Events per expected request allowed before a run counts as runaway.
///
/// A request needs two to four events (arrival, CPU end, I/O end, and on a
/// shared CPU up to two superseded completion events); 16 leaves room for
/// Poisson fluctuation far beyond anything plausible.
pub const EVENTS_PER_REQUEST: f64 = 16.0;

/// The event budget of one run: `limits.max_events`, or a generous multiple of the expected work.
pub fn event_budget(scenario: &Scenario, world: &World) -> u64 {
    scenario.max_events.unwrap_or_else(|| {
        let ticks = scenario.duration_ns / scenario.interval_ns + 1;
        // Float-to-int casts saturate, so an absurd rate gives an absurd (not a wrapped) budget.
        ((world.expected_requests() * EVENTS_PER_REQUEST) as u64)
            .saturating_add(ticks)
            .saturating_add(world.expected_control_events())
            .saturating_add(1_000_000)
    })
}

/// Runs replication `replication` of profile `profile` to the end of the scenario.
pub fn simulate(
    scenario: &Scenario,
    profile: u32,
    replication: u32,
) -> Result<RunResult, EngineError> {
    simulate_with(scenario, profile, replication, true, |_| {})
}

/// [`simulate`], telling `progress` the simulated time now and then (for a
/// progress bar; it cannot change the run).
pub fn simulate_observed(
    scenario: &Scenario,
    profile: u32,
    replication: u32,
    progress: impl FnMut(Nanos),
) -> Result<RunResult, EngineError> {
    simulate_with(scenario, profile, replication, true, progress)
}

/// [`simulate_observed`], with pods booking their requests at arrival or
/// not (see [`service::ledger`]): the two must give the same results.
pub(crate) fn simulate_with(
    scenario: &Scenario,
    profile: u32,
    replication: u32,
    book_requests: bool,
    progress: impl FnMut(Nanos),
) -> Result<RunResult, EngineError> {
    let mut world = World::with_booking(scenario, replication, book_requests);
    let budget = event_budget(scenario, &world);
    let mut sched = Scheduler::new();
    world.start(&mut sched);
    let stats = engine::run_with_progress(
        &mut world,
        &mut sched,
        scenario.duration_ns,
        budget,
        progress,
    )?;
    if let Some(what) = world.broken_invariant() {
        return Err(EngineError::Invariant(what.to_string()));
    }
    let (services, scaling_events, cluster) = world.finish(scenario.duration_ns);
    Ok(RunResult {
        profile,
        replication,
        services,
        events: stats.events,
        scaling_events,
        cluster,
    })
}

#[cfg(test)]
#[path = "booking_tests.rs"]
mod booking_tests;
