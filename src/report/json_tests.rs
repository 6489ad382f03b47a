//! Byte-exact test of `summary.json` on a hand-built summary: key order,
//! two-space indentation, integers as integers, floats with a decimal
//! point, `null` for missing figures, escaped quotes, keys absent when
//! their block is (`cluster`, `slo`, `cost_usd` without a bill, `by_service`
//! without a VM service), and the trailing newline.

use super::*;
use crate::analysis::cluster::CostSummary;
use crate::analysis::{LatencyCi, LatencySummary, ProfileSummary, ReplicaSummary, ServiceSummary};
use crate::metrics::Outcomes;
use std::collections::BTreeMap;

fn outcomes() -> Outcomes {
    Outcomes {
        offered: 10,
        completed: 7,
        rejected: 1,
        timed_out: 1,
        failed: 0,
        in_flight: 1,
    }
}

fn latency() -> LatencySummary {
    LatencySummary {
        mean: Some(31.7686),
        p50: Some(24.4613),
        p90: Some(60.2931),
        p95: Some(79.102),
        p99: Some(133.6279),
        p999: Some(252.3136),
        max: Some(1049.8922),
    }
}

fn profile(name: &str, cost_usd: Option<CostSummary>, ci: Option<LatencyCi>) -> ProfileSummary {
    ProfileSummary {
        name: name.into(),
        vs_first: None,
        requests: outcomes(),
        latency_ms: latency(),
        latency_ci95_ms: ci,
        services: vec![ServiceSummary {
            name: "app".into(),
            requests: outcomes(),
            latency_ms: LatencySummary::default(),
            replicas: ReplicaSummary {
                min: 2,
                max: 3,
                mean: 2.4364,
            },
            scaling_events: 2.0,
            headroom_to_max_replicas: Some(5),
            slo: None,
            headroom: None,
        }],
        cluster: None,
        cost_usd,
        slo: None,
    }
}

#[test]
fn summary_json_byte_for_byte() {
    let cost = CostSummary {
        total: 0.168,
        control_plane: 0.0,
        by_group: BTreeMap::new(),
        by_service: BTreeMap::from([("app".to_string(), 0.168)]),
        by_capacity: BTreeMap::from([("on-demand".to_string(), 0.168)]),
        per_million_requests: Some(0.3415),
    };
    let summary = Summary {
        scenario: "vm, \"quoted\"".into(),
        seed: 3,
        replications: 2,
        duration_s: 3600.0,
        warmup_s: 300.0,
        profiles: vec![
            profile("default", Some(cost), None),
            profile(
                "spot-heavy",
                None,
                Some(LatencyCi {
                    mean: 0.688,
                    p99: 4.1636,
                }),
            ),
        ],
    };
    let requests = r#"{
        "offered": 10,
        "completed": 7,
        "rejected": 1,
        "timed_out": 1,
        "failed": 0,
        "in_flight": 1
      }"#;
    let service = r#"[
        {
          "name": "app",
          "requests": {
            "offered": 10,
            "completed": 7,
            "rejected": 1,
            "timed_out": 1,
            "failed": 0,
            "in_flight": 1
          },
          "latency_ms": {
            "mean": null,
            "p50": null,
            "p90": null,
            "p95": null,
            "p99": null,
            "p999": null,
            "max": null
          },
          "replicas": {
            "min": 2,
            "max": 3,
            "mean": 2.4364
          },
          "scaling_events": 2.0,
          "headroom_to_max_replicas": 5
        }
      ]"#;
    let latency = r#"{
        "mean": 31.7686,
        "p50": 24.4613,
        "p90": 60.2931,
        "p95": 79.102,
        "p99": 133.6279,
        "p999": 252.3136,
        "max": 1049.8922
      }"#;
    let expected = format!(
        r#"{{
  "scenario": "vm, \"quoted\"",
  "seed": 3,
  "replications": 2,
  "duration_s": 3600.0,
  "warmup_s": 300.0,
  "profiles": [
    {{
      "name": "default",
      "requests": {requests},
      "latency_ms": {latency},
      "latency_ci95_ms": null,
      "services": {service},
      "cost_usd": {{
        "total": 0.168,
        "control_plane": 0.0,
        "by_group": {{}},
        "by_service": {{
          "app": 0.168
        }},
        "by_capacity": {{
          "on-demand": 0.168
        }},
        "per_million_requests": 0.3415
      }}
    }},
    {{
      "name": "spot-heavy",
      "requests": {requests},
      "latency_ms": {latency},
      "latency_ci95_ms": {{
        "mean": 0.688,
        "p99": 4.1636
      }},
      "services": {service}
    }}
  ]
}}
"#
    );
    assert_eq!(String::from_utf8(summary_json(&summary)).unwrap(), expected);
}
