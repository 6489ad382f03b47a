//! The bill of a run: per-node charges under AWS's billing rules, plus the
//! cluster's control plane, with breakdowns and cost over time.
//!
//! Rules (`docs/reference/nodes-spot-cost.md` §4, "Billing rules"):
//!
//! * Linux on-demand, reserved and spot instances are billed **per second with a
//!   60-second minimum**: a stay of d seconds is billed max(⌈d⌉, 60) seconds at
//!   the hourly price ÷ 3600.
//! * A spot instance **interrupted by EC2 within its first hour is free**; after
//!   the first hour it pays for the seconds used. One that *you* stop or
//!   terminate (scale-down, consolidation, the end of the run) always pays.
//! * The control plane (EKS: $0.10 per cluster-hour) is charged pro rata for
//!   the run's duration.
//!
//! The bill is computed from the final record: a spot instance that EC2 later
//! interrupts in its first hour contributes nothing at any time of
//! [`Bill::cumulative_usd`]. An instance still running when the bill is read
//! at `t` is billed as if stopped by the user at `t`, so cumulative cost never
//! decreases. Prices come from [`crate::spec::price`]; the bill is built
//! from a run's record ([`super::cluster::ClusterResult::bill`]).

use crate::spec::resources::CapacityType;
use crate::units::{NANOS_PER_SEC, Nanos};
use std::collections::BTreeMap;

/// The minimum billed per instance: 60 s.
pub const MINIMUM_BILLED_SECONDS: u64 = 60;

/// A spot instance EC2 interrupts before it has run this long is free: 1 hour.
pub const SPOT_FREE_IF_INTERRUPTED_WITHIN_NS: Nanos = 3600 * NANOS_PER_SEC;

/// Seconds in one hour.
const SECONDS_PER_HOUR: f64 = 3600.0;

/// One instance's stay, as the bill records it.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeCharge {
    /// The node's id (unique among running nodes).
    pub id: u64,
    /// Node group (or Karpenter NodePool, or VM pool).
    pub group: String,
    /// How it was bought.
    pub capacity: CapacityType,
    /// Its effective price, US dollars per hour.
    pub price_usd_per_hour: f64,
    /// When it was launched (billing starts).
    pub start_ns: Nanos,
    /// When it was terminated, if it has been.
    pub stop_ns: Option<Nanos>,
    /// Whether EC2 reclaimed it (a spot interruption) rather than the user.
    pub interrupted_by_aws: bool,
}

impl NodeCharge {
    /// Whether it costs nothing: spot, reclaimed by EC2 within its first hour.
    pub fn is_free(&self) -> bool {
        self.capacity == CapacityType::Spot
            && self.interrupted_by_aws
            && self
                .stop_ns
                .is_some_and(|s| s - self.start_ns < SPOT_FREE_IF_INTERRUPTED_WITHIN_NS)
    }

    /// How long it has run by `t_ns`, in nanoseconds.
    pub fn running_ns(&self, t_ns: Nanos) -> Nanos {
        let end = self.stop_ns.map_or(t_ns, |s| s.min(t_ns));
        end.saturating_sub(self.start_ns)
    }

    /// Seconds billed by `t_ns`: 0 before launch or if free, else max(⌈run⌉, 60).
    pub fn billed_seconds(&self, t_ns: Nanos) -> u64 {
        if t_ns < self.start_ns || self.is_free() {
            return 0;
        }
        self.running_ns(t_ns)
            .div_ceil(NANOS_PER_SEC)
            .max(MINIMUM_BILLED_SECONDS)
    }

    /// What it has cost by `t_ns`, US dollars.
    pub fn cost_usd(&self, t_ns: Nanos) -> f64 {
        self.price_usd_per_hour * self.billed_seconds(t_ns) as f64 / SECONDS_PER_HOUR
    }
}

/// A bill split every way the reports need.
#[derive(Debug, Clone, PartialEq)]
pub struct CostBreakdown {
    /// Everything, US dollars.
    pub total_usd: f64,
    /// The control plane, US dollars.
    pub control_plane_usd: f64,
    /// All instances, US dollars.
    pub nodes_usd: f64,
    /// Instances per group, US dollars (every group that ran a node).
    pub by_group_usd: BTreeMap<String, f64>,
    /// Instances per capacity type, US dollars (every type that ran a node).
    pub by_capacity_usd: BTreeMap<CapacityType, f64>,
    /// Hours run (not billed) per group.
    pub node_hours_by_group: BTreeMap<String, f64>,
    /// Spot instances EC2 reclaimed within their first hour (free).
    pub free_spot_interruptions: u32,
}

/// The bill of one run.
#[derive(Debug, Clone)]
pub struct Bill {
    /// Control plane price, US dollars per hour (0 without a managed cluster).
    control_plane_usd_per_hour: f64,
    /// When the run (and the control plane's charge) starts.
    start_ns: Nanos,
    /// Every stay, in launch order.
    nodes: Vec<NodeCharge>,
    /// Index into `nodes` of each running node, by id.
    running: BTreeMap<u64, usize>,
}

