//! Memory is bounded by what is in flight, not by what was simulated.
//!
//! Runs the contract scenario (M/M/32 at ρ = 0.9) for 1 h and for 10 h of
//! simulated time in separate processes and compares their peak resident
//! set sizes, read with `wait4`: ten times the requests, the same memory.

use std::path::Path;
use std::process::Command;

/// Peak RSS (KiB) of `capsim run` on the M/M/32 scenario lasting `duration`, and the requests offered.
#[allow(clippy::zombie_processes)] // the child is reaped by `wait4`, which also reports its peak RSS
fn peak_rss_kib(dir: &Path, duration: &str) -> (i64, u64) {
    let file = dir.join(format!("mmc-{duration}.yaml"));
    std::fs::write(
        &file,
        format!(
            "name: mmc-{duration}
duration: {duration}
seed: 1
services:
  - name: api
    replicas: 1
    traffic:
      rate: [ {{ constant: {{ rps: 288 }} }} ]
    request:
      cpu: {{ exponential: {{ mean: 100ms }} }}
    pod:
      concurrency: 32
"
        ),
    )
    .unwrap();
    let out = dir.join(format!("out-{duration}"));
    let child = Command::new(env!("CARGO_BIN_EXE_capsim"))
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .args(["--quiet", "--jobs", "1"])
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for our own child, which is not waited for elsewhere.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "capsim failed: {status}"
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    (
        usage.ru_maxrss,
        summary["profiles"][0]["requests"]["offered"]
            .as_u64()
            .unwrap(),
    )
}

#[test]
fn peak_memory_does_not_grow_with_run_length() {
    let dir = tempfile::tempdir().unwrap();
    let (short_kib, short_requests) = peak_rss_kib(dir.path(), "1h");
    let (long_kib, long_requests) = peak_rss_kib(dir.path(), "10h");
    eprintln!(
        "1h: {short_requests} requests, peak RSS {short_kib} KiB; 10h: {long_requests} requests, peak RSS {long_kib} KiB"
    );
    assert!(long_requests > 9 * short_requests);
    assert!(
        (long_kib as f64) < 1.10 * short_kib as f64,
        "peak RSS grew from {short_kib} KiB to {long_kib} KiB with 10× the run length"
    );
}
