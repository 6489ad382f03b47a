//! End-to-end speed against the floor: the whole `capsim run` (parse, simulate,
//! summarize, write the report) on M/M/32 at ρ = 0.9 (E[S] = 100 ms, 20 M
//! requests, one job), paired with a hand-written floor loop over the same
//! 20 M requests in the same run.
//!
//! The floor is the Kiefer–Wolfowitz recursion of a FCFS c-server queue: the
//! n-th request starts at max(aₙ, the earliest free time of the c servers)
//! and frees its server sᵥ later; a min-heap keeps the free times. No event
//! queue, no pods, no controllers: exponential interarrival and service
//! draws, heap operations and one latency record into an HDR histogram per
//! request — what any simulator of this queue that reports percentiles must
//! do. The ratio floor time ÷ capsim time is printed at the end (the target
//! is ≥ 50 %): `cargo bench --bench floor`.

use capsim::cli::{Command, Format, RunArgs};
use criterion::{Criterion, Throughput, criterion_group};
use hdrhistogram::Histogram;
use rand::SeedableRng;
use rand_distr::{Distribution, Exp};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::path::{Path, PathBuf};

/// Requests simulated by both sides.
const REQUESTS: u64 = 20_000_000;
/// Arrival rate (ρ = λ E[S] / c = 288 × 0.1 / 32 = 0.9).
const RATE_PER_S: f64 = 288.0;
/// Worker slots.
const SERVERS: usize = 32;
/// Mean service time, seconds.
const MEAN_SERVICE_S: f64 = 0.1;

/// The scenario: `scenarios/mmc-32.yaml` lasting as long as 20 M requests take.
fn scenario() -> String {
    let duration_s = (REQUESTS as f64 / RATE_PER_S).ceil() as u64;
    format!(
        "name: floor-mmc-32
duration: {duration_s}s
seed: 1
replications: 1
services:
  - name: api
    replicas: 1
    traffic:
      arrivals: poisson
      rate: [ {{ constant: {{ rps: {RATE_PER_S} }} }} ]
    request:
      cpu: {{ exponential: {{ mean: 100ms }} }}
    pod:
      concurrency: {SERVERS}
"
    )
}

/// The floor loop; returns the p99 latency (ns) so that nothing is optimized away.
fn floor(n: u64) -> u64 {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    let inter = Exp::new(RATE_PER_S).expect("rate > 0");
    let service = Exp::new(1.0 / MEAN_SERVICE_S).expect("rate > 0");
    let mut free: BinaryHeap<Reverse<u64>> = (0..SERVERS).map(|_| Reverse(0)).collect();
    let mut hist = Histogram::<u64>::new(3).expect("3 significant digits");
    let mut now_ns = 0u64;
    for _ in 0..n {
        now_ns += (inter.sample(&mut rng) * 1e9) as u64;
        let s_ns = (service.sample(&mut rng) * 1e9) as u64;
        let mut slot = free.peek_mut().expect("c > 0");
        let start = slot.0.max(now_ns);
        slot.0 = start + s_ns;
        let finish = slot.0;
        drop(slot);
        hist.saturating_record(finish - now_ns);
    }
    hist.value_at_quantile(0.99)
}

/// `capsim run --jobs 1 --quiet --out DIR FILE`, in process.
fn capsim_run(file: &Path, out: &Path) {
    let code = capsim::app::execute(Command::Run(RunArgs {
        file: file.to_path_buf(),
        seed: None,
        replications: None,
        out: Some(out.to_path_buf()),
        jobs: Some(1),
        format: Format::Table,
        quiet: true,
        set: Vec::new(),
        profile: Vec::new(),
    }))
    .expect("capsim run succeeds");
    assert_eq!(code, 0);
}

fn pair(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("floor-mmc-32.yaml");
    std::fs::write(&file, scenario()).expect("write scenario");
    let out = dir.path().join("report");
    let mut g = c.benchmark_group("floor");
    g.sample_size(10);
    g.throughput(Throughput::Elements(REQUESTS));
    g.bench_function("kiefer-wolfowitz", |b| {
        b.iter(|| black_box(floor(black_box(REQUESTS))))
    });
    g.bench_function("capsim-run", |b| b.iter(|| capsim_run(&file, &out)));
    g.finish();
}

criterion_group!(benches, pair);

/// Criterion's mean estimate (ns) of one benchmark of this run.
fn mean_ns(bench: &str) -> Option<f64> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"));
    let path = target
        .join("criterion/floor")
        .join(bench)
        .join("new/estimates.json");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    json["mean"]["point_estimate"].as_f64()
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    if let (Some(f), Some(c)) = (mean_ns("kiefer-wolfowitz"), mean_ns("capsim-run")) {
        println!(
            "floor ratio: capsim run at {:.1} % of the floor loop ({:.2} s vs {:.2} s for {} M requests; {:.2} M req/s vs {:.2} M req/s)",
            100.0 * f / c,
            c / 1e9,
            f / 1e9,
            REQUESTS / 1_000_000,
            REQUESTS as f64 / c * 1e3,
            REQUESTS as f64 / f * 1e3,
        );
    }
}
