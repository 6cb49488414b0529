//! What one run over a site keeps for the next: files as read and
//! documents as parsed, so that `okra serve` reads and parses again only
//! what changed.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::string::FromUtf8Error;
use std::sync::{Arc, Mutex};

use super::{DocKind, ReadDocument};
use crate::diagnostic::Diagnostic;
use crate::generations::{Generations, lock};
use crate::source::normalise;

/// Documents as read, by a hash of everything reading them depends on
/// (path, kind, place in the sources and text), kept from one run to the
/// next so that `okra serve` reads again only the files that changed.
/// Entries the latest run did not use are dropped after it.
#[derive(Default)]
pub struct Memo {
    documents: Generations<u64, ReadDocument>,
    /// Document files as read, with the size, modification time and inode
    /// they had then: a file whose stamp is the same is not read again.
    files: Generations<PathBuf, (FileStamp, Arc<Vec<u8>>)>,
    /// Document texts as decoded, by path, with the bytes they were
    /// decoded from.
    texts: Generations<String, (Arc<Vec<u8>>, Arc<String>)>,
    /// What a file watcher saw since the run under way began.
    watch: Mutex<Watch>,
    /// The folders as the last run that walked them listed them.
    listing: Mutex<Listing>,
}

/// What a file watcher reported, so that a run can skip walking the
/// folders and looking at files that did not change.
#[derive(Default)]
struct Watch {
    /// A watcher reports every change under the site.
    armed: bool,
    /// The run under way began after the watcher was armed and after a
    /// run that looked at every file.
    trusted: bool,
    /// Files changed, by path from the site root.
    changed: HashSet<String>,
    /// Files or folders were added, removed or renamed.
    relist: bool,
}

/// What a run may take as it is from the run before: everything but the
/// files named in `changed`, unless `relist` says to walk again.
#[derive(Debug, Default)]
pub(super) struct Seen {
    pub changed: HashSet<String>,
    pub relist: bool,
}

/// The folders as walked: each kind's documents and the problems the walk
/// found, where each document is, and the files under `static/`.
#[derive(Clone, Default)]
pub(super) struct Listing {
    pub documents: HashMap<DocKind, (Vec<String>, Vec<Diagnostic>)>,
    /// Each document's place on disk, and whether it is a plain file (a
    /// watcher reports changes to a link's target under the target's path).
    pub places: Arc<HashMap<String, (PathBuf, bool)>>,
    pub static_files: Option<BTreeSet<String>>,
}

/// What tells one version of a file from the next without reading it.
#[derive(Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    inode: u64,
}

impl FileStamp {
    fn of(meta: &fs::Metadata) -> FileStamp {
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let inode = 0;
        FileStamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            inode,
        }
    }
}

/// A document file's bytes: those kept in `memo` when the file's stamp
/// has not changed since they were read.
pub(super) fn read_file(memo: Option<&Memo>, path: &Path) -> std::io::Result<Arc<Vec<u8>>> {
    let Some(memo) = memo else {
        return fs::read(path).map(Arc::new);
    };
    let stamp = fs::metadata(path).map(|m| FileStamp::of(&m))?;
    let kept = memo
        .files
        .take_previous(path)
        .filter(|(kept, _)| *kept == stamp);
    let bytes = match kept {
        Some((_, bytes)) => bytes,
        None => Arc::new(fs::read(path)?),
    };
    // A file written within a clock tick of being read could change again
    // without changing its stamp: keep only files that had settled.
    let settled = stamp.modified.is_some_and(|m| {
        std::time::SystemTime::now()
            .duration_since(m)
            .is_ok_and(|age| age > std::time::Duration::from_millis(50))
    });
    if settled {
        memo.files
            .keep(path.to_path_buf(), (stamp, Arc::clone(&bytes)));
    }
    Ok(bytes)
}

