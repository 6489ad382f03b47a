//! Loading an HPA from a Kubernetes manifest file (possibly several `---` documents).
//!
//! The file is bounded in size and read by the scenario's YAML reader
//! ([`crate::scenario::yaml::from_multiple`]), so its syntax errors read as the
//! scenario's do; the scenario places the errors at its `manifest:` field.

use super::spec_from_value;
use crate::error::{Error, InputError};
use crate::scenario::limits::{MAX_MANIFEST_BYTES, read_text};
use crate::scenario::yaml::{from_multiple, locate_in_document, locate_key_in_document};
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
    let text = read_text(
        path,
        MAX_MANIFEST_BYTES,
        "the HPA manifest",
        "check the path; paths in a scenario are relative to the scenario's folder",
    )?;
    // Read as the scenario is: syntax errors and reader limits in plain words, with hints.
    let docs: Vec<Value> = from_multiple(&text, path)?;
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
        let place = if e.message.starts_with("unknown field") {
            locate_key_in_document(&text, index, &e.path)
        } else {
            locate_in_document(&text, index, &e.path)
        };
        let (line, column) = place.unwrap_or((0, 0));
        let mut ie = InputError::new(path, line, column, e.path, e.message).with_source(&text);
        ie.hint = e.hint;
        Error::from(ie)
    })?;
    Ok((spec, name_of(doc)))
}
