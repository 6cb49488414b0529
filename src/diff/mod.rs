//! `okra diff`: what a change does to the OKRs, for a pull-request review.
//!
//! Both revisions are checked and scored like `okra check` does, and their
//! models compared: objectives and key results added, removed, retitled,
//! re-parented or moved; values, progress and status changed; targets,
//! starts and bands moved (flagged: moving the goalposts is what reviewers
//! must see); KPIs and their measurements; and the diagnostics a change
//! introduces or fixes. The report is Markdown for a pull-request comment or
//! JSON with the same facts.

pub mod git;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{Value, json};

use crate::diagnostic::{Severity, plural};
use crate::load::InMemory;
use crate::model::{KeyResult, Kpi, Objective};
use crate::render::{format_number, percent};
use crate::{CheckOptions, Checked, Date};

/// Settings of `okra diff`.
#[derive(Clone, Debug)]
pub struct DiffOptions {
    /// The site root in the work tree.
    pub root: PathBuf,
    pub base: String,
    /// `None` compares with the work tree.
    pub head: Option<String>,
    pub as_of: Option<Date>,
    /// Report private KPIs too.
    pub include_private: bool,
}

/// One fact about the change.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Change {
    /// `objective`, `key-result` or `kpi`.
    pub kind: &'static str,
    /// `added`, `removed`, `title`, `parent`, `period`, `owner`, `current`,
    /// `progress`, `status`, `target`, `start`, `min`, `max`, `due`,
    /// `weight`, `kind`, `healthy-band`, `measurements-added`,
    /// `measurement-changed`, `measurement-removed`.
    pub change: &'static str,
    /// Owner team id, for grouping.
    pub team: String,
    pub team_name: String,
    /// Period id; empty for KPIs.
    pub period: String,
    /// The objective of a key result.
    pub objective: Option<String>,
    pub id: String,
    pub title: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
    /// Targets, starts, bands or history moved: what reviewers must see.
    pub goalpost: bool,
}

/// A diagnostic introduced or fixed by the change.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub severity: Severity,
    pub code: &'static str,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub message: String,
}

/// The whole comparison.
#[derive(Debug, Serialize)]
pub struct Diff {
    pub base: String,
    pub head: String,
    pub changes: Vec<Change>,
    pub introduced: Vec<Finding>,
    pub fixed: Vec<Finding>,
    /// Errors at the head revision, whether new or not.
    pub head_errors: usize,
}

/// Reads both revisions, checks them and compares them.
pub fn diff(options: &DiffOptions) -> anyhow::Result<Diff> {
    let (top, prefix) = git::locate(&options.root)?;
    // Without `--include-private`, the check already says nothing of a
    // private KPI's problems but their code and severity.
    let check_options = CheckOptions {
        as_of: options.as_of,
        include_private: options.include_private,
    };
    let base_commit = git::resolve(&top, &options.base)?;
    let head_commit = options
        .head
        .as_deref()
        .map(|h| git::resolve(&top, h))
        .transpose()?;

    let base = check_revision(&top, &base_commit, &options.base, &prefix, &check_options)?;
    let head = match &head_commit {
        Some(commit) => check_revision(
            &top,
            commit,
            options.head.as_deref().unwrap_or("HEAD"),
            &prefix,
            &check_options,
        )?,
        None => crate::check(&options.root, &check_options)?,
    };
    Ok(compare(
        &base,
        &head,
        &options.base,
        options.head.as_deref().unwrap_or("work tree"),
        options.include_private,
    ))
}

/// Checks the site under `prefix` as it is at `commit`, read into memory.
fn check_revision(
    top: &Path,
    commit: &str,
    revision: &str,
    prefix: &str,
    options: &CheckOptions,
) -> anyhow::Result<Checked> {
    let files = InMemory::new(
        format!("`{revision}`"),
        git::read_tree(top, commit, prefix)?,
    );
    if !files.contains(crate::load::CONFIG_FILE) {
        let place = if prefix.is_empty() {
            "the repository root".to_string()
        } else {
            format!("`{prefix}`")
        };
        anyhow::bail!("there is no okra.toml in {place} at `{revision}`");
    }
    crate::check_files(&files, options, None)
}

