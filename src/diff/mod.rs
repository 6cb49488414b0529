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
pub mod git;
mod report;

pub use report::{render_json, render_markdown};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::diagnostic::Severity;
use crate::load::InMemory;
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
        html: false,
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
    let mut changes = collect::changes(base, head, include_private);
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
