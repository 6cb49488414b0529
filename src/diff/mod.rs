//! `okra diff`: what a change does to the OKRs, for a pull-request review.
//!
//! Both revisions are checked and scored like `okra check` does, and their
//! models compared: objectives and key results added, removed, retitled,
//! re-parented or moved; values, progress and status changed; targets,
//! starts and bands moved (flagged: moving the goalposts is what reviewers
//! must see); KPIs and their measurements; and the diagnostics a change
//! introduces or fixes. The report is Markdown for a pull-request comment or
//! JSON with the same facts.

mod collect;

pub mod history;
mod ids;
mod impact;
mod matching;
pub(crate) mod report;

pub use matching::Matched;
pub use report::{render_json, render_markdown};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::diagnostic::{Severity, plural};
use crate::load::{InMemory, git};
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
    /// Report draft objectives too.
    pub drafts: bool,
    /// The repository's web address, for links to files; `okra.toml`'s
    /// `repository` when `None`.
    pub repository: Option<String>,
}

/// What makes `okra diff --fail-on` exit with 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// The head revision has errors.
    Errors,
    /// A target, start, band, weight, due date or history moved.
    Goalposts,
    /// The change introduces a warning or an error.
    Warnings,
}

impl FailOn {
    /// Why the run fails, or `None` when it does not.
    pub fn reason(self, diff: &Diff) -> Option<String> {
        let s = &diff.summary;
        match self {
            FailOn::Errors => (diff.head_errors > 0).then(|| {
                format!(
                    "`okra check` reports {} at {}",
                    plural(diff.head_errors, "error"),
                    diff.head
                )
            }),
            FailOn::Goalposts => {
                (s.goalposts > 0).then(|| format!("{} moved", plural(s.goalposts, "goalpost")))
            }
            FailOn::Warnings => {
                let n = s.warnings_introduced + s.errors_introduced;
                (n > 0).then(|| format!("the change introduces {}", plural(n, "problem")))
            }
        }
    }
}

/// One field that changed: old and new value.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Fact {
    /// `title`, `parent`, `period`, `owner`, `commitment`, `grade` (a
    /// goalpost when raised or taken back), `draft`, `retrospective`,
    /// `priority`, `links`, `contributors`, `owners`, `progress`, `status`,
    /// `current`, `done`, `confidence`, `target`, `start`, `min`, `max`,
    /// `due`, `weight`, `kind`, `dropped`, `healthy-band`,
    /// `measurements-added`, `measurement-changed`, `measurement-removed`,
    /// `checkin-changed`, `checkin-removed`, `checkin-note`,
    /// `key-result-removed`; of `okra.toml`: `period-start`, `period-end`
    /// and the `[grading]` thresholds (`grading-committed-achieved`…).
    pub field: &'static str,
    pub old: Value,
    pub new: Value,
    /// Targets, starts, bands or history moved: what reviewers must see.
    pub goalpost: bool,
}

/// What happened to an objective, key result or KPI.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Removed,
    Changed,
}

/// A key result as it stands in one revision.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct KeyResultState {
    pub kind: crate::model::KrKind,
    /// The current value (metric and health), or the hand score.
    pub value: Option<f64>,
    pub done: bool,
    pub start: Option<f64>,
    pub target: Option<f64>,
    pub unit: Option<String>,
    /// 0–1; `None` for no data (or hidden: drawn from a private KPI).
    pub progress: Option<f64>,
    pub status: &'static str,
    /// Where it stands in its owner's judgement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported_status: Option<crate::model::Judgement>,
    pub confidence: Option<f64>,
}

/// A key result added, removed or changed.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct KeyResultDiff {
    /// Its id at the head (at the base when removed).
    pub id: String,
    pub title: String,
    pub change: Change,
    /// How it was told to be the same key result as the base's.
    pub matched: Option<matching::Matched>,
    pub before: Option<KeyResultState>,
    pub after: Option<KeyResultState>,
    pub facts: Vec<Fact>,
    /// Check-ins the change added.
    pub checkins: Vec<crate::model::Checkin>,
}

/// A parent objective whose progress or status a change moves.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Impact {
    pub id: String,
    pub title: String,
    pub old_progress: Option<f64>,
    pub new_progress: Option<f64>,
    pub old_status: &'static str,
    pub new_status: &'static str,
}

/// An objective added, removed or changed, with its key results.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ObjectiveDiff {
    pub id: String,
    pub title: String,
    pub change: Change,
    /// Owner team id and name, and period id, for grouping.
    pub team: String,
    pub team_name: String,
    pub period: String,
    /// The file, from the repository root.
    pub path: String,
    /// The file on the repository's web pages, when its address is known.
    pub url: Option<String>,
    pub facts: Vec<Fact>,
    pub key_results: Vec<KeyResultDiff>,
    /// The parents it moves.
    pub impact: Vec<Impact>,
}

/// A team added, removed, renamed or moved in the hierarchy.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TeamDiff {
    pub id: String,
    pub name: String,
    pub change: Change,
    /// `name`, `parent` (`{"id", "name"}` or `null` at the top) and `kind`.
    pub facts: Vec<Fact>,
}

