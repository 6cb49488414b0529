//! The text of every file okra read, so that a diagnostic can point into it.
//!
//! Byte offsets in the model are offsets into these texts. CRLF line endings
//! and a UTF-8 byte-order mark are normalised away on the way in, which keeps
//! line and column numbers what an editor shows.

use std::ops::Range;

/// Index of a file in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Span {
        Span {
            file,
            start: range.start,
            end: range.end,
        }
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// A file as read: its path relative to the site root (with `/`
/// separators) and its text.
#[derive(Debug)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
    /// Byte offset at which each line starts.
    line_starts: Vec<usize>,
}

impl SourceFile {
    fn new(path: String, text: String) -> SourceFile {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count());
        (line + 1, column + 1)
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
        let text = normalise(text);
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile::new(path.into(), text));
        id
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn path(&self, id: FileId) -> &str {
        &self.get(id).path
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

fn normalise(text: String) -> String {
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
        assert_eq!(file.text, "+++\ntitle = 1\n");
        assert_eq!(file.line_col(12), (2, 9));
    }
}
