//! `okra carry-over ID --to PERIOD`: an objective copied into a later
//! period, its key results reset. A metric starts where its KPI stands
//! (or where it ended, without a KPI); what is done, dropped or already at
//! its target stays behind, and each such choice is reported.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::bail;

use super::{check_new_id, known, quoted, resolve_period, write_new};
use crate::format::format_number;
use crate::model::{Commitment, KrKind};
use crate::model::{KeyResult, Objective, Site};
use crate::period::Period;

/// What a carry-over wrote, and what it chose to leave behind.
#[derive(Debug)]
pub struct CarryOver {
    /// The new objective's id and path from the site root.
    pub id: String,
    pub path: String,
    /// One line per choice a reader should know of.
    pub notes: Vec<String>,
}

/// Copies objective `id` of `site` (read from `root`) into period `to`.
pub fn carry_over(root: &Path, site: &Site, id: &str, to: &str) -> anyhow::Result<CarryOver> {
    known(
        id,
        "objective",
        site.objectives.iter().map(|o| o.id.as_str()),
    )?;
    let objective = &site.objectives[site.index.objectives[id]];
    let period = resolve_period(site, to)?;
    let from = objective.period.map(|p| &site.periods[p]);
    if let Some(from) = from.filter(|from| period.start <= from.start) {
        bail!(
            "{} does not come after {}: carry an objective over into a later period",
            period.id,
            from.id
        );
    }
    let new_id = carried_id(id, from, &period);
    check_new_id(
        &new_id,
        "an objective",
        site.index.objectives.contains_key(&new_id),
    )?;
    let path = format!("objectives/{}/{new_id}.md", period.id.to_lowercase());
    // The check that `okra author` runs keeps every text.
    let body = objective.body.text().unwrap_or_default().trim();
    let body = rebase_links(body, &objective.path, &path).map_err(|link| {
        anyhow::anyhow!(
            "the body of {} links to `{link}`, which okra cannot rewrite for {path}; \
             write it as an inline link (`[text](path)`) or a link from the site root (`/kpis/…`), then carry over again",
            objective.path
        )
    })?;
    let mut notes = Vec::new();
    let mut text = String::from("+++\n");
    let _ = writeln!(text, "title = {}", quoted(&objective.title));
    let _ = writeln!(text, "owner = {}", quoted(objective.owner_id()));
    let _ = writeln!(text, "period = {}", quoted(&period.id));
    if objective.draft {
        // A draft's copy is a draft too: carrying over publishes nothing.
        text.push_str("draft = true\n");
    }
    write_alignment(site, objective, &period, &mut text, &mut notes);
    write_fields(objective, &mut text);
    for kr in &objective.key_results {
        match carried_key_result(site, kr, &period) {
            Ok((table, note)) => {
                text.push_str(&table);
                notes.extend(note);
            }
            Err(reason) => notes.push(format!("`{}` stays behind: {reason}", kr.id)),
        }
    }
    text.push_str("+++\n");
    if !body.is_empty() {
        text.push_str(&body);
        text.push_str("\n\n");
    }
    let _ = writeln!(
        text,
        "Carried over from [{}](../../{}){}.",
        markdown_text(&objective.title),
        crate::source::percent_encode_path(&objective.path),
        from.map_or_else(String::new, |p| format!(" of {}", p.id))
    );
    write_new(root, &path, &text)?;
    Ok(CarryOver {
        id: new_id,
        path,
        notes,
    })
}

/// The id of the copy: the original's, with its period's suffix (if it
/// has one) replaced by the new period's.
fn carried_id(id: &str, from: Option<&Period>, to: &Period) -> String {
    let base = from
        .and_then(|p| id.strip_suffix(&format!("-{}", p.id.to_lowercase())))
        .unwrap_or(id);
    format!("{base}-{}", to.id.to_lowercase())
}

/// `parent` and `parent_key_result`, when the parent's period contains the
/// new one.
fn write_alignment(
    site: &Site,
    objective: &Objective,
    period: &Period,
    text: &mut String,
    notes: &mut Vec<String>,
) {
    let Some(parent) = objective.parent.map(|p| &site.objectives[p]) else {
        return;
    };
    let contains = parent
        .period
        .is_none_or(|p| site.periods[p].contains(period));
    if !contains {
        notes.push(format!(
            "not aligned: its parent `{}` is of {}, which does not contain {}; add `parent` for an objective of {}",
            parent.id,
            parent.period_id(),
            period.id,
            period.id
        ));
        return;
    }
    let _ = writeln!(text, "parent = {}", quoted(&parent.id));
    if let Some(k) = objective.parent_key_result {
        let _ = writeln!(
            text,
            "parent_key_result = {}",
            quoted(&parent.key_results[k].id)
        );
    }
}

