//! YAML reading with precise errors: file, line, column, field path, hint.
//!
//! serde-saphyr gives the location; serde_path_to_error gives the path of
//! the field being read when the error happened. `Spanned` wrappers add a
//! `value` segment to that path, which is removed for display.

use super::raw::SPANNED_FIELDS;
use crate::error::InputError;
use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;
use serde_saphyr::Location;
use std::path::Path;

/// Deserializes `text` (the contents of `file`) into `T`, or explains where and why it is wrong.
pub fn from_str<T: DeserializeOwned>(text: &str, file: &Path) -> Result<T, InputError> {
    let mut path = String::new();
    let result = serde_saphyr::with_deserializer_from_str(text, |de| {
        serde_path_to_error::deserialize(de).map_err(|e| {
            path = display_path(e.path());
            e.into_inner()
        })
    });
    result.map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        let message = plain_message(&e.without_snippet().to_string());
        let err = InputError::new(file, line, column, path, message);
        let err = match hint_for(&err.message) {
            Some(h) if err.hint.is_none() => err.with_hint(h),
            _ => err,
        };
        err.with_source(text)
    })
}

/// An error at a location recorded by a `Spanned` wrapper.
pub fn error_at(
    file: &Path,
    text: &str,
    at: &Location,
    path: impl Into<String>,
    message: impl Into<String>,
) -> InputError {
    InputError::new(file, at.line(), at.column(), path, message).with_source(text)
}

/// Formats a serde path, hiding the `value` segments that `Spanned` wrappers add.
fn display_path(path: &serde_path_to_error::Path) -> String {
    let mut out = String::new();
    let mut previous: Option<&Segment> = None;
    for seg in path.iter() {
        let hidden = matches!(seg, Segment::Map { key } if key == "value")
            && match previous {
                Some(Segment::Seq { .. }) => true,
                Some(Segment::Map { key }) => SPANNED_FIELDS.contains(&key.as_str()),
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

/// Strips serde-saphyr's " at line L, column C" suffix (the location is shown separately).
fn plain_message(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(", column ") => message[..i].to_string(),
        _ => message.to_string(),
    }
}

/// A hint for the common serde messages that do not carry one.
fn hint_for(message: &str) -> Option<String> {
    if message.starts_with("unknown field") {
        Some(
            "check the spelling and the indentation; the keys allowed here are listed above".into(),
        )
    } else if message.starts_with("unknown variant") {
        Some("use one of the names listed above".into())
    } else if message.starts_with("missing field") {
        Some("add the field; see the scenario format in README.md".into())
    } else if message.starts_with("invalid type") {
        Some(
            "check the value's type (a mapping needs `key: value` lines, a list needs `- ` items)"
                .into(),
        )
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Top {
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
    fn unknown_field_gets_a_hint() {
        let err = from_str::<Top>("servics: []\n", Path::new("t.yaml")).unwrap_err();
        assert!(
            err.message.starts_with("unknown field `servics`"),
            "{}",
            err.message
        );
        assert!(err.hint.is_some());
        assert_eq!(err.line, 1);
    }
}
