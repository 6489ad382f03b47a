//! Sizing profiles: one scenario, several configurations side by side.
//!
//! `profiles:` lists them, each a `name`, an optional `description`, `set:`
//! overrides by dotted path (`set.rs`) and an optional `scale:` factor; the
//! command line's `--set PATH=VALUE` applies to every profile after its own.
//! The overrides are put into the scenario's located tree before anything
//! is read from it: each profile's tree is written back as YAML (`emit.rs`)
//! and read and validated as any scenario, and an error is reported where
//! its key or value was written — the scenario's line, the profile's `set:`
//! entry, or the `--set` argument. `scale:` then multiplies the validated
//! capacity settings (`scale.rs`). A scenario without `profiles:` is one
//! profile, `default`, read exactly as before.

mod emit;
mod scale;
mod set;

use super::parse_str;
use super::yaml::tree::{Entry, Node, at, read_tree};
use crate::error::InputError;
use crate::spec::{DEFAULT_PROFILE, Scenario};
use serde_saphyr::Spanned;
use std::path::{Path, PathBuf};

/// Top-level keys every profile shares: the runs are compared replication
/// by replication, so they must be the same runs.
const SHARED: [&str; 7] = [
    "name",
    "description",
    "duration",
    "warmup",
    "seed",
    "replications",
    "metrics",
];

/// One profile, ready to run.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Its name.
    pub name: String,
    /// What it is, if the file says.
    pub description: Option<String>,
    /// The scenario as this profile configures it.
    pub scenario: Scenario,
}

/// One `set:` entry or `--set`: a path, its value, and the value's text
/// (`source` 0: the scenario file; k: the k-th `--set`).
struct Override {
    path: String,
    at: (u64, u64),
    value: Spanned<Node>,
    source: usize,
}

/// A profile as the file gives it.
struct Declared {
    name: String,
    description: Option<String>,
    sets: Vec<Override>,
    scale: Option<f64>,
}

/// An error at `at` of the scenario file.
fn file_error(file: &Path, text: &str, at: (u64, u64), path: &str, message: String) -> InputError {
    InputError::new(file, at.0, at.1, path, message).with_source(text)
}

/// Reads the scenario `text` (from `file`) with its profiles, the `--set`
/// arguments (`PATH=VALUE`) applied to each, keeping those named in `only`
/// (all if empty), in the file's order.
pub fn parse_profiles(
    text: &str,
    file: &Path,
    cli_sets: &[String],
    only: &[String],
) -> Result<Vec<Profile>, InputError> {
    // A document the tree reader refuses (or that is no mapping) is read,
    // and explained, by the plain reader: then it has no profiles.
    let tree = read_tree(text)
        .ok()
        .filter(|t| matches!(t.value, Node::Map(_)));
    let Some(mut root) = tree else {
        let scenario = parse_str(text, file)?;
        if let Some(arg) = cli_sets.first() {
            return Err(InputError::new(
                file,
                0,
                0,
                "",
                format!("--set {arg}: this scenario's YAML cannot take overrides"),
            ));
        }
        return Ok(vec![Profile {
            name: DEFAULT_PROFILE.into(),
            description: None,
            scenario,
        }]);
    };
    let Node::Map(entries) = &mut root.value else {
        unreachable!("filtered above")
    };
    let declared_at = entries.iter().position(|e| e.key == "profiles");
    let declared = match declared_at {
        Some(i) => {
            let entry = entries.remove(i);
            declared(&entry, text, file)?
        }
        None => Vec::new(),
    };
    let cli = cli_overrides(cli_sets)?;
    if declared.is_empty() && cli.is_empty() {
        if let Some(name) = only.iter().find(|n| n.as_str() != DEFAULT_PROFILE) {
            return Err(no_such_profile(name, &[DEFAULT_PROFILE.to_string()], file));
        }
        let scenario = parse_str(text, file)?;
        return Ok(vec![Profile {
            name: DEFAULT_PROFILE.into(),
            description: None,
            scenario,
        }]);
    }
    let declared = if declared.is_empty() {
        vec![Declared {
            name: DEFAULT_PROFILE.into(),
            description: None,
            sets: Vec::new(),
            scale: None,
        }]
    } else {
        declared
    };
    let names: Vec<String> = declared.iter().map(|d| d.name.clone()).collect();
    if let Some(name) = only.iter().find(|n| !names.contains(n)) {
        return Err(no_such_profile(name, &names, file));
    }
    let mut profiles = Vec::new();
    for d in declared {
        if !only.is_empty() && !only.contains(&d.name) {
            continue;
        }
        let mut tree = root.clone();
        let mut from_cli: Vec<String> = Vec::new();
        for o in d.sets.iter().chain(&cli) {
            let top = o.path.split('.').next().unwrap_or_default();
            let fail = |message: String| override_error(o, &message, text, file, cli_sets);
            if SHARED.contains(&top) || top == "profiles" {
                return Err(fail(format!(
                    "`{}` cannot differ between profiles\nhint: every profile runs the same {} (the runs are compared replication by replication); set it at the top of the scenario",
                    o.path, top
                )));
            }
            set::set(&mut tree, &o.path, o.value.clone()).map_err(fail)?;
            if o.source > 0 {
                from_cli.push(o.path.clone());
            }
        }
        let Node::Map(entries) = &tree.value else {
            unreachable!("checked above")
        };
        let cli_nodes = cli_nodes(&tree, &from_cli, &cli);
        let (yaml, map) = emit::emit(entries, &|node| {
            cli_nodes
                .iter()
                .find(|(p, _)| std::ptr::eq(*p, node))
                .map(|(_, source)| *source)
        });
        let mut scenario =
            parse_str(&yaml, file).map_err(|e| remap(e, &map, text, file, cli_sets))?;
        if let Some(factor) = d.scale {
            scale::scale(&mut scenario, factor);
        }
        profiles.push(Profile {
            name: d.name,
            description: d.description,
            scenario,
        });
    }
    Ok(profiles)
}

