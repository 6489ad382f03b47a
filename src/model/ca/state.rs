//! What the cluster-autoscaler remembers between loops: per-group backoff,
//! open scale-up requests (for the provision timeout), unneeded-node timers
//! and the times of the last scale-up, deletion and failed scale-down.
//!
//! Backoff follows `utils/backoff/exponential_backoff.go` (reference §1.1):
//! 5 min after the first failure, doubled on each failure that happens while
//! *not* backed off, capped at 30 min; a failure while still backed off keeps
//! the duration; a failure more than 3 h after the previous one starts again
//! at 5 min. A scale-up request whose nodes all registered removes the
//! group's backoff (`clusterstate`'s `updateScaleRequests`).

use std::collections::BTreeMap;

use crate::model::cluster::ids::{GroupId, NodeId};
use crate::units::Nanos;

use super::config::CaConfig;
use super::snapshot::Snapshot;

/// One group's backoff (`exponentialBackoffInfo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The current backoff duration.
    pub duration_ns: Nanos,
    /// Backed off while `now < until_ns`.
    pub until_ns: Nanos,
    /// When the last failure happened.
    pub last_failure_ns: Nanos,
}

/// An open scale-up of one group (`ScaleUpRequest`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScaleUpRequest {
    /// Nodes asked for, summed over the scale-ups still open.
    pub increase: u32,
    /// When the latest scale-up of the group was asked for.
    pub requested_ns: Nanos,
    /// `requested_ns + max-node-provision-time`: later than this with nodes still upcoming is a failure.
    pub expected_add_ns: Nanos,
}

/// A scale-up that timed out: the simulation cancels the group's upcoming nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvisionFailure {
    /// The node group, now backed off.
    pub group: GroupId,
    /// Upcoming nodes to cancel (the snapshot's `upcoming`); CA deletes the unregistered instances.
    pub nodes: u32,
    /// Human-readable cause.
    pub reason: String,
}

/// The autoscaler's memory. Start with `CaState::default()`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaState {
    /// Backoff per group.
    pub backoff: BTreeMap<GroupId, Backoff>,
    /// Open scale-up requests per group.
    pub requests: BTreeMap<GroupId, ScaleUpRequest>,
    /// Since when each node has been continuously unneeded.
    pub unneeded_since: BTreeMap<NodeId, Nanos>,
    /// Last successful scale-up (`lastScaleUpTime`).
    pub last_scale_up_ns: Option<Nanos>,
    /// Last node deletion started (`lastScaleDownDeleteTime`).
    pub last_scale_down_delete_ns: Option<Nanos>,
    /// Last failed scale-down (`lastScaleDownFailTime`).
    pub last_scale_down_fail_ns: Option<Nanos>,
    /// A loop at this time deferred scale-up for young pods, so it skips scale-down too.
    pub scale_down_skipped_at_ns: Option<Nanos>,
}

impl CaState {
    /// Whether `group` is backed off at `now_ns` (`IsBackedOff`: `until > now`).
    pub fn is_backed_off(&self, group: GroupId, now_ns: Nanos) -> bool {
        self.backoff
            .get(&group)
            .is_some_and(|b| b.until_ns > now_ns)
    }

    /// Records a failed scale-up of `group` at `now_ns` and returns the end of the backoff.
    ///
    /// The simulation calls this directly when a launch fails fast (for example
    /// a spot `InsufficientInstanceCapacity` seen through the ASG's scaling
    /// activities, reference §1.2 step 7); timeouts call it through [`check_provisioning`].
    pub fn record_failed_scale_up(
        &mut self,
        cfg: &CaConfig,
        group: GroupId,
        now_ns: Nanos,
    ) -> Nanos {
        let duration_ns = match self.backoff.get(&group) {
            None => cfg.initial_backoff_ns,
            Some(b)
                if b.last_failure_ns
                    .saturating_add(cfg.backoff_reset_timeout_ns)
                    < now_ns =>
            {
                cfg.initial_backoff_ns
            }
            Some(b) if b.until_ns < now_ns => (2 * b.duration_ns).min(cfg.max_backoff_ns),
            Some(b) => b.duration_ns,
        };
        let until_ns = now_ns + duration_ns;
        self.backoff.insert(
            group,
            Backoff {
                duration_ns,
                until_ns,
                last_failure_ns: now_ns,
            },
        );
        self.requests.remove(&group);
        until_ns
    }

    /// Records a scale-up of `group` by `delta` nodes (`RegisterOrUpdateScaleUp`).
    pub fn record_scale_up(&mut self, cfg: &CaConfig, group: GroupId, delta: u32, now_ns: Nanos) {
        let req = self.requests.entry(group).or_insert(ScaleUpRequest {
            increase: 0,
            requested_ns: now_ns,
            expected_add_ns: now_ns,
        });
        req.increase += delta;
        req.requested_ns = now_ns;
        req.expected_add_ns = now_ns + cfg.max_node_provision_time_ns;
    }

    /// Records a failed scale-down (an eviction that did not go through):
    /// deletions pause for `--scale-down-delay-after-failure`.
    pub fn record_failed_scale_down(&mut self, now_ns: Nanos) {
        self.last_scale_down_fail_ns = Some(now_ns);
    }
}

/// Closes finished scale-up requests and fails timed-out ones; call once per
/// loop before [`super::scale_up`].
///
/// A group with no upcoming nodes has finished its scale-up: the request
/// closes and the group's backoff is removed. A group whose request is past
/// `expected_add_ns` (strictly: `ExpectedAddTime.Before(now)`) with nodes
/// still upcoming has failed: it is backed off and the simulation must cancel
/// the returned number of upcoming nodes.
pub fn check_provisioning(
    snap: &Snapshot,
    cfg: &CaConfig,
    state: &mut CaState,
    now_ns: Nanos,
) -> Vec<ProvisionFailure> {
    let name = |g: GroupId| snap.groups.get(g.index()).map_or("", |g| g.name());
    // In group-name order, so that the failures (and their events) come in a
    // stable order that does not depend on the groups' places in the spec.
    let mut open: Vec<(GroupId, ScaleUpRequest)> =
        state.requests.iter().map(|(&k, &v)| (k, v)).collect();
    open.sort_by(|a, b| name(a.0).cmp(name(b.0)));
    let mut failures = Vec::new();
    for (group, req) in open {
        let nodes = snap.groups.get(group.index()).map_or(0, |g| g.upcoming);
        if nodes == 0 {
            state.requests.remove(&group);
            state.backoff.remove(&group);
        } else if req.expected_add_ns < now_ns {
            let until = state.record_failed_scale_up(cfg, group, now_ns);
            failures.push(ProvisionFailure {
                reason: format!(
                    "{nodes} node(s) of {} not registered within max-node-provision-time; backed off until {until} ns",
                    name(group)
                ),
                group,
                nodes,
            });
        }
    }
    failures
}
