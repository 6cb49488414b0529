//! The files of the search index, in `assets/search/`, each a script that
//! hands its part to `okraIndex(name, data)` in `assets/okra.js`:
//!
//! - `index.js`: the tables (teams, periods, statuses), the number of
//!   documents, and the first term of each term shard;
//! - `terms-N.js`: a run of the sorted terms with their posting lists,
//!   about [`TERM_SHARD_BYTES`] each, so that a query loads only the
//!   shards its words fall in;
//! - `docs-N.js`: [`DOCS_PER_SHARD`] documents each, loaded for the
//!   results shown;
//! - `facets.js`: every document's kind, team, period and status, loaded
//!   only when the search page filters.
//!
//! Documents are numbered in the order the browser ranks equal scores:
//! shorter titles first, then by kind, then by title. A result's number is
//! then all it takes to rank it, and no document needs loading for that.

use std::cmp::Ordering;
use std::io::Write;

use rayon::prelude::*;
use serde::Serialize;

use super::{Doc, Entry, Kind};
use crate::write::Sink;

/// Documents in each `docs-N.js`.
pub(super) const DOCS_PER_SHARD: usize = 128;

/// About how large each `terms-N.js` grows before the next begins.
pub(super) const TERM_SHARD_BYTES: usize = 64 * 1024;

/// The folder of the index's files in the output.
pub(crate) const FOLDER: &str = "assets/search/";

/// How a document is written in a `docs-N.js`: `[kind, title, id, team,
/// period, status, excerpt]`, where team, period and status index the
/// tables of `index.js` (-1 for none); a key result is the shorter
/// `[title, id, objective, status]`, where `objective` is the number of
/// its objective's document, whose team and period it shares, and `id` is
/// a number `n` for the default id `krN`.
#[derive(Serialize)]
#[serde(untagged)]
enum DocOut<'a> {
    KeyResult(&'a str, KeyResultId<'a>, u32, i64),
    Other(u8, &'a str, &'a str, i64, i64, i64, &'a str),
}

#[derive(Serialize)]
#[serde(untagged)]
enum KeyResultId<'a> {
    Number(u32),
    Text(&'a str),
}

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    teams: &'a [(&'a str, &'a str)],
    periods: &'a [&'a str],
    statuses: &'a [&'static str],
    docs: usize,
    #[serde(rename = "docsPerShard")]
    docs_per_shard: usize,
    /// The first term of each `terms-N.js`.
    shards: Vec<&'a str>,
}

#[derive(Serialize)]
struct TermShard<'a> {
    terms: Vec<&'a str>,
    postings: Vec<&'a str>,
}

/// Collects documents and their terms, in site order, then writes them
/// ranked.
#[derive(Default)]
pub(super) struct Builder<'a> {
    docs: Vec<Doc<'a>>,
    /// Each document's status, as an index into `statuses`.
    doc_statuses: Vec<i64>,
    /// For a key result, its objective's document.
    objectives: Vec<u32>,
    /// term → `doc*4+field` for each document it occurs in, documents in
    /// site order.
    postings: foldhash::HashMap<String, Vec<u32>>,
    statuses: Vec<&'static str>,
}

impl<'a> Builder<'a> {
    fn status(&mut self, status: &'static str) -> i64 {
        if status.is_empty() {
            return -1;
        }
        match self.statuses.iter().position(|s| *s == status) {
            Some(i) => i as i64,
            None => {
                self.statuses.push(status);
                self.statuses.len() as i64 - 1
            }
        }
    }

    /// Adds a document; `objective` is the document a key result belongs to.
    pub(super) fn add(&mut self, entry: Entry<'a>, objective: u32) -> u32 {
        let id = self.docs.len() as u32;
        let postings = &mut self.postings;
        entry.each(|term, field| {
            let posting = id * 4 + field as u32;
            match postings.get_mut(term) {
                // Seen before in this document: keep the best field.
                Some(list) => match list.last_mut() {
                    Some(last) if *last / 4 == id => *last = (*last).max(posting),
                    _ => list.push(posting),
                },
                None => {
                    postings.insert(term.to_string(), vec![posting]);
                }
            }
        });
        let status = self.status(entry.doc.status);
        self.doc_statuses.push(status);
        self.objectives.push(objective);
        self.docs.push(entry.doc);
        id
    }

