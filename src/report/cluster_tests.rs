//! Byte-exact tests of `cluster.csv` on hand-built run results: the header
//! with two columns per node group (quoted when the name has a comma),
//! resources in cores and GiB to 3 decimals, headroom and cumulative cost
//! to 4, profile names, and no file without a cluster.
//!
//! The cost column is the bill read at the interval's end, priced by hand
//! from the published rules (docs/reference/nodes-spot-cost.md §4): per
//! second, 60 s minimum; spot reclaimed by EC2 in its first hour is free;
//! EKS control plane $0.10 per hour.

use super::*;
use crate::metrics::RunResult;
use crate::metrics::cluster::{ClusterResult, ClusterRow, NodeRecord};
use crate::spec::resources::{CapacityType, Resources};

const S: u64 = 1_000_000_000;
const MIB: i64 = 1 << 20;

fn node(group: u32, capacity: CapacityType, price: f64, launched_s: u64) -> NodeRecord {
    NodeRecord {
        group,
        launched_ns: launched_s * S,
        stopped_ns: None,
        interrupted: false,
        capacity,
        price_usd_per_hour: price,
        zone: "us-east-1a".into(),
        instance_type: "m5.xlarge".into(),
    }
}

fn resources(cpu_milli: i64, memory_bytes: i64) -> Resources {
    Resources {
        cpu_milli,
        memory_bytes,
        pods: 0,
    }
}

fn run(profile: u32, replication: u32, cluster: Option<ClusterResult>) -> RunResult {
    RunResult {
        profile,
        replication,
        services: vec![],
        events: 0,
        scaling_events: vec![],
        cluster,
    }
}

fn cluster() -> ClusterResult {
    // Node 1: spot at $0.12/h, launched at 30 s, reclaimed by EC2 at 100 s
    // (its first hour: free, at every point of the series).
    let mut reclaimed = node(1, CapacityType::Spot, 0.12, 30);
    (reclaimed.stopped_ns, reclaimed.interrupted) = (Some(100 * S), true);
    ClusterResult {
        groups: vec!["general".into(), "spot,c5".into()],
        group_max: vec![3, 10],
        series: vec![
            ClusterRow {
                start_ns: 0,
                end_ns: 60 * S,
                nodes: vec![(1, 0), (2, 1)],
                pending_pods: 3,
                // 1.5 cores, 1.5 GiB of 3.92 cores, 14162 MiB (13.830078125 GiB).
                requested: resources(1500, 1536 * MIB),
                allocatable: resources(3920, 14162 * MIB),
            },
            ClusterRow {
                start_ns: 60 * S,
                end_ns: 120 * S,
                nodes: vec![(1, 0), (1, 0)],
                pending_pods: 0,
                requested: resources(0, 0),
                allocatable: resources(0, 0),
            },
        ],
        nodes: vec![
            node(0, CapacityType::OnDemand, 0.192, 0),
            reclaimed,
            node(1, CapacityType::Spot, 0.12, 0),
        ],
        control_plane_usd_per_hour: 0.10,
        spot_interruptions: 1,
        pods_evicted: 0,
    }
}

#[test]
fn cluster_rows_byte_for_byte() {
    let mut other = cluster();
    other.series.truncate(1);
    let runs = [run(0, 0, Some(cluster())), run(1, 2, Some(other))];
    let bytes = cluster_csv(&runs, &["default", "spot-heavy"]).expect("a cluster");
    // Headroom: CPU 1 − 1500/3920 = 0.61735; memory 1 − 1.5/13.830078 = 0.89154;
    // none allocatable: 0. Cost at 60 s: (0.10 + 0.192 + 0.12) × 60/3600 =
    // $0.0068667; at 120 s: $0.0137333 (the reclaimed spot node is free).
    let expected = "profile,replication,interval_start_s,interval_end_s,pending_pods,cpu_requested_cores,cpu_allocatable_cores,memory_requested_gib,memory_allocatable_gib,headroom_cpu,headroom_memory,cost_usd,nodes_ready.general,nodes_launching.general,\"nodes_ready.spot,c5\",\"nodes_launching.spot,c5\"\n\
        default,0,0.000,60.000,3,1.500,3.920,1.500,13.830,0.6173,0.8915,0.0069,1,0,2,1\n\
        default,0,60.000,120.000,0,0.000,0.000,0.000,0.000,0.0000,0.0000,0.0137,1,0,1,0\n\
        spot-heavy,2,0.000,60.000,3,1.500,3.920,1.500,13.830,0.6173,0.8915,0.0069,1,0,2,1\n";
    assert_eq!(String::from_utf8(bytes).unwrap(), expected);
}

#[test]
fn no_cluster_no_file() {
    assert_eq!(cluster_csv(&[run(0, 0, None)], &["default"]), None);
    assert_eq!(cluster_csv(&[], &["default"]), None);
}
