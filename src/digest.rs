//! `okra digest --since DATE`: what happened to the OKRs since a date, for
//! a scheduled job to post to chat or an issue.
//!
//! Check-ins, overdue milestones and stale KPIs come from the site as it
//! is. What moved, and what went off track, come from comparing it with
//! the last commit before DATE, when the site is in a git repository.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

use crate::diff::report::{cell, code, link};
use crate::diff::{Change, Diff, Place};
use crate::model::{KeyResult, Objective};
use crate::period::Phase;
use crate::render::percent;
use crate::{CheckOptions, Checked, Date};

/// Settings of `okra digest`.
#[derive(Clone, Debug)]
pub struct DigestOptions {
    pub root: PathBuf,
    pub since: Date,
    pub as_of: Option<Date>,
    pub include_private: bool,
    /// Report draft objectives too.
    pub drafts: bool,
    /// The repository's web address, for links to files.
    pub repository: Option<String>,
}

/// An objective whose progress or status moved.
#[derive(Debug, Serialize)]
pub struct Moved {
    pub id: String,
    pub title: String,
    pub team: String,
    pub url: Option<String>,
    pub old_progress: Option<f64>,
    pub new_progress: Option<f64>,
    pub old_status: Option<String>,
    pub new_status: String,
    /// New since the date (or published: no longer a draft).
    pub added: bool,
}

/// A check-in made since the date.
#[derive(Debug, Serialize)]
pub struct CheckinSince {
    pub date: String,
    pub objective: String,
    pub objective_title: String,
    pub key_result: String,
    /// The value with its unit, done, or the score.
    pub value: Option<String>,
    pub confidence: Option<f64>,
    pub note: Option<String>,
    /// Who reported it, when the site is in a git repository.
    pub reported: Option<crate::model::Reported>,
}

/// Something that needs attention, with the reason.
#[derive(Debug, Serialize)]
pub struct Attention {
    pub objective: String,
    pub objective_title: String,
    pub key_result: Option<String>,
    pub reason: String,
}

/// The digest.
#[derive(Debug, Serialize)]
pub struct Digest {
    pub since: String,
    pub as_of: String,
    /// The commit compared with, when there was one.
    pub base: Option<String>,
    pub moved: Vec<Moved>,
    pub checkins: Vec<CheckinSince>,
    pub off_track: Vec<Attention>,
    pub overdue: Vec<Attention>,
    pub stale_kpis: Vec<Attention>,
    /// Running key results with no update since the date.
    pub not_updated: Vec<Attention>,
    /// Why there is no comparison, when there is none.
    pub note: Option<String>,
}

/// Makes the digest of the site at `options.root`. With `as_of`, the site
/// is read as the last commit on or before that day left it, as
/// `build --history --as-of` reads it.
pub fn digest(options: &DigestOptions) -> anyhow::Result<Digest> {
    let check_options = CheckOptions {
        as_of: options.as_of,
        include_private: options.include_private,
        retention: crate::load::Retention::KEEP,
    };
    let located = crate::load::git::locate(&options.root).ok();
    // The commit the head was read from, when not the work tree.
    let (mut head, believed) = match (options.as_of, &located) {
        (Some(day), Some(_)) => {
            let (checked, commit) =
                crate::diff::history::check_as_believed_at(&options.root, day, &check_options)?;
            (checked, Some(commit))
        }
        _ => (crate::check(&options.root, &check_options)?, None),
    };
    // Who reported each check-in, from the same history.
    if located.is_some() {
        crate::diff::history::annotate(&mut head.site, &options.root)?;
    }
    let head_drafts = crate::diff::draft_ids(&head);
    // The rule a build publishes by: drafts are left out, with their
    // check-ins and notes. Private KPIs stay in the model, for the
    // comparison to hide the values that key results take from them.
    head.site.publish(options.drafts, true);
    let Some((top, prefix)) = located else {
        let note = "the site is not in a git repository: nothing to compare with";
        return Ok(make(&head, options, None, None, Some(note.into())));
    };
    let Some(commit) = crate::load::git::last_commit_before(&top, options.since)? else {
        let note = format!("the repository has no commit before {}", options.since);
        return Ok(make(&head, options, None, None, Some(note)));
    };
    // A site younger than the date has nothing to compare with.
    let mut base =
        match crate::diff::check_revision(&top, &commit, &commit, &prefix, &check_options) {
            Ok(base) => base,
            Err(error) => {
                let note = format!("{error:#}");
                return Ok(make(&head, options, None, None, Some(note)));
            }
        };
    let base_drafts = crate::diff::draft_ids(&base);
    base.site.publish(options.drafts, true);
    let head_commit = believed.or_else(|| crate::load::git::resolve(&top, "HEAD").ok());
    let place = Place {
        prefix: crate::load::git::slashed(&prefix),
        repository: crate::diff::repository(options.repository.as_deref(), &head)?,
        base_commit: Some(commit.clone()),
        head_commit,
        base_drafts,
        head_drafts,
    };
    let label = options.since.to_string();
    let diff = crate::diff::compare(
        &base,
        &head,
        (&label, "now"),
        &place,
        options.include_private,
    );
    Ok(make(&head, options, Some(&diff), Some(commit), None))
}

