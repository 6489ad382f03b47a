//! The simulated world: traffic, pods as queues, load balancing.
//!
//! The model sees only validated specs ([`crate::scenario`]) and writes only
//! to the recorder ([`crate::metrics`]): no files, no wall clock, no global
//! random state. [`simulate`] runs one replication of one profile.

pub mod allocatable;
pub mod arrivals;
pub mod asg;
pub mod balancer;
mod binding;
pub mod ca;
pub mod cluster;
mod control;
pub mod cost;
pub mod deployment;
mod disruption;
pub mod dist;
mod faults;
mod flow;
pub mod hpa;
mod incident;
mod interruptions;
pub mod karpenter;
pub mod lifecycle;
mod node_autoscaler;
pub mod nodes;
pub mod pipeline;
pub mod pod;
mod provisioner;
mod replicas;
mod rollout;
pub mod scheduler;
pub mod spot;
pub mod traffic;
mod world;

pub use world::{Event, World};

use crate::engine::{self, EngineError, Scheduler};
use crate::metrics::RunResult;
use crate::scenario::Scenario;

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
    let mut world = World::new(scenario, profile, replication);
    let budget = event_budget(scenario, &world);
    let mut sched = Scheduler::new();
    world.start(&mut sched);
    let stats = engine::run(&mut world, &mut sched, scenario.duration_ns, budget)?;
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
