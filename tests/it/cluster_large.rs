//! A cluster at the documented maximum of 100,000 initial nodes in one group
//! (issue 12 q): creating nodes must be linear in the group's size. Picking a
//! new node's zone used to count the group's live nodes in each zone, O(n) per
//! node and so O(n²) for the initial nodes (minutes before the first event).
//!
//! The zone rule itself is checked exactly: each new node goes to the first zone
//! (in the group's order) with the fewest live nodes, so 100,000 nodes over
//! zones a, b, c are 33,334 / 33,333 / 33,333 (hand count: the rule deals them
//! round-robin, a first). The time bound is generous (the linear version takes
//! about a second in release; the quadratic one minutes), and the measured time
//! is printed.

use crate::common::scenario;
use capsim::runner::{RunOptions, run_all};
use std::time::Instant;

const LARGE: &str = "\
name: large
duration: 30s
seed: 5
cluster:
  node_groups:
    - { name: big, instance_type: m5.large, initial: 100000, min: 100000, max: 100000, zones: [a, b, c] }
services:
  - name: api
    replicas: 3
    traffic: { rate: [ { constant: { rps: 10 } } ] }
    request: { cpu: { exponential: { mean: 10ms } } }
    pod: { concurrency: 4, requests: { cpu: 250m, memory: 256Mi } }
";

#[test]
fn hundred_thousand_initial_nodes_start_in_linear_time() {
    let s = scenario(LARGE);
    let t0 = Instant::now();
    let results = run_all(
        &s,
        RunOptions {
            jobs: 1,
            progress: false,
        },
    )
    .expect("run succeeds");
    let elapsed = t0.elapsed();
    eprintln!("100,000 initial nodes: built and run in {elapsed:?}");
    let c = results[0].cluster.as_ref().expect("a cluster");
    assert_eq!(c.nodes.len(), 100_000);
    let count = |z: &str| c.nodes.iter().filter(|n| n.zone == z).count();
    assert_eq!(
        (count("a"), count("b"), count("c")),
        (33_334, 33_333, 33_333)
    );
    assert!(
        elapsed.as_secs() < 30,
        "100,000 initial nodes took {elapsed:?}: node creation is not linear"
    );
}
