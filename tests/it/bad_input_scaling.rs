//! Bad autoscaling input in scenario files: HPA specs and manifests, pod
//! lifecycle, platforms, controller flags and the metrics pipeline. Each
//! must fail with exit code 2 and a located error with a hint.

use crate::common::cases::{Case, validate};

/// A valid scenario with an HPA; tests replace one piece of it.
const BASE: &str = "\
name: t
duration: 2m
services:
  - name: api
    traffic:
      rate:
        - constant: { rps: 10 }
    request:
      cpu: { exponential: { mean: 10ms } }
    pod:
      concurrency: 4
      requests: { cpu: 500m, memory: 256Mi }
      startup:
        image_pull: { constant: 5s }
        readiness: { initialDelaySeconds: 0, periodSeconds: 5 }
    hpa:
      minReplicas: 2
      maxReplicas: 5
      metrics:
        - type: Resource
          resource: { name: cpu, target: { type: Utilization, averageUtilization: 60 } }
";

crate::common::cases::base_scenario!();

#[test]
fn hpa_with_an_unknown_metric_type() {
    validate(&base_with("- type: Resource", "- type: Resourse")).error_at(
        "s.yaml",
        20,
        17,
        "services[0].hpa.metrics[0].type",
        &["Resourse", "Resource", "Pods", "External"],
    );
}

#[test]
fn hpa_with_min_above_max() {
    validate(&base_with("minReplicas: 2", "minReplicas: 7")).fails_with(&[
        "s.yaml:",
        "services[0].hpa",
        "minReplicas",
        "maxReplicas",
    ]);
}

#[test]
fn hpa_manifest_that_does_not_exist() {
    let hpa = BASE.find("    hpa:").unwrap();
    let text = format!(
        "{}    hpa: {{ manifest: k8s/missing.yaml }}\n",
        &BASE[..hpa]
    );
    validate(&text).fails_with(&["missing.yaml", "hint:"]);
}

#[test]
fn hpa_manifest_that_is_not_a_path() {
    let hpa = BASE.find("    hpa:").unwrap();
    let text = format!("{}    hpa: {{ manifest: 5 }}\n", &BASE[..hpa]);
    validate(&text).error_at(
        "s.yaml",
        16,
        22,
        "services[0].hpa.manifest",
        &["path of a manifest file"],
    );
}

#[test]
fn hpa_manifest_with_inline_fields_too() {
    let hpa = BASE.find("    hpa:").unwrap();
    let text = format!(
        "{}    hpa: {{ manifest: h.yaml, maxReplicas: 4 }}\n",
        &BASE[..hpa]
    );
    validate(&text).fails_with(&["services[0].hpa.maxReplicas", "not both"]);
}

#[test]
fn hpa_picked_from_a_manifest_with_several_documents() {
    let hpa = BASE.find("    hpa:").unwrap();
    let text = format!("{}    hpa: {{ manifest: k8s/app.yaml }}\n", &BASE[..hpa]);
    let manifest = "\
apiVersion: apps/v1
kind: Deployment
metadata: { name: api }
spec: { replicas: 2 }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: api-hpa }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }
  minReplicas: 2
  maxReplicas: 4
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 60 } }
";
    let out = Case::new(&text)
        .file("k8s/app.yaml", manifest)
        .validate("s.yaml");
    assert_eq!(out.code, Some(0), "{}", out.stderr);
}

#[test]
fn cpu_utilization_without_a_cpu_request() {
    validate(&base_with(
        "requests: { cpu: 500m, memory: 256Mi }",
        "requests: { memory: 256Mi }",
    ))
    .error_at(
        "s.yaml",
        20,
        11,
        "services[0].hpa.metrics[0]",
        &["request CPU"],
    );
}

#[test]
fn memory_metric_without_a_memory_model() {
    validate(&base_with("name: cpu, target", "name: memory, target")).error_at(
        "s.yaml",
        20,
        11,
        "services[0].hpa.metrics[0]",
        &["memory model", "memory_usage"],
    );
}

