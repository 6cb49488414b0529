//! The changes between two revisions' models: each objective, key result
//! and KPI that changed, with the facts that changed in it.

use std::collections::{BTreeMap, HashSet};

use serde_json::{Value, json};

mod facts;

use super::matching::{Pair, pair};
use super::{
    Change, Fact, KeyResultDiff, KeyResultState, KpiDiff, ObjectiveDiff, Place, TeamDiff, team_name,
};
use crate::Checked;
use crate::model::{KeyResult, Kpi, Objective, ObjectiveIx, Site, Team};
use facts::{checkin_changes, fact, key_result_facts, kpi_facts, moved_facts};

/// Every objective and KPI that changed from `base` to `head`, in head
/// order with removed ones after.
pub(super) struct Collector<'a> {
    pub base: &'a Checked,
    pub head: &'a Checked,
    pub include_private: bool,
    pub place: &'a Place,
}

/// Whether a key result shows a value that came from a private KPI: a start
/// or current value it inherited from one.
fn draws_on_private_kpi(checked: &Checked, kr: &KeyResult) -> bool {
    kr.kpi.map(|i| &checked.site.kpis[i]).is_some_and(|kpi| {
        kpi.is_private()
            && (kr.doc().start.is_none() || kr.current_source == crate::model::ValueSource::Kpi)
    })
}

fn by_id(site: &Site) -> BTreeMap<&str, &Objective> {
    site.objectives.iter().map(|o| (o.id.as_str(), o)).collect()
}

