//! The whole bill of a profile: cluster nodes, the EC2 instances of
//! `platform: vm` services, and the control plane, mean per replication.
//!
//! Nodes and VM instances are billed alike (`metrics::bill`, docs/cost.md):
//! per second with a 60 s minimum at their hourly price, from launch to
//! termination or the end of the run. A VM instance is bought on demand at
//! its instance type's catalog price (docs/reference/nodes-spot-cost.md
//! §4 "Billing rules", §5.1). The profile's `cost_usd` gives the total,
//! node groups (`by_group`), VM services (`by_service`), capacity types
//! and the cost per million requests; `cluster.cost_usd` keeps the
//! cluster's part alone.

use super::cluster::{CostSummary, capacity_name};
use crate::metrics::RunResult;
use crate::metrics::bill::{Bill, usd_per_million_requests};
use crate::spec::resources::CapacityType;
use crate::units::Nanos;
use std::collections::BTreeMap;

/// Rounds US dollars to the cent's hundredth.
fn usd(v: f64) -> f64 {
    (v * 1e4).round() / 1e4
}

/// One run's bill: its cluster's nodes (ids from 0, in launch order), then
/// every VM service's instances (group = the service's name); the second
/// value is how many of the charges are cluster nodes.
pub fn run_bill(run: &RunResult) -> (Bill, usize) {
    let mut bill = match &run.cluster {
        Some(c) => c.bill(),
        None => Bill::new(0.0, 0),
    };
    let nodes = bill.nodes().len();
    let mut id = nodes as u64;
    for s in &run.services {
        let Some(log) = &s.instances else { continue };
        for stay in &log.stays {
            bill.node_started(
                id,
                &s.name,
                CapacityType::OnDemand,
                log.price_usd_per_hour,
                stay.launched_ns,
            );
            if let Some(t) = stay.stopped_ns {
                bill.node_stopped(id, t, false);
            }
            id += 1;
        }
    }
    (bill, nodes)
}

/// The mean bill of `runs` (one profile) read at `duration_ns`; `None` when
/// nothing is billed (no cluster and no VM service).
pub fn summarize(runs: &[&RunResult], duration_ns: Nanos) -> Option<CostSummary> {
    let billed =
        |r: &&RunResult| r.cluster.is_some() || r.services.iter().any(|s| s.instances.is_some());
    if !runs.iter().any(billed) {
        return None;
    }
    let n = runs.len().max(1) as f64;
    let mut by_group: BTreeMap<String, f64> = BTreeMap::new();
    let mut by_service: BTreeMap<String, f64> = BTreeMap::new();
    let mut by_capacity: BTreeMap<String, f64> = BTreeMap::new();
    let (mut total, mut control_plane, mut requests) = (0.0, 0.0, 0u64);
    for run in runs {
        let (bill, nodes) = run_bill(run);
        if let Some(c) = &run.cluster {
            for g in &c.groups {
                by_group.entry(g.clone()).or_insert(0.0);
            }
        }
        for s in run.services.iter().filter(|s| s.instances.is_some()) {
            by_service.entry(s.name.clone()).or_insert(0.0);
        }
        for (i, charge) in bill.nodes().iter().enumerate() {
            let v = charge.cost_usd(duration_ns);
            let part = if i < nodes {
                &mut by_group
            } else {
                &mut by_service
            };
            *part.entry(charge.group.clone()).or_insert(0.0) += v / n;
            *by_capacity
                .entry(capacity_name(charge.capacity).to_string())
                .or_insert(0.0) += v / n;
        }
        total += bill.total_usd(duration_ns);
        control_plane += bill.control_plane_usd(duration_ns) / n;
        requests += run
            .services
            .iter()
            .flat_map(|s| &s.series)
            .map(|r| r.offered)
            .sum::<u64>();
    }
    let rounded = |m: BTreeMap<String, f64>| m.into_iter().map(|(k, v)| (k, usd(v))).collect();
    Some(CostSummary {
        total: usd(total / n),
        control_plane: usd(control_plane),
        by_group: rounded(by_group),
        by_service: rounded(by_service),
        by_capacity: rounded(by_capacity),
        per_million_requests: usd_per_million_requests(total, requests).map(usd),
    })
}

#[cfg(test)]
#[path = "cost_tests.rs"]
mod tests;
