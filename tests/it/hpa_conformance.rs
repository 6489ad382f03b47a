//! Every vector of `tests/data/hpa-vectors.json` (Kubernetes' own HPA tests)
//! through the `capsim hpa replay` binary.
//!
//! Each vector's inputs are translated into a replay file by their shape (not
//! by name), as documented in `docs/hpa-replay.md`; the binary's
//! `desired_replicas` must equal `expected_desired_replicas` (each step of a
//! multi-step vector).

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::{Map, Value, json};
use std::fs;
use tempfile::TempDir;

/// The vectors file.
const VECTORS: &str = include_str!("../data/hpa-vectors.json");

/// A quantity in milli-units as Kubernetes text.
fn milli(v: &Value) -> Value {
    json!(format!("{}m", v.as_i64().expect("milli value")))
}

/// Seconds (possibly fractional) as a duration string.
fn secs(v: &Value) -> Value {
    json!(format!(
        "{}ms",
        (v.as_f64().expect("seconds") * 1000.0).round() as i64
    ))
}

/// An `autoscaling/v2` metric spec from a vector's metric description.
fn metric_spec(m: &Value) -> Value {
    let kind = m["type"].as_str().expect("metric type");
    let name = m["name"].as_str().unwrap_or("m");
    if !["Resource", "Pods", "Object", "External"].contains(&kind) {
        // An invalid metric: an External metric whose value is never observed (its fetch fails).
        return json!({"type": "External", "external": {"metric": {"name": "invalid-metric"},
            "target": {"type": "Value", "value": "1"}}});
    }
    let target_type = m["target_type"].as_str().unwrap_or("");
    let target = if let Some(pct) = m.get("target_percent") {
        json!({"type": "Utilization", "averageUtilization": pct})
    } else if let Some(per_pod) = m.get("target_per_pod") {
        // Whole units; the type is written as the test wrote it (Value with averageValue).
        json!({"type": "Value", "averageValue": per_pod})
    } else if target_type == "Value" {
        json!({"type": "Value", "value": milli(&m["target_milli"])})
    } else {
        json!({"type": "AverageValue", "averageValue": milli(&m["target_milli"])})
    };
    match kind {
        "Resource" => json!({"type": "Resource", "resource": {"name": name, "target": target}}),
        "Pods" => json!({"type": "Pods", "pods": {"metric": {"name": name}, "target": target}}),
        "Object" => json!({"type": "Object", "object": {"metric": {"name": name},
            "describedObject": {"apiVersion": "v1", "kind": "Service", "name": "svc"}, "target": target}}),
        _ => json!({"type": "External", "external": {"metric": {"name": name}, "target": target}}),
    }
}

/// Controller settings of `replica_calculator_test.go`.
fn rc_controller() -> Value {
    json!({"cpu_initialization_period": "2m", "initial_readiness_delay": "10s"})
}

/// Controller settings of `horizontal_test.go`.
fn horizontal_controller() -> Value {
    json!({"tolerance": 0.1, "cpu_initialization_period": "2m", "initial_readiness_delay": "10s",
           "downscale_stabilization": "5m", "scale_up_limit_factor": 8})
}

/// Pod start: "hot" = started now; "cool" or unset = 3 minutes ago (Ready since start).
fn start_fields(pod: &mut Map<String, Value>, start: Option<&str>) {
    let ago = if start == Some("hot") { "0s" } else { "3m" };
    pod.insert("started".into(), json!(ago));
    pod.insert("ready_changed".into(), json!(ago));
}

/// Per-pod list entry `i` of `inputs[key]`, if present.
fn at<'a>(inputs: &'a Value, key: &str, i: usize) -> Option<&'a Value> {
    inputs.get(key).and_then(|l| l.get(i))
}