fn team_name(checked: &Checked, id: &str) -> String {
    checked
        .site
        .index
        .teams
        .get(id)
        .map_or_else(|| id.to_string(), |&i| checked.site.teams[i].name.clone())
}

struct Collector<'a> {
    base: &'a Checked,
    head: &'a Checked,
    changes: Vec<Change>,
    include_private: bool,
}

/// Whether a key result shows a value that came from a private KPI: a start
/// or current value it inherited from one.
fn draws_on_private_kpi(checked: &Checked, kr: &KeyResult) -> bool {
    kr.kpi.map(|i| &checked.site.kpis[i]).is_some_and(|kpi| {
        kpi.is_private()
            && (kr.doc.start.is_none() || kr.current_source == crate::model::ValueSource::Kpi)
    })
}

impl Collector<'_> {
    /// Whether values of this key result, in either revision, must not be
    /// shown: they come from a private KPI and the report is not private.
    fn hides_values(&self, old: &KeyResult, new: &KeyResult) -> bool {
        !self.include_private
            && (draws_on_private_kpi(self.base, old) || draws_on_private_kpi(self.head, new))
    }

    /// Whether an objective's progress and status must not be shown: one of
    /// its key results draws on a private KPI.
    fn hides_progress(&self, old: &Objective, new: &Objective) -> bool {
        !self.include_private
            && (old
                .key_results
                .iter()
                .any(|k| draws_on_private_kpi(self.base, k))
                || new
                    .key_results
                    .iter()
                    .any(|k| draws_on_private_kpi(self.head, k)))
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: &'static str,
        change: &'static str,
        objective: Option<&Objective>,
        id: &str,
        title: &str,
        old: Option<Value>,
        new: Option<Value>,
        goalpost: bool,
    ) {
        let (team, period) = objective.map_or((String::new(), String::new()), |o| {
            (o.owner_id().to_string(), o.period_id().to_string())
        });
        self.changes.push(Change {
            kind,
            change,
            team_name: team_name(self.head, &team),
            team,
            period,
            objective: (kind == "key-result")
                .then(|| objective.map(|o| o.id.clone()))
                .flatten(),
            id: id.to_string(),
            title: title.to_string(),
            old,
            new,
            goalpost,
        });
    }

    fn objectives(&mut self) {
        let base: BTreeMap<&str, &Objective> = self
            .base
            .site
            .objectives
            .iter()
            .map(|o| (o.id.as_str(), o))
            .collect();
        let head: BTreeMap<&str, &Objective> = self
            .head
            .site
            .objectives
            .iter()
            .map(|o| (o.id.as_str(), o))
            .collect();
        for (id, o) in &head {
            match base.get(id) {
                None => self.push(
                    "objective",
                    "added",
                    Some(o),
                    id,
                    &o.title,
                    None,
                    Some(json!(o.key_results.len())),
                    false,
                ),
                Some(old) => self.objective_changes(old, o),
            }
        }
        for (id, o) in &base {
            if !head.contains_key(id) {
                self.push(
                    "objective",
                    "removed",
                    Some(o),
                    id,
                    &o.title,
                    None,
                    None,
                    false,
                );
            }
        }
    }

    fn objective_changes(&mut self, old: &Objective, new: &Objective) {
        let text = |a: &str, b: &str| (a != b).then(|| (json!(a), json!(b)));
        for (change, pair) in [
            ("title", text(&old.title, &new.title)),
            (
                "parent",
                (old.parent_id() != new.parent_id())
                    .then(|| (json!(old.parent_id()), json!(new.parent_id()))),
            ),
            ("period", text(old.period_id(), new.period_id())),
            ("owner", text(old.owner_id(), new.owner_id())),
        ] {
            if let Some((a, b)) = pair {
                self.push(
                    "objective",
                    change,
                    Some(new),
                    &new.id,
                    &new.title,
                    Some(a),
                    Some(b),
                    false,
                );
            }
        }
        let hidden = self.hides_progress(old, new);
        let (a, b) = (old.score.unwrap_or(0.0), new.score.unwrap_or(0.0));
        if (a - b).abs() >= 0.005 && !hidden {
            self.push(
                "objective",
                "progress",
                Some(new),
                &new.id,
                &new.title,
                Some(json!(round(a))),
                Some(json!(round(b))),
                false,
            );
        }
        if old.status != new.status && !hidden {
            self.push(
                "objective",
                "status",
                Some(new),
                &new.id,
                &new.title,
                Some(json!(old.status.label())),
                Some(json!(new.status.label())),
                false,
            );
        }
        let base: BTreeMap<&str, &KeyResult> =
            old.key_results.iter().map(|k| (k.id.as_str(), k)).collect();
        for kr in &new.key_results {
            match base.get(kr.id.as_str()) {
                None => self.push(
                    "key-result",
                    "added",
                    Some(new),
                    &kr.id,
                    &kr.title,
                    None,
                    None,
                    false,
                ),
                Some(before) => self.key_result_changes(new, before, kr),
            }
        }
        for kr in &old.key_results {
            if !new.key_results.iter().any(|k| k.id == kr.id) {
                self.push(
                    "key-result",
                    "removed",
                    Some(new),
                    &kr.id,
                    &kr.title,
                    None,
                    None,
                    false,
                );
            }
        }
    }

    fn key_result_changes(&mut self, objective: &Objective, old: &KeyResult, new: &KeyResult) {
        let number = |v: Option<f64>| v.map_or(Value::Null, |n| json!(n));
        let date = |v: Option<Date>| v.map_or(Value::Null, |d| json!(d.to_string()));
        let mut facts: Vec<(&'static str, Value, Value, bool)> = Vec::new();
        if old.title != new.title {
            facts.push(("title", json!(old.title), json!(new.title), false));
        }
        if old.kind != new.kind {
            facts.push((
                "kind",
                json!(old.kind.as_str()),
                json!(new.kind.as_str()),
                true,
            ));
        }
        for (field, a, b) in [
            ("target", old.target, new.target),
            ("start", old.start, new.start),
            ("min", old.min, new.min),
            ("max", old.max, new.max),
        ] {
            if a != b {
                facts.push((field, number(a), number(b), true));
            }
        }
        if old.due != new.due {
            facts.push(("due", date(old.due), date(new.due), true));
        }
        if old.weight != new.weight {
            facts.push(("weight", json!(old.weight), json!(new.weight), true));
        }
        if old.current != new.current {
            facts.push(("current", number(old.current), number(new.current), false));
        }
        if old.done != new.done {
            facts.push(("done", json!(old.done), json!(new.done), false));
        }
        if (old.score - new.score).abs() >= 0.005 {
            facts.push((
                "progress",
                json!(round(old.score)),
                json!(round(new.score)),
                false,
            ));
        }
        if old.status != new.status {
            facts.push((
                "status",
                json!(old.status.label()),
                json!(new.status.label()),
                false,
            ));
        }
        if self.hides_values(old, new) {
            // Inherited values, and the progress and status made from them,
            // would tell what the private KPI measured.
            let inherited = |field: &str| match field {
                "start" => old.doc.start.is_none() || new.doc.start.is_none(),
                "current" | "progress" | "status" => true,
                _ => false,
            };
            facts.retain(|(field, ..)| !inherited(field));
        }
        for (change, a, b, goalpost) in facts {
            self.push(
                "key-result",
                change,
                Some(objective),
                &new.id,
                &new.title,
                Some(a),
                Some(b),
                goalpost,
            );
        }
    }

    fn kpis(&mut self, include_private: bool) {
        let visible = |k: &&Kpi| include_private || !k.is_private();
        let base: BTreeMap<&str, &Kpi> = self
            .base
            .site
            .kpis
            .iter()
            .filter(visible)
            .map(|k| (k.id.as_str(), k))
            .collect();
        let head: BTreeMap<&str, &Kpi> = self
            .head
            .site
            .kpis
            .iter()
            .filter(visible)
            .map(|k| (k.id.as_str(), k))
            .collect();
        for (id, k) in &head {
            let Some(old) = base.get(id) else {
                self.push_kpi(k, "added", None, Some(json!(k.measurements.len())), false);
                continue;
            };
            if old.name != k.name {
                self.push_kpi(
                    k,
                    "title",
                    Some(json!(old.name)),
                    Some(json!(k.name)),
                    false,
                );
            }
            if (old.healthy_min, old.healthy_max) != (k.healthy_min, k.healthy_max) {
                self.push_kpi(
                    k,
                    "healthy-band",
                    Some(json!({"min": old.healthy_min, "max": old.healthy_max})),
                    Some(json!({"min": k.healthy_min, "max": k.healthy_max})),
                    true,
                );
            }
            let before: BTreeMap<Date, f64> =
                old.measurements.iter().map(|m| (m.date, m.value)).collect();
            let after: BTreeMap<Date, f64> =
                k.measurements.iter().map(|m| (m.date, m.value)).collect();
            let added: Vec<(&Date, &f64)> = after
                .iter()
                .filter(|(d, _)| !before.contains_key(d))
                .collect();
            if let Some((date, value)) = added.last() {
                self.push_kpi(
                    k,
                    "measurements-added",
                    None,
                    Some(json!({"count": added.len(), "latest": {"date": date.to_string(), "value": value}})),
                    false,
                );
            }
            for (date, value) in &before {
                match after.get(date) {
                    Some(new) if new != value => self.push_kpi(
                        k,
                        "measurement-changed",
                        Some(json!({"date": date.to_string(), "value": value})),
                        Some(json!({"date": date.to_string(), "value": new})),
                        true,
                    ),
                    None => self.push_kpi(
                        k,
                        "measurement-removed",
                        Some(json!({"date": date.to_string(), "value": value})),
                        None,
                        true,
                    ),
                    _ => {}
                }
            }
        }
        for (id, k) in &base {
            if !head.contains_key(id) {
                self.push_kpi(k, "removed", None, None, false);
            }
        }
    }

    fn push_kpi(
        &mut self,
        kpi: &Kpi,
        change: &'static str,
        old: Option<Value>,
        new: Option<Value>,
        goalpost: bool,
    ) {
        self.changes.push(Change {
            kind: "kpi",
            change,
            team: kpi.owner_id().to_string(),
            team_name: team_name(self.head, kpi.owner_id()),
            period: String::new(),
            objective: None,
            id: kpi.id.clone(),
            title: kpi.name.clone(),
            old,
            new,
            goalpost,
        });
    }
}

