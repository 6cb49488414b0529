//! Stage 2, model: resolve the loaded documents into one graph.
//!
//! Ids become indices, periods get their dates, key results get their kind,
//! start, current value and unit (falling back on their KPI), and every
//! derived value that scoring and rendering need is filled in. The [`Site`]
//! built here is the single source that validation, scoring, rendering,
//! search, the JSON export and `diff` all read; it serialises as
//! `data.json`.
//!
//! [`build`] resolves documents into the graph, [`key_results`] interprets
//! each key result, [`relations`] derives what follows from the structure
//! alone (children, cascades, pacing, KPI focus), and [`publish`] leaves out
//! what a build must not show.

mod build;
mod coaching;
mod data;
mod ids;
mod key_results;
mod publish;
mod relations;
mod reported;
mod rollup;
mod status;

use serde::Serialize;

use crate::date::Date;
pub use build::{build, detach_bodies, release_key_result_documents};
pub use data::{KpiData, ObjectiveData, SiteData, TeamData};
pub use ids::{KeyResultIx, KpiIx, ObjectiveIx, PageIx, PeriodIx, TeamIx};
pub(crate) use key_results::grading_window;
pub use relations::CASCADE_NEAREST;
pub use status::{KpiStatus, Status};

use crate::load::{KeyResultDoc, KpiDoc, ObjectiveDoc, PageDoc, TeamDoc};
use crate::period::{Period, Phase};
use crate::source::Body;
pub use crate::vocabulary::{
    Cadence, Commitment, Direction, Grading, Judgement, KrKind, Rollup, TeamKind, Thresholds,
    Visibility,
};

/// The whole resolved site. Relations are typed indices; [`SiteData`]
/// is the site with relations as ids, as `data.json` holds it.
#[derive(Debug)]
pub struct Site {
    pub title: String,
    pub base_url: Option<String>,
    /// The repository's web address, for links to files.
    pub repository: Option<String>,
    pub as_of: Date,
    /// Grade thresholds per commitment level.
    pub grading: Grading,
    /// How often key results reported through check-ins should get one
    /// (`[lint] checkin_cadence`).
    pub checkin_cadence: crate::load::Cadence,
    /// Every period declared or used, earliest first, longer first on ties.
    pub periods: Vec<Period>,
    pub teams: Vec<Team>,
    pub objectives: Vec<Objective>,
    pub kpis: Vec<Kpi>,
    pub pages: Vec<Page>,
    pub index: Index,
    /// What git says happened, newest first (`--history`); empty without.
    pub activity: Vec<Activity>,
    /// Declared periods' dates as commits moved them (`--history`).
    pub period_moves: Vec<GoalpostMove>,
}

/// A lint's finding about a document, as its page shows it: one of the
/// review notes, never folded into a score.
#[derive(Clone, Debug, Serialize)]
pub struct CoachingNote {
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// Positions by id.
pub type IdMap<Ix> = foldhash::HashMap<String, Ix>;

/// Lookup from ids to positions in the [`Site`] vectors: where ids enter
/// the model. Ids are hashed with a fast hasher: they come from the
/// site's own files, which choose them anyway.
#[derive(Debug, Default)]
pub struct Index {
    pub teams: IdMap<TeamIx>,
    pub objectives: IdMap<ObjectiveIx>,
    pub kpis: IdMap<KpiIx>,
    pub pages: IdMap<PageIx>,
    pub periods: IdMap<PeriodIx>,
}

#[derive(Debug, Serialize)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub kind: TeamKind,
    /// `None` when the team is a root, or its parent is not a team.
    #[serde(skip)]
    pub parent: Option<TeamIx>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    /// The teams whose parent this is.
    #[serde(skip)]
    pub children: Vec<TeamIx>,
    pub path: String,
    /// In the pages and the source file (`path`), not in `data.json`.
    #[serde(skip)]
    pub body: Body,
    /// What the lints found in its file, for its page.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub coaching: Vec<CoachingNote>,
    #[serde(skip)]
    pub doc: std::sync::Arc<TeamDoc>,
}

/// Where a key result's current value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueSource {
    Current,
    Checkin,
    Kpi,
    None,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Checkin {
    pub date: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forecast: Option<f64>,
    /// A hand-scored key result's score at this check-in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// Where the key result stood in its owner's judgement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Judgement>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who reported it, from git history (`--history`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported: Option<Reported>,
}

/// Who reported a check-in or a measurement, and when: the commit that
/// brought it, as it stands, onto the branch (see [`crate::diff::history`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reported {
    pub date: Date,
    pub commit: String,
    pub author: String,
}