/// A plain file's bytes as kept by the run before, without looking at the
/// file: the watcher vouches that it did not change.
pub(super) fn kept_file(memo: &Memo, path: &Path) -> Option<Arc<Vec<u8>>> {
    let kept = memo.files.take_previous(path)?;
    let bytes = Arc::clone(&kept.1);
    memo.files.keep(path.to_path_buf(), kept);
    Some(bytes)
}

/// A document file's text, decoded and normalised (see
/// [`crate::source::normalise`]): the text kept in `memo` when `bytes` are
/// the very bytes it was made from, so an unchanged file is neither
/// copied nor decoded again.
pub(super) fn decode(
    memo: Option<&Memo>,
    path: &str,
    bytes: Arc<Vec<u8>>,
) -> Result<Arc<String>, FromUtf8Error> {
    let Some(memo) = memo else {
        // Nothing keeps the bytes: they become the text without a copy.
        return Ok(Arc::new(normalise(String::from_utf8(
            Arc::unwrap_or_clone(bytes),
        )?)));
    };
    let kept = memo.texts.take_previous(path);
    let text = match kept {
        Some((from, text)) if Arc::ptr_eq(&from, &bytes) => text,
        _ => Arc::new(normalise(String::from_utf8(Arc::unwrap_or_clone(
            Arc::clone(&bytes),
        ))?)),
    };
    memo.texts
        .keep(path.to_string(), (bytes, Arc::clone(&text)));
    Ok(text)
}

impl Memo {
    /// Says that a file watcher now reports every change under the site:
    /// after one more run that looks at every file, runs trust it.
    pub fn watching(&self) {
        lock(&self.watch).armed = true;
    }

    /// Records what the watcher saw: files changed (paths from the site
    /// root), and whether files or folders were added, removed or renamed.
    /// `lost` says the watcher may have missed events: the next run looks
    /// at every file again.
    pub fn saw(&self, changed: impl IntoIterator<Item = String>, relist: bool, lost: bool) {
        let mut watch = lock(&self.watch);
        watch.changed.extend(changed);
        watch.relist |= relist;
        if lost {
            watch.trusted = false;
        }
    }

    /// Says that the watcher's paths may be wrong from now on: every run
    /// looks at every file.
    pub fn distrust(&self) {
        let mut watch = lock(&self.watch);
        watch.armed = false;
        watch.trusted = false;
    }

    /// Begins a run: what it may trust the watcher for, or `None` when it
    /// must look at every file.
    pub(super) fn begin(&self) -> Option<Seen> {
        let mut watch = lock(&self.watch);
        let seen = Seen {
            changed: std::mem::take(&mut watch.changed),
            relist: std::mem::take(&mut watch.relist),
        };
        let trusted = watch.trusted;
        watch.trusted = watch.armed;
        trusted.then_some(seen)
    }

    /// Whether the last walk listed the document at `path` (from the site
    /// root).
    pub fn is_listed(&self, path: &str) -> bool {
        lock(&self.listing).places.contains_key(path)
    }

    /// The listing of the last walk.
    pub(super) fn listing(&self) -> std::sync::MutexGuard<'_, Listing> {
        lock(&self.listing)
    }

    /// The documents kept for each of `keys`, by the hash of what reading
    /// them depends on.
    pub(super) fn kept_documents(&self, keys: &[u64]) -> Vec<Option<ReadDocument>> {
        self.documents.reuse(keys.iter().map(Some))
    }

    /// Keeps documents read in this run for the next.
    pub(super) fn keep_documents(&self, read: impl IntoIterator<Item = (u64, ReadDocument)>) {
        self.documents.keep_all(read);
    }

    /// The texts kept for the documents at `paths`, where a path is given.
    pub(super) fn kept_texts<'p>(
        &self,
        paths: impl IntoIterator<Item = Option<&'p String>>,
    ) -> Vec<Option<Arc<String>>> {
        self.texts
            .reuse(paths)
            .into_iter()
            .map(|kept| kept.map(|(_, text)| text))
            .collect()
    }

    /// Ends a run: what it did not use is forgotten.
    pub fn finish(&self) {
        self.documents.finish();
        self.files.finish();
        self.texts.finish();
    }
}
