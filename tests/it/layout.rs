//! No import circles in `src/`: within every folder, the graph of its
//! entries (files and subfolders) under "uses something of" has no cycle.
//!
//! The check reads the sources: every `crate::…` path and every `super::…`
//! path outside test modules (inline `mod tests {}`, `tests.rs`,
//! `*_tests.rs`, `test_support.rs`: a model test may parse a scenario) is resolved to the module it names
//! (the deepest module that is a file or folder of `src/`), following a
//! `pub use` re-export in a folder's `mod.rs` to the entry that defines the
//! item (a glob, `pub use child::*`, to the child that defines a public
//! item of that name). For the deepest folder that holds both ends, the edge runs between
//! the two entries that contain them, the folder's own `mod.rs` being an
//! entry of its own (a child that uses what `mod.rs` defines while `mod.rs`
//! uses the child is a circle too). Every strongly connected component of
//! more than one entry is a circle.
//!
//! [`KNOWN_CIRCLES`] lists the circles not yet broken, so that the test
//! fails on any new one and on a listed one that is gone (remove it then).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Circles that remain, each as its folder and its sorted entries.
const KNOWN_CIRCLES: &[&str] = &[];

/// The entry that stands for a folder's own `mod.rs` (or `lib.rs`).
const MOD_RS: &str = "(mod.rs)";

/// A module path, `crate` first.
type Module = Vec<String>;

fn module_of(src: &Path, file: &Path) -> Module {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = std::iter::once("crate".to_string())
        .chain(rel.iter().map(|p| p.to_string_lossy().into_owned()))
        .collect();
    let last = parts.last().unwrap().clone();
    if last == "mod" || last == "lib" || last == "main" {
        parts.pop();
    } else if let Some(stem) = last.strip_suffix("_tests") {
        // `x_tests.rs` is `x`'s test module, included with `#[path]`.
        *parts.last_mut().unwrap() = stem.to_string();
        parts.push("tests".to_string());
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comments, string literals and inline `mod … {}` blocks
/// (test modules: their `super::` is the file itself).
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut skip_depth: Option<i32> = None;
    let mut depth = 0i32;
    for line in text.lines() {
        let mut code = line.split("//").next().unwrap_or("").to_string();
        // Blank string literals (rough, enough for paths).
        let mut cleaned = String::new();
        let mut in_str = false;
        let mut prev = ' ';
        for c in code.chars() {
            if c == '"' && prev != '\\' {
                in_str = !in_str;
            }
            if !in_str {
                cleaned.push(c);
            }
            prev = c;
        }
        code = cleaned;
        let trimmed = code.trim_start();
        let opens_inline_mod = {
            let t = trimmed
                .strip_prefix("pub(crate) ")
                .or_else(|| trimmed.strip_prefix("pub "))
                .unwrap_or(trimmed);
            t.starts_with("mod ") && t.trim_end().ends_with('{')
        };
        if skip_depth.is_none() && opens_inline_mod {
            skip_depth = Some(depth);
        }
        for c in code.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
        }
        if skip_depth.is_none() {
            out.push_str(&code);
            out.push('\n');
        } else if skip_depth.is_some_and(|d| depth <= d) {
            skip_depth = None;
        }
    }
    out
}

