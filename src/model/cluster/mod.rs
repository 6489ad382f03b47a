//! The cluster substrate: its state ([`state`]: nodes, groups, pending
//! pods, zone outages), kube-scheduler's placement ([`kube_scheduler`]),
//! the draw of spot interruptions ([`spot_hazard`]), the typed node and
//! group identities the controllers and the executor share ([`ids`]), and
//! the one placement predicate that kube-scheduler, the cluster-autoscaler
//! and Karpenter share ([`predicate`]). The vocabulary they share with the
//! scenario is in [`crate::spec`]: resources, taints, tolerations and pod
//! needs ([`crate::spec::resources`]), placement ([`crate::spec::placement`]),
//! a node's allocatable resources ([`crate::spec::allocatable`]) and spot
//! interruption rates ([`crate::spec::interruption`]).

pub mod ids;
pub mod kube_scheduler;
pub mod predicate;
pub mod spot_hazard;
pub mod state;

pub use predicate::{Misfit, NodeFacts, PodRules, ZoneTally, check};
