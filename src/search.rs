//! Stage 6, search: the index the site's search box reads.
//!
//! Every objective, key result, KPI, team and free page becomes a document
//! with a title, a kind, an owner, a period, a status and a short excerpt.
//! Their words — folded to lower case without accents, CJK text as character
//! bigrams — go into an inverted index whose postings say in which field a
//! word occurs (title, key result, other, body), so the browser can rank.
//! The index is written in shards under `assets/search/` (see [`index`]),
//! scripts that the page loads as a query needs them, which works offline
//! and from `file://`.
//!
//! `assets/okra.js` must tokenise queries exactly as [`tokens`] does.

mod index;

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::model::{Kpi, Objective, Site, Team, TeamIx};

/// Where in a document a word occurs; higher ranks higher.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Body = 0,
    Other = 1,
    KeyResult = 2,
    Title = 3,
}

/// Documents tokenised together before their terms are merged.
const CHUNK: usize = 256;

/// Characters of an excerpt kept for snippets.
const EXCERPT_CHARS: usize = 80;

/// Whether a character is written without spaces between words (Chinese,
/// Japanese, Korean), so that it is indexed by bigrams.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF | 0x1100..=0x11FF)
}

/// Lower case without accents: `Zürich` → `zurich`.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The search terms of a text: folded words and numbers (`1.5` stays one
/// term), and bigrams of CJK runs (a lone CJK character is its own term).
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_term(&fold(text), |term| out.push(term.into_owned()));
    out
}

/// Calls `emit` with each term of an already folded text, in order,
/// borrowing from the text where it can.
fn each_term<'t>(folded: &'t str, emit: impl FnMut(Cow<'t, str>)) {
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

fn excerpt(text: &str) -> String {
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
    excerpt: Box<str>,
    terms: Box<str>,
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
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
    "or", "our", "that", "the", "this", "to", "we", "with",
];

/// Whether a term is one of the [`STOP_WORDS`], all of them short.
fn is_stop_word(term: &str) -> bool {
    term.len() <= 4 && STOP_WORDS.binary_search(&term).is_ok()
}

/// The kinds of document, in the order the browser ranks ties.
#[derive(Clone, Copy)]
enum Kind {
    Objective = 0,
    KeyResult = 1,
    Kpi = 2,
    Team = 3,
    Page = 4,
}

/// One searchable thing, as the index writes it (see `index::DocOut`):
/// team and period are places in the site's tables (-1 for none).
struct Doc<'a> {
    kind: Kind,
    title: &'a str,
    id: &'a str,
    team: i64,
    period: i64,
    status: &'static str,
    /// The excerpt; empty for a key result, which points at its objective.
    excerpt: Cow<'a, str>,
}

/// A document with its terms: its fields' folded texts, and where in them
/// each term occurs (common words left out), every occurrence. The index
/// keeps each term once per document, with the best field.
struct Entry<'a> {
    doc: Doc<'a>,
    texts: Vec<(Field, String)>,
    /// `(text, start, end)`: a term as a range of one of `texts`.
    terms: Vec<(u32, u32, u32)>,
    /// Terms that are not a range of their text (`150,000` is `150000`).
    owned: Vec<(String, Field)>,
    /// The body's terms, as [`BodyTerms`] keeps them.
    body: Cow<'a, str>,
}

impl<'a> Entry<'a> {
    fn new(doc: Doc<'a>, fields: &[(Field, &str)]) -> Entry<'a> {
        Entry::with_body(doc, fields, Cow::Borrowed(""))
    }

    /// An entry with its body's terms, separated by spaces.
    fn with_body(doc: Doc<'a>, fields: &[(Field, &str)], body: Cow<'a, str>) -> Entry<'a> {
        let texts: Vec<(Field, String)> = fields.iter().map(|&(f, t)| (f, fold(t))).collect();
        let mut terms = Vec::new();
        let mut owned = Vec::new();
        for (n, (field, text)) in texts.iter().enumerate() {
            let base = text.as_ptr() as usize;
            each_term(text, |term| {
                if is_stop_word(&term) {
                    return;
                }
                match term {
                    // A borrowed term is a slice of `text`: its place is
                    // its distance from the text's start.
                    Cow::Borrowed(word) => {
                        let start = word.as_ptr() as usize - base;
                        terms.push((n as u32, start as u32, (start + word.len()) as u32));
                    }
                    Cow::Owned(word) => owned.push((word, *field)),
                }
            });
        }
        Entry {
            doc,
            texts,
            terms,
            owned,
            body,
        }
    }

    /// Each term occurrence with its field.
    fn each(&self, mut visit: impl FnMut(&str, Field)) {
        for &(n, start, end) in &self.terms {
            let (field, text) = &self.texts[n as usize];
            visit(&text[start as usize..end as usize], *field);
        }
        for (term, field) in &self.owned {
            visit(term, *field);
        }
        for term in self.body.split(' ').filter(|t| !t.is_empty()) {
            visit(term, Field::Body);
        }
    }
}

pub use index::{DOCS_PER_SHARD, FOLDER, TERM_SHARD_BYTES};