    /// Adds the documents of `items`, tokenised in parallel a chunk at a
    /// time so that only one chunk's terms are held at once. The first
    /// entry of a group is the objective its key results belong to.
    pub(super) fn add_in_chunks<T: Sync>(
        &mut self,
        items: &'a [T],
        entries: impl Fn(&'a T) -> Vec<Entry<'a>> + Sync,
    ) {
        for chunk in items.chunks(super::CHUNK) {
            let groups: Vec<Vec<Entry<'a>>> = chunk.par_iter().map(&entries).collect();
            for group in groups {
                let mut objective = 0;
                for (i, entry) in group.into_iter().enumerate() {
                    let id = self.add(entry, objective);
                    if i == 0 {
                        objective = id;
                    }
                }
            }
        }
    }

    /// The documents in rank order, and each document's place in it.
    fn ranking(&self) -> (Vec<u32>, Vec<u32>) {
        // Each title's length in UTF-16 code units, and whether its bytes
        // sort as its code units do.
        let keys: Vec<(usize, bool)> = self
            .docs
            .par_iter()
            .map(|d| (d.title.encode_utf16().count(), sorts_as_utf16(d.title)))
            .collect();
        let mut order: Vec<u32> = (0..self.docs.len() as u32).collect();
        // The current period first, then shorter titles. Stable, so that
        // documents alike in all of it stay in site order.
        order.par_sort_by(|&a, &b| {
            let (x, y) = (&self.docs[a as usize], &self.docs[b as usize]);
            let ((x_length, x_plain), (y_length, y_plain)) = (keys[a as usize], keys[b as usize]);
            x.recency
                .cmp(&y.recency)
                .then(x_length.cmp(&y_length))
                .then((x.kind as u8).cmp(&(y.kind as u8)))
                .then_with(|| utf16_order_of(x.title, y.title, x_plain && y_plain))
        });
        let mut rank = vec![0; order.len()];
        for (r, &doc) in order.iter().enumerate() {
            rank[doc as usize] = r as u32;
        }
        (order, rank)
    }

    /// Writes the index's files into `sink`.
    pub(super) fn write(
        mut self,
        sink: &dyn Sink,
        teams: &[(&str, &str)],
        periods: &[&str],
    ) -> anyhow::Result<()> {
        let (order, rank) = self.ranking();
        let terms = self.encoded_terms(&rank);
        let shards = term_shards(&terms);
        let firsts = shards.iter().map(|s| terms[s.start].0.as_str()).collect();
        shards.par_iter().enumerate().try_for_each(|(n, range)| {
            let (terms, postings) = terms[range.clone()]
                .iter()
                .map(|(term, list)| (term.as_str(), list.as_str()))
                .unzip();
            script(sink, &format!("terms-{n}"), &TermShard { terms, postings })
        })?;
        order
            .par_chunks(DOCS_PER_SHARD)
            .enumerate()
            .try_for_each(|(n, docs)| {
                let docs: Vec<DocOut> = docs.iter().map(|&d| self.doc_out(d, &rank)).collect();
                script(sink, &format!("docs-{n}"), &docs)
            })?;
        script(sink, "facets", &self.facets(&order))?;
        let meta = Meta {
            version: 1,
            teams,
            periods,
            statuses: &self.statuses,
            docs: self.docs.len(),
            docs_per_shard: DOCS_PER_SHARD,
            shards: firsts,
        };
        script(sink, "index", &meta)
    }

    /// Every term with its posting list, in the browser's string order:
    /// `rank*4+field` values, ranks rising and delta-encoded, each value
    /// written by [`encode_number`]. The lists are consumed as they are
    /// encoded, so that the index is not held twice.
    fn encoded_terms(&mut self, rank: &[u32]) -> Vec<(String, String)> {
        let mut terms: Vec<(String, String)> = std::mem::take(&mut self.postings)
            .into_par_iter()
            .map(|(term, list)| {
                let mut ranked: Vec<u32> = list
                    .iter()
                    .map(|p| rank[(p / 4) as usize] * 4 + p % 4)
                    .collect();
                ranked.sort_unstable();
                let mut encoded = String::with_capacity(ranked.len() * 2);
                let mut last = 0;
                for p in ranked {
                    encode_number(p - last * 4, &mut encoded);
                    last = p / 4;
                }
                (term, encoded)
            })
            .collect();
        terms.par_sort_unstable_by(|a, b| utf16_order(&a.0, &b.0));
        terms
    }

    fn doc_out<'s>(&'s self, d: u32, rank: &[u32]) -> DocOut<'s> {
        let i = d as usize;
        let doc = &self.docs[i];
        match doc.kind {
            Kind::KeyResult => {
                let id = match doc
                    .id
                    .strip_prefix("kr")
                    .and_then(|n| n.parse::<u32>().ok())
                {
                    Some(n) if format!("kr{n}") == doc.id => KeyResultId::Number(n),
                    _ => KeyResultId::Text(doc.id),
                };
                let objective = rank[self.objectives[i] as usize];
                DocOut::KeyResult(doc.title, id, objective, self.doc_statuses[i])
            }
            _ => DocOut::Other(
                doc.kind as u8,
                doc.title,
                doc.id,
                doc.team,
                doc.period,
                self.doc_statuses[i],
                &doc.excerpt,
            ),
        }
    }

    /// Each document's kind, team, period and status, in rank order, as
    /// four numbers written by [`encode_number`]; team, period and status
    /// are one more than their place in the tables, 0 for none.
    fn facets(&self, order: &[u32]) -> String {
        let mut out = String::with_capacity(order.len() * 5);
        for &d in order {
            let doc = &self.docs[d as usize];
            encode_number(doc.kind as u32, &mut out);
            for value in [doc.team, doc.period, self.doc_statuses[d as usize]] {
                encode_number((value + 1) as u32, &mut out);
            }
        }
        out
    }
}

