//! Stage 2, model: resolve the loaded documents into one graph.
//!
//! Ids become indices, periods get their dates, key results get their kind,
//! start, current value and unit (falling back on their KPI), and every
//! derived value that scoring and rendering need is filled in. The [`Site`]
//! built here is the single source that validation, scoring, rendering,
//! search, the JSON export and `diff` all read; it serialises as
//! `data.json`.

use std::collections::HashMap;

use serde::Serialize;

use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic};
use crate::load::{
    Cadence, CheckinDoc, Direction, DocKind, KeyResultDoc, KpiDoc, KrKind, Loaded, ObjectiveDoc,
    PageDoc, Sp, TeamDoc, TeamKind, Visibility,
};
use crate::period::{Period, Phase};
use crate::source::{Body, FileId, Span};

/// The whole resolved site.
#[derive(Debug, Serialize)]
pub struct Site {
    pub title: String,
    pub base_url: Option<String>,
    pub as_of: Date,
    /// Every period declared or used, earliest first, longer first on ties.
    pub periods: Vec<Period>,
    pub teams: Vec<Team>,
    pub objectives: Vec<Objective>,
    pub kpis: Vec<Kpi>,
    pub pages: Vec<Page>,
    #[serde(skip)]
    pub index: Index,
}

/// Lookup from ids to positions in the [`Site`] vectors.
#[derive(Debug, Default)]
pub struct Index {
    pub teams: HashMap<String, usize>,
    pub objectives: HashMap<String, usize>,
    pub kpis: HashMap<String, usize>,
    pub pages: HashMap<String, usize>,
    pub periods: HashMap<String, usize>,
}

#[derive(Debug, Serialize)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub kind: TeamKind,
    pub parent: Option<String>,
    pub lead: Option<String>,
    pub members: Vec<String>,
    /// Ids of the teams whose parent this is.
    pub children: Vec<String>,
    pub path: String,
    pub body: Body,
    #[serde(skip)]
    pub parent_index: Option<usize>,
    #[serde(skip)]
    pub doc: TeamDoc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    NotStarted,
    OnTrack,
    AtRisk,
    OffTrack,
    Achieved,
    Partial,
    Missed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotStarted => "not-started",
            Status::OnTrack => "on-track",
            Status::AtRisk => "at-risk",
            Status::OffTrack => "off-track",
            Status::Achieved => "achieved",
            Status::Partial => "partial",
            Status::Missed => "missed",
        }
    }

    /// Words for people: "on track".
    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "not started",
            Status::OnTrack => "on track",
            Status::AtRisk => "at risk",
            Status::OffTrack => "off track",
            Status::Achieved => "achieved",
            Status::Partial => "partial",
            Status::Missed => "missed",
        }
    }
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

#[derive(Clone, Debug, Serialize)]
pub struct Checkin {
    pub date: Date,
    pub value: Option<f64>,
    pub done: Option<bool>,
    pub confidence: Option<f64>,
    pub note: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct KeyResult {
    pub id: String,
    pub title: String,
    pub kind: KrKind,
    pub kpi: Option<String>,
    pub unit: Option<String>,
    pub start: Option<f64>,
    pub target: Option<f64>,
    /// The value the score is computed from (metric and health).
    pub current: Option<f64>,
    pub current_source: ValueSource,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub done: bool,
    pub progress: Option<f64>,
    pub due: Option<Date>,
    pub weight: f64,
    pub confidence: Option<f64>,
    pub owner: Option<String>,
    pub checkins: Vec<Checkin>,
    /// 0–1, see [`crate::score`].
    pub score: f64,
    pub status: Status,
    /// Health key results: whether the value is inside the band.
    pub in_band: Option<bool>,
    #[serde(skip)]
    pub kpi_index: Option<usize>,
    #[serde(skip)]
    pub doc: KeyResultDoc,
}

#[derive(Debug, Serialize)]
pub struct Objective {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub period: String,
    pub parent: Option<String>,
    pub draft: bool,
    pub key_results: Vec<KeyResult>,
    /// Ids of the objectives aligned to this one.
    pub children: Vec<String>,
    /// Ids from the top of the cascade down to this objective's parent; in
    /// a chain deeper than 11, the top one and the 10 nearest.
    pub cascade: Vec<String>,
    /// Ancestors left out of `cascade` between the top one and the nearest.
    #[serde(skip_serializing_if = "is_zero")]
    pub cascade_skipped: usize,
    /// Weighted mean of the key-result scores; `None` without key results.
    pub score: Option<f64>,
    /// Mean score of the aligned children, shown beside the objective.
    pub children_score: Option<f64>,
    /// Elapsed share of the period at the as-of date.
    pub expected: f64,
    pub phase: Phase,
    pub status: Status,
    pub path: String,
    pub body: Body,
    #[serde(skip)]
    pub owner_index: Option<usize>,
    #[serde(skip)]
    pub period_index: Option<usize>,
    #[serde(skip)]
    pub parent_index: Option<usize>,
    #[serde(skip)]
    pub doc: ObjectiveDoc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KpiStatus {
    Healthy,
    Unhealthy,
    /// Measured, but with no healthy band to judge by.
    Monitored,
    Stale,
    NoData,
}

impl KpiStatus {
    pub fn label(self) -> &'static str {
        match self {
            KpiStatus::Healthy => "healthy",
            KpiStatus::Unhealthy => "unhealthy",
            KpiStatus::Monitored => "monitored",
            KpiStatus::Stale => "stale",
            KpiStatus::NoData => "no data",
        }
    }
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
}

/// A key result named by objective and key-result id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyResultRef {
    pub objective: String,
    pub key_result: String,
}

