//! The lints an OKR coach would raise in review: key results phrased as
//! tasks, aimed at business as usual, without an owner or a counterweight,
//! milestones without a date, check-ins gone quiet, and goalposts moved
//! once the period ran. [`super::sandbagging`] looks at how a team grades
//! itself over time.

use std::collections::BTreeMap;

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::format::{format_number, with_unit};
use crate::model::TeamKind;
use crate::model::{KeyResult, Kpi, KrKind, Objective, Site};
use crate::period::Phase;

/// Verbs that open an activity or an output rather than an outcome: what
/// a team will do, not what should change because it did.
const ACTIVITY_VERBS: &[&str] = &[
    "add",
    "amplify",
    "attend",
    "automate",
    "begin",
    "celebrate",
    "complete",
    "conduct",
    "create",
    "define",
    "deliver",
    "deploy",
    "develop",
    "elevate",
    "establish",
    "evaluate",
    "explore",
    "finalise",
    "finalize",
    "finish",
    "hire",
    "hold",
    "implement",
    "install",
    "integrate",
    "introduce",
    "investigate",
    "launch",
    "migrate",
    "organise",
    "organize",
    "prepare",
    "publish",
    "refactor",
    "rewrite",
    "send",
    "ship",
    "write",
];

/// Words that are verbs or nouns (`Build the pipeline`, `Build time under
/// five minutes`): they open a task only before an article, a number or
/// their particle.
const VERBS_OR_NOUNS: &[&str] = &[
    "build", "design", "document", "draft", "feature", "host", "kick", "onboard", "plan",
    "release", "research", "review", "roll", "run", "schedule", "set", "start", "train",
];

/// What may follow a word of [`VERBS_OR_NOUNS`] when it is a verb.
const OBJECT_OPENERS: &[&str] = &[
    "a", "an", "the", "our", "new", "all", "every", "each", "first", "one", "two", "three", "four",
    "five", "six", "seven", "eight", "nine", "ten", "up", "out", "off",
];

/// The objectives still to be worked on: what is written of an ended
/// period is history, not a draft to improve.
fn open_objectives(site: &Site) -> impl Iterator<Item = &Objective> {
    site.objectives
        .iter()
        .filter(|o| o.phase != Phase::Ended && !o.draft)
}

/// The key results of open objectives that still count, of a kind their
/// keys tell (one whose kind is unclear has its error).
pub(super) fn open_key_results(site: &Site) -> impl Iterator<Item = (&Objective, &KeyResult)> {
    open_objectives(site).flat_map(|o| {
        o.key_results
            .iter()
            .filter(|kr| kr.dropped.is_none() && kr.kind_known)
            .map(move |kr| (o, kr))
    })
}

/// Where a key result's title is written, or the key result itself.
pub(super) fn title_span(kr: &KeyResult) -> crate::source::Span {
    kr.doc().title.as_ref().map_or(kr.doc().span, |t| t.span)
}

/// The activity verb a title opens with, if it opens with one (`Launch`,
/// `Shipped`, `Set up`). A numbering such as `KR1:` or `KR 2.` is skipped.
pub(super) fn opening_activity(title: &str) -> Option<&'static str> {
    let mut words = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .skip_while(|w| {
            w.bytes().all(|b| b.is_ascii_digit())
                || w.strip_prefix("kr")
                    .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
        });
    let first = words.next()?;
    if let Some(verb) = verb_form(&first, ACTIVITY_VERBS) {
        return Some(verb);
    }
    let verb = verb_form(&first, VERBS_OR_NOUNS)?;
    let next = words.next()?;
    (OBJECT_OPENERS.contains(&next.as_str()) || next.bytes().all(|b| b.is_ascii_digit()))
        .then_some(verb)
}