fn make(
    head: &Checked,
    options: &DigestOptions,
    diff: Option<&Diff>,
    base: Option<String>,
    note: Option<String>,
) -> Digest {
    let site = &head.site;
    let since = options.since;
    let running: Vec<&Objective> = site
        .objectives
        .iter()
        .filter(|o| o.phase == Phase::Running && !o.draft)
        .collect();
    let hidden = |kr: &KeyResult| !options.include_private && site.uses_private_kpi(kr);
    let mut checkins = checkins_since(site, since, &hidden);
    checkins.sort_by(|a, b| b.date.cmp(&a.date));
    let (mut overdue, mut not_updated) = (Vec::new(), Vec::new());
    for o in &running {
        for kr in o.key_results.iter().filter(|kr| kr.dropped.is_none()) {
            let attention = |reason: String| Attention {
                objective: o.id.clone(),
                objective_title: o.title.clone(),
                key_result: Some(kr.title.clone()),
                reason,
            };
            if let (true, Some(due)) = (kr.is_overdue(site.as_of), kr.due) {
                overdue.push(attention(format!("was due {due}")));
            }
            if !updated_since(kr, since, diff, o) {
                not_updated.push(attention(match last_update(kr) {
                    Some(day) => format!("last updated {day}"),
                    None => "never updated".to_string(),
                }));
            }
        }
    }
    Digest {
        since: since.to_string(),
        as_of: site.as_of.to_string(),
        base,
        moved: diff.map(|d| moved(head, d)).unwrap_or_default(),
        checkins,
        off_track: off_track(&running, diff),
        overdue,
        stale_kpis: stale_kpis(site, options.include_private),
        not_updated,
        note,
    }
}

/// Check-ins dated from `since` to the as-of date, of key results whose
/// values may be shown.
fn checkins_since(
    site: &crate::Site,
    since: Date,
    hidden: &dyn Fn(&KeyResult) -> bool,
) -> Vec<CheckinSince> {
    let mut out = Vec::new();
    for o in &site.objectives {
        for kr in o.key_results.iter().filter(|kr| !hidden(kr)) {
            let recent = kr
                .checkins
                .iter()
                .filter(|c| c.date >= since && c.date <= site.as_of);
            for c in recent {
                out.push(CheckinSince {
                    date: c.date.to_string(),
                    objective: o.id.clone(),
                    objective_title: o.title.clone(),
                    key_result: kr.title.clone(),
                    value: Some(crate::diff::history::checkin_text(kr, c)),
                    confidence: c.confidence,
                    note: c.note.clone(),
                    reported: c.reported.clone(),
                });
            }
        }
    }
    out
}