fn round(score: f64) -> f64 {
    (score * 1000.0).round() / 1000.0
}

fn findings(checked: &Checked) -> BTreeSet<Finding> {
    checked
        .diagnostics
        .iter()
        .map(|d| {
            let position = d.position(&checked.sources);
            Finding {
                severity: d.severity,
                code: d.code.as_str(),
                file: position.as_ref().map(|p| p.file.clone()),
                line: position
                    .as_ref()
                    .filter(|_| d.span.is_some())
                    .map(|p| p.line),
                message: d.message.clone(),
            }
        })
        .collect()
}

/// Compares two checked revisions.
pub fn compare(
    base: &Checked,
    head: &Checked,
    base_label: &str,
    head_label: &str,
    include_private: bool,
) -> Diff {
    let mut collector = Collector {
        base,
        head,
        changes: Vec::new(),
        include_private,
    };
    collector.objectives();
    collector.kpis(include_private);
    let mut changes = collector.changes;
    changes.sort_by(|a, b| {
        (
            &a.team_name,
            &a.period,
            a.objective.as_ref().unwrap_or(&a.id),
            a.kind != "objective",
            &a.id,
        )
            .cmp(&(
                &b.team_name,
                &b.period,
                b.objective.as_ref().unwrap_or(&b.id),
                b.kind != "objective",
                &b.id,
            ))
    });
    // Line numbers shift with any edit; compare problems without them.
    let key = |f: &Finding| (f.severity, f.code, f.file.clone(), f.message.clone());
    let (before, after) = (findings(base), findings(head));
    let before_keys: BTreeSet<_> = before.iter().map(key).collect();
    let after_keys: BTreeSet<_> = after.iter().map(key).collect();
    Diff {
        base: base_label.to_string(),
        head: head_label.to_string(),
        changes,
        introduced: after
            .iter()
            .filter(|f| !before_keys.contains(&key(f)))
            .cloned()
            .collect(),
        fixed: before
            .iter()
            .filter(|f| !after_keys.contains(&key(f)))
            .cloned()
            .collect(),
        head_errors: head.diagnostics.iter().filter(|d| d.is_error()).count(),
    }
}

