//! A located YAML tree written back as text, with a map from the lines
//! written to where their keys and values came from.
//!
//! A profile's scenario is the file's tree with the profile's `set:` values
//! put in; it is written as plain block YAML — one key or list item per
//! line, every scalar on the line of its key — and read by the same reader
//! as any scenario. An error in that text is moved back, through the map,
//! to the place its key or value was written: the scenario file, a `set:`
//! entry of the profile, or a `--set` on the command line.

use crate::scenario::yaml::tree::{Entry, Node, at};
use serde_saphyr::Spanned;

/// Where a key or value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// Which text: 0 the scenario file, k ≥ 1 the k-th `--set`.
    pub source: usize,
    /// 1-based line and column there.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
}

/// What one written line holds: its key (or list dash) and its value.
#[derive(Debug, Clone, Copy)]
struct Line {
    /// Column (1-based) of the key or dash, and where it came from.
    key: (u64, Origin),
    /// Column (1-based) of the value on this line, and where it came from.
    value: Option<(u64, Origin)>,
}

/// The lines written, by number (line 1 is `lines[0]`).
#[derive(Debug, Default)]
pub struct SourceMap {
    lines: Vec<Line>,
}

impl SourceMap {
    /// Where line `line`, column `column` of the written text came from.
    pub fn origin(&self, line: u64, column: u64) -> Option<Origin> {
        let l = self
            .lines
            .get(usize::try_from(line).ok()?.checked_sub(1)?)?;
        let (start, from) = match l.value {
            Some((col, from)) if column >= col => (col, from),
            _ => l.key,
        };
        Some(Origin {
            column: from.column + column.saturating_sub(start),
            ..from
        })
    }
}

/// Where a node came from, given the text it belongs to.
fn origin_of(node: &Spanned<Node>, source: usize) -> Origin {
    let (line, column) = at(node);
    Origin {
        source,
        line,
        column,
    }
}

/// A scalar as YAML text that reads back as the same node.
fn scalar(node: &Node) -> String {
    match node {
        Node::Null => "~".into(),
        Node::Bool(b) => b.to_string(),
        Node::Number(n) => match n.as_str() {
            "NaN" => ".nan".into(),
            "inf" => ".inf".into(),
            "-inf" => "-.inf".into(),
            _ => n.clone(),
        },
        // Quoted: plain text could read back as a number or a keyword.
        Node::Text(t) => serde_json::Value::String(t.clone()).to_string(),
        Node::List(_) => "[]".into(),
        Node::Map(_) => "{}".into(),
    }
}

/// A mapping key as YAML text.
fn key(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
        && !text.starts_with(['-', '.'])
        && text.parse::<f64>().is_err()
        && !matches!(
            text,
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain {
        text.to_string()
    } else {
        serde_json::Value::String(text.to_string()).to_string()
    }
}

/// Whether `node` is written on the line of its key (a scalar or an empty collection).
fn inline(node: &Node) -> bool {
    match node {
        Node::List(items) => items.is_empty(),
        Node::Map(entries) => entries.is_empty(),
        _ => true,
    }
}

/// Writes trees as block YAML.
struct Writer<'a> {
    text: String,
    map: SourceMap,
    /// The text a node and what it holds came from, where it is not the
    /// text of the node above it (the `--set` values put in).
    source_of: &'a dyn Fn(&Spanned<Node>) -> Option<usize>,
}

impl Writer<'_> {
    /// Starts a line at `indent` with `lead` (a key and colon, or a dash).
    fn open(&mut self, indent: usize, lead: &str, from: Origin) {
        self.text.push_str(&" ".repeat(indent));
        self.text.push_str(lead);
        self.map.lines.push(Line {
            key: (indent as u64 + 1, from),
            value: None,
        });
    }

    /// Ends the line with scalar `node`, from text `source`.
    fn close_with(&mut self, node: &Spanned<Node>, source: usize) {
        self.text.push(' ');
        let column = self.text.len() - self.text.rfind('\n').map_or(0, |i| i + 1) + 1;
        self.text.push_str(&scalar(&node.value));
        self.text.push('\n');
        let from = origin_of(node, source);
        if let Some(line) = self.map.lines.last_mut() {
            line.value = Some((column as u64, from));
        }
    }

    /// The entries of a mapping at `indent`, from text `source`.
    fn entries(&mut self, entries: &[Entry], indent: usize, first_inline: bool, source: usize) {
        for (i, e) in entries.iter().enumerate() {
            let lead = format!("{}:", key(&e.key));
            let value_source = (self.source_of)(&e.value).unwrap_or(source);
            let from = Origin {
                // A key put in by a `--set` is written in its path there.
                source: value_source,
                line: e.key_at.0,
                column: e.key_at.1,
            };
            if i == 0 && first_inline {
                // After a list dash: the first entry shares its line.
                self.text.push_str(&lead);
                if let Some(line) = self.map.lines.last_mut() {
                    line.key = (line.key.0 + 2, from);
                }
            } else {
                self.open(indent, &lead, from);
            }
            self.value(&e.value, indent + 2, value_source);
        }
    }

    /// A value after a key or dash, from text `source`: on the line, or on
    /// the lines below.
    fn value(&mut self, node: &Spanned<Node>, indent: usize, source: usize) {
        if inline(&node.value) {
            self.close_with(node, source);
            return;
        }
        self.text.push('\n');
        match &node.value {
            Node::Map(entries) => self.entries(entries, indent, false, source),
            Node::List(items) => {
                for item in items {
                    let source = (self.source_of)(item).unwrap_or(source);
                    self.open(indent, "-", origin_of(item, source));
                    match &item.value {
                        Node::Map(entries) if !entries.is_empty() => {
                            self.text.push(' ');
                            self.entries(entries, indent + 2, true, source);
                        }
                        Node::List(inner) if !inner.is_empty() => {
                            self.value(item, indent + 2, source)
                        }
                        _ => self.close_with(item, source),
                    }
                }
            }
            _ => unreachable!("scalars are inline"),
        }
    }
}

/// Writes the mapping `entries` (a document's top level, from the scenario
/// file) as block YAML; `source_of` names the nodes that came from another
/// text (with everything they hold).
pub fn emit(
    entries: &[Entry],
    source_of: &dyn Fn(&Spanned<Node>) -> Option<usize>,
) -> (String, SourceMap) {
    let mut w = Writer {
        text: String::new(),
        map: SourceMap::default(),
        source_of,
    };
    w.entries(entries, 0, false, 0);
    (w.text, w.map)
}

#[cfg(test)]
#[path = "emit_tests.rs"]
mod tests;
