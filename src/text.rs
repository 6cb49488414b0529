//! Plain text as okra reads it for search: folded to lower case without
//! accents, split into terms (CJK text as character bigrams), with common
//! words left out. The loader keeps a body's [`BodyTerms`] when it reads
//! it; the search index is made from them.
//!
//! `assets/okra.js` must tokenise queries exactly as [`tokens`] does.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Characters of an excerpt kept for snippets.
const EXCERPT_CHARS: usize = 80;

/// Whether a character is written without spaces between words (Chinese,
/// Japanese, Korean), so that it is indexed by bigrams.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF | 0x1100..=0x11FF)
}

/// Letters that no accent removal turns into ASCII, as their ASCII
/// spellings: `Tromsø` is found by `tromso`, `Straße` by `strasse`.
/// In code-point order, for a binary search; `assets/okra.js` folds them
/// alike.
const SPELLED: &[(char, &str)] = &[
    ('ß', "ss"),
    ('æ', "ae"),
    ('ð', "d"),
    ('ø', "o"),
    ('þ', "th"),
    ('đ', "d"),
    ('ı', "i"),
    ('ł', "l"),
    ('œ', "oe"),
];

/// Lower case without accents: `Zürich` → `zurich`, `Førde` → `forde`,
/// `Straße` → `strasse`.
pub(crate) fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
    {
        match SPELLED.binary_search_by_key(&c, |&(letter, _)| letter) {
            Ok(i) => out.push_str(SPELLED[i].1),
            Err(_) => out.push(c),
        }
    }
    out
}

/// The search terms of a text: folded words and numbers (`1.5` stays one
/// term), and bigrams of CJK runs (a lone CJK character is its own term):
/// the reference the tests hold `assets/okra.js` to.
#[cfg(test)]
pub(crate) fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_term(&fold(text), |term| out.push(term.into_owned()));
    out
}

/// Calls `emit` with each term of an already folded text, in order,
/// borrowing from the text where it can.
pub(crate) fn each_term<'t>(folded: &'t str, emit: impl FnMut(Cow<'t, str>)) {
    if folded.is_ascii() {
        each_ascii_term(folded, emit);
    } else {
        each_unicode_term(folded, emit);
    }
}

/// [`each_term`] for ASCII text, byte by byte: the same terms, faster.
fn each_ascii_term<'t>(folded: &'t str, mut emit: impl FnMut(Cow<'t, str>)) {
    let bytes = folded.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        let mut has_comma = false;
        i += 1;
        while i < bytes.len() {
            let c = bytes[i];
            let joins_number = (c == b'.' || c == b',')
                && bytes[i - 1].is_ascii_digit()
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
            if !(c.is_ascii_alphanumeric() || joins_number) {
                break;
            }
            has_comma |= c == b',';
            i += 1;
        }
        let word = &folded[start..i];
        emit(if has_comma {
            Cow::Owned(word.replace(',', ""))
        } else {
            Cow::Borrowed(word)
        });
    }
}

/// [`each_term`] for any text.
fn each_unicode_term<'t>(folded: &'t str, mut emit: impl FnMut(Cow<'t, str>)) {
    let mut chars = folded.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if is_cjk(c) {
            let mut previous = start;
            let mut single = true;
            while let Some(&(i, next)) = chars.peek() {
                if !is_cjk(next) {
                    break;
                }
                emit(Cow::Borrowed(&folded[previous..i + next.len_utf8()]));
                previous = i;
                single = false;
                chars.next();
            }
            if single {
                emit(Cow::Borrowed(&folded[start..start + c.len_utf8()]));
            }
        } else if c.is_alphanumeric() {
            let mut end = start + c.len_utf8();
            let mut last = c;
            let mut has_comma = false;
            while let Some(&(i, next)) = chars.peek() {
                // `.` and `,` are one byte, so `i + 1` is a boundary.
                let joins_number = (next == '.' || next == ',')
                    && last.is_ascii_digit()
                    && folded[i + 1..].starts_with(|d: char| d.is_ascii_digit());
                if !(next.is_alphanumeric() && !is_cjk(next) || joins_number) {
                    break;
                }
                has_comma |= next == ',';
                end = i + next.len_utf8();
                last = next;
                chars.next();
            }
            let word = &folded[start..end];
            emit(if has_comma {
                Cow::Owned(word.replace(',', ""))
            } else {
                Cow::Borrowed(word)
            });
        }
    }
}

