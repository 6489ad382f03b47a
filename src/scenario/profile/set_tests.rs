//! `set:` paths against a small tree.

use super::*;
use crate::scenario::yaml::tree::read_tree;

const DOC: &str = "\
services:
  - name: api
    pod: { concurrency: 4 }
  - name: auth.v2
    replicas: 2
cluster:
  node_groups:
    - { name: compute-intensive, max: 8 }
labels: { kubernetes.io/arch: amd64 }
";

fn value(text: &str) -> Spanned<Node> {
    read_tree(text).expect("a value")
}

fn get<'t>(root: &'t Spanned<Node>, path: &[&str]) -> &'t Node {
    let mut node = &root.value;
    for seg in path {
        node = match node {
            Node::Map(entries) => {
                &entries
                    .iter()
                    .find(|e| e.key == *seg)
                    .expect(seg)
                    .value
                    .value
            }
            Node::List(items) => &items[seg.parse::<usize>().expect("index")].value,
            _ => panic!("{seg}"),
        };
    }
    node
}

fn number(node: &Node) -> &str {
    match node {
        Node::Number(n) => n,
        other => panic!("{other:?}"),
    }
}

#[test]
fn sets_by_name_index_and_dotted_names() {
    let mut root = read_tree(DOC).unwrap();
    set(&mut root, "services.api.pod.concurrency", value("32")).unwrap();
    set(&mut root, "services.1.replicas", value("5")).unwrap();
    set(&mut root, "services.auth.v2.replicas", value("6")).unwrap();
    set(
        &mut root,
        "cluster.node_groups.compute-intensive.max",
        value("16"),
    )
    .unwrap();
    set(&mut root, "labels.kubernetes.io/arch", value("arm64")).unwrap();
    assert_eq!(
        number(get(&root, &["services", "0", "pod", "concurrency"])),
        "32"
    );
    assert_eq!(number(get(&root, &["services", "1", "replicas"])), "6");
    assert_eq!(
        number(get(&root, &["cluster", "node_groups", "0", "max"])),
        "16"
    );
    assert!(matches!(get(&root, &["labels", "kubernetes.io/arch"]), Node::Text(t) if t == "arm64"));
}

#[test]
fn adds_missing_keys_with_their_mappings() {
    let mut root = read_tree(DOC).unwrap();
    set(&mut root, "services.api.hpa.maxReplicas", value("20")).unwrap();
    assert_eq!(
        number(get(&root, &["services", "0", "hpa", "maxReplicas"])),
        "20"
    );
}

#[test]
fn a_path_that_matches_nothing_names_what_exists() {
    let mut root = read_tree(DOC).unwrap();
    let e = set(&mut root, "services.checkout.replicas", value("2")).unwrap_err();
    assert!(e.contains("`services` has no item `checkout`"), "{e}");
    assert!(
        e.contains("hint: its items are api, auth.v2 (or 0 to 1)"),
        "{e}"
    );
    let e = set(&mut root, "services.api.pod.concurrency.max", value("2")).unwrap_err();
    assert!(
        e.contains("`services.api.pod.concurrency` is a single value"),
        "{e}"
    );
    let e = set(&mut root, "services..replicas", value("2")).unwrap_err();
    assert!(e.contains("is not a path"), "{e}");
}
