//! `set:` overrides: a value put at a dotted path of the scenario's tree.
//!
//! A path names mapping keys and list items, separated by dots; a list
//! item is named by its `name` (`cluster.node_groups.compute-intensive.max`)
//! or by its index (`services.0.replicas`). A key or name that holds dots
//! itself is matched whole (`…labels.kubernetes.io/arch`). A missing key is
//! added, with the mappings leading to it (the scenario's reader then says
//! whether it belongs there); a list item that does not exist, or a path
//! that goes on past a value, matches nothing: an error that names the
//! longest part of the path that exists and what can follow it.

use crate::scenario::yaml::tree::{Entry, Node, at};
use serde_saphyr::Spanned;

/// How a list item is named in a path: its `name` key, if it has one.
fn item_name(item: &Spanned<Node>) -> Option<&str> {
    match &item.value {
        Node::Map(entries) => {
            entries
                .iter()
                .find(|e| e.key == "name")
                .and_then(|e| match &e.value.value {
                    Node::Text(t) | Node::Number(t) => Some(t.as_str()),
                    _ => None,
                })
        }
        _ => None,
    }
}

/// The number of segments from `segs[i]` on that, joined by dots, match
/// `wanted` (the longest first); `None` if none does.
fn matching(segs: &[&str], i: usize, mut wanted: impl FnMut(&str) -> bool) -> Option<usize> {
    (1..=segs.len() - i)
        .rev()
        .find(|&n| wanted(&segs[i..i + n].join(".")))
}

/// What can follow a path that leads to list `items`: their names or indices.
fn item_choices(items: &[Spanned<Node>]) -> String {
    let names: Vec<&str> = items.iter().filter_map(item_name).collect();
    match (names.is_empty(), items.len()) {
        (_, 0) => "the list is empty".into(),
        (true, n) => format!("its items are 0 to {}", n - 1),
        (false, n) => format!("its items are {} (or 0 to {})", names.join(", "), n - 1),
    }
}

/// Puts `value` at `path` in `root`, the scenario document (a mapping).
/// Returns the message (with a `\nhint: `) when the path matches nothing.
pub fn set(root: &mut Spanned<Node>, path: &str, value: Spanned<Node>) -> Result<(), String> {
    let segs: Vec<&str> = path.split('.').collect();
    if segs.iter().any(|s| s.is_empty()) {
        return Err(format!(
            "`{path}` is not a path\nhint: write keys and list items separated by single dots, such as services.api.pod.concurrency"
        ));
    }
    let mut node = root;
    let mut i = 0;
    let mut done = String::new();
    while i < segs.len() {
        let shown = if done.is_empty() {
            "the scenario".to_string()
        } else {
            format!("`{done}`")
        };
        let step = match &mut node.value {
            Node::Map(entries) => {
                match matching(&segs, i, |k| entries.iter().any(|e| e.key == k)) {
                    Some(n) => {
                        let k = segs[i..i + n].join(".");
                        let e = entries.iter_mut().find(|e| e.key == k).expect("matched");
                        (n, &mut e.value)
                    }
                    None => {
                        // A missing key: added, with the mappings down to the value.
                        let mut inner = value;
                        for k in segs[i + 1..].iter().rev() {
                            let key_at = at(&inner);
                            inner = Spanned {
                                value: Node::Map(vec![Entry {
                                    key: (*k).to_string(),
                                    key_at,
                                    value: inner.clone(),
                                }]),
                                ..inner
                            };
                        }
                        let key_at = at(&inner);
                        entries.push(Entry {
                            key: segs[i].to_string(),
                            key_at,
                            value: inner,
                        });
                        return Ok(());
                    }
                }
            }
            Node::List(items) => {
                let by_index = segs[i].parse::<usize>().ok().filter(|&k| k < items.len());
                let found = match by_index {
                    Some(k) => Some((1, k)),
                    None => matching(&segs, i, |name| {
                        items.iter().any(|it| item_name(it) == Some(name))
                    })
                    .map(|n| {
                        let name = segs[i..i + n].join(".");
                        (
                            n,
                            items
                                .iter()
                                .position(|it| item_name(it) == Some(&name))
                                .expect("matched"),
                        )
                    }),
                };
                let Some((n, k)) = found else {
                    return Err(format!(
                        "`{path}` matches nothing: {shown} has no item `{}`\nhint: {}",
                        segs[i],
                        item_choices(items)
                    ));
                };
                (n, &mut items[k])
            }
            _ => {
                return Err(format!(
                    "`{path}` matches nothing: {shown} is a single value, with nothing in it to set\nhint: set `{done}` itself"
                ));
            }
        };
        let (n, next) = step;
        if !done.is_empty() {
            done.push('.');
        }
        done.push_str(&segs[i..i + n].join("."));
        node = next;
        i += n;
    }
    *node = value;
    Ok(())
}

/// The node at `path` in `root`, if the path leads to one (as [`set`] reads it).
pub fn find<'t>(root: &'t Spanned<Node>, path: &str) -> Option<&'t Spanned<Node>> {
    let segs: Vec<&str> = path.split('.').collect();
    let mut node = root;
    let mut i = 0;
    while i < segs.len() {
        let (n, next) = match &node.value {
            Node::Map(entries) => {
                let n = matching(&segs, i, |k| entries.iter().any(|e| e.key == k))?;
                let k = segs[i..i + n].join(".");
                (n, &entries.iter().find(|e| e.key == k)?.value)
            }
            Node::List(items) => match segs[i].parse::<usize>().ok().filter(|&k| k < items.len()) {
                Some(k) => (1, &items[k]),
                None => {
                    let n = matching(&segs, i, |name| {
                        items.iter().any(|it| item_name(it) == Some(name))
                    })?;
                    let name = segs[i..i + n].join(".");
                    (n, items.iter().find(|it| item_name(it) == Some(&name))?)
                }
            },
            _ => return None,
        };
        node = next;
        i += n;
    }
    Some(node)
}

#[cfg(test)]
#[path = "set_tests.rs"]
mod tests;
