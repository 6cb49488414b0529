//! What one run over a site keeps for the next: files as read and
//! documents as parsed, so that `okra serve` reads and parses again only
//! what changed.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use super::ReadDocument;

/// Documents as read, by a hash of everything reading them depends on
/// (path, kind, place in the sources and text), kept from one run to the
/// next so that `okra serve` reads again only the files that changed.
/// Entries the latest run did not use are dropped after it.
#[derive(Default)]
pub struct Memo {
    current: Mutex<HashMap<u64, ReadDocument>>,
    previous: Mutex<HashMap<u64, ReadDocument>>,
    /// Document files as read, with the size, modification time and inode
    /// they had then: a file whose stamp is the same is not read again.
    files: Mutex<ReadFiles>,
    previous_files: Mutex<ReadFiles>,
}

/// Files by path: the stamp they had when read, and their bytes.
type ReadFiles = HashMap<PathBuf, (FileStamp, Arc<Vec<u8>>)>;

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
pub(super) fn read_file(memo: Option<&Memo>, path: &Path) -> std::io::Result<Vec<u8>> {
    let Some(memo) = memo else {
        return fs::read(path);
    };
    let stamp = fs::metadata(path).map(|m| FileStamp::of(&m))?;
    let kept = lock(&memo.previous_files)
        .remove(path)
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
        lock(&memo.files).insert(path.to_path_buf(), (stamp, Arc::clone(&bytes)));
    }
    Ok(bytes.to_vec())
}

/// A lock that a panicked holder cannot poison: each insert is whole.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Memo {
    pub(super) fn get_or_read(
        &self,
        key: u64,
        read: impl FnOnce() -> ReadDocument,
    ) -> ReadDocument {
        if let Some(found) = lock(&self.current).get(&key) {
            return found.clone();
        }
        let document = lock(&self.previous).remove(&key).unwrap_or_else(read);
        lock(&self.current).insert(key, document.clone());
        document
    }

    /// Ends a run: what it did not use is forgotten.
    pub fn finish(&self) {
        let used = std::mem::take(&mut *lock(&self.current));
        *lock(&self.previous) = used;
        let read = std::mem::take(&mut *lock(&self.files));
        *lock(&self.previous_files) = read;
    }
}