/// The nodes the `--set` paths lead to in `tree`, with the argument they came from.
fn cli_nodes(
    tree: &Spanned<Node>,
    paths: &[String],
    cli: &[Override],
) -> Vec<(*const Spanned<Node>, usize)> {
    paths
        .iter()
        .filter_map(|p| {
            let source = cli.iter().rev().find(|o| &o.path == p)?.source;
            let node = set::find(tree, p)?;
            Some((node as *const Spanned<Node>, source))
        })
        .collect()
}

/// `--profile NAME` names no profile.
fn no_such_profile(name: &str, names: &[String], file: &Path) -> InputError {
    InputError::new(
        file,
        0,
        0,
        "profiles",
        format!(
            "--profile {name} names no profile of this scenario\nhint: its profiles are {}",
            names.join(", ")
        ),
    )
}

/// The `--set` arguments as overrides (the k-th's text is source k).
fn cli_overrides(args: &[String]) -> Result<Vec<Override>, InputError> {
    let mut out = Vec::new();
    for (k, arg) in args.iter().enumerate() {
        let shown = PathBuf::from(format!("--set {arg}"));
        let Some((path, value)) = arg.split_once('=') else {
            return Err(InputError::new(
                shown,
                1,
                1,
                "",
                format!(
                    "`--set {arg}` has no value\nhint: write --set PATH=VALUE, such as --set services.api.pod.concurrency=32"
                ),
            ));
        };
        let value = read_tree(value).map_err(|e| {
            InputError::new(
                &shown,
                1,
                path.len() as u64 + 2,
                path,
                format!("the value of `--set {arg}` is not YAML: {}", e.1),
            )
        })?;
        out.push(Override {
            path: path.trim().to_string(),
            at: (1, path.len() as u64 + 2),
            value,
            source: k + 1,
        });
    }
    Ok(out)
}

/// An error about override `o` (its path), where it was written.
fn override_error(
    o: &Override,
    message: &str,
    text: &str,
    file: &Path,
    cli: &[String],
) -> InputError {
    if o.source == 0 {
        return file_error(file, text, o.at, &o.path, message.to_string());
    }
    let arg = &cli[o.source - 1];
    InputError::new(format!("--set {arg}"), 1, 1, &o.path, message)
        .with_source(&format!("--set {arg}"))
}

