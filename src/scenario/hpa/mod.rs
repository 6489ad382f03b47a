//! SCAFFOLD (replaced by the hpa branch).
#![allow(missing_docs, dead_code)]
use crate::error::Error;
use crate::model::hpa::HpaSpec;
use std::path::Path;
#[derive(Debug, Clone)]
pub struct SpecError {
    pub path: String,
    pub message: String,
    pub hint: Option<String>,
}
pub fn spec_from_value(_v: &serde_json::Value) -> Result<HpaSpec, SpecError> {
    Err(SpecError {
        path: String::new(),
        message: "scaffold".into(),
        hint: None,
    })
}
pub fn load_manifest(_path: &Path, _name: Option<&str>) -> Result<(HpaSpec, String), Error> {
    Err(Error::Usage("scaffold".into()))
}
