//! The links of a document's Markdown body, placed in its file (what they
//! point at is [`crate::markdown::links`]).

use std::ops::Range;

use super::fields::Sp;
use crate::source::{FileId, Span};

/// Every link and image target in a parsed body, placed in its file.
pub fn placed_links(
    file: FileId,
    body_offset: usize,
    links: Vec<(String, Range<usize>)>,
) -> Vec<Sp<String>> {
    links
        .into_iter()
        .map(|(dest, range)| {
            Sp::new(
                dest,
                Span::new(file, body_offset + range.start..body_offset + range.end),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_parse_finds_links_and_plain_text() {
        let body = "## Why\n\nSee [CSAT](x.md) and *this*: ![chart](../static/c.png).";
        let mut sources = crate::source::Sources::default();
        let file = sources.add("pages/a.md", String::new());
        let parsed = crate::markdown::parse(body, "pages/a.md", None, true);
        assert_eq!(parsed.text, "Why See CSAT and this: chart.");
        assert!(parsed.html.is_none(), "HTML only when asked for");
        let links = placed_links(file, 100, parsed.links);
        let found: Vec<(&str, usize)> = links
            .iter()
            .map(|l| (l.value.as_str(), l.span.start() - 100))
            .collect();
        assert_eq!(
            found,
            [
                ("x.md", body.find("x.md").unwrap()),
                ("../static/c.png", body.find("../static").unwrap())
            ]
        );
    }
}
