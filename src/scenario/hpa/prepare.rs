//! Preparing an HPA tree for k8s-openapi, and finding the keys it dropped.
//!
//! k8s-openapi reads Quantity fields only from strings and silently ignores
//! unknown keys. Before reading, plain numbers at the Quantity places
//! (`target.averageValue`, `target.value`, `behavior.*.tolerance`) become
//! strings; after reading, the object is written back and compared with the
//! input: the first input key that did not survive is an unknown field.
//! The path helpers that `convert` and `behavior` share (`join`, `err`)
//! live here too, so that neither of those two imports the other.

use super::SpecError;
use crate::units::quantity::number_text;
use serde_json::Value;

/// The metric source members of a metric spec.
pub(super) const SOURCES: [&str; 5] = [
    "resource",
    "containerResource",
    "pods",
    "object",
    "external",
];

/// Turns a number into quantity text.
fn stringify(v: &mut Value) {
    if let Value::Number(n) = v {
        let text = match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) => number_text(f),
            _ => return,
        };
        *v = Value::String(text);
    }
}

/// Converts numbers to strings at the Quantity places of a spec tree.
pub(super) fn coerce_quantities(spec: &mut Value) {
    if let Some(Value::Array(metrics)) = spec.get_mut("metrics") {
        for m in metrics {
            for source in SOURCES {
                if let Some(target) = m.get_mut(source).and_then(|s| s.get_mut("target")) {
                    for key in ["averageValue", "value"] {
                        if let Some(v) = target.get_mut(key) {
                            stringify(v);
                        }
                    }
                }
            }
        }
    }
    if let Some(behavior) = spec.get_mut("behavior") {
        for dir in ["scaleUp", "scaleDown"] {
            if let Some(t) = behavior.get_mut(dir).and_then(|d| d.get_mut("tolerance")) {
                stringify(t);
            }
        }
    }
}

/// The keys of a HorizontalPodAutoscaler object.
pub(super) const OBJECT_KEYS: &[&str] = &["apiVersion", "kind", "metadata", "spec", "status"];

/// The keys of a HorizontalPodAutoscaler spec.
pub(super) const SPEC_KEYS: &[&str] = &[
    "scaleTargetRef",
    "minReplicas",
    "maxReplicas",
    "metrics",
    "behavior",
];

/// The valid keys of the object at `path`, by its last named segment.
fn valid_keys(path: &str) -> Option<&'static [&'static str]> {
    let last = path.rsplit('.').next().unwrap_or("");
    let last = last.split('[').next().unwrap_or("");
    let indexed = path.ends_with(']');
    Some(match (last, indexed) {
        ("", false) => &[
            "apiVersion",
            "kind",
            "metadata",
            "spec",
            "status",
            "scaleTargetRef",
            "minReplicas",
            "maxReplicas",
            "metrics",
            "behavior",
        ],
        ("spec", false) => &[
            "scaleTargetRef",
            "minReplicas",
            "maxReplicas",
            "metrics",
            "behavior",
        ],
        ("metrics", true) => &[
            "type",
            "resource",
            "containerResource",
            "pods",
            "object",
            "external",
        ],
        ("resource", false) => &["name", "target"],
        ("containerResource", false) => &["name", "container", "target"],
        ("pods" | "external", false) => &["metric", "target"],
        ("object", false) => &["describedObject", "metric", "target"],
        ("target", false) => &["type", "averageUtilization", "averageValue", "value"],
        ("metric", false) => &["name", "selector"],
        ("behavior", false) => &["scaleUp", "scaleDown"],
        ("scaleUp" | "scaleDown", false) => &[
            "stabilizationWindowSeconds",
            "selectPolicy",
            "policies",
            "tolerance",
        ],
        ("policies", true) => &["type", "value", "periodSeconds"],
        ("scaleTargetRef" | "describedObject", false) => &["apiVersion", "kind", "name"],
        _ => return None,
    })
}

/// Joins a path and a key.
pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// An error at `path` with a hint.
pub(super) fn err(path: String, message: impl Into<String>, hint: impl Into<String>) -> SpecError {
    SpecError {
        path,
        message: message.into(),
        hint: Some(hint.into()),
    }
}

/// The first key of `input` missing from `output` (null values do not count);
/// `root` lists the valid keys at the top (for the hint).
pub(super) fn first_unknown(
    input: &Value,
    output: &Value,
    path: &str,
    root: &[&str],
) -> Option<SpecError> {
    match (input, output) {
        (Value::Object(inp), Value::Object(out)) => {
            for (key, value) in inp {
                if value.is_null() {
                    continue;
                }
                let here = join(path, key);
                match out.get(key) {
                    None => {
                        let keys = if path.is_empty() {
                            Some(root)
                        } else {
                            valid_keys(path)
                        };
                        let hint = match keys {
                            Some(keys) => format!("valid keys here: {}", keys.join(", ")),
                            None => "check the spelling against the Kubernetes autoscaling/v2 API"
                                .into(),
                        };
                        return Some(SpecError {
                            path: here,
                            message: format!("unknown field `{key}`"),
                            hint: Some(hint),
                        });
                    }
                    Some(o) => {
                        if let Some(e) = first_unknown(value, o, &here, root) {
                            return Some(e);
                        }
                    }
                }
            }
            None
        }
        (Value::Array(inp), Value::Array(out)) => inp
            .iter()
            .zip(out)
            .enumerate()
            .find_map(|(i, (a, b))| first_unknown(a, b, &format!("{path}[{i}]"), root)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_become_quantity_strings() {
        let mut v = json!({"metrics": [{"external": {"target": {"averageValue": 100, "value": 0.5}}}],
                           "behavior": {"scaleUp": {"tolerance": 0.05}}});
        coerce_quantities(&mut v);
        assert_eq!(v["metrics"][0]["external"]["target"]["averageValue"], "100");
        assert_eq!(v["metrics"][0]["external"]["target"]["value"], "0.5");
        assert_eq!(v["behavior"]["scaleUp"]["tolerance"], "0.05");
    }

    #[test]
    fn first_dropped_key_is_reported_with_valid_keys() {
        let input = json!({"metrics": [{"type": "Pods", "pods": {"metric": {"name": "x"}, "targett": {}}}]});
        let output = json!({"metrics": [{"type": "Pods", "pods": {"metric": {"name": "x"}}}]});
        let e = first_unknown(&input, &output, "", SPEC_KEYS).unwrap();
        assert_eq!(e.path, "metrics[0].pods.targett");
        assert!(e.hint.unwrap().contains("metric, target"));
    }
}
