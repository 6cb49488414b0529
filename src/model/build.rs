//! Documents into the site graph: unique ids, indices for references,
//! periods with their dates.

use std::sync::Arc;

use rayon::prelude::*;

use super::key_results::build_key_results;
use super::{
    IdMap, Index, Kpi, KpiRole, KpiStatus, Measurement, Objective, Page, PeriodIx, Site, Status,
    Team,
};
use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic};
use crate::load::{DocHead, DocKind, KpiDoc, Loaded, ObjectiveDoc, PageDoc, Sp, TeamDoc};
use crate::period::{Period, Phase};
use crate::source::FileId;

/// Builds the site graph from loaded documents. Problems found while
/// resolving (duplicate ids, key results that cannot be interpreted) are
/// pushed to `diagnostics`; unresolved references are left as `None` for
/// [`crate::validate`] to report.
pub fn build(loaded: &mut Loaded, as_of: Date, diagnostics: &mut Vec<Diagnostic>) -> Site {
    let mut site = Site {
        title: loaded.config.title.clone(),
        base_url: loaded.config.base_url.clone(),
        repository: loaded.config.repository.clone(),
        ..Site::empty(
            as_of,
            loaded.config.grading,
            loaded.config.lint.checkin_cadence,
        )
    };
    let path_of = |file: FileId| loaded.sources.path(file).to_string();

    let (teams, index) = unique(std::mem::take(&mut loaded.teams), diagnostics);
    site.index.teams = index;
    site.teams = teams
        .into_iter()
        .map(|doc| team(&site.index, doc, &path_of))
        .collect();

    let (kpis, index) = unique(std::mem::take(&mut loaded.kpis), diagnostics);
    site.index.kpis = index;
    site.kpis = kpis
        .into_iter()
        .map(|doc| kpi(&site.index, doc, &path_of, diagnostics))
        .collect();
    super::rollup::roll_up_kpis(&mut site, diagnostics);

    for declared in &loaded.config.periods {
        add_period(&mut site, declared.value.clone());
    }

    let (objectives, index) = unique(std::mem::take(&mut loaded.objectives), diagnostics);
    site.index.objectives = index;
    // Periods first, as they may add native periods to the site; then
    // each objective on its own, in parallel, its problems kept in order.
    let periods: Vec<Option<PeriodIx>> = objectives
        .iter()
        .map(|doc| {
            let period = doc.period.as_ref()?;
            resolve_period(&mut site, &period.value)
        })
        .collect();
    // Unzipped as they are made, so the objectives are never held twice.
    let (built, problems): (Vec<Objective>, Vec<Vec<Diagnostic>>) = objectives
        .into_par_iter()
        .zip(periods)
        .map(|(doc, period)| {
            let mut problems = Vec::new();
            let objective = objective(&site, doc, period, &path_of, &mut problems);
            (objective, problems)
        })
        .unzip();
    site.objectives = built;
    diagnostics.extend(problems.into_iter().flatten());

    let (pages, index) = unique(std::mem::take(&mut loaded.pages), diagnostics);
    site.index.pages = index;
    site.pages = pages.into_iter().map(|doc| page(doc, &path_of)).collect();

    sort_periods(&mut site);
    super::relations::derive(&mut site);
    site
}

/// Gives every document's body its own copy of its text (see
/// [`crate::source::Body::detach`]), so that the texts of files no longer
/// needed can be freed. A document shared with another holder (documents
/// kept between runs) keeps its body as it is.
pub fn detach_bodies(site: &mut Site) {
    macro_rules! detach {
        ($item:expr) => {{
            let item = $item;
            if let Some(doc) = Arc::get_mut(&mut item.doc) {
                doc.head.body.detach();
                item.body = doc.head.body.clone();
            }
        }};
    }
    site.objectives.par_iter_mut().for_each(|o| detach!(o));
    site.kpis.par_iter_mut().for_each(|k| detach!(k));
    site.teams.iter_mut().for_each(|t| detach!(t));
    site.pages.iter_mut().for_each(|p| detach!(p));
}

/// Lets go of the key results' documents, the largest part of what a
/// large site holds, once a build has checked the site and read its
/// history: pages, data files and the search index do not need them. The
/// objectives' documents then hold no key results either, so that the
/// memory they took is freed whole.
pub fn release_key_result_documents(site: &mut Site) {
    site.objectives.par_iter_mut().for_each(|objective| {
        for kr in &mut objective.key_results {
            kr.document = None;
        }
        if let Some(doc) = Arc::get_mut(&mut objective.doc) {
            doc.key_results = Box::default();
        }
    });
}

