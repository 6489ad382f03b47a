//! The state each of World's runtimes owns, one leaf module per runtime:
//! the control loops' clock and the services' autoscalers ([`control`]),
//! the cluster-autoscaler's ([`ca`]), the cluster's records ([`cluster_log`]), Karpenter's ([`karpenter`]), a
//! rolling deployment's ([`rollout`]), the scheduled events' ([`faults`]),
//! each service's, pod's and request's ([`service`]) and the ids of the
//! random streams ([`stream`]).
//!
//! Nothing here knows [`crate::model::world::World`] or its events: the
//! world's `mod.rs` composes these types into its state, and the files
//! with `impl World` (`world/ca.rs`, `world/control.rs`, …) import both, so
//! the world folder has no import circle.

pub mod ca;
pub mod cluster_log;
pub mod control;
pub mod faults;
pub mod karpenter;
pub mod rollout;
pub mod service;
pub mod stream;
