//! Trace replay against the traces' own totals.
//!
//! With deterministic arrivals the k-th request arrives where the integral
//! of the rate reaches k + ½, so a replay of whole minutes offers exactly
//! the requests the trace counts, minute by minute. The expected figures are
//! summed here straight from the CSV text, independently of capsim's loader.

use crate::common::{run, scenario_in};
use std::path::{Path, PathBuf};

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// Per-minute counts of the CSV rows whose timestamp starts with `day` (missing minutes are 0).
fn minute_counts(file: &str, day: &str) -> Vec<u64> {
    let text = std::fs::read_to_string(scenarios_dir().join("traces").join(file)).unwrap();
    let mut counts = vec![0u64; 1440];
    for line in text.lines().skip(1).filter(|l| l.starts_with(day)) {
        let (time, count) = line.split_once(',').unwrap();
        let hour: usize = time[11..13].parse().unwrap();
        let minute: usize = time[14..16].parse().unwrap();
        counts[hour * 60 + minute] = count.parse().unwrap();
    }
    counts
}

fn replay_yaml(
    arrivals: &str,
    file: &str,
    time_col: &str,
    value_col: &str,
    from: &str,
    to: &str,
    scale: f64,
) -> String {
    format!(
        "name: replay
duration: 1d
replications: 1
services:
  - name: web
    replicas: 1
    traffic:
      arrivals: {arrivals}
      rate:
        - trace: {{ file: traces/{file}, time_column: {time_col}, value_column: {value_col}, per: minute,
                   scale: {scale}, from: \"{from}\", to: \"{to}\" }}
    request:
      cpu: {{ constant: 1us }}
    pod:
      concurrency: unlimited
      limits: {{ cpu: \"64\" }}
"
    )
}

/// Replays one day deterministically; returns (total offered, offered per 1-minute interval).
fn replay_day(
    file: &str,
    time_col: &str,
    value_col: &str,
    from: &str,
    to: &str,
    scale: f64,
) -> (u64, Vec<u64>) {
    let s = scenario_in(
        &scenarios_dir(),
        &replay_yaml("deterministic", file, time_col, value_col, from, to, scale),
    );
    let runs = run(&s);
    let svc = &runs[0].services[0];
    assert!(svc.outcomes.is_balanced());
    (
        svc.outcomes.offered,
        svc.series.iter().map(|r| r.offered).collect(),
    )
}

#[test]
fn worldcup_day_with_missing_minutes_offers_exactly_its_total() {
    // 1998-05-17 has 8 minutes without a row: they count as zero.
    let expected = minute_counts("worldcup98_per_minute.csv", "1998-05-17");
    assert_eq!(expected.iter().filter(|&&c| c == 0).count(), 8);
    let (total, per_minute) = replay_day(
        "worldcup98_per_minute.csv",
        "period",
        "count",
        "1998-05-17 00:00:00",
        "1998-05-18 00:00:00",
        1.0,
    );
    assert_eq!(total, expected.iter().sum::<u64>());
    assert_eq!(total, 1_472_485);
    assert_eq!(
        per_minute, expected,
        "every minute offers exactly its count"
    );
}

#[test]
fn worldcup_day_scaled() {
    let expected: u64 = minute_counts("worldcup98_per_minute.csv", "1998-05-15")
        .iter()
        .sum();
    let (total, _) = replay_day(
        "worldcup98_per_minute.csv",
        "period",
        "count",
        "1998-05-15 00:00:00",
        "1998-05-16 00:00:00",
        3.0,
    );
    assert_eq!(total, 3 * expected);
}

#[test]
fn nasa_day_with_iso_z_timestamps() {
    let expected = minute_counts("nasa_http_1995_per_minute.csv", "1995-07-13");
    let (total, per_minute) = replay_day(
        "nasa_http_1995_per_minute.csv",
        "minute_start_utc",
        "requests",
        "1995-07-13T00:00:00Z",
        "1995-07-14T00:00:00Z",
        1.0,
    );
    assert_eq!(total, expected.iter().sum::<u64>());
    assert_eq!(per_minute, expected);
}

#[test]
fn poisson_replay_matches_the_total_within_its_noise() {
    let expected: u64 = minute_counts("worldcup98_per_minute.csv", "1998-05-01")
        .iter()
        .sum();
    let yaml = replay_yaml(
        "poisson",
        "worldcup98_per_minute.csv",
        "period",
        "count",
        "1998-05-01",
        "1998-05-02",
        1.0,
    );
    let s = scenario_in(&scenarios_dir(), &yaml);
    let offered = run(&s)[0].services[0].outcomes.offered;
    // The count is Poisson with mean `expected`: 5 standard deviations.
    let sigma = (expected as f64).sqrt();
    assert!(
        (offered as f64 - expected as f64).abs() < 5.0 * sigma,
        "{offered} vs {expected}"
    );
}
