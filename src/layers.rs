//! The layering rules of `docs/ARCHITECTURE.md`, checked on the source tree: every folder of
//! `src/` uses only folders of its own layer or below, there is no import cycle between
//! folders, and none between the files of one folder.
//!
//! References are read from the code as text (`crate::…` and `super::…` paths, comments and
//! test modules left out), which is what a reader following the imports sees.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module of `src/` and its layer (0 = bottom).
const LAYERS: &[(&str, u8)] = &[
    ("domain", 0),
    ("config", 0),
    ("limits", 0),
    ("spatial", 1),
    ("analytics", 1),
    ("search", 1),
    ("classify", 1),
    ("store", 2),
    ("live", 3),
    ("media", 3),
    ("cameras", 3),
    ("camsim", 3),
    ("service", 4),
    ("intake", 4),
    ("notify", 5),
    ("workers", 5),
    ("http", 6),
    ("import", 7),
    ("demo", 7),
    ("fuzzing", 7),
    ("app", 8),
    ("cli", 9),
    ("bench", 9),
    // This checker (a test module).
    ("layers", 9),
];

/// A source file as module path segments (`src/service/tickets.rs` → `service::tickets`).
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_owned());
    }
    parts
}

/// The code of a file without comments and without its `#[cfg(test)] mod tests { … }`.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// The paths a file names: `crate::a::b`, `super::a`, and the items of `use …::{a, b}` groups,
/// each as absolute segments.
fn paths_in(code: &str, module: &[String], is_mod_file: bool) -> Vec<Vec<String>> {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let parent: Vec<String> = if is_mod_file {
        module[..module.len().saturating_sub(1)].to_vec()
    } else {
        module[..module.len() - 1].to_vec()
    };
    let mut out = Vec::new();
    for (start, root) in code
        .match_indices("crate::")
        .map(|(i, _)| (i, "crate"))
        .chain(code.match_indices("super::").map(|(i, _)| (i, "super")))
    {
        if start > 0 && code[..start].chars().next_back().is_some_and(ident) {
            continue;
        }
        let rest = &code[start + root.len()..];
        let mut segs = Vec::new();
        let mut tail = rest;
        while let Some(r) = tail.strip_prefix("::") {
            let n = r.find(|c: char| !ident(c)).unwrap_or(r.len());
            if n == 0 {
                break;
            }
            segs.push(r[..n].to_owned());
            tail = &r[n..];
        }
        let base: Vec<String> = if root == "crate" { Vec::new() } else { parent.clone() };
        let full: Vec<String> = base.iter().cloned().chain(segs.iter().cloned()).collect();
        out.push(full.clone());
        // `…::{a, b::c}`: each item too.
        if let Some(group) = tail.strip_prefix("::{") {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let first = item.trim().split("::").next().unwrap_or("").split(' ').next().unwrap_or("");
                if !first.is_empty() && first != "self" {
                    out.push(full.iter().cloned().chain([first.to_owned()]).collect());
                }
            }
        }
    }
    out
}

struct Tree {
    /// Module path → file (relative to `src/`).
    modules: BTreeMap<Vec<String>, PathBuf>,
    /// Module → the modules (files) it names.
    uses: BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
}

