//! Where a site's files come from: the disk, a git revision read into
//! memory, or an editor's unsaved buffers over the disk. Loading reads
//! through [`SiteFiles`] only, so each of them gives the same documents and
//! the same diagnostics for the same bytes.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use anyhow::{Context, bail};

use super::memo::{Memo, Seen, kept_file, read_file};
use super::walk::{report_links_out, static_files, walk};
use super::{CONFIG_FILE, DocKind, relative_path};
use crate::diagnostic::Diagnostic;
use crate::source::inside_site;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// There is no such file.
    Missing,
    /// The path leads out of the site or into a hidden folder.
    Outside,
    Io(std::io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Missing => write!(f, "no such file"),
            ReadError::Outside => write!(f, "a link out of the site or into a hidden folder"),
            ReadError::Io(error) => write!(f, "{error}"),
        }
    }
}

/// The files of one site. Paths are relative to the site root, with `/`
/// separators.
pub trait SiteFiles: Sync {
    /// The site for messages: a folder, or a revision.
    fn describe(&self) -> String;

    /// The `.md` files under a document folder, sorted; files that cannot
    /// be documents (links out, special files) are reported instead.
    fn documents(&self, kind: DocKind, diagnostics: &mut Vec<Diagnostic>) -> Vec<String>;

    /// The files under `static/`, by their path inside it.
    fn static_files(&self) -> BTreeSet<String>;

    /// A file's bytes, shared with what a run keeps for the next (see
    /// [`Memo`]) rather than copied.
    fn read(&self, path: &str) -> Result<Arc<Vec<u8>>, ReadError>;

    /// Where the file at `path` really is, so that two paths that lead to
    /// one file (through a link) compare equal.
    fn identity(&self, path: &str) -> String {
        path.to_string()
    }

    /// Problems of the source itself, such as links out of the folders a
    /// build copies.
    fn report(&self, _diagnostics: &mut Vec<Diagnostic>) {}

    /// Whether the document at `path` is known to be as the run before
    /// read it (a file watcher vouches for it), so that the text kept
    /// from that run may stand for it unread.
    fn vouched(&self, _path: &str) -> bool {
        false
    }
}

/// A site in a folder on disk. Nothing outside the folder, or inside a
/// hidden folder in it, is read, whatever links lead there.
pub struct Disk<'m> {
    root: PathBuf,
    canonical_root: PathBuf,
    memo: Option<&'m Memo>,
    /// What a file watcher vouches for in this run (see [`Memo::saw`]).
    seen: Option<Seen>,
    /// The documents listed, by relative path: where they are, already
    /// checked to be inside the site, and whether each is a plain file.
    listed: RwLock<Arc<HashMap<String, (PathBuf, bool)>>>,
}

impl<'m> Disk<'m> {
    /// The site at `root`, which must be a folder with an `okra.toml`.
    /// Files whose stamp is unchanged since a run that kept them in `memo`
    /// are not read again.
    pub fn new(root: &Path, memo: Option<&'m Memo>) -> anyhow::Result<Disk<'m>> {
        if !root.is_dir() {
            bail!("{} is not a folder", root.display());
        }
        if !root.join(CONFIG_FILE).is_file() {
            bail!(
                "no {CONFIG_FILE} in {}: is this a site root? (`okra init` makes one, `--root DIR` names another)",
                root.display()
            );
        }
        let canonical_root = root
            .canonicalize()
            .with_context(|| format!("reading {}", root.display()))?;
        Ok(Disk {
            root: root.to_path_buf(),
            canonical_root,
            memo,
            seen: memo.and_then(Memo::begin),
            listed: RwLock::default(),
        })
    }

    /// The memo, when a watcher vouches that the folders are as they were
    /// listed last.
    fn unchanged_listing(&self) -> Option<&Memo> {
        self.memo
            .filter(|_| self.seen.as_ref().is_some_and(|s| !s.relist))
    }
}

impl SiteFiles for Disk<'_> {
    fn describe(&self) -> String {
        self.root.display().to_string()
    }