#[derive(Debug, Serialize)]
pub struct Kpi {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub unit: Option<String>,
    pub direction: Direction,
    pub cadence: Cadence,
    pub visibility: Visibility,
    pub healthy_min: Option<f64>,
    pub healthy_max: Option<f64>,
    /// Every measurement, oldest first, including any after the as-of date.
    pub measurements: Vec<Measurement>,
    /// The latest measurement on or before the as-of date.
    pub latest: Option<Measurement>,
    pub status: KpiStatus,
    pub role: KpiRole,
    /// Key results in running periods that move this KPI.
    pub focus: Vec<KeyResultRef>,
    /// Every key result that names this KPI.
    pub key_results: Vec<KeyResultRef>,
    pub path: String,
    pub body: Body,
    #[serde(skip)]
    pub owner_index: Option<usize>,
    #[serde(skip)]
    pub doc: KpiDoc,
}

impl Kpi {
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
    pub body: Body,
    #[serde(skip)]
    pub doc: PageDoc,
}

/// Builds the site graph from loaded documents. Problems found while
/// resolving (duplicate ids, key results that cannot be interpreted) are
/// pushed to `diagnostics`; unresolved references are left as `None`
/// indices for [`crate::validate`] to report.
pub fn build(loaded: &mut Loaded, as_of: Date, diagnostics: &mut Vec<Diagnostic>) -> Site {
    let mut site = Site {
        title: loaded.config.title.clone(),
        base_url: loaded.config.base_url.clone(),
        as_of,
        periods: Vec::new(),
        teams: Vec::new(),
        objectives: Vec::new(),
        kpis: Vec::new(),
        pages: Vec::new(),
        index: Index::default(),
    };
    let path_of = |file: FileId| loaded.sources.path(file).to_string();

    for doc in std::mem::take(&mut loaded.teams) {
        if !claim_id(
            &mut site.index.teams,
            site.teams.len(),
            &doc.head.id,
            DocKind::Team,
            diagnostics,
            |i| site.teams[i].doc.head.id.span,
        ) {
            continue;
        }
        let mut doc = doc;
        site.teams.push(Team {
            id: doc.head.id.value.clone(),
            name: doc
                .name
                .as_ref()
                .map_or_else(|| doc.head.id.value.clone(), |n| n.value.clone()),
            kind: doc.kind,
            parent: doc.parent.as_ref().map(|p| p.value.clone()),
            lead: doc.lead.clone(),
            members: doc.members.clone(),
            children: Vec::new(),
            path: path_of(doc.head.file),
            body: std::mem::take(&mut doc.head.body),
            parent_index: None,
            doc,
        });
    }
    for i in 0..site.teams.len() {
        let parent = site.teams[i]
            .parent
            .as_ref()
            .and_then(|p| site.index.teams.get(p).copied());
        site.teams[i].parent_index = parent.filter(|&p| p != i);
        if let Some(p) = site.teams[i].parent_index {
            let id = site.teams[i].id.clone();
            site.teams[p].children.push(id);
        }
    }

    for doc in std::mem::take(&mut loaded.kpis) {
        if !claim_id(
            &mut site.index.kpis,
            site.kpis.len(),
            &doc.head.id,
            DocKind::Kpi,
            diagnostics,
            |i| site.kpis[i].doc.head.id.span,
        ) {
            continue;
        }
        let mut doc = doc;
        let mut measurements: Vec<Measurement> = Vec::with_capacity(doc.measurements.len());
        let mut sorted = doc.measurements.clone();
        sorted.sort_by_key(|m| m.date);
        for (i, m) in sorted.iter().enumerate() {
            if i > 0 && sorted[i - 1].date == m.date {
                diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateMeasurement,
                        format!(
                            "KPI `{}` has two measurements on {}",
                            doc.head.id.value, m.date
                        ),
                    )
                    .at(m.span)
                    .related(sorted[i - 1].span, "first measurement for that date"),
                );
                continue;
            }
            measurements.push(Measurement {
                date: m.date,
                value: m.value,
            });
        }
        let owner_index = doc
            .owner
            .as_ref()
            .and_then(|o| site.index.teams.get(&o.value).copied());
        site.kpis.push(Kpi {
            id: doc.head.id.value.clone(),
            name: doc
                .name
                .as_ref()
                .map_or_else(|| doc.head.id.value.clone(), |n| n.value.clone()),
            owner: doc
                .owner
                .as_ref()
                .map(|o| o.value.clone())
                .unwrap_or_default(),
            unit: doc.unit.clone(),
            direction: doc.direction,
            cadence: doc.cadence,
            visibility: doc.visibility,
            healthy_min: doc.healthy_min,
            healthy_max: doc.healthy_max,
            measurements,
            latest: None,
            status: KpiStatus::NoData,
            role: KpiRole::HealthMetric,
            focus: Vec::new(),
            key_results: Vec::new(),
            path: path_of(doc.head.file),
            body: std::mem::take(&mut doc.head.body),
            owner_index,
            doc,
        });
    }

    for declared in &loaded.config.periods {
        add_period(&mut site, declared.value.clone());
    }

    for doc in std::mem::take(&mut loaded.objectives) {
        if !claim_id(
            &mut site.index.objectives,
            site.objectives.len(),
            &doc.head.id,
            DocKind::Objective,
            diagnostics,
            |i| site.objectives[i].doc.head.id.span,
        ) {
            continue;
        }
        let mut doc = doc;
        let period_index = doc
            .period
            .as_ref()
            .and_then(|p| resolve_period(&mut site, &p.value));
        let period = period_index.map(|i| site.periods[i].clone());
        let key_results = build_key_results(&mut site, &mut doc, period.as_ref(), diagnostics);
        site.objectives.push(Objective {
            id: doc.head.id.value.clone(),
            title: doc
                .title
                .as_ref()
                .map_or_else(|| doc.head.id.value.clone(), |t| t.value.clone()),
            owner: doc
                .owner
                .as_ref()
                .map(|o| o.value.clone())
                .unwrap_or_default(),
            period: doc
                .period
                .as_ref()
                .map(|p| p.value.clone())
                .unwrap_or_default(),
            parent: doc.parent.as_ref().map(|p| p.value.clone()),
            draft: doc.draft,
            key_results,
            children: Vec::new(),
            cascade: Vec::new(),
            cascade_skipped: 0,
            score: None,
            children_score: None,
            expected: 0.0,
            phase: Phase::Running,
            status: Status::NotStarted,
            path: path_of(doc.head.file),
            body: std::mem::take(&mut doc.head.body),
            owner_index: doc
                .owner
                .as_ref()
                .and_then(|o| site.index.teams.get(&o.value).copied()),
            period_index,
            parent_index: None,
            doc,
        });
    }
    for i in 0..site.objectives.len() {
        let parent = site.objectives[i]
            .parent
            .as_ref()
            .and_then(|p| site.index.objectives.get(p).copied());
        site.objectives[i].parent_index = parent;
        if let Some(p) = parent.filter(|&p| p != i) {
            let id = site.objectives[i].id.clone();
            site.objectives[p].children.push(id);
        }
    }

    for doc in std::mem::take(&mut loaded.pages) {
        if !claim_id(
            &mut site.index.pages,
            site.pages.len(),
            &doc.head.id,
            DocKind::Page,
            diagnostics,
            |i| site.pages[i].doc.head.id.span,
        ) {
            continue;
        }
        let mut doc = doc;
        site.pages.push(Page {
            id: doc.head.id.value.clone(),
            title: doc
                .title
                .as_ref()
                .map_or_else(|| doc.head.id.value.clone(), |t| t.value.clone()),
            weight: doc.weight,
            path: path_of(doc.head.file),
            body: std::mem::take(&mut doc.head.body),
            doc,
        });
    }

    sort_periods(&mut site);
    site
}