/// Escapes text for a Markdown table cell (GitHub also renders HTML). So
/// that the comment is safe to post, `@name` mentions and `#12`,
/// `owner/repo#12` and `GH-12` references are broken with a zero-width
/// space (they would notify people or link issues), and control and
/// bidirectional characters are shown as escapes.
fn cell(text: &str) -> String {
    let text = crate::diagnostic::escape_controls(text, &[]);
    let mut out = String::with_capacity(text.len());
    let mut previous = ' ';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied().unwrap_or(' ');
        let breaks_reference = match c {
            '@' => next.is_alphanumeric() || next == '-' || next == '_',
            '#' => next.is_ascii_digit(),
            '-' => (previous == 'H' || previous == 'h') && next.is_ascii_digit(),
            _ => false,
        };
        previous = c;
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '`' | '*' | '_' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
        if breaks_reference {
            out.push('\u{200b}');
        }
    }
    out
}

/// Text as an inline code span: controls escaped and backticks replaced,
/// so the span cannot end early. Mentions and references inside code are
/// not linked.
fn code(text: &str) -> String {
    format!(
        "`{}`",
        crate::diagnostic::escape_controls(text, &[]).replace('`', "'")
    )
}

/// GitHub refuses comments longer than this many characters.
pub const COMMENT_LIMIT: usize = 65_536;