/// KPIs not measured within their cadence.
fn stale_kpis(site: &crate::Site, include_private: bool) -> Vec<Attention> {
    let shown = site
        .kpis
        .iter()
        .filter(|k| include_private || !k.is_private());
    shown
        .filter(|k| k.status == crate::model::KpiStatus::Stale)
        .map(|k| Attention {
            objective: k.id.clone(),
            objective_title: k.name.clone(),
            key_result: None,
            reason: match &k.latest {
                Some(m) => format!("last measured {}; measured {}", m.date, k.cadence.as_str()),
                None => "never measured".to_string(),
            },
        })
        .collect()
}

/// Objectives whose progress or status moved since the base, or that are
/// new.
fn moved(head: &Checked, diff: &Diff) -> Vec<Moved> {
    let status_of = |o: &crate::diff::ObjectiveDiff| -> String {
        head.site
            .index
            .objectives
            .get(&o.id)
            .map_or(String::new(), |&i| {
                head.site.objectives[i].status.label().to_string()
            })
    };
    let mut out = Vec::new();
    for o in &diff.objectives {
        let fact = |field: &str| o.facts.iter().find(|f| f.field == field);
        let (progress, status) = (fact("progress"), fact("status"));
        if o.change == Change::Removed
            || (progress.is_none() && status.is_none() && o.change == Change::Changed)
        {
            continue;
        }
        let added = o.change == Change::Added;
        let now = head
            .site
            .index
            .objectives
            .get(&o.id)
            .and_then(|&i| head.site.objectives[i].score);
        out.push(Moved {
            id: o.id.clone(),
            title: o.title.clone(),
            team: o.team_name.clone(),
            url: o.url.clone(),
            added,
            old_progress: progress.and_then(|f| f.old.as_f64()),
            new_progress: match progress {
                Some(f) => f.new.as_f64(),
                None if added => now,
                None => None,
            },
            old_status: status.and_then(|f| f.old.as_str()).map(str::to_string),
            new_status: match status.and_then(|f| f.new.as_str()) {
                Some(status) => status.to_string(),
                None => status_of(o),
            },
        });
    }
    out
}

/// Running objectives and key results at risk or off track: those that
/// went there since the base when there is one, else all of them.
fn off_track(running: &[&Objective], diff: Option<&Diff>) -> Vec<Attention> {
    let went = |id: &str, kr: Option<&str>| -> bool {
        let Some(diff) = diff else {
            return true;
        };
        let Some(o) = diff.objectives.iter().find(|o| o.id == id) else {
            return false;
        };
        let facts = match kr {
            None => &o.facts,
            Some(title) => match o.key_results.iter().find(|k| k.title == title) {
                Some(k) => &k.facts,
                None => return false,
            },
        };
        o.change == Change::Added || facts.iter().any(|f| f.field == "status")
    };
    let mut out = Vec::new();
    for o in running
        .iter()
        .filter(|o| o.status.is_behind() && went(&o.id, None))
    {
        let behind: Vec<String> = o
            .key_results
            .iter()
            .filter(|kr| kr.status.is_behind())
            .map(|kr| format!("“{}” {}", kr.title, kr.status.label()))
            .collect();
        out.push(Attention {
            objective: o.id.clone(),
            objective_title: o.title.clone(),
            key_result: None,
            reason: if behind.is_empty() {
                o.status.label().to_string()
            } else {
                format!("{}: {}", o.status.label(), behind.join("; "))
            },
        });
    }
    for o in running.iter().filter(|o| !o.status.is_behind()) {
        for kr in o
            .key_results
            .iter()
            .filter(|kr| kr.status.is_behind() && went(&o.id, Some(&kr.title)))
        {
            out.push(Attention {
                objective: o.id.clone(),
                objective_title: o.title.clone(),
                key_result: Some(kr.title.clone()),
                reason: kr.status.label().to_string(),
            });
        }
    }
    out
}