/// A KPI added, removed or changed.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct KpiDiff {
    pub id: String,
    pub name: String,
    pub change: Change,
    pub team: String,
    pub team_name: String,
    pub facts: Vec<Fact>,
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

/// The counts the report opens with; each is the number of rows shown.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub objectives_added: usize,
    pub objectives_removed: usize,
    pub objectives_changed: usize,
    pub key_results_added: usize,
    pub key_results_removed: usize,
    pub key_results_changed: usize,
    pub kpis_added: usize,
    pub kpis_removed: usize,
    pub kpis_changed: usize,
    pub teams_added: usize,
    pub teams_removed: usize,
    pub teams_changed: usize,
    /// Facts that move goalposts: rows of the goalposts table.
    pub goalposts: usize,
    pub errors_introduced: usize,
    pub warnings_introduced: usize,
    pub errors_fixed: usize,
    pub warnings_fixed: usize,
}

/// The whole comparison.
#[derive(Debug, Serialize)]
pub struct Diff {
    pub base: String,
    pub head: String,
    pub summary: Summary,
    pub objectives: Vec<ObjectiveDiff>,
    pub kpis: Vec<KpiDiff>,
    pub teams: Vec<TeamDiff>,
    /// Changes to `okra.toml` that move the bar for every objective: a
    /// declared period's dates, the grading thresholds. Each names what it
    /// is about (`period 2026-H2`, `[grading]`).
    pub settings: Vec<(String, Fact)>,
    pub introduced: Vec<Finding>,
    pub fixed: Vec<Finding>,
    /// Errors at the head revision, whether new or not.
    pub head_errors: usize,
}

impl Diff {
    /// Every fact that moves a goalpost, with the objective or KPI and key
    /// result it belongs to.
    pub fn goalposts(&self) -> Vec<(&str, Option<&KeyResultDiff>, &Fact)> {
        let mut out = Vec::new();
        for o in &self.objectives {
            out.extend(
                o.facts
                    .iter()
                    .filter(|f| f.goalpost)
                    .map(|f| (o.title.as_str(), None, f)),
            );
            for kr in &o.key_results {
                out.extend(
                    kr.facts
                        .iter()
                        .filter(|f| f.goalpost)
                        .map(|f| (o.title.as_str(), Some(kr), f)),
                );
            }
        }
        for k in &self.kpis {
            out.extend(
                k.facts
                    .iter()
                    .filter(|f| f.goalpost)
                    .map(|f| (k.name.as_str(), None, f)),
            );
        }
        out.extend(
            self.settings
                .iter()
                .filter(|(_, f)| f.goalpost)
                .map(|(what, f)| (what.as_str(), None, f)),
        );
        out
    }
}

/// Where the revisions' files are, for paths and links in the report.
#[derive(Clone, Debug, Default)]
pub struct Place {
    /// The site root inside the repository: empty, or ending in `/`.
    pub prefix: String,
    /// The repository's web address.
    pub repository: Option<String>,
    pub base_commit: Option<String>,
    /// `None` for the work tree.
    pub head_commit: Option<String>,
    /// The draft objectives of each revision, by id, that the publishing
    /// rule left out of the comparison: an objective turned into a draft
    /// leaves the site, and one published joins it.
    pub base_drafts: BTreeSet<String>,
    pub head_drafts: BTreeSet<String>,
}

/// The ids of a site's draft objectives.
pub(crate) fn draft_ids(checked: &Checked) -> BTreeSet<String> {
    let drafts = checked.site.objectives.iter().filter(|o| o.draft);
    drafts.map(|o| o.id.clone()).collect()
}

/// Reads both revisions, checks them and compares them.
pub fn diff(options: &DiffOptions) -> anyhow::Result<Diff> {
    let (top, prefix) = git::locate(&options.root)?;
    // Without `--include-private`, the check already says nothing of a
    // private KPI's problems but their code and severity.
    let check_options = CheckOptions {
        as_of: options.as_of,
        include_private: options.include_private,
        retention: crate::load::Retention::KEEP,
    };
    let base_commit = git::resolve(&top, &options.base)?;
    let head_commit = options
        .head
        .as_deref()
        .map(|h| git::resolve(&top, h))
        .transpose()?;

    let mut base = check_revision(&top, &base_commit, &options.base, &prefix, &check_options)?;
    let mut head = match &head_commit {
        Some(commit) => check_revision(
            &top,
            commit,
            options.head.as_deref().unwrap_or("HEAD"),
            &prefix,
            &check_options,
        )?,
        None => crate::check(&options.root, &check_options)?,
    };
    // Who reported each check-in the change adds: the commit of the head's
    // history that brought it.
    if let Some(commit) = &head_commit {
        history::annotate_at(&mut head.site, &options.root, commit)?;
    }
    let place = Place {
        prefix: git::slashed(&prefix),
        repository: repository(options.repository.as_deref(), &head)?,
        base_commit: Some(base_commit),
        head_commit,
        base_drafts: draft_ids(&base),
        head_drafts: draft_ids(&head),
    };
    // The rule a build publishes by: drafts are left out unless asked for.
    // Private KPIs stay in the model, for the comparison to hide the
    // values that key results take from them.
    if !options.drafts {
        base.site.publish(false, true);
        head.site.publish(false, true);
    }
    Ok(compare(
        &base,
        &head,
        (
            &options.base,
            options.head.as_deref().unwrap_or("work tree"),
        ),
        &place,
        options.include_private,
    ))
}

