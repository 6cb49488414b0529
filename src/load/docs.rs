//! The documents of a site as read, before ids are resolved.

use super::*;
use crate::date::Date;
use crate::diagnostic::Levels;
use crate::period::Period;
use crate::source::{Body, FileId, Span};
pub use crate::vocabulary::{
    Cadence, Commitment, Direction, Grading, Judgement, KrKind, Rollup, TeamKind, Thresholds,
    Visibility,
};

/// The kinds of document, each in its own folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocKind {
    Team,
    Objective,
    Kpi,
    Page,
}

impl DocKind {
    pub const ALL: [DocKind; 4] = [
        DocKind::Team,
        DocKind::Objective,
        DocKind::Kpi,
        DocKind::Page,
    ];

    /// The folder under the site root that holds this kind.
    pub fn folder(self) -> &'static str {
        match self {
            DocKind::Team => "teams",
            DocKind::Objective => "objectives",
            DocKind::Kpi => "kpis",
            DocKind::Page => "pages",
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            DocKind::Team => "team",
            DocKind::Objective => "objective",
            DocKind::Kpi => "KPI",
            DocKind::Page => "page",
        }
    }
}

/// The `[lint]` section of `okra.toml`.
#[derive(Clone, Debug)]
pub struct LintConfig {
    pub objectives_per_team: usize,
    pub key_results: (usize, usize),
    /// The most key results one owner should carry in one period.
    pub key_results_per_owner: usize,
    /// How often a key result reported through check-ins should get one.
    pub checkin_cadence: Cadence,
    /// The lints `[lint]` allows, turns on (opt-in ones) or denies.
    pub levels: Levels,
    /// `[lint.team.ID]` and `[lint.folder."PATH"]` sections, as written.
    pub scopes: Vec<LintScope>,
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig {
            objectives_per_team: 3,
            key_results: (1, 5),
            key_results_per_owner: 5,
            checkin_cadence: Cadence::Monthly,
            levels: Levels::default(),
            scopes: Vec::new(),
        }
    }
}

/// What a scoped `[lint]` section applies to.
#[derive(Clone, Debug)]
pub enum ScopeTarget {
    /// A team and every team under it: the documents they own.
    Team(Sp<String>),
    /// The files under a folder, by its path from the site root.
    Folder(String),
}

/// A `[lint]` section for part of the site: its levels override the
/// site's for the documents it covers.
#[derive(Clone, Debug)]
pub struct LintScope {
    pub target: ScopeTarget,
    pub levels: Levels,
}

/// `okra.toml`.
#[derive(Clone, Debug)]
pub struct Config {
    pub title: String,
    pub base_url: Option<String>,
    /// The repository's web address (`https://github.com/acme/okrs`), for
    /// links to files.
    pub repository: Option<String>,
    pub as_of: Option<Date>,
    pub lint: LintConfig,
    pub grading: Grading,
    /// Periods declared with `[periods.ID]`.
    pub periods: Vec<Sp<Period>>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "OKRs".to_string(),
            base_url: None,
            repository: None,
            as_of: None,
            lint: LintConfig::default(),
            grading: Grading::default(),
            periods: Vec::new(),
        }
    }
}

/// The image sources of a body, each where it is written and whether it is
/// a raw `<img>`.
pub type Images = Vec<(Sp<String>, bool)>;

/// What every document has.
#[derive(Clone, Debug)]
pub struct DocHead {
    pub file: FileId,
    /// The `id` value, or the file stem (then spanning the opening fence).
    pub id: Sp<String>,
    /// The opening `+++`, for problems of the document as a whole.
    pub fence: Span,
    /// The Markdown body.
    pub body: Body,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
    /// Every link and image target in the body, where it is written.
    pub links: Vec<Sp<String>>,
    /// What each of `links` points at in the site, worked out when the
    /// document is read.
    pub targets: Box<[Option<crate::markdown::links::LinkTarget>]>,
    /// Every image source in the body, where it is written, and whether it
    /// is a raw `<img>`; `None` for a body without images (most), to keep
    /// the document small.
    #[allow(clippy::box_collection)]
    pub images: Option<Box<Images>>,
    /// What the search index needs of the body, taken from its text in the
    /// same parse, when the reading asked for it (a build).
    pub terms: Option<std::sync::Arc<crate::text::BodyTerms>>,
    /// The body's HTML, read in the same parse when the run renders pages.
    pub html: Option<std::sync::Arc<crate::markdown::Html>>,
}

