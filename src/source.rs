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

/// Where the file at `path`, under the site's folder `folder` (`static`,
/// `templates`), really is, when okra may publish it: as for
/// [`inside_site`], and after every link is followed it must still lie in
/// that folder. A link from `static/` to a document, a KPI's data or
/// `okra.toml` is refused, so what a build copies is what `okra serve`
/// answers, and no private KPI or draft reaches the output through a link.
pub fn inside_folder(canonical_root: &Path, folder: &str, path: &Path) -> Option<PathBuf> {
    inside_site(canonical_root, path)
        .filter(|target| target.starts_with(canonical_root.join(folder)))
}

/// The bytes a URL path keeps as they are: letters, digits, `/` and
/// `-._~`.
const PATH_KEEPS: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A path as a URL path: bytes other than letters, digits, `/` and
/// `-._~` are `%XX` escapes.
pub fn percent_encode_path(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, PATH_KEEPS).to_string()
}

/// Decodes `%XX` escapes; `None` for a bad escape or invalid UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let well_formed = text.match_indices('%').all(|(at, _)| {
        text.as_bytes()
            .get(at + 1..at + 3)
            .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    let decoded = percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()?;
    well_formed.then(|| decoded.into_owned())
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

/// A digest of a text, to tell whether a file read again is as it was
/// read first.
pub fn digest(text: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x6f6b_7261).hash_one(text)
}

/// A file as read: its path relative to the site root (with `/`
/// separators) and its text.
#[derive(Debug)]
pub struct SourceFile {
    pub path: String,
    /// Shared with the bodies of the documents read from it. Empty once
    /// let go (see [`Sources::release_after`]) until read again.
    pub text: Arc<String>,
    /// Where each line starts, computed when a diagnostic first needs a
    /// position.
    lines: OnceLock<LineIndex>,
    /// The [`digest`] of the text, while it is let go.
    released: Option<u64>,
}

impl SourceFile {
    fn new(path: String, text: Arc<String>) -> SourceFile {
        SourceFile {
            path,
            text,
            lines: OnceLock::new(),
            released: None,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        debug_assert!(
            self.released.is_none(),
            "`{}` is quoted but its text was let go",
            self.path
        );
        let offset = offset.min(self.text.len());
        let lines = self.lines.get_or_init(|| LineIndex::new(&self.text));
        let (line, start) = lines.line_of(offset);
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count());
        (line + 1, column + 1)
    }
}

/// Where each line of a text starts: the one index from byte offsets to
/// lines and back, for diagnostics and the editor alike.
#[derive(Debug)]
pub struct LineIndex(Vec<usize>);

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        LineIndex(
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
        )
    }

    /// The line (from 0) that holds byte `offset`, and the byte it starts
    /// at.
    pub fn line_of(&self, offset: usize) -> (usize, usize) {
        let line = self.0.partition_point(|&start| start <= offset) - 1;
        (line, self.0[line])
    }

    /// The byte line `line` (from 0) starts at; `None` past the last.
    pub fn start_of(&self, line: usize) -> Option<usize> {
        self.0.get(line).copied()
    }
}

/// A part of a source file's text, such as a document's Markdown body,
/// sharing the file's storage instead of copying it; or, when the text was
/// let go to save memory, where it lies and its digest, to read it again.
#[derive(Clone, Default)]
pub struct Body {
    text: Arc<String>,
    range: Range<usize>,
    /// The [`digest`] of the body's text, when the text is not kept.
    released: Option<u64>,
}

impl Body {
    /// The `range` of a file's text; an empty body if it is out of range.
    pub fn new(text: &Arc<String>, range: Range<usize>) -> Body {
        if text.get(range.clone()).is_some() {
            Body {
                text: Arc::clone(text),
                range,
                released: None,
            }
        } else {
            Body::default()
        }
    }

    /// The `range` of a file's `text`, without keeping the text: only
    /// where it lies and its digest, so that it can be read again and
    /// checked (see [`crate::load::read_body_again`]). An empty body if
    /// the range is out of the text.
    pub fn released(text: &str, range: Range<usize>) -> Body {
        match text.get(range.clone()) {
            Some(body) => Body {
                text: Arc::default(),
                range,
                released: Some(digest(body)),
            },
            None => Body::default(),
        }
    }

    /// The body's text; `None` when it is not kept.
    pub fn text(&self) -> Option<&str> {
        match self.released {
            Some(_) => None,
            None => Some(self.text.get(self.range.clone()).unwrap_or_default()),
        }
    }