fn read_tree() -> Tree {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut modules = BTreeMap::new();
    for f in &files {
        let rel = f.strip_prefix(&src).expect("under src").to_path_buf();
        if rel != Path::new("main.rs") {
            modules.insert(module_of(&rel), rel);
        }
    }
    let mut uses: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, rel) in &modules {
        let text = std::fs::read_to_string(src.join(rel)).expect("source readable");
        let is_mod_file = rel.ends_with("mod.rs") || rel == Path::new("lib.rs");
        for path in paths_in(&code_of(&text), module, is_mod_file) {
            // The longest prefix that is a module of its own (a file).
            if let Some(target) = (1..=path.len()).rev().map(|n| path[..n].to_vec()).find(|p| modules.contains_key(p))
                && &target != module
            {
                uses.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    Tree { modules, uses }
}

/// The strongly connected components of more than one node (the cycles).
fn cycles<N: Ord + Clone>(edges: &BTreeMap<N, BTreeSet<N>>) -> Vec<Vec<N>> {
    let nodes: BTreeSet<N> =
        edges.iter().flat_map(|(a, bs)| std::iter::once(a.clone()).chain(bs.iter().cloned())).collect();
    let reach = |from: &N| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(n) = todo.pop() {
            for m in edges.get(&n).into_iter().flatten() {
                if seen.insert(m.clone()) {
                    todo.push(m.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<N, BTreeSet<N>> = nodes.iter().map(|n| (n.clone(), reach(n))).collect();
    let mut out: Vec<Vec<N>> = Vec::new();
    let mut done = BTreeSet::new();
    for n in &nodes {
        if done.contains(n) || !reachable[n].contains(n) {
            continue;
        }
        let comp: Vec<N> =
            nodes.iter().filter(|m| reachable[n].contains(*m) && reachable[*m].contains(n)).cloned().collect();
        done.extend(comp.iter().cloned());
        if comp.len() > 1 {
            out.push(comp);
        }
    }
    out
}

fn layer(top: &str) -> Option<u8> {
    LAYERS.iter().find(|(name, _)| *name == top).map(|(_, l)| *l)
}

#[test]
fn every_folder_has_a_layer() {
    let tree = read_tree();
    let missing: BTreeSet<&String> =
        tree.modules.keys().filter_map(|m| m.first()).filter(|top| layer(top).is_none()).collect();
    assert!(missing.is_empty(), "folders without a layer in src/layers.rs and docs/ARCHITECTURE.md: {missing:?}");
}

#[test]
fn folders_use_only_their_own_layer_or_those_below() {
    let tree = read_tree();
    let mut wrong = Vec::new();
    for (from, targets) in &tree.uses {
        let (Some(a), Some(la)) = (from.first(), from.first().and_then(|t| layer(t))) else { continue };
        for to in targets {
            let (Some(b), Some(lb)) = (to.first(), to.first().and_then(|t| layer(t))) else { continue };
            if a != b && lb > la {
                wrong.push(format!("{} (layer {la}) uses {} (layer {lb})", from.join("::"), to.join("::")));
            }
        }
    }
    assert!(wrong.is_empty(), "upward imports:\n{}", wrong.join("\n"));
}

#[test]
fn there_is_no_import_cycle_between_folders() {
    let tree = read_tree();
    let mut folders: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, targets) in &tree.uses {
        for to in targets {
            if let (Some(a), Some(b)) = (from.first(), to.first())
                && a != b
            {
                folders.entry(a.clone()).or_default().insert(b.clone());
            }
        }
    }
    let found = cycles(&folders);
    assert!(found.is_empty(), "folders that import each other: {found:?}");
}

#[test]
fn there_is_no_import_cycle_between_the_files_of_one_folder() {
    let tree = read_tree();
    // Edges between sibling files only (a folder's `mod.rs` declares its files: not an import).
    let mut siblings: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (from, targets) in &tree.uses {
        for to in targets {
            if from.len() == to.len() && from[..from.len() - 1] == to[..to.len() - 1] {
                siblings.entry(from.clone()).or_default().insert(to.clone());
            }
        }
    }
    let found: Vec<Vec<String>> =
        cycles(&siblings).into_iter().map(|c| c.into_iter().map(|m| m.join("::")).collect()).collect();
    assert!(found.is_empty(), "files of one folder that import each other: {found:?}");
}

#[test]
fn the_checker_finds_a_cycle_and_an_upward_import() {
    let module = vec!["store".to_owned(), "tickets".to_owned()];
    let paths = paths_in("use crate::service::Tickets;\nuse super::{codec, outbox::x};", &module, false);
    assert!(paths.contains(&vec!["service".to_owned(), "Tickets".to_owned()]));
    assert!(paths.contains(&vec!["store".to_owned(), "codec".to_owned()]));
    assert!(paths.contains(&vec!["store".to_owned(), "outbox".to_owned()]));
    assert!(layer("service") > layer("store"), "store → service would be reported as upward");
    let edges = BTreeMap::from([
        (1, BTreeSet::from([2])),
        (2, BTreeSet::from([3])),
        (3, BTreeSet::from([1])),
        (4, BTreeSet::from([1])),
    ]);
    assert_eq!(cycles(&edges), vec![vec![1, 2, 3]]);
    assert!(code_of("let a = 1; // crate::http::x").find("crate::http").is_none(), "comments are left out");
}