/// Whether a key result was updated since the date: a check-in since
/// then, a value taken from a KPI, or (with a base to compare with) a value
/// edited in place.
fn updated_since(kr: &KeyResult, since: Date, diff: Option<&Diff>, o: &Objective) -> bool {
    if kr.checkins.iter().any(|c| c.date >= since) {
        return true;
    }
    if kr.current_source == crate::model::ValueSource::Kpi {
        return true;
    }
    // Without a revision to compare with, only check-ins carry dates.
    diff.map_or(kr.checkins.is_empty(), |diff| {
        diff.objectives.iter().any(|d| {
            d.id == o.id
                && (d.change == Change::Added
                    || d.key_results
                        .iter()
                        .any(|k| k.title == kr.title && !k.facts.is_empty()))
        })
    })
}

/// The last day a key result's values were updated: its latest check-in,
/// or, for a key result without check-ins, the last commit that changed a
/// value written in place.
fn last_update(kr: &KeyResult) -> Option<Date> {
    match kr.checkins.iter().map(|c| c.date).max() {
        Some(day) => Some(day),
        None => kr.past.last().map(|p| p.date),
    }
}

/// The digest as Markdown, for chat or an issue.
pub fn render_markdown(d: &Digest) -> String {
    let mut out = format!("### OKR digest: since {} (as of {})\n\n", d.since, d.as_of);
    let counts = [
        (d.moved.len(), "objective moved", "objectives moved"),
        (d.checkins.len(), "check-in", "check-ins"),
        (
            d.off_track.len(),
            "off track or at risk",
            "off track or at risk",
        ),
        (d.overdue.len(), "overdue milestone", "overdue milestones"),
        (d.stale_kpis.len(), "stale KPI", "stale KPIs"),
        (
            d.not_updated.len(),
            "key result not updated",
            "key results not updated",
        ),
    ];
    let line: Vec<String> = counts
        .iter()
        .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect();
    let _ = writeln!(out, "{}.", line.join(" · "));
    if let Some(note) = &d.note {
        let _ = writeln!(out, "\n_Progress moves are not shown: {note}._");
    }
    moved_table(&mut out, &d.moved);
    checkins_table(&mut out, &d.checkins);
    for (title, list) in [
        ("Off track or at risk", &d.off_track),
        ("Overdue milestones", &d.overdue),
        ("Stale KPIs", &d.stale_kpis),
        ("Not updated", &d.not_updated),
    ] {
        attention_table(&mut out, title, list);
    }
    if d.base.is_some() {
        let _ = writeln!(
            out,
            "\n<sub>Compared with {}.</sub>",
            code(d.base.as_deref().unwrap_or(""))
        );
    }
    out
}

fn moved_table(out: &mut String, moved: &[Moved]) {
    if moved.is_empty() {
        return;
    }
    out.push_str("\n#### Moved\n\n| Objective | Team | Progress | Status |\n|---|---|---|---|\n");
    for m in moved {
        let title = match &m.url {
            Some(url) => link(&m.title, url),
            None => cell(&m.title),
        };
        let progress = crate::format::score_text;
        let status = match &m.old_status {
            Some(old) if !m.added => format!("{old} → {}", m.new_status),
            _ => m.new_status.clone(),
        };
        let moved = if m.added {
            format!("new: {}", progress(m.new_progress))
        } else {
            format!(
                "{} → {}",
                progress(m.old_progress),
                progress(m.new_progress)
            )
        };
        let _ = writeln!(out, "| {title} | {} | {moved} | {status} |", cell(&m.team));
    }
}

fn checkins_table(out: &mut String, checkins: &[CheckinSince]) {
    if checkins.is_empty() {
        return;
    }
    out.push_str("\n#### Check-ins\n\n| Date | Objective | Key result | Value | Note | Reported by |\n|---|---|---|---|---|---|\n");
    for c in checkins {
        let mut value = c.value.clone().unwrap_or_default();
        if let Some(confidence) = c.confidence {
            let _ = write!(value, " (confidence {})", percent(confidence));
        }
        let reported = c.reported.as_ref().map_or(String::new(), |r| {
            format!("{} on {} ({})", cell(&r.author), r.date, code(&r.commit))
        });
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {reported} |",
            c.date,
            cell(&c.objective_title),
            cell(&c.key_result),
            cell(value.trim()),
            c.note.as_deref().map(cell).unwrap_or_default()
        );
    }
}