#[derive(Clone, Debug)]
pub struct TeamDoc {
    pub head: DocHead,
    pub name: Option<Sp<String>>,
    pub parent: Option<Sp<String>>,
    pub kind: TeamKind,
    pub lead: Option<String>,
    pub members: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct CheckinDoc {
    pub span: Span,
    pub date: Option<Sp<Date>>,
    pub value: Option<Sp<f64>>,
    pub done: Option<Sp<bool>>,
    /// Where the author expects the value to end the period.
    pub forecast: Option<f64>,
    /// A hand-scored key result's score at this check-in, 0–1.
    pub score: Option<Sp<f64>>,
    pub confidence: Option<f64>,
    /// Where the key result stands in its owner's judgement.
    pub status: Option<Judgement>,
    pub note: Option<String>,
}

/// Work planned under a key result: a project, an epic, a pilot.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct InitiativeDoc {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Where the work is tracked: an `http` or `https` address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Judgement>,
}

/// A key of a key result's table that okra knows, by its place in
/// [`KEY_RESULT_KEYS`](super::key_results::KEY_RESULT_KEYS): a byte where
/// its name would take sixteen, in every key result of the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KrKey(u8);

impl KrKey {
    /// The known key named `name`, if it is one.
    pub fn named(name: &str) -> Option<KrKey> {
        let keys = super::key_results::KEY_RESULT_KEYS;
        let place = keys.iter().position(|key| *key == name)?;
        u8::try_from(place).ok().map(KrKey)
    }

    /// The key as it is written.
    pub fn name(self) -> &'static str {
        super::key_results::KEY_RESULT_KEYS[usize::from(self.0)]
    }
}

impl PartialEq<&str> for KrKey {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

impl std::fmt::Display for KrKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Clone, Debug)]
pub struct KeyResultDoc {
    /// The `[[key_results]]` header or inline table.
    pub span: Span,
    pub id: Sp<String>,
    pub title: Option<Sp<String>>,
    pub kind: Option<Sp<KrKind>>,
    pub start: Option<Sp<f64>>,
    pub target: Option<Sp<f64>>,
    pub current: Option<Sp<f64>>,
    pub unit: Option<String>,
    pub kpi: Option<Sp<String>>,
    pub done: Option<Sp<bool>>,
    pub progress: Option<Sp<f64>>,
    pub due: Option<Sp<Date>>,
    pub min: Option<Sp<f64>>,
    pub max: Option<Sp<f64>>,
    pub weight: f64,
    pub confidence: Option<f64>,
    /// Who drives it: names, or ids of teams and people.
    pub owners: Vec<String>,
    /// A hand-set score, 0–1.
    pub score: Option<Sp<f64>>,
    /// Why the key result was dropped; a dropped one no longer counts.
    pub dropped: Option<Sp<String>>,
    /// Work items: issues, epics, documents.
    pub links: Vec<String>,
    pub priority: Option<String>,
    /// Where it stands in its owner's judgement, written in place.
    pub status: Option<Sp<Judgement>>,
    /// Its own commitment, when it differs from its objective's.
    pub commitment: Option<Commitment>,
    /// The work planned under it, never counted in its progress.
    pub initiatives: Box<[InitiativeDoc]>,
    pub checkins: Vec<CheckinDoc>,
    /// Every known key written, with its position, for kind inference.
    pub keys: Box<[Sp<KrKey>]>,
    /// Keys written that okra does not know (each reported).
    pub unknown: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct ObjectiveDoc {
    pub head: DocHead,
    pub title: Option<Sp<String>>,
    pub owner: Option<Sp<String>>,
    pub period: Option<Sp<String>>,
    /// The objectives written in `parent`, in order (`parent = ["a", "b"]`):
    /// the first places it in the tree.
    pub parents: Box<[Sp<String>]>,
    /// The id of the parent's key result this objective serves.
    pub parent_key_result: Option<Sp<String>>,
    pub draft: bool,
    /// `committed` or `aspirational` (the default): which grade thresholds
    /// apply once the period ends.
    pub commitment: Commitment,
    /// The final grade set by hand at the period's review, 0–1.
    pub grade: Option<Sp<f64>>,
    /// What the team learnt, written at the period's review.
    pub retrospective: Option<Box<str>>,
    /// Teams and people that contribute to a shared objective.
    pub contributors: Box<[Sp<String>]>,
    pub links: Box<[String]>,
    pub priority: Option<Box<str>>,
    /// Free labels, shown and searched: `onboarding`, `platform`.
    pub tags: Box<[String]>,
    /// Count the aligned children toward the score, each as one key result.
    pub include_children: bool,
    pub key_results: Box<[std::sync::Arc<KeyResultDoc>]>,
}

impl ObjectiveDoc {
    /// The first parent written: where the objective sits in the tree.
    pub fn parent(&self) -> Option<&Sp<String>> {
        self.parents.first()
    }

