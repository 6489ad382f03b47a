//! YAML reading with precise errors: file, line, column, field path, hint.
//!
//! serde-saphyr gives the location; serde_path_to_error gives the path of
//! the field being read when the error happened. `Spanned` wrappers add a
//! `value` segment to that path, which is removed for display.
//!
//! When reading fails, the text is read a second time into a plain tree of
//! located nodes. That pass finds YAML syntax errors anywhere in the file
//! (they take priority: a half-read document explains nothing else well),
//! and it gives the exact position of the node at the failing path, which
//! serde's structural errors (missing field, wrong type) do not carry.

use super::raw::SPANNED_FIELDS;
use crate::error::InputError;
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_path_to_error::Segment;
use serde_saphyr::{Error as YamlError, Location, Spanned};
use std::cell::RefCell;
use std::fmt;
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
    result.map_err(|e| match read_tree(text) {
        Ok(tree) => explain(text, file, path, &e, Some(&tree)),
        Err(failed) if is_syntax(&failed.1) => explain(text, file, failed.0, &failed.1, None),
        Err(_) => explain(text, file, path, &e, None),
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
    let message = message.into();
    let (message, hint) = match message.split_once("\nhint: ") {
        Some((m, h)) => (m, Some(h.to_string())),
        None => (message.as_str(), None),
    };
    let mut e = InputError::new(file, at.line(), at.column(), path, visible(message));
    e.hint = hint;
    e.with_source(text)
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
fn is_syntax(err: &YamlError) -> bool {
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
    hint: Option<String>,
}

/// Turns a serde-saphyr error into an [`InputError`], using `tree` (when the text parsed) to locate it.
fn explain(
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
    let mut r = Report {
        line,
        column,
        path,
        message: String::new(),
        hint: None,
    };
    match original(err) {
        YamlError::Message { msg, .. } => {
            let (m, h) = match msg.split_once("\nhint: ") {
                Some((m, h)) => (m, Some(h.to_string())),
                None => (msg.as_str(), None),
            };
            r.message = m.to_string();
            r.hint = h;
        }
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
            r.hint = Some(
                "check the spelling and the indentation; the keys allowed here are listed above"
                    .into(),
            );
        }
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            r.message = format!(
                "unknown variant `{variant}`, expected one of {}",
                expected.join(", ")
            );
            r.hint = Some("use one of the names listed above".into());
        }
        YamlError::SerdeMissingField { field, .. } => {
            if let Some(node) = tree.and_then(|t| resolve(t, &r.path).full) {
                (r.line, r.column) = at(node);
            }
            r.message = format!("missing field `{field}`");
            r.hint = Some(format!(
                "add `{field}:` to this mapping; see the scenario format in README.md"
            ));
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
        } => wrong_type(&mut r, tree, expected, Some(unexpected)),
        YamlError::Unexpected { expected, .. } => wrong_type(&mut r, tree, expected, None),
        YamlError::NullIntoString { .. }
        | YamlError::TaggedScalarCannotDeserializeIntoString { .. } => {
            wrong_type(&mut r, tree, "string", None)
        }
        YamlError::ExternallyTaggedEnumExpectedScalarOrMapping { .. } => wrong_type(
            &mut r,
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
            r.hint = Some("each key may appear only once in a mapping; remove one of them".into());
        }
        YamlError::Eof { .. } if !has_content(text) => {
            r.message = "the file is empty; expected a scenario".into();
            r.hint = Some("a scenario needs at least name, duration and services".into());
        }
        other if is_syntax(other) => {
            r.message = format!("invalid YAML: {}", plain_message(&other.to_string()));
            if r.message.contains("tab")
                && let Some((l, c)) = first_tab(text, r.line)
            {
                (r.line, r.column) = (l, c);
            }
            r.hint = Some(match unclosed_bracket(text, r.line, r.column) {
                Some((bracket, l, c)) => {
                    let close = if bracket == '[' { ']' } else { '}' };
                    format!(
                        "the `{bracket}` at line {l}, column {c} is not closed; add the missing `{close}`"
                    )
                }
                None => syntax_hint(&r.message).into(),
            });
        }
        YamlError::NonFiniteFloat { value, .. } => {
            r.message = format!("expected a finite number, found `{value}`");
            r.hint =
                Some("write an ordinary number such as 10; .inf and .nan are not allowed".into());
        }
        YamlError::ExpectedStringKeyForExternallyTaggedEnum { .. } => {
            r.message = "expected a plain name as the key, such as `exponential`, found a tagged or complex key".into();
            r.hint = Some("remove the `!tag`, brackets or `?` around the name".into());
        }
        YamlError::UnexpectedValueForUnitEnumVariant { .. } => {
            r.message = "expected just a name, found a name with settings".into();
            r.hint = Some("this choice takes no settings: write `key: name`".into());
        }
        YamlError::TaggedEnumMismatch { tagged, .. } => {
            r.message = format!("expected a plain value, found the tag `!{tagged}`");
            r.hint = Some("remove the `!tag`; scenario files use no YAML tags".into());
        }
        other => {
            r.message = plain_message(&other.to_string());
            r.hint = Some("check this value against the scenario format in README.md".into());
        }
    }
    let mut e = InputError::new(file, r.line, r.column, r.path, visible(&r.message));
    e.hint = r.hint.or(e.hint);
    let mut e = e.with_source(text);
    if e.line > 0 && e.source_line.is_none() {
        // The end of the file, after its last line break.
        e.source_line = Some(String::new());
    }
    e
}

