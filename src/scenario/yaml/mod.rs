//! YAML reading with precise errors: file, line, column, field path, hint.
//!
//! serde-saphyr gives the location; serde_path_to_error gives the path of
//! the field being read when the error happened. `Spanned` wrappers add a
//! `value` segment to that path, which is removed for display.
//!
//! When reading fails, the text is read a second time into a plain tree of
//! located nodes (`tree`). That pass finds YAML syntax errors anywhere in
//! the file (they take priority: a half-read document explains nothing else
//! well), and it gives the exact position of the node at the failing path,
//! which serde's structural errors (missing field, wrong type) do not carry.
//! `explain` turns the error into words.

mod budget;
mod explain;
pub(super) mod tree;

use super::limits::{MAX_YAML_EVENTS, MAX_YAML_NODES};
use super::raw::spanned::is_spanned;
use crate::error::InputError;
use explain::{explain, is_syntax};
use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;
use serde_saphyr::Location;
use std::path::Path;
use tree::{read_tree, read_trees, resolve};

/// Largest text read a second time as a located tree to explain an error
/// (16 MiB); a larger one is explained from the error alone, to bound memory.
const MAX_TREE_TEXT_BYTES: usize = 16 << 20;

/// serde-saphyr's options for every file capsim reads: its default budget,
/// with room for [`MAX_YAML_NODES`] nodes (the default 250,000 refuses
/// legitimate replay files of 100,000 observations). Alias bombs stay bounded
/// by the default limits on aliases and on the events an alias replays.
pub(crate) fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = MAX_YAML_NODES;
    budget.max_events = MAX_YAML_EVENTS;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options
}

/// Deserializes `text` (the contents of `file`) into `T`, or explains where and why it is wrong.
pub fn from_str<T: DeserializeOwned>(text: &str, file: &Path) -> Result<T, InputError> {
    let mut path = String::new();
    let result = serde_saphyr::with_deserializer_from_str_with_options(text, options(), |de| {
        serde_path_to_error::deserialize(de).map_err(|e| {
            path = display_path(e.path());
            e.into_inner()
        })
    });
    result.map_err(|e| {
        if text.len() > MAX_TREE_TEXT_BYTES {
            return explain(text, file, path, &e, None);
        }
        match read_tree(text) {
            Ok(tree) => explain(text, file, path, &e, Some(&tree)),
            Err(failed) if is_syntax(&failed.1) => explain(text, file, failed.0, &failed.1, None),
            Err(_) => explain(text, file, path, &e, None),
        }
    })
}

/// Every non-empty document of `text` (the contents of `file`) as `T`, or
/// the error explained as [`from_str`] explains it (syntax errors with
/// plain messages and hints, at their line and column).
pub fn from_multiple<T: DeserializeOwned>(text: &str, file: &Path) -> Result<Vec<T>, InputError> {
    serde_saphyr::from_multiple_with_options(text, options())
        .map_err(|e| explain(text, file, String::new(), &e, None))
}

/// The line and column of the node at `path` (`a.b[1].c`) in `text`, or of
/// the deepest node on the path that exists; `None` if the text is not YAML.
pub fn locate(text: &str, path: &str) -> Option<(u64, u64)> {
    let tree = read_tree(text).ok()?;
    Some(tree::at(resolve(&tree, path).deepest))
}

/// Where the last key of `path` is written in `text` (for an unknown key: the
/// key, not its value); else [`locate`]'s answer.
pub fn locate_key(text: &str, path: &str) -> Option<(u64, u64)> {
    let tree = read_tree(text).ok()?;
    tree::key_at(&tree, path).or_else(|| Some(tree::at(resolve(&tree, path).deepest)))
}

/// [`locate_key`] in document `index` (counting non-empty documents) of a multi-document text.
pub fn locate_key_in_document(text: &str, index: usize, path: &str) -> Option<(u64, u64)> {
    let trees = read_trees(text).ok()?;
    let tree = trees.get(index)?;
    tree::key_at(tree, path).or_else(|| Some(tree::at(resolve(tree, path).deepest)))
}

