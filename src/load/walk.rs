//! Finding the files of a site, and refusing links out of it.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::paths::relative_path;

use rayon::prelude::*;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{inside_folder, inside_site};

/// Reports each link under a folder okra copies or reads at render time
/// (`templates/`, `static/`), and the folder itself, that leads out of that
/// folder: out of the site, into a hidden folder, to a document or to
/// nothing. Rendering refuses them too.
pub(super) fn report_links_out(
    root: &Path,
    canonical_root: &Path,
    folder: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let dir = root.join(folder);
    let Ok(meta) = fs::symlink_metadata(&dir) else {
        return;
    };
    let mut links = Vec::new();
    if meta.file_type().is_symlink() {
        links.push(dir.clone());
    } else if meta.is_dir() {
        let walker = walkdir::WalkDir::new(&dir)
            .follow_links(false)
            .sort_by_file_name();
        links.extend(
            walker
                .into_iter()
                .flatten()
                .filter(|e| e.file_type().is_symlink())
                .map(|e| e.into_path()),
        );
    }
    for link in links {
        if inside_folder(canonical_root, folder, &link).is_none() {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnreadableFile,
                    format!(
                        "`{}` is a link out of `{folder}/`: to another part of the site, out of it, into a hidden folder or to nothing",
                        relative_path(root, &link)
                    ),
                )
                .hint(format!("okra publishes from `{folder}/` only the files inside it, so that no link can publish a document; copy the file in instead")),
            );
        }
    }
}

/// The files under `static/` that a build publishes, by their path inside it.
pub(super) fn static_files(root: &Path, canonical_root: &Path) -> BTreeSet<String> {
    let dir = root.join("static");
    if inside_folder(canonical_root, "static", &dir).is_none() {
        return BTreeSet::new();
    }
    walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .into_iter()
        .flatten()
        .filter(|entry| {
            entry.file_type().is_file()
                || (entry.file_type().is_symlink()
                    && inside_folder(canonical_root, "static", entry.path())
                        .is_some_and(|t| t.is_file()))
        })
        .map(|entry| relative_path(&dir, entry.path()))
        .collect()
}

/// The `.md` files (and for KPIs, nothing else) under a folder, sorted.
pub(super) fn walk(
    root: &Path,
    canonical_root: &Path,
    folder: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<PathBuf> {
    let dir = root.join(folder);
    if fs::symlink_metadata(&dir).is_err() {
        return Vec::new();
    }
    if !dir.is_dir() {
        diagnostics.push(
            Diagnostic::new(Code::UnreadableFile, format!("`{folder}` is not a folder")).hint(
                format!("okra reads the {folder} from files in a `{folder}/` folder"),
            ),
        );
        return Vec::new();
    }
    if inside_site(canonical_root, &dir).is_none() {
        diagnostics.push(
            Diagnostic::new(
                Code::UnreadableFile,
                format!("`{folder}` links to a folder outside the site"),
            )
            .hint("okra reads only files inside the site root"),
        );
        return Vec::new();
    }
    // The folder's own entries in order, each subfolder walked on its own
    // and in parallel, their findings joined in the same order: the order
    // of one walk of the whole folder.
    let top: Vec<walkdir::Result<walkdir::DirEntry>> = walkdir::WalkDir::new(&dir)
        .min_depth(1)
        .max_depth(1)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .collect();
    let found: Vec<(Vec<PathBuf>, Vec<Diagnostic>)> = top
        .into_par_iter()
        .map(|entry| match entry {
            Ok(entry) if entry.file_type().is_dir() => {
                let walker = walkdir::WalkDir::new(entry.path())
                    .follow_links(false)
                    .follow_root_links(false)
                    .sort_by_file_name();
                documents(root, canonical_root, folder, walker)
            }
            entry => documents(root, canonical_root, folder, [entry]),
        })
        .collect();
    let mut out = Vec::new();
    for (paths, problems) in found {
        out.extend(paths);
        diagnostics.extend(problems);
    }
    out
}

/// The documents among walked entries, and the problems of the others.
fn documents(
    root: &Path,
    canonical_root: &Path,
    folder: &str,
    entries: impl IntoIterator<Item = walkdir::Result<walkdir::DirEntry>>,
) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut diagnostics = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => match document_entry(root, canonical_root, &entry) {
                Entry::Document => out.push(entry.into_path()),
                Entry::Other => {}
                Entry::Problem(problem) => diagnostics.push(problem),
            },
            Err(error) => {
                let path = error
                    .path()
                    .map_or_else(|| folder.to_string(), |p| relative_path(root, p));
                let reason = error
                    .io_error()
                    .map_or_else(|| error.to_string(), |e| e.to_string());
                diagnostics.push(Diagnostic::new(
                    Code::UnreadableFile,
                    format!("cannot read `{path}`: {reason}"),
                ));
            }
        }
    }
    (out, diagnostics)
}

enum Entry {
    /// A document to read: a `.md` file, or a link to one inside the site.
    Document,
    /// A folder or a file that is not a document.
    Other,
    /// Something named `.md` that cannot be read as a document.
    Problem(Diagnostic),
}

/// What a walked entry is.
fn document_entry(root: &Path, canonical_root: &Path, entry: &walkdir::DirEntry) -> Entry {
    let path = entry.path();
    let kind = entry.file_type();
    if path.extension().is_none_or(|ext| ext != "md") || kind.is_dir() {
        return Entry::Other;
    }
    if kind.is_symlink() {
        return match inside_site(canonical_root, path) {
            Some(target) if target.is_file() => Entry::Document,
            _ => Entry::Problem(
                Diagnostic::new(
                    Code::UnreadableFile,
                    format!(
                        "`{}` is a link to a file outside the site or to nothing",
                        relative_path(root, path)
                    ),
                )
                .hint("okra reads only files inside the site root"),
            ),
        };
    }
    if !kind.is_file() {
        return Entry::Problem(
            Diagnostic::new(
                Code::UnreadableFile,
                format!("`{}` is not a regular file", relative_path(root, path)),
            )
            .hint("okra reads documents from regular files only"),
        );
    }
    Entry::Document
}
