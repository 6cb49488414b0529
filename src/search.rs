//! Stage 6, search: the index the site's search box reads.
//!
//! Every objective, key result, KPI, team and free page becomes a document
//! with a title, a kind, an owner, a period, a status and a short excerpt.
//! Their words — folded to lower case without accents, CJK text as character
//! bigrams — go into an inverted index whose postings say in which field a
//! word occurs (title, key result, other, body), so the browser can rank.
//! The index is written as `assets/search-index.js`, a script that the page
//! loads on first use, which works offline and from `file://`.
//!
//! `assets/okra.js` must tokenise queries exactly as [`tokens`] does.

use std::collections::BTreeMap;

use pulldown_cmark::{Event, Parser, TagEnd};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::model::{KpiStatus, Site};

/// Where in a document a word occurs; higher ranks higher.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Body = 0,
    Other = 1,
    KeyResult = 2,
    Title = 3,
}

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
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The search terms of a text: folded words and numbers (`1.5` stays one
/// term), and bigrams of CJK runs (a lone CJK character is its own term).
pub fn tokens(text: &str) -> Vec<String> {
    let folded = fold(text);
    let chars: Vec<char> = folded.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_cjk(c) {
            let start = i;
            while i < chars.len() && is_cjk(chars[i]) {
                i += 1;
            }
            let run = &chars[start..i];
            if run.len() == 1 {
                out.push(run[0].to_string());
            }
            for pair in run.windows(2) {
                out.push(pair.iter().collect());
            }
        } else if c.is_alphanumeric() {
            let mut word = String::new();
            while i < chars.len() {
                let c = chars[i];
                let joins_number = (c == '.' || c == ',')
                    && word.chars().last().is_some_and(|p| p.is_ascii_digit())
                    && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
                if (c.is_alphanumeric() && !is_cjk(c)) || joins_number {
                    if c != ',' {
                        word.push(c);
                    }
                    i += 1;
                } else {
                    break;
                }
            }
            out.push(word);
        } else {
            i += 1;
        }
    }
    out
}

/// The plain text of a Markdown body.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(text) | Event::Code(text) => out.push_str(&text),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock,
            ) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn excerpt(text: &str) -> String {
    if text.chars().count() <= EXCERPT_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    let cut = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{cut}…")
}

/// Words too common to index; queries skip them too.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
    "or", "our", "that", "the", "this", "to", "we", "with",
];

/// The kinds of document, in the order the browser ranks ties.
#[derive(Clone, Copy)]
enum Kind {
    Objective = 0,
    KeyResult = 1,
    Kpi = 2,
    Team = 3,
    Page = 4,
}

/// One searchable thing. In the script it is an array
/// `[kind, title, id, team, period, status, excerpt]`, where team, period
/// and status index the tables beside the documents (-1 for none); a key
/// result is the shorter `[title, id, objective, status]`, where
/// `objective` is the index of its objective's document, whose team and
/// period it shares, and `id` is a number `n` for the default id `krN`.
struct Doc {
    kind: Kind,
    title: String,
    id: String,
    team: i64,
    period: i64,
    status: i64,
    /// The excerpt, or for a key result its objective's document.
    extra: serde_json::Value,
}

#[derive(Default)]
struct Builder {
    docs: Vec<Doc>,
    /// term → doc → best field.
    postings: BTreeMap<String, BTreeMap<u32, Field>>,
    statuses: Vec<&'static str>,
}

impl Builder {
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

    fn add(&mut self, doc: Doc, fields: &[(Field, &str)]) -> usize {
        let id = self.docs.len() as u32;
        for (field, text) in fields {
            for term in tokens(text) {
                if STOP_WORDS.contains(&term.as_str()) {
                    continue;
                }
                let best = self
                    .postings
                    .entry(term)
                    .or_default()
                    .entry(id)
                    .or_insert(*field);
                *best = (*best).max(*field);
            }
        }
        self.docs.push(doc);
        self.docs.len() - 1
    }

