//! The report folder's staging and publishing, on a real disk.

use super::*;

fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("readable")
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(e.path()).expect("text"))
        })
        .collect();
    out.sort();
    out
}

fn stage(out: &Path, contents: &[(&str, &str)]) -> Staging {
    let staging = Staging::create(out).expect("stages");
    for (name, text) in contents {
        staging.write(name, text.as_bytes()).expect("writes");
    }
    staging
}

#[test]
fn publishes_a_new_folder_and_replaces_an_old_one_whole() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("a/b/report");
    let first = stage(&out, &[("summary.json", "1"), ("cluster.csv", "old")]);
    // Nothing is visible before publishing.
    assert!(!out.exists());
    let paths = first.publish().expect("publishes");
    assert_eq!(
        paths,
        vec![out.join("cluster.csv"), out.join("summary.json")]
    );
    stage(&out, &[("summary.json", "2")])
        .publish()
        .expect("publishes");
    // The second report, alone: no cluster.csv left from the first.
    assert_eq!(files(&out), vec![("summary.json".into(), "2".into())]);
    // No staging folder is left beside it.
    assert_eq!(
        std::fs::read_dir(tmp.path().join("a/b")).unwrap().count(),
        1
    );
}

#[test]
fn a_discarded_run_leaves_nothing_it_created() {
    let tmp = tempfile::tempdir().expect("temp dir");
    stage(&tmp.path().join("x/y/report"), &[("summary.json", "1")]).discard();
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
    // Over an old report, a discarded run leaves the old report as it was.
    let out = tmp.path().join("report");
    stage(&out, &[("summary.json", "old")]).publish().unwrap();
    stage(&out, &[("summary.json", "new")]).discard();
    assert_eq!(files(&out), vec![("summary.json".into(), "old".into())]);
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[test]
fn a_killed_run_s_staging_folder_is_swept_by_the_next_run() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("report");
    // What a run killed while writing leaves: its own staging folder, with
    // the id of a process that no longer runs.
    let stale = tmp.path().join(".report.capsim-4294967295-0.tmp");
    std::fs::create_dir(&stale).unwrap();
    std::fs::write(stale.join("summary.json"), "half").unwrap();
    stage(&out, &[("summary.json", "1")]).publish().unwrap();
    assert!(!stale.exists());
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[test]
fn a_file_where_the_folder_should_be_is_refused() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("report");
    std::fs::write(&out, "not a folder").unwrap();
    let e = Staging::create(&out).expect_err("a file");
    assert!(e.to_string().contains("it is a file"), "{e}");
}

#[test]
fn two_runs_publishing_at_once_leave_one_whole_report() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("report");
    for round in 0..50 {
        let a = stage(&out, &[("summary.json", "a"), ("timeseries.csv", "a")]);
        let b = stage(&out, &[("summary.json", "b"), ("timeseries.csv", "b")]);
        let ta = std::thread::spawn(move || a.publish().map(|_| ()));
        let tb = std::thread::spawn(move || b.publish().map(|_| ()));
        ta.join().unwrap().expect("a publishes");
        tb.join().unwrap().expect("b publishes");
        let got = files(&out);
        assert!(
            got.iter().all(|(_, t)| t == "a") || got.iter().all(|(_, t)| t == "b"),
            "round {round}: {got:?}"
        );
        assert_eq!(got.len(), 2);
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
