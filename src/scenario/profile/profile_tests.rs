//! Profiles read from a scenario: overrides, scale, and errors where they were written.

use super::*;
use crate::spec::Autoscaler;

/// A service of the test scenario: `extra` lines go after its replicas.
fn service(name: &str, replicas: u32, extra: &str) -> String {
    format!(
        "  - name: {name}\n    replicas: {replicas}\n{extra}    traffic: {{ rate: [ {{ constant: {{ rps: 20 }} }} ] }}\n    request: {{ cpu: {{ exponential: {{ mean: 10ms }} }} }}\n    pod: {{ concurrency: 4, requests: {{ cpu: 500m }} }}\n"
    )
}

/// The test scenario with `profiles` (lines) after its duration: `api`
/// with fixed replicas, `web` under an HPA.
fn with(profiles: &str) -> String {
    let hpa = "    hpa:\n      minReplicas: 3\n      maxReplicas: 9\n      metrics: [ { type: Resource, resource: { name: cpu, target: { type: Utilization, averageUtilization: 60 } } } ]\n";
    format!(
        "name: p\nduration: 2m\n{profiles}services:\n{}{}",
        service("api", 2, ""),
        service("web", 3, hpa)
    )
}

/// Line (1-based) of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> u32 {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("in the text") as u32
        + 1
}

fn read(text: &str, sets: &[&str], only: &[&str]) -> Result<Vec<Profile>, InputError> {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let only: Vec<String> = only.iter().map(|s| s.to_string()).collect();
    parse_profiles(text, Path::new("p.yaml"), &sets, &only)
}

fn hpa_range(s: &Scenario) -> (i32, i32) {
    match &s.services[1].autoscaler {
        Autoscaler::Hpa { spec, .. } => (spec.min_replicas, spec.max_replicas),
        _ => panic!("web has an HPA"),
    }
}

#[test]
fn without_profiles_one_default_profile_read_as_before() {
    let text = with("");
    let profiles = read(&text, &[], &[]).unwrap();
    assert_eq!(profiles.len(), 1);
    assert_eq!(profiles[0].name, "default");
    let plain = parse_str(&text, Path::new("p.yaml")).unwrap();
    assert_eq!(format!("{:?}", profiles[0].scenario), format!("{plain:?}"));
}

#[test]
fn each_profile_gets_its_overrides_and_its_scale() {
    let text = with(
        "profiles:
  - name: current
  - name: bigger
    description: more of everything
    set:
      services.api.replicas: 6
      services.web.hpa.maxReplicas: 20
      services.1.pod.concurrency: 16
  - name: staging
    scale: 0.5
",
    );
    let p = read(&text, &[], &[]).unwrap();
    let names: Vec<&str> = p.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["current", "bigger", "staging"]);
    assert_eq!(p[0].scenario.services[0].replicas, 2);
    assert_eq!(p[1].scenario.services[0].replicas, 6);
    assert_eq!(p[1].description.as_deref(), Some("more of everything"));
    assert_eq!(hpa_range(&p[1].scenario), (3, 20));
    assert_eq!(p[1].scenario.services[1].pod.concurrency, Some(16));
    // Halved and rounded up.
    assert_eq!(p[2].scenario.services[0].replicas, 1);
    assert_eq!(hpa_range(&p[2].scenario), (2, 5));
    // --set applies to every profile, after the profile's own.
    let p = read(&text, &["services.api.replicas=5"], &["current", "bigger"]).unwrap();
    assert_eq!(p.len(), 2);
    assert!(p.iter().all(|p| p.scenario.services[0].replicas == 5));
}

#[test]
fn errors_point_where_the_value_was_written() {
    // A bad value in a profile's set: entry: that entry's line.
    let text = with("profiles:\n  - name: a\n    set:\n      services.api.pod.concurrency: many\n");
    let e = read(&text, &[], &[]).unwrap_err();
    assert_eq!((e.line, e.column), (6, 37), "{e}");
    assert_eq!(e.path, "services[0].pod.concurrency");
    assert!(
        e.source_line
            .as_deref()
            .unwrap()
            .contains("concurrency: many"),
        "{e:?}"
    );
    // A bad value elsewhere in the file, with profiles: its own line.
    let bad = with("profiles:\n  - name: a\n").replacen("rps: 20 }", "rps: fast }", 1);
    let e = read(&bad, &[], &[]).unwrap_err();
    assert_eq!(e.line, line_of(&bad, "rps: fast"), "{e}");
    assert!(
        e.source_line.as_deref().unwrap().contains("rps: fast"),
        "{e:?}"
    );
    // A bad --set value: the argument, at the value.
    let e = read(&with(""), &["services.api.pod.concurrency=lots"], &[]).unwrap_err();
    assert_eq!(
        &*e.file,
        Path::new("--set services.api.pod.concurrency=lots")
    );
    assert_eq!(e.column, 36, "{e}");
}

#[test]
fn paths_that_match_nothing_and_bad_profiles_are_refused() {
    let cases = [
        (
            "profiles:\n  - name: a\n    set:\n      services.checkout.replicas: 2\n",
            (6, 7),
            "has no item `checkout`",
        ),
        (
            "profiles:\n  - name: a\n  - name: a\n",
            (5, 11),
            "a second profile named \"a\"",
        ),
        (
            "profiles:\n  - name: a\n    sett: {}\n",
            (5, 5),
            "unknown field `sett`",
        ),
        (
            "profiles:\n  - name: a\n    scale: -1\n",
            (5, 12),
            "a factor above 0",
        ),
        (
            "profiles:\n  - name: a\n    set:\n      duration: 1h\n",
            (6, 7),
            "cannot differ between profiles",
        ),
        (
            "profiles: { name: a }\n",
            (3, 11),
            "expected a list of profiles",
        ),
        (
            "profiles:\n  - description: x\n",
            (4, 5),
            "a profile without a name",
        ),
    ];
    for (profiles, at, words) in cases {
        let e = read(&with(profiles), &[], &[]).unwrap_err();
        assert_eq!(
            (u64::from(e.line), u64::from(e.column)),
            at,
            "{profiles}: {e}"
        );
        assert!(e.to_string().contains(words), "{profiles}: {e}");
    }
    let e = read(&with("profiles:\n  - name: a\n"), &[], &["b"]).unwrap_err();
    assert!(
        e.to_string().contains("--profile b names no profile"),
        "{e}"
    );
    assert!(
        e.hint.as_deref().unwrap().contains("its profiles are a"),
        "{e}"
    );
    let e = read(&with(""), &["services.api.replicas"], &[]).unwrap_err();
    assert!(e.to_string().contains("has no value"), "{e}");
}