#[derive(Debug, Serialize)]
pub struct KeyResult {
    pub id: String,
    pub title: String,
    pub kind: KrKind,
    /// Whether its keys said which kind it is; when they did not (an
    /// error of its own), `kind` is a metric's only so that it can be
    /// shown, and no lint judges it as one.
    #[serde(skip)]
    pub kind_known: bool,
    #[serde(skip)]
    pub kpi: Option<KpiIx>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// The value the score is computed from (metric and health).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<f64>,
    pub current_source: ValueSource,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(skip_serializing_if = "is_false")]
    pub done: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    #[serde(skip_serializing_if = "is_one")]
    pub weight: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// Who drives it, as written; several are joined with commas.
    /// `owners` joined, for pages; `data.json` has `owners`.
    #[serde(skip)]
    pub owner: Option<String>,
    /// Each owner: a name, or the id of a team or person.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checkins: Vec<Checkin>,
    /// The day its values are taken at: the as-of date, or the end of its
    /// objective's period when that is earlier.
    #[serde(skip)]
    pub measured_at: Date,
    /// 0–1, see [`crate::score`]; `None` for no data, and for health key
    /// results, which are guardrails rather than progress.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "rounded")]
    pub score: Option<f64>,
    /// The score set by hand (hand-scored key results): the latest
    /// check-in's, else `score`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hand_score: Option<f64>,
    /// Whether a milestone's state is known: `done` or `progress` written,
    /// or a check-in that says. An unreported milestone has no data.
    #[serde(skip_serializing_if = "is_false")]
    pub reported: bool,
    /// Why the key result was dropped: then it no longer counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dropped: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    /// A metric's share of the way from start to target, not capped: 1.44
    /// is 144 % of the planned change.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "rounded")]
    pub achievement: Option<f64>,
    pub status: Status,
    /// The work planned under it: shown and searched, never counted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub initiatives: Vec<crate::load::InitiativeDoc>,
    /// Where it stands in its owner's judgement: `status` written in
    /// place, else the latest check-in's by the day it is measured at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported_status: Option<Judgement>,
    /// Its own, or its objective's: which thresholds grade it, and whether
    /// it counts (a learning one does not). `data.json` has it where it is
    /// not its objective's.
    #[serde(skip)]
    pub commitment: Commitment,
    /// Health key results: whether the value is inside the band.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_band: Option<bool>,
    /// Values written in place as git remembers them, oldest first (with
    /// `--history`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub past: Vec<PastValue>,
    /// Targets, starts and bounds as they moved in git, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub goalposts: Vec<GoalpostMove>,
    /// The KPI as written, resolved or not.
    #[serde(skip)]
    pub kpi_written: Option<String>,
    /// Whether a milestone's `done` or `progress` is written in place.
    #[serde(skip)]
    pub state_in_place: bool,
    /// What was read, for validation; `None` once a build lets it go
    /// (see [`release_key_result_documents`]).
    #[serde(skip)]
    pub document: Option<std::sync::Arc<KeyResultDoc>>,
}

/// A key result's values as a commit left them.
#[derive(Clone, Debug, Serialize)]
pub struct PastValue {
    pub date: Date,
    pub commit: String,
    pub author: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<f64>,
}

/// A target, start, bound, due date, grade or period that a commit
/// changed, or a key result it removed.
#[derive(Clone, Debug, Serialize)]
pub struct GoalpostMove {
    pub date: Date,
    pub commit: String,
    pub author: String,
    /// Of a key result `target`, `start`, `min`, `max` or `due`; of an
    /// objective `grade` or `key-result-removed`; of a period
    /// `period-start` or `period-end`.
    pub field: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Mark>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Mark>,
    /// What it is about, when not the item that holds it: the removed key
    /// result's title, the period's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
}

/// A goalpost's value: a number (a grade as 0–1) or a date.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Mark {
    Number(f64),
    Date(Date),
}

impl GoalpostMove {
    /// Its old value as readers see it (`unit` follows numbers).
    pub fn old_text(&self, unit: Option<&str>) -> String {
        self.mark_text(self.old, unit)
    }

    /// Its new value as readers see it.
    pub fn new_text(&self, unit: Option<&str>) -> String {
        self.mark_text(self.new, unit)
    }

    fn mark_text(&self, mark: Option<Mark>, unit: Option<&str>) -> String {
        match mark {
            None => "none".to_string(),
            Some(Mark::Number(n)) if self.field == "grade" => crate::format::percent(n),
            Some(Mark::Number(n)) => crate::format::with_unit(n, unit),
            Some(Mark::Date(d)) => d.to_string(),
        }
    }
}

