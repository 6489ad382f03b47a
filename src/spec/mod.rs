//! Validated specs and the shared vocabulary: what [`crate::scenario`]
//! produces and [`crate::model`] consumes.
//!
//! Every value here has been checked: times are nanoseconds, rates requests
//! per second, CPU in cores, and all cross-field rules hold; traces are
//! loaded and resampled onto a regular grid.
//!
//! - [`scenario`]: the scenario, its services, traffic, requests and pods;
//! - [`scaling`]: platforms, autoscalers, pod start-up, the metrics pipeline;
//! - [`cluster`]: node groups, the node autoscaler, placement, faults;
//! - [`expander`]: the cluster-autoscaler's expander chain;
//! - [`events`]: rolling deployments and traffic incidents;
//! - [`hpa`], [`asg`]: the HorizontalPodAutoscaler and Auto Scaling group specs;
//! - [`resources`]: resources, taints, tolerations, a pod's node needs;
//! - [`catalog`]: the built-in EC2 instance types.

pub mod asg;
pub mod catalog;
pub mod cluster;
pub mod events;
pub mod expander;
pub mod hpa;
pub mod resources;
pub mod scaling;
pub mod scenario;

pub use cluster::*;
pub use events::*;
pub use scaling::*;
pub use scenario::*;