/// Positions by id, for the [`Index`] of documents in the order given.
pub(super) fn positions<'a, Ix: From<usize>>(ids: impl Iterator<Item = &'a String>) -> IdMap<Ix> {
    ids.enumerate()
        .map(|(i, id)| (id.clone(), Ix::from(i)))
        .collect()
}

/// A loaded document of one kind.
trait Document {
    const KIND: DocKind;
    fn head(&self) -> &DocHead;
}

macro_rules! document {
    ($doc:ty => $kind:ident) => {
        impl Document for Arc<$doc> {
            const KIND: DocKind = DocKind::$kind;
            fn head(&self) -> &DocHead {
                &self.head
            }
        }
    };
}

document!(TeamDoc => Team);
document!(ObjectiveDoc => Objective);
document!(KpiDoc => Kpi);
document!(PageDoc => Page);

/// The documents with an id no earlier document of their kind has, and
/// their positions by id; each later duplicate is reported with both places.
fn unique<D: Document, Ix: From<usize>>(
    docs: Vec<D>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<D>, IdMap<Ix>) {
    let mut first: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    let mut keep = vec![true; docs.len()];
    for (i, doc) in docs.iter().enumerate() {
        let id = &doc.head().id;
        match first.get(id.value.as_str()) {
            Some(&earlier) => {
                keep[i] = false;
                diagnostics.push(duplicate(D::KIND, id, &docs[earlier].head().id));
            }
            None => {
                first.insert(&id.value, i);
            }
        }
    }
    let kept: Vec<D> = docs
        .into_iter()
        .zip(keep)
        .filter_map(|(doc, keep)| keep.then_some(doc))
        .collect();
    let index = positions(kept.iter().map(|doc| &doc.head().id.value));
    (kept, index)
}

fn duplicate(kind: DocKind, id: &Sp<String>, first: &Sp<String>) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateId,
        format!("two {}s have the id `{}`", kind.noun(), id.value),
    )
    .at(id.span)
    .label("second definition")
    .related(first.span, "first defined here")
    .hint("ids come from `id` or the file name and must be unique among the site's documents of a kind")
}

/// A written name or title, else the id.
fn name_or_id(name: &Option<Sp<String>>, head: &DocHead) -> String {
    name.as_ref()
        .map_or_else(|| head.id.value.clone(), |n| n.value.clone())
}

fn team(index: &Index, doc: Arc<TeamDoc>, path_of: &impl Fn(FileId) -> String) -> Team {
    Team {
        id: doc.head.id.value.clone(),
        name: name_or_id(&doc.name, &doc.head),
        kind: doc.kind,
        // A team that names itself is a root here; validation reports it.
        parent: doc
            .parent
            .as_ref()
            .filter(|p| p.value != doc.head.id.value)
            .and_then(|p| index.teams.get(&p.value).copied()),
        lead: doc.lead.clone(),
        members: doc.members.clone(),
        children: Vec::new(),
        path: path_of(doc.head.file),
        body: doc.head.body.clone(),
        coaching: Vec::new(),
        doc,
    }
}

fn kpi(
    index: &Index,
    doc: Arc<KpiDoc>,
    path_of: &impl Fn(FileId) -> String,
    diagnostics: &mut Vec<Diagnostic>,
) -> Kpi {
    let measurements = measurements(&doc, diagnostics);
    Kpi {
        id: doc.head.id.value.clone(),
        name: name_or_id(&doc.name, &doc.head),
        owner: doc
            .owner
            .as_ref()
            .and_then(|o| index.teams.get(&o.value).copied()),
        unit: doc.unit.clone(),
        direction: doc.direction,
        cadence: doc.cadence,
        visibility: doc.visibility,
        healthy_min: doc.healthy_min,
        healthy_max: doc.healthy_max,
        rollup: doc.rollup.as_ref().map(|r| r.value),
        of: Vec::new(),
        measurements,
        latest: None,
        status: KpiStatus::NoData,
        role: KpiRole::HealthMetric,
        focus: Vec::new(),
        key_results: Vec::new(),
        path: path_of(doc.head.file),
        body: doc.head.body.clone(),
        coaching: Vec::new(),
        doc,
    }
}