/// Something git says happened to the site, for the activity page: a
/// check-in, a measurement, a grade or a goalpost moved.
#[derive(Clone, Debug, Serialize)]
pub struct Activity {
    pub date: Date,
    pub commit: String,
    pub author: String,
    pub kind: ActivityKind,
    /// The objective or KPI it is about, by id (none for a period).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objective: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kpi: Option<String>,
    /// The key result's title, or the period's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    /// What happened, for readers: "38 points", "target 3.0 → 3.5".
    pub what: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActivityKind {
    Checkin,
    Measurement,
    Grade,
    Goalpost,
}

#[derive(Debug, Serialize)]
pub struct Objective {
    pub id: String,
    pub title: String,
    #[serde(skip)]
    pub owner: Option<TeamIx>,
    #[serde(skip)]
    pub period: Option<PeriodIx>,
    #[serde(skip)]
    pub parent: Option<ObjectiveIx>,
    /// The other objectives it serves, each once, none of them `parent`
    /// or itself: it is aligned to them as to its parent, but sits in the
    /// tree under `parent` only.
    #[serde(skip)]
    pub also_parents: Vec<ObjectiveIx>,
    /// The parent's key result it serves, by its place among them.
    #[serde(skip)]
    pub parent_key_result: Option<usize>,
    #[serde(skip_serializing_if = "is_false")]
    pub draft: bool,
    pub commitment: Commitment,
    /// The final grade set by hand, 0–1; the status of an ended objective
    /// follows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retrospective: Option<String>,
    /// Grades changed and key results removed, as git tells
    /// (`--history`), oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub goalposts: Vec<GoalpostMove>,
    /// Teams and people that contribute to this objective.
    #[serde(skip)]
    pub contributors: Vec<TeamIx>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    /// Free labels, shown and searched.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip)]
    pub key_results: Vec<KeyResult>,
    /// The objectives aligned to this one.
    #[serde(skip)]
    pub children: Vec<ObjectiveIx>,
    /// From the top of the cascade down to this objective's parent; in a
    /// chain deeper than 11, the top one and the 10 nearest.
    #[serde(skip)]
    pub cascade: Vec<ObjectiveIx>,
    /// Ancestors left out of `cascade` between the top one and the nearest.
    #[serde(skip_serializing_if = "is_zero")]
    pub cascade_skipped: usize,
    /// Weighted mean of the scores of the metric and milestone key
    /// results that have data; `None` when none has.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "rounded")]
    pub score: Option<f64>,
    /// How many key results count toward the score (all but health ones).
    pub counted: usize,
    /// How many of those have data.
    pub with_data: usize,
    /// The health key results out of their band, by id.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub breaches: Vec<String>,
    /// Mean score of the aligned children, shown beside the objective.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "rounded")]
    pub children_score: Option<f64>,
    /// Whether the aligned children count toward the score as key results
    /// do (`include_children`).
    #[serde(skip_serializing_if = "is_false")]
    pub include_children: bool,
    /// Whether the score includes the aligned children's: set by
    /// `include_children`, or because no key result of its own counts.
    #[serde(skip_serializing_if = "is_false")]
    pub from_children: bool,
    /// Elapsed share of the period at the as-of date.
    #[serde(serialize_with = "rounded_value")]
    pub expected: f64,
    /// Whether progress is paced: not while its period's end is not known
    /// (then `expected` stays 0 and nothing is behind pace).
    #[serde(skip_serializing_if = "is_true")]
    pub paced: bool,
    pub phase: Phase,
    pub status: Status,
    pub path: String,
    /// In the pages and the source file (`path`), not in `data.json`.
    #[serde(skip)]
    pub body: Body,
    /// What the lints found in its file, for its page.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub coaching: Vec<CoachingNote>,
    #[serde(skip)]
    pub doc: std::sync::Arc<ObjectiveDoc>,
}

/// Whether a KPI is the focus of a key result now, or a health metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KpiRole {
    Focus,
    HealthMetric,
}

#[derive(Clone, Debug, Serialize)]
pub struct Measurement {
    pub date: Date,
    pub value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who reported it, from git history (`--history`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported: Option<Reported>,
}

#[derive(Debug, Serialize)]
pub struct Kpi {
    pub id: String,
    pub name: String,
    #[serde(skip)]
    pub owner: Option<TeamIx>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub direction: Direction,
    pub cadence: Cadence,
    pub visibility: Visibility,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthy_min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthy_max: Option<f64>,
    /// `sum` or `mean` when its values are those of other KPIs (`of`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollup: Option<Rollup>,
    /// The KPIs it is rolled up from.
    #[serde(skip)]
    pub of: Vec<KpiIx>,
    /// Every measurement, oldest first, including any after the as-of
    /// date; for a roll-up, one on each day one of its KPIs was measured.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub measurements: Vec<Measurement>,
    /// The latest measurement on or before the as-of date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest: Option<Measurement>,
    pub status: KpiStatus,
    pub role: KpiRole,
    /// Key results in running periods that move this KPI.
    #[serde(skip)]
    pub focus: Vec<KeyResultIx>,
    /// Every key result that names this KPI.
    #[serde(skip)]
    pub key_results: Vec<KeyResultIx>,
    pub path: String,
    /// In the pages and the source file (`path`), not in `data.json`.
    #[serde(skip)]
    pub body: Body,
    /// What the lints found in its file, for its page.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub coaching: Vec<CoachingNote>,
    #[serde(skip)]
    pub doc: std::sync::Arc<KpiDoc>,
}

impl Kpi {
    /// The owner as written, resolved or not.
    pub fn owner_id(&self) -> &str {
        self.doc.owner.as_ref().map_or("", |o| &o.value)
    }

