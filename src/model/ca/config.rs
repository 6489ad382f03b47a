//! The cluster-autoscaler's options with CA 1.36.1's defaults. The expander
//! chain is parsed once, by validation ([`crate::spec::expander`]).
//!
//! Every field names its flag. Defaults are from
//! `docs/reference/nodes-spot-cost.md` §1.1 (`config/flags/flags.go`,
//! `config/const.go`) and §2 (expanders).

use std::collections::BTreeMap;

pub use crate::spec::expander::{Expander, parse_expanders};
use crate::units::{NANOS_PER_SEC, Nanos};

/// One minute in nanoseconds.
const MINUTE_NS: Nanos = 60 * NANOS_PER_SEC;

/// How the `price` expander prices pods (`PricingModel.PodPrice`).
///
/// Not in the reference: AWS has no pricing model in CA (reference §2, `--expander=price`
/// is fatal there), so capsim prices a pod's requests per core-hour and per
/// GiB-hour. The defaults are capsim's own, roughly m5's on-demand price split
/// between vCPU and memory; set them to taste.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PodPricing {
    /// US dollars per requested CPU core per hour.
    pub usd_per_core_hour: f64,
    /// US dollars per requested GiB of memory per hour.
    pub usd_per_gib_hour: f64,
}

impl Default for PodPricing {
    fn default() -> Self {
        PodPricing {
            usd_per_core_hour: 0.033,
            usd_per_gib_hour: 0.0044,
        }
    }
}

/// The cluster-autoscaler's options (reference §1.1, "Summary of defaults").
#[derive(Debug, Clone, PartialEq)]
pub struct CaConfig {
    /// `--scan-interval`: main loop period (10 s).
    pub scan_interval_ns: Nanos,
    /// `--scale-down-enabled` (true).
    pub scale_down_enabled: bool,
    /// `--scale-down-delay-after-add`: no deletions this long after a scale-up (10 min).
    pub scale_down_delay_after_add_ns: Nanos,
    /// `--scale-down-delay-after-delete` (0 s: the next loop, one scan interval later, may delete again).
    pub scale_down_delay_after_delete_ns: Nanos,
    /// `--scale-down-delay-after-failure` (3 min).
    pub scale_down_delay_after_failure_ns: Nanos,
    /// `--scale-down-unneeded-time`: a Ready node must be unneeded longer than this (10 min).
    pub scale_down_unneeded_time_ns: Nanos,
    /// `--scale-down-unready-time`: the same for NotReady nodes (20 min).
    pub scale_down_unready_time_ns: Nanos,
    /// `--scale-down-unready-enabled` (true).
    pub scale_down_unready_enabled: bool,
    /// `--scale-down-utilization-threshold`: candidate if max(cpu, mem) utilisation ≤ this (0.5).
    pub scale_down_utilization_threshold: f64,
    /// `--ignore-daemonsets-utilization` (false): leave DaemonSet pods out of a
    /// node's utilisation, and their requests out of its allocatable.
    pub ignore_daemonsets_utilization: bool,
    /// `--max-scale-down-parallelism` (formerly `--max-empty-bulk-delete`): most deletions at once (10).
    pub max_scale_down_parallelism: u32,
    /// `--max-drain-parallelism`: most non-empty nodes drained at once (1).
    pub max_drain_parallelism: u32,
    /// `--max-node-provision-time`: an unregistered requested node is a failed scale-up after this (15 min).
    pub max_node_provision_time_ns: Nanos,
    /// `--max-graceful-termination-sec`: cap on a pod's grace period during a drain (600 s).
    /// Not used by the decisions; the simulation applies it when it drains.
    pub max_graceful_termination_ns: Nanos,
    /// `--max-pod-eviction-time`: how long evictions are retried (2 min). Used by the simulation's drain.
    pub max_pod_eviction_time_ns: Nanos,
    /// `--new-pod-scale-up-delay`: pending pods younger than this are ignored (0 s).
    pub new_pod_scale_up_delay_ns: Nanos,
    /// Hard-coded `unschedulablePodTimeBuffer`: if every pending pod is younger, skip scale-up (and scale-down) this loop (2 s).
    pub unschedulable_pod_time_buffer_ns: Nanos,
    /// `--balance-similar-node-groups` (false).
    pub balance_similar_node_groups: bool,
    /// `--memory-difference-ratio`: largest relative memory *capacity* difference of similar groups (0.015).
    pub memory_difference_ratio: f64,
    /// `--max-allocatable-difference-ratio`: largest relative allocatable difference of similar groups (0.05).
    pub max_allocatable_difference_ratio: f64,
    /// Labels ignored when comparing groups for balancing (`--balancing-ignore-label`), besides zone and hostname.
    pub balancing_ignore_labels: Vec<String>,
    /// `--expander`: the chain, applied in order, random after the last (least-waste).
    pub expanders: Vec<Expander>,
    /// The priority expander's ConfigMap, here group name → priority (higher wins).
    pub priorities: BTreeMap<String, i64>,
    /// How the price expander prices pods.
    pub pod_pricing: PodPricing,
    /// `--max-nodes-per-scaleup` (1000).
    pub max_nodes_per_scaleup: u32,
    /// `--max-nodes-total`: cluster-wide node cap, 0 = unlimited (0).
    pub max_nodes_total: u32,
    /// Upper bound of `--cores-total` (320 000 cores).
    pub max_cores_total: i64,
    /// Upper bound of `--memory-total`, GiB (6 400 000).
    pub max_memory_total_gib: i64,
    /// `--initial-node-group-backoff-duration` (5 min).
    pub initial_backoff_ns: Nanos,
    /// `--max-node-group-backoff-duration` (30 min).
    pub max_backoff_ns: Nanos,
    /// `--node-group-backoff-reset-timeout`: the backoff restarts at the initial duration after this long without failures (3 h).
    pub backoff_reset_timeout_ns: Nanos,
}