/// Strings compared as the browser compares them, by UTF-16 code units.
pub(super) fn utf16_order(a: &str, b: &str) -> Ordering {
    utf16_order_of(a, b, sorts_as_utf16(a) && sorts_as_utf16(b))
}

/// [`utf16_order`], told whether both strings [sort as UTF-16](sorts_as_utf16).
fn utf16_order_of(a: &str, b: &str, both_sort_as_utf16: bool) -> Ordering {
    if both_sort_as_utf16 {
        a.cmp(b)
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

/// Whether a string's bytes sort as its UTF-16 code units do, against any
/// other such string: they do unless it has a character beyond U+FFFF
/// (whose UTF-8 starts with a byte from 0xF0 on), since up to there both
/// follow the code points.
fn sorts_as_utf16(text: &str) -> bool {
    text.bytes().all(|b| b < 0xF0)
}

/// Cuts the sorted terms into runs of about [`TERM_SHARD_BYTES`].
fn term_shards(terms: &[(String, String)]) -> Vec<std::ops::Range<usize>> {
    let mut shards = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (i, (term, postings)) in terms.iter().enumerate() {
        if bytes >= TERM_SHARD_BYTES {
            shards.push(start..i);
            start = i;
            bytes = 0;
        }
        bytes += term.len() + postings.len() + 6;
    }
    if start < terms.len() || shards.is_empty() {
        shards.push(start..terms.len());
    }
    shards
}

/// Writes `okraIndex("NAME",DATA);` as `assets/search/NAME.js`.
fn script<T: Serialize + ?Sized>(sink: &dyn Sink, name: &str, data: &T) -> anyhow::Result<()> {
    let mut out = Vec::new();
    write!(out, "okraIndex(\"{name}\",")?;
    let mut json = serde_json::Serializer::with_formatter(&mut out, InertStrings);
    data.serialize(&mut json)?;
    out.extend_from_slice(b");\n");
    sink.file(&format!("{FOLDER}{name}.js"), &out)
}

/// Compact JSON whose strings never hold `</`, so that the script stays
/// inert inside any HTML it might be pasted into. (A string is written in
/// fragments split only at escaped characters, which `<` and `/` are not,
/// so a `</` never straddles two fragments.)
struct InertStrings;

impl serde_json::ser::Formatter for InertStrings {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some(at) = rest.find("</") {
            writer.write_all(&rest.as_bytes()[..=at])?;
            writer.write_all(b"\\/")?;
            rest = &rest[at + 2..];
        }
        writer.write_all(rest.as_bytes())
    }
}

/// Digits that end a number, and digits that another digit follows.
const LAST_DIGITS: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
const MORE_DIGITS: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%&*";

/// Appends `n` in base 32, most significant digit first, its last digit
/// from [`LAST_DIGITS`] and the others from [`MORE_DIGITS`], so numbers need
/// no separator.
pub(super) fn encode_number(mut n: u32, out: &mut String) {
    let mut digits = [0u8; 8];
    let mut len = 1;
    digits[0] = LAST_DIGITS[(n % 32) as usize];
    n /= 32;
    while n > 0 {
        digits[len] = MORE_DIGITS[(n % 32) as usize];
        len += 1;
        n /= 32;
    }
    out.extend(digits[..len].iter().rev().map(|&d| d as char));
}
