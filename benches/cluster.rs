//! Cluster scale: 500 nodes and 5,000 pods with the cluster-autoscaler and
//! ten HPAs active, against the same services and HPAs with no cluster (the
//! cost of nodes, the scheduler and CA: request-level throughput should
//! stay ≥ 80 % of it), and against a fixed pool of pods with no autoscaling
//! at all (the engine alone at 5,000 pods).
//!
//! The day is compressed into a one-hour diurnal cycle (a one-hour run) to
//! keep an iteration to a few seconds; what is measured is the cost of the
//! control loops per simulated request: HPA syncs every 15 s, CA scans every
//! 10 s, the scheduler placing every pod the HPAs add. Requests are heavy
//! (400 ms of CPU) so that 5,000 pods at 60 % utilization are few requests.
//!
//! Criterion reports "elements/s" = simulated requests per second.

use capsim::model::simulate;
use capsim::scenario::parse_str;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

fn services(hpa: bool) -> String {
    (0..10)
        .map(|i| {
            let scaling = if hpa {
                "    hpa:
      minReplicas: 300
      maxReplicas: 700
      metrics:
        - type: Resource
          resource: { name: cpu, target: { type: Utilization, averageUtilization: 60 } }
"
            } else {
                ""
            };
            format!(
                "  - name: svc{i}
    replicas: 500
    traffic:
      rate: [ {{ diurnal: {{ min: 150, max: 300, peak_at: 30m, period: 1h }} }} ]
    request:
      cpu: {{ exponential: {{ mean: 400ms }} }}
    pod:
      concurrency: 4
      requests: {{ cpu: 300m, memory: 512Mi }}
{scaling}"
            )
        })
        .collect()
}

fn cluster_scenario() -> String {
    format!(
        "name: cluster-scale
duration: 1h
cluster:
  node_groups:
    - {{ name: a, instance_type: m5.xlarge, min: 1, max: 600, initial: 250 }}
    - {{ name: b, instance_type: m5.xlarge, min: 1, max: 600, initial: 250 }}
  node_autoscaler: {{ kind: cluster-autoscaler, balance_similar_node_groups: true }}
services:
{}",
        services(true)
    )
}

fn plain_scenario(hpa: bool) -> String {
    format!("name: plain\nduration: 1h\nservices:\n{}", services(hpa))
}

fn throughput(c: &mut Criterion) {
    let mut group = c.benchmark_group("cluster");
    group.sample_size(10);
    for (name, text) in [
        ("plain-5000-pods", plain_scenario(false)),
        ("hpa-5000-pods", plain_scenario(true)),
        ("ca-500-nodes-5000-pods", cluster_scenario()),
    ] {
        let scenario = parse_str(&text, Path::new("bench.yaml")).expect("bench scenario parses");
        let run = simulate(&scenario, 0, 0).expect("runs");
        let requests: u64 = run.services.iter().map(|s| s.outcomes.offered).sum();
        if let Some(c) = &run.cluster {
            let max = c
                .series
                .iter()
                .map(|r| r.nodes.iter().map(|(a, b)| a + b).sum::<u32>())
                .max();
            let ca = run
                .scaling_events
                .iter()
                .filter(|e| e.source == "cluster-autoscaler")
                .count();
            let hpa = run
                .scaling_events
                .iter()
                .filter(|e| e.source == "hpa")
                .count();
            eprintln!(
                "{name}: {requests} requests, nodes up to {max:?}, {ca} CA decisions, {hpa} HPA decisions"
            );
        }
        group.throughput(Throughput::Elements(requests));
        group.bench_function(name, |b| {
            b.iter(|| black_box(simulate(&scenario, 0, 0).expect("runs")))
        });
    }
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
