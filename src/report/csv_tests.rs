//! Byte-exact tests of `timeseries.csv` and `events.csv` on hand-built run
//! results: the header, number formatting (seconds to 3 decimals, rates
//! and ratios to 4), empty fields for missing latencies and for the SLO
//! columns without an SLO, quoting of commas and quotes, profile names.
//! Every expected line is written by hand from the row's fields.

use super::*;
use crate::metrics::{
    IntervalRow, LatencyHistogram, Outcomes, ReplicaStats, RunResult, ScalingEvent, ServiceResult,
};

const S: u64 = 1_000_000_000;

/// A row with the given counters; the rest is zero or empty.
fn row(start_ns: u64, end_ns: u64, offered: u64, completed: u64) -> IntervalRow {
    IntervalRow {
        start_ns,
        end_ns,
        offered,
        completed,
        rejected: 0,
        timed_out: 0,
        failed: 0,
        within_latency_target: completed,
        latency_p50_ms: None,
        latency_p99_ms: None,
        in_flight: 0,
        pods: 1,
        ready_pod_s: 0.0,
        desired_replicas: 1,
        pending_replicas: 0,
        cpu_utilization: 0.0,
    }
}

fn service(name: &str, series: Vec<IntervalRow>) -> ServiceResult {
    ServiceResult {
        name: name.to_string(),
        outcomes: Outcomes::default(),
        within_latency_target: None,
        latency: LatencyHistogram::new(S),
        series,
        replicas: ReplicaStats::new(0),
        instances: None,
    }
}

fn run(profile: u32, replication: u32, services: Vec<ServiceResult>) -> RunResult {
    RunResult {
        profile,
        replication,
        services,
        events: 0,
        scaling_events: vec![],
        cluster: None,
    }
}

const HEADER: &str = "profile,replication,service,interval_start_s,interval_end_s,offered_rps,completed_rps,rejected,timed_out,latency_p50_ms,latency_p99_ms,in_flight,pods,cpu_utilization,offered,failed,desired_replicas,pending_replicas,service_capacity_rps,service_headroom\n";

#[test]
fn timeseries_rows_byte_for_byte() {
    // checkout, interval 1: 120 offered in 60 s = 2 rps; 117 completed =
    // 1.95 rps; 2 Ready pods on average (120 pod-s / 60 s) at 10 rps each
    // = 20 rps of capacity, 20 / 2 − 1 = 9 headroom.
    let mut a = row(0, 60 * S, 120, 117);
    (a.rejected, a.timed_out, a.in_flight, a.pods) = (1, 2, 3, 2);
    (a.latency_p50_ms, a.cpu_utilization) = (Some(12.34561), 0.12344);
    (a.desired_replicas, a.pending_replicas, a.ready_pod_s) = (3, 1, 120.0);
    // Interval 2, a last partial one of 30.5 s: nothing offered (no
    // headroom), 61 completed = 2 rps, 61 pod-s / 30.5 s = 2 pods → 20 rps.
    let mut b = row(60 * S, 90 * S + S / 2, 0, 61);
    (b.latency_p50_ms, b.latency_p99_ms) = (Some(7.0), Some(250.5));
    (b.failed, b.pods, b.desired_replicas, b.cpu_utilization) = (4, 2, 2, 0.5);
    b.ready_pod_s = 61.0;
    // A service named with a comma, without an SLO: its capacity columns stay empty.
    let c = row(0, 60 * S, 6, 6);
    // Profile 1, one pod at 5 rps against 1 rps offered: headroom 4.
    let mut d = row(0, 60 * S, 60, 60);
    (d.ready_pod_s, d.cpu_utilization) = (60.0, 0.25);
    let runs = [
        run(
            0,
            1,
            vec![service("checkout", vec![a, b]), service("api,v2", vec![c])],
        ),
        run(1, 0, vec![service("checkout", vec![d])]),
    ];
    let bytes = timeseries_csv(
        &runs,
        &["default", "spot-heavy"],
        &[vec![Some(10.0), None], vec![Some(5.0)]],
    );
    let expected = String::from(HEADER)
        + "default,1,checkout,0.000,60.000,2.0000,1.9500,1,2,12.3456,,3,2,0.1234,120,0,3,1,20.0000,9.0000\n"
        + "default,1,checkout,60.000,90.500,0.0000,2.0000,0,0,7.0000,250.5000,0,2,0.5000,0,4,2,0,20.0000,\n"
        + "default,1,\"api,v2\",0.000,60.000,0.1000,0.1000,0,0,,,0,1,0.0000,6,0,1,0,,\n"
        + "spot-heavy,0,checkout,0.000,60.000,1.0000,1.0000,0,0,,,0,1,0.2500,60,0,1,0,5.0000,4.0000\n";
    assert_eq!(String::from_utf8(bytes).unwrap(), expected);
}

#[test]
fn timeseries_without_runs_is_the_header() {
    assert_eq!(timeseries_csv(&[], &["default"], &[]), HEADER.as_bytes());
    assert_eq!(HEADER.trim_end().split(',').collect::<Vec<_>>(), COLUMNS);
}

#[test]
fn events_rows_byte_for_byte() {
    let mut r = run(0, 1, vec![]);
    r.scaling_events = vec![
        ScalingEvent {
            at_ns: 405 * S + S / 4,
            target: "web".into(),
            source: "hpa",
            from: 2,
            to: 3,
            reason: "DesiredWithinRange".into(),
            metrics: "cpu=67".into(),
        },
        ScalingEvent {
            at_ns: 1800 * S + 1,
            target: "general".into(),
            source: "cluster-autoscaler",
            from: 1,
            to: 2,
            reason: "least-waste: \"general\", 2 pods".into(),
            metrics: String::new(),
        },
    ];
    let quiet = run(1, 0, vec![]);
    let bytes = events_csv(&[r, quiet], &["default", "spot-heavy"]);
    let expected = "profile,replication,time_s,target,source,from,to,reason,metrics\n\
        default,1,405.250,web,hpa,2,3,DesiredWithinRange,cpu=67\n\
        default,1,1800.000,general,cluster-autoscaler,1,2,\"least-waste: \"\"general\"\", 2 pods\",\n";
    assert_eq!(String::from_utf8(bytes).unwrap(), expected);
}
