//! What the server answers from the last check and the open buffer:
//! hover, definitions, references, completion and document symbols.
//!
//! Ids are found from the line the cursor is on (see [`super::text`]), so
//! completion works in a file that does not parse; what an id means comes
//! from the last check's model.

use lsp_types::{CompletionItem, CompletionItemKind, DocumentSymbol, SymbolKind};

use super::text::{Place, Spot};
use crate::load::{DocKind, Sp};
use crate::model::{KeyResult, KpiIx, Objective, ObjectiveIx, PeriodIx, Site, TeamIx, ValueSource};

/// Which kind of thing an id names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum IdKind {
    Team,
    Objective,
    Kpi,
    Period,
}

/// The people who may own a key result of the objective at `path`: the
/// lead and members of the team that owns it, as completion items. The
/// team is the checked objective's, or, when the buffer `text` did not
/// parse, the one its `owner` line names.
pub(super) fn complete_people(
    site: &Site,
    path: &str,
    text: &str,
    typed: &str,
) -> Vec<CompletionItem> {
    let checked = site.objectives.iter().find(|o| o.path == path);
    let team = match checked {
        Some(o) => o.owner,
        None => written_owner(text).and_then(|id| site.index.teams.get(id).copied()),
    };
    let Some(team) = team else {
        return Vec::new();
    };
    let team = &site.teams[team];
    let typed = typed.to_lowercase();
    let mut people: Vec<&String> = team.lead.iter().chain(&team.members).collect();
    people.sort();
    people.dedup();
    people
        .into_iter()
        .filter(|p| p.to_lowercase().contains(&typed))
        .map(|person| CompletionItem {
            label: person.clone(),
            kind: Some(CompletionItemKind::REFERENCE),
            detail: Some(team.name.clone()),
            ..CompletionItem::default()
        })
        .collect()
}

/// A thing of the model an id resolves to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Target {
    Team(TeamIx),
    Objective(ObjectiveIx),
    Kpi(KpiIx),
    Period(PeriodIx),
}

/// The value of the `owner = "…"` line at the top of a front matter,
/// before its first table.
fn written_owner(text: &str) -> Option<&str> {
    text.lines()
        .skip(1)
        .take_while(|line| !line.trim_start().starts_with('[') && line.trim() != "+++")
        .find_map(|line| {
            let (key, value) = line.split_once('=')?;
            let value = value.trim().strip_prefix('"')?.split('"').next()?;
            (key.trim() == "owner").then_some(value)
        })
}

/// The kind of document a file holds, by its folder.
pub(super) fn doc_kind(path: &str) -> Option<DocKind> {
    let folder = path.split('/').next()?;
    DocKind::ALL.into_iter().find(|k| k.folder() == folder)
}

/// What kind of id a key holds in a document of `kind`, in `table` (empty
/// at the top of the front matter).
pub(super) fn id_kind(kind: DocKind, table: &str, key: &str) -> Option<IdKind> {
    match (kind, table, key) {
        (DocKind::Objective, "", "owner" | "contributors") => Some(IdKind::Team),
        (DocKind::Objective, "", "period") => Some(IdKind::Period),
        (DocKind::Objective, "", "parent") => Some(IdKind::Objective),
        (DocKind::Objective, "key_results", "kpi") | (DocKind::Kpi, "", "of") => Some(IdKind::Kpi),
        (DocKind::Kpi, "", "owner") | (DocKind::Team, "", "parent") => Some(IdKind::Team),
        _ => None,
    }
}

/// The thing an id of `kind` names in the site, if it exists.
pub(super) fn resolve(site: &Site, kind: IdKind, id: &str) -> Option<Target> {
    let index = &site.index;
    match kind {
        IdKind::Team => index.teams.get(id).copied().map(Target::Team),
        IdKind::Objective => index.objectives.get(id).copied().map(Target::Objective),
        IdKind::Kpi => index.kpis.get(id).copied().map(Target::Kpi),
        IdKind::Period => index.periods.get(id).copied().map(Target::Period),
    }
}

/// The kind of id under the cursor, and the byte range of its value.
pub(super) fn id_at(path: &str, place: &Place) -> Option<(IdKind, std::ops::Range<usize>)> {
    let Spot::Value { key, value, .. } = &place.spot else {
        return None;
    };
    let kind = id_kind(doc_kind(path)?, &place.table, key)?;
    Some((kind, value.clone()))
}