/// A KPI's measurements, oldest first, reporting two on one date.
fn measurements(doc: &KpiDoc, diagnostics: &mut Vec<Diagnostic>) -> Vec<Measurement> {
    let mut sorted: Vec<_> = doc.measurements.iter().collect();
    sorted.sort_by_key(|m| m.date);
    let mut out: Vec<Measurement> = Vec::with_capacity(sorted.len());
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
        out.push(Measurement {
            date: m.date,
            value: m.value,
            note: m.note.clone(),
            reported: None,
        });
    }
    out
}

fn objective(
    site: &Site,
    doc: Arc<ObjectiveDoc>,
    period: Option<PeriodIx>,
    path_of: &(impl Fn(FileId) -> String + Sync),
    diagnostics: &mut Vec<Diagnostic>,
) -> Objective {
    let key_results = build_key_results(site, &doc, period.map(|p| &site.periods[p]), diagnostics);
    Objective {
        id: doc.head.id.value.clone(),
        title: name_or_id(&doc.title, &doc.head),
        owner: doc
            .owner
            .as_ref()
            .and_then(|o| site.index.teams.get(&o.value).copied()),
        period,
        parent: doc
            .parent()
            .and_then(|p| site.index.objectives.get(&p.value).copied()),
        also_parents: Vec::new(),
        parent_key_result: None,
        draft: doc.draft,
        commitment: doc.commitment,
        grade: doc.grade.as_ref().map(|g| g.value),
        retrospective: doc.retrospective.as_deref().map(String::from),
        goalposts: Vec::new(),
        contributors: doc
            .contributors
            .iter()
            .filter_map(|c| site.index.teams.get(&c.value).copied())
            .collect(),
        links: doc.links.to_vec(),
        priority: doc.priority.as_deref().map(String::from),
        tags: doc.tags.to_vec(),
        key_results,
        children: Vec::new(),
        cascade: Vec::new(),
        cascade_skipped: 0,
        score: None,
        counted: 0,
        with_data: 0,
        breaches: Vec::new(),
        children_score: None,
        include_children: doc.include_children,
        from_children: false,
        expected: 0.0,
        paced: true,
        phase: Phase::Running,
        status: Status::NotStarted,
        path: path_of(doc.head.file),
        body: doc.head.body.clone(),
        coaching: Vec::new(),
        doc,
    }
}

fn page(doc: Arc<PageDoc>, path_of: &impl Fn(FileId) -> String) -> Page {
    Page {
        id: doc.head.id.value.clone(),
        title: name_or_id(&doc.title, &doc.head),
        weight: doc.weight,
        path: path_of(doc.head.file),
        body: doc.head.body.clone(),
        doc,
    }
}

fn add_period(site: &mut Site, period: Period) -> PeriodIx {
    if let Some(&i) = site.index.periods.get(&period.id) {
        return i;
    }
    let index = PeriodIx(site.periods.len());
    site.index.periods.insert(period.id.clone(), index);
    site.periods.push(period);
    index
}

/// The index of a period by id, adding a native period on first use.
fn resolve_period(site: &mut Site, id: &str) -> Option<PeriodIx> {
    if let Some(&i) = site.index.periods.get(id) {
        return Some(i);
    }
    Period::native(id).map(|period| add_period(site, period))
}

/// Orders periods earliest first, longer first on ties, and moves every
/// reference along.
fn sort_periods(site: &mut Site) {
    let mut order: Vec<usize> = (0..site.periods.len()).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&site.periods[a], &site.periods[b]);
        pa.start
            .cmp(&pb.start)
            .then(pb.end.cmp(&pa.end))
            .then(pa.id.cmp(&pb.id))
    });
    let mut new_position = vec![PeriodIx(0); order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_position[old] = PeriodIx(new);
    }
    let mut slots: Vec<Option<Period>> = std::mem::take(&mut site.periods)
        .into_iter()
        .map(Some)
        .collect();
    site.periods = order.iter().filter_map(|&old| slots[old].take()).collect();
    for i in site.index.periods.values_mut() {
        *i = new_position[i.0];
    }
    for objective in &mut site.objectives {
        objective.period = objective.period.map(|i| new_position[i.0]);
    }
}
