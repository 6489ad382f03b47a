//! The cluster substrate: its state ([`state`]: nodes, groups, pending
//! pods, zone outages), kube-scheduler's placement ([`kube_scheduler`]), a
//! node's allocatable resources ([`allocatable`]) and the spot interruption
//! hazard ([`spot_hazard`]), the typed node and group identities the
//! controllers and the executor share ([`ids`]), and the one placement predicate that
//! kube-scheduler, the cluster-autoscaler and Karpenter share
//! ([`predicate`]). The vocabulary they share with the scenario
//! (resources, taints, tolerations, pod needs) is [`crate::spec::resources`].

pub mod allocatable;
pub mod ids;
pub mod kube_scheduler;
pub mod predicate;
pub mod spot_hazard;
pub mod state;

pub use predicate::{Misfit, NodeFacts, PodRules, ZoneTally, check};
