//! `capsim hpa replay`: output shape, controller state carried across
//! observations, and bad input (exit 2 with file:line:col, path and hint).

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use std::fs;
use tempfile::TempDir;

/// Writes `text` as `replay.yaml` in a fresh folder and runs the replay.
fn replay(text: &str) -> (TempDir, std::process::Output) {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("replay.yaml");
    fs::write(&file, text).unwrap();
    let out = cargo_bin_cmd!("capsim")
        .args(["hpa", "replay"])
        .arg(&file)
        .output()
        .unwrap();
    (dir, out)
}

/// The JSON lines of a successful replay.
fn lines(text: &str) -> Vec<Value> {
    let (_dir, out) = replay(text);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The error output of a failing replay (asserting exit code 2).
fn error(text: &str) -> String {
    let (_dir, out) = replay(text);
    assert_eq!(
        out.status.code(),
        Some(2),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stderr).unwrap()
}

/// Three pods at `cpu` millicores each of a 1000m request, ready for 10 minutes.
fn pods(cpu: u32) -> String {
    (0..3)
        .map(|i| format!("      - {{ name: p{i}, started: 10m, requests: {{ cpu: 1000m }}, usage: {{ cpu: {cpu}m }} }}\n"))
        .collect()
}

const CPU_HPA: &str = "hpa:
  minReplicas: 1
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 50 } }
";

#[test]
fn output_has_one_json_object_per_observation() {
    let text = format!(
        "{CPU_HPA}observations:\n  - at: 0s\n    replicas: 3\n    pods:\n{}  - at: 15s\n    replicas: 3\n    pods:\n{}",
        pods(900),
        pods(500)
    );
    let out = lines(&text);
    assert_eq!(out.len(), 2);
    // 2700m of 3000m = 90 % / 50 % = 1.8 × 3 → 6 (legacy cap max(2×3, 4) = 6).
    assert_eq!(out[0]["at_s"], 0.0);
    assert_eq!(out[0]["replicas"], 3);
    assert_eq!(out[0]["desired_replicas"], 6);
    assert_eq!(out[0]["recommendation"], 6);
    assert_eq!(out[0]["reason"], "DesiredWithinRange");
    assert_eq!(out[0]["metrics"][0]["name"], "cpu");
    assert_eq!(out[0]["metrics"][0]["current"], 90.0);
    assert_eq!(out[0]["metrics"][0]["proposal"], 6);
    // 15 s later at 50 %: the proposal is 3, but the 6 of 15 s ago is in the window.
    assert_eq!(out[1]["at_s"], 15.0);
    assert_eq!(out[1]["recommendation"], 3);
    assert_eq!(out[1]["desired_replicas"], 6);
    assert_eq!(out[1]["reason"], "ScaleDownStabilized");
}

#[test]
fn a_range_check_gives_a_null_recommendation() {
    let text = format!("{CPU_HPA}observations:\n  - at: 0s\n    replicas: 12\n");
    let out = lines(&text);
    assert_eq!(out[0]["desired_replicas"], 10);
    assert_eq!(out[0]["recommendation"], Value::Null);
    assert_eq!(out[0]["reason"], "TooManyReplicas");
}

#[test]
fn legacy_downscale_stabilization_over_five_minutes_of_syncs() {
    // First sight seeds (4, 0 s). Three pods at 20 %: 20 / 50 × 3 = 1.2 → 2.
    // Every sync up to 300 s still sees the seeded 4 (a recommendation exactly
    // as old as the window counts); at 315 s it has expired.
    let mut text = format!("{CPU_HPA}observations:\n");
    for i in 0..=21 {
        text.push_str(&format!(
            "  - at: {}s\n    replicas: 4\n    pods:\n{}",
            i * 15,
            pods(200)
        ));
    }
    let out = lines(&text);
    for (i, line) in out.iter().enumerate() {
        let at = i * 15;
        let expected = if at <= 300 { 4 } else { 2 };
        assert_eq!(line["recommendation"], 2, "at {at}s");
        assert_eq!(line["desired_replicas"], expected, "at {at}s");
        if at <= 300 {
            assert_eq!(line["reason"], "ScaleDownStabilized");
        }
    }
}

#[test]
fn behavior_policies_across_periods_and_preset_state() {
    // Scale-up 1 pod per 60 s; a scale-up event 45 s before the first sync.
    let text = "hpa:
  maxReplicas: 20
  metrics:
    - type: External
      external: { metric: { name: q }, target: { type: AverageValue, averageValue: 1 } }
  behavior:
    scaleUp: { policies: [{ type: Pods, value: 1, periodSeconds: 60 }] }
state:
  recommendations: []
  scale_up_events: [{ change: 1, age: 45s }]
observations:
  - { at: 0s, replicas: 5, external_metrics: { q: 10 } }
  - { at: 15s, replicas: 5, external_metrics: { q: 10 } }
  - { at: 30s, replicas: 6, external_metrics: { q: 10 } }
  - { at: 75s, replicas: 6, external_metrics: { q: 10 } }
  - { at: 90s, replicas: 7, external_metrics: { q: 10 } }
";
    let out = lines(text);
    let desired: Vec<i64> = out
        .iter()
        .map(|l| l["desired_replicas"].as_i64().unwrap())
        .collect();
    // 0 s: the preset event (45 s old) is inside the period: start 4, limit 5 → stay 5.
    // 15 s: it is exactly 60 s old (outside): limit 6 → 6 (event stored at 15 s).
    // 30 s: the 15 s event counts: start 5 → limit 6 = current → 6.
    // 75 s: exactly 60 s after 15 s: outside → 7. 90 s: the 75 s event counts → 7.
    assert_eq!(desired, vec![5, 6, 6, 7, 7]);
    assert_eq!(out[0]["reason"], "ScaleUpLimit");
}

