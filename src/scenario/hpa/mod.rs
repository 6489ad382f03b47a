//! Reading HorizontalPodAutoscaler specs (autoscaling/v2) into [`HpaSpec`].
//!
//! The Kubernetes types come from k8s-openapi. Two things are added around
//! them (`prepare`): plain numbers are accepted where Kubernetes wants a
//! Quantity string, and unknown keys (which k8s-openapi would drop silently)
//! are errors. `convert` then checks the spec as the API server does and
//! fills the API defaults. Errors carry a path relative to the value given
//! (`metrics[1].type`, or `spec.metrics[1].type` for a whole object); the
//! caller maps it onto a line and column (`manifest` does for files).

mod behavior;
mod convert;
mod manifest;
mod prepare;

pub use manifest::load_manifest;

use crate::spec::hpa::HpaSpec;
use k8s_openapi::api::autoscaling::v2 as k8s;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use std::fmt;

/// A problem in an HPA spec, at a path relative to the value read.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecError {
    /// The field path, such as `metrics[1].type` (empty for the value itself).
    pub path: String,
    /// What was expected and what was found.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        write!(f, "{}", self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecError {}

/// Reads a whole HPA object (apiVersion/kind/metadata/spec/status) or a bare spec.
///
/// For a whole object, `status.conditions` is read for `ScaledToZero=True`;
/// the rest of `status` (written by the controller) is not checked.
pub fn spec_from_value(v: &Value) -> Result<HpaSpec, SpecError> {
    let Value::Object(map) = v else {
        return Err(SpecError {
            path: String::new(),
            message: "expected a mapping with the HPA spec (or a whole HorizontalPodAutoscaler)"
                .into(),
            hint: Some("for example { maxReplicas: 10, metrics: [...] }".into()),
        });
    };
    let whole = ["spec", "apiVersion", "kind", "metadata"]
        .iter()
        .any(|k| map.contains_key(*k));
    if !whole {
        let mut input = v.clone();
        prepare::coerce_quantities(&mut input);
        let spec: k8s::HorizontalPodAutoscalerSpec = read(with_target_ref(&input), "")?;
        unknown_keys(&input, &spec, prepare::SPEC_KEYS)?;
        return convert::convert(&spec, "", false);
    }
    let mut input = map.clone();
    let status = input.remove("status");
    check_text(&input, "apiVersion", "autoscaling/v2")?;
    check_text(&input, "kind", "HorizontalPodAutoscaler")?;
    let Some(spec) = input.get_mut("spec") else {
        return Err(SpecError {
            path: "spec".into(),
            message: "expected a `spec` in the HorizontalPodAutoscaler".into(),
            hint: Some("add spec: with maxReplicas and metrics".into()),
        });
    };
    prepare::coerce_quantities(spec);
    let input = Value::Object(input);
    let mut full = input.clone();
    full["spec"] = with_target_ref(&full["spec"]);
    for (key, default) in [
        ("apiVersion", json!("autoscaling/v2")),
        ("kind", json!("HorizontalPodAutoscaler")),
        ("metadata", json!({})),
    ] {
        full.as_object_mut()
            .map(|m| m.entry(key).or_insert(default));
    }
    let hpa: k8s::HorizontalPodAutoscaler = read(full, "")?;
    unknown_keys(&input, &hpa, prepare::OBJECT_KEYS)?;
    convert::convert(&hpa.spec, "spec", scaled_to_zero(status.as_ref()))
}

/// The `ScaledToZero=True` condition in a status.
fn scaled_to_zero(status: Option<&Value>) -> bool {
    status
        .and_then(|s| s.get("conditions"))
        .and_then(Value::as_array)
        .is_some_and(|conds| {
            conds.iter().any(|c| {
                c.get("type").and_then(Value::as_str) == Some("ScaledToZero")
                    && c.get("status").and_then(Value::as_str) == Some("True")
            })
        })
}

/// `key` is absent or has the text `want`.
fn check_text(map: &Map<String, Value>, key: &str, want: &str) -> Result<(), SpecError> {
    match map.get(key) {
        None => Ok(()),
        Some(Value::String(s)) if s == want => Ok(()),
        Some(other) => Err(SpecError {
            path: key.into(),
            message: format!("expected {key} {want}, found {other}"),
            hint: Some(format!("capsim reads {want} HorizontalPodAutoscalers")),
        }),
    }
}

/// The spec with a placeholder `scaleTargetRef` if it has none (capsim knows its target).
fn with_target_ref(spec: &Value) -> Value {
    let mut spec = spec.clone();
    if let Value::Object(m) = &mut spec {
        m.entry("scaleTargetRef")
            .or_insert(json!({"kind": "Deployment", "name": ""}));
    }
    spec
}

/// Deserializes `v` into `T`, with the path of a failure.
fn read<T: DeserializeOwned>(v: Value, prefix: &str) -> Result<T, SpecError> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let mut path = prefix.to_string();
        for seg in e.path().iter() {
            match seg {
                serde_path_to_error::Segment::Seq { index } => path.push_str(&format!("[{index}]")),
                serde_path_to_error::Segment::Map { key }
                | serde_path_to_error::Segment::Enum { variant: key } => {
                    path = prepare::join(&path, key);
                }
                serde_path_to_error::Segment::Unknown => {}
            }
        }
        SpecError {
            path,
            message: e.into_inner().to_string(),
            hint: Some(
                "see the Kubernetes autoscaling/v2 HorizontalPodAutoscaler reference".into(),
            ),
        }
    })
}

/// Fails on the first key of `input` that did not survive reading into `read`.
fn unknown_keys<T: serde::Serialize>(
    input: &Value,
    read: &T,
    root: &[&str],
) -> Result<(), SpecError> {
    let out = serde_json::to_value(read).map_err(|e| SpecError {
        path: String::new(),
        message: format!("internal error re-serializing the spec: {e}"),
        hint: None,
    })?;
    match prepare::first_unknown(input, &out, "", root) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests;