impl Bill {
    /// An empty bill whose control plane costs `control_plane_usd_per_hour` from `start_ns`.
    ///
    /// # Panics
    /// If the price is negative or not finite.
    pub fn new(control_plane_usd_per_hour: f64, start_ns: Nanos) -> Bill {
        assert!(
            control_plane_usd_per_hour.is_finite() && control_plane_usd_per_hour >= 0.0,
            "control plane price must be finite and not negative: {control_plane_usd_per_hour}"
        );
        Bill {
            control_plane_usd_per_hour,
            start_ns,
            nodes: Vec::new(),
            running: BTreeMap::new(),
        }
    }

    /// Node `id` of `group`, bought as `capacity` at `price_usd_per_hour`, launched at `t_ns`.
    ///
    /// # Panics
    /// If `id` is already running, or the price is negative or not finite.
    pub fn node_started(
        &mut self,
        id: u64,
        group: &str,
        capacity: CapacityType,
        price_usd_per_hour: f64,
        t_ns: Nanos,
    ) {
        assert!(
            price_usd_per_hour.is_finite() && price_usd_per_hour >= 0.0,
            "node {id}: price must be finite and not negative: {price_usd_per_hour}"
        );
        let index = self.nodes.len();
        let previous = self.running.insert(id, index);
        assert!(previous.is_none(), "node {id} started twice");
        self.nodes.push(NodeCharge {
            id,
            group: group.to_string(),
            capacity,
            price_usd_per_hour,
            start_ns: t_ns,
            stop_ns: None,
            interrupted_by_aws: false,
        });
    }

    /// Node `id` terminated at `t_ns`: by EC2 (a spot reclaim, at the end of
    /// its notice) if `by_aws_interruption`, otherwise by the user.
    ///
    /// # Panics
    /// If `id` is not running or `t_ns` is before its launch.
    pub fn node_stopped(&mut self, id: u64, t_ns: Nanos, by_aws_interruption: bool) {
        let index = self
            .running
            .remove(&id)
            .unwrap_or_else(|| panic!("node {id} stopped but not running"));
        let node = &mut self.nodes[index];
        assert!(t_ns >= node.start_ns, "node {id} stopped before it started");
        node.stop_ns = Some(t_ns);
        node.interrupted_by_aws = by_aws_interruption;
    }

    /// Every stay so far, in launch order.
    pub fn nodes(&self) -> &[NodeCharge] {
        &self.nodes
    }

    /// How many nodes are running.
    pub fn running_count(&self) -> usize {
        self.running.len()
    }

    /// The control plane's charge from the start to `t_ns`, US dollars (pro rata).
    pub fn control_plane_usd(&self, t_ns: Nanos) -> f64 {
        let secs = t_ns.saturating_sub(self.start_ns) as f64 / NANOS_PER_SEC as f64;
        self.control_plane_usd_per_hour * secs / SECONDS_PER_HOUR
    }

    /// All instances' charges by `t_ns`, US dollars.
    pub fn nodes_usd(&self, t_ns: Nanos) -> f64 {
        self.nodes.iter().map(|n| n.cost_usd(t_ns)).sum()
    }

    /// The whole bill read at `t_end`, US dollars.
    pub fn total_usd(&self, t_end: Nanos) -> f64 {
        self.control_plane_usd(t_end) + self.nodes_usd(t_end)
    }

    /// The cumulative bill at each of `times`, US dollars.
    pub fn cumulative_usd(&self, times: &[Nanos]) -> Vec<f64> {
        times.iter().map(|&t| self.total_usd(t)).collect()
    }

    /// The bill read at `t_end`, split by group and by capacity type.
    pub fn breakdown(&self, t_end: Nanos) -> CostBreakdown {
        let mut by_group_usd = BTreeMap::new();
        let mut by_capacity_usd = BTreeMap::new();
        let mut node_hours_by_group = BTreeMap::new();
        let mut free_spot_interruptions = 0;
        for n in &self.nodes {
            let usd = n.cost_usd(t_end);
            *by_group_usd.entry(n.group.clone()).or_insert(0.0) += usd;
            *by_capacity_usd.entry(n.capacity).or_insert(0.0) += usd;
            *node_hours_by_group.entry(n.group.clone()).or_insert(0.0) +=
                n.running_ns(t_end) as f64 / NANOS_PER_SEC as f64 / SECONDS_PER_HOUR;
            free_spot_interruptions += u32::from(n.is_free() && n.stop_ns <= Some(t_end));
        }
        let control_plane_usd = self.control_plane_usd(t_end);
        let nodes_usd = self.nodes_usd(t_end);
        CostBreakdown {
            total_usd: control_plane_usd + nodes_usd,
            control_plane_usd,
            nodes_usd,
            by_group_usd,
            by_capacity_usd,
            node_hours_by_group,
            free_spot_interruptions,
        }
    }
}

/// Cost per million requests: `cost_usd / requests × 10⁶`; `None` without requests.
pub fn usd_per_million_requests(cost_usd: f64, requests: u64) -> Option<f64> {
    (requests > 0).then(|| cost_usd / requests as f64 * 1e6)
}

#[cfg(test)]
#[path = "bill_tests.rs"]
mod tests;
