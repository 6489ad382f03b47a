//! The cluster's figures of one profile: nodes, node-hours, headroom, cost.
//!
//! Node-hours count each node from launch to termination (or the end of the
//! run), over the whole run as the bill does. The node counts and headroom
//! cover the intervals that end after the warmup. Cluster resource headroom
//! is 1 − requested ÷ allocatable over Ready nodes (DESIGN §3.12 a), given
//! at its minimum and at the peak (the interval with the most offered
//! requests, all services).

use crate::metrics::RunResult;
use crate::metrics::bill::usd_per_million_requests;
use crate::spec::resources::CapacityType;
use crate::units::Nanos;
use serde::Serialize;
use std::collections::BTreeMap;

/// Nodes of a profile.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NodesSummary {
    /// Most nodes (Ready or launching) at an interval's end, any replication.
    pub max: u32,
    /// Mean nodes over the run (node-hours ÷ hours), mean over replications.
    pub mean: f64,
    /// Node-hours per node group, mean per replication.
    pub node_hours: BTreeMap<String, f64>,
    /// Scaling headroom per node group: its max size minus the most nodes it had (any replication).
    pub headroom_to_max: BTreeMap<String, u32>,
}

/// Cluster resource headroom of a profile (shares of allocatable left unrequested).
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct HeadroomSummary {
    /// Lowest CPU headroom of any interval, any replication.
    pub cpu_min: f64,
    /// Lowest memory headroom.
    pub memory_min: f64,
    /// CPU headroom at the peak, mean over replications.
    pub cpu_at_peak: f64,
    /// Memory headroom at the peak, mean over replications.
    pub memory_at_peak: f64,
}

/// What a profile costs, mean per replication (US dollars).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CostSummary {
    /// Everything: nodes and the control plane.
    pub total: f64,
    /// The EKS control plane.
    pub control_plane: f64,
    /// Instances per node group.
    pub by_group: BTreeMap<String, f64>,
    /// Instances per `platform: vm` service (absent when there is none).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub by_service: BTreeMap<String, f64>,
    /// Instances per capacity type (`on-demand`, `spot`, `reserved`).
    pub by_capacity: BTreeMap<String, f64>,
    /// Total ÷ millions of requests offered over the whole run.
    pub per_million_requests: Option<f64>,
}

/// Cluster resource headroom of one interval: 1 − requested ÷ allocatable
/// (0 when nothing is allocatable).
pub fn headroom(requested: i64, allocatable: i64) -> f64 {
    if allocatable > 0 {
        1.0 - requested as f64 / allocatable as f64
    } else {
        0.0
    }
}

/// The cluster part of a profile's summary.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ClusterSummary {
    /// Nodes.
    pub nodes: NodesSummary,
    /// Resource headroom.
    pub headroom: HeadroomSummary,
    /// The bill.
    pub cost_usd: CostSummary,
    /// Spot interruptions.
    pub spot: SpotSummary,
}

/// Spot interruptions of a profile, mean per replication.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct SpotSummary {
    /// Interruption notices.
    pub interruptions: f64,
    /// Pods evicted by them.
    pub pods_evicted: f64,
}

/// The name of a capacity type in outputs.
pub fn capacity_name(c: CapacityType) -> &'static str {
    match c {
        CapacityType::OnDemand => "on-demand",
        CapacityType::Spot => "spot",
        CapacityType::Reserved => "reserved",
    }
}

/// Rounds US dollars to the cent's hundredth.
fn usd(v: f64) -> f64 {
    (v * 1e4).round() / 1e4
}

/// The mean bill of `runs`, charged up to `duration_ns`.
fn cost(runs: &[&RunResult], duration_ns: Nanos) -> CostSummary {
    let n = runs.len().max(1) as f64;
    let mut out = CostSummary {
        total: 0.0,
        control_plane: 0.0,
        by_group: BTreeMap::new(),
        by_service: BTreeMap::new(),
        by_capacity: BTreeMap::new(),
        per_million_requests: None,
    };
    let (mut total, mut requests) = (0.0, 0u64);
    for run in runs {
        let Some(c) = &run.cluster else { continue };
        let b = c.bill().breakdown(duration_ns);
        total += b.total_usd;
        out.control_plane += b.control_plane_usd / n;
        for g in &c.groups {
            *out.by_group.entry(g.clone()).or_insert(0.0) +=
                b.by_group_usd.get(g).copied().unwrap_or(0.0) / n;
        }
        for (cap, v) in &b.by_capacity_usd {
            *out.by_capacity
                .entry(capacity_name(*cap).to_string())
                .or_insert(0.0) += v / n;
        }
        requests += run
            .services
            .iter()
            .flat_map(|s| &s.series)
            .map(|r| r.offered)
            .sum::<u64>();
    }
    out.total = usd(total / n);
    out.control_plane = usd(out.control_plane);
    out.per_million_requests = usd_per_million_requests(total, requests).map(usd);
    out.by_group = out.by_group.into_iter().map(|(k, v)| (k, usd(v))).collect();
    out.by_capacity = out
        .by_capacity
        .into_iter()
        .map(|(k, v)| (k, usd(v)))
        .collect();
    out
}