/// The verb of `verbs` that `word` is a plain or past form of (`ship`,
/// `shipped`). A third-person form is more often a plural noun at the
/// start of a title (`Launches reach …`), so it does not count.
fn verb_form(word: &str, verbs: &[&'static str]) -> Option<&'static str> {
    verbs.iter().copied().find(|verb| {
        let Some(rest) = word.strip_prefix(verb) else {
            return false;
        };
        // `shipped`: the last consonant doubles before `ed`.
        let rest = match rest.strip_prefix(&verb[verb.len() - 1..]) {
            Some("ed") => "ed",
            _ => rest,
        };
        matches!(rest, "" | "ed" | "d")
    })
}

/// A metric key result whose title names an activity or an output.
pub(super) fn kr_is_task(cx: &Context) -> Vec<Diagnostic> {
    open_key_results(cx.site)
        .filter(|(_, kr)| !kr.kind.traits().task)
        .filter_map(|(_, kr)| {
            let verb = opening_activity(&kr.title)?;
            Some(
                Diagnostic::new(
                    Code::KrIsTask,
                    format!(
                        "key result `{}` reads as a task: “{}” says what to do, not what should change",
                        kr.id, kr.title
                    ),
                )
                .at(title_span(kr))
                .label(format!("opens with “{verb}”"))
                .hint("name the outcome the work should cause and its number (`Raise trial-to-paid from 4% to 6%`); a deliverable is a `kind = \"milestone\"`"),
            )
        })
        .collect()
}

/// Which way a metric key result moves its number, if it does.
fn rises(kr: &KeyResult) -> Option<bool> {
    let (start, target) = (kr.start?, kr.target?);
    (start != target).then_some(target > start)
}

/// A key result whose KPI already reached its target before the period,
/// or that moves only within the KPI's healthy band.
pub(super) fn business_as_usual_kr(cx: &Context) -> Vec<Diagnostic> {
    let site = cx.site;
    let mut out = Vec::new();
    for (objective, kr) in open_key_results(site).filter(|(_, kr)| kr.kind.traits().moves) {
        let (Some(k), Some(up), Some(target)) = (kr.kpi, rises(kr), kr.target) else {
            continue;
        };
        let kpi = &site.kpis[k];
        let began = objective.period.map(|p| site.periods[p].start);
        let at = kr.doc().target.as_ref().map_or(kr.doc().span, |t| t.span);
        let unit = kr.unit.as_deref();
        if let Some(reached) = reached_before(kpi, target, up, began) {
            out.push(
                Diagnostic::new(
                    Code::BusinessAsUsualKr,
                    format!(
                        "key result `{}` aims at {}, which KPI `{}` already reached on {} ({})",
                        kr.id,
                        with_unit(target, unit),
                        kpi.id,
                        reached.date,
                        with_unit(reached.value, unit)
                    ),
                )
                .at(at)
                .hint("a key result should take the number where it has not been; to hold it there, use a `health` key result or the KPI's healthy band"),
            );
        } else if within_band(kpi, kr, up) {
            out.push(
                Diagnostic::new(
                    Code::BusinessAsUsualKr,
                    format!(
                        "key result `{}` moves KPI `{}` only within its healthy band ({} to {})",
                        kr.id,
                        kpi.id,
                        kpi.healthy_min.map_or("…".into(), format_number),
                        kpi.healthy_max.map_or("…".into(), format_number)
                    ),
                )
                .at(at)
                .hint("keeping a KPI healthy is the KPI's job: make this a `health` key result, or aim beyond the band"),
            );
        }
    }
    out
}

/// The latest measurement before `began` that already met `target`.
fn reached_before(
    kpi: &Kpi,
    target: f64,
    up: bool,
    began: Option<crate::Date>,
) -> Option<&crate::model::Measurement> {
    let began = began?;
    kpi.measurements.iter().rfind(|m| {
        m.date < began
            && if up {
                m.value >= target
            } else {
                m.value <= target
            }
    })
}

/// Whether both ends of a key result lie in its KPI's healthy band, and
/// the band is bounded on the side the key result moves toward.
fn within_band(kpi: &Kpi, kr: &KeyResult, up: bool) -> bool {
    let inside = |v: f64| {
        kpi.healthy_min.is_none_or(|min| v >= min) && kpi.healthy_max.is_none_or(|max| v <= max)
    };
    let bounded = if up {
        kpi.healthy_max.is_some()
    } else {
        kpi.healthy_min.is_some()
    };
    bounded && kr.start.is_some_and(inside) && kr.target.is_some_and(inside)
}

/// Roll-up key results of open objectives that no objective serves:
/// scored by the objectives that name them, they can never have data.
pub(super) fn empty_rollup(cx: &Context) -> Vec<Diagnostic> {
    let site = cx.site;
    let mut out = Vec::new();
    for objective in open_objectives(site) {
        let Some(&ix) = site.index.objectives.get(&objective.id) else {
            continue;
        };
        for (k, kr) in objective.key_results.iter().enumerate() {
            if kr.kind != KrKind::Rollup || kr.dropped.is_some() {
                continue;
            }
            let at = crate::model::KeyResultIx {
                objective: ix,
                key_result: k,
            };
            if site.serving(at).next().is_some() {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Code::EmptyRollup,
                    format!(
                        "key result `{}` of `{}` is a roll-up that no objective serves",
                        kr.id, objective.id
                    ),
                )
                .at(title_span(kr))
                .hint(format!(
                    "in each objective that serves it, write `parent = \"{}\"` and `parent_key_result = \"{}\"`",
                    objective.id, kr.id
                )),
            );
        }
    }
    out
}

/// Key results with no owner in a team of several people, and owners who
/// carry more key results in a period than `[lint]
/// key_results_per_owner`. A key result of several owners counts as a
/// share for each: two owners carry half of it each.
pub(super) fn kr_owner(cx: &Context) -> Vec<Diagnostic> {
    let site = cx.site;
    let limit = cx.loaded.config.lint.key_results_per_owner;
    let mut out = Vec::new();
    // Key results by (period, owner), in site order.
    let mut carried: BTreeMap<(&str, &str), Vec<(&KeyResult, f64)>> = BTreeMap::new();
    // Key results without an owner, by objective: one report each.
    let mut ownerless: Vec<(&Objective, Vec<&KeyResult>)> = Vec::new();
    for (objective, kr) in open_key_results(site) {
        if kr.owners.is_empty() {
            match ownerless.last_mut() {
                Some((o, krs)) if std::ptr::eq(*o, objective) => krs.push(kr),
                _ => ownerless.push((objective, vec![kr])),
            }
            continue;
        }
        let share = 1.0 / kr.owners.len() as f64;
        for owner in &kr.owners {
            // A team named as owner carries its key results as a team.
            let a_team = site
                .index
                .teams
                .get(owner)
                .is_some_and(|&t| site.teams[t].kind != TeamKind::Person);
            if !a_team {
                carried
                    .entry((objective.period_id(), owner))
                    .or_default()
                    .push((kr, share));
            }
        }
    }
    for (objective, krs) in ownerless {
        let people = objective
            .owner
            .map_or_else(Vec::new, |t| people(&site.teams[t]));
        if people.len() < 2 {
            continue;
        }
        let message = match krs.as_slice() {
            [kr] => format!(
                "key result `{}` of team `{}` has no owner",
                kr.id,
                objective.owner_id()
            ),
            _ => format!(
                "{} key results of `{}` (team `{}`) have no owner",
                krs.len(),
                objective.id,
                objective.owner_id()
            ),
        };
        let mut diagnostic = Diagnostic::new(Code::KrOwner, message)
            .at(title_span(krs[0]))
            .hint(format!(
                "add `owner = \"…\"`, one person who reports on it even when the whole team works on it: {}",
                in_words(&people)
            ));
        for kr in krs.iter().skip(1).take(4) {
            diagnostic = diagnostic.related(title_span(kr), "no owner either");
        }
        out.push(diagnostic);
    }
    for ((period, owner), key_results) in carried {
        let total: f64 = key_results.iter().map(|(_, share)| share).sum();
        // Shares of a third add up to a hair below one.
        if total <= limit as f64 + 1e-9 {
            continue;
        }
        // The key result that takes the owner over the limit.
        let mut sum = 0.0;
        let over = key_results
            .iter()
            .find(|(_, share)| {
                sum += share;
                sum > limit as f64 + 1e-9
            })
            .map_or(key_results[0].0, |(kr, _)| *kr);
        let ids: Vec<&str> = key_results.iter().map(|(kr, _)| kr.id.as_str()).collect();
        out.push(
            Diagnostic::new(
                Code::KrOwner,
                format!(
                    "`{owner}` owns {} key results in {period}; the limit is {limit}",
                    format_number(total)
                ),
            )
            .at(title_span(over))
            .note(format!("their key results: {}", ids.join(", ")))
            .hint("share them out, or drop the ones that matter least; `[lint] key_results_per_owner` sets the limit"),
        );
    }
    out
}

/// The people of a team that is not itself a person: its lead, then its
/// members.
fn people(team: &crate::model::Team) -> Vec<&str> {
    if team.kind == TeamKind::Person {
        return Vec::new();
    }
    let mut people: Vec<&str> = team.lead.iter().map(String::as_str).collect();
    people.extend(
        team.members
            .iter()
            .map(String::as_str)
            .filter(|m| Some(*m) != team.lead.as_deref()),
    );
    people
}

/// Objectives that push numbers up with nothing to show what it costs:
/// no health key result and no number meant to fall.
pub(super) fn unpaired_kr(cx: &Context) -> Vec<Diagnostic> {
    open_objectives(cx.site)
        .filter(|o| {
            let counted = || o.key_results.iter().filter(|kr| kr.dropped.is_none());
            let moves = |kr: &KeyResult| kr.kind.traits().moves;
            counted().any(|kr| moves(kr) && rises(kr) == Some(true))
                && !counted()
                    .any(|kr| kr.kind.traits().guardrail || moves(kr) && rises(kr) == Some(false))
        })
        .map(|o| {
            Diagnostic::new(
                Code::UnpairedKr,
                format!(
                    "objective `{}` pushes numbers up with nothing to check what it costs",
                    o.id
                ),
            )
            .at(o.doc.title.as_ref().map_or(o.doc.head.fence, |t| t.span))
            .hint("pair quantity with quality: add a `health` key result (`min`/`max`) or a number that should not rise with it, such as error rate or churn")
        })
        .collect()
}

/// Milestones of open objectives without a due date.
pub(super) fn milestone_without_due(cx: &Context) -> Vec<Diagnostic> {
    open_key_results(cx.site)
        // A `due` written but not a date is an error already.
        // Lateness is not told in a period whose end is not known.
        .filter(|(objective, _)| objective.paced)
        .filter(|(_, kr)| {
            kr.kind.traits().task
                && !kr.done
                && kr.due.is_none()
                && !kr.doc().keys.iter().any(|k| k.value == "due")
        })
        .map(|(objective, kr)| {
            let end = objective
                .period
                .and_then(|p| cx.site.periods[p].known_end())
                .map(|end| end.to_string());
            Diagnostic::new(
                Code::MilestoneWithoutDue,
                format!("milestone `{}` has no due date", kr.id),
            )
            .at(title_span(kr))
            .hint(format!(
                "add `due = {}` so that okra can tell when it is late",
                end.as_deref().unwrap_or("YYYY-MM-DD")
            ))
        })
        .collect()
}

/// Key results of a running period reported through check-ins whose
/// latest check-in is older than `[lint] checkin_cadence`.
pub(super) fn stale_checkin(cx: &Context) -> Vec<Diagnostic> {
    let site = cx.site;
    let as_of = site.as_of;
    let cadence = cx.loaded.config.lint.checkin_cadence;
    let mut out = Vec::new();
    let running = site.objectives.iter().filter(|o| o.phase == Phase::Running);
    for kr in running.flat_map(|o| &o.key_results) {
        if kr.dropped.is_some() || kr.kind.traits().task && kr.done {
            continue;
        }
        let latest = kr
            .doc()
            .checkins
            .iter()
            .filter_map(|c| c.date.as_ref())
            .filter(|d| d.value <= as_of)
            .max_by_key(|d| d.value);
        let Some(latest) = latest else {
            continue;
        };
        let days = as_of.days_since(latest.value);
        if days <= cadence.days() {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::StaleCheckin,
                format!(
                    "key result `{}` was last checked in on {}, {days} days before {as_of}; check-ins are due {}",
                    kr.id,
                    latest.value,
                    cadence.as_str()
                ),
            )
            .at(latest.span)
            .label("latest check-in")
            .hint("add a `[[key_results.checkins]]` with the value as it stands today, even if it has not moved; `[lint] checkin_cadence` sets how often"),
        );
    }
    out
}