/// A replica-calculator vector: one metric, its pods, per-direction tolerance.
fn replica_calc(inputs: &Value) -> (Value, Vec<i64>) {
    let m = &inputs["metric"];
    let current = inputs["current_replicas"].as_i64().unwrap();
    let tol = &inputs["tolerance"];
    let hpa = json!({"minReplicas": 1, "maxReplicas": 100000, "metrics": [metric_spec(m)],
        "behavior": {
            "scaleUp": {"stabilizationWindowSeconds": 0, "tolerance": tol["up"],
                        "policies": [{"type": "Pods", "value": 100000, "periodSeconds": 15}]},
            "scaleDown": {"stabilizationWindowSeconds": 0, "tolerance": tol["down"]}}});
    let name = m["name"].as_str().unwrap_or("m");
    let mut obs = json!({"at": "0s", "replicas": current, "sample_window": "1m"});
    if let Some(s) = inputs.get("status_replicas") {
        obs["status_replicas"] = s.clone();
    }
    let n_pods = inputs
        .get("pod_requests_m")
        .or(inputs.get("pod_metric_values_milli"))
        .and_then(Value::as_array)
        .map(Vec::len);
    let n_pods = inputs
        .get("pod_count")
        .and_then(Value::as_u64)
        .map(|n| n as usize)
        .or(n_pods);
    let n_pods = n_pods.unwrap_or(current as usize);
    let ready_pods = inputs.get("ready_pods").and_then(Value::as_u64);
    let mut pods = Vec::new();
    for i in 0..n_pods {
        let mut pod = Map::new();
        pod.insert("name".into(), json!(format!("pod-{i}")));
        if let Some(phase) = at(inputs, "pod_phase", i) {
            pod.insert("phase".into(), phase.clone());
        }
        let ready = match ready_pods {
            Some(r) => json!((i as u64) < r),
            None => at(inputs, "pod_ready", i).cloned().unwrap_or(json!(true)),
        };
        pod.insert("ready".into(), ready);
        start_fields(&mut pod, at(inputs, "pod_start", i).and_then(Value::as_str));
        if let Some(req) = at(inputs, "pod_requests_m", i) {
            pod.insert("requests".into(), json!({name: milli(req)}));
        }
        if let Some(u) = at(inputs, "pod_usages_m", i) {
            pod.insert("usage".into(), json!({name: milli(u)}));
        }
        if let Some(v) = at(inputs, "pod_metric_values_milli", i) {
            pod.insert("metrics".into(), json!({name: milli(v)}));
        }
        pods.push(Value::Object(pod));
    }
    obs["pods"] = json!(pods);
    if let Some(v) = inputs.get("metric_value_milli") {
        let key = if m["type"] == "Object" {
            "object_metrics"
        } else {
            "external_metrics"
        };
        obs[key] = json!({name: milli(v)});
    }
    let replay = json!({"hpa": hpa, "controller": rc_controller(), "state": {"recommendations": []},
        "observations": [obs]});
    (replay, vec![0])
}

