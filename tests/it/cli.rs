//! The command line end to end: the contract scenario, the report files,
//! determinism across runs and thread counts, `validate`.

use assert_cmd::cargo::cargo_bin_cmd;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use std::path::Path;

/// The scenario from issue 1/5, verbatim: the contract for the format's core.
const CONTRACT: &str = "name: mmc-32
duration: 2h
warmup: 10m
seed: 1
replications: 4
services:
  - name: api
    replicas: 1
    traffic:
      arrivals: poisson
      rate:
        - constant: { rps: 288 }
    request:
      cpu: { exponential: { mean: 100ms } }
    pod:
      concurrency: 32
";

/// A small, fast scenario with every feature that has randomness in it
/// (including an HPA over pods with random start-up times).
const SMALL: &str = "name: small
duration: 10m
warmup: 1m
seed: 3
replications: 3
services:
  - name: web
    replicas: 3
    load_balancer: least_request
    traffic:
      rate:
        - diurnal: { min: 50, max: 150, peak_at: \"00:05\", period: 10m }
        - spike: { at: 2m, peak: 400, rise: 30s, hold: 1m, fall: 30s }
    request:
      cpu: { lognormal: { median: 10ms, p99: 80ms } }
      io: { uniform: { min: 1ms, max: 5ms } }
      timeout: 200ms
    pod:
      concurrency: 8
      queue_limit: 20
      requests: { cpu: \"1\" }
      limits: { cpu: \"2\" }
      startup:
        image_pull: { uniform: { min: 2s, max: 9s } }
        readiness: { periodSeconds: 3 }
      termination_grace: 100ms
    hpa:
      minReplicas: 2
      maxReplicas: 8
      metrics:
        - type: Resource
          resource: { name: cpu, target: { type: Utilization, averageUtilization: 60 } }
      behavior:
        scaleDown: { stabilizationWindowSeconds: 30 }
  - name: auth
    replicas: 2
    load_balancer: random
    traffic:
      rate: [ { constant: { rps: 40 } } ]
    request:
      cpu: { gamma: { mean: 20ms, cv: 2 } }
    pod:
      concurrency: 4
";

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn run_to(file: &Path, out: &Path, extra: &[&str]) {
    cargo_bin_cmd!("capsim")
        .arg("run")
        .arg(file)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .args(extra)
        .assert()
        .success();
}

#[test]
fn contract_scenario_runs_and_writes_the_summary_schema() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "mmc.yaml", CONTRACT);
    let out = dir.path().join("out");
    cargo_bin_cmd!("capsim")
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(contains("mmc-32"))
        .stdout(contains("p99 ms"));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["scenario"], "mmc-32");
    assert_eq!(summary["seed"], 1);
    let p = &summary["profiles"][0];
    assert_eq!(p["name"], "default");
    for key in ["offered", "completed", "rejected", "timed_out", "in_flight"] {
        assert!(p["requests"][key].is_u64(), "requests.{key}");
    }
    for key in ["mean", "p50", "p90", "p95", "p99", "p999", "max"] {
        assert!(p["latency_ms"][key].is_f64(), "latency_ms.{key}");
    }
    let r = &p["requests"];
    let sum = ["completed", "rejected", "timed_out", "in_flight"]
        .iter()
        .map(|k| r[k].as_u64().unwrap())
        .sum::<u64>();
    assert_eq!(
        r["offered"].as_u64().unwrap(),
        sum,
        "offered = completed + rejected + timed_out + in_flight"
    );
    // 4 × 6600 s × 288/s ≈ 7.6 M requests (Poisson: σ ≈ 2,760).
    let offered = r["offered"].as_u64().unwrap() as f64;
    assert!((offered - 7_603_200.0).abs() < 5.0 * 2_760.0, "{offered}");
    // Erlang C: 114.3 ms mean, 479.4 ms p99 (the oracle tests hold this to 2 %).
    let mean = p["latency_ms"]["mean"].as_f64().unwrap();
    let p99 = p["latency_ms"]["p99"].as_f64().unwrap();
    assert!((mean / 114.3 - 1.0).abs() < 0.02, "{mean}");
    assert!((p99 / 479.4 - 1.0).abs() < 0.02, "{p99}");
    let csv = std::fs::read_to_string(out.join("timeseries.csv")).unwrap();
    assert!(csv.starts_with("profile,replication,service,interval_start_s,"));
    assert_eq!(
        csv.lines().count(),
        1 + 4 * 120,
        "header + 4 replications × 120 one-minute intervals"
    );
}

#[test]
fn same_seed_gives_identical_bytes_at_any_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "small.yaml", SMALL);
    let outs: Vec<_> = [("a", "1"), ("b", "2"), ("c", "2"), ("d", "3")]
        .iter()
        .map(|(name, jobs)| {
            let out = dir.path().join(name);
            run_to(&file, &out, &["--jobs", jobs]);
            out
        })
        .collect();
    let events = std::fs::read_to_string(outs[0].join("events.csv")).unwrap();
    assert!(events.lines().count() > 2, "the HPA scales:\n{events}");
    for name in ["summary.json", "timeseries.csv", "events.csv"] {
        let first = std::fs::read(outs[0].join(name)).unwrap();
        for other in &outs[1..] {
            assert!(
                first == std::fs::read(other.join(name)).unwrap(),
                "{name} differs in {}",
                other.display()
            );
        }
    }
    // A different seed changes the results.
    let other = dir.path().join("seed");
    run_to(&file, &other, &["--seed", "4"]);
    assert_ne!(
        std::fs::read(outs[0].join("summary.json")).unwrap(),
        std::fs::read(other.join("summary.json")).unwrap()
    );
}