/// Targets, starts, bands, due dates, grades and key results that a
/// commit moved, regraded or removed after their period began, and
/// declared periods moved, as git history (`--history`) tells.
pub(super) fn goalposts_moved_after_start(cx: &Context) -> Vec<Diagnostic> {
    goalposts_moved(cx.site)
}

/// How long after its end a period's moves are still reported: the time a
/// quarter's review and its grades take.
const REVIEW_DAYS: i32 = 90;

/// Whether the moves of a period are reported: while it runs, and for
/// [`REVIEW_DAYS`] after it ends.
fn under_review(period: &crate::period::Period, as_of: crate::Date) -> bool {
    period.start <= as_of && as_of <= period.end.add_days(REVIEW_DAYS)
}

const GOALPOST_HINT: &str = "moving the goalposts mid-period hides how the period went: keep the target and explain in the retrospective, or drop the key result (`dropped = \"why\"`) and add a new one";

/// [`goalposts_moved_after_start`] of a site whose history has been read.
pub(crate) fn goalposts_moved(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let by =
        |moved: &crate::model::GoalpostMove| format!("commit {} by {}", moved.commit, moved.author);
    for objective in &site.objectives {
        let Some(period) = objective.period.map(|p| &site.periods[p]) else {
            continue;
        };
        if !under_review(period, site.as_of) {
            continue;
        }
        for kr in &objective.key_results {
            let unit = kr.unit.as_deref();
            for moved in kr.goalposts.iter().filter(|g| g.date > period.start) {
                let at = match moved.field {
                    "start" => kr.doc().start.as_ref().map(|v| v.span),
                    "min" => kr.doc().min.as_ref().map(|v| v.span),
                    "max" => kr.doc().max.as_ref().map(|v| v.span),
                    "due" => kr.doc().due.as_ref().map(|v| v.span),
                    _ => kr.doc().target.as_ref().map(|v| v.span),
                };
                out.push(
                    Diagnostic::new(
                        Code::GoalpostsMovedAfterStart,
                        format!(
                            "the {} of `{}` moved from {} to {} on {}, after {} began",
                            moved.field,
                            kr.id,
                            moved.old_text(unit),
                            moved.new_text(unit),
                            moved.date,
                            period.id
                        ),
                    )
                    .at(at.unwrap_or(kr.doc().span))
                    .note(by(moved))
                    .hint(GOALPOST_HINT),
                );
            }
        }
        for moved in objective.goalposts.iter().filter(|g| g.date > period.start) {
            let doc = &objective.doc;
            let (message, at, hint) = if moved.field == "grade" {
                let message = match moved.new {
                    Some(_) => format!(
                        "the grade of `{}` was raised from {} to {} on {}",
                        objective.id,
                        moved.old_text(None),
                        moved.new_text(None),
                        moved.date
                    ),
                    None => format!(
                        "the grade of `{}` ({}) was taken back on {}",
                        objective.id,
                        moved.old_text(None),
                        moved.date
                    ),
                };
                let at = doc.grade.as_ref().map_or(doc.head.fence, |g| g.span);
                let hint = "a regrade judges the period by a kinder number than it was given: say why in the retrospective";
                (message, at, hint)
            } else {
                let message = format!(
                    "the key result “{}” was removed from `{}` on {}, after {} began",
                    moved.about.as_deref().unwrap_or(""),
                    objective.id,
                    moved.date,
                    period.id
                );
                (message, doc.head.fence, GOALPOST_HINT)
            };
            out.push(
                Diagnostic::new(Code::GoalpostsMovedAfterStart, message)
                    .at(at)
                    .note(by(moved))
                    .hint(hint),
            );
        }
    }
    for moved in &site.period_moves {
        let Some(period) = (moved.about.as_ref())
            .and_then(|id| site.index.periods.get(id))
            .map(|&p| &site.periods[p])
        else {
            continue;
        };
        // The move counts once the period had begun, by its old start.
        let began = match moved.old {
            Some(crate::model::Mark::Date(start)) if moved.field == "period-start" => start,
            _ => period.start,
        };
        if moved.date <= began || !under_review(period, site.as_of) {
            continue;
        }
        let what = if moved.field == "period-end" {
            "end"
        } else {
            "start"
        };
        out.push(
            Diagnostic::new(
                Code::GoalpostsMovedAfterStart,
                format!(
                    "the {what} of period `{}` moved from {} to {} on {}, after it began",
                    period.id,
                    moved.old_text(None),
                    moved.new_text(None),
                    moved.date
                ),
            )
            .note(by(moved))
            .hint("a later deadline gives every objective of the period more time than it planned with: keep the dates and carry unfinished work over (`okra carry-over`)"),
        );
    }
    out
}

/// `a`, `a and b`, `a, b and c`.
pub(super) fn in_words(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