/// Registers an id, reporting a duplicate (with both files) instead.
fn claim_id(
    index: &mut HashMap<String, usize>,
    next: usize,
    id: &Sp<String>,
    kind: DocKind,
    diagnostics: &mut Vec<Diagnostic>,
    span_of: impl Fn(usize) -> Span,
) -> bool {
    if let Some(&first) = index.get(&id.value) {
        diagnostics.push(
            Diagnostic::new(Code::DuplicateId, format!("two {}s have the id `{}`", kind.noun(), id.value))
                .at(id.span)
                .label("second definition")
                .related(span_of(first), "first defined here")
                .hint("ids come from `id` or the file name and must be unique among the site's documents of a kind"),
        );
        return false;
    }
    index.insert(id.value.clone(), next);
    true
}

fn add_period(site: &mut Site, period: Period) -> usize {
    if let Some(&i) = site.index.periods.get(&period.id) {
        return i;
    }
    site.index
        .periods
        .insert(period.id.clone(), site.periods.len());
    site.periods.push(period);
    site.periods.len() - 1
}

/// The index of a period by id, adding a native period on first use.
fn resolve_period(site: &mut Site, id: &str) -> Option<usize> {
    if let Some(&i) = site.index.periods.get(id) {
        return Some(i);
    }
    Period::native(id).map(|period| add_period(site, period))
}

