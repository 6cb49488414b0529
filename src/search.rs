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

use crate::model::{Kpi, Objective, Site, Team, TeamIx};
pub(crate) use crate::text::{BodyTerms, fold};
use crate::text::{each_term, is_stop_word};

/// Where in a document a word occurs; higher ranks higher.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Field {
    Body = 0,
    Other = 1,
    KeyResult = 2,
    Title = 3,
}

/// Documents tokenised together before their terms are merged.
const CHUNK: usize = 256;

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
    /// How current it is, lower first among results that match alike:
    /// running objectives 0, undated documents and upcoming objectives 1,
    /// ended ones 2 and more, the longer ago the more.
    recency: u32,
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

pub(crate) use index::FOLDER;

/// Writes the search index of a (published) site into `sink`, as the files
/// of [`FOLDER`]. Documents are tokenised in parallel and merged in site
/// order, so the index is the same on every run.
pub(crate) fn write_index(site: &Site, sink: &dyn crate::write::Sink) -> anyhow::Result<()> {
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
                recency: 1,
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
            let text = crate::markdown::parse(body, path, None, true).text;
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
    let mut other = format!(
        "{} {} {} {} {}",
        team_name(site, o.owner),
        o.owner_id(),
        o.period_id(),
        o.id,
        o.priority.as_deref().unwrap_or("")
    );
    for tag in &o.tags {
        other.push(' ');
        other.push_str(tag);
    }
    let retrospective = o.retrospective.as_deref().unwrap_or("");
    let team = position(o.owner.map(|t| t.0));
    let period = position(o.period.map(|p| p.0));
    let recency = match (o.phase, o.period) {
        (crate::period::Phase::Running, _) => 0,
        (crate::period::Phase::Ended, Some(p)) => 2 + (site.periods.len() - p.0) as u32,
        _ => 1,
    };
    let mut entries = vec![Entry::with_body(
        Doc {
            kind: Kind::Objective,
            title: &o.title,
            id: &o.id,
            team,
            period,
            status: o.status.as_str(),
            recency,
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
        // The work planned under it is found with it.
        let initiatives: Vec<&str> = kr.initiatives.iter().map(|i| i.title.as_str()).collect();
        let initiatives = initiatives.join(" ");
        entries.push(Entry::new(
            Doc {
                kind: Kind::KeyResult,
                title: &kr.title,
                id: &kr.id,
                team,
                period,
                status: kr.status.as_str(),
                recency,
                excerpt: Cow::Borrowed(""),
            },
            &[
                (Field::KeyResult, &kr.title),
                (Field::Other, kr.owner.as_deref().unwrap_or("")),
                (Field::Other, &initiatives),
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
            recency: 1,
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
            recency: 1,
            excerpt,
        },
        &[(Field::Title, &t.name), (Field::Other, &other)],
        body,
    )
}

#[cfg(test)]
mod tests;
