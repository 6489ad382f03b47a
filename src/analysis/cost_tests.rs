//! Unit tests of the profile bill ([`super::run_bill`], [`super::summarize`])
//! on hand-built run results, priced by hand from the published rules:
//! per second, a partial second rounded up, 60 s minimum, hourly list
//! price ÷ 3600 (docs/reference/nodes-spot-cost.md §4 "Billing rules");
//! m5.large $0.096/h and m5.xlarge $0.192/h on demand (§5.1); EKS control
//! plane $0.10 per cluster-hour (§4).

use super::*;
use crate::metrics::cluster::{ClusterResult, NodeRecord};
use crate::metrics::instances::{InstanceLog, InstanceStay};
use crate::metrics::{IntervalRow, LatencyHistogram, Outcomes, ReplicaStats, ServiceResult};

const S: Nanos = 1_000_000_000;

fn row(offered: u64) -> IntervalRow {
    IntervalRow {
        start_ns: 0,
        end_ns: 3600 * S,
        offered,
        completed: offered,
        rejected: 0,
        timed_out: 0,
        failed: 0,
        within_latency_target: offered,
        latency_p50_ms: None,
        latency_p99_ms: None,
        in_flight: 0,
        pods: 1,
        ready_pod_s: 3600.0,
        desired_replicas: 1,
        pending_replicas: 0,
        cpu_utilization: 0.0,
    }
}

fn service(name: &str, instances: Option<InstanceLog>, offered: u64) -> ServiceResult {
    ServiceResult {
        name: name.to_string(),
        outcomes: Outcomes::default(),
        within_latency_target: None,
        latency: LatencyHistogram::new(3600 * S),
        series: vec![row(offered)],
        replicas: ReplicaStats::new(0),
        instances,
    }
}

/// m5.large instances: one all hour; one of 30 s (billed the 60 s minimum);
/// one of 90.4 s (billed 91 s); 3600 + 60 + 91 = 3751 s.
fn m5_large_log() -> InstanceLog {
    InstanceLog {
        instance_type: "m5.large".into(),
        price_usd_per_hour: 0.096,
        stays: vec![
            InstanceStay {
                launched_ns: 0,
                stopped_ns: None,
            },
            InstanceStay {
                launched_ns: 600 * S,
                stopped_ns: Some(630 * S),
            },
            InstanceStay {
                launched_ns: 1000 * S,
                stopped_ns: Some(1090 * S + 400_000_000),
            },
        ],
    }
}

fn run(services: Vec<ServiceResult>, cluster: Option<ClusterResult>) -> RunResult {
    RunResult {
        profile: 0,
        replication: 0,
        services,
        events: 0,
        scaling_events: vec![],
        cluster,
    }
}

/// One m5.xlarge node all hour, group `general`, under an EKS control plane.
fn cluster() -> ClusterResult {
    ClusterResult {
        groups: vec!["general".into()],
        group_max: vec![3],
        series: vec![],
        nodes: vec![NodeRecord {
            group: 0,
            launched_ns: 0,
            stopped_ns: None,
            interrupted: false,
            capacity: CapacityType::OnDemand,
            price_usd_per_hour: 0.192,
            zone: "a".into(),
            instance_type: "m5.xlarge".into(),
        }],
        control_plane_usd_per_hour: 0.10,
        spot_interruptions: 0,
        pods_evicted: 0,
    }
}

#[test]
fn vm_instances_are_billed_per_second_with_the_60_s_minimum() {
    let r = run(vec![service("app", Some(m5_large_log()), 1000)], None);
    let (bill, nodes) = run_bill(&r);
    assert_eq!(nodes, 0);
    let secs: Vec<u64> = bill
        .nodes()
        .iter()
        .map(|c| c.billed_seconds(3600 * S))
        .collect();
    assert_eq!(secs, vec![3600, 60, 91]);
    let expected = 3751.0 * 0.096 / 3600.0; // $0.1000267
    assert!((bill.total_usd(3600 * S) - expected).abs() < 1e-12);
    let c = summarize(&[&r], 3600 * S).expect("a VM service is billed");
    assert_eq!(c.total, 0.1); // 0.1000267 to four decimals
    assert_eq!(c.control_plane, 0.0);
    assert!(c.by_group.is_empty());
    assert_eq!(c.by_service.get("app"), Some(&0.1));
    assert_eq!(c.by_capacity.get("on-demand"), Some(&0.1));
    // $0.1000267 over 1000 requests = $100.0267 per million.
    assert_eq!(c.per_million_requests, Some(100.0267));
}

#[test]
fn nodes_vm_instances_and_control_plane_add_up() {
    // Control plane 0.10 + node 0.192 + instances 0.1000267 = $0.3920267,
    // two identical replications (the mean is the same), 10⁶ requests each.
    let r = || {
        run(
            vec![
                service("web", None, 500_000),
                service("app", Some(m5_large_log()), 500_000),
            ],
            Some(cluster()),
        )
    };
    let (a, b) = (r(), r());
    let c = summarize(&[&a, &b], 3600 * S).expect("billed");
    assert_eq!(c.total, 0.392);
    assert_eq!(c.control_plane, 0.1);
    assert_eq!(c.by_group.get("general"), Some(&0.192));
    assert_eq!(c.by_service.len(), 1);
    assert_eq!(c.by_service.get("app"), Some(&0.1));
    assert_eq!(c.by_capacity.get("on-demand"), Some(&0.292)); // 0.192 + 0.1000267
    // $0.7840533 over 2 × 10⁶ requests.
    assert_eq!(c.per_million_requests, Some(0.392));
}

#[test]
fn nothing_billed_without_cluster_or_vm() {
    let r = run(vec![service("web", None, 10)], None);
    assert_eq!(summarize(&[&r], 3600 * S), None);
}
