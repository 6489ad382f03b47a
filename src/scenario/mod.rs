//! The scenario file: reading and checking it into validated specs.
//!
//! `parse_file` reads YAML into the raw serde mirror (`raw`), which rejects
//! unknown keys and bad units at their own line and column, then
//! `validate` checks relations between fields and loads traces, giving the
//! [`crate::spec::Scenario`] that the rest of capsim works from. Relative paths in
//! the file resolve against the file's folder. Input files are bounded in
//! size ([`limits`]).

pub mod hpa;
pub mod limits;
pub mod profile;
pub(crate) mod raw;
pub mod trace;
mod validate;
pub mod yaml;

use crate::error::{Error, InputError};
use crate::spec::Scenario;
use std::path::Path;

/// Reads and checks the scenario file at `path`.
pub fn parse_file(path: &Path) -> Result<Scenario, Error> {
    Ok(parse_str(&read_scenario(path)?, path)?)
}

/// The text of the scenario file at `path`, within the size limit.
fn read_scenario(path: &Path) -> Result<String, InputError> {
    limits::read_text(
        path,
        limits::MAX_SCENARIO_BYTES,
        "the scenario file",
        "check the path; it is relative to the current folder",
    )
}

/// Reads the scenario file at `path` with its profiles (see [`profile`]):
/// `sets` (`PATH=VALUE`) applied to each, only those named in `only` (all
/// if empty).
pub fn parse_file_profiles(
    path: &Path,
    sets: &[String],
    only: &[String],
) -> Result<Vec<profile::Profile>, Error> {
    Ok(profile::parse_profiles(
        &read_scenario(path)?,
        path,
        sets,
        only,
    )?)
}

/// Checks scenario `text` as if read from `path` (used for messages and relative paths).
pub fn parse_str(text: &str, path: &Path) -> Result<Scenario, InputError> {
    let raw: raw::RawScenario = yaml::from_str(text, path)?;
    let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut ctx = validate::Ctx {
        file: path,
        text,
        base_dir,
        warnings: Vec::new(),
    };
    validate::scenario(&mut ctx, raw)
}
