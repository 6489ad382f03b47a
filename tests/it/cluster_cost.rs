//! The bill of a deterministic hour, computed by hand from the published
//! prices (us-east-1 on-demand: m5.large $0.096/h, r5.xlarge $0.252/h,
//! c5.xlarge $0.17/h; EKS control plane $0.10/h) and AWS's billing rules:
//! per second with a 60 s minimum, spot instances that EC2 interrupts within
//! their first hour free.

use crate::common::{run, scenario};
use capsim::analysis::summarize;

const HOUR: &str = "\
name: bill
duration: 1h
cluster:
  node_groups:
    - { name: od, instance_type: m5.large, min: 1, max: 1 }
    - { name: ri, instance_type: r5.xlarge, capacity: reserved, discount: 40%, min: 1, max: 1 }
    - name: sp
      instance_type: c5.xlarge
      capacity: spot
      spot: { discount: 70% }
      min: 2
      max: 2
events:
  - { at: 30s, node_failure: { group: ri } }
  - { at: 30m, spot_reclaim: { group: sp, fraction: 50% } }
services:
  - name: api
    replicas: 1
    traffic:
      rate: [ { constant: { rps: 1 } } ]
    request:
      cpu: { constant: 1ms }
    pod:
      concurrency: 4
";

#[test]
fn an_hour_billed_to_the_cent() {
    let s = scenario(HOUR);
    let runs = run(&s);
    let summary = summarize(&s, &runs);
    let cost = &summary.profiles[0].cluster.as_ref().unwrap().cost_usd;
    // Control plane: 1 h × $0.10.
    let control = 0.10;
    // od: one m5.large all hour.
    let od = 0.096;
    // ri: reserved at 40 % off = $0.1512/h. The first node fails at 30 s and is
    // billed the 60 s minimum; its replacement runs from 30 s to the end.
    let ri = 0.1512 * 60.0 / 3600.0 + 0.1512 * 3570.0 / 3600.0;
    // sp: spot at 70 % off = $0.051/h. At 30 min one of the two nodes (50 %)
    // gets its notice and is reclaimed at 32 min — within its first hour: free.
    // Its replacement runs from 32 min (1920 s) to the end; the other node all hour.
    let sp = 0.051 * 1680.0 / 3600.0 + 0.051;
    let total = control + od + ri + sp;
    eprintln!("expected ${total:.6}: control {control}, od {od}, ri {ri:.6}, sp {sp:.6}");
    assert!((cost.control_plane - control).abs() < 1e-4, "{cost:?}");
    assert!((cost.by_group["od"] - od).abs() < 1e-4, "{cost:?}");
    assert!((cost.by_group["ri"] - ri).abs() < 1e-4, "{cost:?}");
    assert!((cost.by_group["sp"] - sp).abs() < 1e-4, "{cost:?}");
    assert!((cost.total - total).abs() < 0.005, "{cost:?} vs {total}");
    assert_eq!(format!("{:.2}", cost.total), format!("{total:.2}"));
    let c = runs[0].cluster.as_ref().unwrap();
    assert_eq!(c.spot_interruptions, 1);
    assert_eq!(c.nodes.iter().filter(|n| n.interrupted).count(), 1);
}
