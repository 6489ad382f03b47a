//! Loading an HPA from a Kubernetes manifest file (possibly several `---` documents).

use super::spec_from_value;
use crate::error::{Error, InputError};
use crate::scenario::yaml::locate_in_document;
use crate::spec::hpa::HpaSpec;
use serde_json::Value;
use std::path::Path;

/// Reads the HorizontalPodAutoscaler in `path` (the one named `name`, if given).
///
/// Returns the spec and the HPA's `metadata.name`. Errors (exit code 2) carry
/// the file, and line and column where the problem has a place in the file.
pub fn load_manifest(path: &Path, name: Option<&str>) -> Result<(HpaSpec, String), Error> {
    let fail = |line, column, field: &str, message: String, hint: &str| -> Error {
        InputError::new(path, line, column, field, message)
            .with_hint(hint)
            .into()
    };
    let text = std::fs::read_to_string(path).map_err(|e| {
        fail(
            0,
            0,
            "",
            format!("cannot read the HPA manifest: {e}"),
            "check the path; paths in a scenario are relative to the scenario's folder",
        )
    })?;
    let docs: Vec<Value> = serde_saphyr::from_multiple(&text).map_err(|e| {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        Error::from(
            InputError::new(path, line, column, "", format!("invalid YAML: {e}"))
                .with_hint("the manifest must be YAML (or JSON); separate documents with ---")
                .with_source(&text),
        )
    })?;
    let kind_of = |d: &Value| d.get("kind").and_then(Value::as_str).map(str::to_string);
    let name_of = |d: &Value| {
        d.pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let hpas: Vec<(usize, &Value)> = docs
        .iter()
        .enumerate()
        .filter(|(_, d)| kind_of(d).as_deref() == Some("HorizontalPodAutoscaler"))
        .collect();
    let names: Vec<String> = hpas.iter().map(|(_, d)| name_of(d)).collect();
    let (index, doc) = match (name, hpas.len()) {
        (_, 0) => {
            let kinds: Vec<String> = docs.iter().filter_map(kind_of).collect();
            return Err(fail(
                0,
                0,
                "",
                format!(
                    "expected a HorizontalPodAutoscaler, found {}",
                    if kinds.is_empty() {
                        "none".to_string()
                    } else {
                        format!("only {}", kinds.join(", "))
                    }
                ),
                "the file needs a document with kind: HorizontalPodAutoscaler (apiVersion: autoscaling/v2)",
            ));
        }
        (None, 1) => hpas[0],
        (None, _) => {
            return Err(fail(
                0,
                0,
                "",
                format!(
                    "expected one HorizontalPodAutoscaler, found {}: {}",
                    hpas.len(),
                    names.join(", ")
                ),
                "say which one with name: NAME",
            ));
        }
        (Some(n), _) => *hpas.iter().find(|(_, d)| name_of(d) == n).ok_or_else(|| {
            fail(
                0,
                0,
                "",
                format!(
                    "expected a HorizontalPodAutoscaler named \"{n}\", found {}",
                    names.join(", ")
                ),
                "check the name against metadata.name in the manifest",
            )
        })?,
    };
    let spec = spec_from_value(doc).map_err(|e| {
        let (line, column) = locate_in_document(&text, index, &e.path).unwrap_or((0, 0));
        let mut ie = InputError::new(path, line, column, e.path, e.message).with_source(&text);
        ie.hint = e.hint;
        Error::from(ie)
    })?;
    Ok((spec, name_of(doc)))
}