#[test]
fn summary_balances_for_every_service_with_rejections_and_timeouts() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "small.yaml", SMALL);
    let out = dir.path().join("out");
    run_to(&file, &out, &["--replications", "2"]);
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["replications"], 2);
    let p = &summary["profiles"][0];
    let services = p["services"].as_array().unwrap();
    assert_eq!(services.len(), 2);
    let web = &services[0]["requests"];
    assert!(
        web["rejected"].as_u64().unwrap() > 0,
        "the spike overflows the queues: {web}"
    );
    assert!(
        web["timed_out"].as_u64().unwrap() > 0,
        "and some clients give up: {web}"
    );
    for s in services
        .iter()
        .map(|s| &s["requests"])
        .chain([&p["requests"]])
    {
        let parts: u64 = ["completed", "rejected", "timed_out", "failed", "in_flight"]
            .iter()
            .map(|k| s[k].as_u64().unwrap())
            .sum();
        assert_eq!(s["offered"].as_u64().unwrap(), parts, "{s}");
    }
}

#[test]
fn json_format_prints_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "small.yaml", SMALL);
    let out = dir.path().join("out");
    let assert = cargo_bin_cmd!("capsim")
        .arg("run")
        .arg(&file)
        .args(["--format", "json", "--replications", "1", "--out"])
        .arg(&out)
        .assert()
        .success();
    let printed = assert.get_output().stdout.clone();
    assert_eq!(printed, std::fs::read(out.join("summary.json")).unwrap());
}

#[test]
fn markdown_format_prints_a_markdown_table() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "small.yaml", SMALL);
    cargo_bin_cmd!("capsim")
        .arg("run")
        .arg(&file)
        .args(["--format", "markdown", "--replications", "1", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .success()
        .stdout(contains("| profile / service | offered |"))
        .stdout(contains("|   web "))
        .stdout(contains("|   auth "));
}

#[test]
fn validate_reports_ok_and_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "mmc.yaml", CONTRACT);
    cargo_bin_cmd!("capsim")
        .arg("validate")
        .arg(&file)
        .assert()
        .success()
        .stdout(contains("ok"))
        .stdout(contains("mmc-32"))
        .stderr("");
    // A trace that stops 1 minute into a 10-minute run is allowed, with a warning.
    let trace =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/traces/worldcup98_per_minute.csv");
    let short = SMALL.replace(
        "rate: [ { constant: { rps: 40 } } ]",
        &format!(
            "rate: [ {{ trace: {{ file: \"{}\", per: minute, from: \"1998-05-01 00:00:00\", to: \"1998-05-01 00:01:00\" }} }} ]",
            trace.display()
        ),
    );
    let file = write(dir.path(), "short.yaml", &short);
    cargo_bin_cmd!("capsim")
        .arg("validate")
        .arg(&file)
        .assert()
        .success()
        .stderr(contains(
            "warning: services[1].traffic.rate[0].trace: the trace ends 1m into the run",
        ));
}

#[test]
fn usage_errors_exit_2() {
    cargo_bin_cmd!("capsim").arg("run").assert().code(2);
    cargo_bin_cmd!("capsim")
        .args(["run", "x.yaml", "--jobs", "0"])
        .assert()
        .code(2);
    cargo_bin_cmd!("capsim").arg("frobnicate").assert().code(2);
}

#[test]
fn every_shipped_scenario_validates() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    names.sort();
    assert!(names.len() >= 5, "{names:?}");
    for file in names {
        cargo_bin_cmd!("capsim")
            .arg("validate")
            .arg(&file)
            .assert()
            .success()
            .stdout(contains(": ok"));
    }
    // The autoscalers are reported.
    cargo_bin_cmd!("capsim")
        .arg("validate")
        .arg(dir.join("black-friday.yaml"))
        .assert()
        .success()
        .stdout(contains(
            "auth-service: HPA auth-service-hpa, 3–10 replicas, 3 metric(s)",
        ));
    cargo_bin_cmd!("capsim")
        .arg("validate")
        .arg(dir.join("app-service-vm.yaml"))
        .assert()
        .success()
        .stdout(contains(
            "Auto Scaling group of m5.large, 2–20 instances, 2 policies",
        ));
}

#[test]
fn catalog_lists_instance_types() {
    cargo_bin_cmd!("capsim")
        .args(["catalog", "c5"])
        .assert()
        .success()
        .stdout(contains("c5.2xlarge"))
        .stdout(contains("0.3400"))
        .stdout(contains("m5.xlarge").not());
    let out = cargo_bin_cmd!("capsim")
        .args(["catalog", "--format", "json"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    for family in ["t3.", "m5.", "c5.", "r5.", "m6g.", "c6g.", "m7i."] {
        assert!(
            names.iter().any(|n| n.starts_with(family)),
            "{family} in {names:?}"
        );
    }
    cargo_bin_cmd!("capsim")
        .args(["catalog", "nope"])
        .assert()
        .code(2)
        .stderr(contains("no built-in instance type"));
}
