//! Turning serde-saphyr errors into [`InputError`]s: plain messages, hints,
//! and the most precise position known.
//!
//! serde's structural errors (missing field, wrong type) carry no position of
//! their own; the located tree ([`super::tree`]) supplies it from the path.

use super::budget::budget_message;
use super::tree::{Node, at, resolve};
use super::{hinted_error, visible};
use crate::error::InputError;
use serde_saphyr::{Error as YamlError, Spanned};
use std::path::Path;

/// The error inside serde-saphyr's snippet and alias wrappers.
fn original(mut err: &YamlError) -> &YamlError {
    loop {
        match err {
            YamlError::WithSnippet { error, .. } | YamlError::AliasError { error, .. } => {
                err = error
            }
            other => return other,
        }
    }
}

/// True for errors in the YAML text itself, as opposed to its meaning.
pub(super) fn is_syntax(err: &YamlError) -> bool {
    matches!(
        original(err),
        YamlError::ExternalMessage { .. }
            | YamlError::Eof { .. }
            | YamlError::MultipleDocuments { .. }
            | YamlError::DuplicateMappingKey { .. }
            | YamlError::UnknownAnchor { .. }
            | YamlError::Budget { .. }
            | YamlError::IndentationError { .. }
            | YamlError::ContainerEndMismatch { .. }
            | YamlError::UnexpectedSequenceEnd { .. }
            | YamlError::UnexpectedMappingEnd { .. }
            | YamlError::InvalidUtf8Input
            | YamlError::IOError { .. }
    )
}

/// What went wrong: message, hint, and where (line, column, path).
struct Report {
    line: u64,
    column: u64,
    path: String,
    message: String,
    hint: String,
}

/// Turns a serde-saphyr error into an [`InputError`], using `tree` (when the text parsed) to locate it.
pub(super) fn explain(
    text: &str,
    file: &Path,
    path: String,
    err: &YamlError,
    tree: Option<&Spanned<Node>>,
) -> InputError {
    let (line, column) = err
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((0, 0));
    let e = match original(err) {
        // Messages of capsim's own value checks (units, signs) carry their hint.
        YamlError::Message { msg, .. } => hinted_error(file, line, column, path, msg.as_str()),
        other => {
            let mut r = Report {
                line,
                column,
                path,
                message: String::new(),
                hint: String::new(),
            };
            describe(&mut r, text, other, tree);
            // Made visible first, so that no found value is taken for a hint.
            InputError::new(file, r.line, r.column, r.path, visible(&r.message)).with_hint(r.hint)
        }
    };
    let mut e = e.with_source(text);
    if e.line > 0 && e.source_line.is_none() {
        // The end of the file, after its last line break.
        e.source_line = Some(Box::from(""));
    }
    e
}