    /// `window.OKRA_SEARCH = {teams, periods, statuses, docs, terms,
    /// postings}`: terms sorted for prefix search; each posting list is a
    /// run of `doc*4+field` values, the doc delta-encoded, each value written
    /// by [`encode_number`].
    fn script(&self, teams: &[(String, String)], periods: &[String]) -> String {
        let mut terms = Vec::with_capacity(self.postings.len());
        let mut postings = Vec::with_capacity(self.postings.len());
        for (term, docs) in &self.postings {
            terms.push(term.as_str());
            let mut encoded = String::new();
            let mut previous = 0u32;
            for (&doc, &field) in docs {
                encode_number((doc - previous) * 4 + field as u32, &mut encoded);
                previous = doc;
            }
            postings.push(encoded);
        }
        let docs: Vec<serde_json::Value> = self
            .docs
            .iter()
            .map(|d| match d.kind {
                Kind::KeyResult => {
                    let id = match d.id.strip_prefix("kr").and_then(|n| n.parse::<u32>().ok()) {
                        Some(n) if format!("kr{n}") == d.id => serde_json::json!(n),
                        _ => serde_json::json!(d.id),
                    };
                    serde_json::json!([d.title, id, d.extra, d.status])
                }
                _ => serde_json::json!([
                    d.kind as u8,
                    d.title,
                    d.id,
                    d.team,
                    d.period,
                    d.status,
                    d.extra
                ]),
            })
            .collect();
        let data = serde_json::json!({
            "teams": teams,
            "periods": periods,
            "statuses": self.statuses,
            "docs": docs,
            "terms": terms,
            "postings": postings,
        });
        let mut out = String::from("window.OKRA_SEARCH=");
        out.push_str(&serde_json::to_string(&data).expect("the index serialises"));
        out.push_str(";\n");
        // Keep the script inert inside any HTML context it might be pasted in.
        out.replace("</", "<\\/")
    }
}

/// Digits that end a number, and digits that another digit follows.
const LAST_DIGITS: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
const MORE_DIGITS: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%&*";

/// Appends `n` in base 32, most significant digit first, its last digit
/// from [`LAST_DIGITS`] and the others from [`MORE_DIGITS`], so numbers need
/// no separator.
fn encode_number(mut n: u32, out: &mut String) {
    let mut digits = vec![LAST_DIGITS[(n % 32) as usize]];
    n /= 32;
    while n > 0 {
        digits.push(MORE_DIGITS[(n % 32) as usize]);
        n /= 32;
    }
    out.extend(digits.iter().rev().map(|&d| d as char));
}

fn kpi_status(status: KpiStatus) -> &'static str {
    match status {
        KpiStatus::Healthy => "healthy",
        KpiStatus::Unhealthy => "unhealthy",
        KpiStatus::Monitored => "monitored",
        KpiStatus::Stale => "stale",
        KpiStatus::NoData => "no-data",
    }
}

