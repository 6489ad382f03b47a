//! Tests of the bill: a day's schedule priced by hand to the cent, and the edge rules.

use super::*;
use crate::spec::catalog::lookup;
use crate::spec::price::{
    EKS_CONTROL_PLANE_USD_PER_HOUR, EKS_EXTENDED_SUPPORT_USD_PER_HOUR, Pricing,
};
use CapacityType::{OnDemand, Reserved, Spot};

const S: Nanos = NANOS_PER_SEC;
const MIN: Nanos = 60 * S;
const H: Nanos = 3600 * S;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// Prices from the catalog: m5.xlarge $0.192/h on-demand; c5.2xlarge $0.34/h
/// at 65 % off = $0.119/h spot; r5.xlarge $0.252/h at 40 % reserved discount
/// = $0.1512/h.
fn prices() -> (f64, f64, f64) {
    let od = |name| Pricing::on_demand(lookup(name).unwrap().on_demand_usd_per_hour);
    let m5 = od("m5.xlarge").usd_per_hour(OnDemand);
    let c5 = od("c5.2xlarge").usd_per_hour(Spot);
    let r5 = Pricing {
        reserved_discount: 0.40,
        ..od("r5.xlarge")
    }
    .usd_per_hour(Reserved);
    assert!(close(m5, 0.192) && close(c5, 0.119) && close(r5, 0.1512));
    (m5, c5, r5)
}

/// The day: EKS control plane for 24 h and eight instances.
fn day() -> Bill {
    let (m5, c5, r5) = prices();
    let mut b = Bill::new(EKS_CONTROL_PLANE_USD_PER_HOUR, 0);
    // 1: on-demand all day.
    b.node_started(1, "general", OnDemand, m5, 0);
    b.node_stopped(1, 24 * H, false);
    // 2: on-demand for 30 s: billed the 60 s minimum.
    b.node_started(2, "general", OnDemand, m5, H);
    b.node_stopped(2, H + 30 * S, false);
    // 3: spot interrupted by AWS after 45 min: free.
    b.node_started(3, "compute", Spot, c5, 2 * H);
    b.node_stopped(3, 2 * H + 45 * MIN, true);
    // 4: spot interrupted by AWS after 61 min: charged for 61 min.
    b.node_started(4, "compute", Spot, c5, 2 * H);
    b.node_stopped(4, 3 * H + MIN, true);
    // 5: spot at an explicit $0.10/h, stopped by the user after 30 min.
    b.node_started(5, "compute", Spot, 0.10, 3 * H);
    b.node_stopped(5, 3 * H + 30 * MIN, false);
    // 6: reserved, still running when the bill is read.
    b.node_started(6, "memory", Reserved, r5, 0);
    // 7: on-demand for 90.5 s: billed 91 s (per second, rounded up).
    b.node_started(7, "general", OnDemand, m5, 5 * H);
    b.node_stopped(7, 5 * H + 90 * S + S / 2, false);
    // 8: spot terminated by the user after 45 min: charged (only AWS's reclaim is free).
    b.node_started(8, "compute", Spot, c5, 6 * H);
    b.node_stopped(8, 6 * H + 45 * MIN, false);
    b
}

#[test]
fn a_day_priced_by_hand_to_the_cent() {
    let control_plane = 0.10 * 24.0; // 2.40
    let n1 = 0.192 * 24.0; // 4.608
    let n2 = 0.192 * 60.0 / 3600.0; // 0.0032
    let n3 = 0.0;
    let n4 = 0.119 * 61.0 / 60.0; // 0.120983…
    let n5 = 0.10 * 0.5; // 0.05
    let n6 = 0.1512 * 24.0; // 3.6288
    let n7 = 0.192 * 91.0 / 3600.0; // 0.004853…
    let n8 = 0.119 * 0.75; // 0.08925
    let by_hand = control_plane + n1 + n2 + n3 + n4 + n5 + n6 + n7 + n8;
    assert!(close(by_hand, 10.905_086_666_666_667), "{by_hand}");

    let b = day();
    let total = b.total_usd(24 * H);
    assert!(close(total, by_hand), "{total} vs {by_hand}");
    assert_eq!((total * 100.0).round(), 1091.0); // $10.91
    for (node, want) in b.nodes().iter().zip([n1, n2, n3, n4, n5, n6, n7, n8]) {
        assert!(close(node.cost_usd(24 * H), want), "node {}", node.id);
    }
    assert_eq!(b.nodes()[1].billed_seconds(24 * H), 60);
    assert_eq!(b.nodes()[6].billed_seconds(24 * H), 91);
    assert_eq!(b.running_count(), 1);

    let d = b.breakdown(24 * H);
    assert!(close(d.total_usd, total));
    assert!(close(d.control_plane_usd, 2.40));
    assert!(close(d.nodes_usd, total - 2.40));
    let groups: Vec<&str> = d.by_group_usd.keys().map(String::as_str).collect();
    assert_eq!(groups, ["compute", "general", "memory"]);
    assert!(close(d.by_group_usd["general"], n1 + n2 + n7));
    assert!(close(d.by_group_usd["compute"], n4 + n5 + n8));
    assert!(close(d.by_group_usd["memory"], n6));
    assert!(close(d.by_capacity_usd[&OnDemand], n1 + n2 + n7));
    assert!(close(d.by_capacity_usd[&Spot], n4 + n5 + n8));
    assert!(close(d.by_capacity_usd[&Reserved], n6));
    assert!(close(
        d.node_hours_by_group["general"],
        24.0 + 30.0 / 3600.0 + 90.5 / 3600.0
    ));
    assert!(close(
        d.node_hours_by_group["compute"],
        0.75 + 61.0 / 60.0 + 0.5 + 0.75
    ));
    assert!(close(d.node_hours_by_group["memory"], 24.0));
    assert_eq!(d.free_spot_interruptions, 1);

    // Cost per million requests: 10 million requests → $1.0905… per million.
    let per_million = usd_per_million_requests(total, 10_000_000).unwrap();
    assert!(close(per_million, by_hand / 10.0));
}