/// Fills in `r` (message, hint, better position) for an error of serde or of the YAML text.
fn describe(r: &mut Report, text: &str, err: &YamlError, tree: Option<&Spanned<Node>>) {
    match err {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => {
            r.message = if expected.is_empty() {
                format!("unknown field `{field}`, there are no fields here")
            } else {
                format!(
                    "unknown field `{field}`, expected one of {}",
                    expected.join(", ")
                )
            };
            r.hint =
                "check the spelling and the indentation; the keys allowed here are listed above"
                    .into();
        }
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            r.message = format!(
                "unknown variant `{variant}`, expected one of {}",
                expected.join(", ")
            );
            r.hint = "use one of the names listed above".into();
        }
        YamlError::SerdeMissingField { field, .. } => {
            if let Some(node) = tree.and_then(|t| resolve(t, &r.path).full) {
                (r.line, r.column) = at(node);
            }
            r.message = format!("missing field `{field}`");
            r.hint =
                format!("add `{field}:` to this mapping; see the scenario format in README.md");
        }
        YamlError::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | YamlError::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => wrong_type(r, tree, expected, Some(unexpected)),
        YamlError::Unexpected { expected, .. } => wrong_type(r, tree, expected, None),
        YamlError::NullIntoString { .. }
        | YamlError::TaggedScalarCannotDeserializeIntoString { .. } => {
            wrong_type(r, tree, "string", None)
        }
        YamlError::ExternallyTaggedEnumExpectedScalarOrMapping { .. } => wrong_type(
            r,
            tree,
            "a name or a mapping of one name to its settings",
            None,
        ),
        YamlError::DuplicateMappingKey { key, .. } => {
            let key = key.as_deref().unwrap_or("?");
            r.message = format!("duplicate key `{key}`");
            if !r.path.is_empty() {
                r.path.push('.');
            }
            r.path.push_str(key);
            r.hint = "each key may appear only once in a mapping; remove one of them".into();
        }
        YamlError::Eof { .. } if !has_content(text) => {
            r.message = "the file is empty; expected a scenario".into();
            r.hint = "a scenario needs at least name, duration and services".into();
        }
        YamlError::Budget { breach, .. } => {
            r.message = budget_message(breach);
            r.hint = "capsim bounds what it reads (README.md, \"Limits\"); a file this large, nested or aliased is usually generated by mistake".into();
        }
        other if is_syntax(other) => {
            r.message = format!("invalid YAML: {}", plain_message(&other.to_string()));
            if r.message.contains("tab")
                && let Some((l, c)) = first_tab(text, r.line)
            {
                (r.line, r.column) = (l, c);
            }
            r.hint = match unclosed_bracket(text, r.line, r.column) {
                Some((bracket, l, c)) => {
                    let close = if bracket == '[' { ']' } else { '}' };
                    format!(
                        "the `{bracket}` at line {l}, column {c} is not closed; add the missing `{close}`"
                    )
                }
                None => syntax_hint(&r.message).into(),
            };
        }
        YamlError::NonFiniteFloat { value, .. } => {
            r.message = format!("expected a finite number, found `{value}`");
            r.hint = "write an ordinary number such as 10; .inf and .nan are not allowed".into();
        }
        YamlError::ExpectedStringKeyForExternallyTaggedEnum { .. } => {
            r.message = "expected a plain name as the key, such as `exponential`, found a tagged or complex key".into();
            r.hint = "remove the `!tag`, brackets or `?` around the name".into();
        }
        YamlError::UnexpectedValueForUnitEnumVariant { .. } => {
            r.message = "expected just a name, found a name with settings".into();
            r.hint = "this choice takes no settings: write `key: name`".into();
        }
        YamlError::TaggedEnumMismatch { tagged, .. } => {
            r.message = format!("expected a plain value, found the tag `!{tagged}`");
            r.hint = "remove the `!tag`; scenario files use no YAML tags".into();
        }
        other => {
            r.message = plain_message(&other.to_string());
            r.hint = "check this value against the scenario format in README.md".into();
        }
    }
}

/// Strips serde-saphyr's " at line L, column C" suffix (the location is shown separately).
fn plain_message(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(", column ") => message[..i].to_string(),
        _ => message.to_string(),
    }
}

/// Explains a value of the wrong kind (a list where a mapping belongs, …).
fn wrong_type(r: &mut Report, tree: Option<&Spanned<Node>>, expected: &str, found: Option<&str>) {
    let expected = expected_text(expected);
    let hint = "check the value's type (a mapping needs `key: value` lines or `{ key: value }`, a list needs `- ` items or `[a, b]`)";
    let Some(tree) = tree else {
        r.message = match found {
            Some(f) => format!("expected {expected}, found {}", found_text(f)),
            None => format!("expected {expected}"),
        };
        r.hint = hint.into();
        return;
    };
    let found_at = resolve(tree, &r.path);
    match (found_at.full, found_at.rest.first()) {
        (Some(node), _) => {
            (r.line, r.column) = at(node);
            r.message = format!("expected {expected}, found {}", node.value.describe());
            r.hint = hint.into();
        }
        // `cpu: exponential` — a kind named without its settings.
        (None, Some(next)) if matches!(&found_at.deepest.value, Node::Text(t) if t == next) => {
            (r.line, r.column) = at(found_at.deepest);
            r.path = found_at.resolved;
            r.message = format!("expected `{next}` with its settings, found just the name");
            let example = if r.path.contains("traffic.rate") {
                "constant: { rps: 100 }"
            } else {
                "exponential: { mean: 10ms }"
            };
            r.hint = format!(
                "write `{next}: ...` with its settings as the value, for example {example}"
            );
        }
        (None, _) => {
            (r.line, r.column) = at(found_at.deepest);
            r.message = match found {
                Some(f) => format!("expected {expected}, found {}", found_text(f)),
                None => format!("expected {expected}"),
            };
            r.hint = hint.into();
        }
    }
}

