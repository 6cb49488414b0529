//! `objectives.csv` and `key-results.csv`: the model as two tables, for a
//! spreadsheet, beside `data.json`. One row per objective and per key
//! result; scores are shares from 0 to 1, empty for no data.
//!
//! Text comes from authors. Every text cell is quoted, so that a
//! spreadsheet splitting on `;`, a tab or `|` keeps it whole, and a cell
//! that a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, a tab or
//! a carriage return first, or right after a separator) is written with a
//! leading `'`, so opening the file runs nothing.

use std::io::Write;

use crate::model::{KeyResult, Objective, Site, ValueSource};

/// Characters a spreadsheet may split a line on.
const SEPARATORS: [char; 4] = [',', ';', '\t', '|'];

/// Text safe to open in a spreadsheet, whatever it splits lines on.
fn text(value: &str) -> std::borrow::Cow<'_, str> {
    let formula = |s: &str| {
        s.trim_start_matches(' ')
            .starts_with(['=', '+', '-', '@', '\t', '\r'])
    };
    let risky = formula(value)
        || value
            .match_indices(SEPARATORS)
            .any(|(at, sep)| formula(&value[at + sep.len()..]));
    if risky {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

/// A CSV writer that quotes every cell that is not a number.
fn writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::NonNumeric)
        .from_writer(out)
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
pub(super) fn write_objectives(site: &Site, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut table = writer(out);
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
            &text(o.parent.map_or("", |p| site.objectives[p].id.as_str())),
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
pub(super) fn write_key_results(site: &Site, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut table = writer(out);
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
                if kr.kind.traits().task {
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