/// The id written at byte `at` of the file at `path`, as the last check
/// read it: its kind, its value and where it is written (quotes
/// included). `None` when the cursor is on no id, or when the file did not
/// parse into a document.
pub(super) fn id_written_at(
    site: &Site,
    path: &str,
    at: usize,
) -> Option<(IdKind, String, std::ops::Range<usize>)> {
    let mut written: Vec<(IdKind, &Sp<String>)> = Vec::new();
    if let Some(o) = site.objectives.iter().find(|o| o.path == path) {
        let doc = &o.doc;
        written.extend(doc.owner.iter().map(|s| (IdKind::Team, s)));
        written.extend(doc.contributors.iter().map(|s| (IdKind::Team, s)));
        written.extend(doc.period.iter().map(|s| (IdKind::Period, s)));
        written.extend(doc.parents.iter().map(|s| (IdKind::Objective, s)));
        written.extend(
            doc.key_results
                .iter()
                .filter_map(|kr| kr.kpi.as_ref())
                .map(|s| (IdKind::Kpi, s)),
        );
    } else if let Some(k) = site.kpis.iter().find(|k| k.path == path) {
        written.extend(k.doc.owner.iter().map(|s| (IdKind::Team, s)));
        written.extend(k.doc.of.iter().map(|s| (IdKind::Kpi, s)));
    } else if let Some(t) = site.teams.iter().find(|t| t.path == path) {
        written.extend(t.doc.parent.iter().map(|s| (IdKind::Team, s)));
    }
    written
        .into_iter()
        .find(|(_, s)| s.span.range().contains(&at))
        .map(|(kind, s)| (kind, s.value.clone(), s.span.range()))
}

/// A score as pages show it, or "no data".
fn percent(score: Option<f64>) -> String {
    crate::format::score_text(score)
}

