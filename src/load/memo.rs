//! What one run over a site keeps for the next: files as read and
//! documents as parsed, so that `okra serve` reads and parses again only
//! what changed.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::ReadDocument;
use crate::generations::Generations;

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
pub(super) fn read_file(memo: Option<&Memo>, path: &Path) -> std::io::Result<Vec<u8>> {
    let Some(memo) = memo else {
        return fs::read(path);
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
    Ok(bytes.to_vec())
}

impl Memo {
    pub(super) fn get_or_read(
        &self,
        key: u64,
        read: impl FnOnce() -> ReadDocument,
    ) -> ReadDocument {
        self.documents.get_or_make(key, read)
    }

    /// Ends a run: what it did not use is forgotten.
    pub fn finish(&self) {
        self.documents.finish();
        self.files.finish();
    }
}
