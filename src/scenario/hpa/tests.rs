//! Tests of reading HPA specs: defaults, validation paths, unknown keys, quantities.

use super::*;
use crate::spec::hpa::{MetricSource, MetricTarget, PolicyKind, Resource, SelectPolicy};
use serde_json::json;

fn bad(v: Value) -> SpecError {
    spec_from_value(&v).unwrap_err()
}

#[test]
fn bare_spec_with_defaults() {
    let s = spec_from_value(&json!({"maxReplicas": 10})).unwrap();
    assert_eq!((s.min_replicas, s.max_replicas), (1, 10));
    assert_eq!(s.metrics.len(), 1);
    assert_eq!(s.metrics[0].target, MetricTarget::Utilization(80));
    assert!(s.behavior.is_none() && !s.scaled_to_zero);
}

#[test]
fn behavior_defaults_and_supplied_policies_replace_the_list() {
    let s = spec_from_value(&json!({"maxReplicas": 10, "behavior": {
        "scaleDown": {"policies": [{"type": "Pods", "value": 1, "periodSeconds": 60}]},
        "scaleUp": {"tolerance": "0.3", "selectPolicy": "Min"}}}))
    .unwrap();
    let b = s.behavior.unwrap();
    assert_eq!(b.scale_up.stabilization_window_s, Some(0));
    assert_eq!(b.scale_up.select_policy, SelectPolicy::Min);
    assert_eq!(b.scale_up.policies.len(), 2);
    assert_eq!(b.scale_up.tolerance, Some(0.30000000000000004));
    assert_eq!(b.scale_down.stabilization_window_s, None);
    assert_eq!(b.scale_down.policies.len(), 1);
    assert_eq!(b.scale_down.policies[0].kind, PolicyKind::Pods);
    assert_eq!(b.scale_down.tolerance, None);
}

#[test]
fn whole_object_numbers_as_quantities_and_scaled_to_zero() {
    let s = spec_from_value(&json!({
        "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web", "labels": {"a": "b"}},
        "spec": {"minReplicas": 0, "maxReplicas": 5, "metrics": [
            {"type": "External", "external": {"metric": {"name": "q"}, "target": {"type": "Value", "averageValue": 100}}},
            {"type": "Object", "object": {"metric": {"name": "o"}, "describedObject": {"kind": "Service", "name": "s"},
                "target": {"type": "Value", "value": 2.5}}},
            {"type": "ContainerResource", "containerResource": {"name": "memory", "container": "app",
                "target": {"type": "AverageValue", "averageValue": "1Gi"}}}],
            "behavior": {"scaleUp": {"tolerance": 0.05}}},
        "status": {"desiredReplicas": 0, "conditions": [{"type": "ScaledToZero", "status": "True"}]}})).unwrap();
    assert!(s.scaled_to_zero);
    assert_eq!(s.min_replicas, 0);
    assert_eq!(s.metrics[0].target, MetricTarget::AverageValue(100_000));
    assert_eq!(s.metrics[1].target, MetricTarget::Value(2500));
    assert_eq!(
        s.metrics[2].source,
        MetricSource::Resource {
            resource: Resource::Memory,
            container: Some("app".into())
        }
    );
    assert_eq!(
        s.metrics[2].target,
        MetricTarget::AverageValue(1_073_741_824_000)
    );
    assert_eq!(s.behavior.unwrap().scale_up.tolerance, Some(0.05));
}

#[test]
fn unknown_keys_are_errors_with_paths() {
    let e = bad(json!({"maxReplicas": 3, "metrics": [{"type": "Resource",
        "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilisation": 50}}}]}));
    assert_eq!(e.path, "metrics[0].resource.target.averageUtilisation");
    assert!(e.message.contains("unknown field"), "{e}");
    assert!(e.hint.unwrap().contains("averageUtilization"));
    let e = bad(
        json!({"kind": "HorizontalPodAutoscaler", "spec": {"maxReplicas": 3, "minReplica": 1}}),
    );
    assert_eq!(e.path, "spec.minReplica");
}

#[test]
fn unknown_metric_type_names_the_valid_ones() {
    let e = bad(
        json!({"maxReplicas": 3, "metrics": [{"type": "Resource", "resource": {"name": "cpu",
        "target": {"type": "Utilization", "averageUtilization": 50}}}, {"type": "CheddarCheese"}]}),
    );
    assert_eq!(e.path, "metrics[1].type");
    assert!(
        e.message
            .contains("Resource, ContainerResource, Pods, Object or External"),
        "{e}"
    );
}

