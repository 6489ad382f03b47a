//! AWS EC2 Auto Scaling dynamic scaling, as pure logic: alarms, policies, capacity.
//!
//! The simulation owns the instances; this module only decides the desired
//! capacity. Use:
//!
//! 1. [`AsgController::new`] with the validated [`AsgSpec`]; start the group
//!    at [`AsgSpec::desired`].
//! 2. At every multiple of [`AsgController::evaluation_period_ns`] (60 s
//!    unless an alarm has a 10/20/30 s period), call
//!    [`AsgController::evaluate`] with one [`InstanceSample`] per InService
//!    instance (its average CPU % and the requests it received over the tick
//!    that just ended, and when it reached InService), the current desired
//!    capacity and the number of instances still pending.
//! 3. Apply the returned [`Action`]: launch or terminate instances to reach
//!    its `desired`, and log its `reason`.
//!
//! The controller leaves instances in their warm-up out of the CPU metric
//! itself (only when the group has a default instance warm-up, as AWS does),
//! so the simulation passes every InService instance.
//!
//! Files: [`spec`] (settings and AWS defaults), [`alarm`] (CloudWatch alarm
//! evaluation), [`adjust`] (capacity arithmetic), [`controller`] (policies,
//! cooldown, warm-up, choosing one capacity). Every AWS rule is cited where
//! it is implemented; `docs/asg.md` lists them with the simplifications.

pub mod adjust;
pub mod alarm;
pub mod controller;
pub mod spec;
#[cfg(test)]
mod tests;

pub use alarm::AlarmState;
pub use controller::{Action, AsgController, GroupObservation, InstanceSample};
pub use spec::*;
