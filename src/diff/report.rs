//! The report: Markdown for a pull-request comment, or JSON.
//!
//! The Markdown opens with counts that match its tables row for row, then
//! the moved goalposts, then one section per objective (named by title,
//! linked to its file) with one row per changed key result, then KPIs and
//! problems. Sections past the first few fold into `<details>`, each with
//! its own table header.

mod text;

use crate::model::KrKind;
use std::fmt::Write as _;

use serde_json::Value;

use super::{Change, Diff, Fact, KeyResultDiff, KeyResultState, KpiDiff, ObjectiveDiff};
use crate::diagnostic::{Severity, plural};
use crate::render::{format_number, percent};
pub(crate) use text::COMMENT_LIMIT;
use text::fit_comment;
pub(crate) use text::{amount, cell, code, link};

/// Key-result rows shown before the rest of the objectives fold away.
const ROWS_SHOWN: usize = 20;

/// The report as a pull-request comment.
pub fn render_markdown(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### okra diff: {} → {}\n",
        code(&diff.base),
        code(&diff.head)
    );
    summary(diff, &mut out);
    goalposts(diff, &mut out);
    objectives(diff, &mut out);
    kpis(diff, &mut out);
    teams(diff, &mut out);
    problems(diff, &mut out);
    fit_comment(out, COMMENT_LIMIT)
}

/// "2 added · 1 changed" for one kind of item, or nothing.
fn counts(noun: &str, added: usize, removed: usize, changed: usize) -> Option<String> {
    let parts: Vec<String> = [(added, "added"), (removed, "removed"), (changed, "changed")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
    (!parts.is_empty()).then(|| format!("{noun}: {}", parts.join(", ")))
}

/// The counts, each the number of rows of its table; and whether the head
/// has errors.
fn summary(diff: &Diff, out: &mut String) {
    let s = &diff.summary;
    let mut parts: Vec<String> = [
        counts(
            "Objectives",
            s.objectives_added,
            s.objectives_removed,
            s.objectives_changed,
        ),
        counts(
            "Key results",
            s.key_results_added,
            s.key_results_removed,
            s.key_results_changed,
        ),
        counts("KPIs", s.kpis_added, s.kpis_removed, s.kpis_changed),
        counts("Teams", s.teams_added, s.teams_removed, s.teams_changed),
    ]
    .into_iter()
    .flatten()
    .collect();
    if s.goalposts > 0 {
        parts.push(format!("**⚠️ {} moved**", plural(s.goalposts, "goalpost")));
    }
    for (n, noun, verb, strong) in [
        (s.errors_introduced, "error", "introduced", true),
        (s.warnings_introduced, "warning", "introduced", false),
        (s.errors_fixed, "error", "fixed", false),
        (s.warnings_fixed, "warning", "fixed", false),
    ] {
        if n > 0 {
            let text = format!("{} {verb}", plural(n, noun));
            parts.push(if strong { format!("**{text}**") } else { text });
        }
    }
    if parts.is_empty() {
        out.push_str("No changes to objectives, key results or KPIs.\n");
    } else {
        let _ = writeln!(out, "{}.", parts.join(" · "));
    }
    if diff.head_errors > 0 {
        let _ = writeln!(
            out,
            "\n❌ `okra check` reports {} at {}.",
            plural(diff.head_errors, "error"),
            code(&diff.head)
        );
    }
}

/// The moved goalposts, first: what a reviewer must see. One row a fact.
fn goalposts(diff: &Diff, out: &mut String) {
    let moved = diff.goalposts();
    if moved.is_empty() {
        return;
    }
    out.push_str("\n#### ⚠️ Moved goalposts\n\n| Objective or KPI | Key result | Changed | From | To |\n|---|---|---|---|---|\n");
    for (owner, kr, fact) in moved {
        let unit = kr.and_then(|k| unit_of(k));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            cell(owner),
            kr.map(|k| cell(&k.title)).unwrap_or_default(),
            field_name(fact.field),
            show(&fact.old, fact.field, unit),
            show(&fact.new, fact.field, unit)
        );
    }
}

/// One section per objective; past [`ROWS_SHOWN`] key-result rows the
/// remaining sections fold away, whole.
fn objectives(diff: &Diff, out: &mut String) {
    if diff.objectives.is_empty() {
        return;
    }
    out.push_str("\n#### Objectives\n");
    let mut rows = 0;
    let mut folded = None;
    for (i, o) in diff.objectives.iter().enumerate() {
        if rows >= ROWS_SHOWN && folded.is_none() {
            let rest = diff.objectives.len() - i;
            let _ = writeln!(
                out,
                "\n<details><summary>{} more</summary>\n",
                plural(rest, "objective")
            );
            folded = Some(rest);
        }
        objective_section(o, out);
        rows += o.key_results.len().max(1);
    }
    if folded.is_some() {
        out.push_str("\n</details>\n");
    }
}

