//! Memory is bounded by what is in flight, not by what was simulated.
//!
//! Runs the contract scenario (M/M/32 at ρ = 0.9) for 1 h and for 10 h of
//! simulated time in separate processes and compares their peak resident
//! set sizes (`VmHWM`): ten times the requests, the same memory.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Peak RSS (KiB) of `capsim run` on the M/M/32 scenario lasting `duration`, and the requests offered.
///
/// The peak is the child's own `VmHWM` (`/proc/PID/status`), polled until it
/// exits, and read only once the child runs the capsim binary: `wait4`'s
/// `ru_maxrss` would be no use here, since Linux carries the high-water mark
/// across `exec`, and a child spawned from this test binary (vfork) starts
/// from the test process's own resident set, which other tests running in
/// parallel make large.
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
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_capsim")).unwrap();
    let mut child = Command::new(&exe)
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .args(["--quiet", "--jobs", "1"])
        .spawn()
        .unwrap();
    let proc_dir = Path::new("/proc").join(child.id().to_string());
    let mut peak_kib = 0i64;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        let runs_capsim = std::fs::read_link(proc_dir.join("exe")).is_ok_and(|p| p == exe);
        if runs_capsim
            && let Ok(text) = std::fs::read_to_string(proc_dir.join("status"))
            && let Some(kib) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<i64>().ok())
        {
            peak_kib = peak_kib.max(kib);
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    assert!(status.success(), "capsim failed: {status}");
    assert!(peak_kib > 0, "never saw the child's resident set");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    (
        peak_kib,
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
