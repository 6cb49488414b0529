//! What git remembers of a site: the values authors only ever edit in
//! place (`current`, `done`, `progress`) as dated points; each key result's
//! goalposts (`target`, `start`, `min`, `max`, `due`) as they moved; grades
//! raised and key results removed; declared periods moved in `okra.toml`;
//! and who reported each check-in and each KPI measurement. Each with the
//! commit and its author.
//!
//! **When a change became true** is read from the branch's first-parent
//! history: the commits the branch itself went through, a merged pull
//! request being one commit (its merge). A change is dated by the commit
//! that brought it onto the branch, by that commit's committer date (in
//! UTC), and never earlier than the commit before it: a pull request
//! written in July and merged in August became true in August, and a
//! rebased or imported history, whose commits may all share one date, is
//! read in the branch's order.
//!
//! One `git log` lists every commit that changed the site, and one
//! `git cat-file --batch` reads each version of each file once: two git
//! processes, however long the history.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::Date;
use crate::load::git;
use crate::model::{
    Activity, ActivityKind, Checkin, GoalpostMove, KeyResult, Mark, PastValue, Reported, Site,
};

/// What was read.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Read {
    pub commits: usize,
    pub versions: usize,
    /// Points added to key results' histories.
    pub points: usize,
    pub goalpost_moves: usize,
    /// Check-ins and KPI measurements told who reported them.
    pub reported: usize,
    /// Commits dated after the as-of date, left out: nothing they say was
    /// known on that day.
    pub after_as_of: usize,
}

/// What a check-in reports, as `okra diff` compares it: value, done, score.
type Reading = (Option<f64>, Option<bool>, Option<f64>);

/// Each check-in by its date and its place among the check-ins of that
/// date, in the order the model keeps them (by date, then as written).
fn checkin_keys<T>(
    checkins: impl Iterator<Item = (Date, T)>,
) -> impl Iterator<Item = ((Date, usize), T)> {
    let mut sorted: Vec<(Date, T)> = checkins.collect();
    sorted.sort_by_key(|(date, _)| *date);
    let mut seen: HashMap<Date, usize> = HashMap::new();
    sorted.into_iter().map(move |(date, item)| {
        let n = seen.entry(date).or_default();
        *n += 1;
        ((date, *n - 1), item)
    })
}

/// A key result's values in one version of its file.
#[derive(Clone, Default, PartialEq)]
struct Values {
    title: String,
    current: Option<f64>,
    done: Option<bool>,
    progress: Option<f64>,
    target: Option<f64>,
    start: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
    due: Option<Date>,
    checkins: Vec<((Date, usize), Reading)>,
}

const GOALPOSTS: [&str; 5] = ["target", "start", "min", "max", "due"];

impl Values {
    fn goalpost(&self, field: &str) -> Option<Mark> {
        let number = match field {
            "target" => self.target,
            "start" => self.start,
            "min" => self.min,
            "max" => self.max,
            _ => return self.due.map(Mark::Date),
        };
        number.map(Mark::Number)
    }

    fn reported(&self) -> (Option<f64>, Option<bool>, Option<f64>) {
        (self.current, self.done, self.progress)
    }
}

/// One version of a file the history follows.
enum Version {
    /// An objective's key results, by their id when written, else by
    /// title, and its grade.
    Objective(Vec<(String, Values)>, Option<f64>),
    /// A KPI's measurements, from its file or its CSV data.
    Measurements(Vec<(Date, f64)>),
    /// The periods `okra.toml` declares.
    Config(Vec<(String, Date, Date)>),
}

/// What a file at the head is, for the history to follow it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Followed {
    Objective(usize),
    KpiFile(usize),
    KpiData(usize),
    Config,
}

impl Followed {
    fn read(self, text: String) -> Option<Version> {
        match self {
            Followed::Objective(_) => {
                let objective = crate::load::read_objective("objectives/version.md", text)?;
                let grade = objective.grade.as_ref().map(|g| g.value);
                Some(Version::Objective(key_results(&objective), grade))
            }
            Followed::KpiFile(_) => crate::load::read_kpi_measurements("kpis/version.md", text)
                .map(Version::Measurements),
            Followed::KpiData(_) => Some(Version::Measurements(
                crate::load::read_csv_measurements(&text),
            )),
            Followed::Config => Some(Version::Config(crate::load::read_config_periods(text))),
        }
    }

    /// Which kind of reading a version needs: one per kind and blob.
    fn kind(self) -> u8 {
        match self {
            Followed::Objective(_) => 0,
            Followed::KpiFile(_) => 1,
            Followed::KpiData(_) => 2,
            Followed::Config => 3,
        }
    }
}

