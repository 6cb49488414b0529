//! The modules follow the pipeline, and nothing calls back up it: a module
//! uses only modules of earlier stages (or, at the foundation, earlier in
//! its list). Read from the `crate::` paths of `src/`, outside comments and
//! test modules.

use std::collections::BTreeSet;
use std::path::Path;

/// The stages, first to last; within a stage, modules listed later may use
/// those listed before them. The commands at the top may use each other.
const STAGES: &[&[&str]] = &[
    &[
        "date",
        "format",
        "timing",
        "generations",
        "text",
        "vocabulary",
        "period",
        "source",
        "diagnostic",
        "slug",
        "paths",
        "markdown",
    ],
    &["load"],
    &["model"],
    &["score"],
    &["validate"],
    &["search", "render"],
    &["write"],
    &[],
];

/// The edges against the order that the pipeline needs: render and search
/// hand their files to `write`'s `Sink`, the one interface every output
/// goes through. Their reverse is refused, so they make no cycle.
const HANDED_ON: &[(&str, &str)] = &[("render", "write"), ("search", "write")];

/// Names the crate root re-exports, by the module that defines them.
const REEXPORTS: &[(&str, &str)] = &[("Date", "date"), ("Site", "model")];

/// The place of a module in the pipeline; the commands (`lib.rs` included)
/// share the last.
fn place(module: &str) -> (usize, usize) {
    for (stage, modules) in STAGES.iter().enumerate() {
        if let Some(i) = modules.iter().position(|m| *m == module) {
            return (stage, i);
        }
    }
    (STAGES.len() - 1, 0)
}

/// The top-level module a source file belongs to.
fn module_of(path: &Path, src: &Path) -> String {
    let relative = path.strip_prefix(src).unwrap();
    let first = relative.components().next().unwrap();
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_string()
}

/// The module a name under `crate::` belongs to: its own name for a
/// module, the defining module for a re-export, and `lib` for the other
/// items of `lib.rs`.
fn module_named(name: &str) -> String {
    if let Some((_, module)) = REEXPORTS.iter().find(|(n, _)| *n == name) {
        return module.to_string();
    }
    if name.chars().next().is_some_and(char::is_lowercase) {
        name.to_string()
    } else {
        "lib".to_string()
    }
}

/// The leading name of a path (`load::Disk` → `load`).
fn leading(path: &str) -> String {
    path.trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The modules a file's code names through `crate::`, grouped imports
/// (`crate::{load::Disk, model}`) included; test modules and comments are
/// left out.
fn uses(text: &str) -> BTreeSet<String> {
    let mut code = String::new();
    let mut lines = text.lines().map(str::trim_start).peekable();
    while let Some(line) = lines.next() {
        // A test module written in the file runs to its end.
        let test_module = lines
            .peek()
            .is_some_and(|next| next.starts_with("mod ") && next.ends_with('{'));
        if line.starts_with("#[cfg(test)]") && test_module {
            break;
        }
        if !line.starts_with("//") {
            code.push_str(line.split(" //").next().unwrap_or(line));
            code.push('\n');
        }
    }
    let mut out = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().last();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            // The items of the group, split at its own commas.
            let (mut depth, mut item) = (0, String::new());
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.insert(module_named(&leading(&item)));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            if !leading(&item).is_empty() {
                out.insert(module_named(&leading(&item)));
            }
        } else {
            out.insert(module_named(&leading(rest)));
        }
    }
    out
}

#[test]
fn no_module_uses_a_later_stage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut against = Vec::new();
    let mut edges = BTreeSet::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let path = entry.path();
        let is_test = path.file_name().is_some_and(|n| n == "tests.rs")
            || path.components().any(|c| c.as_os_str() == "tests");
        if path.extension().is_none_or(|e| e != "rs") || is_test {
            continue;
        }
        let module = module_of(path, &src);
        let text = std::fs::read_to_string(path).unwrap();
        for used in uses(&text) {
            if used == module {
                continue;
            }
            edges.insert((module.clone(), used.clone()));
            if HANDED_ON.contains(&(module.as_str(), used.as_str())) {
                continue;
            }
            let (from, to) = (place(&module), place(&used));
            let commands = from.0 == STAGES.len() - 1 && to.0 == from.0;
            if to >= from && !commands {
                let file = path.strip_prefix(&src).unwrap().display().to_string();
                against.push(format!("{file}: {module} uses {used}"));
            }
        }
    }
    for (from, to) in HANDED_ON {
        if edges.contains(&(to.to_string(), from.to_string())) {
            against.push(format!("{to} uses {from}, which hands its files to it"));
        }
    }
    assert!(
        edges.contains(&("model".to_string(), "load".to_string())),
        "the edges are read: {edges:?}"
    );
    assert!(
        against.is_empty(),
        "edges against the stage order:\n{}",
        against.join("\n")
    );
}