fn objective_section(o: &ObjectiveDiff, out: &mut String) {
    let title = match &o.url {
        Some(url) => link(&o.title, url),
        None => cell(&o.title),
    };
    let drafted = o.facts.iter().any(|f| f.field == "draft");
    let change = match o.change {
        Change::Added if drafted => " · published: no longer a draft",
        Change::Added => " · new",
        Change::Removed if drafted => " · turned into a draft: it leaves the site",
        Change::Removed => " · removed",
        Change::Changed => "",
    };
    let _ = writeln!(out, "\n##### {title}{change}\n");
    let mut place = Vec::new();
    if !o.team_name.is_empty() {
        place.push(cell(&o.team_name));
    }
    if !o.period.is_empty() {
        place.push(cell(&o.period));
    }
    place.push(code(&o.path));
    let _ = writeln!(out, "{}", place.join(" · "));
    let mut lines: Vec<String> = o
        .facts
        .iter()
        .filter(|f| f.field != "draft" || o.change == Change::Changed)
        .map(|f| {
            format!(
                "{}: {} → {}",
                field_name(f.field),
                show(&f.old, f.field, None),
                show(&f.new, f.field, None)
            )
        })
        .collect();
    for i in &o.impact {
        let mut moved = format!(
            "moves **{}**: {} → {}",
            cell(&i.title),
            progress(i.old_progress),
            progress(i.new_progress)
        );
        if i.old_status != i.new_status {
            let _ = write!(moved, ", {} → {}", i.old_status, i.new_status);
        }
        lines.push(moved);
    }
    if !lines.is_empty() {
        out.push('\n');
    }
    for line in lines {
        let _ = writeln!(out, "- {line}");
    }
    if !o.key_results.is_empty() {
        out.push_str(
            "\n| Key result | Value | Progress | Status | Notes |\n|---|---|---|---|---|\n",
        );
        for kr in &o.key_results {
            key_result_row(kr, out);
        }
    }
}

/// One changed key result: value, progress and status together.
fn key_result_row(kr: &KeyResultDiff, out: &mut String) {
    let (before, after) = (kr.before.as_ref(), kr.after.as_ref());
    let moved = |f: &dyn Fn(&KeyResultState) -> String| match (before.map(f), after.map(f)) {
        (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
        (_, Some(b)) => b,
        (Some(a), None) => a,
        (None, None) => String::new(),
    };
    let mut value = moved(&value_text);
    if let Some(target) = after.or(before).and_then(target_text) {
        let _ = write!(value, " ({target})");
    }
    let mut notes: Vec<String> = match kr.change {
        Change::Added => vec!["added".into()],
        Change::Removed => vec!["removed".into()],
        Change::Changed => Vec::new(),
    };
    for f in &kr.facts {
        if matches!(
            f.field,
            "current" | "score" | "done" | "progress" | "status"
        ) {
            continue;
        }
        let unit = unit_of(kr);
        let text = match f.field {
            "title" => format!("retitled from “{}”", cell(f.old.as_str().unwrap_or(""))),
            _ => moved_text(f, unit),
        };
        notes.push(flagged(f, text));
    }
    for c in &kr.checkins {
        let mut text = format!("check-in {}", c.date);
        if let Some(r) = &c.reported {
            let _ = write!(text, " by {} ({})", cell(&r.author), code(&r.commit));
        }
        if let Some(note) = &c.note {
            let _ = write!(text, ": “{}”", cell(note));
        }
        if let Some(confidence) = c.confidence {
            let _ = write!(text, " (confidence {})", percent(confidence));
        }
        notes.push(text);
    }
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} |",
        cell(&kr.title),
        value,
        moved(&progress_text),
        moved(&|s| s.status.to_string()),
        notes.join("<br>")
    );
}

fn unit_of(kr: &KeyResultDiff) -> Option<&str> {
    kr.after.as_ref().or(kr.before.as_ref())?.unit.as_deref()
}