impl Default for CaConfig {
    fn default() -> Self {
        CaConfig {
            scan_interval_ns: 10 * NANOS_PER_SEC,
            scale_down_enabled: true,
            scale_down_delay_after_add_ns: 10 * MINUTE_NS,
            scale_down_delay_after_delete_ns: 0,
            scale_down_delay_after_failure_ns: 3 * MINUTE_NS,
            scale_down_unneeded_time_ns: 10 * MINUTE_NS,
            scale_down_unready_time_ns: 20 * MINUTE_NS,
            scale_down_unready_enabled: true,
            scale_down_utilization_threshold: 0.5,
            ignore_daemonsets_utilization: false,
            max_scale_down_parallelism: 10,
            max_drain_parallelism: 1,
            max_node_provision_time_ns: 15 * MINUTE_NS,
            max_graceful_termination_ns: 600 * NANOS_PER_SEC,
            max_pod_eviction_time_ns: 2 * MINUTE_NS,
            new_pod_scale_up_delay_ns: 0,
            unschedulable_pod_time_buffer_ns: 2 * NANOS_PER_SEC,
            balance_similar_node_groups: false,
            memory_difference_ratio: 0.015,
            max_allocatable_difference_ratio: 0.05,
            balancing_ignore_labels: Vec::new(),
            expanders: vec![Expander::LeastWaste],
            priorities: BTreeMap::new(),
            pod_pricing: PodPricing::default(),
            max_nodes_per_scaleup: 1000,
            max_nodes_total: 0,
            max_cores_total: 320_000,
            max_memory_total_gib: 6_400_000,
            initial_backoff_ns: 5 * MINUTE_NS,
            max_backoff_ns: 30 * MINUTE_NS,
            backoff_reset_timeout_ns: 180 * MINUTE_NS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_reference() {
        let c = CaConfig::default();
        assert_eq!(c.scan_interval_ns, 10_000_000_000);
        assert_eq!(c.scale_down_unneeded_time_ns, 600_000_000_000);
        assert_eq!(c.scale_down_delay_after_add_ns, 600_000_000_000);
        assert_eq!(c.scale_down_delay_after_failure_ns, 180_000_000_000);
        assert_eq!(c.max_node_provision_time_ns, 900_000_000_000);
        assert_eq!(c.max_scale_down_parallelism, 10);
        assert_eq!(c.max_drain_parallelism, 1);
        assert_eq!(c.expanders, vec![Expander::LeastWaste]);
        assert!(!c.balance_similar_node_groups);
    }
}