    pub fn is_private(&self) -> bool {
        self.visibility == Visibility::Private
    }

    /// The latest measurement on or before `date`.
    pub fn value_at(&self, date: Date) -> Option<&Measurement> {
        let end = self.measurements.partition_point(|m| m.date <= date);
        end.checked_sub(1).map(|i| &self.measurements[i])
    }
}

#[derive(Debug, Serialize)]
pub struct Page {
    pub id: String,
    pub title: String,
    pub weight: f64,
    pub path: String,
    /// In the pages and the source file (`path`), not in `data.json`.
    #[serde(skip)]
    pub body: Body,
    #[serde(skip)]
    pub doc: std::sync::Arc<PageDoc>,
}

impl Objective {
    /// The owner as written, resolved or not.
    pub fn owner_id(&self) -> &str {
        self.doc.owner.as_ref().map_or("", |o| &o.value)
    }

    /// The period as written, resolved or not.
    pub fn period_id(&self) -> &str {
        self.doc.period.as_ref().map_or("", |p| &p.value)
    }

    /// Every objective it is aligned to: `parent` first, then the others.
    pub fn parents(&self) -> impl Iterator<Item = ObjectiveIx> + '_ {
        self.parent
            .into_iter()
            .chain(self.also_parents.iter().copied())
    }

    /// The parent as written, resolved or not.
    pub fn parent_id(&self) -> Option<&str> {
        self.doc.parent().map(|p| p.value.as_str())
    }
}

impl KeyResult {
    /// What was read: its values with their places. Panics once
    /// [`release_key_result_documents`] let it go, as a build does before
    /// it renders.
    pub fn doc(&self) -> &KeyResultDoc {
        self.document
            .as_deref()
            .expect("a key result's document is let go only after the site is checked")
    }

    /// The KPI as written, resolved or not.
    pub fn kpi_id(&self) -> Option<&str> {
        self.kpi_written.as_deref()
    }

    /// Whether the author wrote its `id`; without one it is named by its
    /// place among the objective's key results (`kr2`).
    pub fn has_explicit_id(&self) -> bool {
        self.doc().id.span != self.doc().span
    }

    /// Whether it is a milestone still counted, not done, and due before
    /// `as_of`.
    pub fn is_overdue(&self, as_of: Date) -> bool {
        self.kind.traits().task
            && !self.done
            && self.dropped.is_none()
            && self.due.is_some_and(|due| due < as_of)
    }
}

impl Site {
    /// Whether a key result is tied to a private KPI.
    pub fn uses_private_kpi(&self, kr: &KeyResult) -> bool {
        kr.kpi.is_some_and(|k| self.kpis[k].is_private())
    }

    /// The ids of some objectives, in order.
    pub fn objective_ids(&self, objectives: &[ObjectiveIx]) -> Vec<&str> {
        objectives
            .iter()
            .map(|&o| self.objectives[o].id.as_str())
            .collect()
    }

    /// A key result by its position.
    pub fn key_result(&self, at: KeyResultIx) -> (&Objective, &KeyResult) {
        let objective = &self.objectives[at.objective];
        (objective, &objective.key_results[at.key_result])
    }

    /// The objectives that serve a key result: those whose first parent is
    /// its objective and whose `parent_key_result` names it, drafts
    /// included.
    pub fn serving(&self, at: KeyResultIx) -> impl Iterator<Item = &Objective> + '_ {
        self.objectives[at.objective]
            .children
            .iter()
            .map(|&c| &self.objectives[c])
            .filter(move |c| {
                c.parent == Some(at.objective) && c.parent_key_result == Some(at.key_result)
            })
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_true(b: &bool) -> bool {
    *b
}

fn is_one(w: &f64) -> bool {
    *w == 1.0
}

/// A computed share (a score, an achievement) to four decimals: the
/// precision pages show and spreadsheets need, without the float noise.
fn rounded_value<S: serde::Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64((value * 10_000.0).round() / 10_000.0)
}

fn rounded<S: serde::Serializer>(value: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => rounded_value(value, serializer),
        None => serializer.serialize_none(),
    }
}