    fn documents(&self, kind: DocKind, diagnostics: &mut Vec<Diagnostic>) -> Vec<String> {
        if let Some(memo) = self.unchanged_listing() {
            let listing = memo.listing();
            if let Some((paths, problems)) = listing.documents.get(&kind) {
                diagnostics.extend(problems.iter().cloned());
                let mut listed = write(&self.listed);
                if listed.is_empty() {
                    // The places of every kind, shared rather than copied.
                    *listed = Arc::clone(&listing.places);
                } else if !Arc::ptr_eq(&listed, &listing.places) {
                    let listed = Arc::make_mut(&mut listed);
                    for path in paths {
                        if let Some(place) = listing.places.get(path) {
                            listed.insert(path.clone(), place.clone());
                        }
                    }
                }
                return paths.clone();
            }
        }
        let mut problems = Vec::new();
        let paths = walk(
            &self.root,
            &self.canonical_root,
            kind.folder(),
            &mut problems,
        );
        diagnostics.extend(problems.iter().cloned());
        // A watcher reports a change to a link's target under the target's
        // path: only plain files, in a folder that is not a link, are
        // trusted to be unchanged when no event names them.
        let folder_plain =
            std::fs::symlink_metadata(self.root.join(kind.folder())).is_ok_and(|m| m.is_dir());
        let mut listed = write(&self.listed);
        let listed = Arc::make_mut(&mut listed);
        let relative: Vec<String> = paths
            .into_iter()
            .map(|path| {
                let relative = relative_path(&self.root, &path);
                let plain = folder_plain
                    && self.memo.is_some()
                    && std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
                listed.insert(relative.clone(), (path, plain));
                relative
            })
            .collect();
        if let Some(memo) = self.memo {
            let mut listing = memo.listing();
            let prefix = format!("{}/", kind.folder());
            let places = Arc::make_mut(&mut listing.places);
            places.retain(|path, _| !path.starts_with(&prefix));
            for path in &relative {
                places.insert(path.clone(), listed[path].clone());
            }
            listing.documents.insert(kind, (relative.clone(), problems));
        }
        relative
    }

    fn static_files(&self) -> BTreeSet<String> {
        if let Some(memo) = self.unchanged_listing() {
            if let Some(files) = &memo.listing().static_files {
                return files.clone();
            }
        }
        let files = static_files(&self.root, &self.canonical_root);
        if let Some(memo) = self.memo {
            memo.listing().static_files = Some(files.clone());
        }
        files
    }

    fn read(&self, path: &str) -> Result<Arc<Vec<u8>>, ReadError> {
        let listed = read(&self.listed);
        let place = listed.get(path);
        if let (Some(memo), Some(seen), Some((real, true))) = (self.memo, &self.seen, place) {
            if !seen.changed.contains(path) {
                if let Some(bytes) = kept_file(memo, real) {
                    return Ok(bytes);
                }
            }
        }
        let real = match place {
            Some((real, _)) => real.clone(),
            None => {
                let full = self.root.join(path);
                match inside_site(&self.canonical_root, &full) {
                    Some(real) => real,
                    None if std::fs::symlink_metadata(&full).is_ok() => {
                        return Err(ReadError::Outside);
                    }
                    None => return Err(ReadError::Missing),
                }
            }
        };
        read_file(self.memo, &real).map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => ReadError::Missing,
            _ => ReadError::Io(error),
        })
    }

    fn identity(&self, path: &str) -> String {
        inside_site(&self.canonical_root, &self.root.join(path)).map_or_else(
            || path.to_string(),
            |real| real.to_string_lossy().into_owned(),
        )
    }

    fn vouched(&self, path: &str) -> bool {
        let plain = || {
            read(&self.listed)
                .get(path)
                .is_some_and(|(_, plain)| *plain)
        };
        self.memo.is_some()
            && self
                .seen
                .as_ref()
                .is_some_and(|seen| !seen.changed.contains(path))
            && plain()
    }

    fn report(&self, diagnostics: &mut Vec<Diagnostic>) {
        for folder in ["templates", "static"] {
            report_links_out(&self.root, &self.canonical_root, folder, diagnostics);
        }
    }
}

