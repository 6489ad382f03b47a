//! The YAML document as a plain tree of located nodes, and paths through it.
//!
//! Used only when reading into the scenario types failed: the tree gives the
//! exact position of the node at the failing path (serde's structural errors
//! carry none), and reading it finds syntax errors anywhere in the file.

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Error as YamlError, Spanned};
use std::cell::RefCell;
use std::fmt;

/// The YAML document as a plain tree of located nodes.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    /// `~` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as Rust writes it.
    Number(String),
    /// Any other scalar.
    Text(String),
    /// A sequence.
    List(Vec<Spanned<Node>>),
    /// A mapping, keys in the order written.
    Map(Vec<Entry>),
}

/// One key of a mapping, where the key is written, and its value.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The key's text.
    pub key: String,
    /// The key's line and column.
    pub key_at: (u64, u64),
    /// The value.
    pub value: Spanned<Node>,
}

impl Node {
    /// How the node reads in "found …".
    pub(crate) fn describe(&self) -> String {
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
    ///
    /// A thread-local because `Spanned<Node>` can only be read through
    /// `Deserialize`, which takes no state. serde_path_to_error would not do:
    /// when the parser fails before a list item or a mapping value starts, it
    /// gives the path of the list or mapping, where this gives the item's
    /// index or the value's key.
    static TREE_PATH: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Enters a list item (`[n]`) or a mapping value (its key).
fn tree_path_push(segment: String) {
    TREE_PATH.with(|p| p.borrow_mut().push(segment));
}

/// Leaves the item or value entered last.
fn tree_path_pop() {
    TREE_PATH.with(|p| p.borrow_mut().pop());
}

/// Reads `text` as a plain tree; on error, also returns the path reached.
pub(crate) fn read_tree(text: &str) -> Result<Spanned<Node>, Box<(String, YamlError)>> {
    TREE_PATH.with(|p| p.borrow_mut().clear());
    serde_saphyr::from_str_with_options::<Spanned<Node>>(text, super::options()).map_err(|e| {
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

/// Reads every document of `text` (empty documents skipped, as `from_multiple` does).
pub(super) fn read_trees(text: &str) -> Result<Vec<Spanned<Node>>, YamlError> {
    TREE_PATH.with(|p| p.borrow_mut().clear());
    serde_saphyr::from_multiple_with_options::<Spanned<Node>>(text, super::options())
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
        while let Some(key) = map.next_key::<Spanned<Node>>()? {
            let key_at = at(&key);
            let key = key.value.key_text();
            tree_path_push(key.clone());
            let value = map.next_value::<Spanned<Node>>()?;
            tree_path_pop();
            entries.push(Entry { key, key_at, value });
        }
        Ok(Node::Map(entries))
    }
}

/// Where a path leads in the tree.
pub(super) struct Found<'t> {
    /// The node at the whole path, if it exists.
    pub full: Option<&'t Spanned<Node>>,
    /// The deepest node on the path that exists.
    pub deepest: &'t Spanned<Node>,
    /// The path to `deepest`.
    pub resolved: String,
    /// The segments after `deepest`.
    pub rest: Vec<String>,
}

/// Follows a displayed path (`services[0].traffic.rate[1]`) through the tree.
pub(super) fn resolve<'t>(tree: &'t Spanned<Node>, path: &str) -> Found<'t> {
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
            Node::Map(entries) => entries.iter().find(|e| &e.key == seg).map(|e| &e.value),
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

/// A node's position.
pub(crate) fn at(node: &Spanned<Node>) -> (u64, u64) {
    (node.referenced.line(), node.referenced.column())
}

/// Where the last key of `path` (`a.b.c`: the `c` of mapping `a.b`) is written, if it is.
pub(super) fn key_at(tree: &Spanned<Node>, path: &str) -> Option<(u64, u64)> {
    let (parent, key) = match path.rfind('.') {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => ("", path),
    };
    match &resolve(tree, parent).full?.value {
        Node::Map(entries) => entries.iter().find(|e| e.key == key).map(|e| e.key_at),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_follows_keys_and_indices() {
        let tree = read_tree("a:\n  b: [1, {c: 2}]\n").unwrap();
        let f = resolve(&tree, "a.b[1].c");
        assert_eq!(at(f.full.unwrap()), (2, 14));
        assert_eq!(key_at(&tree, "a.b"), Some((2, 3)));
        assert_eq!(key_at(&tree, "a.b[1].c"), Some((2, 11)));
        assert_eq!(key_at(&tree, "a.x"), None);
        let f = resolve(&tree, "a.b[0].x");
        assert!(f.full.is_none());
        assert_eq!(f.resolved, "a.b[0]");
        assert_eq!(f.rest, vec!["x".to_string()]);
    }
}
