//! The lints: warnings about how OKRs are written, each a function of the
//! checked site. `[lint] allow` skips a lint; `[lint] deny` makes its
//! warnings errors.

use std::collections::{BTreeMap, HashSet};

use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic};
use crate::load::Loaded;
use crate::model::{ObjectiveIx, Site, TeamIx};
use crate::period::Phase;

/// What a lint may look at.
pub(crate) struct Context<'a> {
    pub site: &'a Site,
    pub loaded: &'a Loaded,
    /// Teams caught in a parent cycle (already an error).
    pub team_cycles: &'a HashSet<TeamIx>,
    /// Objectives caught in a parent cycle (already an error).
    pub objective_cycles: &'a HashSet<ObjectiveIx>,
}

/// A lint: the warnings it finds in a site.
pub(super) type Lint = fn(&Context) -> Vec<Diagnostic>;

/// Every lint, by the code of the warnings it reports.
pub(crate) const LINTS: &[(Code, Lint)] = &[
    (Code::TooManyObjectives, too_many_objectives),
    (Code::KeyResultCount, key_result_count),
    (Code::AllMilestones, all_milestones),
    (Code::UnalignedObjective, unaligned_objective),
    (Code::AlignmentOutsideChain, alignment_outside_chain),
    (Code::NoCurrentValue, no_current_value),
    (Code::OverdueMilestone, overdue_milestone),
    (Code::StaleKpi, stale_kpi),
    (Code::CheckinAfterPeriod, checkin_after_period),
    (Code::CheckinAfterAsOf, checkin_after_as_of),
    (Code::KrIsTask, coaching::kr_is_task),
    (Code::TitleMismatch, titles::title_mismatch),
    (Code::EmptyRollup, coaching::empty_rollup),
    (Code::BusinessAsUsualKr, coaching::business_as_usual_kr),
    (Code::Sandbagging, sandbagging::sandbagging),
    (Code::KrOwner, coaching::kr_owner),
    (Code::UnpairedKr, coaching::unpaired_kr),
    (Code::MilestoneWithoutDue, coaching::milestone_without_due),
    (Code::StaleCheckin, coaching::stale_checkin),
    (
        Code::GoalpostsMovedAfterStart,
        coaching::goalposts_moved_after_start,
    ),
];

/// More objectives for one team in one period than `[lint]
/// objectives_per_team` allows.
fn too_many_objectives(cx: &Context) -> Vec<Diagnostic> {
    let site = cx.site;
    let limit = cx.loaded.config.lint.objectives_per_team;
    let mut per_team_period: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, objective) in site.objectives.iter().enumerate() {
        if !objective.draft && objective.owner.is_some() && objective.period.is_some() {
            per_team_period
                .entry((objective.owner_id(), objective.period_id()))
                .or_default()
                .push(i);
        }
    }
    let mut out = Vec::new();
    for ((team, period), mut members) in per_team_period {
        if members.len() <= limit {
            continue;
        }
        members.sort_by(|&a, &b| site.objectives[a].path.cmp(&site.objectives[b].path));
        let extra = &site.objectives[members[limit]];
        let ids: Vec<&str> = members
            .iter()
            .map(|&i| site.objectives[i].id.as_str())
            .collect();
        out.push(
            Diagnostic::new(
                Code::TooManyObjectives,
                format!(
                    "team `{team}` has {} objectives in {period}; the limit is {limit}",
                    members.len(),
                ),
            )
            .at(extra
                .doc
                .owner
                .as_ref()
                .map_or(extra.doc.head.fence, |o| o.span))
            .note(format!("its objectives: {}", ids.join(", ")))
            .hint(
                "when everything is a priority, nothing is: keep the one to three that matter most",
            ),
        );
    }
    out
}

