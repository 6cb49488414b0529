//! The changes between two revisions' models, one row each.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{Change, team_name};
use crate::model::{KeyResult, Kpi, Objective};
use crate::{Checked, Date};

/// Every change from `base` to `head`, unsorted.
pub(super) fn changes(base: &Checked, head: &Checked, include_private: bool) -> Vec<Change> {
    let mut collector = Collector {
        base,
        head,
        changes: Vec::new(),
        include_private,
    };
    collector.objectives();
    collector.kpis(include_private);
    collector.changes
}

struct Collector<'a> {
    base: &'a Checked,
    head: &'a Checked,
    changes: Vec<Change>,
    include_private: bool,
}

/// Whether a key result shows a value that came from a private KPI: a start
/// or current value it inherited from one.
fn draws_on_private_kpi(checked: &Checked, kr: &KeyResult) -> bool {
    kr.kpi.map(|i| &checked.site.kpis[i]).is_some_and(|kpi| {
        kpi.is_private()
            && (kr.doc.start.is_none() || kr.current_source == crate::model::ValueSource::Kpi)
    })
}

impl Collector<'_> {
    /// Whether values of this key result, in either revision, must not be
    /// shown: they come from a private KPI and the report is not private.
    fn hides_values(&self, old: &KeyResult, new: &KeyResult) -> bool {
        !self.include_private
            && (draws_on_private_kpi(self.base, old) || draws_on_private_kpi(self.head, new))
    }

    /// Whether an objective's progress and status must not be shown: one of
    /// its key results draws on a private KPI.
    fn hides_progress(&self, old: &Objective, new: &Objective) -> bool {
        !self.include_private
            && (old
                .key_results
                .iter()
                .any(|k| draws_on_private_kpi(self.base, k))
                || new
                    .key_results
                    .iter()
                    .any(|k| draws_on_private_kpi(self.head, k)))
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: &'static str,
        change: &'static str,
        objective: Option<&Objective>,
        id: &str,
        title: &str,
        old: Option<Value>,
        new: Option<Value>,
        goalpost: bool,
    ) {
        let (team, period) = objective.map_or((String::new(), String::new()), |o| {
            (o.owner_id().to_string(), o.period_id().to_string())
        });
        self.changes.push(Change {
            kind,
            change,
            team_name: team_name(self.head, &team),
            team,
            period,
            objective: (kind == "key-result")
                .then(|| objective.map(|o| o.id.clone()))
                .flatten(),
            id: id.to_string(),
            title: title.to_string(),
            old,
            new,
            goalpost,
        });
    }

    fn objectives(&mut self) {
        let base: BTreeMap<&str, &Objective> = self
            .base
            .site
            .objectives
            .iter()
            .map(|o| (o.id.as_str(), o))
            .collect();
        let head: BTreeMap<&str, &Objective> = self
            .head
            .site
            .objectives
            .iter()
            .map(|o| (o.id.as_str(), o))
            .collect();
        for (id, o) in &head {
            match base.get(id) {
                None => self.push(
                    "objective",
                    "added",
                    Some(o),
                    id,
                    &o.title,
                    None,
                    Some(json!(o.key_results.len())),
                    false,
                ),
                Some(old) => self.objective_changes(old, o),
            }
        }
        for (id, o) in &base {
            if !head.contains_key(id) {
                self.push(
                    "objective",
                    "removed",
                    Some(o),
                    id,
                    &o.title,
                    None,
                    None,
                    false,
                );
            }
        }
    }

    fn objective_changes(&mut self, old: &Objective, new: &Objective) {
        let text = |a: &str, b: &str| (a != b).then(|| (json!(a), json!(b)));
        for (change, pair) in [
            ("title", text(&old.title, &new.title)),
            (
                "parent",
                (old.parent_id() != new.parent_id())
                    .then(|| (json!(old.parent_id()), json!(new.parent_id()))),
            ),
            ("period", text(old.period_id(), new.period_id())),
            ("owner", text(old.owner_id(), new.owner_id())),
            (
                "commitment",
                text(old.commitment.as_str(), new.commitment.as_str()),
            ),
            (
                "grade",
                (old.grade != new.grade).then(|| (score_json(old.grade), score_json(new.grade))),
            ),
            (
                "priority",
                (old.priority != new.priority).then(|| (json!(old.priority), json!(new.priority))),
            ),
            (
                "links",
                (old.links != new.links).then(|| (json!(old.links), json!(new.links))),
            ),
            (
                "contributors",
                (contributor_ids(old) != contributor_ids(new))
                    .then(|| (json!(contributor_ids(old)), json!(contributor_ids(new)))),
            ),
        ] {
            if let Some((a, b)) = pair {
                self.push(
                    "objective",
                    change,
                    Some(new),
                    &new.id,
                    &new.title,
                    Some(a),
                    Some(b),
                    false,
                );
            }
        }
        let hidden = self.hides_progress(old, new);
        if score_moved(old.score, new.score) && !hidden {
            self.push(
                "objective",
                "progress",
                Some(new),
                &new.id,
                &new.title,
                Some(score_json(old.score)),
                Some(score_json(new.score)),
                false,
            );
        }
        if old.status != new.status && !hidden {
            self.push(
                "objective",
                "status",
                Some(new),
                &new.id,
                &new.title,
                Some(json!(old.status.label())),
                Some(json!(new.status.label())),
                false,
            );
        }
        self.key_results(old, new);
    }

    /// Key results added, removed or changed, matched by id.
    fn key_results(&mut self, old: &Objective, new: &Objective) {
        let base: BTreeMap<&str, &KeyResult> =
            old.key_results.iter().map(|k| (k.id.as_str(), k)).collect();
        for kr in &new.key_results {
            match base.get(kr.id.as_str()) {
                None => self.push(
                    "key-result",
                    "added",
                    Some(new),
                    &kr.id,
                    &kr.title,
                    None,
                    None,
                    false,
                ),
                Some(before) => self.key_result_changes(new, before, kr),
            }
        }
        for kr in &old.key_results {
            if !new.key_results.iter().any(|k| k.id == kr.id) {
                self.push(
                    "key-result",
                    "removed",
                    Some(new),
                    &kr.id,
                    &kr.title,
                    None,
                    None,
                    false,
                );
            }
        }
    }

    fn key_result_changes(&mut self, objective: &Objective, old: &KeyResult, new: &KeyResult) {
        let mut facts = key_result_facts(old, new);
        if self.hides_values(old, new) {
            // Inherited values, and the progress and status made from them,
            // would tell what the private KPI measured.
            let inherited = |field: &str| match field {
                "start" => old.doc.start.is_none() || new.doc.start.is_none(),
                "current" | "progress" | "status" => true,
                _ => false,
            };
            facts.retain(|(field, ..)| !inherited(field));
        }
        for (change, a, b, goalpost) in facts {
            self.push(
                "key-result",
                change,
                Some(objective),
                &new.id,
                &new.title,
                Some(a),
                Some(b),
                goalpost,
            );
        }
    }

    fn kpis(&mut self, include_private: bool) {
        let visible = |k: &&Kpi| include_private || !k.is_private();
        let base: BTreeMap<&str, &Kpi> = self
            .base
            .site
            .kpis
            .iter()
            .filter(visible)
            .map(|k| (k.id.as_str(), k))
            .collect();
        let head: BTreeMap<&str, &Kpi> = self
            .head
            .site
            .kpis
            .iter()
            .filter(visible)
            .map(|k| (k.id.as_str(), k))
            .collect();
        for (id, k) in &head {
            match base.get(id) {
                None => self.push_kpi(k, "added", None, Some(json!(k.measurements.len())), false),
                Some(old) => self.kpi_changes(old, k),
            }
        }
        for (id, k) in &base {
            if !head.contains_key(id) {
                self.push_kpi(k, "removed", None, None, false);
            }
        }
    }

    fn kpi_changes(&mut self, old: &Kpi, k: &Kpi) {
        if old.name != k.name {
            self.push_kpi(
                k,
                "title",
                Some(json!(old.name)),
                Some(json!(k.name)),
                false,
            );
        }
        if (old.healthy_min, old.healthy_max) != (k.healthy_min, k.healthy_max) {
            self.push_kpi(
                k,
                "healthy-band",
                Some(json!({"min": old.healthy_min, "max": old.healthy_max})),
                Some(json!({"min": k.healthy_min, "max": k.healthy_max})),
                true,
            );
        }
        self.measurement_changes(old, k);
    }

    /// Measurements added (one row for all), and each one changed or removed.
    fn measurement_changes(&mut self, old: &Kpi, k: &Kpi) {
        let before: BTreeMap<Date, f64> =
            old.measurements.iter().map(|m| (m.date, m.value)).collect();
        let after: BTreeMap<Date, f64> = k.measurements.iter().map(|m| (m.date, m.value)).collect();
        let added: Vec<(&Date, &f64)> = after
            .iter()
            .filter(|(d, _)| !before.contains_key(d))
            .collect();
        if let Some((date, value)) = added.last() {
            self.push_kpi(
                k,
                "measurements-added",
                None,
                Some(json!({"count": added.len(), "latest": {"date": date.to_string(), "value": value}})),
                false,
            );
        }
        for (date, value) in &before {
            match after.get(date) {
                Some(new) if new != value => self.push_kpi(
                    k,
                    "measurement-changed",
                    Some(json!({"date": date.to_string(), "value": value})),
                    Some(json!({"date": date.to_string(), "value": new})),
                    true,
                ),
                None => self.push_kpi(
                    k,
                    "measurement-removed",
                    Some(json!({"date": date.to_string(), "value": value})),
                    None,
                    true,
                ),
                _ => {}
            }
        }
    }

    fn push_kpi(
        &mut self,
        kpi: &Kpi,
        change: &'static str,
        old: Option<Value>,
        new: Option<Value>,
        goalpost: bool,
    ) {
        self.changes.push(Change {
            kind: "kpi",
            change,
            team: kpi.owner_id().to_string(),
            team_name: team_name(self.head, kpi.owner_id()),
            period: String::new(),
            objective: None,
            id: kpi.id.clone(),
            title: kpi.name.clone(),
            old,
            new,
            goalpost,
        });
    }
}