/// The repository's web address: the one given, which must be an http or
/// https address, else the site's `repository`.
pub(crate) fn repository(given: Option<&str>, head: &Checked) -> anyhow::Result<Option<String>> {
    let Some(url) = given else {
        return Ok(head.site.repository.clone());
    };
    let url = url.trim().trim_end_matches('/');
    if !crate::load::fields::is_web_address(url) {
        anyhow::bail!("--repository must be an http or https address, not `{url}`");
    }
    Ok(Some(url.to_string()))
}

/// Checks the site under `prefix` as it is at `commit`, read into memory:
/// the one way okra reads a site at a revision. `revision` names it in
/// messages (a branch, or "the site as of 2026-08-01").
pub(crate) fn check_revision(
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

fn finding(checked: &Checked, d: &crate::diagnostic::Diagnostic) -> Finding {
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
}

/// Compares two checked revisions; `labels` name the base and the head.
pub fn compare(
    base: &Checked,
    head: &Checked,
    labels: (&str, &str),
    place: &Place,
    include_private: bool,
) -> Diff {
    let collector = collect::Collector {
        base,
        head,
        include_private,
        place,
    };
    let mut objectives = collector.objectives();
    objectives.sort_by(|a, b| {
        (
            &a.team_name,
            &a.period,
            a.change == Change::Removed,
            &a.title,
        )
            .cmp(&(
                &b.team_name,
                &b.period,
                b.change == Change::Removed,
                &b.title,
            ))
    });
    let mut kpis = collector.kpis();
    kpis.sort_by(|a, b| (&a.team_name, &a.name).cmp(&(&b.team_name, &b.name)));
    let teams = collector.teams();
    // Line numbers shift with any edit; compare problems without them.
    let key = |f: &Finding| (f.severity, f.code, f.file.clone(), f.message.clone());
    let before: BTreeSet<Finding> = base.diagnostics.iter().map(|d| finding(base, d)).collect();
    let after: BTreeSet<Finding> = head.diagnostics.iter().map(|d| finding(head, d)).collect();
    let before_keys: BTreeSet<_> = before.iter().map(key).collect();
    let after_keys: BTreeSet<_> = after.iter().map(key).collect();
    let mut introduced: Vec<Finding> = after
        .iter()
        .filter(|f| !before_keys.contains(&key(f)))
        .cloned()
        .collect();
    introduced.extend(ids::shifted(base, head).iter().map(|d| finding(head, d)));
    let fixed: Vec<Finding> = before
        .iter()
        .filter(|f| !after_keys.contains(&key(f)))
        .cloned()
        .collect();
    let mut diff = Diff {
        base: labels.0.to_string(),
        head: labels.1.to_string(),
        summary: Summary::default(),
        objectives,
        kpis,
        teams,
        settings: collector.settings(),
        introduced,
        fixed,
        head_errors: head.diagnostics.iter().filter(|d| d.is_error()).count(),
    };
    diff.summary = Summary::of(&diff);
    diff
}

impl Summary {
    fn of(diff: &Diff) -> Summary {
        let count = |change: Change, items: &mut dyn Iterator<Item = Change>| {
            items.filter(|c| *c == change).count()
        };
        let objectives = || diff.objectives.iter().map(|o| o.change);
        let key_results = || {
            diff.objectives
                .iter()
                .flat_map(|o| o.key_results.iter().map(|k| k.change))
        };
        let kpis = || diff.kpis.iter().map(|k| k.change);
        let teams = || diff.teams.iter().map(|t| t.change);
        let severity = |list: &[Finding], severity: Severity| {
            list.iter().filter(|f| f.severity == severity).count()
        };
        Summary {
            objectives_added: count(Change::Added, &mut objectives()),
            objectives_removed: count(Change::Removed, &mut objectives()),
            objectives_changed: count(Change::Changed, &mut objectives()),
            key_results_added: count(Change::Added, &mut key_results()),
            key_results_removed: count(Change::Removed, &mut key_results()),
            key_results_changed: count(Change::Changed, &mut key_results()),
            kpis_added: count(Change::Added, &mut kpis()),
            kpis_removed: count(Change::Removed, &mut kpis()),
            kpis_changed: count(Change::Changed, &mut kpis()),
            teams_added: count(Change::Added, &mut teams()),
            teams_removed: count(Change::Removed, &mut teams()),
            teams_changed: count(Change::Changed, &mut teams()),
            goalposts: diff.goalposts().len(),
            errors_introduced: severity(&diff.introduced, Severity::Error),
            warnings_introduced: severity(&diff.introduced, Severity::Warning),
            errors_fixed: severity(&diff.fixed, Severity::Error),
            warnings_fixed: severity(&diff.fixed, Severity::Warning),
        }
    }
}
