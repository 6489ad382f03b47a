//! Validated specs and the shared vocabulary: what [`crate::scenario`]
//! produces and [`crate::model`] consumes.
//!
//! Every value here has been checked: times are nanoseconds, rates requests
//! per second, CPU in cores, and all cross-field rules hold; traces are
//! loaded and resampled onto a regular grid.
//!
//! - [`scenario`]: the scenario, its services, traffic, requests and pods;
//! - [`dist`]: distributions of durations (work, boot and start-up times);
//! - [`scaling`]: platforms, autoscalers, pod start-up, the metrics pipeline;
//! - [`cluster`]: node groups, the node autoscaler, placement, faults;
//! - [`expander`]: the cluster-autoscaler's expander chain;
//! - [`events`]: rolling deployments and traffic incidents;
//! - [`hpa`], [`asg`]: the HorizontalPodAutoscaler and Auto Scaling group specs;
//! - [`node_pool`]: Karpenter NodePools, resolved against the catalog;
//! - [`resources`]: resources, taints, tolerations, a pod's node needs;
//! - [`placement`]: the zone label, anti-affinity, zone spread, scoring;
//! - [`catalog`]: the built-in EC2 instance types;
//! - [`allocatable`]: what pods can request on a node (the EKS formulas);
//! - [`price`]: capacity-type prices and the reference's fixed figures;
//! - [`interruption`]: spot interruption rates (Advisor bands, hazards).
//!
//! Nothing here depends on the simulator: [`crate::scenario`] and
//! [`crate::model`] both depend on this module, never the other way.

/// The profile of a scenario without `profiles:`.
pub const DEFAULT_PROFILE: &str = "default";

pub mod allocatable;
pub mod asg;
pub mod catalog;
pub mod cluster;
pub mod dist;
pub mod events;
pub mod expander;
pub mod hpa;
pub mod interruption;
pub mod node_pool;
pub mod placement;
pub mod price;
pub mod resources;
pub mod scaling;
pub mod scenario;

pub use cluster::*;
pub use dist::*;
pub use events::*;
pub use scaling::*;
pub use scenario::*;