/// A score to three decimals, so that float noise is not a change.
/// What changed in a key result: (change, old, new, whether it moves the
/// goalposts).
fn key_result_facts(old: &KeyResult, new: &KeyResult) -> Vec<(&'static str, Value, Value, bool)> {
    let number = |v: Option<f64>| v.map_or(Value::Null, |n| json!(n));
    let date = |v: Option<Date>| v.map_or(Value::Null, |d| json!(d.to_string()));
    let mut facts: Vec<(&'static str, Value, Value, bool)> = Vec::new();
    if old.title != new.title {
        facts.push(("title", json!(old.title), json!(new.title), false));
    }
    if old.kind != new.kind {
        facts.push((
            "kind",
            json!(old.kind.as_str()),
            json!(new.kind.as_str()),
            true,
        ));
    }
    for (field, a, b) in [
        ("target", old.target, new.target),
        ("start", old.start, new.start),
        ("min", old.min, new.min),
        ("max", old.max, new.max),
    ] {
        if a != b {
            facts.push((field, number(a), number(b), true));
        }
    }
    if old.due != new.due {
        facts.push(("due", date(old.due), date(new.due), true));
    }
    if old.weight != new.weight {
        facts.push(("weight", json!(old.weight), json!(new.weight), true));
    }
    if old.dropped != new.dropped {
        // Dropping a key result changes what the objective is judged by.
        facts.push(("dropped", json!(old.dropped), json!(new.dropped), true));
    }
    if old.priority != new.priority {
        facts.push(("priority", json!(old.priority), json!(new.priority), false));
    }
    if old.links != new.links {
        facts.push(("links", json!(old.links), json!(new.links), false));
    }
    if old.current != new.current {
        facts.push(("current", number(old.current), number(new.current), false));
    }
    if old.done != new.done {
        facts.push(("done", json!(old.done), json!(new.done), false));
    }
    if score_moved(old.score, new.score) {
        facts.push((
            "progress",
            score_json(old.score),
            score_json(new.score),
            false,
        ));
    }
    if old.status != new.status {
        facts.push((
            "status",
            json!(old.status.label()),
            json!(new.status.label()),
            false,
        ));
    }
    facts
}

/// An objective's contributors as written.
fn contributor_ids(objective: &Objective) -> Vec<&str> {
    objective
        .doc
        .contributors
        .iter()
        .map(|c| c.value.as_str())
        .collect()
}

/// Whether a score moved by half a point or more, or gained or lost its
/// data.
fn score_moved(old: Option<f64>, new: Option<f64>) -> bool {
    match (old, new) {
        (Some(a), Some(b)) => (a - b).abs() >= 0.005,
        (a, b) => a.is_some() != b.is_some(),
    }
}

/// A score rounded to a tenth of a point, `null` for no data.
fn score_json(score: Option<f64>) -> Value {
    score.map_or(Value::Null, |s| json!((s * 1000.0).round() / 1000.0))
}
