//! AWS EC2 Auto Scaling dynamic scaling, as pure logic: alarms, policies, capacity.
//!
//! The simulation owns the instances; this module only decides the desired
//! capacity. Use:
//!
//! 1. [`AsgController::new`] with the validated [`crate::spec::asg::AsgSpec`]; start the group
//!    at [`crate::spec::asg::AsgSpec::desired`].
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
//! Files: [`alarm`] (CloudWatch alarm
//! evaluation), [`adjust`] (capacity arithmetic), [`controller`] (policies,
//! cooldown, warm-up, choosing one capacity). Every AWS rule is cited where
//! it is implemented; `docs/asg.md` lists them with the simplifications. The
//! settings and AWS defaults are [`crate::spec::asg`].

pub mod adjust;
pub mod alarm;
pub mod controller;
#[cfg(test)]
mod tests;

pub use alarm::AlarmState;
pub use controller::{Action, AsgController, GroupObservation, InstanceSample};