/// The objective's own settings that carry over: commitment,
/// contributors, links and priority.
fn write_fields(objective: &Objective, text: &mut String) {
    if objective.commitment == Commitment::Committed {
        text.push_str("commitment = \"committed\"\n");
    }
    let list =
        |items: &mut dyn Iterator<Item = &str>| items.map(quoted).collect::<Vec<_>>().join(", ");
    if !objective.doc.contributors.is_empty() {
        let mut names = objective.doc.contributors.iter().map(|c| c.value.as_str());
        let _ = writeln!(text, "contributors = [{}]", list(&mut names));
    }
    if !objective.links.is_empty() {
        let mut links = objective.links.iter().map(String::as_str);
        let _ = writeln!(text, "links = [{}]", list(&mut links));
    }
    if let Some(priority) = &objective.priority {
        let _ = writeln!(text, "priority = {}", quoted(priority));
    }
}

/// A key result's table in the new period with a note on it, if one is
/// due, or why it stays behind.
fn carried_key_result(
    site: &Site,
    kr: &KeyResult,
    period: &Period,
) -> Result<(String, Option<String>), String> {
    if let Some(why) = &kr.dropped {
        return Err(format!("it was dropped ({why})"));
    }
    if kr.kind.traits().task && kr.done {
        return Err("it is done".to_string());
    }
    let mut table = String::from("\n[[key_results]]\n");
    if kr.has_explicit_id() {
        let _ = writeln!(table, "id = {}", quoted(&kr.id));
    }
    let _ = writeln!(table, "title = {}", quoted(&kr.title));
    match kr.owners.as_slice() {
        [] => {}
        [one] => {
            let _ = writeln!(table, "owner = {}", quoted(one));
        }
        many => {
            let names: Vec<String> = many.iter().map(|o| quoted(o)).collect();
            let _ = writeln!(table, "owners = [{}]", names.join(", "));
        }
    }
    if let Some(kind) = &kr.doc().kind {
        let _ = writeln!(table, "kind = {}", quoted(kind.value.as_str()));
    }
    if let Some(unit) = &kr.doc().unit {
        let _ = writeln!(table, "unit = {}", quoted(unit));
    }
    if let Some(kpi) = kr.kpi_id() {
        let _ = writeln!(table, "kpi = {}", quoted(kpi));
    }
    if kr.weight != 1.0 {
        let _ = writeln!(table, "weight = {}", format_number(kr.weight));
    }
    let mut note = None;
    match kr.kind {
        KrKind::Metric => note = write_metric(site, kr, &mut table)?,
        KrKind::Health => {
            for (key, value) in [("min", kr.min), ("max", kr.max)] {
                if let Some(value) = value {
                    let _ = writeln!(table, "{key} = {}", number(value));
                }
            }
        }
        KrKind::Milestone => {
            let _ = writeln!(table, "done = false");
            if let Some(end) = period.known_end() {
                let _ = writeln!(table, "due = {end}");
            }
        }
        // Scored by hand, or followed by its status: the new period's
        // first check-in says where it stands.
        // A roll-up follows the objectives that serve it in the new period.
        KrKind::Scored | KrKind::Status | KrKind::Rollup => {}
    }
    Ok((table, note))
}

/// A metric's start and target: it starts where its KPI stands, or where
/// it ended; one already at its target stays behind. Returns a note when
/// its title quotes the start it no longer has.
fn write_metric(site: &Site, kr: &KeyResult, table: &mut String) -> Result<Option<String>, String> {
    let Some(target) = kr.target else {
        return Err("it has no target".to_string());
    };
    let from_kpi = kr.kpi.and_then(|k| site.kpis[k].value_at(site.as_of));
    let start = from_kpi.map(|m| m.value).or(kr.current).or(kr.start);
    let Some(start) = start else {
        return Err("it has no value to start from".to_string());
    };
    let rising = kr.start.is_none_or(|s| target > s);
    if (rising && start >= target) || (!rising && start <= target) {
        return Err(format!(
            "it is already at its target ({} against {})",
            format_number(start),
            format_number(target)
        ));
    }
    // A start taken from the KPI is written all the same: it is the
    // baseline of the period, as the KPI stood when the period was set.
    let _ = writeln!(table, "start = {}", number(start));
    let _ = writeln!(table, "target = {}", number(target));
    Ok(stale_title(kr, start))
}

/// A note when a carried metric's title quotes the start it no longer
/// has ("from 1.5 to 0.5", now starting at 0.9).
fn stale_title(kr: &KeyResult, new: f64) -> Option<String> {
    let old = kr.start?;
    let quoted_start =
        quotes_number(&kr.title, &format_number(old)) || quotes_number(&kr.title, &number(old));
    (new != old && quoted_start).then(|| {
        format!(
            "`{}` now starts at {}, but its title still says {}: update the title",
            kr.id,
            format_number(new),
            format_number(old)
        )
    })
}

