//! Profiles side by side (issue 13, 1–2): common random numbers, and the
//! command line's `--set` and `--profile`.

use crate::common::SMALL_SCENARIO;
use crate::common::cases::{Case, replace_once};
use capsim::metrics::RunResult;
use capsim::runner::{RunOptions, run_profiles};
use capsim::scenario::profile::{Profile, parse_profiles};
use std::path::Path;

/// SMALL_SCENARIO with `profiles`, two replications.
fn with_profiles(profiles: &str) -> String {
    replace_once(
        SMALL_SCENARIO,
        "duration: 1m\n",
        &format!("duration: 1m\nreplications: 2\nprofiles:\n{profiles}"),
    )
}

const A: &str = "  - { name: a }\n";
const B: &str = "  - { name: b, set: { services.api.pod.concurrency: 1 } }\n";
const C: &str = "  - { name: c, set: { services.api.replicas: 3 } }\n";

/// The profiles of SMALL_SCENARIO with `profiles`, and their runs.
fn run(profiles: &str) -> (Vec<Profile>, Vec<RunResult>) {
    let text = with_profiles(profiles);
    let ps = parse_profiles(&text, Path::new("p.yaml"), &[], &[]).expect("parses");
    let scenarios: Vec<_> = ps.iter().map(|p| &p.scenario).collect();
    let options = RunOptions {
        jobs: 2,
        progress: false,
    };
    let runs = run_profiles(&scenarios, options).expect("runs");
    (ps, runs)
}

/// The results of profile `name` when the scenario has `profiles`.
fn results_of(profiles: &str, name: &str) -> String {
    let (ps, runs) = run(profiles);
    let k = ps.iter().position(|p| p.name == name).expect("the profile") as u32;
    let mine: Vec<_> = runs
        .iter()
        .filter(|r| r.profile == k)
        .map(|r| format!("{:?}", r.services))
        .collect();
    assert_eq!(mine.len(), 2);
    mine.join("\n")
}

#[test]
fn a_profile_s_results_do_not_change_when_another_is_added() {
    let alone = results_of(B, "b");
    assert_eq!(results_of(&format!("{A}{B}"), "b"), alone);
    assert_eq!(results_of(&format!("{A}{C}{B}"), "b"), alone);
    // The same arrivals in every profile: the same requests offered.
    let a = results_of(&format!("{A}{B}"), "a");
    let offered = |r: &str| {
        r.split("offered: ")
            .nth(1)
            .map(|s| s.split(',').next().unwrap().to_string())
    };
    assert_eq!(offered(&a), offered(&alone));
    assert_ne!(a, alone, "the profiles differ");
}

#[test]
fn the_command_line_sets_and_picks_profiles() {
    let case = Case::new(&with_profiles(&format!("{A}{B}")));
    let out = case.capsim(&[
        "run",
        "--out",
        "r",
        "--profile",
        "b",
        "--set",
        "services.api.replicas=2",
        "s.yaml",
    ]);
    assert!(out.stdout.contains("│ b "), "{}", out.stdout);
    assert!(!out.stdout.contains("│ a "), "{}", out.stdout);
    let summary = std::fs::read_to_string(case.path().join("r/summary.json")).unwrap();
    assert!(
        summary.contains("\"name\": \"b\"") && !summary.contains("\"name\": \"a\""),
        "{summary}"
    );
}

#[test]
fn bad_profile_input_is_refused_before_anything_is_written() {
    let case = Case::new(&with_profiles(&format!("{A}{A}")));
    case.capsim(&["run", "--out", "r", "s.yaml"])
        .fails_with(&["s.yaml:", "a second profile named \"a\""]);
    assert!(!case.path().join("r").exists());
    let case = Case::new(&with_profiles(A));
    case.capsim(&["run", "--out", "r", "--profile", "z", "s.yaml"])
        .fails_with(&["--profile z names no profile", "its profiles are a"]);
    case.capsim(&[
        "run",
        "--out",
        "r",
        "--set",
        "services.api.pod.concurrency=x",
        "s.yaml",
    ])
    .fails_with(&["--set services.api.pod.concurrency=x:1:"]);
    case.capsim(&[
        "run",
        "--out",
        "r",
        "--set",
        "services.web.replicas=2",
        "s.yaml",
    ])
    .fails_with(&["`services` has no item `web`", "its items are api"]);
    assert!(!case.path().join("r").exists());
    // A value of the wrong type in a profile's set: at that line.
    let case = Case::new(&with_profiles(
        "  - name: a\n    set: { services.api.replicas: many }\n",
    ));
    case.capsim(&["validate", "s.yaml"])
        .fails_with(&["s.yaml:6:35:", "services[0].replicas"]);
}

#[test]
fn each_profile_is_compared_with_the_first_replication_by_replication() {
    let same = "  - { name: same }\n";
    let (ps, runs) = run(&format!("{A}{same}{B}"));
    let named: Vec<_> = ps.iter().map(|p| (p.name.as_str(), &p.scenario)).collect();
    let summary = capsim::analysis::summarize_profiles(&named, &runs);
    assert!(summary.profiles[0].vs_first.is_none());
    // The same configuration draws the same numbers: exactly no difference.
    let same = summary.profiles[1].vs_first.as_ref().expect("compared");
    assert_eq!(same.profile, "a");
    assert_eq!(
        (same.latency_p99_ms.diff, same.latency_p99_ms.ci95),
        (0.0, Some(0.0))
    );
    // One slot instead of four: requests wait, every replication.
    let b = summary.profiles[2].vs_first.as_ref().expect("compared");
    assert!(b.latency_mean_ms.diff > 0.0, "{b:?}");
    assert!(b.latency_mean_ms.ci95.is_some());
}