/// Fewer or more key results than `[lint] key_results` allows.
fn key_result_count(cx: &Context) -> Vec<Diagnostic> {
    let (min, max) = cx.loaded.config.lint.key_results;
    let mut out = Vec::new();
    for objective in &cx.site.objectives {
        let count = objective.key_results.len();
        if count >= min && count <= max {
            continue;
        }
        let at = objective
            .key_results
            .get(max)
            .map_or(objective.doc.head.fence, |kr| kr.doc().span);
        out.push(
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
    out
}

/// An objective whose key results are all milestones.
fn all_milestones(cx: &Context) -> Vec<Diagnostic> {
    cx.site
        .objectives
        .iter()
        .filter(|o| {
            !o.key_results.is_empty() && o.key_results.iter().all(|kr| kr.kind.traits().task)
        })
        .map(|objective| {
            Diagnostic::new(
                Code::AllMilestones,
                format!(
                    "every key result of `{}` is a milestone: tasks, not outcomes",
                    objective.id
                ),
            )
            .at(objective.doc.head.fence)
            .hint("add a metric key result for the number these milestones should move")
        })
        .collect()
}

/// An objective of a team below the top that aligns to nothing.
fn unaligned_objective(cx: &Context) -> Vec<Diagnostic> {
    let site = cx.site;
    let mut out = Vec::new();
    for objective in site.objectives.iter().filter(|o| o.doc.parents.is_empty()) {
        let Some(owner) = objective.owner else {
            continue;
        };
        if site.teams[owner].parent.is_none() || cx.team_cycles.contains(&owner) {
            continue;
        }
        let head = &objective.doc.head;
        out.push(
            Diagnostic::new(
                Code::UnalignedObjective,
                format!(
                    "objective `{}` of `{}` aligns to nothing",
                    objective.id,
                    objective.owner_id()
                ),
            )
            .at(objective.doc.owner.as_ref().map_or(head.fence, |o| o.span))
            .hint("add `parent = \"objective-id\"`: the objective above that this one serves"),
        );
    }
    out
}

/// An objective aligned to one of a team that is neither its owner nor
/// above it.
fn alignment_outside_chain(cx: &Context) -> Vec<Diagnostic> {
    let site = cx.site;
    let mut out = Vec::new();
    for (i, objective) in site.objectives.iter().enumerate() {
        let i = ObjectiveIx(i);
        let (Some(p), Some(parent_span)) = (objective.parent, objective.doc.parent()) else {
            continue;
        };
        let parent = &site.objectives[p];
        let (Some(owner), Some(parent_owner)) = (objective.owner, parent.owner) else {
            continue;
        };
        if cx.objective_cycles.contains(&i) || cx.team_cycles.contains(&owner) {
            continue;
        }
        let chain = super::team_chain(site, owner);
        if chain.contains(&parent_owner) {
            continue;
        }
        let names: Vec<&str> = chain.iter().map(|&t| site.teams[t].id.as_str()).collect();
        out.push(
            Diagnostic::new(
                Code::AlignmentOutsideChain,
                format!(
                    "objective `{}` of `{}` aligns to `{}` of `{}`, which is not `{}` or a team above it",
                    objective.id,
                    objective.owner_id(),
                    parent.id,
                    parent.owner_id(),
                    objective.owner_id()
                ),
            )
            .at(parent_span.span)
            .note(format!(
                "the chain of `{}` is {}",
                objective.owner_id(),
                names.join(" → ")
            ))
            .hint("align to an objective of the team itself or of a team above it"),
        );
    }
    out
}

/// A metric or health key result of a started period with no value.
fn no_current_value(cx: &Context) -> Vec<Diagnostic> {
    let as_of = cx.site.as_of;
    let mut out = Vec::new();
    for objective in cx
        .site
        .objectives
        .iter()
        .filter(|o| o.phase != Phase::Upcoming)
    {
        for kr in &objective.key_results {
            // An unresolved KPI, a `current` of the wrong type or an unknown
            // (likely misspelt) key is already an error; do not warn about
            // its consequence.
            let reported_elsewhere = kr.doc().kpi.is_some() && kr.kpi.is_none()
                || kr.doc().keys.iter().any(|k| k.value == "current")
                || !kr.doc().unknown.is_empty()
                || !kr.kind_known;
            if !kr.kind.traits().valued
                || kr.dropped.is_some()
                || kr.current.is_some()
                || reported_elsewhere
            {
                continue;
            }
            let hint = match kr.kpi_id() {
                Some(kpi) => format!(
                    "add `current = …`, a check-in, or a measurement of KPI `{kpi}` on or before {as_of}"
                ),
                None => "add `current = …` or `[[key_results.checkins]]`".to_string(),
            };
            out.push(
                Diagnostic::new(
                    Code::NoCurrentValue,
                    format!("key result `{}` has no current value", kr.id),
                )
                .at(kr.doc().span)
                .hint(hint),
            );
        }
    }
    out
}

/// A milestone of a running period, past its due date and not done.
fn overdue_milestone(cx: &Context) -> Vec<Diagnostic> {
    let as_of = cx.site.as_of;
    let running = cx
        .site
        .objectives
        .iter()
        .filter(|o| o.phase == Phase::Running);
    running
        .flat_map(|o| &o.key_results)
        .filter(|kr| kr.is_overdue(as_of))
        .filter_map(|kr| {
            let due = kr.doc().due.as_ref()?;
            Some(
                Diagnostic::new(
                    Code::OverdueMilestone,
                    format!(
                        "milestone `{}` was due {} and is not done",
                        kr.id, due.value
                    ),
                )
                .at(due.span)
                .hint("mark it `done = true`, or move `due` and say why in the body"),
            )
        })
        .collect()
}

/// Check-ins dated after their objective's period ended, which never
/// count, once for each key result: the first of them, and how many more.
/// A score checked in within `[grading] window_days` is the final grade,
/// not a late check-in.
fn checkin_after_period(cx: &Context) -> Vec<Diagnostic> {
    let site = cx.site;
    let mut out = Vec::new();
    for objective in &site.objectives {
        let Some(period) = objective.period.map(|p| &site.periods[p]) else {
            continue;
        };
        let window = crate::model::grading_window(site, Some(period));
        let grade = |c: &crate::load::CheckinDoc, day: Date| {
            c.score.is_some() && window.is_some_and(|(end, last)| end < day && day <= last)
        };
        for kr in &objective.key_results {
            let late: Vec<&crate::load::Sp<Date>> = kr
                .doc()
                .checkins
                .iter()
                .filter_map(|c| Some((c, c.date.as_ref()?)))
                .filter(|(c, d)| d.value > period.end && !grade(c, d.value))
                .map(|(_, d)| d)
                .collect();
            let Some(first) = late.iter().min_by_key(|d| d.value) else {
                continue;
            };
            let more = match late.len() - 1 {
                0 => String::new(),
                1 => " (and 1 more)".to_string(),
                n => format!(" (and {n} more)"),
            };
            out.push(
                Diagnostic::new(
                    Code::CheckinAfterPeriod,
                    format!(
                        "check-in of `{}` dated {}{more}, after period {} ended on {}: it does not count toward the grade",
                        kr.id, first.value, period.id, period.end
                    ),
                )
                .at(first.span)
                .hint(if kr.kind.traits().keys.contains(&"score") {
                    format!(
                        "date it within the period, or within {} days after its end for a final `score` (`[grading] window_days`)",
                        site.grading.window_days
                    )
                } else {
                    "date it within the period, or check in on the objective that carries this work into the next period".to_string()
                }),
            );
        }
    }
    out
}

/// Check-ins dated after the as-of date (within their period), which do
/// not count yet.
fn checkin_after_as_of(cx: &Context) -> Vec<Diagnostic> {
    let site = cx.site;
    let as_of = site.as_of;
    let mut out = Vec::new();
    for objective in &site.objectives {
        let end = objective.period.map(|p| site.periods[p].end);
        for kr in &objective.key_results {
            for checkin in &kr.doc().checkins {
                let late = |d: &&crate::load::Sp<crate::date::Date>| {
                    d.value > as_of && end.is_none_or(|end| d.value <= end)
                };
                let Some(date) = checkin.date.as_ref().filter(late) else {
                    continue;
                };
                out.push(
                    Diagnostic::new(
                        Code::CheckinAfterAsOf,
                        format!(
                            "check-in of `{}` dated {}, after the as-of date {as_of}: it does not count yet",
                            kr.id, date.value
                        ),
                    )
                    .at(date.span)
                    .hint("check the date; progress is measured at `as_of` in okra.toml, `--as-of`, or today"),
                );
            }
        }
    }
    out
}

/// A KPI not measured within its cadence before the as-of date.
fn stale_kpi(cx: &Context) -> Vec<Diagnostic> {
    let as_of = cx.site.as_of;
    let mut out = Vec::new();
    for kpi in &cx.site.kpis {
        // A roll-up whose `rollup` is not valid has its error already.
        if kpi.doc.rollup_written && kpi.doc.rollup.is_none() {
            continue;
        }
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
        let diagnostic = Diagnostic::new(Code::StaleKpi, message).at(at);
        out.push(if kpi.doc.rollup.is_some() {
            diagnostic.hint(format!(
                "a roll-up is measured when the KPIs it combines are: measure {}",
                kpi.doc
                    .of
                    .iter()
                    .map(|k| format!("`{}`", k.value))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        } else {
            diagnostic
                .label("latest measurement")
                .hint("add the latest measurement under `[[measurements]]` or to the `data` file")
        });
    }
    out
}

mod coaching;
mod sandbagging;
#[cfg(test)]
mod tests;
mod titles;

pub(crate) use coaching::goalposts_moved;