fn sort_periods(site: &mut Site) {
    let mut order: Vec<usize> = (0..site.periods.len()).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&site.periods[a], &site.periods[b]);
        pa.start
            .cmp(&pb.start)
            .then(pb.end.cmp(&pa.end))
            .then(pa.id.cmp(&pb.id))
    });
    let mut new_position = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_position[old] = new;
    }
    let periods = std::mem::take(&mut site.periods);
    let mut slots: Vec<Option<Period>> = periods.into_iter().map(Some).collect();
    site.periods = order
        .iter()
        .map(|&old| slots[old].take().expect("each period once"))
        .collect();
    for i in site.index.periods.values_mut() {
        *i = new_position[*i];
    }
    for objective in &mut site.objectives {
        objective.period_index = objective.period_index.map(|i| new_position[i]);
    }
}

const METRIC_KEYS: &[&str] = &["start", "target"];
const MILESTONE_KEYS: &[&str] = &["done", "progress", "due"];
const HEALTH_KEYS: &[&str] = &["min", "max"];

fn kind_keys(kind: KrKind) -> &'static [&'static str] {
    match kind {
        KrKind::Metric => METRIC_KEYS,
        KrKind::Milestone => MILESTONE_KEYS,
        KrKind::Health => HEALTH_KEYS,
    }
}