/// The key results of one version of an objective's file, read as the
/// loader reads them.
fn key_results(objective: &crate::load::ObjectiveDoc) -> Vec<(String, Values)> {
    let value = |v: &Option<crate::load::Sp<f64>>| v.as_ref().map(|v| v.value);
    let read = objective.key_results.iter().filter_map(|kr| {
        let explicit = kr.id.span != kr.span;
        let title = kr.title.as_ref().map(|t| t.value.clone());
        let key = match &title {
            _ if explicit => kr.id.value.clone(),
            Some(title) => title.clone(),
            None => return None,
        };
        let dated = kr.checkins.iter().filter_map(|c| {
            let reading = (
                value(&c.value),
                c.done.as_ref().map(|d| d.value),
                value(&c.score),
            );
            Some((c.date.as_ref()?.value, reading))
        });
        let values = Values {
            title: title.unwrap_or_else(|| key.clone()),
            current: value(&kr.current),
            done: kr.done.as_ref().map(|d| d.value),
            progress: value(&kr.progress),
            target: value(&kr.target),
            start: value(&kr.start),
            min: value(&kr.min),
            max: value(&kr.max),
            due: kr.due.as_ref().map(|d| d.value),
            checkins: checkin_keys(dated).collect(),
        };
        Some((key, values))
    });
    read.collect()
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
    check_as_believed_at(root, day, options).map(|(checked, _)| checked)
}

/// [`check_as_believed`], with the commit it read.
pub fn check_as_believed_at(
    root: &Path,
    day: Date,
    options: &crate::CheckOptions,
) -> anyhow::Result<(crate::Checked, String)> {
    let (top, prefix) = git::locate(root)?;
    let Some(commit) = git::last_commit_before(&top, day.add_days(1))? else {
        anyhow::bail!("the repository has no commit on or before {day}");
    };
    let revision = format!(
        "the site as of {day} (commit {})",
        &commit[..commit.len().min(7)]
    );
    let checked = super::check_revision(&top, &commit, &revision, &prefix, options)?;
    Ok((checked, commit))
}

/// A goalpost move by the commit `by`.
fn moved(by: &Reported, field: &'static str, old: Option<Mark>, new: Option<Mark>) -> GoalpostMove {
    GoalpostMove {
        date: by.date,
        commit: by.commit.clone(),
        author: by.author.clone(),
        field,
        old,
        new,
        about: None,
    }
}