/// Paths in `code` written from module `m`, absolute (`crate` first).
fn paths_in(code: &str, m: &Module) -> Vec<Vec<String>> {
    let bytes: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    while i < bytes.len() {
        if ident(bytes[i]) && (i == 0 || !ident(bytes[i - 1])) {
            let mut j = i;
            while j < bytes.len() && ident(bytes[j]) {
                j += 1;
            }
            let word: String = bytes[i..j].iter().collect();
            if (word == "crate" || word == "super") && code[..].len() > j {
                // Read the whole path, then expand `{a, b::c}` groups one level.
                let mut segs = vec![word.clone()];
                let mut k = j;
                loop {
                    if k + 1 < bytes.len() && bytes[k] == ':' && bytes[k + 1] == ':' {
                        k += 2;
                        while k < bytes.len() && bytes[k].is_whitespace() {
                            k += 1;
                        }
                        if k < bytes.len() && bytes[k] == '{' {
                            let close = (k..bytes.len()).find(|&x| bytes[x] == '}').unwrap_or(k);
                            let inner: String = bytes[k + 1..close].iter().collect();
                            for part in inner.split(',') {
                                let p: Vec<String> = part
                                    .split("::")
                                    .map(|s| s.trim().split(' ').next().unwrap_or("").to_string())
                                    .filter(|s| !s.is_empty() && s.chars().all(ident))
                                    .collect();
                                let mut full = segs.clone();
                                full.extend(p);
                                out.push(full);
                            }
                            k = close;
                            segs.clear();
                            break;
                        }
                        let s = k;
                        while k < bytes.len() && ident(bytes[k]) {
                            k += 1;
                        }
                        if s == k {
                            break;
                        }
                        segs.push(bytes[s..k].iter().collect());
                    } else {
                        break;
                    }
                }
                if !segs.is_empty() {
                    out.push(segs);
                }
                i = k.max(j);
                continue;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out.into_iter()
        .filter_map(|p| {
            let mut base: Module = if p[0] == "crate" {
                vec!["crate".to_string()]
            } else {
                m.clone()
            };
            let mut rest = &p[..];
            if p[0] == "crate" {
                rest = &p[1..];
            } else {
                while rest.first().is_some_and(|s| s == "super") {
                    base.pop()?;
                    rest = &rest[1..];
                }
            }
            base.extend(rest.iter().cloned());
            Some(base)
        })
        .collect()
}

/// Where each `pub use child::…::Item` of a module points: (module, item) → defining module.
fn re_exports(files: &BTreeMap<Module, String>) -> BTreeMap<(Module, String), Module> {
    let mut out = BTreeMap::new();
    for (m, code) in files {
        for stmt in code.split(';') {
            let s = stmt.trim();
            let Some(body) = s.strip_prefix("pub use ") else {
                continue;
            };
            // `pub use child::*` (or absolute): every public item defined there.
            if let Some(glob) = body.strip_suffix("::*") {
                let path = if glob.starts_with("crate::") {
                    glob.to_string()
                } else {
                    format!("crate::{}::{glob}", m[1..].join("::"))
                };
                let target: Module = path.split("::").map(str::to_string).collect();
                if let Some(code) = files.get(&target) {
                    for item in public_items(code) {
                        out.entry((m.clone(), item)).or_insert(target.clone());
                    }
                }
                continue;
            }
            // `pub use crate::a::B`: absolute.
            if body.starts_with("crate::") {
                for p in paths_in(body, m) {
                    if let Some(item) = p.last() {
                        out.insert((m.clone(), item.clone()), p[..p.len() - 1].to_vec());
                    }
                }
                continue;
            }
            // `pub use child::{A, B}` written relative to the module.
            let rel: Vec<String> = body.split("::").map(|s| s.trim().to_string()).collect();
            if let Some(first) = rel.first() {
                let mut child = m.clone();
                child.push(first.clone());
                if files.contains_key(&child) {
                    for p in paths_in(&format!("crate::{}", body), &vec!["crate".into()]) {
                        let items = &p[1..];
                        if let Some(item) = items.last() {
                            let mut target = m.clone();
                            target.extend(items[..items.len() - 1].iter().cloned());
                            out.insert((m.clone(), item.clone()), target);
                        }
                    }
                }
            }
        }
    }
    out
}

/// The names of the public items a file defines (`pub struct S`, `pub(crate) fn f`, …).
fn public_items(code: &str) -> Vec<String> {
    const KINDS: &[&str] = &["struct", "enum", "fn", "const", "type", "trait", "static"];
    let words: Vec<&str> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '(' || c == ')'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::new();
    for w in words.windows(3) {
        if (w[0] == "pub" || w[0].starts_with("pub(")) && KINDS.contains(&w[1]) {
            out.push(w[2].split('(').next().unwrap_or("").to_string());
        }
    }
    out
}

/// The deepest known module on `path`, following re-exports of the module reached.
fn resolve(
    path: &[String],
    modules: &BTreeMap<Module, String>,
    exports: &BTreeMap<(Module, String), Module>,
) -> Option<Module> {
    let mut best = None;
    for n in (1..=path.len()).rev() {
        let m = path[..n].to_vec();
        if modules.contains_key(&m) {
            best = Some((m, n));
            break;
        }
    }
    let (m, n) = best?;
    if let Some(item) = path.get(n)
        && let Some(target) = exports.get(&(m.clone(), item.clone()))
        && target != &m
        && modules.contains_key(target)
    {
        return Some(target.clone());
    }
    Some(m)
}

/// Strongly connected components (Tarjan) of more than one node.
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct T<'a> {
        g: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        let i = t.index.len();
        t.index.insert(v, i);
        t.low.insert(v, i);
        t.stack.push(v);
        t.on.insert(v);
        for w in t.g.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        g: graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !t.index.contains_key(v.as_str()) {
            visit(&mut t, v);
        }
    }
    t.out
}

/// Every circle in `src/`, as `folder: a, b, c`.
fn find_circles(src: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for (folder, g) in &folder_graphs(src) {
        for c in circles(g) {
            out.push(format!("{}: {}", folder.join("::"), c.join(", ")));
        }
    }
    out
}

/// Every edge with the files behind it (`CAPSIM_LAYOUT_EDGES=1`, to see what to cut).
fn edges_report(src: &Path) -> String {
    let mut out = String::new();
    for (folder, g) in &folder_graphs(src) {
        for (from, tos) in g {
            for to in tos {
                out.push_str(&format!("{}: {from} -> {to}\n", folder.join("::")));
            }
        }
    }
    out
}

/// Per folder, the graph of its entries.
fn folder_graphs(src: &Path) -> BTreeMap<Module, BTreeMap<String, BTreeSet<String>>> {
    let mut paths = Vec::new();
    rust_files(src, &mut paths);
    let mut modules: BTreeMap<Module, String> = BTreeMap::new();
    for p in &paths {
        let name = p.file_name().unwrap().to_string_lossy();
        if name == "main.rs" {
            continue; // the binary: a separate crate
        }
        if name == "tests.rs" || name.ends_with("_tests.rs") || name == "test_support.rs" {
            continue; // test modules: scaffolding (parsing a scenario to test the model), not architecture
        }
        let code = code_of(&fs::read_to_string(p).unwrap());
        modules
            .entry(module_of(src, p))
            .or_default()
            .push_str(&code);
    }
    let exports = re_exports(&modules);
    // folder → entry → entries it uses
    let mut graphs: BTreeMap<Module, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (m, code) in &modules {
        for p in paths_in(code, m) {
            let Some(t) = resolve(&p, &modules, &exports) else {
                continue;
            };
            let common = m.iter().zip(&t).take_while(|(a, b)| a == b).count();
            // The deepest folder holding both ends; an end that is the folder
            // itself is its `mod.rs` (items defined there, re-exports followed).
            let folder = m[..common].to_vec();
            let entry = |x: &Module| x.get(common).cloned().unwrap_or_else(|| MOD_RS.to_string());
            let (from, to) = (entry(m), entry(&t));
            if from != to {
                graphs
                    .entry(folder)
                    .or_default()
                    .entry(from)
                    .or_default()
                    .insert(to);
            }
        }
    }
    graphs
}

#[test]
fn no_import_circles_in_src() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = find_circles(&src);
    if std::env::var_os("CAPSIM_LAYOUT_EDGES").is_some() {
        eprintln!("{}", edges_report(&src));
    }
    for c in &found {
        eprintln!("circle: {c}");
    }
    let known: BTreeSet<&str> = KNOWN_CIRCLES.iter().copied().collect();
    let new: Vec<&String> = found
        .iter()
        .filter(|c| !known.contains(c.as_str()))
        .collect();
    let gone: Vec<&&str> = known
        .iter()
        .filter(|k| !found.iter().any(|c| c == **k))
        .collect();
    assert!(new.is_empty(), "new import circles: {new:#?}");
    assert!(
        gone.is_empty(),
        "circles broken: remove them from KNOWN_CIRCLES: {gone:#?}"
    );
}