/// The kind a key result declares or implies, reporting contradictions.
fn infer_kind(kr: &KeyResultDoc, diagnostics: &mut Vec<Diagnostic>) -> Option<KrKind> {
    let present = |kind: KrKind| -> Vec<&Sp<&str>> {
        kr.keys
            .iter()
            .filter(|k| kind_keys(kind).contains(&k.value))
            .collect()
    };
    let groups: Vec<(KrKind, Vec<&Sp<&str>>)> = [KrKind::Metric, KrKind::Milestone, KrKind::Health]
        .into_iter()
        .map(|kind| (kind, present(kind)))
        .filter(|(_, keys)| !keys.is_empty())
        .collect();
    if let Some(kind) = &kr.kind {
        for (other, keys) in &groups {
            if *other == kind.value {
                continue;
            }
            for key in keys {
                diagnostics.push(
                    Diagnostic::new(
                        Code::KindConflict,
                        format!(
                            "`{}` belongs to {} key results, but this one is a {} key result",
                            key.value,
                            other.as_str(),
                            kind.value.as_str()
                        ),
                    )
                    .at(key.span)
                    .related(kind.span, "kind declared here")
                    .hint(format!("remove `{}` or change `kind`", key.value)),
                );
            }
        }
        return Some(kind.value);
    }
    match groups.as_slice() {
        [(kind, _)] => Some(*kind),
        [] => {
            diagnostics.push(
                Diagnostic::new(Code::AmbiguousKind, "cannot tell what kind of key result this is")
                    .at(kr.span)
                    .hint("add `target = …` for a metric, `done = false` for a milestone, or `min`/`max` for a health key result"),
            );
            None
        }
        [first, second, ..] => {
            diagnostics.push(
                Diagnostic::new(
                    Code::AmbiguousKind,
                    format!(
                        "this key result has both {} keys and {} keys",
                        first.0.as_str(),
                        second.0.as_str()
                    ),
                )
                .at(second.1[0].span)
                .related(first.1[0].span, format!("{} key", first.0.as_str()))
                .hint("set `kind` to say which it is, and remove the keys of the other kind"),
            );
            None
        }
    }
}