#[test]
fn pods_metric_capsim_does_not_measure() {
    validate(&base_with(
        "- type: Resource
          resource: { name: cpu, target: { type: Utilization, averageUtilization: 60 } }",
        "- type: Pods
          pods: { metric: { name: queue_messages }, target: { type: AverageValue, averageValue: \"30\" } }",
    ))
    .error_at(
        "s.yaml",
        20,
        11,
        "services[0].hpa.metrics[0]",
        &["queue_messages", "http_requests_per_second"],
    );
}

#[test]
fn replicas_missing_without_an_autoscaler() {
    let hpa = BASE.find("    hpa:").unwrap();
    validate(&BASE[..hpa]).error_at(
        "s.yaml",
        4,
        11,
        "services[0].replicas",
        &["expected `replicas`"],
    );
}

#[test]
fn boot_time_on_a_kubernetes_service() {
    validate(&base_with(
        "image_pull: { constant: 5s }",
        "boot: { constant: 5s }",
    ))
    .error_at(
        "s.yaml",
        14,
        15,
        "services[0].pod.startup.boot",
        &["no `boot`"],
    );
}

#[test]
fn instance_type_on_a_kubernetes_service() {
    validate(&base_with(
        "  - name: api\n",
        "  - name: api\n    instance_type: m5.large\n",
    ))
    .error_at(
        "s.yaml",
        5,
        20,
        "services[0].instance_type",
        &["platform: vm"],
    );
}

#[test]
fn hpa_on_a_vm_service() {
    validate(&base_with(
        "  - name: api\n",
        "  - name: api\n    platform: vm\n    instance_type: m5.large\n",
    ))
    .error_at("s.yaml", 19, 7, "services[0].hpa", &["no HPA"]);
}

#[test]
fn readiness_period_of_zero() {
    validate(&base_with("periodSeconds: 5", "periodSeconds: 0")).error_at(
        "s.yaml",
        15,
        61,
        "services[0].pod.startup.readiness.periodSeconds",
        &["1 to 3600"],
    );
}

#[test]
fn unknown_key_in_startup() {
    validate(&base_with("image_pull:", "image_pul:")).error_at(
        "s.yaml",
        14,
        9,
        "services[0].pod.startup.image_pul",
        &["unknown field `image_pul`", "image_pull"],
    );
}

#[test]
fn warmup_that_speeds_up() {
    validate(&base_with(
        "      startup:\n",
        "      warmup: { duration: 1m, slowdown: 0.5 }\n      startup:\n",
    ))
    .error_at(
        "s.yaml",
        13,
        41,
        "services[0].pod.warmup.slowdown",
        &["at least 1"],
    );
}

#[test]
fn pipeline_window_not_a_multiple_of_the_scrape() {
    validate(&base_with(
        "services:\n",
        "metrics_pipeline: { custom: { scrape: 30s, window: 45s } }\nservices:\n",
    ))
    .error_at(
        "s.yaml",
        3,
        52,
        "metrics_pipeline.custom.window",
        &["multiple of the scrape period"],
    );
}

#[test]
fn sync_period_with_a_fraction_of_a_second() {
    validate(&base_with(
        "services:\n",
        "hpa_controller: { sync_period: 1500ms }\nservices:\n",
    ))
    .error_at(
        "s.yaml",
        3,
        32,
        "hpa_controller.sync_period",
        &["whole number of seconds"],
    );
}

#[test]
fn unknown_instance_type_with_a_suggestion() {
    let hpa = BASE.find("    hpa:").unwrap();
    let text = base_with(
        "  - name: api\n",
        "  - name: api\n    platform: vm\n    instance_type: m5.larg\n    replicas: 2\n",
    );
    let hpa2 = text.find("    hpa:").unwrap();
    assert!(hpa2 > hpa);
    validate(&text[..hpa2]).error_at(
        "s.yaml",
        6,
        20,
        "services[0].instance_type",
        &[
            "known EC2 instance type",
            "m5.larg",
            "did you mean m5.large",
        ],
    );
}

#[test]
fn asg_on_a_kubernetes_service() {
    let hpa = BASE.find("    hpa:").unwrap();
    let text = format!(
        "{}    replicas: 2\n    asg: {{ min: 1, max: 3, policies: [] }}\n",
        &BASE[..hpa]
    );
    validate(&text).error_at("s.yaml", 17, 10, "services[0].asg", &["no `asg`"]);
}