/// Cuts a report that would be too long for a comment at a line, closes an
/// open `<details>`, keeps a table from ending on its header, and says
/// where the rest is.
fn fit_comment(text: String, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text;
    }
    const NOTE: &str = "\n\n**The report is cut short here**: a comment holds at most 65,536 characters. \
                        `okra diff --format json` gives the whole report.\n";
    let budget = limit.saturating_sub(NOTE.len() + "\n</details>\n".len() + 64);
    let mut kept: Vec<&str> = Vec::new();
    let mut used = 0;
    for line in text.lines() {
        let length = line.chars().count() + 1;
        if used + length > budget {
            break;
        }
        used += length;
        kept.push(line);
    }
    // A table needs its separator row; a header alone is a paragraph.
    while kept
        .last()
        .is_some_and(|l| l.starts_with('|') && !l.starts_with("|---"))
        && kept.len() >= 2
        && !kept[kept.len() - 2].starts_with('|')
    {
        kept.pop();
    }
    let open = kept.iter().filter(|l| l.starts_with("<details>")).count()
        > kept.iter().filter(|l| l.starts_with("</details>")).count();
    let mut out = kept.join("\n");
    if open {
        out.push_str("\n\n</details>");
    }
    out.push_str(NOTE);
    out
}

fn show(value: &Option<Value>, change: &str) -> String {
    let Some(value) = value.as_ref().filter(|_| change != "added") else {
        return String::new();
    };
    match (change, value) {
        ("progress", Value::Number(n)) => percent(n.as_f64().unwrap_or(0.0)),
        (_, Value::Number(n)) => format_number(n.as_f64().unwrap_or(0.0)),
        (_, Value::String(s)) => cell(s),
        (_, Value::Null) => "none".to_string(),
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
        (_, Value::Object(o)) if o.contains_key("date") => format!(
            "{}: {}",
            o["date"].as_str().unwrap_or(""),
            format_number(o["value"].as_f64().unwrap_or(0.0))
        ),
        (_, other) => cell(&other.to_string()),
    }
}