/// Text from the site as Markdown shows it literally: a title with `*`,
/// `<`, `[` or `#` in it is not formatting, HTML, a link or a heading in a
/// hover. Line breaks become spaces, controls are shown as escapes, and a
/// bare address (`https://…`, `www.…`) is broken with a zero-width space
/// so that the editor does not make it a link.
pub(super) fn md(text: &str) -> String {
    let text = crate::diagnostic::escape_controls(text, &['\n', '\r']);
    let mut out = String::with_capacity(text.len());
    let mut previous = ' ';
    for (at, c) in text.char_indices() {
        let rest = &text[at..];
        match c {
            '\n' | '\r' => out.push(' '),
            c if "\\`*_[]<>~#!|&".contains(c) || (at == 0 && "-+=".contains(c)) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        let bare = (c == ':' && rest.starts_with("://"))
            || ((c == 'w' || c == 'W')
                && !previous.is_alphanumeric()
                && rest
                    .get(..4)
                    .is_some_and(|w| w.eq_ignore_ascii_case("www.")));
        if bare {
            out.push('\u{200b}');
        }
        previous = c;
    }
    out
}

/// Markdown describing a thing of the model, for hover.
pub(super) fn describe(site: &Site, target: Target) -> String {
    let team_name = |t: Option<TeamIx>| md(t.map_or("no team", |t| site.teams[t].name.as_str()));
    match target {
        Target::Team(t) => {
            let team = &site.teams[t];
            let kind = team.kind.as_str();
            let mut out = format!("**{}** · {kind} {}", md(&team.name), md(&team.id));
            if let Some(parent) = team.parent {
                out.push_str(&format!("\n\nPart of {}", md(&site.teams[parent].name)));
            }
            if let Some(lead) = &team.lead {
                out.push_str(&format!("\n\nLed by {}", md(lead)));
            }
            if !team.members.is_empty() {
                out.push_str(&format!(" · {} members", team.members.len()));
            }
            out
        }
        Target::Objective(o) => {
            let objective = &site.objectives[o];
            format!(
                "**{}**\n\n{} · {} · progress {} · {}",
                md(&objective.title),
                team_name(objective.owner),
                md(objective.period_id()),
                percent(objective.score),
                objective.status.label()
            )
        }
        Target::Kpi(k) => {
            let kpi = &site.kpis[k];
            let latest = kpi.latest.as_ref().map_or_else(
                || "no measurement".to_string(),
                |m| match kpi.unit.as_deref() {
                    Some(unit) => format!("{} {} on {}", m.value, md(unit), m.date),
                    None => format!("{} on {}", m.value, m.date),
                },
            );
            format!(
                "**{}** (KPI)\n\n{} · latest {latest} · {}",
                md(&kpi.name),
                team_name(kpi.owner),
                kpi.status.label()
            )
        }
        Target::Period(p) => {
            let period = &site.periods[p];
            format!(
                "**{}** (period)\n\n{} to {}",
                md(&period.id),
                period.start,
                period.end_text()
            )
        }
    }
}

/// Markdown describing a key result: its score and where its current
/// value comes from.
pub(super) fn describe_key_result(site: &Site, kr: &KeyResult) -> String {
    let source = match kr.current_source {
        ValueSource::Checkin => {
            let date = kr.checkins.iter().rev().find(|c| c.date <= site.as_of);
            match date {
                Some(c) => format!("the check-in of {}", c.date),
                None => "a check-in".to_string(),
            }
        }
        ValueSource::Kpi => {
            let kpi = kr.kpi.map(|k| &site.kpis[k]);
            let measured = kpi.and_then(|k| k.value_at(site.as_of));
            match (kpi, measured) {
                (Some(k), Some(m)) => format!("the KPI {}, measured {}", md(&k.name), m.date),
                _ => "its KPI".to_string(),
            }
        }
        ValueSource::Current => "the value written in the file".to_string(),
        ValueSource::None => "nothing yet".to_string(),
    };
    let current = kr
        .current
        .map_or_else(|| "none".to_string(), |c| c.to_string());
    let reported = kr
        .reported_status
        .map_or_else(String::new, |j| format!(" · reported {}", j.label()));
    format!(
        "**{}** (key result {})\n\nscore {} · {}{reported} · current {current}, from {source}",
        md(&kr.title),
        md(&kr.id),
        percent(kr.score),
        kr.status.label()
    )
}

/// Completion items for an id of `kind` starting with (or containing)
/// `typed`, best first; at most `limit`. The detail is the title.
pub(super) fn complete_ids(
    site: &Site,
    kind: IdKind,
    typed: &str,
    limit: usize,
) -> (Vec<CompletionItem>, bool) {
    let typed = typed.to_lowercase();
    let candidates: Vec<(&str, &str)> = match kind {
        IdKind::Team => site
            .teams
            .iter()
            .map(|t| (t.id.as_str(), t.name.as_str()))
            .collect(),
        IdKind::Objective => site
            .objectives
            .iter()
            .map(|o| (o.id.as_str(), o.title.as_str()))
            .collect(),
        IdKind::Kpi => site
            .kpis
            .iter()
            .map(|k| (k.id.as_str(), k.name.as_str()))
            .collect(),
        IdKind::Period => site.periods.iter().map(|p| (p.id.as_str(), "")).collect(),
    };
    let mut matching: Vec<(bool, &str, &str)> = candidates
        .into_iter()
        .filter_map(|(id, title)| {
            let lower = id.to_lowercase();
            let prefix = lower.starts_with(&typed);
            let found = prefix || lower.contains(&typed) || title.to_lowercase().contains(&typed);
            found.then_some((!prefix, id, title))
        })
        .collect();
    matching.sort();
    let incomplete = matching.len() > limit;
    let symbol = match kind {
        IdKind::Team => CompletionItemKind::MODULE,
        IdKind::Objective => CompletionItemKind::CLASS,
        IdKind::Kpi => CompletionItemKind::VALUE,
        IdKind::Period => CompletionItemKind::CONSTANT,
    };
    let items = matching
        .into_iter()
        .take(limit)
        .enumerate()
        .map(|(n, (_, id, title))| CompletionItem {
            label: id.to_string(),
            kind: Some(symbol),
            detail: (!title.is_empty()).then(|| title.to_string()),
            // Keeps the order above whatever the client sorts by, and
            // lets a title match be found by its words.
            sort_text: Some(format!("{n:06}")),
            filter_text: Some(format!("{id} {title}")),
            ..CompletionItem::default()
        })
        .collect();
    (items, incomplete)
}

/// Completion items for the keys a table of a document may hold.
pub(super) fn complete_keys(kind: DocKind, table: &str, typed: &str) -> Vec<CompletionItem> {
    use crate::load::keys;
    let keys: &[&str] = match (kind, table) {
        (DocKind::Objective, "") => keys::OBJECTIVE,
        (DocKind::Objective, "key_results") => keys::KEY_RESULT,
        (DocKind::Objective, "key_results.checkins") => keys::CHECKIN,
        (DocKind::Objective, "checkins") => keys::OBJECTIVE_CHECKIN,
        (DocKind::Objective, "key_results.initiatives") => keys::INITIATIVE,
        (DocKind::Kpi, "") => keys::KPI,
        (DocKind::Kpi, "healthy") => keys::BAND,
        (DocKind::Kpi, "measurements") => keys::MEASUREMENT,
        (DocKind::Team, "") => keys::TEAM,
        (DocKind::Page, "") => keys::PAGE,
        _ => &[],
    };
    keys.iter()
        .filter(|k| k.starts_with(typed))
        .map(|k| CompletionItem {
            label: k.to_string(),
            kind: Some(CompletionItemKind::FIELD),
            detail: super::keys::key_doc(kind, table, k).map(String::from),
            ..CompletionItem::default()
        })
        .collect()
}

/// The outline of a document: the objective (or KPI, team, page) with
/// its key results inside, each with the range of its table.
#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be given.
pub(super) fn symbols(site: &Site, path: &str, text: &str) -> Vec<DocumentSymbol> {
    let whole = super::text::range(text, 0..text.len());
    let symbol = |name: &str, detail: Option<String>, kind, range, children| DocumentSymbol {
        name: if name.is_empty() {
            "(untitled)".into()
        } else {
            name.to_string()
        },
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: range,
        children,
    };
    if let Some(o) = site.objectives.iter().find(|o| o.path == path) {
        let tables = key_result_ranges(o, text);
        let children = o
            .key_results
            .iter()
            .zip(tables)
            .map(|(kr, range)| {
                let range = super::text::range(text, range);
                symbol(
                    &kr.title,
                    Some(kr.id.clone()),
                    SymbolKind::FIELD,
                    range,
                    None,
                )
            })
            .collect();
        let detail = Some(format!("{} · {}", o.id, percent(o.score)));
        return vec![symbol(
            &o.title,
            detail,
            SymbolKind::CLASS,
            whole,
            Some(children),
        )];
    }
    if let Some(k) = site.kpis.iter().find(|k| k.path == path) {
        return vec![symbol(
            &k.name,
            Some(k.id.clone()),
            SymbolKind::VARIABLE,
            whole,
            None,
        )];
    }
    if let Some(t) = site.teams.iter().find(|t| t.path == path) {
        return vec![symbol(
            &t.name,
            Some(t.id.clone()),
            SymbolKind::MODULE,
            whole,
            None,
        )];
    }
    if let Some(p) = site.pages.iter().find(|p| p.path == path) {
        return vec![symbol(
            &p.title,
            Some(p.id.clone()),
            SymbolKind::FILE,
            whole,
            None,
        )];
    }
    Vec::new()
}

/// Objectives, KPIs and teams whose title or id contains every word of
/// `query` (case aside), as `(name, kind, container, path)`: the
/// container is the owner and period. At most `limit`, shortest names
/// first.
pub(super) fn find_symbols(
    site: &Site,
    query: &str,
    limit: usize,
) -> Vec<(String, SymbolKind, String, String)> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let matches = |name: &str, id: &str| {
        let (name, id) = (name.to_lowercase(), id.to_lowercase());
        words
            .iter()
            .all(|w| name.contains(w.as_str()) || id.contains(w.as_str()))
    };
    let team_name = |t: Option<TeamIx>| t.map_or("", |t| site.teams[t].name.as_str());
    let mut found: Vec<(String, SymbolKind, String, String)> = Vec::new();
    for o in site.objectives.iter().filter(|o| matches(&o.title, &o.id)) {
        let container = format!("{} · {}", team_name(o.owner), o.period_id());
        found.push((
            o.title.clone(),
            SymbolKind::CLASS,
            container,
            o.path.clone(),
        ));
    }
    for k in site.kpis.iter().filter(|k| matches(&k.name, &k.id)) {
        found.push((
            k.name.clone(),
            SymbolKind::VARIABLE,
            team_name(k.owner).to_string(),
            k.path.clone(),
        ));
    }
    for t in site.teams.iter().filter(|t| matches(&t.name, &t.id)) {
        found.push((
            t.name.clone(),
            SymbolKind::MODULE,
            String::new(),
            t.path.clone(),
        ));
    }
    found.sort_by(|a, b| a.0.len().cmp(&b.0.len()).then_with(|| a.0.cmp(&b.0)));
    found.truncate(limit);
    found
}