fn build_key_results(
    site: &mut Site,
    objective: &mut ObjectiveDoc,
    period: Option<&Period>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<KeyResult> {
    let as_of = site.as_of;
    let mut seen: HashMap<String, Span> = HashMap::new();
    let mut out = Vec::with_capacity(objective.key_results.len());
    for doc in std::mem::take(&mut objective.key_results) {
        if let Some(first) = seen.get(&doc.id.value) {
            diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    format!(
                        "two key results of `{}` have the id `{}`",
                        objective.head.id.value, doc.id.value
                    ),
                )
                .at(doc.id.span)
                .related(*first, "first defined here"),
            );
        }
        seen.insert(doc.id.value.clone(), doc.id.span);
        let kind = infer_kind(&doc, diagnostics);
        let kpi_index = doc
            .kpi
            .as_ref()
            .and_then(|k| site.index.kpis.get(&k.value).copied());
        let kpi = kpi_index.map(|i| &site.kpis[i]);
        let title = doc
            .title
            .as_ref()
            .map_or_else(|| doc.id.value.clone(), |t| t.value.clone());

        let mut checkins: Vec<(Checkin, &CheckinDoc)> = doc
            .checkins
            .iter()
            .filter_map(|c| {
                let date = c.date.as_ref()?.value;
                Some((
                    Checkin {
                        date,
                        value: c.value.as_ref().map(|v| v.value),
                        done: c.done.as_ref().map(|d| d.value),
                        confidence: c.confidence,
                        note: c.note.clone(),
                    },
                    c,
                ))
            })
            .collect();
        checkins.sort_by_key(|(c, _)| c.date);
        let latest_checkin = checkins.iter().rev().find(|(c, _)| c.date <= as_of);

        if let (Some(current), false) = (&doc.current, doc.checkins.is_empty()) {
            diagnostics.push(
                Diagnostic::new(
                    Code::CurrentWithCheckins,
                    "a key result has both `current` and check-ins",
                )
                .at(current.span)
                .related(doc.checkins[0].span, "check-ins start here")
                .hint("remove `current`: the latest check-in is the current value"),
            );
        }

        let kind_or_metric = kind.unwrap_or(KrKind::Metric);
        for (checkin, checkin_doc) in &checkins {
            let needs = match kind_or_metric {
                KrKind::Milestone => checkin.done.is_none() && checkin.value.is_none(),
                _ => checkin.value.is_none(),
            };
            if needs && kind.is_some() {
                let key = if kind_or_metric == KrKind::Milestone {
                    "done"
                } else {
                    "value"
                };
                diagnostics.push(
                    Diagnostic::new(
                        Code::MissingKey,
                        format!(
                            "a check-in of a {} key result has no `{key}`",
                            kind_or_metric.as_str()
                        ),
                    )
                    .at(checkin_doc.span)
                    .hint(format!("add `{key} = …` to the check-in")),
                );
            }
            if kind_or_metric == KrKind::Milestone {
                if let Some(value) = &checkin_doc.value {
                    if !(0.0..=1.0).contains(&value.value) {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::OutOfRange,
                                format!(
                                    "a milestone check-in's `value` is its progress, 0–1, found {}",
                                    value.value
                                ),
                            )
                            .at(value.span),
                        );
                    }
                }
            }
        }

        let (current, current_source) = if let Some(current) = &doc.current {
            (Some(current.value), ValueSource::Current)
        } else if let Some(value) = latest_checkin
            .and_then(|(c, _)| c.value)
            .filter(|_| kind_or_metric != KrKind::Milestone)
        {
            (Some(value), ValueSource::Checkin)
        } else if let Some(m) = kpi
            .and_then(|k| k.value_at(as_of))
            .filter(|_| kind_or_metric != KrKind::Milestone)
        {
            (Some(m.value), ValueSource::Kpi)
        } else {
            (None, ValueSource::None)
        };

        // A key written with a bad value has had its diagnostic: it is not
        // missing too.
        let written = |key: &str| doc.keys.iter().any(|k| k.value == key);
        let mut start = doc.start.as_ref().map(|s| s.value);
        if kind == Some(KrKind::Metric) {
            if start.is_none() {
                start = match (kpi, period) {
                    (Some(kpi), Some(period)) => kpi.value_at(period.start).map(|m| m.value),
                    _ => None,
                };
            }
            match (&doc.target, start) {
                (None, _) if written("target") => {}
                (None, _) => diagnostics.push(
                    Diagnostic::new(
                        Code::MissingTarget,
                        format!("metric key result `{}` has no target", doc.id.value),
                    )
                    .at(doc.span)
                    .hint("add `target = …`: the value this key result moves to"),
                ),
                (Some(target), Some(start_value)) if start_value == target.value => {
                    let mut diagnostic = Diagnostic::new(
                        Code::StartEqualsTarget,
                        format!(
                            "start and target are both {start_value}: there is nothing to move"
                        ),
                    )
                    .at(target.span);
                    if let Some(s) = &doc.start {
                        diagnostic = diagnostic.related(s.span, "start");
                    }
                    diagnostics.push(
                        diagnostic.hint(
                            "for a value to keep, use a health key result with `min` or `max`",
                        ),
                    );
                }
                (Some(_), None)
                    if !written("start")
                        && (doc.kpi.is_none() || kpi.is_some() && period.is_some()) =>
                {
                    let hint = match (kpi, period) {
                        (Some(kpi), Some(period)) => format!(
                            "add `start = …`, or a measurement of KPI `{}` on or before {}",
                            kpi.id, period.start
                        ),
                        _ => {
                            "add `start = …`: the value at the beginning of the period".to_string()
                        }
                    };
                    diagnostics.push(
                        Diagnostic::new(
                            Code::MissingStart,
                            format!("metric key result `{}` has no start value", doc.id.value),
                        )
                        .at(doc.span)
                        .hint(hint),
                    );
                }
                _ => {}
            }
        }
        if kind == Some(KrKind::Health) {
            match (&doc.min, &doc.max) {
                (None, None) if written("min") || written("max") => {}
                (None, None) => diagnostics.push(
                    Diagnostic::new(
                        Code::HealthWithoutBounds,
                        format!("health key result `{}` has no band", doc.id.value),
                    )
                    .at(doc.span)
                    .hint("add `min = …` and/or `max = …`: the band to stay in"),
                ),
                (Some(min), Some(max)) if min.value > max.value => diagnostics.push(
                    Diagnostic::new(
                        Code::OutOfRange,
                        format!("`min` ({}) is above `max` ({})", min.value, max.value),
                    )
                    .at(min.span)
                    .related(max.span, "max"),
                ),
                _ => {}
            }
        }
        let (mut done, mut progress) = (
            doc.done.as_ref().is_some_and(|d| d.value),
            doc.progress.as_ref().map(|p| p.value),
        );
        if kind == Some(KrKind::Milestone) {
            if let Some((checkin, _)) = latest_checkin {
                if doc.done.is_none() {
                    done = checkin.done.unwrap_or(done);
                }
                if doc.progress.is_none() {
                    progress = checkin
                        .value
                        .filter(|v| (0.0..=1.0).contains(v))
                        .or(progress);
                }
            }
        }
        let confidence = doc
            .confidence
            .or_else(|| latest_checkin.and_then(|(c, _)| c.confidence));
        let unit = doc
            .unit
            .clone()
            .or_else(|| kpi.and_then(|k| k.unit.clone()));
        let checkins = checkins.into_iter().map(|(c, _)| c).collect();

        out.push(KeyResult {
            id: doc.id.value.clone(),
            title,
            kind: kind_or_metric,
            kpi: doc.kpi.as_ref().map(|k| k.value.clone()),
            unit,
            start,
            target: doc.target.as_ref().map(|t| t.value),
            current,
            current_source,
            min: doc.min.as_ref().map(|m| m.value),
            max: doc.max.as_ref().map(|m| m.value),
            done,
            progress,
            due: doc.due.as_ref().map(|d| d.value),
            weight: doc.weight,
            confidence,
            owner: doc.owner.clone(),
            checkins,
            score: 0.0,
            status: Status::NotStarted,
            in_band: None,
            kpi_index,
            doc,
        });
    }
    out
}