/// A full reconcile of `horizontal_test.go`.
fn horizontal(inputs: &Value) -> (Value, Vec<i64>) {
    let min = inputs["min_replicas"].as_i64().unwrap();
    let spec_replicas = inputs["spec_replicas"].as_i64().unwrap();
    let mut spec = json!({"minReplicas": min, "maxReplicas": inputs["max_replicas"]});
    let metrics: Vec<Value> = inputs["metrics"].as_array().cloned().unwrap_or_default();
    let mut specs: Vec<Value> = metrics.iter().map(metric_spec).collect();
    let zero_ok = metrics
        .iter()
        .any(|m| m["type"] == "Object" || m["type"] == "External");
    let mut external = Map::new();
    if min == 0 && !zero_ok {
        // minReplicas 0 needs an Object/External metric: add one reading 0 (proposes 0).
        specs.push(
            json!({"type": "External", "external": {"metric": {"name": "zero"},
            "target": {"type": "Value", "value": "1"}}}),
        );
        external.insert("zero".into(), json!(0));
    }
    if !specs.is_empty() {
        spec["metrics"] = json!(specs);
    }
    if let Some(b) = inputs.get("behavior") {
        let mut behavior = Map::new();
        for dir in ["scaleUp", "scaleDown"] {
            if b[dir].is_object() {
                behavior.insert(dir.into(), b[dir].clone());
            }
        }
        spec["behavior"] = Value::Object(behavior);
    }
    // An HPA at zero replicas with minReplicas 0 got there itself: ScaledToZero=True.
    let hpa = if spec_replicas == 0 && min == 0 {
        json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "hpa"}, "spec": spec,
            "status": {"conditions": [{"type": "ScaledToZero", "status": "True"}]}})
    } else {
        spec
    };
    let mut object = Map::new();
    for m in &metrics {
        if let Some(v) = m.get("value_milli") {
            let target = if m["type"] == "Object" {
                &mut object
            } else {
                &mut external
            };
            target.insert(m["name"].as_str().unwrap().into(), milli(v));
        }
    }
    let mut pods = Vec::new();
    if let Some(p) = inputs.get("pods") {
        let requests = p["requests_m"].as_array().unwrap();
        for (i, req) in requests.iter().enumerate() {
            let mut pod = json!({"name": format!("pod-{i}"), "ready": true, "started": "10m",
                "ready_changed": "10m", "requests": {"cpu": milli(req)}});
            if let Some(level) = p["usages"].get(i) {
                pod["usage"] = json!({"cpu": milli(level)});
                let names: Map<String, Value> = metrics
                    .iter()
                    .filter(|m| m["type"] == "Pods")
                    .map(|m| (m["name"].as_str().unwrap().to_string(), milli(level)))
                    .collect();
                pod["metrics"] = Value::Object(names);
            }
            pods.push(pod);
        }
    }
    if let Some(n) = inputs.get("ready_pods").and_then(Value::as_u64) {
        pods = (0..n)
            .map(|i| json!({"name": format!("pod-{i}"), "ready": true, "started": "10m"}))
            .collect();
    }
    let mut replay = json!({"hpa": hpa, "controller": horizontal_controller(),
        "observations": [{"at": "0s", "replicas": spec_replicas,
            "status_replicas": inputs["status_replicas"], "pods": pods,
            "object_metrics": object, "external_metrics": external}]});
    match &inputs["recommendation_history"] {
        Value::Array(list) => {
            let recs: Vec<Value> = list
                .iter()
                .map(|r| json!({"replicas": r[0], "age": secs(&r[1])}))
                .collect();
            replay["state"] = json!({"recommendations": recs});
        }
        Value::String(s) if s == "empty" => replay["state"] = json!({"recommendations": []}),
        _ => {}
    }
    (replay, vec![0])
}

/// One direction's rules from a function-level vector ("API defaults …" = omitted).
fn rules(v: &Value, window: Option<&Value>) -> Option<Value> {
    let mut r = match v {
        Value::Object(_) => v.clone(),
        _ => json!({}),
    };
    if let Some(w) = window {
        r["stabilizationWindowSeconds"] = w.clone();
    }
    (r.as_object().is_some_and(|m| !m.is_empty())).then_some(r)
}

/// Function-level vectors: the prenormalized proposal becomes an External
/// AverageValue metric of target 1 whose value is the proposal.
fn function_level(inputs: &Value) -> (Value, Vec<i64>) {
    let function = inputs["function"].as_str().unwrap();
    let legacy =
        function.contains("convertDesiredReplicasWithRules") || function.contains("legacy path");
    let proposal = inputs
        .get("prenormalized_desired")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let current = inputs
        .get("current_replicas")
        .and_then(Value::as_i64)
        .unwrap_or(proposal);
    let min = inputs
        .get("min_replicas")
        .and_then(Value::as_i64)
        .unwrap_or(if inputs.get("prenormalized_desired").is_some() {
            1
        } else {
            0
        });
    let max = inputs
        .get("max_replicas")
        .and_then(Value::as_i64)
        .unwrap_or(1000);
    let mut spec = json!({"minReplicas": min, "maxReplicas": max, "metrics": [
        {"type": "External", "external": {"metric": {"name": "proposal"},
            "target": {"type": "AverageValue", "averageValue": "1"}}}]});
    if !legacy {
        let mut behavior = Map::new();
        if let Some(r) = rules(
            &inputs["scaleUp"],
            inputs.get("scaleUp_stabilizationWindowSeconds"),
        ) {
            behavior.insert("scaleUp".into(), r);
        }
        if let Some(r) = rules(
            &inputs["scaleDown"],
            inputs.get("scaleDown_stabilizationWindowSeconds"),
        ) {
            behavior.insert("scaleDown".into(), r);
        }
        spec["behavior"] = Value::Object(behavior);
    }
    let mut controller = json!({"tolerance": 0});
    if let Some(f) = inputs.get("scaleUpLimitFactor") {
        controller["scale_up_limit_factor"] = f.clone();
    } else if legacy {
        controller["scale_up_limit_factor"] = json!(8);
    }
    if let Some(w) = inputs.get("downscale_window_s") {
        controller["downscale_stabilization"] = secs(w);
    }
    let events = |key: &str| -> Vec<Value> {
        inputs
            .get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|e| json!({"change": e[0], "age": secs(&e[1])}))
            .collect()
    };
    let recs: Vec<Value> = inputs
        .get("recommendations_[value,age_s]")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|r| json!({"replicas": r[0], "age": secs(&r[1])}))
        .collect();
    let replay = json!({"hpa": spec, "controller": controller,
        "state": {"recommendations": recs, "scale_up_events": events("scaleUpEvents_[change,age_s]"),
            "scale_down_events": events("scaleDownEvents_[change,age_s]")},
        "observations": [{"at": "0s", "replicas": current, "status_replicas": current,
            "external_metrics": {"proposal": proposal}}]});
    (replay, vec![0])
}

