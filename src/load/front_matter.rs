//! Splitting a Markdown file into its `+++` TOML front matter and its body.

use std::ops::Range;

/// Where the parts of a document lie in its text.
#[derive(Debug, PartialEq, Eq)]
pub struct Parts {
    /// The TOML between the fences.
    pub front_matter: Range<usize>,
    /// The Markdown after the closing fence.
    pub body: Range<usize>,
}

/// Why a file has no usable front matter.
#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `+++` line.
    Missing,
    /// There is no closing `+++` line; the range is the opening fence.
    Unterminated(Range<usize>),
}

/// Finds the front matter of a document. The text must already have `\n`
/// line endings and no byte-order mark (see [`crate::source::Sources`]).
pub fn split(text: &str) -> Result<Parts, SplitError> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "+++" {
        return Err(SplitError::Missing);
    }
    let fm_start = (first_line_end + 1).min(text.len());
    let mut line_start = fm_start;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        if text[line_start..line_end].trim_end() == "+++" {
            let body_start = (line_end + 1).min(text.len());
            return Ok(Parts {
                front_matter: fm_start..line_start,
                body: body_start..text.len(),
            });
        }
        line_start = line_end + 1;
    }
    Err(SplitError::Unterminated(0..3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_from_body() {
        let text = "+++\ntitle = \"x\"\n+++\nBody\n";
        let parts = split(text).unwrap();
        assert_eq!(&text[parts.front_matter.clone()], "title = \"x\"\n");
        assert_eq!(&text[parts.body], "Body\n");
    }

    #[test]
    fn accepts_an_empty_front_matter_and_a_missing_body() {
        let parts = split("+++\n+++").unwrap();
        assert_eq!(parts.front_matter, 4..4);
        assert_eq!(parts.body, 7..7);
        assert!(split("+++  \n+++\t\n").is_ok());
    }

    #[test]
    fn reports_missing_and_unterminated_fences() {
        assert_eq!(split(""), Err(SplitError::Missing));
        assert_eq!(split("title = 1\n"), Err(SplitError::Missing));
        assert_eq!(split("---\ntitle: x\n---\n"), Err(SplitError::Missing));
        assert_eq!(split("++++\n"), Err(SplitError::Missing));
        assert_eq!(split("+++"), Err(SplitError::Unterminated(0..3)));
        assert_eq!(
            split("+++\ntitle = 1\n"),
            Err(SplitError::Unterminated(0..3))
        );
        assert_eq!(
            split("+++\ntitle = \"+++\"\n"),
            Err(SplitError::Unterminated(0..3))
        );
    }
}