/// The byte range of each key result's table in `text`, as the last check
/// read it: from its `[[key_results]]` header to the next one or the
/// front matter's closing fence; an inline table is its own range.
fn key_result_ranges(o: &Objective, text: &str) -> Vec<std::ops::Range<usize>> {
    let front = text.get(..o.doc.head.body_offset).unwrap_or(text);
    let fence = front
        .trim_end_matches('\n')
        .rfind('\n')
        .map_or(front.len(), |at| at + 1);
    let starts: Vec<usize> = o
        .key_results
        .iter()
        .map(|kr| kr.doc().span.range().start)
        .collect();
    o.key_results
        .iter()
        .enumerate()
        .map(|(i, kr)| {
            let span = kr.doc().span.range();
            if !text.get(span.clone()).is_some_and(|h| h.starts_with("[[")) {
                return span;
            }
            let end = starts.get(i + 1).copied().unwrap_or(fence);
            span.start..end.max(span.end)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str =
        "+++\ntitle = \"T\"\nowner = \"support\"\n\n[[key_results]]\ntitle = \"A\"\n+++\n";

    #[test]
    fn key_result_tables_run_to_the_next_one_or_the_fence() {
        let krs = "\n[[key_results]]\ntitle = \"A\"\ntarget = 1\n\n[[key_results.checkins]]\ndate = 2026-08-01\nvalue = 0.5\n\n[[key_results]]\ntitle = \"B\"\ntarget = 1\n";
        let checked = crate::check_test_site(krs, &[]);
        let o = &checked.site.objectives[0];
        let text = &checked.sources.get(o.doc.head.file).text;
        let tables = key_result_ranges(o, text);
        assert_eq!(tables.len(), 2);
        assert!(text[tables[0].clone()].starts_with("[[key_results]]\ntitle = \"A\""));
        assert!(
            text[tables[0].clone()].contains("checkins"),
            "check-ins belong to their key result"
        );
        assert!(
            text[tables[1].clone()].ends_with("target = 1\n"),
            "{:?}",
            &text[tables[1].clone()]
        );
        assert_eq!(&text[tables[1].end..], "+++\n");
    }

    #[test]
    fn the_owner_line_is_read_before_the_first_table() {
        assert_eq!(written_owner(DOC), Some("support"));
        assert_eq!(
            written_owner("+++\n[[key_results]]\nowner = \"Ana\"\n+++\n"),
            None
        );
    }

    #[test]
    fn titles_are_literal_in_markdown() {
        assert_eq!(
            md("Grow *fast* <b>[x](y)</b>"),
            r"Grow \*fast\* \<b\>\[x\](y)\</b\>"
        );
        assert_eq!(md("Satisfaction (CSAT), 50%"), "Satisfaction (CSAT), 50%");
        assert_eq!(md("# Big\n\n- list"), r"\# Big  - list");
        assert_eq!(md("- item, 2026-08-10"), r"\- item, 2026-08-10");
        let bare = md("see https://evil.example and www.evil.example\u{1b}[2J");
        assert!(!bare.contains("://") && !bare.contains("www."), "{bare}");
        assert!(
            bare.contains("\\u{1b}") && !bare.contains('\u{1b}'),
            "{bare}"
        );
    }

    #[test]
    fn ids_are_kinds_only_where_they_belong() {
        assert_eq!(id_kind(DocKind::Objective, "", "owner"), Some(IdKind::Team));
        assert_eq!(id_kind(DocKind::Objective, "key_results", "owner"), None);
        assert_eq!(
            id_kind(DocKind::Objective, "key_results", "kpi"),
            Some(IdKind::Kpi)
        );
        assert_eq!(id_kind(DocKind::Team, "", "parent"), Some(IdKind::Team));
        assert_eq!(id_kind(DocKind::Page, "", "owner"), None);
        assert_eq!(doc_kind("objectives/2026/x.md"), Some(DocKind::Objective));
        assert_eq!(doc_kind("okra.toml"), None);
    }
}
