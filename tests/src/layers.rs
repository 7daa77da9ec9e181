//! The layers of `core/src` and the check that keeps them: a module imports only from its
//! own layer or below, and no two modules import each other, directly or round a loop.
//!
//! Lowest first:
//! - L0: ids, fixed-point numbers, ratios, time, input errors, text helpers, macros,
//!   geometry (areas, coordinate systems, the point index);
//! - L1: the calendar and the organisation;
//! - L2: cases, their events and the ledger fold (with the system actor);
//! - L3: rule sets, with their scoring and access sections as data;
//! - L4: the engine (organisation, rules and calendar together);
//! - L5: routing (with its lean per-call path), the case workflow (escalation, the closed
//!   loop), access and scoring;
//! - L6: adapters: batch and columnar paths, simulation, HTML, Open311, JSON entry points and the
//!   top-level error that only wraps.
//!
//! The check reads the `crate::…` paths of every source file, doc comments included
//! (plain comments and test modules left out), and names each edge that points up a
//! layer or closes a loop.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module of `core/src` and its layer.
pub const LAYERS: &[(&str, u8)] = &[
    ("csvio", 0),
    ("fixed", 0),
    ("id", 0),
    ("idmap", 0),
    ("input", 0),
    ("macros", 0),
    ("ratio", 0),
    ("rng", 0),
    ("text", 0),
    ("spatial", 0),
    ("time", 0),
    ("tsdecl", 0),
    ("calendar", 1),
    ("org", 1),
    ("case", 2),
    ("rules", 3),
    ("engine", 4),
    ("access", 5),
    ("escalate", 5),
    ("closed_loop", 5),
    ("grid_work", 5),
    ("incomplete", 5),
    ("lean", 5),
    ("route", 5),
    ("score", 5),
    ("arrow", 6),
    ("batch", 6),
    ("error", 6),
    ("html", 6),
    ("internals", 6),
    ("json", 6),
    ("open311", 6),
    ("sim", 6),
];

/// One `crate::` path found in a source file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    /// The file, relative to `core/src`.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// The module the file belongs to.
    pub from: String,
    /// The module it names.
    pub to: String,
}

/// The top-level module a file of `core/src` belongs to (`case/ledger.rs` → `case`);
/// `None` for `lib.rs`, which only declares and re-exports.
#[must_use]
pub fn module_of(file: &str) -> Option<String> {
    let file = file.replace('\\', "/");
    if file == "lib.rs" {
        return None;
    }
    let first = file.split('/').next()?;
    Some(first.trim_end_matches(".rs").to_owned())
}

/// The code of a file that the layer rules apply to: its code and doc comments, without
/// plain comments and without test modules (`tests.rs` files, and a `#[cfg(test)]` module at the end of a file).
fn code_lines(file: &str, text: &str) -> Vec<(usize, String)> {
    if file.ends_with("/tests.rs") || file == "tests.rs" {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        let trimmed = line.trim_start();
        if line.starts_with("#[cfg(test)]")
            && lines
                .peek()
                .is_some_and(|(_, next)| next.starts_with("mod "))
        {
            break;
        }
        // Doc comments stay: an intra-doc link (`[`crate::route`]`) is a path the docs
        // resolve, and a low module's docs should not lean on a high one either.
        if trimmed.starts_with("//") && !trimmed.starts_with("///") && !trimmed.starts_with("//!") {
            continue;
        }
        out.push((i + 1, line.to_owned()));
    }
    out
}

/// Every `crate::module` a file's code names, with its line: plain paths
/// (`crate::org::Level`) and groups (`use crate::{org, case}`).
#[must_use]
pub fn edges_of(file: &str, text: &str) -> Vec<Edge> {
    let Some(from) = module_of(file) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (line, code) in code_lines(file, text) {
        let mut rest = code.as_str();
        while let Some(pos) = rest.find("crate::") {
            let before = rest.get(..pos).and_then(|b| b.chars().last());
            rest = rest.get(pos + "crate::".len()..).unwrap_or("");
            // `$crate::` in a macro and `gridgov_crate::` are not this crate's paths.
            if before.is_some_and(|c| c == '$' || c.is_alphanumeric() || c == '_') {
                continue;
            }
            let names: Vec<String> = if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                group
                    .get(..end)
                    .unwrap_or("")
                    .split(',')
                    .filter_map(|p| p.trim().split("::").next().map(str::trim))
                    .filter(|n| !n.is_empty())
                    .map(str::to_owned)
                    .collect()
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                vec![name]
            };
            for to in names {
                // Items of the crate root (`crate::Engine`) are re-exports of lib.rs.
                if to.is_empty() || to.chars().next().is_some_and(char::is_uppercase) {
                    continue;
                }
                if to != from {
                    out.push(Edge {
                        file: file.to_owned(),
                        line,
                        from: from.clone(),
                        to,
                    });
                }
            }
        }
    }
    out
}