/// A node's position.
fn at(node: &Spanned<Node>) -> (u64, u64) {
    (node.referenced.line(), node.referenced.column())
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
        r.hint = Some(hint.into());
        return;
    };
    let found_at = resolve(tree, &r.path);
    match (found_at.full, found_at.rest.first()) {
        (Some(node), _) => {
            (r.line, r.column) = at(node);
            r.message = format!("expected {expected}, found {}", node.value.describe());
            r.hint = Some(hint.into());
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
            r.hint = Some(format!(
                "write `{next}: ...` with its settings as the value, for example {example}"
            ));
        }
        (None, _) => {
            (r.line, r.column) = at(found_at.deepest);
            r.message = match found {
                Some(f) => format!("expected {expected}, found {}", found_text(f)),
                None => format!("expected {expected}"),
            };
            r.hint = Some(hint.into());
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

/// The YAML document as a plain tree of located nodes.
#[derive(Debug)]
enum Node {
    Null,
    Bool(bool),
    Number(String),
    Text(String),
    List(Vec<Spanned<Node>>),
    Map(Vec<(String, Spanned<Node>)>),
}

impl Node {
    /// How the node reads in "found …".
    fn describe(&self) -> String {
        match self {
            Node::Null => "an empty value".into(),
            Node::Bool(b) => format!("`{b}`"),
            Node::Number(n) => format!("the number {n}"),
            Node::Text(t) => format!("the text \"{t}\""),
            Node::List(_) => "a list".into(),
            Node::Map(_) => "a mapping".into(),
        }
    }

    /// The node as a mapping key.
    fn key_text(&self) -> String {
        match self {
            Node::Null => "~".into(),
            Node::Bool(b) => b.to_string(),
            Node::Number(n) | Node::Text(n) => n.clone(),
            Node::List(_) | Node::Map(_) => "?".into(),
        }
    }
}

thread_local! {
    /// Path of the node being read by the tree pass; left at the failing node on error.
    static TREE_PATH: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn tree_path_push(segment: String) {
    TREE_PATH.with(|p| p.borrow_mut().push(segment));
}

fn tree_path_pop() {
    TREE_PATH.with(|p| p.borrow_mut().pop());
}

/// Reads `text` as a plain tree; on error, also returns the path reached.
fn read_tree(text: &str) -> Result<Spanned<Node>, Box<(String, YamlError)>> {
    TREE_PATH.with(|p| p.borrow_mut().clear());
    serde_saphyr::from_str::<Spanned<Node>>(text).map_err(|e| {
        let path = TREE_PATH.with(|p| {
            let mut out = String::new();
            for seg in p.borrow().iter() {
                if !seg.starts_with('[') && !out.is_empty() {
                    out.push('.');
                }
                out.push_str(seg);
            }
            out
        });
        Box::new((path, e))
    })
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_char<E: de::Error>(self, v: char) -> Result<Node, E> {
        Ok(Node::Text(v.to_string()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Text(v.to_string()))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Node, E> {
        Ok(Node::Text(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        loop {
            tree_path_push(format!("[{}]", items.len()));
            match seq.next_element::<Spanned<Node>>()? {
                Some(item) => items.push(item),
                None => {
                    tree_path_pop();
                    break;
                }
            }
            tree_path_pop();
        }
        Ok(Node::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Node>()? {
            let key = key.key_text();
            tree_path_push(key.clone());
            let value = map.next_value::<Spanned<Node>>()?;
            tree_path_pop();
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}

/// Where a path leads in the tree.
struct Found<'t> {
    /// The node at the whole path, if it exists.
    full: Option<&'t Spanned<Node>>,
    /// The deepest node on the path that exists.
    deepest: &'t Spanned<Node>,
    /// The path to `deepest`.
    resolved: String,
    /// The segments after `deepest`.
    rest: Vec<String>,
}

/// Follows a displayed path (`services[0].traffic.rate[1]`) through the tree.
fn resolve<'t>(tree: &'t Spanned<Node>, path: &str) -> Found<'t> {
    let mut segments: Vec<String> = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            segments.push(key.to_string());
        }
        while let Some(end) = rest.find(']') {
            segments.push(rest[..=end].to_string());
            rest = &rest[end + 1..];
        }
    }
    let mut node = tree;
    let mut resolved = String::new();
    for (i, seg) in segments.iter().enumerate() {
        let next = match &node.value {
            Node::List(items) => seg
                .strip_prefix('[')
                .and_then(|s| s.strip_suffix(']'))
                .and_then(|s| s.parse::<usize>().ok())
                .and_then(|n| items.get(n)),
            Node::Map(entries) => entries.iter().find(|(k, _)| k == seg).map(|(_, v)| v),
            _ => None,
        };
        match next {
            Some(n) => {
                if !seg.starts_with('[') && !resolved.is_empty() {
                    resolved.push('.');
                }
                resolved.push_str(seg);
                node = n;
            }
            None => {
                return Found {
                    full: None,
                    deepest: node,
                    resolved,
                    rest: segments[i..].to_vec(),
                };
            }
        }
    }
    Found {
        full: Some(node),
        deepest: node,
        resolved,
        rest: Vec::new(),
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

    #[test]
    fn missing_field_points_at_the_mapping_that_lacks_it() {
        let text = "services:\n  - value: 1\n  - {}\n";
        let err = from_str::<Top>(text, Path::new("t.yaml")).unwrap_err();
        assert_eq!(err.path, "services[1]");
        assert_eq!(err.message, "missing field `value`");
        assert_eq!((err.line, err.column), (3, 5));
    }

    #[test]
    fn syntax_errors_come_first_and_have_hints() {
        let text = "services:\n  - value: x\n  - [\n";
        let err = from_str::<Top>(text, Path::new("t.yaml")).unwrap_err();
        assert!(err.message.starts_with("invalid YAML"), "{}", err.message);
        assert!(err.hint.is_some());
    }

    #[test]
    fn unclosed_brackets_are_found_for_the_hint() {
        let text = "n: x[1]\na: [1, {b: \"]\"}\nd: 2\n";
        assert_eq!(unclosed_bracket(text, 3, 2), Some(('[', 2, 4)));
        assert_eq!(unclosed_bracket("a: [1]\nb: {c: 1}\n", 3, 1), None);
        assert_eq!(unclosed_bracket("a: x # [\n", 2, 1), None);
    }

    #[test]
    fn resolve_follows_keys_and_indices() {
        let tree = read_tree("a:\n  b: [1, {c: 2}]\n").unwrap();
        let f = resolve(&tree, "a.b[1].c");
        assert_eq!(at(f.full.unwrap()), (2, 14));
        let f = resolve(&tree, "a.b[0].x");
        assert!(f.full.is_none());
        assert_eq!(f.resolved, "a.b[0]");
        assert_eq!(f.rest, vec!["x".to_string()]);
    }
}