#[test]
fn cumulative_cost_by_hand_and_never_decreasing() {
    let b = day();
    // At launch the 60 s minimums of nodes 1 and 6 are due: 0.192/60 + 0.1512/60.
    // At 2h30m: control plane 0.25; node 1 0.192 × 2.5 = 0.48; node 2 0.0032; node 3 free;
    // node 4 0.119 × 0.5 = 0.0595; node 6 0.1512 × 2.5 = 0.378.
    let got = b.cumulative_usd(&[0, 2 * H + 30 * MIN, 24 * H]);
    assert!(close(got[0], 0.0032 + 0.00252), "{}", got[0]);
    assert!(
        close(got[1], 0.25 + 0.48 + 0.0032 + 0.0595 + 0.378),
        "{}",
        got[1]
    );
    assert!(close(got[2], b.total_usd(24 * H)));
    let grid: Vec<Nanos> = (0..=24 * 60).map(|m| m * MIN).collect();
    let series = b.cumulative_usd(&grid);
    assert!(series.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn the_first_hour_rule_edges() {
    let mut b = Bill::new(0.0, 0);
    // Interrupted by AWS at exactly 60 min: no longer "in its first hour".
    b.node_started(1, "g", Spot, 0.119, 0);
    b.node_stopped(1, H, true);
    // Interrupted after 59 min 59.9 s: free.
    b.node_started(2, "g", Spot, 0.119, 0);
    b.node_stopped(2, H - S / 10, true);
    // An on-demand node lost to a failure is still charged, even if flagged.
    b.node_started(3, "g", OnDemand, 0.192, 0);
    b.node_stopped(3, 10 * MIN, true);
    assert!(close(b.nodes()[0].cost_usd(2 * H), 0.119));
    assert_eq!(b.nodes()[1].cost_usd(2 * H), 0.0);
    assert!(close(b.nodes()[2].cost_usd(2 * H), 0.032));
    assert_eq!(b.control_plane_usd(2 * H), 0.0);
    // Reading the bill before a launch charges nothing for it.
    b.node_started(4, "g", OnDemand, 0.192, 3 * H);
    assert_eq!(b.nodes()[3].cost_usd(2 * H), 0.0);
    // An id can be reused once its node has stopped.
    b.node_started(1, "g", OnDemand, 0.192, 3 * H);
    assert_eq!(b.running_count(), 2);
}

#[test]
fn the_control_plane_runs_from_the_start() {
    let b = Bill::new(EKS_EXTENDED_SUPPORT_USD_PER_HOUR, H);
    assert_eq!(b.total_usd(0), 0.0);
    assert!(close(b.total_usd(25 * H), 0.60 * 24.0));
}

#[test]
#[should_panic(expected = "node 9 stopped but not running")]
fn stopping_an_unknown_node_panics() {
    Bill::new(0.1, 0).node_stopped(9, S, false);
}

#[test]
#[should_panic(expected = "node 1 started twice")]
fn starting_a_running_node_twice_panics() {
    let mut b = Bill::new(0.1, 0);
    b.node_started(1, "g", OnDemand, 0.192, 0);
    b.node_started(1, "g", OnDemand, 0.192, S);
}

#[test]
fn per_million_requests() {
    assert_eq!(usd_per_million_requests(10.0, 0), None);
    assert_eq!(usd_per_million_requests(12.0, 4_000_000), Some(3.0));
}
