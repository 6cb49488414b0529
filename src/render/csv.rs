//! `objectives.csv` and `key-results.csv`: the model as two tables, for a
//! spreadsheet, beside `data.json`. One row per objective and per key
//! result; scores are shares from 0 to 1, empty for no data.
//!
//! Text comes from authors: a cell that a spreadsheet would take for a
//! formula (`=`, `+`, `-`, `@`, a tab or a carriage return first) is
//! written with a leading `'`, so opening the file runs nothing.

use std::io::Write;

use crate::model::{KeyResult, Objective, Site, ValueSource};

/// Text safe to open in a spreadsheet.
fn text(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

fn number(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// A computed share (a score, the expected progress) to four decimals, so
/// that float noise does not show.
fn share(value: Option<f64>) -> String {
    number(value.map(|v| (v * 10_000.0).round() / 10_000.0))
}

fn owner_name(site: &Site, o: &Objective) -> String {
    o.owner
        .map_or_else(|| o.owner_id().to_string(), |t| site.teams[t].name.clone())
}

/// One row per objective.
pub fn write_objectives(site: &Site, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut table = csv::Writer::from_writer(out);
    table.write_record([
        "id",
        "title",
        "owner",
        "owner_name",
        "period",
        "parent",
        "commitment",
        "status",
        "progress",
        "expected",
        "grade",
        "key_results",
        "key_results_with_data",
        "path",
    ])?;
    for o in &site.objectives {
        table.write_record([
            o.id.as_str(),
            &text(&o.title),
            &text(o.owner_id()),
            &text(&owner_name(site, o)),
            &text(o.period_id()),
            &text(o.parent_id().unwrap_or("")),
            o.commitment.as_str(),
            o.status.as_str(),
            &share(o.score),
            &share(Some(o.expected)),
            &share(o.grade),
            &o.counted.to_string(),
            &o.with_data.to_string(),
            &o.path,
        ])?;
    }
    table.flush()?;
    Ok(())
}

/// Where a key result's value comes from, as the column says it.
fn source(kr: &KeyResult) -> &'static str {
    match kr.current_source {
        ValueSource::Checkin => "check-in",
        ValueSource::Kpi => "kpi",
        ValueSource::Current => "file",
        ValueSource::None => "",
    }
}

/// One row per key result, named by its objective's id and its own.
pub fn write_key_results(site: &Site, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut table = csv::Writer::from_writer(out);
    table.write_record([
        "objective",
        "id",
        "title",
        "kind",
        "owner",
        "unit",
        "start",
        "target",
        "current",
        "done",
        "progress",
        "status",
        "confidence",
        "due",
        "weight",
        "kpi",
        "source",
        "dropped",
    ])?;
    for o in &site.objectives {
        for kr in &o.key_results {
            table.write_record([
                o.id.as_str(),
                &kr.id,
                &text(&kr.title),
                kr.kind.as_str(),
                &text(kr.owner.as_deref().unwrap_or("")),
                &text(kr.unit.as_deref().unwrap_or("")),
                &number(kr.start),
                &number(kr.target),
                &number(kr.current),
                if kr.kind == crate::load::KrKind::Milestone {
                    if kr.done { "true" } else { "false" }
                } else {
                    ""
                },
                &share(kr.score),
                kr.status.as_str(),
                &number(kr.confidence),
                &kr.due.map(|d| d.to_string()).unwrap_or_default(),
                &number(Some(kr.weight)),
                &text(kr.kpi_id().unwrap_or("")),
                source(kr),
                &text(kr.dropped.as_deref().unwrap_or("")),
            ])?;
        }
    }
    table.flush()?;
    Ok(())
}