fn describe(change: &Change) -> String {
    match (change.kind, change.change) {
        ("objective", "added") => {
            let count = change.new.as_ref().and_then(Value::as_u64).unwrap_or(0) as usize;
            format!("objective added ({})", plural(count, "key result"))
        }
        (kind, "added") => format!("{} added", kind.replace('-', " ")),
        (kind, "removed") => format!("{} removed", kind.replace('-', " ")),
        (_, "title") => "retitled".to_string(),
        (_, "parent") => "re-parented".to_string(),
        (_, "period") => "moved to another period".to_string(),
        (_, other) => other.replace('-', " "),
    }
}

fn subject(change: &Change) -> String {
    match (&change.objective, change.kind) {
        (Some(objective), _) => format!("{} <sub>({})</sub>", cell(&change.title), cell(objective)),
        (None, "kpi") => format!("KPI {}", cell(&change.title)),
        _ => format!("**{}**", cell(&change.title)),
    }
}

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
    let count = |kind: &str, change: &str| {
        diff.changes
            .iter()
            .filter(|c| c.kind == kind && c.change == change)
            .count()
    };
    let mut summary = Vec::new();
    for (kind, change, noun) in [
        ("objective", "added", "objective"),
        ("objective", "removed", "objective"),
        ("key-result", "added", "key result"),
        ("key-result", "removed", "key result"),
        ("kpi", "added", "KPI"),
        ("kpi", "removed", "KPI"),
    ] {
        let n = count(kind, change);
        if n > 0 {
            summary.push(format!("{} {change}", plural(n, noun)));
        }
    }
    let updates = diff
        .changes
        .iter()
        .filter(|c| !matches!(c.change, "added" | "removed") && !c.goalpost)
        .count();
    if updates > 0 {
        summary.push(plural(updates, "update"));
    }
    let goalposts: Vec<&Change> = diff.changes.iter().filter(|c| c.goalpost).collect();
    if !goalposts.is_empty() {
        summary.push(format!(
            "**⚠️ {} moved**",
            plural(goalposts.len(), "goalpost")
        ));
    }
    let introduced_errors = diff
        .introduced
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    if introduced_errors > 0 {
        summary.push(format!(
            "**{} introduced**",
            plural(introduced_errors, "error")
        ));
    }
    if !diff.fixed.is_empty() {
        summary.push(format!("{} fixed", plural(diff.fixed.len(), "problem")));
    }
    if summary.is_empty() {
        out.push_str("No changes to objectives, key results or KPIs.\n");
    } else {
        let _ = writeln!(out, "{}.", summary.join(" · "));
    }
    if diff.head_errors > 0 {
        let _ = writeln!(
            out,
            "\n❌ `okra check` reports {} at {}.",
            plural(diff.head_errors, "error"),
            code(&diff.head)
        );
    }

    if !goalposts.is_empty() {
        out.push_str("\n#### ⚠️ Moved goalposts\n\n| Team · period | Objective / key result | Changed | From | To |\n|---|---|---|---|---|\n");
        for c in &goalposts {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                group_label(c),
                subject(c),
                describe(c),
                show(&c.old, c.change),
                show(&c.new, c.change)
            );
        }
    }

    let mut rows = Vec::new();
    let mut current_group = String::new();
    for c in diff.changes.iter().filter(|c| !c.goalpost) {
        let group = group_label(c);
        if group != current_group {
            rows.push(format!("\n#### {group}\n\n| Change | Objective / key result | From | To |\n|---|---|---|---|"));
            current_group = group;
        }
        rows.push(format!(
            "| {} | {} | {} | {} |",
            describe(c),
            subject(c),
            show(&c.old, c.change),
            show(&c.new, c.change)
        ));
    }
    let data_rows = |slice: &[String]| slice.iter().filter(|r| r.starts_with("| ")).count();
    let mut split = rows.len();
    let mut shown = 0;
    for (i, row) in rows.iter().enumerate() {
        if row.starts_with("| ") {
            shown += 1;
            if shown > ROWS_SHOWN {
                split = rows[..i]
                    .iter()
                    .rposition(|r| r.starts_with('\n'))
                    .filter(|&p| p > 0)
                    .unwrap_or(i);
                break;
            }
        }
    }
    for row in &rows[..split] {
        let _ = writeln!(out, "{row}");
    }
    if split < rows.len() {
        let _ = writeln!(
            out,
            "\n<details><summary>{} more changes</summary>\n",
            data_rows(&rows[split..])
        );
        for row in &rows[split..] {
            let _ = writeln!(out, "{row}");
        }
        out.push_str("\n</details>\n");
    }

    if !diff.introduced.is_empty() || !diff.fixed.is_empty() {
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
                let _ = writeln!(
                    out,
                    "| {mark} | {} | `{}` | {place} | {} |",
                    f.severity.as_str(),
                    f.code,
                    cell(&f.message)
                );
            }
        }
    }
    fit_comment(out, COMMENT_LIMIT)
}