/// The layer of a module, if the table has it.
#[must_use]
pub fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

/// Checks a set of files (path relative to `core/src`, text): every module has a layer,
/// no edge points up a layer, and the modules form no loop. Returns every problem, each
/// naming the file, line and edge.
#[must_use]
pub fn check(files: &[(String, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut first_edge: BTreeMap<(String, String), Edge> = BTreeMap::new();
    for (file, text) in files {
        if let Some(m) = module_of(file) {
            if layer(&m).is_none() {
                problems.push(format!(
                    "{file}: module `{m}` has no layer; add it to tests/src/layers.rs"
                ));
            }
            graph.entry(m).or_default();
        }
        for e in edges_of(file, text) {
            match (layer(&e.from), layer(&e.to)) {
                (Some(a), Some(b)) if b > a => problems.push(format!(
                    "core/src/{}:{}: `{}` (L{a}) uses `{}` (L{b}), a higher layer",
                    e.file, e.line, e.from, e.to
                )),
                (_, None) => problems.push(format!(
                    "core/src/{}:{}: `{}` names `crate::{}`, a module with no layer",
                    e.file, e.line, e.from, e.to
                )),
                _ => {}
            }
            graph
                .entry(e.from.clone())
                .or_default()
                .insert(e.to.clone());
            first_edge
                .entry((e.from.clone(), e.to.clone()))
                .or_insert(e);
        }
    }
    for cycle in cycles(&graph) {
        let shown: Vec<String> = cycle
            .windows(2)
            .filter_map(|w| {
                let (a, b) = (w.first()?, w.get(1)?);
                let e = first_edge.get(&(a.clone(), b.clone()))?;
                Some(format!("`{a}` → `{b}` (core/src/{}:{})", e.file, e.line))
            })
            .collect();
        problems.push(format!("import cycle: {}", shown.join(", ")));
    }
    problems
}

/// One cycle through each strongly connected group of two or more modules, as a path that
/// returns to its start.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut reported: BTreeSet<String> = BTreeSet::new();
    for start in graph.keys() {
        if reported.contains(start) {
            continue;
        }
        // A shortest path from each successor back to `start` (breadth first).
        let mut prev: BTreeMap<String, String> = BTreeMap::new();
        let mut queue: std::collections::VecDeque<String> = std::collections::VecDeque::new();
        queue.push_back(start.clone());
        let mut found = false;
        while let Some(at) = queue.pop_front() {
            for next in graph.get(&at).into_iter().flatten() {
                if next == start {
                    prev.insert(format!("{start}#end"), at.clone());
                    found = true;
                    break;
                }
                if !prev.contains_key(next) && next != start {
                    prev.insert(next.clone(), at.clone());
                    queue.push_back(next.clone());
                }
            }
            if found {
                break;
            }
        }
        if !found {
            continue;
        }
        let mut path = vec![start.clone()];
        let mut at = prev.get(&format!("{start}#end")).cloned();
        while let Some(m) = at {
            if &m == start {
                break;
            }
            path.push(m.clone());
            at = prev.get(&m).cloned();
        }
        path.push(start.clone());
        path.reverse();
        reported.extend(path.iter().cloned());
        out.push(path);
    }
    out
}

/// Every `.rs` file under `dir`, as (path relative to `dir`, text), sorted.
///
/// # Errors
/// The first file or directory that cannot be read.
pub fn read_tree(dir: &Path) -> std::io::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(root)
                .map_or_else(|_| path.display().to_string(), |p| p.display().to_string());
            out.push((rel, std::fs::read_to_string(&path)?));
        }
    }
    Ok(())
}
