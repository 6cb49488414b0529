//! The text of every file okra read, so that a diagnostic can point into it.
//!
//! Byte offsets in the model are offsets into these texts. CRLF line endings
//! and a UTF-8 byte-order mark are normalised away on the way in, which keeps
//! line and column numbers what an editor shows.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Where the file or folder at `path` really is, when okra may read it:
/// after every link is followed it must lie inside the site root (given
/// canonical) and not inside a hidden folder such as `.git/`. `None` for a
/// link out of the site, into a hidden folder, or to nothing. Every read of
/// a site's files (documents, CSV data, `okra.toml`, templates, assets,
/// `static/`) goes through here, so no link can make okra read, quote or
/// publish a file from elsewhere.
pub fn inside_site(canonical_root: &Path, path: &Path) -> Option<PathBuf> {
    let target = path.canonicalize().ok()?;
    let relative = target.strip_prefix(canonical_root).ok()?;
    let hidden = relative
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    (!hidden).then_some(target)
}

/// A path as a URL path: bytes other than letters, digits, `/` and
/// `-._~` are `%XX` escapes.
pub fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes; `None` for a bad escape or invalid UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Index of a file in [`Sources`], kept as one more than the index: never
/// zero, so that an absent [`Span`] or spanned value costs no extra bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(std::num::NonZeroU32);

impl FileId {
    fn new(index: usize) -> FileId {
        u32::try_from(index)
            .ok()
            .and_then(|index| index.checked_add(1))
            .and_then(std::num::NonZeroU32::new)
            .map(FileId)
            .expect("fewer than 2^32 - 1 files")
    }

    fn index(self) -> usize {
        (self.0.get() - 1) as usize
    }
}

/// A byte range in one source file. Offsets are stored in 32 bits, which
/// keeps the many spans of a large site small; offsets past 4 GiB are
/// clamped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    start: u32,
    end: u32,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Span {
        let clamp = |offset: usize| u32::try_from(offset).unwrap_or(u32::MAX);
        Span {
            file,
            start: clamp(range.start),
            end: clamp(range.end),
        }
    }

    pub fn start(&self) -> usize {
        self.start as usize
    }

    pub fn end(&self) -> usize {
        self.end as usize
    }

    pub fn range(&self) -> Range<usize> {
        self.start()..self.end()
    }
}

/// A file as read: its path relative to the site root (with `/`
/// separators) and its text.
#[derive(Debug)]
pub struct SourceFile {
    pub path: String,
    /// Shared with the bodies of the documents read from it.
    pub text: Arc<String>,
    /// Byte offset at which each line starts.
    /// Computed when a diagnostic first needs a position.
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    fn new(path: String, text: Arc<String>) -> SourceFile {
        SourceFile {
            path,
            text,
            line_starts: OnceLock::new(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line_starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let line = line_starts.partition_point(|&start| start <= offset) - 1;
        let start = line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count());
        (line + 1, column + 1)
    }
}

/// A part of a source file's text, such as a document's Markdown body,
/// sharing the file's storage instead of copying it.
#[derive(Clone, Default)]
pub struct Body {
    text: Arc<String>,
    range: Range<usize>,
}

impl Body {
    /// The `range` of a file's text; an empty body if it is out of range.
    pub fn new(text: &Arc<String>, range: Range<usize>) -> Body {
        if text.get(range.clone()).is_some() {
            Body {
                text: Arc::clone(text),
                range,
            }
        } else {
            Body::default()
        }
    }

    /// Gives the body its own copy of its text, so that it no longer keeps
    /// the whole file's text alive.
    pub fn detach(&mut self) {
        if self.range.len() < self.text.len() {
            *self = Body::from(&**self);
        }
    }
}

impl From<&str> for Body {
    fn from(text: &str) -> Body {
        Body {
            text: Arc::new(text.to_string()),
            range: 0..text.len(),
        }
    }
}

impl std::ops::Deref for Body {
    type Target = str;

    fn deref(&self) -> &str {
        self.text.get(self.range.clone()).unwrap_or_default()
    }
}

impl AsRef<str> for Body {
    fn as_ref(&self) -> &str {
        self
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl PartialEq for Body {
    fn eq(&self, other: &Body) -> bool {
        **self == **other
    }
}

impl serde::Serialize for Body {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

/// Every file of a site that okra read.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Adds a file, normalising CRLF and a leading byte-order mark.
    pub fn add(&mut self, path: impl Into<String>, text: String) -> FileId {
        self.add_normalised(path, Arc::new(normalise(text)))
    }

    /// Adds a file whose text is already normalised (see [`normalise`]),
    /// sharing it.
    pub fn add_normalised(&mut self, path: impl Into<String>, text: Arc<String>) -> FileId {
        let id = FileId::new(self.files.len());
        self.files.push(SourceFile::new(path.into(), text));
        id
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.index()]
    }

    pub fn path(&self, id: FileId) -> &str {
        &self.get(id).path
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Every file's id, in the order added.
    pub fn ids(&self) -> impl Iterator<Item = FileId> + use<> {
        (0..self.files.len()).map(FileId::new)
    }

    /// Frees the text of every file that `keep` rejects, keeping its path,
    /// so that a large build holds only the files its diagnostics quote.
    pub fn release_text(&mut self, keep: impl Fn(FileId) -> bool) {
        for (i, file) in self.files.iter_mut().enumerate() {
            if !keep(FileId::new(i)) {
                file.text = Arc::default();
                file.line_starts = OnceLock::new();
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// A text with a leading byte-order mark dropped and CRLF line endings
/// turned into LF, as every source is kept.
pub fn normalise(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_detached_body_keeps_its_text_and_lets_the_file_go() {
        let file = Arc::new("+++\ntitle = \"T\"\n+++\nThe body.\n".to_string());
        let mut body = Body::new(&file, 20..30);
        assert_eq!(&*body, "The body.\n");
        assert_eq!(Arc::strong_count(&file), 2);
        body.detach();
        assert_eq!(&*body, "The body.\n");
        assert_eq!(Arc::strong_count(&file), 1);
    }

    #[test]
    fn lines_and_columns_are_one_based_and_count_characters() {
        let mut sources = Sources::default();
        let id = sources.add("a.md", "ab\nçé = 1\n".to_string());
        let file = sources.get(id);
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        assert_eq!(file.line_col(7), (2, 3));
        assert_eq!(file.line_col(1000), (3, 1));
    }

    #[test]
    fn crlf_and_bom_do_not_shift_positions() {
        let mut sources = Sources::default();
        let id = sources.add("a.md", "\u{feff}+++\r\ntitle = 1\r\n".to_string());
        let file = sources.get(id);
        assert_eq!(&*file.text, "+++\ntitle = 1\n");
        assert_eq!(file.line_col(12), (2, 9));
    }
}
