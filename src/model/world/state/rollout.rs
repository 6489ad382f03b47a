//! A rolling deployment's state on one service ([`Rollout`]): its strategy,
//! when it started, the two ReplicaSets' sizes and what they were last
//! scaled for. The Deployment controller that drives it is
//! [`crate::model::world::rollout`]'s.

use crate::model::deployment::Annotations;
use crate::spec::RollingUpdate;
use crate::units::Nanos;

/// A rollout under way on one service.
#[derive(Debug, Clone)]
pub struct Rollout {
    pub(crate) strategy: RollingUpdate,
    pub(crate) started_ns: Nanos,
    /// spec.replicas of the old ReplicaSet (every revision before the current one).
    pub(crate) old: u32,
    /// spec.replicas of the new ReplicaSet (the current revision).
    pub(crate) new: u32,
    /// What the ReplicaSets were last scaled for.
    pub(crate) last: Annotations,
}
