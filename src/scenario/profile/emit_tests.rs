//! The written text reads back as the same tree, and its lines map back.

use super::*;
use crate::scenario::yaml::tree::read_tree;

const DOC: &str = "\
top: 1
list:
  - { k: v, n: 2 }
  - [x, [], ~]
  - plain words
  - - nested
nested:
  deep:
    quoted: \"5\"
    flag: true
    ratio: 1.5
    empty: {}
    none: []
\"odd key\": yes
";

/// The tree's shape and scalars, without locations.
fn shape(node: &Node) -> String {
    match node {
        Node::Map(entries) => {
            let inner: Vec<String> = entries
                .iter()
                .map(|e| format!("{}={}", e.key, shape(&e.value.value)))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        Node::List(items) => {
            let inner: Vec<String> = items.iter().map(|i| shape(&i.value)).collect();
            format!("[{}]", inner.join(","))
        }
        other => format!("{other:?}"),
    }
}

fn written() -> (String, SourceMap) {
    let tree = read_tree(DOC).unwrap();
    let Node::Map(entries) = &tree.value else {
        panic!("a mapping")
    };
    emit(entries, &|_| None)
}

#[test]
fn writes_text_that_reads_back_as_the_same_tree() {
    let (text, _) = written();
    let again = read_tree(&text).unwrap_or_else(|e| panic!("{text}\n{e:?}"));
    assert_eq!(
        shape(&again.value),
        shape(&read_tree(DOC).unwrap().value),
        "{text}"
    );
}

#[test]
fn maps_each_line_back_to_its_key_and_value() {
    let (text, map) = written();
    // Line and column (1-based) of `needle` in the written text.
    let find = |needle: &str| {
        let (i, line) = text
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(needle))
            .unwrap();
        (i as u64 + 1, line.find(needle).unwrap() as u64 + 1)
    };
    let origin = |line, column| Origin {
        source: 0,
        line,
        column,
    };
    // `ratio: 1.5`: the key at 11:5 of DOC, the value at 11:12.
    let (l, key_col) = find("ratio");
    assert_eq!(map.origin(l, key_col), Some(origin(11, 5)));
    let (l, value_col) = find("1.5");
    assert_eq!(map.origin(l, value_col), Some(origin(11, 12)));
    // A list item's first key shares the dash's line: `k` at 3:7.
    let (l, key_col) = find("k:");
    assert_eq!(map.origin(l, key_col), Some(origin(3, 7)));
}