impl Collector<'_> {
    /// Whether an objective's progress and status must not be shown: one of
    /// its key results draws on a private KPI.
    fn hides_progress(&self, checked: &Checked, o: &Objective) -> bool {
        !self.include_private
            && o.key_results
                .iter()
                .any(|k| draws_on_private_kpi(checked, k))
    }

    pub(super) fn objectives(&self) -> Vec<ObjectiveDiff> {
        let (base, head) = (by_id(&self.base.site), by_id(&self.head.site));
        let added: Vec<&Objective> = (self.head.site.objectives.iter())
            .filter(|o| !base.contains_key(o.id.as_str()))
            .collect();
        let removed: Vec<&Objective> = (self.base.site.objectives.iter())
            .filter(|o| !head.contains_key(o.id.as_str()))
            .collect();
        // A file renamed or moved is the same objective, compared as one.
        let renamed = super::matching::renamed(&removed, &added);
        let was: BTreeMap<&str, &Objective> = renamed
            .iter()
            .map(|&(o, n)| (added[n].id.as_str(), removed[o]))
            .collect();
        let mut out = Vec::new();
        for o in &self.head.site.objectives {
            let diff = match (base.get(o.id.as_str()), was.get(o.id.as_str())) {
                (Some(old), _) => self.changed(old, o),
                (None, Some(old)) => self.changed(old, o),
                (None, None) => Some(self.added(o)),
            };
            out.extend(diff);
        }
        let gone: HashSet<&str> = was.values().map(|o| o.id.as_str()).collect();
        for o in removed
            .into_iter()
            .filter(|o| !gone.contains(o.id.as_str()))
        {
            let mut diff = self.objective(o, Change::Removed);
            if self.place.head_drafts.contains(&o.id) {
                diff.facts
                    .push(fact("draft", json!(false), json!(true), false));
            }
            diff.impact = super::impact::of(self.base, self.head, o, self.include_private);
            out.push(diff);
        }
        out
    }

    fn objective(&self, o: &Objective, change: Change) -> ObjectiveDiff {
        let path = format!("{}{}", self.place.prefix, o.path);
        let commit = match change {
            Change::Removed => self.place.base_commit.as_deref(),
            _ => self.place.head_commit.as_deref(),
        };
        let url = self
            .place
            .repository
            .as_deref()
            .zip(commit)
            .map(|(repository, commit)| crate::load::git::file_url(repository, commit, &path));
        ObjectiveDiff {
            id: o.id.clone(),
            title: o.title.clone(),
            change,
            team: o.owner_id().to_string(),
            team_name: team_name(self.head, o.owner_id()),
            period: o.period_id().to_string(),
            path,
            url,
            facts: Vec::new(),
            key_results: Vec::new(),
            impact: Vec::new(),
        }
    }

    /// A new objective, with each of its key results and their targets.
    fn added(&self, o: &Objective) -> ObjectiveDiff {
        let mut diff = self.objective(o, Change::Added);
        if self.place.base_drafts.contains(&o.id) {
            diff.facts
                .push(fact("draft", json!(true), json!(false), false));
        }
        let hidden = self.hides_progress(self.head, o);
        diff.key_results = o
            .key_results
            .iter()
            .map(|kr| KeyResultDiff {
                id: kr.id.clone(),
                title: kr.title.clone(),
                change: Change::Added,
                matched: None,
                before: None,
                after: Some(self.state(self.head, kr, hidden)),
                facts: Vec::new(),
                checkins: Vec::new(),
            })
            .collect();
        diff.impact = super::impact::of(self.base, self.head, o, self.include_private);
        diff
    }

    /// What changed in an objective, or `None` when nothing did.
    fn changed(&self, old: &Objective, new: &Objective) -> Option<ObjectiveDiff> {
        let mut diff = self.objective(new, Change::Changed);
        diff.facts = self.objective_facts(old, new);
        let hidden = self.hides_progress(self.base, old) || self.hides_progress(self.head, new);
        for p in pair(&old.key_results, &new.key_results) {
            diff.key_results.extend(self.key_result(&p, hidden));
        }
        if diff.facts.is_empty() && diff.key_results.is_empty() {
            return None;
        }
        diff.impact = super::impact::of(self.base, self.head, new, self.include_private);
        Some(diff)
    }

    fn objective_facts(&self, old: &Objective, new: &Objective) -> Vec<Fact> {
        let text = |a: &str, b: &str| (a != b).then(|| (json!(a), json!(b)));
        let aligned = |checked: &Checked, id: &str| -> Value {
            match checked.site.index.objectives.get(id) {
                Some(&i) => json!({"id": id, "title": checked.site.objectives[i].title}),
                None => json!({"id": id}),
            }
        };
        let parent = |checked: &Checked, o: &Objective| -> Value {
            o.parent_id().map_or(Value::Null, |id| aligned(checked, id))
        };
        let others = |checked: &Checked, o: &Objective| -> Value {
            let ids = o.doc.also_parents().iter();
            Value::Array(ids.map(|p| aligned(checked, &p.value)).collect())
        };
        let other_ids = |o: &Objective| -> Vec<String> {
            o.doc
                .also_parents()
                .iter()
                .map(|p| p.value.clone())
                .collect()
        };
        let mut facts = Vec::new();
        for (field, pair) in [
            ("file", text(&old.path, &new.path)),
            ("title", text(&old.title, &new.title)),
            (
                "parent",
                (old.parent_id() != new.parent_id())
                    .then(|| (parent(self.base, old), parent(self.head, new))),
            ),
            (
                "other-parents",
                (other_ids(old) != other_ids(new))
                    .then(|| (others(self.base, old), others(self.head, new))),
            ),
            ("period", None),
            ("owner", text(old.owner_id(), new.owner_id())),
            (
                "commitment",
                text(old.commitment.as_str(), new.commitment.as_str()),
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
                "tags",
                (old.tags != new.tags).then(|| (json!(old.tags), json!(new.tags))),
            ),
            (
                "contributors",
                (contributor_ids(old) != contributor_ids(new))
                    .then(|| (json!(contributor_ids(old)), json!(contributor_ids(new)))),
            ),
        ] {
            if let Some((old, new)) = pair {
                facts.push(fact(field, old, new, false));
            }
        }
        if old.period_id() != new.period_id() {
            // A later deadline lowers the bar.
            let end =
                |checked: &Checked, o: &Objective| o.period.map(|p| checked.site.periods[p.0].end);
            let later = match (end(self.base, old), end(self.head, new)) {
                (Some(a), Some(b)) => b > a,
                _ => true,
            };
            facts.insert(
                facts
                    .iter()
                    .position(|f| !matches!(f.field, "file" | "title" | "parent" | "other-parents"))
                    .unwrap_or(facts.len()),
                fact(
                    "period",
                    json!(old.period_id()),
                    json!(new.period_id()),
                    later,
                ),
            );
        }
        if old.grade != new.grade {
            // A grade once given and then raised or taken back is a regrade:
            // the period is judged by a kinder number than it was.
            let regrade = match (old.grade, new.grade) {
                (Some(a), Some(b)) => b > a,
                (Some(_), None) => true,
                (None, _) => false,
            };
            let at = facts
                .iter()
                .position(|f| matches!(f.field, "priority" | "links" | "tags" | "contributors"))
                .unwrap_or(facts.len());
            let (a, b) = (score_json(old.grade), score_json(new.grade));
            facts.insert(at, fact("grade", a, b, regrade));
        }
        if old.draft != new.draft {
            facts.push(fact("draft", json!(old.draft), json!(new.draft), false));
        }
        if old.retrospective != new.retrospective {
            let text = |o: &Objective| json!(o.retrospective.as_deref().map(str::trim));
            facts.push(fact("retrospective", text(old), text(new), false));
        }
        let hidden = self.hides_progress(self.base, old) || self.hides_progress(self.head, new);
        if !hidden {
            moved_facts((old.score, old.status), (new.score, new.status), &mut facts);
        }
        facts
    }

    /// A key result as it stands; values drawn from a private KPI are left
    /// out of a report that is not private.
    fn state(&self, checked: &Checked, kr: &KeyResult, objective_hidden: bool) -> KeyResultState {
        let hidden = !self.include_private && draws_on_private_kpi(checked, kr);
        let value = super::report::reported_value(kr);
        KeyResultState {
            kind: kr.kind,
            value: value.filter(|_| !hidden),
            done: kr.done,
            start: kr.start.filter(|_| !(hidden && kr.doc().start.is_none())),
            target: kr.target,
            // A unit taken from a private KPI tells what it measures.
            unit: kr
                .unit
                .clone()
                .filter(|_| !(hidden && kr.doc().unit.is_none())),
            progress: kr.score.filter(|_| !hidden && !objective_hidden),
            status: if hidden { "hidden" } else { kr.status.label() },
            reported_status: kr.reported_status,
            confidence: kr.confidence,
        }
    }

    /// One key result across the revisions, or `None` when it did not
    /// change.
    fn key_result(&self, p: &Pair<'_>, objective_hidden: bool) -> Option<KeyResultDiff> {
        let (id, title, change) = match (p.old, p.new) {
            (_, Some(new)) if p.old.is_none() => (&new.id, &new.title, Change::Added),
            (Some(old), None) => (&old.id, &old.title, Change::Removed),
            (_, Some(new)) => (&new.id, &new.title, Change::Changed),
            (None, None) => return None,
        };
        let before = p.old.map(|kr| self.state(self.base, kr, objective_hidden));
        let after = p.new.map(|kr| self.state(self.head, kr, objective_hidden));
        let (mut facts, mut checkins) = (Vec::new(), Vec::new());
        if let (Some(old), None) = (p.old, p.new) {
            // Deleting a key result changes what the objective is judged
            // by, as dropping one does.
            facts.push(fact(
                "key-result-removed",
                json!(old.title),
                Value::Null,
                true,
            ));
        }
        if let (Some(old), Some(new)) = (p.old, p.new) {
            facts = key_result_facts(old, new);
            let hides = !self.include_private
                && (draws_on_private_kpi(self.base, old) || draws_on_private_kpi(self.head, new));
            if hides || objective_hidden {
                // Inherited values, and the progress and status made from
                // them, would tell what the private KPI measured.
                let inherited = |field: &str| match field {
                    "start" => hides && (old.doc().start.is_none() || new.doc().start.is_none()),
                    "unit" => hides && (old.doc().unit.is_none() || new.doc().unit.is_none()),
                    "current" | "checkin-changed" | "checkin-removed" => hides,
                    "progress" | "status" => true,
                    _ => false,
                };
                facts.retain(|f| !inherited(f.field));
            }
            checkins = checkin_changes(old, new, &mut facts);
            if facts.is_empty() && checkins.is_empty() {
                return None;
            }
        }
        Some(KeyResultDiff {
            id: id.clone(),
            title: title.clone(),
            change,
            matched: p.matched,
            before,
            after,
            facts,
            checkins,
        })
    }

    /// Changes to `okra.toml` that move the bar: a declared period that
    /// ends later or starts earlier, lower grading thresholds.
    pub(super) fn settings(&self) -> Vec<(String, Fact)> {
        let (base, head) = (&self.base.site, &self.head.site);
        let mut out = Vec::new();
        for new in &head.periods {
            let Some(&p) = base.index.periods.get(&new.id) else {
                continue;
            };
            let old = &base.periods[p.0];
            let what = format!("period {}", new.id);
            if old.start != new.start {
                let earlier = new.start < old.start;
                out.push((
                    what.clone(),
                    fact("period-start", json!(old.start), json!(new.start), earlier),
                ));
            }
            if old.end != new.end {
                let later = new.end > old.end;
                out.push((
                    what,
                    fact(
                        "period-end",
                        json!(old.known_end()),
                        json!(new.known_end()),
                        later,
                    ),
                ));
            }
        }
        let thresholds = [
            (
                ["grading-committed-achieved", "grading-committed-partial"],
                &base.grading.committed,
                &head.grading.committed,
            ),
            (
                [
                    "grading-aspirational-achieved",
                    "grading-aspirational-partial",
                ],
                &base.grading.aspirational,
                &head.grading.aspirational,
            ),
        ];
        for ([achieved, partial], old, new) in thresholds {
            for (field, old, new) in [
                (achieved, old.achieved, new.achieved),
                (partial, old.partial, new.partial),
            ] {
                if old != new {
                    out.push((
                        "[grading]".to_string(),
                        fact(field, json!(old), json!(new), new < old),
                    ));
                }
            }
        }
        out
    }

    /// Teams added, removed, renamed, re-kinded or moved to another parent,
    /// in head order with removed ones after.
    pub(super) fn teams(&self) -> Vec<TeamDiff> {
        let (base, head) = (&self.base.site, &self.head.site);
        let parent = |site: &Site, t: &Team| -> Value {
            t.parent.map_or(
                Value::Null,
                |p| json!({"id": site.teams[p.0].id, "name": site.teams[p.0].name}),
            )
        };
        let diff = |t: &Team, change, facts| TeamDiff {
            id: t.id.clone(),
            name: t.name.clone(),
            change,
            facts,
        };
        let mut out = Vec::new();
        for t in &head.teams {
            let Some(&was) = base.index.teams.get(&t.id) else {
                out.push(diff(t, Change::Added, Vec::new()));
                continue;
            };
            let old = &base.teams[was.0];
            let mut facts = Vec::new();
            if old.name != t.name {
                facts.push(fact("name", json!(old.name), json!(t.name), false));
            }
            let (a, b) = (parent(base, old), parent(head, t));
            if a.get("id") != b.get("id") {
                facts.push(fact("parent", a, b, false));
            }
            if old.kind != t.kind {
                let (a, b) = (old.kind.as_str(), t.kind.as_str());
                facts.push(fact("kind", json!(a), json!(b), false));
            }
            if !facts.is_empty() {
                out.push(diff(t, Change::Changed, facts));
            }
        }
        for t in &base.teams {
            if !head.index.teams.contains_key(&t.id) {
                out.push(diff(t, Change::Removed, Vec::new()));
            }
        }
        out
    }

    pub(super) fn kpis(&self) -> Vec<KpiDiff> {
        let visible = |k: &&Kpi| self.include_private || !k.is_private();
        let listed = |site: &'_ Site| -> Vec<(String, usize)> {
            site.kpis
                .iter()
                .enumerate()
                .filter(|(_, k)| visible(k))
                .map(|(i, k)| (k.id.clone(), i))
                .collect()
        };
        let base: BTreeMap<String, usize> = listed(&self.base.site).into_iter().collect();
        let head: BTreeMap<String, usize> = listed(&self.head.site).into_iter().collect();
        let mut out = Vec::new();
        for (id, &i) in &head {
            let k = &self.head.site.kpis[i];
            let facts = match base.get(id) {
                None => {
                    out.push(self.kpi(k, Change::Added, Vec::new()));
                    continue;
                }
                Some(&o) => kpi_facts(&self.base.site.kpis[o], k),
            };
            if !facts.is_empty() {
                out.push(self.kpi(k, Change::Changed, facts));
            }
        }
        for (id, &i) in &base {
            if !head.contains_key(id) {
                out.push(self.kpi(&self.base.site.kpis[i], Change::Removed, Vec::new()));
            }
        }
        out
    }

    fn kpi(&self, k: &Kpi, change: Change, facts: Vec<Fact>) -> KpiDiff {
        KpiDiff {
            id: k.id.clone(),
            name: k.name.clone(),
            change,
            team: k.owner_id().to_string(),
            team_name: team_name(self.head, k.owner_id()),
            facts,
        }
    }
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
pub(super) fn score_moved(old: Option<f64>, new: Option<f64>) -> bool {
    match (old, new) {
        (Some(a), Some(b)) => (a - b).abs() >= 0.005,
        (a, b) => a.is_some() != b.is_some(),
    }
}

/// A score rounded to a tenth of a point, `null` for no data.
pub(super) fn score_json(score: Option<f64>) -> Value {
    score.map_or(Value::Null, |s| json!((s * 1000.0).round() / 1000.0))
}

/// The ancestors of an objective through every parent it and they name,
/// nearest first, each once.
pub(super) fn ancestors(site: &Site, o: &Objective) -> Vec<ObjectiveIx> {
    let mut out: Vec<ObjectiveIx> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut add = |out: &mut Vec<ObjectiveIx>, above: &Objective| {
        for p in above.parents() {
            if site.objectives[p].id != o.id && seen.insert(p) {
                out.push(p);
            }
        }
    };
    add(&mut out, o);
    let mut next = 0;
    while next < out.len() {
        let above = out[next];
        add(&mut out, &site.objectives[above]);
        next += 1;
    }
    out
}
