//! Karpenter's decisions as pure functions: batching pending pods,
//! provisioning the cheapest fitting nodes, consolidation under disruption
//! budgets, and the response to spot interruptions.
//!
//! Facts and defaults come from `docs/reference/nodes-spot-cost.md`
//! §3 (Karpenter v1.14.1), §4 (spot) and §5 (prices, allocatable); see
//! `docs/karpenter.md` for the rules and the simplifications. The NodePools
//! (their specs, resolved types, prices, disruption budgets and labels) are
//! [`crate::spec::node_pool`]. Nothing here
//! schedules events, reads files or keeps a clock: the simulation passes the
//! current time in and acts on the returned decisions.
//!
//! * [`batcher`]: the 1 s idle / 10 s max batching window.
//! * [`ice`]: the 3-minute insufficient-capacity (unavailable offerings) cache.
//! * [`schedule`]: the scheduling simulation shared by provisioning and consolidation.
//! * [`provision`](mod@provision): launch decisions for a batch of pending pods.
//! * [`budget`]: how many disruptions the budgets allow now.
//! * [`consolidate`](mod@consolidate): `WhenEmpty` / `WhenEmptyOrUnderutilized` consolidation.
//! * [`interruption`]: what an interruption event leads to.

pub mod batcher;
pub mod budget;
pub mod consolidate;
pub mod ice;
pub mod interruption;
pub mod provision;
pub mod schedule;

pub use batcher::Batcher;
pub use consolidate::{Consolidation, ConsolidationOptions, Disruption, consolidate};
pub use ice::IceCache;
pub use interruption::{InterruptionAction, InterruptionEvent, handle_interruption};
pub use provision::{Launch, ProvisionPlan, provision};
pub use schedule::ClusterNode;

use crate::units::{NANOS_PER_SEC, Nanos};

/// Batch idle window: the batch closes after 1 s without a new pending pod (`BATCH_IDLE_DURATION`, §3.1).
pub const BATCH_IDLE_NS: Nanos = NANOS_PER_SEC;
/// Batch maximum window: the batch closes 10 s after it opened (`BATCH_MAX_DURATION`, §3.1).
pub const BATCH_MAX_NS: Nanos = 10 * NANOS_PER_SEC;
/// How long an offering that failed with insufficient capacity stays unavailable: 3 min (`UnavailableOfferingsTTL`, §3.1).
pub const ICE_TTL_NS: Nanos = 180 * NANOS_PER_SEC;
/// Most instance types sent to CreateFleet for one NodeClaim (`maxInstanceTypes = 60`, §3.1).
pub const MAX_INSTANCE_TYPES: usize = 60;
/// Most candidates multi-node consolidation considers (§3.2).
pub const MULTI_NODE_MAX_CANDIDATES: usize = 100;
/// Cheaper instance types a single-node spot→spot replacement needs (`MinInstanceTypesForSpotToSpotConsolidation`, §3.2).
pub const MIN_TYPES_SPOT_TO_SPOT: usize = 15;
/// Delay before a computed consolidation command is re-validated and executed: 15 s (`commandValidationDelay`, §3.2).
pub const COMMAND_VALIDATION_DELAY_NS: Nanos = 15 * NANOS_PER_SEC;
/// Disruption controller polling period: 10 s (§3.2).
pub const DISRUPTION_POLL_NS: Nanos = 10 * NANOS_PER_SEC;
/// Spot interruption notice: 2 min before EC2 reclaims the instance (§4).
pub const SPOT_NOTICE_NS: Nanos = 120 * NANOS_PER_SEC;

#[cfg(test)]
pub(crate) mod test_support;
