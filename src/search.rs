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
use std::fmt::Write as _;

use pulldown_cmark::{Event, Parser, TagEnd};
use serde::Serialize;
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
const EXCERPT_CHARS: usize = 180;

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

/// One searchable thing, as the browser gets it.
#[derive(Serialize)]
struct Doc {
    /// `o` objective, `r` key result, `k` KPI, `t` team, `p` page.
    k: &'static str,
    /// Title.
    t: String,
    /// URL relative to the site root.
    u: String,
    /// Owner's name.
    o: String,
    /// Owner team id (for the team filter).
    g: String,
    /// Period id.
    p: String,
    /// Status.
    s: &'static str,
    /// Excerpt for the snippet.
    x: String,
}

#[derive(Default)]
struct Builder {
    docs: Vec<Doc>,
    /// term → doc → best field.
    postings: BTreeMap<String, BTreeMap<u32, Field>>,
}

impl Builder {
    fn add(&mut self, doc: Doc, fields: &[(Field, &str)]) {
        let id = self.docs.len() as u32;
        for (field, text) in fields {
            for term in tokens(text) {
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
    }

    /// `window.OKRA_SEARCH = {docs: [...], terms: [...], postings: [...]}`:
    /// terms sorted for prefix search; each posting list is `id*4+field`
    /// delta-encoded in base 36, comma separated.
    fn script(&self) -> String {
        let mut terms = Vec::with_capacity(self.postings.len());
        let mut postings = Vec::with_capacity(self.postings.len());
        for (term, docs) in &self.postings {
            terms.push(term.as_str());
            let mut encoded = String::new();
            let mut previous = 0u32;
            for (&doc, &field) in docs {
                if !encoded.is_empty() {
                    encoded.push(',');
                }
                let value = (doc - previous) * 4 + field as u32;
                previous = doc;
                encoded.push_str(&base36(value));
            }
            postings.push(encoded);
        }
        let mut out = String::from("window.OKRA_SEARCH=");
        let _ = writeln!(
            out,
            "{{\"docs\":{},\"terms\":{},\"postings\":{}}};",
            serde_json::to_string(&self.docs).expect("docs serialise"),
            serde_json::to_string(&terms).expect("terms serialise"),
            serde_json::to_string(&postings).expect("postings serialise"),
        );
        // Keep the script inert inside any HTML context it might be pasted in.
        out.replace("</", "<\\/")
    }
}

fn base36(mut n: u32) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII digits")
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
    let team_name = |id: &str| {
        site.index
            .teams
            .get(id)
            .map_or_else(|| id.to_string(), |&i| site.teams[i].name.clone())
    };
    for o in &site.objectives {
        let owner = team_name(&o.owner);
        let body = plain_text(&o.body);
        let kr_titles: Vec<&str> = o.key_results.iter().map(|k| k.title.as_str()).collect();
        let kr_text = kr_titles.join(" ");
        let other = format!("{owner} {} {} {}", o.owner, o.period, o.id);
        builder.add(
            Doc {
                k: "o",
                t: o.title.clone(),
                u: format!("objectives/{}.html", o.id),
                o: owner.clone(),
                g: o.owner.clone(),
                p: o.period.clone(),
                s: o.status.as_str(),
                x: excerpt(&body),
            },
            &[
                (Field::Title, &o.title),
                (Field::KeyResult, &kr_text),
                (Field::Other, &other),
                (Field::Body, &body),
            ],
        );
        for kr in &o.key_results {
            let other = format!(
                "{} {owner} {} {} {}",
                o.title,
                o.period,
                kr.id,
                kr.owner.as_deref().unwrap_or("")
            );
            builder.add(
                Doc {
                    k: "r",
                    t: kr.title.clone(),
                    u: format!("objectives/{}.html#kr-{}", o.id, kr.id),
                    o: owner.clone(),
                    g: o.owner.clone(),
                    p: o.period.clone(),
                    s: kr.status.as_str(),
                    x: excerpt(&o.title),
                },
                &[(Field::Title, &kr.title), (Field::Other, &other)],
            );
        }
    }
    for k in &site.kpis {
        let owner = team_name(&k.owner);
        let body = plain_text(&k.body);
        let other = format!(
            "{owner} {} {} {}",
            k.owner,
            k.id,
            k.unit.as_deref().unwrap_or("")
        );
        builder.add(
            Doc {
                k: "k",
                t: k.name.clone(),
                u: format!("kpis/{}.html", k.id),
                o: owner,
                g: k.owner.clone(),
                p: String::new(),
                s: kpi_status(k.status),
                x: excerpt(&body),
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
                k: "t",
                t: t.name.clone(),
                u: format!("teams/{}.html", t.id),
                o: t.parent.as_deref().map(team_name).unwrap_or_default(),
                g: t.id.clone(),
                p: String::new(),
                s: "",
                x: excerpt(&body),
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
                k: "p",
                t: p.title.clone(),
                u: format!("pages/{}.html", p.id),
                o: String::new(),
                g: String::new(),
                p: String::new(),
                s: "",
                x: excerpt(&body),
            },
            &[
                (Field::Title, &p.title),
                (Field::Other, &p.id),
                (Field::Body, &body),
            ],
        );
    }
    builder.script()
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
            k: "p",
            t: String::new(),
            u: String::new(),
            o: String::new(),
            g: String::new(),
            p: String::new(),
            s: "",
            x: String::new(),
        };
        builder.add(doc(), &[(Field::Body, "alpha"), (Field::Title, "alpha")]);
        builder.add(doc(), &[(Field::Body, "beta")]);
        builder.add(doc(), &[(Field::Other, "alpha </script>")]);
        let script = builder.script();
        assert!(
            script.contains(r#""terms":["alpha","beta","script"]"#),
            "{script}"
        );
        // alpha: doc 0 title (0*4+3 = 3), doc 2 other (2*4+1 = 9).
        assert!(script.contains(r#""postings":["3,9","4","9"]"#), "{script}");
        assert!(!script.contains("</"));
    }
}