#[test]
fn absent_state_key_means_first_sight_but_empty_list_means_seen() {
    let obs = "observations:\n  - { at: 0s, replicas: 5, external_metrics: { q: 2 } }\n";
    let hpa = "hpa:\n  maxReplicas: 20\n  metrics:\n    - type: External\n      external: { metric: { name: q }, target: { type: AverageValue, averageValue: 1 } }\n";
    assert_eq!(lines(&format!("{hpa}{obs}"))[0]["desired_replicas"], 5);
    assert_eq!(
        lines(&format!("{hpa}state: {{ recommendations: [] }}\n{obs}"))[0]["desired_replicas"],
        2
    );
}

#[test]
fn failed_external_fetch_blocks_scale_down_only() {
    let text = "hpa:
  maxReplicas: 20
  metrics:
    - type: External
      external: { metric: { name: a }, target: { type: AverageValue, averageValue: 1 } }
    - type: External
      external: { metric: { name: b }, target: { type: AverageValue, averageValue: 1 } }
state: { recommendations: [] }
observations:
  - { at: 0s, replicas: 5, external_metrics: { a: 2 } }
  - { at: 15s, replicas: 5, external_metrics: { a: 8 } }
";
    let out = lines(text);
    assert_eq!(
        (
            out[0]["desired_replicas"].as_i64(),
            out[0]["reason"].as_str()
        ),
        (Some(5), Some("InvalidMetrics"))
    );
    assert_eq!(out[0]["recommendation"], Value::Null);
    assert!(
        out[0]["metrics"][1]["error"]
            .as_str()
            .unwrap()
            .contains("b")
    );
    assert_eq!(out[1]["desired_replicas"], 8);
}

// ---------------------------------------------------------------- bad input

/// Asserts the error names `file:line:col`, contains every `parts`, and has a hint.
fn assert_located(err: &str, line_col: &str, parts: &[&str]) {
    assert!(err.contains(&format!("replay.yaml:{line_col}")), "{err}");
    for p in parts {
        assert!(err.contains(p), "missing {p:?} in:\n{err}");
    }
    assert!(err.contains("hint:"), "{err}");
}

#[test]
fn unknown_key_in_the_replay_file() {
    let err = error(
        "hpa: { maxReplicas: 3 }\nobservations:\n  - at: 0s\n    replicas: 1\n    replicaz: 2\n",
    );
    assert_located(&err, "5:5", &["observations[0]", "replicaz"]);
}

#[test]
fn unknown_key_in_the_hpa_spec() {
    let err = error("hpa:\n  maxReplicas: 3\n  minReplica: 1\nobservations: []\n");
    assert_located(
        &err,
        "3:",
        &["hpa.minReplica", "unknown field", "minReplicas"],
    );
}

#[test]
fn unknown_metric_type() {
    let err =
        error("hpa:\n  maxReplicas: 3\n  metrics:\n    - type: CheddarCheese\nobservations: []\n");
    assert_located(
        &err,
        "4:",
        &[
            "hpa.metrics[0].type",
            "Resource, ContainerResource, Pods, Object or External",
        ],
    );
}

#[test]
fn pod_without_requests_for_a_utilization_metric() {
    let text = format!(
        "{CPU_HPA}observations:\n  - at: 0s\n    replicas: 2\n    pods:\n      - {{ name: a, started: 10m, requests: {{ cpu: 1 }}, usage: {{ cpu: 1 }} }}\n      - {{ name: b, started: 10m, usage: {{ cpu: 1 }} }}\n"
    );
    let err = error(&text);
    assert_located(&err, "12:9", &["observations[0].pods[1]", "requests.cpu"]);
}

#[test]
fn observations_out_of_order() {
    let err = error(
        "hpa: { maxReplicas: 3 }\nobservations:\n  - { at: 30s, replicas: 1 }\n  - { at: 15s, replicas: 1 }\n",
    );
    assert_located(&err, "4:", &["observations[1].at", "time order"]);
}

#[test]
fn bad_duration_and_quantity() {
    let err =
        error("hpa: { maxReplicas: 3 }\nobservations:\n  - { at: 10 minutes, replicas: 1 }\n");
    assert_located(&err, "3:", &["observations[0].at", "duration"]);
    let err = error(
        "hpa: { maxReplicas: 3 }\nobservations:\n  - { at: 0s, replicas: 1, external_metrics: { q: 5 cores } }\n",
    );
    assert_located(&err, "3:", &["external_metrics", "quantity"]);
}