    /// Where a body that is not kept lies in its file, and its digest.
    pub fn released_at(&self) -> Option<(Range<usize>, u64)> {
        self.released.map(|digest| (self.range.clone(), digest))
    }

    /// Gives the body its own copy of its text, so that it no longer keeps
    /// the whole file's text alive.
    pub fn detach(&mut self) {
        if let Some(text) = self.text().filter(|t| t.len() < self.text.len()) {
            *self = Body::from(text);
        }
    }
}

impl From<&str> for Body {
    fn from(text: &str) -> Body {
        Body {
            text: Arc::new(text.to_string()),
            range: 0..text.len(),
            released: None,
        }
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.text(), self.released) {
            (Some(text), _) => std::fmt::Debug::fmt(text, f),
            (None, digest) => write!(f, "Body({:?}, not kept, {digest:?})", self.range),
        }
    }
}

impl PartialEq for Body {
    fn eq(&self, other: &Body) -> bool {
        self.text() == other.text() && self.released_at() == other.released_at()
    }
}

impl serde::Serialize for Body {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (self.text(), self.released) {
            (Some(text), _) => serializer.serialize_str(text),
            (None, digest) => serializer.serialize_u64(digest.unwrap_or_default()),
        }
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
    /// The texts freed are not read again.
    pub fn release_text(&mut self, keep: impl Fn(FileId) -> bool) {
        for (i, file) in self.files.iter_mut().enumerate() {
            if !keep(FileId::new(i)) {
                file.text = Arc::default();
                file.lines = OnceLock::new();
            }
        }
    }

    /// Lets go of the texts of the files added after the first `kept`,
    /// keeping their digests, so that a large site is never held in memory
    /// whole; [`Sources::restore`] reads again those a diagnostic quotes.
    pub fn release_after(&mut self, kept: usize) {
        use rayon::prelude::*;
        let files = self.files.get_mut(kept..).unwrap_or_default();
        files.par_iter_mut().for_each(|file| {
            if file.released.is_none() {
                file.released = Some(digest(&file.text));
                file.text = Arc::default();
                file.lines = OnceLock::new();
            }
        });
    }

    /// Reads again, with `read`, the texts of `files` that were let go,
    /// and checks that each is the text read first: positions found in
    /// it must still hold.
    pub fn restore(
        &mut self,
        files: impl IntoIterator<Item = FileId>,
        read: impl Fn(&str) -> anyhow::Result<Arc<String>>,
    ) -> anyhow::Result<()> {
        for id in files {
            let file = &mut self.files[id.index()];
            let Some(expected) = file.released else {
                continue;
            };
            let text = read(&file.path)?;
            if digest(&text) != expected {
                anyhow::bail!(
                    "`{}` changed while okra was reading the site; run okra again",
                    file.path
                );
            }
            file.text = text;
            file.released = None;
        }
        Ok(())
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
        assert_eq!(body.text(), Some("The body.\n"));
        assert_eq!(Arc::strong_count(&file), 2);
        body.detach();
        assert_eq!(body.text(), Some("The body.\n"));
        assert_eq!(Arc::strong_count(&file), 1);
    }

    #[test]
    fn a_released_body_keeps_where_it_lies_and_a_digest_only() {
        let file = "+++\ntitle = \"T\"\n+++\nThe body.\n";
        let body = Body::released(file, 20..30);
        assert_eq!(body.text(), None);
        assert_eq!(body.released_at(), Some((20..30, digest("The body.\n"))));
        assert_ne!(
            body,
            Body::released("+++\ntitle = \"T\"\n+++\nThe bodY.\n", 20..30)
        );
        assert_eq!(Body::released(file, 20..99), Body::default());
    }

    #[test]
    fn texts_let_go_are_read_again_only_if_unchanged() {
        let mut sources = Sources::default();
        let a = sources.add("a.md", "first\nsecond\n".to_string());
        let b = sources.add("b.md", "other\n".to_string());
        sources.release_after(0);
        assert!(sources.get(a).text.is_empty());
        assert_eq!(sources.get(a).path, "a.md");

        let same = |_: &str| Ok(Arc::new("first\nsecond\n".to_string()));
        sources.restore([a], same).unwrap();
        assert_eq!(sources.get(a).line_col(8), (2, 3));
        assert!(sources.get(b).text.is_empty(), "only the files asked for");
        // Restoring a kept file reads nothing.
        sources
            .restore([a], |_: &str| anyhow::bail!("read again"))
            .unwrap();

        let changed = |_: &str| Ok(Arc::new("edited\n".to_string()));
        let error = sources.restore([b], changed).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`b.md` changed while okra was reading the site; run okra again"
        );
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