    /// The parents written after the first.
    pub fn also_parents(&self) -> &[Sp<String>] {
        self.parents.get(1..).unwrap_or_default()
    }
}

/// A measurement with where it was written.
#[derive(Clone, Debug)]
pub struct MeasurementDoc {
    pub span: Span,
    pub date: Date,
    pub value: f64,
    /// What happened that month, as the data's author noted it.
    pub note: Option<String>,
}

#[derive(Clone, Debug)]
pub struct KpiDoc {
    pub head: DocHead,
    pub name: Option<Sp<String>>,
    pub owner: Option<Sp<String>>,
    pub unit: Option<String>,
    pub direction: Direction,
    pub cadence: Cadence,
    pub visibility: Visibility,
    pub healthy_min: Option<f64>,
    pub healthy_max: Option<f64>,
    pub measurements: Vec<MeasurementDoc>,
    /// `sum` or `mean`: the KPI's values are those of the KPIs it is
    /// rolled up from (`of`), combined on each day.
    pub rollup: Option<Sp<Rollup>>,
    /// Whether `rollup` is written at all, even as a value that is not
    /// valid (reported where it is read): such a KPI is still meant as a
    /// roll-up, so nothing asks it for measurements or a `rollup`.
    pub rollup_written: bool,
    /// The KPIs it is rolled up from, as written.
    pub of: Box<[Sp<String>]>,
    /// The CSV data file, relative to the site root, when one is named and
    /// stays inside the site.
    pub data_path: Option<String>,
}

#[derive(Clone, Debug)]
pub struct PageDoc {
    pub head: DocHead,
    pub title: Option<Sp<String>>,
    pub weight: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A build lets the key results' documents go before it renders (see
    /// [`crate::model::release_key_result_documents`]). The allocator
    /// returns their memory to the system only from pages that no live
    /// block shares, and it fills each page with blocks of one size class:
    /// an objective's document, which stays, must fall in a smaller class
    /// (up to 512 bytes with its reference counts) than a key result's.
    #[test]
    fn objective_documents_are_allocated_apart_from_key_results() {
        let counts = 2 * size_of::<usize>();
        let objective = size_of::<ObjectiveDoc>() + counts;
        let key_result = size_of::<KeyResultDoc>() + counts;
        assert!(
            objective <= 512,
            "an objective's document takes {objective} bytes"
        );
        assert!(
            key_result > 512,
            "a key result's document takes {key_result} bytes"
        );
    }
}