#[test]
fn api_validation() {
    let cases = [
        (json!({"maxReplicas": 0}), "maxReplicas"),
        (json!({"minReplicas": 0, "maxReplicas": 3}), "minReplicas"),
        (json!({"minReplicas": 4, "maxReplicas": 3}), "maxReplicas"),
        (
            json!({"maxReplicas": 3, "metrics": [{"type": "Pods"}]}),
            "metrics[0].pods",
        ),
        (
            json!({"maxReplicas": 3, "metrics": [{"type": "Resource", "resource": {"name": "gpu",
            "target": {"type": "Utilization", "averageUtilization": 5}}}]}),
            "metrics[0].resource.name",
        ),
        (
            json!({"maxReplicas": 3, "metrics": [{"type": "Resource", "resource": {"name": "cpu",
            "target": {"type": "Utilization", "averageUtilization": 0}}}]}),
            "metrics[0].resource.target.averageUtilization",
        ),
        (
            json!({"maxReplicas": 3, "metrics": [{"type": "External", "external": {"metric": {"name": "q"},
            "target": {"type": "Value", "value": "-1"}}}]}),
            "metrics[0].external.target.value",
        ),
        (
            json!({"maxReplicas": 3, "behavior": {"scaleUp": {"stabilizationWindowSeconds": 3601}}}),
            "behavior.scaleUp.stabilizationWindowSeconds",
        ),
        (
            json!({"maxReplicas": 3, "behavior": {"scaleDown": {"selectPolicy": "Most"}}}),
            "behavior.scaleDown.selectPolicy",
        ),
        (
            json!({"maxReplicas": 3, "behavior": {"scaleDown": {"policies": [{"type": "Pods", "value": 1, "periodSeconds": 1801}]}}}),
            "behavior.scaleDown.policies[0].periodSeconds",
        ),
        (
            json!({"maxReplicas": 3, "behavior": {"scaleDown": {"policies": [{"type": "Pods", "value": 0, "periodSeconds": 60}]}}}),
            "behavior.scaleDown.policies[0].value",
        ),
        (json!({"maxReplicas": "three"}), "maxReplicas"),
        (
            json!({"apiVersion": "autoscaling/v1", "spec": {"maxReplicas": 3}}),
            "apiVersion",
        ),
    ];
    for (v, path) in cases {
        let e = bad(v.clone());
        assert_eq!(e.path, path, "{v}: {e}");
        assert!(e.hint.is_some(), "{v}");
    }
}

/// A manifest with a Deployment and two HPAs.
const MANIFEST: &str = "apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  maxReplicas: 7
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: api }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }
  maxReplicas: 9
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilisation: 60 } }
";

fn manifest(text: &str, name: Option<&str>) -> Result<(HpaSpec, String), String> {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("hpa.yaml");
    std::fs::write(&path, text).unwrap();
    load_manifest(&path, name).map_err(|e| e.to_string())
}

#[test]
fn manifest_picks_the_named_hpa_among_documents() {
    let (spec, name) = manifest(MANIFEST, Some("web")).unwrap();
    assert_eq!((spec.max_replicas, name.as_str()), (7, "web"));
    let single = MANIFEST
        .split("---\n")
        .take(2)
        .collect::<Vec<_>>()
        .join("---\n");
    assert_eq!(manifest(&single, None).unwrap().1, "web");
}

#[test]
fn manifest_errors() {
    let e = manifest(MANIFEST, None).unwrap_err();
    assert!(
        e.contains("found 2: web, api") && e.contains("hint: say which one with name"),
        "{e}"
    );
    let e = manifest(MANIFEST, Some("db")).unwrap_err();
    assert!(e.contains("named \"db\"") && e.contains("hint:"), "{e}");
    let e = manifest("kind: Service\nmetadata: { name: s }\n", None).unwrap_err();
    assert!(e.contains("only Service") && e.contains("hint:"), "{e}");
    // The invalid spec is reported at its own line and column in the third document.
    let e = manifest(MANIFEST, Some("api")).unwrap_err();
    assert!(e.contains("hpa.yaml:20:"), "{e}");
    assert!(
        e.contains("spec.metrics[0].resource.target.averageUtilisation: unknown field"),
        "{e}"
    );
    let dir = tempfile::TempDir::new().unwrap();
    let e = load_manifest(&dir.path().join("nope.yaml"), None)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("nope.yaml") && e.contains("relative to the scenario's folder"),
        "{e}"
    );
}
