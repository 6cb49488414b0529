//! The facts that changed in one key result, KPI or objective, each with
//! its old and new value and whether it moves a goalpost.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::super::Fact;
use super::{score_json, score_moved};
use crate::Date;
use crate::model::{KeyResult, Kpi};

pub(super) fn fact(field: &'static str, old: Value, new: Value, goalpost: bool) -> Fact {
    Fact {
        field,
        old,
        new,
        goalpost,
    }
}

/// A KPI's changes: its name, its band, and its measurements (added in
/// one fact, each one changed or removed in one).
pub(super) fn kpi_facts(old: &Kpi, k: &Kpi) -> Vec<Fact> {
    let mut facts = Vec::new();
    if old.name != k.name {
        facts.push(fact("title", json!(old.name), json!(k.name), false));
    }
    if (old.healthy_min, old.healthy_max) != (k.healthy_min, k.healthy_max) {
        facts.push(fact(
            "healthy-band",
            json!({"min": old.healthy_min, "max": old.healthy_max}),
            json!({"min": k.healthy_min, "max": k.healthy_max}),
            true,
        ));
    }
    let before: BTreeMap<Date, f64> = old.measurements.iter().map(|m| (m.date, m.value)).collect();
    let after: BTreeMap<Date, f64> = k.measurements.iter().map(|m| (m.date, m.value)).collect();
    let added: Vec<(&Date, &f64)> = after
        .iter()
        .filter(|(d, _)| !before.contains_key(d))
        .collect();
    if let Some((date, value)) = added.last() {
        facts.push(fact(
            "measurements-added",
            Value::Null,
            json!({"count": added.len(), "latest": {"date": date.to_string(), "value": value}}),
            false,
        ));
    }
    for (date, value) in &before {
        let old = json!({"date": date.to_string(), "value": value});
        match after.get(date) {
            Some(new) if new != value => facts.push(fact(
                "measurement-changed",
                old,
                json!({"date": date.to_string(), "value": new}),
                true,
            )),
            None => facts.push(fact("measurement-removed", old, Value::Null, true)),
            _ => {}
        }
    }
    facts
}

/// What a check-in reported, as a fact shows it.
fn reported(c: &crate::model::Checkin) -> Value {
    json!({"date": c.date, "value": c.value, "done": c.done, "score": c.score})
}

/// Each check-in by its date and its place among the check-ins of that
/// date (`0` for the first), which stay the same while the file keeps them.
fn by_day(checkins: &[crate::model::Checkin]) -> BTreeMap<(Date, usize), &crate::model::Checkin> {
    let mut seen: BTreeMap<Date, usize> = BTreeMap::new();
    checkins
        .iter()
        .map(|c| {
            let n = seen.entry(c.date).or_default();
            *n += 1;
            ((c.date, *n - 1), c)
        })
        .collect()
}

/// Check-ins added, and (as facts: history rewritten) check-ins whose
/// value changed or that were removed. Two check-ins of one date are told
/// apart by their order.
pub(super) fn checkin_changes(
    old: &KeyResult,
    new: &KeyResult,
    facts: &mut Vec<Fact>,
) -> Vec<crate::model::Checkin> {
    let before = by_day(&old.checkins);
    let after = by_day(&new.checkins);
    let mut added = Vec::new();
    for (key, c) in &after {
        match before.get(key) {
            None => added.push((*c).clone()),
            Some(was) if (was.value, was.done, was.score) != (c.value, c.done, c.score) => {
                facts.push(fact("checkin-changed", reported(was), reported(c), true));
            }
            Some(was) if was.note != c.note => facts.push(fact(
                "checkin-note",
                json!({"date": c.date.to_string(), "note": was.note}),
                json!({"date": c.date.to_string(), "note": c.note}),
                false,
            )),
            Some(_) => {}
        }
    }
    for (key, was) in &before {
        if !after.contains_key(key) {
            facts.push(fact("checkin-removed", reported(was), Value::Null, true));
        }
    }
    added
}

