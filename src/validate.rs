//! Stage 3, validate: the rules that span documents.
//!
//! References must resolve, parents must not form cycles, a child objective's
//! period must lie within its parent's, objectives must not expose private
//! KPIs and `.md` links must point at documents. The lints of DESIGN.md
//! ("Validation", warnings) are here too; `[lint]` filtering happens when the
//! diagnostics are reported.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::load::links::{LinkTarget, link_target};
use crate::load::{DocKind, KrKind, Loaded, Sp};
use crate::model::Site;
use crate::period::Phase;
use crate::source::Span;

/// Runs every cross-document check and lint.
pub fn validate(site: &Site, loaded: &Loaded, diagnostics: &mut Vec<Diagnostic>) {
    let mut check = Checker {
        site,
        loaded,
        diagnostics,
    };
    check.team_references();
    let team_cycles = check.team_cycles();
    check.kpi_references();
    check.objective_references();
    let objective_cycles = check.objective_cycles();
    check.cascade(&team_cycles, &objective_cycles);
    check.links();
    check.lints(&team_cycles);
}

struct Checker<'a> {
    site: &'a Site,
    loaded: &'a Loaded,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    fn is_broken(&self, kind: DocKind, id: &str) -> bool {
        self.loaded.broken.contains(&(kind, id.to_string()))
    }

    fn unknown_team(&mut self, reference: &Sp<String>, what: &str) {
        if self.site.index.teams.contains_key(&reference.value)
            || self.is_broken(DocKind::Team, &reference.value)
        {
            return;
        }
        let hint = suggestion(
            &reference.value,
            self.site.teams.iter().map(|t| t.id.as_str()),
        )
        .unwrap_or_else(|| {
            "teams are the files in `teams/`; a team's id is its `id` or file name".to_string()
        });
        self.diagnostics.push(
            Diagnostic::new(
                Code::UnknownTeam,
                format!("{what} names unknown team `{}`", reference.value),
            )
            .at(reference.span)
            .label("no such team")
            .hint(hint),
        );
    }

    fn team_references(&mut self) {
        for team in &self.site.teams {
            if let Some(parent) = &team.doc.parent {
                self.unknown_team(parent, &format!("team `{}`", team.id));
            }
        }
    }

    fn kpi_references(&mut self) {
        for kpi in &self.site.kpis {
            if let Some(owner) = &kpi.doc.owner {
                self.unknown_team(owner, &format!("KPI `{}`", kpi.id));
            }
        }
    }

    fn objective_references(&mut self) {
        let site = self.site;
        for objective in &site.objectives {
            let doc = &objective.doc;
            if let Some(owner) = &doc.owner {
                self.unknown_team(owner, &format!("objective `{}`", objective.id));
            }
            if let (Some(period), None) = (&doc.period, objective.period_index) {
                let declared: Vec<&str> = site.periods.iter().map(|p| p.id.as_str()).collect();
                let upper = period.value.to_uppercase();
                let hint = if crate::period::Period::native(&upper).is_some()
                    && upper != period.value
                {
                    format!("did you mean `{upper}`?")
                } else {
                    suggestion(&period.value, declared.iter().copied()).unwrap_or_else(|| {
                        "periods are `2026`, `2026-H2`, `2026-Q3`, `2026-07`, or declared in okra.toml under `[periods.ID]`"
                            .to_string()
                    })
                };
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::UnknownPeriod,
                        format!("unknown period `{}`", period.value),
                    )
                    .at(period.span)
                    .label("not a period")
                    .hint(hint),
                );
            }
            if let (Some(parent), None) = (&doc.parent, objective.parent_index) {
                if !self.is_broken(DocKind::Objective, &parent.value) {
                    let others = site.objectives.iter().filter(|o| o.id != objective.id);
                    let hint = suggestion(&parent.value, others.map(|o| o.id.as_str()));
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::UnknownParent,
                            format!(
                                "objective `{}` aligns to unknown objective `{}`",
                                objective.id, parent.value
                            ),
                        )
                        .at(parent.span)
                        .maybe_hint(hint),
                    );
                }
            }
            for kr in &objective.key_results {
                let Some(kpi_ref) = &kr.doc.kpi else { continue };
                match kr.kpi_index {
                    None if !self.is_broken(DocKind::Kpi, &kpi_ref.value) => {
                        // A hint never names a private KPI the author did
                        // not write: check output may be read by anyone.
                        let hint = suggestion(
                            &kpi_ref.value,
                            site.kpis
                                .iter()
                                .filter(|k| !k.is_private())
                                .map(|k| k.id.as_str()),
                        );
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::UnknownKpi,
                                format!(
                                    "key result `{}` names unknown KPI `{}`",
                                    kr.id, kpi_ref.value
                                ),
                            )
                            .at(kpi_ref.span)
                            .label("no such KPI")
                            .maybe_hint(hint),
                        );
                    }
                    Some(k) if site.kpis[k].is_private() => {
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::PrivateKpiExposed,
                                format!(
                                    "objective `{}` is visible to everyone, but its key result `{}` uses private KPI `{}`",
                                    objective.id, kr.id, kpi_ref.value
                                ),
                            )
                            .at(kpi_ref.span)
                            .hint("remove `kpi` and state the values in the key result, or make the KPI public"),
                        );
                    }
                    _ => {}
                }
            }
        }
    }

    /// Reports team cycles; returns the teams in one.
    fn team_cycles(&mut self) -> HashSet<usize> {
        let site = self.site;
        let parents: Vec<Option<usize>> = site
            .teams
            .iter()
            .map(|t| {
                t.parent
                    .as_ref()
                    .and_then(|p| site.index.teams.get(p).copied())
            })
            .collect();
        let mut members = HashSet::new();
        for cycle in find_cycles(&parents) {
            let ids: Vec<&str> = cycle.iter().map(|&i| site.teams[i].id.as_str()).collect();
            let spans: Vec<Span> = cycle
                .iter()
                .filter_map(|&i| site.teams[i].doc.parent.as_ref().map(|p| p.span))
                .collect();
            self.diagnostics
                .push(cycle_diagnostic(Code::TeamCycle, "team", &ids, &spans));
            members.extend(cycle);
        }
        members
    }

    fn objective_cycles(&mut self) -> HashSet<usize> {
        let site = self.site;
        let parents: Vec<Option<usize>> = site.objectives.iter().map(|o| o.parent_index).collect();
        let mut members = HashSet::new();
        for cycle in find_cycles(&parents) {
            let ids: Vec<&str> = cycle
                .iter()
                .map(|&i| site.objectives[i].id.as_str())
                .collect();
            let spans: Vec<Span> = cycle
                .iter()
                .filter_map(|&i| site.objectives[i].doc.parent.as_ref().map(|p| p.span))
                .collect();
            self.diagnostics.push(cycle_diagnostic(
                Code::ObjectiveCycle,
                "objective",
                &ids,
                &spans,
            ));
            members.extend(cycle);
        }
        members
    }

    /// Period containment and the owner's chain of teams.
    fn cascade(&mut self, team_cycles: &HashSet<usize>, objective_cycles: &HashSet<usize>) {
        let site = self.site;
        for (i, objective) in site.objectives.iter().enumerate() {
            let (Some(p), Some(parent_span)) =
                (objective.parent_index, objective.doc.parent.as_ref())
            else {
                continue;
            };
            if objective_cycles.contains(&i) {
                continue;
            }
            let parent = &site.objectives[p];
            if let (Some(own), Some(theirs)) = (objective.period_index, parent.period_index) {
                let (own, theirs) = (&site.periods[own], &site.periods[theirs]);
                if !theirs.contains(own) {
                    let mut diagnostic = Diagnostic::new(
                        Code::PeriodNotWithinParent,
                        format!(
                            "objective `{}` ({}) aligns to `{}` ({}), but {} is not within {}",
                            objective.id, own.id, parent.id, theirs.id, own.id, theirs.id
                        ),
                    )
                    .at(objective
                        .doc
                        .period
                        .as_ref()
                        .map_or(parent_span.span, |s| s.span))
                    .note(format!(
                        "{} runs {} to {}; {} runs {} to {}",
                        own.id, own.start, own.end, theirs.id, theirs.start, theirs.end
                    ));
                    if let Some(their_span) = parent.doc.period.as_ref() {
                        diagnostic = diagnostic.related(their_span.span, "parent's period");
                    }
                    self.diagnostics.push(
                        diagnostic.hint("align to an objective of the same or an enclosing period"),
                    );
                }
            }
            if let (Some(owner), Some(parent_owner)) = (objective.owner_index, parent.owner_index) {
                if team_cycles.contains(&owner) {
                    continue;
                }
                let chain = team_chain(site, owner);
                if !chain.contains(&parent_owner) {
                    let names: Vec<&str> =
                        chain.iter().map(|&t| site.teams[t].id.as_str()).collect();
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::AlignmentOutsideChain,
                            format!(
                                "objective `{}` of `{}` aligns to `{}` of `{}`, which is not `{}` or a team above it",
                                objective.id, objective.owner, parent.id, parent.owner, objective.owner
                            ),
                        )
                        .at(parent_span.span)
                        .note(format!("the chain of `{}` is {}", objective.owner, names.join(" → ")))
                        .hint("align to an objective of the team itself or of a team above it"),
                    );
                }
            }
        }
    }

    /// Markdown links to `.md` files must point at documents, and links
    /// into `static/` at its files.
    fn links(&mut self) {
        let site = self.site;
        let documents: BTreeMap<&str, (DocKind, &str)> = self
            .loaded
            .documents
            .iter()
            .map(|(path, kind, id)| (path.as_str(), (*kind, id.as_str())))
            .collect();
        let private_paths: std::collections::HashSet<&str> = site
            .kpis
            .iter()
            .filter(|k| k.is_private())
            .map(|k| k.path.as_str())
            .collect();
        let heads = site
            .teams
            .iter()
            .map(|t| (&t.doc.head, &t.path, false))
            .chain(
                site.objectives
                    .iter()
                    .map(|o| (&o.doc.head, &o.path, false)),
            )
            .chain(
                site.kpis
                    .iter()
                    .map(|k| (&k.doc.head, &k.path, k.is_private())),
            )
            .chain(site.pages.iter().map(|p| (&p.doc.head, &p.path, false)));
        // One suggestion per missing target, however often it is linked.
        let mut suggestions: HashMap<String, String> = HashMap::new();
        for (head, path, private) in heads {
            for link in &head.links {
                let target = match link_target(path, &link.value) {
                    Some(LinkTarget::Document(target)) => target,
                    Some(LinkTarget::Static(file)) => {
                        if !self.loaded.static_files.contains(&file) {
                            self.diagnostics.push(
                                Diagnostic::new(
                                    Code::BrokenLink,
                                    format!(
                                        "link to `{}`, which is not a file in `static/`",
                                        link.value
                                    ),
                                )
                                .at(link.span)
                                .label(format!("resolves to `static/{file}`"))
                                .hint("put the file in the site's `static/` folder; links are relative to the file they are written in"),
                            );
                        }
                        continue;
                    }
                    None => continue,
                };
                match documents.get(target.as_str()) {
                    None => {
                        let hint = suggestions
                            .entry(target.clone())
                            .or_insert_with(|| {
                                suggestion(
                                    &target,
                                    documents
                                        .keys()
                                        .copied()
                                        .filter(|p| !private_paths.contains(p)),
                                )
                                .unwrap_or_else(|| {
                                    "links are relative to the file they are written in".to_string()
                                })
                            })
                            .clone();
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::BrokenLink,
                                format!(
                                    "link to `{}`, which is not a document of the site",
                                    link.value
                                ),
                            )
                            .at(link.span)
                            .label(format!("resolves to `{target}`"))
                            .hint(hint),
                        );
                    }
                    Some((DocKind::Kpi, id)) if !private => {
                        let exposed = site
                            .index
                            .kpis
                            .get(*id)
                            .is_some_and(|&k| site.kpis[k].is_private());
                        if exposed {
                            self.diagnostics.push(
                                Diagnostic::new(
                                    Code::PrivateKpiExposed,
                                    format!("a public document links to private KPI `{id}`"),
                                )
                                .at(link.span)
                                .hint("the KPI's page is not published; remove the link"),
                            );
                        }
                    }
                    Some(_) => {}
                }
            }
        }
    }

    fn lints(&mut self, team_cycles: &HashSet<usize>) {
        let site = self.site;
        let lint = &self.loaded.config.lint;
        let as_of = site.as_of;

        let mut per_team_period: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
        for (i, objective) in site.objectives.iter().enumerate() {
            if !objective.draft
                && objective.owner_index.is_some()
                && objective.period_index.is_some()
            {
                per_team_period
                    .entry((objective.owner.as_str(), objective.period.as_str()))
                    .or_default()
                    .push(i);
            }
        }
        for ((team, period), mut members) in per_team_period {
            if members.len() <= lint.objectives_per_team {
                continue;
            }
            members.sort_by(|&a, &b| site.objectives[a].path.cmp(&site.objectives[b].path));
            let extra = &site.objectives[members[lint.objectives_per_team]];
            let ids: Vec<&str> = members
                .iter()
                .map(|&i| site.objectives[i].id.as_str())
                .collect();
            self.diagnostics.push(
                Diagnostic::new(
                    Code::TooManyObjectives,
                    format!(
                        "team `{team}` has {} objectives in {period}; the limit is {}",
                        members.len(),
                        lint.objectives_per_team
                    ),
                )
                .at(extra.doc.owner.as_ref().map_or(extra.doc.head.fence, |o| o.span))
                .note(format!("its objectives: {}", ids.join(", ")))
                .hint("when everything is a priority, nothing is: keep the one to three that matter most"),
            );
        }

        for objective in &site.objectives {
            let head = &objective.doc.head;
            let count = objective.key_results.len();
            let (min, max) = lint.key_results;
            if count < min || count > max {
                let at = objective
                    .key_results
                    .get(max)
                    .map_or(head.fence, |kr| kr.doc.span);
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::KeyResultCount,
                        format!(
                            "objective `{}` has {count} key result{}; expected {min} to {max}",
                            objective.id,
                            if count == 1 { "" } else { "s" }
                        ),
                    )
                    .at(at)
                    .hint(if count < min {
                        "add `[[key_results]]`: how will you know the objective is met?"
                    } else {
                        "keep the key results that best show the objective is met"
                    }),
                );
            }
            if count > 0
                && objective
                    .key_results
                    .iter()
                    .all(|kr| kr.kind == KrKind::Milestone)
            {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::AllMilestones,
                        format!(
                            "every key result of `{}` is a milestone: tasks, not outcomes",
                            objective.id
                        ),
                    )
                    .at(head.fence)
                    .hint("add a metric key result for the number these milestones should move"),
                );
            }
            if objective.parent.is_none() {
                if let Some(owner) = objective.owner_index {
                    let team = &site.teams[owner];
                    if team.parent_index.is_some() && !team_cycles.contains(&owner) {
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::UnalignedObjective,
                                format!(
                                    "objective `{}` of `{}` aligns to nothing",
                                    objective.id, objective.owner
                                ),
                            )
                            .at(objective.doc.owner.as_ref().map_or(head.fence, |o| o.span))
                            .hint("add `parent = \"objective-id\"`: the objective above that this one serves"),
                        );
                    }
                }
            }
            for kr in &objective.key_results {
                // An unresolved KPI or a `current` of the wrong type is
                // already an error; do not warn about its consequence.
                let reported_elsewhere = kr.doc.kpi.is_some() && kr.kpi_index.is_none()
                    || kr.doc.keys.iter().any(|k| k.value == "current");
                if matches!(kr.kind, KrKind::Metric | KrKind::Health)
                    && kr.current.is_none()
                    && !reported_elsewhere
                    && objective.phase != Phase::Upcoming
                {
                    let hint = match &kr.kpi {
                        Some(kpi) => format!(
                            "add `current = …`, a check-in, or a measurement of KPI `{kpi}` on or before {as_of}"
                        ),
                        None => "add `current = …` or `[[key_results.checkins]]`".to_string(),
                    };
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::NoCurrentValue,
                            format!("key result `{}` has no current value", kr.id),
                        )
                        .at(kr.doc.span)
                        .hint(hint),
                    );
                }
                if kr.kind == KrKind::Milestone && !kr.done && objective.phase == Phase::Running {
                    if let Some(due) = kr.doc.due.as_ref().filter(|d| d.value < as_of) {
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::OverdueMilestone,
                                format!(
                                    "milestone `{}` was due {} and is not done",
                                    kr.id, due.value
                                ),
                            )
                            .at(due.span)
                            .hint("mark it `done = true`, or move `due` and say why in the body"),
                        );
                    }
                }
            }
        }

        for kpi in &site.kpis {
            let message = match &kpi.latest {
                None => format!("KPI `{}` has no measurement on or before {as_of}", kpi.id),
                Some(latest) if as_of.days_since(latest.date) > kpi.cadence.days() => format!(
                    "KPI `{}` was last measured {} ({} days before {as_of}), longer ago than its cadence allows",
                    kpi.id,
                    latest.date,
                    as_of.days_since(latest.date)
                ),
                Some(_) => continue,
            };
            let at = kpi
                .latest
                .as_ref()
                .and_then(|latest| kpi.doc.measurements.iter().find(|m| m.date == latest.date))
                .map_or(kpi.doc.head.fence, |m| m.span);
            self.diagnostics.push(
                Diagnostic::new(Code::StaleKpi, message)
                    .at(at)
                    .label("latest measurement")
                    .hint(
                        "add the latest measurement under `[[measurements]]` or to the `data` file",
                    ),
            );
        }
    }
}