/// The number a review reports a key result by: its hand score, or its
/// value.
pub(super) fn reported_value(kr: &crate::model::KeyResult) -> Option<f64> {
    match kr.kind {
        KrKind::Scored => kr.hand_score,
        KrKind::Metric | KrKind::Health | KrKind::Milestone => kr.current,
        KrKind::Status | KrKind::Rollup => None,
    }
}

/// What a key result stands at: its value with its unit, done or open, or
/// its hand score.
fn value_text(s: &KeyResultState) -> String {
    match s.kind {
        KrKind::Milestone => if s.done { "done" } else { "open" }.to_string(),
        KrKind::Scored => s.value.map_or("no score".into(), percent),
        KrKind::Rollup => "from the objectives serving it".to_string(),
        KrKind::Status => s
            .reported_status
            .map_or("no status".into(), |j| j.label().to_string()),
        KrKind::Metric | KrKind::Health => s
            .value
            .map_or("no value".into(), |v| amount(v, s.unit.as_deref())),
    }
}

fn target_text(s: &KeyResultState) -> Option<String> {
    let target = s.target.filter(|_| s.kind.traits().moves)?;
    Some(format!("target {}", amount(target, s.unit.as_deref())))
}

/// A key result's progress: its score, or what it has instead (a
/// guardrail is kept in a band; a judged key result has a status).
fn progress_text(s: &KeyResultState) -> String {
    let traits = s.kind.traits();
    if traits.guardrail {
        "guardrail".to_string()
    } else if !traits.scored {
        "not scored".to_string()
    } else {
        progress(s.progress)
    }
}

fn progress(score: Option<f64>) -> String {
    crate::format::score_text(score)
}

/// "target 0.5 → 0.8": a fact's field, old and new value.
fn moved_text(f: &Fact, unit: Option<&str>) -> String {
    format!(
        "{} {} → {}",
        field_name(f.field),
        show(&f.old, f.field, unit),
        show(&f.new, f.field, unit)
    )
}

/// A fact's text, marked when it moves a goalpost.
fn flagged(f: &Fact, text: String) -> String {
    if f.goalpost {
        format!("⚠️ {text}")
    } else {
        text
    }
}

/// An objective a change aligns to, by title where it is known.
fn aligned_name(o: &serde_json::Map<String, Value>) -> String {
    o.get("title")
        .or_else(|| o.get("id"))
        .and_then(Value::as_str)
        .map(cell)
        .unwrap_or_default()
}

/// A field's name for readers.
fn field_name(field: &str) -> String {
    match field {
        "parent" => "aligned to".to_string(),
        "other-parents" => "also aligned to".to_string(),
        "period" => "period".to_string(),
        "checkin-changed" => "check-in rewritten".to_string(),
        "checkin-note" => "check-in note".to_string(),
        "checkin-removed" => "check-in removed".to_string(),
        "grade" => "grade".to_string(),
        other => other.replace('-', " "),
    }
}

/// A fact's value for readers; `unit` follows numbers of key results.
fn show(value: &Value, field: &str, unit: Option<&str>) -> String {
    match (field, value) {
        ("progress" | "grade" | "confidence" | "score", Value::Number(n)) => {
            percent(n.as_f64().unwrap_or(0.0))
        }
        (f, Value::Number(n)) if f.starts_with("grading-") => percent(n.as_f64().unwrap_or(0.0)),
        ("progress", Value::Null) => crate::format::NO_DATA.to_string(),
        ("weight", Value::Number(n)) => format_number(n.as_f64().unwrap_or(0.0)),
        (_, Value::Number(n)) => amount(n.as_f64().unwrap_or(0.0), unit),
        (_, Value::String(s)) => cell(s),
        ("dropped", Value::Null) => "counted".to_string(),
        (_, Value::Null) => "none".to_string(),
        (_, Value::Bool(b)) => if *b { "yes" } else { "no" }.to_string(),
        ("parent", Value::Object(o)) => aligned_name(o),
        ("other-parents", Value::Array(a)) if a.is_empty() => "none".to_string(),
        ("other-parents", Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_object)
            .map(aligned_name)
            .collect::<Vec<_>>()
            .join(", "),
        ("healthy-band", Value::Object(band)) => {
            let bound = |k: &str| band.get(k).and_then(Value::as_f64).map(format_number);
            match (bound("min"), bound("max")) {
                (Some(min), Some(max)) => format!("{min} to {max}"),
                (Some(min), None) => format!("≥ {min}"),
                (None, Some(max)) => format!("≤ {max}"),
                (None, None) => "none".to_string(),
            }
        }
        ("measurements-added", Value::Object(o)) => {
            let latest = &o["latest"];
            format!(
                "{} new, latest {}: {}",
                o["count"],
                latest["date"].as_str().unwrap_or(""),
                format_number(latest["value"].as_f64().unwrap_or(0.0))
            )
        }
        ("checkin-note", Value::Object(o)) => {
            let note = o.get("note").and_then(Value::as_str).unwrap_or("none");
            format!("{}: “{}”", o["date"].as_str().unwrap_or(""), cell(note))
        }
        (_, Value::Object(o)) if o.contains_key("date") => {
            let shown = ["value", "score"]
                .iter()
                .find_map(|k| o.get(*k).and_then(Value::as_f64))
                .map(|v| amount(v, unit))
                .or_else(|| {
                    o.get("done")
                        .and_then(Value::as_bool)
                        .map(|d| if d { "done" } else { "open" }.to_string())
                })
                .unwrap_or_else(|| "note only".to_string());
            format!("{}: {shown}", o["date"].as_str().unwrap_or(""))
        }
        (_, Value::Array(items)) if items.is_empty() => "none".to_string(),
        (_, Value::Array(items)) => cell(
            &items
                .iter()
                .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (_, other) => cell(&other.to_string()),
    }
}

/// One row per KPI: every change to it in one cell.
fn kpis(diff: &Diff, out: &mut String) {
    if diff.kpis.is_empty() {
        return;
    }
    out.push_str("\n#### KPIs\n\n| KPI | Team | Changes |\n|---|---|---|\n");
    for k in &diff.kpis {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            cell(&k.name),
            cell(&k.team_name),
            kpi_changes(k)
        );
    }
}

