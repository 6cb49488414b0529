//! Key results: their kind, their check-ins and where their current value
//! comes from, with the problems found on the way.

use std::sync::Arc;

use super::{Checkin, KeyResult, Kpi, Site, Status, ValueSource};
use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic};
use crate::load::fields::near_miss;
use crate::load::{CheckinDoc, KeyResultDoc, KrKey, ObjectiveDoc, Sp};
use crate::model::{Commitment, KrKind};
use crate::period::Period;
use crate::source::Span;

/// "add `target = …` for a metric, …, or `score = …` for one scored by
/// hand": what makes each kind.
fn kind_hint() -> String {
    let examples: Vec<&str> = KrKind::ALL.iter().map(|k| k.traits().example).collect();
    let (last, rest) = examples.split_last().expect("there are kinds");
    format!("add {}, or {last}", rest.join(", "))
}

/// The kind a key result declares or implies, reporting contradictions.
fn infer_kind(kr: &KeyResultDoc, diagnostics: &mut Vec<Diagnostic>) -> Option<KrKind> {
    let present = |kind: KrKind| -> Vec<&Sp<KrKey>> {
        kr.keys
            .iter()
            .filter(|k| kind.traits().keys.contains(&k.value.name()))
            .collect()
    };
    let groups: Vec<(KrKind, Vec<&Sp<KrKey>>)> = KrKind::ALL
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
        // Scores checked in make a hand-scored key result.
        [] if kr.checkins.iter().any(|c| c.score.is_some()) => Some(KrKind::Scored),
        // A misspelt kind key has its own diagnostic.
        [] if kr.unknown.iter().any(|u| {
            KrKind::ALL
                .iter()
                .flat_map(|&kind| kind.traits().keys)
                .any(|k| near_miss(u, k))
        }) =>
        {
            None
        }
        [] => {
            diagnostics.push(
                Diagnostic::new(
                    Code::AmbiguousKind,
                    "cannot tell what kind of key result this is",
                )
                .at(kr.span)
                .hint(kind_hint()),
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

/// The key results of an objective, in the order written; a repeated id
/// is reported.
pub(super) fn build_key_results(
    site: &Site,
    objective: &ObjectiveDoc,
    period: Option<&Period>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<KeyResult> {
    // Few key results to an objective: a list is quicker than a map.
    let mut seen: Vec<(&str, Span)> = Vec::with_capacity(objective.key_results.len());
    let mut out = Vec::with_capacity(objective.key_results.len());
    for doc in &objective.key_results {
        if let Some((_, first)) = seen.iter().find(|(id, _)| *id == doc.id.value) {
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
        seen.push((&doc.id.value, doc.id.span));
        let mut kr = key_result(site, Arc::clone(doc), period, diagnostics);
        kr.commitment = doc.commitment.unwrap_or(objective.commitment);
        out.push(kr);
    }
    out
}

/// What one key result is made of, where it can be told.
struct Context<'a> {
    doc: &'a KeyResultDoc,
    /// The kind, when declared or implied without contradiction.
    kind: Option<KrKind>,
    kpi: Option<&'a Kpi>,
    period: Option<&'a Period>,
    /// The date values are taken at: the as-of date, or the period's end
    /// once it has ended, so that later data never regrades it.
    as_of: Date,
}

impl Context<'_> {
    /// The kind to score by: a metric when it cannot be told.
    fn kind_or_metric(&self) -> KrKind {
        self.kind.unwrap_or(KrKind::Metric)
    }

    /// Whether a key is written, even with a value that could not be read
    /// or misspelt (which has had its diagnostic, so is not missing too).
    fn written(&self, key: &str) -> bool {
        self.doc.keys.iter().any(|k| k.value == key)
            || self.doc.unknown.iter().any(|u| near_miss(u, key))
    }
}

fn key_result(
    site: &Site,
    doc: Arc<KeyResultDoc>,
    period: Option<&Period>,
    diagnostics: &mut Vec<Diagnostic>,
) -> KeyResult {
    let kind = infer_kind(&doc, diagnostics);
    let kpi_index = doc
        .kpi
        .as_ref()
        .and_then(|k| site.index.kpis.get(&k.value).copied());
    let cx = Context {
        doc: &doc,
        kind,
        kpi: kpi_index.map(|i| &site.kpis[i]),
        period,
        as_of: measured_at(site.as_of, period),
    };
    let checkins = checkins(&cx, diagnostics);
    // The latest check-in that says each thing, by the as-of date: a
    // later status update with only a note leaves the value standing.
    let counted = || checkins.iter().rev().filter(|c| c.date <= cx.as_of);
    let latest_value = counted().find(|c| c.value.is_some() || c.done.is_some());
    let (current, current_source) = current_value(&cx, latest_value);
    let start = start_value(&cx);
    check_kind(&cx, start, diagnostics);
    let (done, progress) = milestone_state(&cx, latest_value);
    let reported = doc.done.is_some() || doc.progress.is_some() || latest_value.is_some();
    let written_score = doc.score.as_ref().map(|s| s.value);
    // A score checked in within the grading window after the period's
    // end is its final grade.
    let graded = grading_window(site, period).and_then(|(end, last)| {
        checkins
            .iter()
            .rev()
            .filter(|c| end < c.date && c.date <= last)
            .find_map(|c| c.score)
    });
    let hand_score = written_score
        .or(graded)
        .or_else(|| counted().find_map(|c| c.score));
    let reported_status = doc
        .status
        .as_ref()
        .map(|s| s.value)
        .or_else(|| counted().find_map(|c| c.status));
    let confidence = doc
        .confidence
        .or_else(|| counted().find_map(|c| c.confidence));
    let unit = doc
        .unit
        .clone()
        .or_else(|| cx.kpi.and_then(|k| k.unit.clone()));
    let kind = cx.kind_or_metric();
    let owners = doc.owners.clone();
    KeyResult {
        id: doc.id.value.clone(),
        title: doc
            .title
            .as_ref()
            .map_or_else(|| doc.id.value.clone(), |t| t.value.clone()),
        kind,
        kind_known: cx.kind.is_some(),
        kpi: kpi_index,
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
        owner: (!owners.is_empty()).then(|| owners.join(", ")),
        owners,
        checkins,
        measured_at: cx.as_of,
        score: None,
        hand_score,
        reported,
        achievement: None,
        dropped: doc.dropped.as_ref().map(|d| d.value.clone()),
        links: doc.links.clone(),
        priority: doc.priority.clone(),
        status: Status::NotStarted,
        reported_status,
        commitment: Commitment::default(),
        initiatives: doc.initiatives.to_vec(),
        in_band: None,
        past: Vec::new(),
        goalposts: Vec::new(),
        kpi_written: doc.kpi.as_ref().map(|k| k.value.clone()),
        state_in_place: doc.done.is_some() || doc.progress.is_some(),
        document: Some(doc),
    }
}

/// The days after a period's end in which a score checked in is its final
/// grade, up to the as-of date: `(end, last)`, the end itself excluded.
pub(crate) fn grading_window(site: &Site, period: Option<&Period>) -> Option<(Date, Date)> {
    let end = period?.end;
    let last = end.add_days(site.grading.window_days).min(site.as_of);
    (end < last).then_some((end, last))
}

/// The date a key result's values are taken at: `as_of`, or the end of
/// its period when that is earlier.
pub(super) fn measured_at(as_of: Date, period: Option<&Period>) -> Date {
    period.map_or(as_of, |p| p.end.min(as_of))
}

/// The dated check-ins, oldest first, reporting those that lack what their
/// kind needs and the use of `current` beside them.
fn checkins(cx: &Context, diagnostics: &mut Vec<Diagnostic>) -> Vec<Checkin> {
    let doc = cx.doc;
    check_value_beside_checkins(doc, diagnostics);
    let mut dated: Vec<(Checkin, &CheckinDoc)> = doc
        .checkins
        .iter()
        .filter_map(|c| {
            let checkin = Checkin {
                date: c.date.as_ref()?.value,
                value: c.value.as_ref().map(|v| v.value),
                done: c.done.as_ref().map(|d| d.value),
                forecast: c.forecast,
                score: c.score.as_ref().map(|s| s.value),
                confidence: c.confidence,
                status: c.status,
                note: c.note.clone(),
                reported: None,
            };
            Some((checkin, c))
        })
        .collect();
    dated.sort_by_key(|(c, _)| c.date);
    for (checkin, checkin_doc) in &dated {
        check_checkin(cx, checkin, checkin_doc, diagnostics);
    }
    dated.into_iter().map(|(c, _)| c).collect()
}

/// `current`, `done` or `progress` written beside check-ins that carry
/// values: two sources for one value. Check-ins with only a note, a
/// forecast or a confidence are status updates and may sit beside them.
fn check_value_beside_checkins(doc: &KeyResultDoc, diagnostics: &mut Vec<Diagnostic>) {
    let Some(first) = doc
        .checkins
        .iter()
        .find(|c| c.value.is_some() || c.done.is_some())
    else {
        return;
    };
    let written = [
        ("current", doc.current.as_ref().map(|v| v.span)),
        ("done", doc.done.as_ref().map(|v| v.span)),
        ("progress", doc.progress.as_ref().map(|v| v.span)),
    ];
    for (key, span) in written {
        let Some(span) = span else { continue };
        diagnostics.push(
            Diagnostic::new(
                Code::CurrentWithCheckins,
                format!("a key result has both `{key}` and check-ins with values"),
            )
            .at(span)
            .related(first.span, "check-ins start here")
            .hint(format!(
                "remove `{key}`: the latest check-in says where the key result stands"
            )),
        );
    }
}

fn check_checkin(
    cx: &Context,
    checkin: &Checkin,
    doc: &CheckinDoc,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let milestone = cx.kind_or_metric().traits().task;
    let says_something = checkin.value.is_some()
        || checkin.done.is_some()
        || checkin.score.is_some()
        || checkin.forecast.is_some()
        || checkin.confidence.is_some()
        || checkin.status.is_some()
        || checkin
            .note
            .as_deref()
            .is_some_and(|n| !n.trim().is_empty());
    if !says_something {
        let key = if milestone { "done" } else { "value" };
        diagnostics.push(
            Diagnostic::new(Code::MissingKey, "a check-in with a date and nothing else")
                .at(doc.span)
                .hint(format!(
                    "add `{key} = …`, a `status`, a `note`, a `forecast` or a `confidence`"
                )),
        );
    }
    if let Some(value) = doc.value.as_ref().filter(|_| milestone) {
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

/// The value a metric or health key result is scored from: `current`, else
/// the latest check-in by the as-of date, else the KPI's latest
/// measurement by then.
fn current_value(cx: &Context, latest: Option<&Checkin>) -> (Option<f64>, ValueSource) {
    if let Some(current) = &cx.doc.current {
        return (Some(current.value), ValueSource::Current);
    }
    if cx.kind_or_metric().traits().task {
        return (None, ValueSource::None);
    }
    if let Some(value) = latest.and_then(|c| c.value) {
        (Some(value), ValueSource::Checkin)
    } else if let Some(m) = cx.kpi.and_then(|k| k.value_at(cx.as_of)) {
        (Some(m.value), ValueSource::Kpi)
    } else {
        (None, ValueSource::None)
    }
}

/// `start`, or for a metric on a KPI, the KPI's value when the period
/// began.
fn start_value(cx: &Context) -> Option<f64> {
    let written = cx.doc.start.as_ref().map(|s| s.value);
    if !cx.kind.is_some_and(|k| k.traits().moves) {
        return written;
    }
    written.or_else(|| match (cx.kpi, cx.period) {
        (Some(kpi), Some(period)) => kpi.value_at(period.start).map(|m| m.value),
        _ => None,
    })
}

fn check_metric(cx: &Context, start: Option<f64>, diagnostics: &mut Vec<Diagnostic>) {
    let doc = cx.doc;
    match (&doc.target, start) {
        (None, _) if cx.written("target") => {}
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
                format!("start and target are both {start_value}: there is nothing to move"),
            )
            .at(target.span);
            if let Some(s) = &doc.start {
                diagnostic = diagnostic.related(s.span, "start");
            }
            diagnostics.push(
                diagnostic.hint("for a value to keep, use a health key result with `min` or `max`"),
            );
        }
        (Some(_), None)
            if !cx.written("start")
                && (doc.kpi.is_none() || cx.kpi.is_some() && cx.period.is_some()) =>
        {
            let hint = match (cx.kpi, cx.period) {
                (Some(kpi), Some(period)) => format!(
                    "add `start = …`, or a measurement of KPI `{}` on or before {}",
                    kpi.id, period.start
                ),
                _ => "add `start = …`: the value at the beginning of the period".to_string(),
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

/// What each kind of key result needs, where the kind is known.
fn check_kind(cx: &Context, start: Option<f64>, diagnostics: &mut Vec<Diagnostic>) {
    match cx.kind {
        Some(KrKind::Metric) => check_metric(cx, start, diagnostics),
        Some(KrKind::Health) => check_health(cx, diagnostics),
        // A hand score and a judgement come with the first check-in: a
        // key result written before any has no data yet.
        // A roll-up has what the objectives serving it have.
        Some(KrKind::Milestone | KrKind::Scored | KrKind::Status | KrKind::Rollup) | None => {}
    }
}

fn check_health(cx: &Context, diagnostics: &mut Vec<Diagnostic>) {
    let doc = cx.doc;
    match (&doc.min, &doc.max) {
        (None, None) if cx.written("min") || cx.written("max") => {}
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

/// `done` and `progress`, for a milestone from the latest check-in when
/// not written.
fn milestone_state(cx: &Context, latest: Option<&Checkin>) -> (bool, Option<f64>) {
    let doc = cx.doc;
    let done = doc.done.as_ref().is_some_and(|d| d.value);
    let progress = doc.progress.as_ref().map(|p| p.value);
    let Some(checkin) = latest.filter(|_| cx.kind.is_some_and(|k| k.traits().task)) else {
        return (done, progress);
    };
    let done = match doc.done {
        Some(_) => done,
        None => checkin.done.unwrap_or(done),
    };
    let progress = match doc.progress {
        Some(_) => progress,
        None => checkin
            .value
            .filter(|v| (0.0..=1.0).contains(v))
            .or(progress),
    };
    (done, progress)
}