/// Locks that a panicked holder cannot poison: each change under them is
/// a single insert or clone.
fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

/// A site held in memory, such as a git revision's tree.
pub struct InMemory {
    name: String,
    files: BTreeMap<String, Vec<u8>>,
}

impl InMemory {
    /// `files` by path relative to the site root; `name` says where they
    /// come from.
    pub fn new(name: impl Into<String>, files: BTreeMap<String, Vec<u8>>) -> InMemory {
        InMemory {
            name: name.into(),
            files,
        }
    }

    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }
}

/// Sorts paths as a walk of the folders lists them: name by name, so that
/// `a/b.md` comes before `a-b.md` as on disk.
fn sort_like_a_walk(paths: &mut [String]) {
    paths.sort_by(|a, b| a.split('/').cmp(b.split('/')));
}

/// The paths under `folder` among `paths`, in order.
/// Whether a path from the site root lies in `static/`, which the site
/// publishes as it is and a check lists but does not read.
pub fn in_static(path: &str) -> bool {
    path.strip_prefix("static")
        .is_some_and(|rest| rest.starts_with('/'))
}

fn under<'p>(
    folder: &'p str,
    paths: impl Iterator<Item = &'p String> + 'p,
) -> impl Iterator<Item = &'p str> + 'p {
    paths.filter_map(move |path| {
        path.strip_prefix(folder)
            .filter(|rest| rest.starts_with('/'))
            .map(|_| path.as_str())
    })
}

impl SiteFiles for InMemory {
    fn describe(&self) -> String {
        self.name.clone()
    }

    fn documents(&self, kind: DocKind, _: &mut Vec<Diagnostic>) -> Vec<String> {
        let mut paths: Vec<String> = under(kind.folder(), self.files.keys())
            .filter(|path| path.ends_with(".md"))
            .map(str::to_string)
            .collect();
        sort_like_a_walk(&mut paths);
        paths
    }

    fn static_files(&self) -> BTreeSet<String> {
        under("static", self.files.keys())
            .map(|path| path["static/".len()..].to_string())
            .collect()
    }

    fn read(&self, path: &str) -> Result<Arc<Vec<u8>>, ReadError> {
        if path.split('/').any(|part| part.starts_with('.')) {
            return Err(ReadError::Outside);
        }
        self.files
            .get(path)
            .map(|bytes| Arc::new(bytes.clone()))
            .ok_or(ReadError::Missing)
    }
}

/// An editor's unsaved buffers over a site: a buffer is read instead of
/// the file of its path, and a buffer for a new document is listed too.
pub struct Overlay<'b> {
    base: &'b dyn SiteFiles,
    buffers: &'b BTreeMap<String, String>,
}

impl<'b> Overlay<'b> {
    pub fn new(base: &'b dyn SiteFiles, buffers: &'b BTreeMap<String, String>) -> Overlay<'b> {
        Overlay { base, buffers }
    }
}

impl SiteFiles for Overlay<'_> {
    fn describe(&self) -> String {
        self.base.describe()
    }

    fn documents(&self, kind: DocKind, diagnostics: &mut Vec<Diagnostic>) -> Vec<String> {
        let mut paths = self.base.documents(kind, diagnostics);
        paths.extend(
            under(kind.folder(), self.buffers.keys())
                .filter(|path| path.ends_with(".md"))
                .map(str::to_string),
        );
        sort_like_a_walk(&mut paths);
        paths.dedup();
        paths
    }

    fn static_files(&self) -> BTreeSet<String> {
        self.base.static_files()
    }

    fn read(&self, path: &str) -> Result<Arc<Vec<u8>>, ReadError> {
        match self.buffers.get(path) {
            Some(text) => Ok(Arc::new(text.clone().into_bytes())),
            None => self.base.read(path),
        }
    }

    fn report(&self, diagnostics: &mut Vec<Diagnostic>) {
        self.base.report(diagnostics);
    }
}
