//! Engine throughput: simulated requests per second of one core.
//!
//! * `mmc-32`: `scenarios/mmc-32.yaml`, the issue-1 contract scenario
//!   (M/M/32 at ρ = 0.9, dedicated CPU), shortened to 20 simulated minutes.
//! * `ps-limit`: the same load on pods with a CPU limit below their slots
//!   (limited processor sharing: virtual clock and rescheduled completions).
//! * `diurnal-io`: a diurnal rate (thinning), lognormal work, I/O, timeouts,
//!   least-request balancing over 8 pods.
//! * `mmc-32-hpa`: `mmc-32` with an HPA attached (CPU Utilization target
//!   90 %, its metrics pipeline and 15 s syncs): the cost of autoscaling.
//!
//! Criterion reports "elements/s" = simulated requests per second.

use capsim::model::simulate;
use capsim::scenario::{parse_file, parse_str};
use capsim::spec::Scenario;
use capsim::units::NANOS_PER_SEC;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

const PS_LIMIT: &str = "name: ps-limit
duration: 20m
seed: 1
services:
  - name: api
    replicas: 4
    traffic:
      rate:
        - constant: { rps: 288 }
    request:
      cpu: { exponential: { mean: 100ms } }
    pod:
      concurrency: 16
      limits: { cpu: \"8\" }
";

const DIURNAL_IO: &str = "name: diurnal-io
duration: 20m
seed: 1
services:
  - name: web
    replicas: 8
    load_balancer: least_request
    traffic:
      rate:
        - diurnal: { min: 100, max: 500, peak_at: \"00:10\", period: 20m }
    request:
      cpu: { lognormal: { median: 8ms, p99: 60ms } }
      io: { exponential: { mean: 20ms } }
      timeout: 2s
    pod:
      concurrency: 32
      queue_limit: 100
      limits: { cpu: \"2\" }
";

/// `mmc-32` with a CPU-utilization HPA on its pod (32 slots requesting 32 cores).
const MMC_32_HPA: &str = "name: mmc-32-hpa
duration: 20m
seed: 1
services:
  - name: api
    replicas: 1
    traffic:
      rate:
        - constant: { rps: 288 }
    request:
      cpu: { exponential: { mean: 100ms } }
    pod:
      concurrency: 32
      requests: { cpu: \"32\" }
    hpa:
      minReplicas: 1
      maxReplicas: 4
      metrics:
        - type: Resource
          resource: { name: cpu, target: { type: Utilization, averageUtilization: 90 } }
";

/// The contract scenario, 20 minutes long, no warmup.
fn mmc_32() -> Scenario {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/mmc-32.yaml");
    let mut s = parse_file(&file).expect("scenarios/mmc-32.yaml parses");
    s.duration_ns = 20 * 60 * NANOS_PER_SEC;
    s.warmup_ns = 0;
    s
}

fn throughput(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.sample_size(20);
    let parse =
        |yaml: &str| parse_str(yaml, Path::new("bench.yaml")).expect("bench scenario parses");
    for (name, scenario) in [
        ("mmc-32", mmc_32()),
        ("ps-limit", parse(PS_LIMIT)),
        ("diurnal-io", parse(DIURNAL_IO)),
        ("mmc-32-hpa", parse(MMC_32_HPA)),
    ] {
        let requests = simulate(&scenario, 0, 0)
            .expect("runs")
            .services
            .iter()
            .map(|s| s.outcomes.offered)
            .sum();
        group.throughput(Throughput::Elements(requests));
        group.bench_function(name, |b| {
            b.iter(|| black_box(simulate(&scenario, 0, 0).expect("runs")))
        });
    }
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
