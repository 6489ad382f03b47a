//! Interruption handling (reference §3.4): what Karpenter does when the
//! interruption queue reports an event for one of its nodes.
//!
//! A spot interruption warning arrives [`SPOT_NOTICE_NS`] (2 min) before EC2
//! reclaims the instance. Karpenter cordons and drains the node at once
//! (deleting its NodeClaim), marks the (type, zone, spot) offering
//! unavailable for 3 min, and the evicted pods go Pending so that a
//! replacement is provisioned through the normal batch, in parallel with the
//! drain. Disruption budgets do not limit this (§3.3). Rebalance
//! recommendations are only recorded.

use super::SPOT_NOTICE_NS;
use super::ice::IceCache;
use super::schedule::ClusterNode;
use crate::spec::resources::CapacityType;
use crate::units::Nanos;

/// An event from the interruption queue (EventBridge → SQS).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterruptionEvent {
    /// EC2 Spot Instance Interruption Warning (2-minute notice).
    SpotInterruptionWarning,
    /// Scheduled maintenance (AWS Health scheduled change).
    ScheduledChange,
    /// The instance is stopping or terminating (state change).
    StateChange,
    /// A capacity reservation is being reclaimed.
    CapacityReservationInterruption,
    /// An instance or system status check failed.
    StatusCheckFailure,
    /// EC2 rebalance recommendation (elevated interruption risk).
    RebalanceRecommendation,
}

/// What Karpenter does about an event (`pkg/controllers/interruption/utils.go`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterruptionAction {
    /// Taint, drain through the Eviction API, terminate; pods go Pending and are re-provisioned.
    CordonAndDrain,
    /// Terminate without a graceful drain.
    ForcefulTermination,
    /// Record the event only.
    NoAction,
}

/// The action for `event` (§3.4).
pub fn action_for(event: InterruptionEvent) -> InterruptionAction {
    match event {
        InterruptionEvent::SpotInterruptionWarning
        | InterruptionEvent::ScheduledChange
        | InterruptionEvent::StateChange
        | InterruptionEvent::CapacityReservationInterruption => InterruptionAction::CordonAndDrain,
        InterruptionEvent::StatusCheckFailure => InterruptionAction::ForcefulTermination,
        InterruptionEvent::RebalanceRecommendation => InterruptionAction::NoAction,
    }
}

/// Handles `event` for `node` at `now_ns`: returns the action, and on a spot
/// interruption of a spot node marks its offering unavailable in `ice`.
pub fn handle_interruption(
    event: InterruptionEvent,
    node: &ClusterNode,
    now_ns: Nanos,
    ice: &mut IceCache,
) -> InterruptionAction {
    if event == InterruptionEvent::SpotInterruptionWarning
        && node.capacity_type == CapacityType::Spot
    {
        ice.mark(&node.instance_type, &node.zone, CapacityType::Spot, now_ns);
    }
    action_for(event)
}

/// When EC2 reclaims a spot instance whose warning arrived at `notice_ns`.
pub fn reclaim_at(notice_ns: Nanos) -> Nanos {
    notice_ns + SPOT_NOTICE_NS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::resources::Resources;
    use crate::units::NANOS_PER_SEC as S;

    fn spot_node() -> ClusterNode {
        ClusterNode {
            pool: Some(crate::model::cluster::ids::PoolId(0)),
            instance_type: "c5.xlarge".into(),
            capacity_type: CapacityType::Spot,
            zone: "us-east-1a".into(),
            price_usd_per_hour: 0.06,
            capacity: Resources::default(),
            allocatable: Resources::default(),
            labels: Default::default(),
            taints: vec![],
            pods: vec![],
            initialized: true,
            ready: true,
            deleting: false,
            do_not_disrupt: false,
            last_pod_event_ns: 0,
        }
    }

    #[test]
    fn spot_warning_drains_and_marks_the_offering() {
        let mut ice = IceCache::default();
        let node = spot_node();
        let a = handle_interruption(
            InterruptionEvent::SpotInterruptionWarning,
            &node,
            60 * S,
            &mut ice,
        );
        assert_eq!(a, InterruptionAction::CordonAndDrain);
        assert!(ice.is_unavailable("c5.xlarge", "us-east-1a", CapacityType::Spot, 60 * S));
        assert!(!ice.is_unavailable("c5.xlarge", "us-east-1a", CapacityType::Spot, 240 * S));
        assert_eq!(reclaim_at(60 * S), 180 * S);
    }

    #[test]
    fn rebalance_is_ignored_and_status_failures_are_forceful() {
        let mut ice = IceCache::default();
        let node = spot_node();
        let a = handle_interruption(
            InterruptionEvent::RebalanceRecommendation,
            &node,
            0,
            &mut ice,
        );
        assert_eq!(a, InterruptionAction::NoAction);
        assert!(ice.is_empty());
        assert_eq!(
            action_for(InterruptionEvent::StatusCheckFailure),
            InterruptionAction::ForcefulTermination
        );
        assert_eq!(
            action_for(InterruptionEvent::ScheduledChange),
            InterruptionAction::CordonAndDrain
        );
    }
}
