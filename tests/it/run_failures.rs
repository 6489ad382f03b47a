//! How `capsim run` fails (issue 12 h, i): an unwritable `--out` is refused
//! before any simulation, and an exhausted event budget names the seed and
//! replication that reproduce it.

use crate::common::SMALL_SCENARIO;
use crate::common::cases::{Case, replace_once};

/// `SMALL_SCENARIO` (600 requests in a minute) with a budget of 100 events:
/// any run of it stops at the budget.
fn runaway() -> String {
    replace_once(
        SMALL_SCENARIO,
        "duration: 1m\n",
        "duration: 1m\nseed: 7\nreplications: 2\nlimits: { max_events: 100 }\n",
    )
}

#[test]
fn unwritable_out_fails_before_simulating() {
    let case = Case::new(&runaway()).file("plain.txt", "a file, not a folder\n");
    let out = case.capsim(&["run", "--quiet", "--out", "plain.txt/report", "s.yaml"]);
    out.fails_with(&[
        "cannot write the report folder",
        "plain.txt/report",
        "--out",
    ])
    .has_hint();
    // Had it simulated first, the run would have stopped at its event budget.
    assert!(!out.stderr.contains("event budget"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(case.path().join("plain.txt")).unwrap(),
        "a file, not a folder\n"
    );
}

#[test]
fn a_failed_run_leaves_no_report_folder_behind() {
    let case = Case::new(&runaway());
    case.capsim(&["run", "--quiet", "--out", "fresh", "s.yaml"])
        .fails_with(&["event budget"]);
    assert!(!case.path().join("fresh").exists());
}

#[test]
fn budget_error_names_seed_and_replication() {
    let case = Case::new(&runaway());
    // Replication 0 comes first in run order, at any --jobs.
    for jobs in ["1", "2"] {
        case.capsim(&["run", "--quiet", "--jobs", jobs, "--out", "out", "s.yaml"])
            .fails_with(&[
                "run (seed 7, replication 0) stopped: 100 events",
                "--seed 7 --replications 1",
            ]);
    }
    // --seed overrides the file's seed, and the message gives the one used.
    case.capsim(&["run", "--quiet", "--seed", "42", "--out", "out", "s.yaml"])
        .fails_with(&["(seed 42, replication 0)", "--seed 42 --replications 1"]);
    // What the hint says reproduces the run.
    case.capsim(&[
        "run",
        "--quiet",
        "--seed",
        "7",
        "--replications",
        "1",
        "--out",
        "out",
        "s.yaml",
    ])
    .fails_with(&["run (seed 7, replication 0) stopped: 100 events"]);
}