/// [`locate`] in document `index` (counting non-empty documents) of a multi-document text.
pub fn locate_in_document(text: &str, index: usize, path: &str) -> Option<(u64, u64)> {
    let trees = read_trees(text).ok()?;
    Some(tree::at(resolve(trees.get(index)?, path).deepest))
}

/// An error at a location recorded by a `Spanned` wrapper.
///
/// A `\nhint: …` suffix of `message` becomes the hint, as in [`InputError::new`].
pub fn error_at(
    file: &Path,
    text: &str,
    at: &Location,
    path: impl Into<String>,
    message: impl Into<String>,
) -> InputError {
    hinted_error(file, at.line(), at.column(), path, message).with_source(text)
}

/// An error at `line`:`column` (1-based) of `text`; a `\nhint: …` suffix of `message` becomes the hint.
pub fn error_at_position(
    file: &Path,
    text: &str,
    (line, column): (u64, u64),
    path: impl Into<String>,
    message: impl Into<String>,
) -> InputError {
    hinted_error(file, line, column, path, message).with_source(text)
}

/// An error at the node that displayed `path` (e.g. `services[0].hpa.metrics[1].type`)
/// names in `text`, or at its deepest existing ancestor; `fallback` when the text cannot be read.
pub fn error_at_path(
    file: &Path,
    text: &str,
    fallback: &Location,
    path: impl Into<String>,
    message: impl Into<String>,
) -> InputError {
    let path = path.into();
    let (line, column) = locate(text, &path).unwrap_or((fallback.line(), fallback.column()));
    hinted_error(file, line, column, path, message).with_source(text)
}

/// [`InputError::new`] (which takes the hint from a `\nhint: …` suffix), with
/// the message's control characters made visible.
fn hinted_error(
    file: &Path,
    line: u64,
    column: u64,
    path: impl Into<String>,
    message: impl Into<String>,
) -> InputError {
    let mut e = InputError::new(file, line, column, path, message);
    e.message = visible(&e.message);
    e
}

/// Formats a serde path, hiding the `value` segments that `Spanned` wrappers add.
fn display_path(path: &serde_path_to_error::Path) -> String {
    let mut out = String::new();
    let mut previous: Option<&Segment> = None;
    for seg in path.iter() {
        let hidden = matches!(seg, Segment::Map { key } if key == "value")
            && match previous {
                Some(Segment::Seq { .. }) => true,
                Some(Segment::Map { key }) => {
                    is_spanned(key)
                        // an SLO's quantile keys (`latency: { p95: 1s }`) are open-ended
                        || out.ends_with(&format!("latency.{key}"))
                }
                _ => false,
            };
        if !hidden {
            match seg {
                Segment::Seq { index } => out.push_str(&format!("[{index}]")),
                Segment::Map { key } | Segment::Enum { variant: key } => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                Segment::Unknown => {}
            }
        }
        previous = Some(seg);
    }
    out
}

/// Replaces control characters (a value's line breaks, tabs) by visible escapes.
fn visible(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_debug().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    /// A document with a list of `Spanned` items, for the tests here and in [`super::explain`].
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct Top {
        #[allow(dead_code)]
        services: Vec<serde_saphyr::Spanned<Item>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Item {
        #[allow(dead_code)]
        value: u32,
    }

    #[test]
    fn path_hides_spanned_segments_but_keeps_real_value_fields() {
        let text = "services:\n  - value: 1\n  - value: x\n";
        let err = from_str::<Top>(text, Path::new("t.yaml")).unwrap_err();
        assert_eq!(err.path, "services[1].value");
        assert_eq!((err.line, err.column), (3, 12));
        assert!(err.source_line.as_deref() == Some("  - value: x"));
    }

    #[test]
    fn syntax_errors_come_first_and_have_hints() {
        let text = "services:\n  - value: x\n  - [\n";
        let err = from_str::<Top>(text, Path::new("t.yaml")).unwrap_err();
        assert!(err.message.starts_with("invalid YAML"), "{}", err.message);
        assert!(err.hint.is_some());
    }
}