#[test]
fn invalid_hpa_spec_values() {
    let err = error(
        "hpa:\n  maxReplicas: 3\n  behavior:\n    scaleDown:\n      policies:\n        - { type: Pods, value: 1, periodSeconds: 3600 }\nobservations: []\n",
    );
    assert_located(
        &err,
        "6:",
        &["hpa.behavior.scaleDown.policies[0].periodSeconds", "1800"],
    );
}

#[test]
fn missing_file() {
    let out = cargo_bin_cmd!("capsim")
        .args(["hpa", "replay", "no/such/replay.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("no/such/replay.yaml") && err.contains("hint:"),
        "{err}"
    );
}

// ---------------------------------------------------------------- fuzzing

mod fuzz {
    use capsim::replay::replay_str;
    use proptest::prelude::*;
    use std::path::Path;

    /// A replay using every feature: both paths' inputs, all metric kinds, state.
    const FULL: &str = "hpa:
  apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  metadata: { name: web }
  spec:
    minReplicas: 1
    maxReplicas: 50
    metrics:
      - type: Resource
        resource: { name: cpu, target: { type: Utilization, averageUtilization: 60 } }
      - type: Resource
        resource: { name: memory, target: { type: AverageValue, averageValue: 512Mi } }
      - type: Pods
        pods: { metric: { name: rps }, target: { type: AverageValue, averageValue: 10 } }
      - type: Object
        object: { metric: { name: o }, describedObject: { kind: Service, name: s }, target: { type: Value, value: 3 } }
      - type: External
        external: { metric: { name: q }, target: { type: AverageValue, averageValue: 100 } }
    behavior:
      scaleUp: { stabilizationWindowSeconds: 30, tolerance: 0.05, policies: [{ type: Percent, value: 50, periodSeconds: 60 }] }
      scaleDown: { selectPolicy: Min, policies: [{ type: Pods, value: 1, periodSeconds: 30 }] }
  status: { conditions: [{ type: ScaledToZero, status: \"False\" }] }
controller: { tolerance: 0.1, cpu_initialization_period: 2m, initial_readiness_delay: 10s, downscale_stabilization: 1m, scale_up_limit_factor: 2, scale_up_limit_minimum: 4 }
state:
  recommendations: [{ replicas: 4, age: 30s }]
  scale_up_events: [{ change: 1, age: 20s }]
  scale_down_events: [{ change: 2, age: 50s }]
observations:
  - at: 0s
    replicas: 4
    status_replicas: 3
    sample_window: 30s
    pods:
      - { name: a, phase: Running, ready: true, started: 10m, ready_changed: 9m, requests: { cpu: 500m, memory: 1Gi }, usage: { cpu: 400m, memory: 600Mi }, sample_age: 5s, metrics: { rps: 12 } }
      - { name: b, phase: Pending, ready: none, requests: { cpu: 500m } }
      - { name: c, deleted: true, ready: false, started: 1m, requests: { cpu: 1 }, usage: { cpu: 2 } }
    object_metrics: { o: 4 }
    external_metrics: { q: 350 }
  - { at: 15s, replicas: 5, external_metrics: { q: 900 } }
";

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Deleting, duplicating or replacing a slice of the file never panics.
        #[test]
        fn damaged_replays_never_panic(start in 0usize..2000, len in 0usize..40, junk in "[ -~\n]{0,12}", mode in 0u8..3) {
            let text = FULL;
            let start = start.min(text.len());
            let end = (start + len).min(text.len());
            if text.is_char_boundary(start) && text.is_char_boundary(end) {
                let damaged = match mode {
                    0 => format!("{}{}", &text[..start], &text[end..]),
                    1 => format!("{}{}{}", &text[..end], &text[start..end], &text[end..]),
                    _ => format!("{}{}{}", &text[..start], junk, &text[end..]),
                };
                let _ = replay_str(&damaged, Path::new("fuzz.yaml"));
            }
        }
    }

    #[test]
    fn the_full_replay_runs() {
        let lines = replay_str(FULL, Path::new("full.yaml")).unwrap();
        assert_eq!(lines.len(), 2);
    }
}

#[test]
fn scaled_to_zero_is_carried_between_syncs() {
    // 2 → 0 (queue empty), then the queue fills: scale up from zero is allowed
    // because the HPA itself scaled to zero.
    let text = "hpa:
  minReplicas: 0
  maxReplicas: 10
  metrics:
    - type: External
      external: { metric: { name: q }, target: { type: Value, value: 10 } }
state: { recommendations: [] }
observations:
  - at: 0s
    replicas: 2
    pods: [{ name: a, started: 1m }, { name: b, started: 1m }]
    external_metrics: { q: 0 }
  - { at: 15s, replicas: 0, external_metrics: { q: 25 } }
";
    let out = lines(text);
    assert_eq!(out[0]["desired_replicas"], 0);
    // From zero: ceil(25 / 10) = 3, no tolerance, no pods.
    assert_eq!(out[1]["desired_replicas"], 3);
}