/// The search index of a (published) site, as a script.
pub fn index_script(site: &Site) -> String {
    let mut builder = Builder::default();
    let teams: Vec<(String, String)> = site
        .teams
        .iter()
        .map(|t| (t.id.clone(), t.name.clone()))
        .collect();
    let periods: Vec<String> = site.periods.iter().map(|p| p.id.clone()).collect();
    let team_index = |id: &str| site.index.teams.get(id).map_or(-1, |&i| i as i64);
    fn team_name<'a>(site: &'a Site, id: &'a str) -> &'a str {
        site.index
            .teams
            .get(id)
            .map_or(id, |&i| site.teams[i].name.as_str())
    }
    let period_index = |id: &str| site.index.periods.get(id).map_or(-1, |&i| i as i64);
    for o in &site.objectives {
        let body = plain_text(&o.body);
        let other = format!(
            "{} {} {} {}",
            team_name(site, &o.owner),
            o.owner,
            o.period,
            o.id
        );
        let status = builder.status(o.status.as_str());
        let objective = builder.add(
            Doc {
                kind: Kind::Objective,
                title: o.title.clone(),
                id: o.id.clone(),
                team: team_index(&o.owner),
                period: period_index(&o.period),
                status,
                extra: excerpt(&body).into(),
            },
            &[
                (Field::Title, &o.title),
                (Field::Other, &other),
                (Field::Body, &body),
            ],
        );
        for kr in &o.key_results {
            let status = builder.status(kr.status.as_str());
            let other = kr.owner.as_deref().unwrap_or("");
            builder.add(
                Doc {
                    kind: Kind::KeyResult,
                    title: kr.title.clone(),
                    id: kr.id.clone(),
                    team: team_index(&o.owner),
                    period: period_index(&o.period),
                    status,
                    extra: objective.into(),
                },
                &[(Field::KeyResult, &kr.title), (Field::Other, other)],
            );
        }
    }
    for k in &site.kpis {
        let body = plain_text(&k.body);
        let other = format!(
            "{} {} {} {}",
            team_name(site, &k.owner),
            k.owner,
            k.id,
            k.unit.as_deref().unwrap_or("")
        );
        let status = builder.status(kpi_status(k.status));
        builder.add(
            Doc {
                kind: Kind::Kpi,
                title: k.name.clone(),
                id: k.id.clone(),
                team: team_index(&k.owner),
                period: -1,
                status,
                extra: excerpt(&body).into(),
            },
            &[
                (Field::Title, &k.name),
                (Field::Other, &other),
                (Field::Body, &body),
            ],
        );
    }
    for t in &site.teams {
        let body = plain_text(&t.body);
        let other = format!(
            "{} {} {} {}",
            t.id,
            t.lead.as_deref().unwrap_or(""),
            t.members.join(" "),
            t.kind.as_str()
        );
        builder.add(
            Doc {
                kind: Kind::Team,
                title: t.name.clone(),
                id: t.id.clone(),
                team: team_index(&t.id),
                period: -1,
                status: -1,
                extra: excerpt(&body).into(),
            },
            &[
                (Field::Title, &t.name),
                (Field::Other, &other),
                (Field::Body, &body),
            ],
        );
    }
    for p in &site.pages {
        let body = plain_text(&p.body);
        builder.add(
            Doc {
                kind: Kind::Page,
                title: p.title.clone(),
                id: p.id.clone(),
                team: -1,
                period: -1,
                status: -1,
                extra: excerpt(&body).into(),
            },
            &[
                (Field::Title, &p.title),
                (Field::Other, &p.id),
                (Field::Body, &body),
            ],
        );
    }
    builder.script(&teams, &periods)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_case_and_accents() {
        assert_eq!(fold("Zürich ÉTÉ Ångström"), "zurich ete angstrom");
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
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text("## Why\n\nSee [CSAT](x.md) and *this*."),
            "Why See CSAT and this."
        );
    }

    #[test]
    fn postings_are_delta_encoded_with_the_best_field() {
        let mut builder = Builder::default();
        let doc = || Doc {
            kind: Kind::Page,
            title: String::new(),
            id: String::new(),
            team: -1,
            period: -1,
            status: -1,
            extra: serde_json::Value::Null,
        };
        builder.add(doc(), &[(Field::Body, "alpha"), (Field::Title, "alpha")]);
        builder.add(doc(), &[(Field::Body, "beta of the")]);
        builder.add(doc(), &[(Field::Other, "alpha </script>")]);
        let script = builder.script(&[], &[]);
        assert!(
            script.contains(r#""terms":["alpha","beta","script"]"#),
            "{script}"
        );
        // alpha: doc 0 title (0*4+3 = 3), doc 2 other (2*4+1 = 9).
        assert!(script.contains(r#""postings":["39","4","9"]"#), "{script}");
        let mut big = String::new();
        encode_number(32 * 32 + 5, &mut big);
        assert_eq!(big, "BA5");
        assert!(!script.contains("</"));
    }
}