/// The team and every team above it, nearest first.
pub fn team_chain(site: &Site, team: usize) -> Vec<usize> {
    let mut chain = vec![team];
    let mut current = site.teams[team].parent_index;
    while let Some(p) = current {
        if chain.contains(&p) {
            break;
        }
        chain.push(p);
        current = site.teams[p].parent_index;
    }
    chain
}

/// The cycles of a graph where each node has at most one parent, found
/// iteratively (a deep chain cannot overflow the stack). Each cycle is
/// listed once, starting at the node first reached.
pub fn find_cycles(parents: &[Option<usize>]) -> Vec<Vec<usize>> {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; parents.len()];
    let mut cycles = Vec::new();
    for start in 0..parents.len() {
        if state[start] != NEW {
            continue;
        }
        let mut path = Vec::new();
        let mut current = Some(start);
        while let Some(node) = current {
            match state[node] {
                NEW => {
                    state[node] = ON_PATH;
                    path.push(node);
                    current = parents[node];
                }
                ON_PATH => {
                    let from = path.iter().position(|&n| n == node).unwrap_or(0);
                    cycles.push(path[from..].to_vec());
                    break;
                }
                _ => break,
            }
        }
        for node in path {
            state[node] = DONE;
        }
    }
    cycles
}

fn cycle_diagnostic(code: Code, noun: &str, ids: &[&str], spans: &[Span]) -> Diagnostic {
    let mut shown: Vec<&str> = ids.to_vec();
    shown.push(ids[0]);
    let message = if ids.len() == 1 {
        format!("{noun} `{}` is its own parent", ids[0])
    } else {
        format!("{} {noun}s form a parent cycle", ids.len())
    };
    let mut diagnostic = Diagnostic::new(code, message)
        .note(format!("cycle: {}", shown.join(" → ")))
        .hint("a parent must be above its child; remove or change one `parent` to break the cycle");
    if let Some((first, rest)) = spans.split_first() {
        diagnostic = diagnostic.at(*first).label("parent here");
        for span in rest.iter().take(4) {
            diagnostic = diagnostic.related(*span, "then here");
        }
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_in_parent_graphs() {
        // 0 → 1 → 2 → 0, 3 → 0, 4 → 4, 5 alone.
        let parents = [Some(1), Some(2), Some(0), Some(0), Some(4), None];
        assert_eq!(find_cycles(&parents), vec![vec![0, 1, 2], vec![4]]);
        assert!(find_cycles(&[None, Some(0), Some(1)]).is_empty());
    }

    #[test]
    fn a_deep_chain_does_not_overflow() {
        let mut parents: Vec<Option<usize>> = (0..200_000).map(|i| Some(i + 1)).collect();
        parents.push(Some(0));
        assert_eq!(find_cycles(&parents)[0].len(), 200_001);
    }
}