/// The start of a text, cut at a word, for a search result's snippet.
pub(crate) fn excerpt(text: &str) -> String {
    if text.chars().count() <= EXCERPT_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    let cut = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{cut}…")
}

/// What the search index needs of a document's body, taken from its plain
/// text when the body is read: its excerpt, and its terms (common words
/// left out), each once, in the order they first occur, separated by
/// spaces. A body counts in the lowest field, so where and how often a
/// term occurs in it does not matter, and this is a small part of the
/// text to keep until the index is written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BodyTerms {
    pub excerpt: Box<str>,
    pub terms: Box<str>,
}

impl BodyTerms {
    /// The terms and excerpt of a body's plain text.
    pub fn of(text: String) -> BodyTerms {
        let excerpt = excerpt(&text).into_boxed_str();
        let folded = if text.is_ascii() {
            let mut text = text;
            text.make_ascii_lowercase();
            text
        } else {
            fold(&text)
        };
        // Terms that are slices of the text, looked up once each; and the
        // rare ones that are not (`150,000` is `150000`).
        let mut seen: foldhash::HashSet<&str> =
            foldhash::HashSet::with_capacity_and_hasher(256, Default::default());
        let mut made: Vec<String> = Vec::new();
        let mut terms = String::new();
        let mut keep = |term: &str| {
            if !terms.is_empty() {
                terms.push(' ');
            }
            terms.push_str(term);
        };
        each_term(&folded, |term| {
            if is_stop_word(&term) {
                return;
            }
            match term {
                Cow::Borrowed(word) => {
                    if !made.iter().any(|m| m == word) && seen.insert(word) {
                        keep(word);
                    }
                }
                Cow::Owned(word) => {
                    if !made.contains(&word) && !seen.contains(word.as_str()) {
                        keep(&word);
                        made.push(word);
                    }
                }
            }
        });
        BodyTerms {
            excerpt,
            terms: terms.into_boxed_str(),
        }
    }
}

/// Words too common to index; queries skip them too.
pub(crate) const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
    "or", "our", "that", "the", "this", "to", "we", "with",
];

/// Whether a term is one of the [`STOP_WORDS`], all of them short.
pub(crate) fn is_stop_word(term: &str) -> bool {
    term.len() <= 4 && STOP_WORDS.binary_search(&term).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_case_and_accents() {
        assert_eq!(fold("Zürich ÉTÉ Ångström"), "zurich ete angstrom");
        // The cases tests/browser/search.mjs holds okra.js to.
        assert_eq!(
            fold("Øke Førde Blåbær Straße STRASSE Łódź Þórshöfn Œuvre"),
            "oke forde blabaer strasse strasse lodz thorshofn oeuvre"
        );
        assert!(SPELLED.windows(2).all(|w| w[0].0 < w[1].0), "sorted");
    }

    #[test]
    fn tokens_keep_numbers_and_split_cjk_into_bigrams() {
        assert_eq!(
            tokens("Decrease tickets from 1.5 to 0.5!"),
            ["decrease", "tickets", "from", "1.5", "to", "0.5"]
        );
        assert_eq!(tokens("$150,000 per month"), ["150000", "per", "month"]);
        assert_eq!(tokens("obj-2026q3-0001"), ["obj", "2026q3", "0001"]);
        assert_eq!(
            tokens("日本市場への参入"),
            ["日本", "本市", "市場", "場へ", "への", "の参", "参入"]
        );
        assert_eq!(tokens("Open 東 store"), ["open", "東", "store"]);
        assert_eq!(tokens("Zürich"), ["zurich"]);
    }

    #[test]
    fn ascii_text_is_split_as_any_text_is() {
        let pieces = [
            "a", "Z", "9", "0", ".", ",", " ", "-", "_", "1.5", "2,000", ",5", "5,", "x.y", "\n",
            "'", "$",
        ];
        for text in crate::random_texts(&pieces, 12, 7).take(5000) {
            let folded = fold(&text);
            let (mut fast, mut any) = (Vec::new(), Vec::new());
            each_ascii_term(&folded, |t| fast.push(t.into_owned()));
            each_unicode_term(&folded, |t| any.push(t.into_owned()));
            assert_eq!(fast, any, "{text:?}");
        }
    }
}
