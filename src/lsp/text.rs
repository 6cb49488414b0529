//! Positions in an editor's buffer, and what the cursor is on.
//!
//! LSP counts columns in UTF-16 code units; okra's spans are byte offsets
//! into the file's text as okra keeps it (LF line endings, no byte-order
//! mark). Lines are the same in both, and a CR only ever ends a line, so
//! converting on okra's text gives the editor's positions.
//!
//! What the cursor is on is read from the line it is in, not from the
//! parsed TOML, so that completion works in a file that does not parse.

use lsp_types::{Position, Range};

use crate::source::LineIndex;

/// The byte offset of an LSP position in `text`, clamped to the text.
pub(super) fn offset(text: &str, position: Position) -> usize {
    let lines = LineIndex::new(text);
    let Some(line_start) = lines.start_of(position.line as usize) else {
        return text.len();
    };
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |at| line_start + at);
    let mut units = 0;
    for (at, c) in text[line_start..line_end].char_indices() {
        if units >= position.character as usize {
            return line_start + at;
        }
        units += c.len_utf16();
    }
    line_end
}

/// The LSP position of a byte offset in `text`.
pub(super) fn position(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let (line, line_start) = LineIndex::new(text).line_of(offset);
    let character: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    Position::new(line as u32, character as u32)
}

/// The LSP range of a byte range in `text`.
pub(super) fn range(text: &str, bytes: std::ops::Range<usize>) -> Range {
    Range::new(position(text, bytes.start), position(text, bytes.end))
}

/// Where in a document the cursor is, as far as its line tells.
#[derive(Debug, PartialEq)]
pub(super) enum Spot {
    /// Inside a string value: the key it belongs to, the text before the
    /// cursor, and the byte range of the whole value between its quotes.
    Value {
        key: String,
        typed: String,
        value: std::ops::Range<usize>,
    },
    /// At the start of a line in the front matter, typing a key.
    Key { typed: String },
    /// On the key of a `key = value` line.
    KeyName { key: String },
    /// Anywhere else.
    Elsewhere,
}

/// The front matter's table that holds the cursor.
#[derive(Debug, PartialEq)]
pub(super) struct Place {
    pub spot: Spot,
    /// Whether the cursor is inside the front matter.
    pub in_front_matter: bool,
    /// The key result table the cursor is in, counted from 0, if any.
    pub key_result: Option<usize>,
    /// The name of the table the cursor is in (`key_results`,
    /// `key_results.checkins`, `healthy`…), empty at the top.
    pub table: String,
}

/// What the cursor at byte `at` of a document's `text` is on.
pub(super) fn place(text: &str, at: usize) -> Place {
    let at = at.min(text.len());
    let mut in_front_matter = false;
    let mut key_result = None;
    let mut key_results = 0;
    let mut table = String::new();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    for (n, line) in text[..line_start].lines().enumerate() {
        let trimmed = line.trim();
        if trimmed == "+++" {
            // The first fence opens the front matter, the second closes it.
            in_front_matter = n == 0 && !in_front_matter;
            if !in_front_matter {
                break;
            }
            continue;
        }
        if let Some(name) = trimmed.strip_prefix('[') {
            let name = name.trim_start_matches('[');
            let name = name.split(']').next().unwrap_or("").trim().to_string();
            if name == "key_results" && trimmed.starts_with("[[") {
                key_result = Some(key_results);
                key_results += 1;
            } else if !name.starts_with("key_results.") {
                key_result = None;
            }
            table = name;
        }
    }
    if !in_front_matter {
        return Place {
            spot: Spot::Elsewhere,
            in_front_matter: false,
            key_result: None,
            table: String::new(),
        };
    }
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    Place {
        spot: spot(text, line_start, at, line_end),
        in_front_matter,
        key_result,
        table,
    }
}

/// What the cursor is on within one line of front matter.
fn spot(text: &str, line_start: usize, at: usize, line_end: usize) -> Spot {
    let line = &text[line_start..line_end];
    let column = at - line_start;
    let Some(equals) = line.find('=') else {
        let typed = line[..column].trim_start();
        let is_key = typed.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        return if is_key && !line.trim_start().starts_with('[') {
            Spot::Key {
                typed: typed.to_string(),
            }
        } else {
            Spot::Elsewhere
        };
    };
    let key = line[..equals].trim().trim_matches('"').to_string();
    if column <= equals {
        let on_key = column <= line[..equals].trim_end().len();
        return if on_key && !key.is_empty() && !line.trim_start().starts_with('[') {
            Spot::KeyName { key }
        } else {
            Spot::Elsewhere
        };
    }
    // The string around the cursor: the last quote before it opens one
    // when an even number of quotes precede that quote.
    let before = &line[equals + 1..column];
    let quotes: Vec<usize> = before.match_indices('"').map(|(i, _)| i).collect();
    if quotes.len() % 2 == 0 {
        return Spot::Elsewhere;
    }
    let open = equals + 1 + quotes[quotes.len() - 1] + 1;
    let close = line[column..].find('"').map_or(line.len(), |i| column + i);
    Spot::Value {
        key,
        typed: line[open..column].to_string(),
        value: line_start + open..line_start + close,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "+++\ntitle = \"Grow\"\nowner = \"sup\"\ncontributors = [\"a\", \"sa\"]\n\n[[key_results]]\ntitle = \"Ünïcode 😀 x\"\nkpi = \"csat\"\n\n[[key_results]]\nown\n+++\nBody with owner = \"x\"\n";

    #[test]
    fn positions_count_utf16_units() {
        let at = DOC.find("x\"\nkpi").unwrap();
        let pos = position(DOC, at);
        // `title = "Ünïcode 😀 ` is 20 units: the emoji is two.
        assert_eq!(pos, Position::new(6, 20));
        assert_eq!(offset(DOC, pos), at);
        assert_eq!(offset(DOC, Position::new(99, 0)), DOC.len());
        assert_eq!(
            offset(DOC, Position::new(1, 999)),
            DOC.find("\nowner").unwrap()
        );
    }

    #[test]
    fn the_cursor_in_a_value_names_its_key_and_table() {
        let at = DOC.find("sup\"").unwrap() + 2;
        let place = place(DOC, at);
        assert_eq!(
            place.spot,
            Spot::Value {
                key: "owner".into(),
                typed: "su".into(),
                value: at - 2..at + 1
            }
        );
        assert_eq!(place.key_result, None);
        let at = DOC.find("csat").unwrap();
        let place = super::place(DOC, at);
        assert_eq!(place.key_result, Some(0));
        assert!(matches!(place.spot, Spot::Value { ref key, .. } if key == "kpi"));
        let at = DOC.find("\"sa\"").unwrap() + 2;
        assert!(
            matches!(super::place(DOC, at).spot, Spot::Value { ref key, ref typed, .. } if key == "contributors" && typed == "s")
        );
    }

    #[test]
    fn a_key_being_typed_and_the_body_are_told_apart() {
        let at = DOC.find("own\n+++").unwrap() + 3;
        let place = place(DOC, at);
        assert_eq!(
            place.spot,
            Spot::Key {
                typed: "own".into()
            }
        );
        assert_eq!(place.key_result, Some(1));
        let at = DOC.find("= \"x\"").unwrap() + 3;
        assert_eq!(super::place(DOC, at).spot, Spot::Elsewhere);
        assert!(!super::place(DOC, at).in_front_matter);
    }
}