/// An error found in a profile's written text, moved to where it was written.
fn remap(
    mut e: InputError,
    map: &emit::SourceMap,
    text: &str,
    file: &Path,
    cli: &[String],
) -> InputError {
    if *e.file != *file {
        return e; // in another file (a trace's, a manifest's)
    }
    let Some(origin) = map.origin(u64::from(e.line), u64::from(e.column)) else {
        // Not in the text (a trace or manifest file's own error): as it is.
        return e;
    };
    e.source_line = None;
    e.source_column = 0;
    e.line = u32::try_from(origin.line).unwrap_or(u32::MAX);
    e.column = u32::try_from(origin.column).unwrap_or(u32::MAX);
    if origin.source == 0 {
        e.file = file.into();
        e.with_source(text)
    } else {
        let given = &cli[origin.source - 1];
        let arg = format!("--set {given}");
        e.file = PathBuf::from(&arg).into_boxed_path();
        // The value's column in the argument: after `--set PATH=`.
        let path_chars = given.split_once('=').map_or(0, |(p, _)| p.chars().count());
        e.column = e
            .column
            .saturating_add(u32::try_from(6 + path_chars + 1).unwrap_or(0));
        e.with_source(&arg)
    }
}

/// The profiles the `profiles:` entry declares, checked.
fn declared(entry: &Entry, text: &str, file: &Path) -> Result<Vec<Declared>, InputError> {
    let err = |node: &Spanned<Node>, path: String, message: String| {
        file_error(file, text, at(node), &path, message)
    };
    let Node::List(items) = &entry.value.value else {
        return Err(err(
            &entry.value,
            "profiles".into(),
            format!(
                "expected a list of profiles, found {}\nhint: profiles: [ {{ name: current }}, {{ name: more-spot, set: {{ ... }} }} ]",
                entry.value.value.describe()
            ),
        ));
    };
    let mut out: Vec<Declared> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let here = format!("profiles[{i}]");
        let Node::Map(fields) = &item.value else {
            return Err(err(
                item,
                here,
                format!(
                    "expected a profile (a mapping with a name), found {}",
                    item.value.describe()
                ),
            ));
        };
        let mut d = Declared {
            name: String::new(),
            description: None,
            sets: Vec::new(),
            scale: None,
        };
        for f in fields {
            let path = format!("{here}.{}", f.key);
            match (f.key.as_str(), &f.value.value) {
                ("name", Node::Text(t) | Node::Number(t)) if !t.trim().is_empty() => {
                    if out.iter().any(|o| &o.name == t) {
                        return Err(err(
                            &f.value,
                            path,
                            format!(
                                "a second profile named \"{t}\"\nhint: give each profile its own name"
                            ),
                        ));
                    }
                    d.name = t.clone();
                }
                ("description", Node::Text(t)) => d.description = Some(t.clone()),
                ("scale", Node::Number(n))
                    if n.parse::<f64>().is_ok_and(|x| x > 0.0 && x.is_finite()) =>
                {
                    d.scale = n.parse().ok();
                }
                ("set", Node::Map(sets)) => {
                    for s in sets {
                        d.sets.push(Override {
                            path: s.key.clone(),
                            at: s.key_at,
                            value: s.value.clone(),
                            source: 0,
                        });
                    }
                }
                ("name" | "description" | "scale" | "set", found) => {
                    let expected = match f.key.as_str() {
                        "name" => "a name",
                        "description" => "a text",
                        "scale" => "a factor above 0, such as 0.5",
                        _ => "a mapping of paths to values, such as { services.api.replicas: 6 }",
                    };
                    return Err(err(
                        &f.value,
                        path,
                        format!("expected {expected}, found {}", found.describe()),
                    ));
                }
                (other, _) => {
                    return Err(file_error(
                        file,
                        text,
                        f.key_at,
                        &path,
                        format!(
                            "unknown field `{other}` of a profile, expected one of name, description, set, scale\nhint: check the spelling and the indentation"
                        ),
                    ));
                }
            }
        }
        if d.name.is_empty() {
            return Err(err(
                item,
                here,
                "a profile without a name\nhint: add name: …".into(),
            ));
        }
        out.push(d);
    }
    Ok(out)
}

#[cfg(test)]
#[path = "profile_tests.rs"]
mod tests;