impl Site {
    /// The site as a build publishes it: drafts only when `drafts`, private
    /// KPIs only when `include_private`. References to what is left out are
    /// dropped, so nothing published points at an unpublished document.
    pub fn published(self, drafts: bool, include_private: bool) -> Site {
        let Site {
            title,
            base_url,
            as_of,
            periods,
            teams,
            objectives,
            kpis,
            pages,
            index,
        } = self;
        let keep_objective: Vec<bool> = objectives.iter().map(|o| drafts || !o.draft).collect();
        let keep_kpi: Vec<bool> = kpis
            .iter()
            .map(|k| include_private || !k.is_private())
            .collect();
        let objective_map = remap(&keep_objective);
        let kpi_map = remap(&keep_kpi);

        let mut objectives: Vec<Objective> = objectives
            .into_iter()
            .zip(&keep_objective)
            .filter_map(|(o, keep)| keep.then_some(o))
            .collect();
        let mut kpis: Vec<Kpi> = kpis
            .into_iter()
            .zip(&keep_kpi)
            .filter_map(|(k, keep)| keep.then_some(k))
            .collect();
        let kept_objectives: std::collections::HashSet<String> =
            objectives.iter().map(|o| o.id.clone()).collect();
        // A period that only left-out drafts use leaves no trace; declared
        // periods (never native names) stay.
        let keep_period: Vec<bool> = periods
            .iter()
            .enumerate()
            .map(|(i, p)| {
                Period::native(&p.id).is_none()
                    || objectives.iter().any(|o| o.period_index == Some(i))
            })
            .collect();
        let period_map = remap(&keep_period);
        let periods: Vec<Period> = periods
            .into_iter()
            .zip(&keep_period)
            .filter_map(|(p, keep)| keep.then_some(p))
            .collect();
        for objective in &mut objectives {
            objective.period_index = objective.period_index.and_then(|i| period_map[i]);
            objective.parent_index = objective.parent_index.and_then(|i| objective_map[i]);
            if objective.parent_index.is_none() {
                objective.parent = objective
                    .parent
                    .take()
                    .filter(|p| kept_objectives.contains(p));
            }
            objective.children.retain(|c| kept_objectives.contains(c));
            objective.cascade.retain(|c| kept_objectives.contains(c));
            for kr in &mut objective.key_results {
                kr.kpi_index = kr.kpi_index.and_then(|i| kpi_map[i]);
                if kr.kpi_index.is_none() {
                    kr.kpi = None;
                }
            }
        }
        for kpi in &mut kpis {
            kpi.focus.retain(|r| kept_objectives.contains(&r.objective));
            kpi.key_results
                .retain(|r| kept_objectives.contains(&r.objective));
            if kpi.focus.is_empty() {
                kpi.role = KpiRole::HealthMetric;
            }
        }
        let objectives_index = objectives
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.clone(), i))
            .collect();
        let kpis_index = kpis
            .iter()
            .enumerate()
            .map(|(i, k)| (k.id.clone(), i))
            .collect();
        let periods_index = periods
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        Site {
            title,
            base_url,
            as_of,
            periods,
            teams,
            objectives,
            kpis,
            pages,
            index: Index {
                objectives: objectives_index,
                kpis: kpis_index,
                periods: periods_index,
                ..index
            },
        }
    }
}

/// Old index → new index, for the elements that are kept.
fn remap(keep: &[bool]) -> Vec<Option<usize>> {
    let mut next = 0;
    keep.iter()
        .map(|&k| {
            k.then(|| {
                next += 1;
                next - 1
            })
        })
        .collect()
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}