/// Whether `title` has `number` as a number of its own, not as part of
/// another (`1` in `10`, in `v1.5` or in `2.1`).
fn quotes_number(title: &str, number: &str) -> bool {
    title.match_indices(number).any(|(at, _)| {
        let before = title[..at].chars().next_back();
        let rest = &title[at + number.len()..];
        let mut after = rest.chars();
        let next = after.next();
        let decimal = next == Some('.') && after.next().is_some_and(|c| c.is_ascii_digit());
        !before.is_some_and(|c| c.is_alphanumeric() || c == '.' || c == ',')
            && !next.is_some_and(|c| c.is_ascii_digit())
            && !decimal
    })
}

/// Text as Markdown shows it literally: its punctuation escaped and its
/// lines joined.
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '(' | ')' | '#' | '!' | '|' | '~'
            | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// `body`, written for the file at `from`, with each relative link into
/// the site rewritten to lead to the same file from `to`. Links from the
/// site root, web links and anchors stay as they are. A link whose target
/// cannot be found written as it is in the text (a reference definition,
/// an escaped path) is returned as the error.
fn rebase_links(body: &str, from: &str, to: &str) -> Result<String, String> {
    use crate::markdown::links::{LinkTarget, link_target};
    let dir = |path: &str| path.rsplit_once('/').map_or("", |(dir, _)| dir).to_string();
    if dir(from) == dir(to) {
        return Ok(body.to_string());
    }
    let up = "../".repeat(dir(to).split('/').filter(|s| !s.is_empty()).count());
    let parsed = crate::markdown::parse(body, from, None, false);
    let mut out = String::with_capacity(body.len());
    let mut done = 0;
    for (link, range) in parsed.links {
        if link.starts_with('/') {
            continue;
        }
        let target = match link_target(from, &link) {
            Some(LinkTarget::Document(path)) => path,
            Some(LinkTarget::Static(path)) => format!("static/{path}"),
            None => continue,
        };
        if body.get(range.clone()) != Some(link.as_str()) || range.start < done {
            return Err(link);
        }
        let suffix = link.find(['#', '?']).map_or("", |at| &link[at..]);
        out.push_str(&body[done..range.start]);
        out.push_str(&up);
        out.push_str(&crate::source::percent_encode_path(&target));
        out.push_str(suffix);
        done = range.end;
    }
    out.push_str(&body[done..]);
    Ok(out)
}

/// A number as TOML writes it.
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_quotes_a_number_only_as_a_number_of_its_own() {
        assert!(quotes_number("Cut tickets from 1.5 to 0.5", "1.5"));
        assert!(quotes_number("Reach 1 store", "1"));
        assert!(!quotes_number("Reach 10 stores", "1"));
        assert!(!quotes_number("Ship v1.5", "1"));
        assert!(!quotes_number("Grow 2.1 times", "2"));
        assert!(!quotes_number("R \u{1b}[31m", "1"));
    }

    #[test]
    fn links_in_the_body_lead_to_the_same_files_from_the_new_folder() {
        let body = "See [CSAT](../../../kpis/csat.md#trend), ![chart](../../../static/c%20d.png), \
                    [web](https://x.example/a.md), [top](/kpis/csat.md) and [here](#why).";
        assert_eq!(
            rebase_links(
                body,
                "objectives/a/b/x.md",
                "objectives/2026-q4/x-2026-q4.md"
            )
            .unwrap(),
            "See [CSAT](../../kpis/csat.md#trend), ![chart](../../static/c%20d.png), \
             [web](https://x.example/a.md), [top](/kpis/csat.md) and [here](#why)."
        );
        let sibling = "[p](other.md)";
        assert_eq!(
            rebase_links(sibling, "objectives/q3/x.md", "objectives/q3/y.md").unwrap(),
            sibling
        );
        assert_eq!(
            rebase_links(sibling, "objectives/a/b/x.md", "objectives/q4/y.md").unwrap(),
            "[p](../../objectives/a/b/other.md)"
        );
        let reference = "[CSAT][c]\n\n[c]: ../../../kpis/csat.md\n";
        assert_eq!(
            rebase_links(reference, "objectives/a/b/x.md", "objectives/q4/y.md"),
            Err("../../../kpis/csat.md".to_string())
        );
    }

    #[test]
    fn titles_in_links_are_literal_text() {
        assert_eq!(
            markdown_text("Evil [x](javascript:alert(1))\n<script>"),
            "Evil \\[x\\]\\(javascript:alert\\(1\\)\\) \\<script\\>"
        );
    }
}