fn group_label(c: &Change) -> String {
    match (c.team_name.is_empty(), c.period.is_empty()) {
        (false, false) => format!("{} · {}", cell(&c.team_name), cell(&c.period)),
        (false, true) => format!("{} · KPIs", cell(&c.team_name)),
        _ => "Other".to_string(),
    }
}

/// The report as JSON.
pub fn render_json(diff: &Diff) -> String {
    let mut text = serde_json::to_string_pretty(diff).expect("the diff serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_neither_mention_nor_link_nor_reorder() {
        let text = cell("ping @octocat and @org/team, see #12, acme/okrs#7 and GH-3; mail a@b");
        for live in ["@octocat", "@org", "#12", "#7", "GH-3"] {
            assert!(!text.contains(live), "{live} in {text}");
        }
        assert!(text.contains("@\u{200b}octocat"), "{text}");
        assert!(cell("issue #x, C# and 50%").contains("#x"));
        let shown = cell("evil\u{202e}txt.exe\u{1b}[31m");
        assert!(
            shown.contains("\\u{202e}") && shown.contains("\\u{1b}"),
            "{shown}"
        );
        assert!(!shown.contains('\u{202e}') && !shown.contains('\u{1b}'));
        assert_eq!(code("a`b\u{7}"), "`a'b\\u{7}`");
    }

    #[test]
    fn long_reports_are_cut_to_fit_a_comment() {
        let mut text = String::from(
            "### okra diff\n\n<details><summary>more</summary>\n\n| A | B |\n|---|---|\n",
        );
        for i in 0..20_000 {
            text.push_str(&format!("| row {i} | value |\n"));
        }
        text.push_str("</details>\n");
        let cut = fit_comment(text, COMMENT_LIMIT);
        assert!(cut.chars().count() <= COMMENT_LIMIT);
        assert!(cut.contains("--format json"));
        assert_eq!(
            cut.matches("<details>").count(),
            cut.matches("</details>").count()
        );
        let short = "| A |\n|---|\n| 1 |\n".to_string();
        assert_eq!(fit_comment(short.clone(), COMMENT_LIMIT), short);
        // A cut never leaves a table's header without its separator.
        let mut table = String::new();
        for i in 0..100 {
            table.push_str(&format!(
                "\n#### Group {i}\n\n| Change | X |\n|---|---|\n| a | b |\n"
            ));
        }
        for limit in 300..600 {
            let cut = fit_comment(table.clone(), limit);
            let lines: Vec<&str> = cut.lines().collect();
            for pair in lines.windows(2) {
                if pair[0].starts_with("| Change") {
                    assert!(pair[1].starts_with("|---"), "{limit}: {cut}");
                }
            }
            assert!(
                !lines
                    .iter()
                    .rev()
                    .find(|l| !l.is_empty() && !l.starts_with("**") && !l.starts_with('`'))
                    .is_some_and(|l| l.starts_with("| Change")),
                "{limit}: {cut}"
            );
        }
    }
}