fn round4(v: f64) -> f64 {
    (v * 1e4).round() / 1e4
}

/// The cluster summary of `runs` (one profile), if they have a cluster.
pub fn summarize(
    runs: &[&RunResult],
    duration_ns: Nanos,
    warmup_ns: Nanos,
) -> Option<ClusterSummary> {
    let first = runs.first()?.cluster.as_ref()?;
    let n = runs.len() as f64;
    let mut node_hours: BTreeMap<String, f64> =
        first.groups.iter().map(|g| (g.clone(), 0.0)).collect();
    let mut max = 0;
    let mut peak_by_group = vec![0u32; first.groups.len()];
    let (mut cpu_min, mut mem_min) = (f64::INFINITY, f64::INFINITY);
    let (mut cpu_peak, mut mem_peak) = (0.0, 0.0);
    for run in runs {
        let Some(c) = &run.cluster else { continue };
        for node in &c.nodes {
            let end = node.stopped_ns.unwrap_or(duration_ns).min(duration_ns);
            let hours = end.saturating_sub(node.launched_ns) as f64 / 3.6e12;
            *node_hours
                .get_mut(&c.groups[node.group as usize])
                .expect("known group") += hours / n;
        }
        let mut peak: Option<(u64, f64, f64)> = None;
        for (i, row) in c
            .series
            .iter()
            .enumerate()
            .filter(|(_, r)| r.end_ns > warmup_ns)
        {
            max = max.max(row.nodes.iter().map(|(r, l)| r + l).sum::<u32>());
            for (g, (r, l)) in row.nodes.iter().enumerate() {
                peak_by_group[g] = peak_by_group[g].max(r + l);
            }
            let cpu = headroom(row.requested.cpu_milli, row.allocatable.cpu_milli);
            let mem = headroom(row.requested.memory_bytes, row.allocatable.memory_bytes);
            cpu_min = cpu_min.min(cpu);
            mem_min = mem_min.min(mem);
            let offered: u64 = run
                .services
                .iter()
                .filter_map(|s| s.series.get(i))
                .map(|r| r.offered)
                .sum();
            if peak.is_none_or(|(o, _, _)| offered > o) {
                peak = Some((offered, cpu, mem));
            }
        }
        if let Some((_, cpu, mem)) = peak {
            cpu_peak += cpu / n;
            mem_peak += mem / n;
        }
    }
    let hours = duration_ns as f64 / 3.6e12;
    let total: f64 = node_hours.values().sum();
    Some(ClusterSummary {
        nodes: NodesSummary {
            max,
            mean: round4(total / hours),
            node_hours: node_hours
                .into_iter()
                .map(|(g, h)| (g, round4(h)))
                .collect(),
            headroom_to_max: first
                .groups
                .iter()
                .zip(&first.group_max)
                .zip(&peak_by_group)
                // Karpenter pools have no node-count maximum (their limits are CPU and memory).
                .filter(|((_, max), _)| **max != u32::MAX)
                .map(|((g, max), peak)| (g.clone(), max.saturating_sub(*peak)))
                .collect(),
        },
        headroom: HeadroomSummary {
            cpu_min: round4(if cpu_min.is_finite() { cpu_min } else { 0.0 }),
            memory_min: round4(if mem_min.is_finite() { mem_min } else { 0.0 }),
            cpu_at_peak: round4(cpu_peak),
            memory_at_peak: round4(mem_peak),
        },
        cost_usd: cost(runs, duration_ns),
        spot: SpotSummary {
            interruptions: round4(
                runs.iter()
                    .filter_map(|r| r.cluster.as_ref())
                    .map(|c| c.spot_interruptions as f64)
                    .sum::<f64>()
                    / n,
            ),
            pods_evicted: round4(
                runs.iter()
                    .filter_map(|r| r.cluster.as_ref())
                    .map(|c| c.pods_evicted as f64)
                    .sum::<f64>()
                    / n,
            ),
        },
    })
}