fn kpi_changes(k: &KpiDiff) -> String {
    let mut parts: Vec<String> = match k.change {
        Change::Added => vec!["added".into()],
        Change::Removed => vec!["removed".into()],
        Change::Changed => Vec::new(),
    };
    parts.extend(k.facts.iter().map(|f: &Fact| {
        let text = match f.field {
            "measurements-added" => format!("measurements: {}", show(&f.new, f.field, None)),
            _ => moved_text(f, None),
        };
        flagged(f, text)
    }));
    parts.join("<br>")
}

/// One row per team: every change to it in one cell.
fn teams(diff: &Diff, out: &mut String) {
    if diff.teams.is_empty() {
        return;
    }
    out.push_str("\n#### Teams\n\n| Team | Changes |\n|---|---|\n");
    for t in &diff.teams {
        let mut parts: Vec<String> = match t.change {
            Change::Added => vec!["added".into()],
            Change::Removed => vec!["removed".into()],
            Change::Changed => Vec::new(),
        };
        parts.extend(t.facts.iter().map(|f| match f.field {
            "name" => format!("renamed from “{}”", cell(f.old.as_str().unwrap_or(""))),
            "parent" => format!(
                "moved from {} to {}",
                team_place(&f.old),
                team_place(&f.new)
            ),
            _ => moved_text(f, None),
        }));
        let _ = writeln!(out, "| {} | {} |", cell(&t.name), parts.join("<br>"));
    }
}

/// Where a team sits: under its parent, or at the top.
fn team_place(parent: &Value) -> String {
    match parent.get("name").and_then(Value::as_str) {
        Some(name) => format!("under {}", cell(name)),
        None => "the top".to_string(),
    }
}

/// Problems introduced and fixed.
fn problems(diff: &Diff, out: &mut String) {
    if diff.introduced.is_empty() && diff.fixed.is_empty() {
        return;
    }
    out.push_str(
        "\n#### Problems\n\n| | Severity | Code | Where | Message |\n|---|---|---|---|---|\n",
    );
    for (mark, list) in [("introduced", &diff.introduced), ("fixed", &diff.fixed)] {
        for f in list.iter() {
            let place = match (&f.file, f.line) {
                (Some(file), Some(line)) => code(&format!("{file}:{line}")).replace('|', "\\|"),
                (Some(file), None) => code(file).replace('|', "\\|"),
                _ => String::new(),
            };
            let severity = match f.severity {
                Severity::Error => "**error**",
                Severity::Warning => "warning",
            };
            let _ = writeln!(
                out,
                "| {mark} | {severity} | `{}` | {place} | {} |",
                f.code,
                text::message(&f.message)
            );
        }
    }
}

/// The report as JSON.
pub fn render_json(diff: &Diff) -> String {
    let mut text = serde_json::to_string_pretty(diff).expect("the diff serialises");
    text.push('\n');
    text
}
