//! Golden outputs: the whole report folder of three fixed-seed scenarios, byte for byte.
//!
//! Each folder under `tests/golden/` holds `scenario.yaml`, the report folder
//! `capsim run` wrote for it (`report/`) and the table it printed
//! (`stdout.txt`, without the `wrote …` line). The test runs the binary on
//! every scenario at `--jobs 1` and `--jobs 2` and compares every file and
//! the set of file names. A commit that changes these bytes says in its
//! message which fix changed them and why; `CAPSIM_BLESS=1 cargo test
//! --release golden` rewrites them.

use assert_cmd::cargo::cargo_bin_cmd;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The pinned cases: plain service; HPA + cluster-autoscaler + spot reclaim; VM under an ASG.
const CASES: [&str; 3] = ["plain", "hpa-cluster-spot", "vm-asg"];

fn golden_dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(case)
}

/// Every file of a folder (recursively), by relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("folder entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, fs::read(&path).expect("read file"));
            }
        }
    }
    out
}

/// Runs `capsim run` on a case; returns the report folder's files and the table it printed.
fn run_case(case: &str, jobs: u32) -> (BTreeMap<String, Vec<u8>>, String) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = cargo_bin_cmd!("capsim")
        .arg("run")
        .arg(golden_dir(case).join("scenario.yaml"))
        .args(["--out", "report", "--jobs", &jobs.to_string()])
        .current_dir(tmp.path())
        .output()
        .expect("run capsim");
    assert!(
        out.status.success(),
        "{case}: capsim run failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout: String = String::from_utf8(out.stdout)
        .expect("UTF-8 table")
        .lines()
        .filter(|l| !l.starts_with("wrote "))
        .map(|l| format!("{l}\n"))
        .collect();
    (files(&tmp.path().join("report")), stdout)
}

/// The first line where two texts differ, for the failure message.
fn first_difference(expected: &[u8], actual: &[u8]) -> String {
    let (e, a) = (
        String::from_utf8_lossy(expected),
        String::from_utf8_lossy(actual),
    );
    for (i, (le, la)) in e.lines().zip(a.lines()).enumerate() {
        if le != la {
            return format!("line {}:\n  expected: {le}\n  actual:   {la}", i + 1);
        }
    }
    format!(
        "lengths differ: {} expected lines, {} actual",
        e.lines().count(),
        a.lines().count()
    )
}

fn bless(case: &str, report: &BTreeMap<String, Vec<u8>>, stdout: &str) {
    let dir = golden_dir(case);
    let _ = fs::remove_dir_all(dir.join("report"));
    for (name, bytes) in report {
        let path = dir.join("report").join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    fs::write(dir.join("stdout.txt"), stdout).unwrap();
}

#[test]
fn report_folders_match_their_golden_bytes() {
    let blessing = std::env::var_os("CAPSIM_BLESS").is_some_and(|v| v == "1");
    let mut failures = Vec::new();
    for case in CASES {
        for jobs in [1, 2] {
            let (report, stdout) = run_case(case, jobs);
            if blessing && jobs == 1 {
                bless(case, &report, &stdout);
                continue;
            }
            let dir = golden_dir(case);
            let expected = files(&dir.join("report"));
            let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
            if names(&expected) != names(&report) {
                failures.push(format!(
                    "{case} (--jobs {jobs}): files {:?}, expected {:?}",
                    names(&report),
                    names(&expected)
                ));
                continue;
            }
            for (name, bytes) in &expected {
                if &report[name] != bytes {
                    failures.push(format!(
                        "{case} (--jobs {jobs}): {name} differs at {}",
                        first_difference(bytes, &report[name])
                    ));
                }
            }
            let pinned = fs::read(dir.join("stdout.txt")).unwrap_or_default();
            if pinned != stdout.as_bytes() {
                failures.push(format!(
                    "{case} (--jobs {jobs}): the table differs at {}",
                    first_difference(&pinned, stdout.as_bytes())
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "golden outputs changed (if a fix meant it, rerun with CAPSIM_BLESS=1 and say why in the commit):\n{}",
        failures.join("\n")
    );
}