fn attention_table(out: &mut String, title: &str, list: &[Attention]) {
    if list.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "\n#### {title}\n\n| Item | Key result | Why |\n|---|---|---|\n"
    );
    for a in list {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            cell(&a.objective_title),
            a.key_result.as_deref().map(cell).unwrap_or_default(),
            cell(&a.reason)
        );
    }
}

/// Text for a chat message: controls shown as escapes, on one line, with
/// mentions (`@here`, `@name`) broken by a zero-width space and angle
/// brackets (which chat clients read as links and mentions) replaced.
fn plain(text: &str) -> String {
    let text = crate::diagnostic::escape_controls(text, &[]);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\r' => out.push(' '),
            '<' => out.push('‹'),
            '>' => out.push('›'),
            '@' if chars.peek().is_some_and(|n| n.is_alphanumeric()) => out.push_str("@\u{200b}"),
            _ => out.push(c),
        }
    }
    out
}

/// The digest as plain text, for chat clients that do not render
/// Markdown tables: a heading, the counts, then one line an item.
pub fn render_text(d: &Digest) -> String {
    let markdown = render_markdown(d);
    let counts = markdown.lines().nth(2).unwrap_or_default();
    let mut out = format!(
        "OKR digest: since {} (as of {})\n{counts}\n",
        d.since, d.as_of
    );
    if let Some(note) = &d.note {
        let _ = writeln!(out, "Progress moves are not shown: {}.", plain(note));
    }
    if !d.moved.is_empty() {
        out.push_str("\nMoved\n");
        for m in &d.moved {
            let progress = crate::format::score_text;
            let moved = if m.added {
                format!("new, {}", progress(m.new_progress))
            } else {
                format!(
                    "{} → {}",
                    progress(m.old_progress),
                    progress(m.new_progress)
                )
            };
            let status = match &m.old_status {
                Some(old) if !m.added => format!("{old} → {}", m.new_status),
                _ => m.new_status.clone(),
            };
            let _ = writeln!(
                out,
                "- {} ({}): {moved}, {status}",
                plain(&m.title),
                plain(&m.team)
            );
        }
    }
    if !d.checkins.is_empty() {
        out.push_str("\nCheck-ins\n");
        for c in &d.checkins {
            let mut line = format!(
                "- {} {} / {}: {}",
                c.date,
                plain(&c.objective_title),
                plain(&c.key_result),
                plain(c.value.as_deref().unwrap_or(""))
            );
            if let Some(confidence) = c.confidence {
                let _ = write!(line, " (confidence {})", percent(confidence));
            }
            if let Some(note) = &c.note {
                let _ = write!(line, " “{}”", plain(note));
            }
            if let Some(r) = &c.reported {
                let _ = write!(line, " (reported by {} on {})", plain(&r.author), r.date);
            }
            let _ = writeln!(out, "{line}");
        }
    }
    for (title, list) in [
        ("Off track or at risk", &d.off_track),
        ("Overdue milestones", &d.overdue),
        ("Stale KPIs", &d.stale_kpis),
        ("Not updated", &d.not_updated),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = write!(out, "\n{title}\n");
        for a in list {
            let item = match &a.key_result {
                Some(kr) => format!("{} / {}", plain(&a.objective_title), plain(kr)),
                None => plain(&a.objective_title),
            };
            let _ = writeln!(out, "- {item}: {}", plain(&a.reason));
        }
    }
    out
}

/// The digest as JSON.
pub fn render_json(d: &Digest) -> String {
    let mut text = serde_json::to_string_pretty(d).expect("the digest serialises");
    text.push('\n');
    text
}
