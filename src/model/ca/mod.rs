//! The Kubernetes cluster-autoscaler's decision logic (CA 1.36.1), as pure
//! functions over a [`Snapshot`] of the cluster and the autoscaler's own
//! memory ([`CaState`]).
//!
//! No I/O, no events, no clock: the simulation fills a [`Snapshot`] every
//! `--scan-interval` and calls [`run_loop`] (or its three steps
//! [`check_provisioning`], [`scale_up`], [`scale_down`] in that order), then
//! carries out the decisions. Randomness only enters through the `rng` given
//! to the `random` expander. Facts and defaults:
//! `docs/reference/nodes-spot-cost.md` §1–§2; what is simplified:
//! `docs/cluster-autoscaler.md`.

mod config;
mod expander;
mod fit;
mod scale_down;
mod scale_up;
mod snapshot;
mod state;

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests_down;
#[cfg(test)]
mod tests_expander;
#[cfg(test)]
mod tests_placement;
#[cfg(test)]
mod tests_up;
#[cfg(test)]
mod tests_utilization;

pub use config::{CaConfig, Expander, PodPricing, parse_expanders};
pub use expander::{ScaleUpOption, choose, least_waste_score, preferred_node_cores, price_score};
pub use scale_down::{ScaleDownDecision, cooldown, scale_down, update_unneeded};
pub use scale_up::{
    ALWAYS_IGNORED_LABELS, ScaleUpDecision, balance, scale_up, similar, unschedulable_pods,
};
pub use snapshot::{GroupView, NodePod, NodeView, PendingPod, PodKind, Snapshot};
pub use state::{Backoff, CaState, ProvisionFailure, ScaleUpRequest, check_provisioning};

use rand::Rng;

use crate::units::Nanos;

/// Everything one autoscaler loop decided.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LoopOutcome {
    /// Timed-out scale-ups: cancel that many upcoming nodes of each group.
    pub failures: Vec<ProvisionFailure>,
    /// The scale-up, if any.
    pub scale_up: Option<ScaleUpDecision>,
    /// Nodes to delete (empty) or drain then delete.
    pub scale_down: Vec<ScaleDownDecision>,
}

/// One `RunOnce`: provision timeouts, then scale-up; a loop that scales up
/// returns before scale-down (`static_autoscaler.go`), otherwise scale-down runs.
pub fn run_loop(
    snap: &Snapshot,
    cfg: &CaConfig,
    state: &mut CaState,
    now_ns: Nanos,
    rng: &mut impl Rng,
) -> LoopOutcome {
    let failures = check_provisioning(snap, cfg, state, now_ns);
    let up = scale_up(snap, cfg, state, now_ns, rng);
    let down = if up.is_some() {
        Vec::new()
    } else {
        scale_down(snap, cfg, state, now_ns)
    };
    LoopOutcome {
        failures,
        scale_up: up,
        scale_down: down,
    }
}