/// Plain words for serde's and serde-saphyr's names of what was expected.
fn expected_text(expected: &str) -> String {
    match expected {
        "sequence start" | "a sequence" | "seq" => "a list".into(),
        "mapping start" | "map" | "a map" => "a mapping".into(),
        "string scalar" | "string" | "a string" | "scalar" => "a text value".into(),
        e if e.starts_with("struct ") => "a mapping".into(),
        e if e.starts_with("enum ") => "a name or a mapping of one name to its settings".into(),
        e => e.into(),
    }
}

/// Plain words for serde's description of the value found.
fn found_text(found: &str) -> String {
    match found {
        "sequence" => "a list".into(),
        "map" => "a mapping".into(),
        "unit value" | "null" => "an empty value".into(),
        f => f
            .strip_prefix("string ")
            .map(|s| format!("the text {s}"))
            .unwrap_or_else(|| f.to_string()),
    }
}

fn syntax_hint(message: &str) -> &'static str {
    if message.contains("tab") {
        "YAML indentation must use spaces; replace the tab with spaces"
    } else if message.contains("mapping values are not allowed") {
        "check the indentation: the keys of one mapping start in the same column; quote a value that contains \": \""
    } else if message.contains("unclosed")
        || message.contains("did not find expected")
        || message.contains("end of")
    {
        "close every `[`, `{` and quote that is opened"
    } else if message.contains("duplicate") {
        "each key may appear only once in a mapping; remove one of them"
    } else {
        "check the YAML syntax here and on the line before: indentation, `key: value`, closed brackets and quotes"
    }
}

/// The innermost `[` or `{` opened before `line`:`column` and not closed by then, as
/// (bracket, line, column).
///
/// A light scan, good enough for a hint: brackets count where a flow collection can
/// start (at the start of a value or inside another one), and quoted text and
/// comments are skipped.
fn unclosed_bracket(text: &str, line: u64, column: u64) -> Option<(char, u64, u64)> {
    let mut open: Vec<(char, u64, u64)> = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let n = i as u64 + 1;
        if n > line {
            break;
        }
        // The last significant character, to tell where a value starts.
        let mut previous = ' ';
        let mut at_start = true;
        let mut quote: Option<char> = None;
        for (j, c) in l.chars().enumerate() {
            let col = j as u64 + 1;
            if n == line && col >= column {
                break;
            }
            if let Some(q) = quote {
                if c == q {
                    quote = None;
                }
                continue;
            }
            let value_start = at_start || matches!(previous, ':' | '-' | ',' | '[' | '{');
            match c {
                '#' if previous == ' ' || at_start => break,
                '"' | '\'' if value_start || !open.is_empty() && previous == ' ' => quote = Some(c),
                '[' | '{' if value_start => open.push((c, n, col)),
                ']' | '}' if !open.is_empty() => {
                    open.pop();
                }
                _ => {}
            }
            if !c.is_whitespace() {
                previous = c;
                at_start = false;
            }
        }
    }
    open.pop()
}

/// True when the text has something besides blank lines and comments.
fn has_content(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#') && t != "---" && t != "..."
    })
}

/// The first tab at or after line `from` (1-based), as (line, column).
fn first_tab(text: &str, from: u64) -> Option<(u64, u64)> {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1) as usize)
        .find_map(|(i, l)| {
            l.chars()
                .position(|c| c == '\t')
                .map(|c| (i as u64 + 1, c as u64 + 1))
        })
}

#[cfg(test)]
mod tests {
    use super::super::from_str;
    use super::super::tests::Top;
    use super::*;

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

    #[test]
    fn missing_field_points_at_the_mapping_that_lacks_it() {
        let text = "services:\n  - value: 1\n  - {}\n";
        let err = from_str::<Top>(text, Path::new("t.yaml")).unwrap_err();
        assert_eq!(err.path, "services[1]");
        assert_eq!(err.message, "missing field `value`");
        assert_eq!((err.line, err.column), (3, 5));
    }

    #[test]
    fn unclosed_brackets_are_found_for_the_hint() {
        let text = "n: x[1]\na: [1, {b: \"]\"}\nd: 2\n";
        assert_eq!(unclosed_bracket(text, 3, 2), Some(('[', 2, 4)));
        assert_eq!(unclosed_bracket("a: [1]\nb: {c: 1}\n", 3, 1), None);
        assert_eq!(unclosed_bracket("a: x # [\n", 2, 1), None);
    }
}
