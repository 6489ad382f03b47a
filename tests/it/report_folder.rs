//! The report folder is written as one unit (issue 13, 4): a reader sees one
//! run's complete report, whatever runs beside it or dies while writing.

use crate::common::SMALL_SCENARIO;
use crate::common::cases::replace_once;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Every file of folder `dir`, by name.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .expect("the report folder exists")
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).expect("readable"))
        })
        .collect()
}

/// `capsim run --quiet --jobs 1 --seed SEED --out OUT FILE`, not waited for.
fn start(dir: &Path, file: &str, seed: u64, out: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_capsim"))
        .current_dir(dir)
        .args([
            "run",
            "--quiet",
            "--jobs",
            "1",
            "--seed",
            &seed.to_string(),
            "--out",
            out,
            file,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("capsim starts")
}

fn run(dir: &Path, file: &str, seed: u64, out: &str) {
    let status = start(dir, file, seed, out).wait().expect("runs");
    assert!(
        status.success(),
        "capsim run {file} --seed {seed} --out {out}"
    );
}

/// A day of one request a second, one row a second: little to simulate,
/// 86,400 rows to write.
fn long_series() -> String {
    replace_once(
        &replace_once(
            SMALL_SCENARIO,
            "duration: 1m\n",
            "duration: 1d\nmetrics: { interval: 1s }\n",
        ),
        "rps: 10",
        "rps: 1",
    )
}

const CLUSTER: &str = "\
name: c
duration: 2m
cluster:
  node_groups:
    - { name: g, instance_type: m5.large, initial: 1, min: 1, max: 2 }
services:
  - name: api
    replicas: 1
    traffic:
      rate:
        - constant: { rps: 10 }
    request:
      cpu: { exponential: { mean: 10ms } }
    pod:
      concurrency: 4
      requests: { cpu: 250m, memory: 256Mi }
";

#[test]
fn a_new_report_leaves_no_file_of_an_earlier_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.yaml"), CLUSTER).unwrap();
    std::fs::write(dir.path().join("s.yaml"), SMALL_SCENARIO).unwrap();
    run(dir.path(), "c.yaml", 1, "out");
    assert!(dir.path().join("out/cluster.csv").exists());
    run(dir.path(), "s.yaml", 1, "alone");
    run(dir.path(), "s.yaml", 1, "out");
    assert_eq!(
        contents(&dir.path().join("out")),
        contents(&dir.path().join("alone"))
    );
    // Only the two report folders and the scenarios: no staging folder left.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 4);
}

#[test]
fn two_runs_into_one_folder_leave_one_whole_report() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.yaml"), long_series()).unwrap();
    run(dir.path(), "s.yaml", 1, "one");
    run(dir.path(), "s.yaml", 2, "two");
    let (one, two) = (
        contents(&dir.path().join("one")),
        contents(&dir.path().join("two")),
    );
    assert_ne!(one, two);
    for round in 0..3 {
        let a = start(dir.path(), "s.yaml", 1, "both");
        let b = start(dir.path(), "s.yaml", 2, "both");
        for mut child in [a, b] {
            assert!(
                child.wait().unwrap().success(),
                "round {round}: both runs succeed"
            );
        }
        let both = contents(&dir.path().join("both"));
        assert!(
            both == one || both == two,
            "round {round}: one run's report, whole"
        );
    }
}

#[test]
fn a_run_killed_while_writing_leaves_the_old_report_whole() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.yaml"), long_series()).unwrap();
    run(dir.path(), "s.yaml", 2, "new");
    let new = contents(&dir.path().join("new"));
    let started = Instant::now();
    run(dir.path(), "s.yaml", 1, "out");
    let whole = started.elapsed();
    let old = contents(&dir.path().join("out"));
    // Kill runs over the old report at moments through their second half,
    // where the report is summarized and written.
    for tenth in [5u32, 6, 7, 8, 9, 10, 11, 12] {
        let mut child = start(dir.path(), "s.yaml", 2, "out");
        std::thread::sleep(whole * tenth / 10);
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        let now = contents(&dir.path().join("out"));
        assert!(
            now == old || now == new,
            "killed at {tenth}/10: the old report or the new, whole"
        );
        if now == new {
            // Published: the next rounds start from the old report again.
            run(dir.path(), "s.yaml", 1, "out");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    // The next run sweeps what the killed ones staged.
    run(dir.path(), "s.yaml", 1, "out");
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left.len(), 3, "{left:?}");
}