/// Writes the search index of a (published) site into `sink`, as the files
/// of [`FOLDER`]. Documents are tokenised in parallel and merged in site
/// order, so the index is the same on every run.
pub fn write_index(site: &Site, sink: &dyn crate::render::Sink) -> anyhow::Result<()> {
    let mut builder = index::Builder::default();
    builder.add_in_chunks(&site.objectives, |o| objective_entries(site, o));
    builder.add_in_chunks(&site.kpis, |k| vec![kpi_entry(site, k)]);
    builder.add_in_chunks(&site.teams, |t| vec![team_entry(site, t)]);
    builder.add_in_chunks(&site.pages, |p| {
        let (excerpt, body) = body_terms(&p.doc.head, &p.path);
        vec![Entry::with_body(
            Doc {
                kind: Kind::Page,
                title: &p.title,
                id: &p.id,
                team: -1,
                period: -1,
                status: "",
                excerpt,
            },
            &[(Field::Title, &p.title), (Field::Other, &p.id)],
            body,
        )]
    });
    let team_table: Vec<(&str, &str)> = site
        .teams
        .iter()
        .map(|t| (t.id.as_str(), t.name.as_str()))
        .collect();
    let periods: Vec<&str> = site.periods.iter().map(|p| p.id.as_str()).collect();
    builder.write(sink, &team_table, &periods)
}

/// A document body's excerpt and terms: as kept from its reading, or made
/// now.
fn body_terms<'s>(head: &'s crate::load::DocHead, path: &str) -> (Cow<'s, str>, Cow<'s, str>) {
    match &head.terms {
        Some(kept) => (Cow::Borrowed(&kept.excerpt), Cow::Borrowed(&kept.terms)),
        None => {
            // Only a body whose terms were kept may have let go its text.
            let body = head.body.text().unwrap_or_default();
            let text = crate::load::markdown::parse(body, path, None, true).text;
            let made = BodyTerms::of(text);
            (
                Cow::Owned(made.excerpt.into()),
                Cow::Owned(made.terms.into()),
            )
        }
    }
}

/// A position in the team or period table of the index; -1 for none.
fn position(index: Option<usize>) -> i64 {
    index.map_or(-1, |i| i as i64)
}

fn team_name(site: &Site, team: Option<TeamIx>) -> &str {
    team.map_or("", |t| site.teams[t].name.as_str())
}

/// An objective, then each of its key results.
fn objective_entries<'s>(site: &'s Site, o: &'s Objective) -> Vec<Entry<'s>> {
    let (excerpt, body) = body_terms(&o.doc.head, &o.path);
    let other = format!(
        "{} {} {} {} {}",
        team_name(site, o.owner),
        o.owner_id(),
        o.period_id(),
        o.id,
        o.priority.as_deref().unwrap_or("")
    );
    let retrospective = o.retrospective.as_deref().unwrap_or("");
    let team = position(o.owner.map(|t| t.0));
    let period = position(o.period.map(|p| p.0));
    let mut entries = vec![Entry::with_body(
        Doc {
            kind: Kind::Objective,
            title: &o.title,
            id: &o.id,
            team,
            period,
            status: o.status.as_str(),
            excerpt,
        },
        &[
            (Field::Title, &o.title),
            (Field::Other, &other),
            (Field::Body, retrospective),
        ],
        body,
    )];
    for kr in &o.key_results {
        entries.push(Entry::new(
            Doc {
                kind: Kind::KeyResult,
                title: &kr.title,
                id: &kr.id,
                team,
                period,
                status: kr.status.as_str(),
                excerpt: Cow::Borrowed(""),
            },
            &[
                (Field::KeyResult, &kr.title),
                (Field::Other, kr.owner.as_deref().unwrap_or("")),
            ],
        ));
    }
    entries
}

fn kpi_entry<'s>(site: &'s Site, k: &'s Kpi) -> Entry<'s> {
    let (excerpt, body) = body_terms(&k.doc.head, &k.path);
    let other = format!(
        "{} {} {} {}",
        team_name(site, k.owner),
        k.owner_id(),
        k.id,
        k.unit.as_deref().unwrap_or("")
    );
    Entry::with_body(
        Doc {
            kind: Kind::Kpi,
            title: &k.name,
            id: &k.id,
            team: position(k.owner.map(|t| t.0)),
            period: -1,
            status: k.status.as_str(),
            excerpt,
        },
        &[(Field::Title, &k.name), (Field::Other, &other)],
        body,
    )
}

fn team_entry<'s>(site: &'s Site, t: &'s Team) -> Entry<'s> {
    let (excerpt, body) = body_terms(&t.doc.head, &t.path);
    let other = format!(
        "{} {} {} {}",
        t.id,
        t.lead.as_deref().unwrap_or(""),
        t.members.join(" "),
        t.kind.as_str()
    );
    Entry::with_body(
        Doc {
            kind: Kind::Team,
            title: &t.name,
            id: &t.id,
            team: position(site.index.teams.get(&t.id).map(|t| t.0)),
            period: -1,
            status: "",
            excerpt,
        },
        &[(Field::Title, &t.name), (Field::Other, &other)],
        body,
    )
}

#[cfg(test)]
mod tests;