/// The multi-step integration test: an External metric over several syncs.
fn steps(inputs: &Value) -> (Value, Vec<i64>) {
    let (mut replay, _) = replica_calc(&json!({"metric": inputs["metric"], "current_replicas": 0,
        "tolerance": {"up": 0.1, "down": 0.1}}));
    replay["hpa"] = json!({"minReplicas": inputs["min_replicas"], "maxReplicas": inputs["max_replicas"],
        "metrics": [metric_spec(&inputs["metric"])], "behavior": inputs["behavior"]});
    replay["controller"] = json!({"downscale_stabilization": "0s"});
    replay.as_object_mut().unwrap().remove("state");
    let initial = inputs["initial_replicas"].clone();
    let mut obs = vec![
        json!({"at": "0s", "replicas": initial, "external_metrics": {"m": inputs["initial_metric"]}}),
    ];
    let mut compared = Vec::new();
    for (i, s) in inputs["steps"].as_array().unwrap().iter().enumerate() {
        obs.push(
            json!({"at": format!("{}s", 15 * (i + 1)), "replicas": s["status_replicas"],
            "status_replicas": s["status_replicas"], "external_metrics": {"m": s["metric"]}}),
        );
        compared.push(i as i64 + 1);
    }
    replay["observations"] = json!(obs);
    (replay, compared)
}

/// The replay file for a vector, and which output lines to compare.
fn translate(v: &Value) -> (Value, Vec<i64>) {
    let inputs = &v["inputs"];
    if inputs.get("steps").is_some() {
        steps(inputs)
    } else if inputs.get("function").is_some() {
        function_level(inputs)
    } else if inputs.get("metric").is_some() {
        replica_calc(inputs)
    } else {
        horizontal(inputs)
    }
}

#[test]
fn every_vector_passes_through_the_replay_binary() {
    let vectors: Vec<Value> = serde_json::from_str(VECTORS).unwrap();
    assert_eq!(vectors.len(), 70);
    let dir = TempDir::new().unwrap();
    let mut failures = Vec::new();
    for (n, v) in vectors.iter().enumerate() {
        let name = v["name"].as_str().unwrap();
        let (replay, compared) = translate(v);
        let file = dir.path().join(format!("vector-{n}.json"));
        fs::write(&file, serde_json::to_string_pretty(&replay).unwrap()).unwrap();
        let out = cargo_bin_cmd!("capsim")
            .args(["hpa", "replay"])
            .arg(&file)
            .output()
            .unwrap();
        if !out.status.success() {
            failures.push(format!(
                "{name}: exit {:?}: {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
            continue;
        }
        let lines: Vec<Value> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let expected: Vec<i64> = match &v["expected_desired_replicas"] {
            Value::Array(list) => list.iter().map(|x| x.as_i64().unwrap()).collect(),
            x => vec![x.as_i64().unwrap()],
        };
        let got: Vec<i64> = compared
            .iter()
            .map(|&i| lines[i as usize]["desired_replicas"].as_i64().unwrap())
            .collect();
        if got != expected {
            failures.push(format!("{name}: expected {expected:?}, got {got:?}\n  replay: {replay}\n  output: {lines:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 70 vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