/// Records what a version of a key result changed since the one `before`:
/// a point when its reported values changed, a move for each goalpost.
fn record(
    kr: &mut KeyResult,
    before: Option<&Values>,
    values: &Values,
    by: &Reported,
    read: &mut Read,
) {
    if before.map(Values::reported) != Some(values.reported()) {
        kr.past.push(PastValue {
            date: by.date,
            commit: by.commit.clone(),
            author: by.author.clone(),
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
            kr.goalposts.push(moved(by, field, old, new));
            read.goalpost_moves += 1;
        }
    }
}

/// An objective's key results (key and title) and grade as its last
/// version left them.
type LastVersion = (Vec<(String, String)>, Option<f64>);

/// What the walk keeps between commits: the last version seen of each
/// followed item.
#[derive(Default)]
struct Seen {
    /// Each head key result's values, by objective and place.
    key_results: HashMap<(usize, usize), Values>,
    /// Each objective's key results and grade in its last version.
    objectives: HashMap<usize, LastVersion>,
    /// Each check-in as last seen, and who brought it so.
    checkins: HashMap<(usize, usize, Date, usize), (Reading, Reported)>,
    /// Each KPI's measurements by file and date, and who brought them so.
    measurements: HashMap<(Followed, Date), (f64, Reported)>,
    periods: Option<Vec<(String, Date, Date)>>,
    /// Grades given and changed, for the activity page: objective, old,
    /// new, by.
    grades: Vec<(usize, Option<f64>, Option<f64>, Reported)>,
}

/// Reads the git history of the site at `root` into `site`: its key
/// results' past values and goalposts, its objectives' regrades and
/// removed key results, its periods' moves, who reported each check-in and
/// measurement, and the activity page's entries. Fails when the site is
/// not in a git repository.
pub fn annotate(site: &mut Site, root: &Path) -> anyhow::Result<Read> {
    annotate_at(site, root, "HEAD")
}

/// [`annotate`] with the history of `revision` (a full commit id, or
/// `HEAD`), for a site read as that commit left it.
pub fn annotate_at(site: &mut Site, root: &Path, revision: &str) -> anyhow::Result<Read> {
    let (top, prefix) = git::locate(root)?;
    if crate::load::git::resolve(&top, "HEAD").is_err() {
        // No commit yet: git knows nothing of the site.
        return Ok(Read::default());
    }
    let commits = git::log(&top, revision, &prefix)?;
    let prefix = git::slashed(&prefix);
    let mut followed: HashMap<String, Followed> = HashMap::new();
    for (i, o) in site.objectives.iter().enumerate() {
        followed.insert(format!("{prefix}{}", o.path), Followed::Objective(i));
    }
    for (i, k) in site.kpis.iter().enumerate() {
        followed.insert(format!("{prefix}{}", k.path), Followed::KpiFile(i));
        if let Some(data) = &k.doc.data_path {
            followed.insert(format!("{prefix}{data}"), Followed::KpiData(i));
        }
    }
    followed.insert(
        format!("{prefix}{}", crate::load::CONFIG_FILE),
        Followed::Config,
    );
    let mut wanted: Vec<(u8, &str, Followed)> = commits
        .iter()
        .flat_map(|c| c.files.iter())
        .filter_map(|(path, blob)| {
            let f = *followed.get(path)?;
            Some((f.kind(), blob.as_str(), f))
        })
        .collect();
    wanted.sort_unstable_by_key(|(kind, blob, _)| (*kind, *blob));
    wanted.dedup_by_key(|(kind, blob, _)| (*kind, *blob));
    let mut blobs: Vec<&str> = wanted.iter().map(|(_, blob, _)| *blob).collect();
    blobs.sort_unstable();
    blobs.dedup();
    let contents = git::read_blobs(&top, &blobs)?;
    let content: HashMap<&str, &Option<Vec<u8>>> = blobs.iter().copied().zip(&contents).collect();
    // Each version is read by the loader, in parallel, once per kind.
    let parsed: HashMap<(u8, &str), Version> = wanted
        .par_iter()
        .filter_map(|&(kind, blob, f)| {
            let bytes = content.get(blob)?.as_deref()?;
            let text = String::from_utf8_lossy(bytes).into_owned();
            Some(((kind, blob), f.read(text)?))
        })
        .collect();
    let mut read = Read {
        commits: commits.len(),
        versions: parsed.len(),
        ..Read::default()
    };
    let mut seen = Seen::default();
    let mut order: HashMap<String, usize> = HashMap::new();
    for (n, commit) in commits.iter().enumerate() {
        // Nothing after the as-of date was known then.
        if commit.day > site.as_of {
            read.after_as_of += 1;
            continue;
        }
        let by = Reported {
            date: commit.day,
            commit: commit.hash.chars().take(7).collect(),
            author: commit.author.clone(),
        };
        order.insert(by.commit.clone(), n);
        for (path, blob) in &commit.files {
            let Some(&f) = followed.get(path) else {
                continue;
            };
            let Some(version) = parsed.get(&(f.kind(), blob.as_str())) else {
                continue;
            };
            match (f, version) {
                (Followed::Objective(o), Version::Objective(key_results, grade)) => {
                    objective_version(site, &mut seen, o, key_results, *grade, &by, &mut read);
                }
                (Followed::KpiFile(_) | Followed::KpiData(_), Version::Measurements(rows)) => {
                    for &(date, value) in rows {
                        let last = seen.measurements.get(&(f, date));
                        if last.is_none_or(|(was, _)| *was != value) {
                            seen.measurements.insert((f, date), (value, by.clone()));
                        }
                    }
                }
                (Followed::Config, Version::Config(periods)) => {
                    config_version(site, &mut seen, periods, &by, &mut read);
                }
                _ => {}
            }
        }
    }
    read.reported = tell_who_reported(site, &seen);
    site.activity = activity(site, &seen, &order);
    Ok(read)
}

/// Records one version of objective `o`'s file.
fn objective_version(
    site: &mut Site,
    seen: &mut Seen,
    o: usize,
    key_results: &[(String, Values)],
    grade: Option<f64>,
    by: &Reported,
    read: &mut Read,
) {
    let objective = &mut site.objectives[o];
    for (key, values) in key_results {
        let Some(k) = objective.key_results.iter().position(|kr| names(kr, key)) else {
            continue;
        };
        for &(at, reading) in &values.checkins {
            let slot = (o, k, at.0, at.1);
            if seen
                .checkins
                .get(&slot)
                .is_none_or(|(was, _)| *was != reading)
            {
                seen.checkins.insert(slot, (reading, by.clone()));
            }
        }
        let before = seen.key_results.insert((o, k), values.clone());
        record(
            &mut objective.key_results[k],
            before.as_ref(),
            values,
            by,
            read,
        );
    }
    let now: Vec<(String, String)> = key_results
        .iter()
        .map(|(key, v)| (key.clone(), v.title.clone()))
        .collect();
    if let Some((was, was_grade)) = seen.objectives.get(&o) {
        // Key results gone, when there are fewer than before: one renamed
        // in the same commit is not counted as removed.
        if now.len() < was.len() {
            let gone = was
                .iter()
                .filter(|(key, _)| !now.iter().any(|(k, _)| k == key));
            for (_, title) in gone.take(was.len() - now.len()) {
                let mut removed = moved(by, "key-result-removed", None, None);
                removed.about = Some(title.clone());
                objective.goalposts.push(removed);
                read.goalpost_moves += 1;
            }
        }
        if *was_grade != grade {
            // Raised or taken back once given: a regrade.
            if let Some(old) = *was_grade {
                if grade.is_none_or(|new| new > old) {
                    let mark = |g: Option<f64>| g.map(Mark::Number);
                    objective
                        .goalposts
                        .push(moved(by, "grade", mark(*was_grade), mark(grade)));
                    read.goalpost_moves += 1;
                }
            }
            seen.grades.push((o, *was_grade, grade, by.clone()));
        }
    } else if grade.is_some() {
        seen.grades.push((o, None, grade, by.clone()));
    }
    seen.objectives.insert(o, (now, grade));
}

/// Records one version of `okra.toml`: a declared period that now ends
/// later or starts earlier than before moves every objective's bar.
fn config_version(
    site: &mut Site,
    seen: &mut Seen,
    periods: &[(String, Date, Date)],
    by: &Reported,
    read: &mut Read,
) {
    if let Some(before) = &seen.periods {
        for (id, start, end) in periods {
            let Some((_, old_start, old_end)) = before.iter().find(|(p, _, _)| p == id) else {
                continue;
            };
            for (field, old, new, lowers) in [
                ("period-start", *old_start, *start, start < old_start),
                ("period-end", *old_end, *end, end > old_end),
            ] {
                if lowers {
                    let mut m = moved(by, field, Some(Mark::Date(old)), Some(Mark::Date(new)));
                    m.about = Some(id.clone());
                    site.period_moves.push(m);
                    read.goalpost_moves += 1;
                }
            }
        }
    }
    seen.periods = Some(periods.to_vec());
}

/// Gives each check-in and measurement of the head who brought it, as it
/// stands, onto the branch; returns how many were told.
fn tell_who_reported(site: &mut Site, seen: &Seen) -> usize {
    let mut told = 0;
    for (o, objective) in site.objectives.iter_mut().enumerate() {
        for (k, kr) in objective.key_results.iter_mut().enumerate() {
            let keyed = checkin_keys(kr.checkins.iter_mut().map(|c| (c.date, c)));
            for ((date, n), c) in keyed {
                let reading = (c.value, c.done, c.score);
                if let Some((was, by)) = seen.checkins.get(&(o, k, date, n)) {
                    if *was == reading {
                        c.reported = Some(by.clone());
                        told += 1;
                    }
                }
            }
        }
    }
    for (i, kpi) in site.kpis.iter_mut().enumerate() {
        for m in &mut kpi.measurements {
            let from = [Followed::KpiFile(i), Followed::KpiData(i)]
                .into_iter()
                .find_map(|f| seen.measurements.get(&(f, m.date)))
                .filter(|(value, _)| *value == m.value);
            if let Some((_, by)) = from {
                m.reported = Some(by.clone());
                told += 1;
            }
        }
        if let Some(latest) = &mut kpi.latest {
            let same = kpi.measurements.iter().find(|m| m.date == latest.date);
            latest.reported = same.and_then(|m| m.reported.clone());
        }
    }
    told
}

/// The activity page's entries, newest first: check-ins and measurements
/// as they stand, with who reported them, grades given and changed, and
/// every goalpost moved.
fn activity(site: &Site, seen: &Seen, order: &HashMap<String, usize>) -> Vec<Activity> {
    let entry = |by: &Reported, kind, what: String| Activity {
        date: by.date,
        commit: by.commit.clone(),
        author: by.author.clone(),
        kind,
        objective: None,
        kpi: None,
        about: None,
        what,
    };
    let mut out: Vec<Activity> = Vec::new();
    for o in &site.objectives {
        for kr in &o.key_results {
            for c in &kr.checkins {
                let Some(by) = &c.reported else {
                    continue;
                };
                let mut what = checkin_text(kr, c);
                if c.date != by.date {
                    what = format!("{what} (check-in of {})", c.date);
                }
                let mut a = entry(by, ActivityKind::Checkin, what);
                a.objective = Some(o.id.clone());
                a.about = Some(kr.title.clone());
                out.push(a);
            }
            let unit = kr.unit.as_deref();
            // Values edited in place after the first version: updates too.
            for p in kr.past.iter().skip(1) {
                let value = match (p.current, p.done, p.progress) {
                    (Some(v), _, _) => crate::format::with_unit(v, unit),
                    (None, Some(true), _) => "done".to_string(),
                    (None, _, Some(share)) => format!("{} done", crate::format::percent(share)),
                    (None, Some(false), None) => "not done".to_string(),
                    (None, None, None) => continue,
                };
                let by = reported_by(&p.date, &p.commit, &p.author);
                let mut a = entry(
                    &by,
                    ActivityKind::Checkin,
                    format!("{value}, written in place"),
                );
                a.objective = Some(o.id.clone());
                a.about = Some(kr.title.clone());
                out.push(a);
            }
            for g in &kr.goalposts {
                let by = reported_by(&g.date, &g.commit, &g.author);
                let what = format!("{} {} → {}", g.field, g.old_text(unit), g.new_text(unit));
                let mut a = entry(&by, ActivityKind::Goalpost, what);
                a.objective = Some(o.id.clone());
                a.about = Some(kr.title.clone());
                out.push(a);
            }
        }
        for g in o
            .goalposts
            .iter()
            .filter(|g| g.field == "key-result-removed")
        {
            let by = reported_by(&g.date, &g.commit, &g.author);
            let title = g.about.clone().unwrap_or_default();
            let mut a = entry(&by, ActivityKind::Goalpost, "key result removed".into());
            a.objective = Some(o.id.clone());
            a.about = Some(title);
            out.push(a);
        }
    }
    for &(o, old, new, ref by) in &seen.grades {
        let objective = &site.objectives[o];
        let percent = crate::format::percent;
        let what = match (old, new) {
            (None, Some(new)) => format!("graded {}", percent(new)),
            (Some(old), Some(new)) => format!("regraded {} → {}", percent(old), percent(new)),
            (Some(old), None) => format!("grade {} taken back", percent(old)),
            (None, None) => continue,
        };
        let regrade = objective
            .goalposts
            .iter()
            .any(|g| g.field == "grade" && g.commit == by.commit);
        let kind = if regrade {
            ActivityKind::Goalpost
        } else {
            ActivityKind::Grade
        };
        let mut a = entry(by, kind, what);
        a.objective = Some(objective.id.clone());
        out.push(a);
    }
    for k in &site.kpis {
        for m in &k.measurements {
            let Some(by) = &m.reported else {
                continue;
            };
            let what = crate::format::with_unit(m.value, k.unit.as_deref());
            let mut a = entry(
                by,
                ActivityKind::Measurement,
                format!("{what} for {}", m.date),
            );
            a.kpi = Some(k.id.clone());
            out.push(a);
        }
    }
    for g in &site.period_moves {
        let by = reported_by(&g.date, &g.commit, &g.author);
        let what = format!(
            "{} {} → {}",
            g.field.replace('-', " "),
            g.old_text(None),
            g.new_text(None)
        );
        let mut a = entry(&by, ActivityKind::Goalpost, what);
        a.about = g.about.clone();
        out.push(a);
    }
    let rank = |a: &Activity| order.get(&a.commit).copied().unwrap_or(0);
    out.sort_by_key(|a| std::cmp::Reverse((a.date, rank(a))));
    out
}

/// Who made a past value or a goalpost move, as a check-in's reporter.
fn reported_by(date: &Date, commit: &str, author: &str) -> Reported {
    Reported {
        date: *date,
        commit: commit.to_string(),
        author: author.to_string(),
    }
}

/// What a check-in reported, for readers: its value with the key result's
/// unit, a milestone's progress or state, or a hand score.
pub fn checkin_text(kr: &KeyResult, c: &Checkin) -> String {
    let milestone = kr.kind == crate::model::KrKind::Milestone;
    match (c.value, c.score, c.done) {
        (_, _, Some(true)) if milestone => "done".to_string(),
        (Some(value), _, _) if milestone => format!("{} done", crate::format::percent(value)),
        (Some(value), _, _) => crate::format::with_unit(value, kr.unit.as_deref()),
        (None, Some(score), _) => format!("scored {}", crate::format::percent(score)),
        (None, None, Some(done)) => if done { "done" } else { "not done" }.to_string(),
        (None, None, None) => "a note only".to_string(),
    }
}
