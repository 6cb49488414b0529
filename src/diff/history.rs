//! What git remembers of a site: the values authors only ever edit in
//! place (`current`, `done`, `progress`) as dated points, and each key
//! result's goalposts (`target`, `start`, `min`, `max`) as they moved, with
//! the commit and its author.
//!
//! One `git log` lists every commit that changed an objective, and one
//! `git cat-file --batch` reads each version of each file once: two git
//! processes, however long the history.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::Date;
use crate::load::git;
use crate::model::{GoalpostMove, KeyResult, PastValue, Site};

/// What was read.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Read {
    pub commits: usize,
    pub versions: usize,
    /// Points added to key results' histories.
    pub points: usize,
    pub goalpost_moves: usize,
    /// Commits dated after the as-of date, left out: nothing they say was
    /// known on that day.
    pub after_as_of: usize,
}

/// A key result's values in one version of its file.
#[derive(Clone, Copy, Default, PartialEq)]
struct Values {
    current: Option<f64>,
    done: Option<bool>,
    progress: Option<f64>,
    target: Option<f64>,
    start: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
}

const GOALPOSTS: [&str; 4] = ["target", "start", "min", "max"];

impl Values {
    fn goalpost(&self, field: &str) -> Option<f64> {
        match field {
            "target" => self.target,
            "start" => self.start,
            "min" => self.min,
            _ => self.max,
        }
    }

    fn reported(&self) -> (Option<f64>, Option<bool>, Option<f64>) {
        (self.current, self.done, self.progress)
    }
}

/// The key results of one version of an objective's file, read as the
/// loader reads them, by their id when written, else by title; `None`
/// when it cannot be read.
fn key_results(path: &str, text: String) -> Option<Vec<(String, Values)>> {
    let objective = crate::load::read_objective(path, text)?;
    let value = |v: &Option<crate::load::Sp<f64>>| v.as_ref().map(|v| v.value);
    let read = objective.key_results.iter().filter_map(|kr| {
        let explicit = kr.id.span != kr.span;
        let key = match &kr.title {
            _ if explicit => &kr.id.value,
            Some(title) => &title.value,
            None => return None,
        };
        let values = Values {
            current: value(&kr.current),
            done: kr.done.as_ref().map(|d| d.value),
            progress: value(&kr.progress),
            target: value(&kr.target),
            start: value(&kr.start),
            min: value(&kr.min),
            max: value(&kr.max),
        };
        Some((key.clone(), values))
    });
    Some(read.collect())
}

/// Whether `kr` is the key result named `key` in an old version: by its
/// id when it has one, else by its title.
fn names(kr: &KeyResult, key: &str) -> bool {
    if kr.has_explicit_id() {
        kr.id == key
    } else {
        kr.title == key
    }
}

/// Checks the site at `root` as the last commit made on or before `day`
/// left it, read from git into memory.
pub fn check_as_believed(
    root: &Path,
    day: Date,
    options: &crate::CheckOptions,
) -> anyhow::Result<crate::Checked> {
    let (top, prefix) = git::locate(root)?;
    let Some(commit) = git::last_commit_before(&top, day.add_days(1))? else {
        anyhow::bail!("the repository has no commit on or before {day}");
    };
    let revision = format!(
        "the site as of {day} (commit {})",
        &commit[..commit.len().min(7)]
    );
    super::check_revision(&top, &commit, &revision, &prefix, options)
}

/// Who changed a file, and when.
struct Author<'a> {
    date: Date,
    commit: &'a str,
    name: &'a str,
}

/// Records what a version of a key result changed since the one `before`:
/// a point when its reported values changed, a move for each goalpost.
fn record(
    kr: &mut KeyResult,
    before: Option<Values>,
    values: &Values,
    by: &Author<'_>,
    read: &mut Read,
) {
    if before.map(|b| b.reported()) != Some(values.reported()) {
        kr.past.push(PastValue {
            date: by.date,
            commit: by.commit.to_string(),
            author: by.name.to_string(),
            current: values.current,
            done: values.done,
            progress: values.progress,
        });
        read.points += 1;
    }
    let Some(before) = before else {
        return;
    };
    for field in GOALPOSTS {
        let (old, new) = (before.goalpost(field), values.goalpost(field));
        if old != new {
            kr.goalposts.push(GoalpostMove {
                date: by.date,
                commit: by.commit.to_string(),
                author: by.name.to_string(),
                field,
                old,
                new,
            });
            read.goalpost_moves += 1;
        }
    }
}

/// Reads the git history of the site at `root` into the key results of
/// `site`. Fails when the site is not in a git repository.
pub fn annotate(site: &mut Site, root: &Path) -> anyhow::Result<Read> {
    let (top, prefix) = git::locate(root)?;
    let prefix = git::slashed(&prefix);
    let commits = git::log(&top, &format!("{prefix}objectives"))?;
    let mut blobs: Vec<&str> = commits
        .iter()
        .flat_map(|c| c.files.iter().map(|(_, blob)| blob.as_str()))
        .collect();
    blobs.sort_unstable();
    blobs.dedup();
    let contents = git::read_blobs(&top, &blobs)?;
    // Each version is read by the loader, in parallel; its file name does
    // not matter to its key results.
    let parsed: HashMap<&str, Vec<(String, Values)>> = blobs
        .par_iter()
        .zip(&contents)
        .filter_map(|(&blob, bytes)| {
            let text = String::from_utf8_lossy(bytes.as_deref()?).into_owned();
            Some((blob, key_results("objectives/version.md", text)?))
        })
        .collect();
    let by_path: HashMap<String, usize> = site
        .objectives
        .iter()
        .enumerate()
        .map(|(i, o)| (format!("{prefix}{}", o.path), i))
        .collect();
    let mut read = Read {
        commits: commits.len(),
        versions: parsed.len(),
        ..Read::default()
    };
    // The last values seen of each key result, by objective and place.
    let mut last: HashMap<(usize, usize), Values> = HashMap::new();
    for commit in &commits {
        let date = Date::from_unix_seconds(commit.time);
        // Nothing after the as-of date was known then.
        if date > site.as_of {
            read.after_as_of += 1;
            continue;
        }
        let short: String = commit.hash.chars().take(7).collect();
        for (path, blob) in &commit.files {
            let (Some(&o), Some(versions)) = (by_path.get(path), parsed.get(blob.as_str())) else {
                continue;
            };
            for (key, values) in versions {
                let objective = &mut site.objectives[o];
                let Some(k) = objective.key_results.iter().position(|kr| names(kr, key)) else {
                    continue;
                };
                let kr = &mut objective.key_results[k];
                let before = last.insert((o, k), *values);
                let by = Author {
                    date,
                    commit: &short,
                    name: &commit.author,
                };
                record(kr, before, values, &by, &mut read);
            }
        }
    }
    Ok(read)
}