/// What changed in a key result, each fact flagged when it moves the
/// goalposts.
pub(super) fn key_result_facts(old: &KeyResult, new: &KeyResult) -> Vec<Fact> {
    let mut facts = Vec::new();
    if old.title != new.title {
        facts.push(fact("title", json!(old.title), json!(new.title), false));
    }
    goalpost_facts(old, new, &mut facts);
    let same_text = [
        ("unit", json!(old.unit), json!(new.unit)),
        ("priority", json!(old.priority), json!(new.priority)),
        ("links", json!(old.links), json!(new.links)),
        ("owners", json!(old.owners), json!(new.owners)),
    ];
    for (field, a, b) in same_text {
        if a != b {
            facts.push(fact(field, a, b, false));
        }
    }
    if old.current != new.current {
        facts.push(fact(
            "current",
            json!(old.current),
            json!(new.current),
            false,
        ));
    }
    if old.hand_score != new.hand_score && new.kind.traits().keys.contains(&"score") {
        facts.push(fact(
            "score",
            json!(old.hand_score),
            json!(new.hand_score),
            false,
        ));
    }
    if old.done != new.done {
        facts.push(fact("done", json!(old.done), json!(new.done), false));
    }
    if old.confidence != new.confidence {
        facts.push(fact(
            "confidence",
            json!(old.confidence),
            json!(new.confidence),
            false,
        ));
    }
    if old.initiatives != new.initiatives {
        // Each as its title, with its status where it has one.
        let named = |kr: &KeyResult| -> Vec<String> {
            kr.initiatives
                .iter()
                .map(|i| match i.status {
                    Some(status) => format!("{} ({})", i.title, status.label()),
                    None => i.title.clone(),
                })
                .collect()
        };
        facts.push(fact(
            "initiatives",
            json!(named(old)),
            json!(named(new)),
            false,
        ));
    }
    if old.reported_status != new.reported_status {
        let label = |j: Option<crate::model::Judgement>| json!(j.map(|j| j.label()));
        let (a, b) = (label(old.reported_status), label(new.reported_status));
        facts.push(fact("reported-status", a, b, false));
    }
    moved_facts((old.score, old.status), (new.score, new.status), &mut facts);
    facts
}

/// Progress and status, when they moved.
pub(super) fn moved_facts(
    (old_score, old_status): (Option<f64>, crate::model::Status),
    (new_score, new_status): (Option<f64>, crate::model::Status),
    facts: &mut Vec<Fact>,
) {
    if score_moved(old_score, new_score) {
        let (a, b) = (score_json(old_score), score_json(new_score));
        facts.push(fact("progress", a, b, false));
    }
    if old_status != new_status {
        let (a, b) = (old_status.label(), new_status.label());
        facts.push(fact("status", json!(a), json!(b), false));
    }
}

/// What a key result is judged by: its kind, target, start, bounds, due
/// date, commitment and weight, and whether it counts at all.
fn goalpost_facts(old: &KeyResult, new: &KeyResult, facts: &mut Vec<Fact>) {
    if old.kind != new.kind {
        let (a, b) = (old.kind.as_str(), new.kind.as_str());
        facts.push(fact("kind", json!(a), json!(b), true));
    }
    for (field, a, b) in [
        ("target", old.target, new.target),
        ("start", old.start, new.start),
        ("min", old.min, new.min),
        ("max", old.max, new.max),
    ] {
        if a != b {
            facts.push(fact(field, json!(a), json!(b), true));
        }
    }
    if old.due != new.due {
        facts.push(fact("due", json!(old.due), json!(new.due), true));
    }
    // Its own commitment: a change of the objective's is the objective's.
    if old.doc().commitment != new.doc().commitment && old.commitment != new.commitment {
        let (a, b) = (old.commitment.as_str(), new.commitment.as_str());
        facts.push(fact("commitment", json!(a), json!(b), true));
    }
    if old.weight != new.weight {
        facts.push(fact("weight", json!(old.weight), json!(new.weight), true));
    }
    if old.dropped != new.dropped {
        // Dropping a key result changes what the objective is judged by.
        facts.push(fact(
            "dropped",
            json!(old.dropped),
            json!(new.dropped),
            true,
        ));
    }
}