#[test]
fn the_checker_sees_a_circle() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    fs::create_dir_all(src.join("a")).unwrap();
    fs::write(src.join("lib.rs"), "mod a;\nmod b;\nmod c;\n").unwrap();
    fs::write(src.join("a/mod.rs"), "mod x;\nmod y;\npub use x::Thing;\n").unwrap();
    fs::write(
        src.join("a/x.rs"),
        "use super::y::Other;\npub struct Thing;\n",
    )
    .unwrap();
    // y reaches x through a's re-export: still a circle x ↔ y.
    fs::write(
        src.join("a/y.rs"),
        "use super::Thing;\npub struct Other;\n#[cfg(test)]\nmod tests {\n    use super::super::x::Thing;\n}\n",
    )
    .unwrap();
    // b ↔ a at the top.
    fs::write(src.join("b.rs"), "use crate::a::Thing;\npub struct B;\n").unwrap();
    fs::write(src.join("a/z.rs"), "use crate::b::B;\n").unwrap();
    // c's u and v meet through c's glob re-exports: u ↔ v.
    fs::create_dir_all(src.join("c")).unwrap();
    fs::write(
        src.join("c/mod.rs"),
        "mod u;\nmod v;\npub use u::*;\npub use v::*;\n",
    )
    .unwrap();
    fs::write(src.join("c/u.rs"), "use crate::c::V;\npub struct U;\n").unwrap();
    fs::write(
        src.join("c/v.rs"),
        "use crate::c::U;\npub(crate) fn f() {}\npub enum V {}\n",
    )
    .unwrap();
    let found = find_circles(src);
    assert_eq!(
        found,
        vec![
            "crate: a, b".to_string(),
            "crate::a: x, y".to_string(),
            "crate::c: u, v".to_string()
        ]
    );
}
