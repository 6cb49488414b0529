//! Stage 3, score: progress, pacing and status.
//!
//! The formulas are docs/format.md's "Scoring": a metric key result scores the
//! clamped share of the way from start to target, a milestone 1 when done
//! (else its partial progress). A health key result is a guardrail: it adds
//! nothing to the score, and out of its band it caps a running objective at
//! *at risk*. A key result with no value yet has no score ("no data"), and
//! averages count only those with one. An objective scores the weighted
//! mean of its key results with data and is compared with the elapsed share
//! of its period. [`score_site`] fills the computed fields of a [`Site`].

pub(crate) mod history;

use crate::date::Date;
use crate::model::Grading;
use crate::model::{Commitment, Judgement, KrKind, Thresholds};
use crate::model::{KeyResult, KeyResultIx, Kpi, KpiStatus, Objective, ObjectiveIx, Site, Status};
use crate::period::Phase;

/// How far a metric has come from start to target: 0 at the start, 1 at
/// the target, above 1 past it and below 0 when it moved the wrong way;
/// `None` without a current value. A target equal to its start is reached
/// (1) or not (0).
pub(crate) fn achievement(start: f64, target: f64, current: Option<f64>) -> Option<f64> {
    let current = current?;
    if target == start {
        return Some(if current == target { 1.0 } else { 0.0 });
    }
    Some((current - start) / (target - start))
}

/// `clamp((current − start) / (target − start), 0, 1)`, for rising and
/// falling targets alike; `None` (no data) without a current value.
pub(crate) fn metric_score(start: f64, target: f64, current: Option<f64>) -> Option<f64> {
    achievement(start, target, current).map(|a| a.clamp(0.0, 1.0))
}

/// 1 when done, else the partial progress, else 0.
pub(crate) fn milestone_score(done: bool, progress: Option<f64>) -> f64 {
    if done {
        1.0
    } else {
        progress.unwrap_or(0.0).clamp(0.0, 1.0)
    }
}

/// Whether `value` lies inside `[min, max]` (either bound may be open).
pub(crate) fn in_band(value: f64, min: Option<f64>, max: Option<f64>) -> bool {
    min.is_none_or(|min| value >= min) && max.is_none_or(|max| value <= max)
}

/// Weighted mean of `(score, weight)` pairs; `None` when there are none.
pub(crate) fn weighted_mean(items: impl IntoIterator<Item = (f64, f64)>) -> Option<f64> {
    let (sum, weights) = items
        .into_iter()
        .fold((0.0, 0.0), |(sum, weights), (score, weight)| {
            (sum + score * weight, weights + weight)
        });
    (weights > 0.0).then(|| sum / weights)
}

/// The average progress of the objectives that have data, each counted
/// once; `None` when none has.
pub(crate) fn average_progress<'o>(
    objectives: impl IntoIterator<Item = &'o Objective>,
) -> Option<f64> {
    weighted_mean(objectives.into_iter().filter_map(|o| Some((o.score?, 1.0))))
}

/// The average progress the objectives are expected to have made by now.
pub(crate) fn average_expected<'o>(
    objectives: impl IntoIterator<Item = &'o Objective>,
) -> Option<f64> {
    let paced = objectives.into_iter().filter(|o| o.paced);
    weighted_mean(paced.map(|o| (o.expected, 1.0)))
}

/// The average of the objectives' grades, or their progress where they
/// have no grade, as a quarter review reads them.
pub(crate) fn average_grade<'o>(
    objectives: impl IntoIterator<Item = &'o Objective>,
) -> Option<f64> {
    weighted_mean(
        objectives
            .into_iter()
            .filter_map(|o| Some((o.grade.or(o.score)?, 1.0))),
    )
}

/// The status of a score against the expected progress.
///
/// Running: *on track* at ≥ 0.9 × expected, *at risk* at ≥ 0.6 × expected,
/// else *off track*; a health key result out of its band caps the status at
/// *at risk*. Ended: *achieved*, *partial* or *missed* by `grades` (0.7 and
/// 0.4 for aspirational objectives, 1.0 and 0.7 for committed ones).
/// Without a score there is no data to judge by, except that a breached
/// guardrail still puts a running objective at risk.
pub(crate) fn status(
    score: Option<f64>,
    expected: f64,
    phase: Phase,
    health_breached: bool,
    grades: Thresholds,
) -> Status {
    let Some(score) = score else {
        return match phase {
            Phase::Upcoming => Status::NotStarted,
            Phase::Running if health_breached => Status::AtRisk,
            _ => Status::NoData,
        };
    };
    match phase {
        Phase::Upcoming => Status::NotStarted,
        // A little below the threshold still counts: 0.7 computed as
        // 0.69999… is 0.7.
        Phase::Ended if score >= grades.achieved - 1e-9 => Status::Achieved,
        Phase::Ended if score >= grades.partial - 1e-9 => Status::Partial,
        Phase::Ended => Status::Missed,
        Phase::Running if score >= 0.9 * expected && !health_breached => Status::OnTrack,
        Phase::Running if score >= 0.6 * expected => Status::AtRisk,
        Phase::Running => Status::OffTrack,
    }
}

/// A KPI's status at `as_of` from its latest measurement.
pub(crate) fn kpi_status(
    latest: Option<(Date, f64)>,
    as_of: Date,
    cadence_days: i32,
    min: Option<f64>,
    max: Option<f64>,
) -> KpiStatus {
    match latest {
        None => KpiStatus::NoData,
        Some((date, _)) if as_of.days_since(date) > cadence_days => KpiStatus::Stale,
        Some(_) if min.is_none() && max.is_none() => KpiStatus::Monitored,
        Some((_, value)) if in_band(value, min, max) => KpiStatus::Healthy,
        Some(_) => KpiStatus::Unhealthy,
    }
}

/// A key result's score on `day`, from what it had reported by then
/// ([`KeyResult::value_on`] and the rest); on the day it is measured at,
/// its score. `None` before anything was reported, and for key results
/// that have no score.
pub(crate) fn score_at(kpis: &[Kpi], kr: &KeyResult, day: Date) -> Option<f64> {
    match kr.kind {
        KrKind::Metric => {
            let start = kr.goalpost_on("start", day, kr.start)?;
            let target = kr.goalpost_on("target", day, kr.target)?;
            metric_score(start, target, kr.value_on(kpis, day))
        }
        KrKind::Milestone => kr
            .state_on(day)
            .map(|(done, progress)| milestone_score(done, progress)),
        KrKind::Scored => kr.hand_score_on(day),
        // A roll-up is scored once the objectives serving it are.
        KrKind::Health | KrKind::Status | KrKind::Rollup => None,
    }
}

/// A key result's status in `phase`, expected to be `expected` of the way
/// at `as_of`, once it is scored.
fn key_result_status(
    kr: &KeyResult,
    expected: f64,
    phase: Phase,
    as_of: Date,
    grades: Thresholds,
) -> Status {
    let guardrail = |inside: bool, running: bool| match (inside, running) {
        (true, true) => Status::OnTrack,
        (false, true) => Status::AtRisk,
        (true, false) => Status::Achieved,
        (false, false) => Status::Missed,
    };
    match kr.kind {
        _ if kr.dropped.is_some() => Status::Dropped,
        _ if phase == Phase::Upcoming => Status::NotStarted,
        KrKind::Health => kr.in_band.map_or(Status::NoData, |inside| {
            guardrail(inside, phase == Phase::Running)
        }),
        KrKind::Status => kr
            .reported_status
            .map_or(Status::NoData, |judged| judged_status(judged, phase)),
        KrKind::Metric | KrKind::Milestone | KrKind::Scored | KrKind::Rollup => {
            if phase == Phase::Running && kr.is_overdue(as_of) {
                Status::OffTrack
            } else {
                status(kr.score, expected, phase, false, grades)
            }
        }
    }
}

/// The status of a key result followed by its owner's judgement alone.
/// While its period runs the judgement is the status; once it has ended,
/// only `done` is achieved, and work not started, off track or blocked is
/// missed.
fn judged_status(judged: Judgement, phase: Phase) -> Status {
    match (judged, phase) {
        (Judgement::Done, Phase::Running | Phase::Ended) => Status::Achieved,
        (Judgement::NotStarted, Phase::Running) => Status::NotStarted,
        (Judgement::InProgress | Judgement::OnTrack, Phase::Running) => Status::OnTrack,
        (Judgement::NeedsAttention | Judgement::AtRisk, Phase::Running) => Status::AtRisk,
        (Judgement::OffTrack | Judgement::Blocked, Phase::Running) => Status::OffTrack,
        (Judgement::NotStarted | Judgement::OffTrack | Judgement::Blocked, Phase::Ended) => {
            Status::Missed
        }
        (_, Phase::Ended) => Status::Partial,
        (_, Phase::Upcoming) => Status::NotStarted,
    }
}

/// Scores one key result of an objective in `phase`, expected to be
/// `expected` of the way at `as_of`.
fn score_key_result(
    kpis: &[Kpi],
    kr: &mut KeyResult,
    expected: f64,
    phase: Phase,
    as_of: Date,
    grades: Thresholds,
) {
    kr.achievement = match (kr.kind.traits().moves, kr.start, kr.target) {
        (true, Some(start), Some(target)) => achievement(start, target, kr.current),
        _ => None,
    };
    kr.score = score_at(kpis, kr, kr.measured_at);
    kr.in_band = kr
        .current
        .filter(|_| kr.kind.traits().guardrail)
        .map(|v| in_band(v, kr.min, kr.max));
    kr.status = key_result_status(kr, expected, phase, as_of, grades);
}

/// Whether a key result counts toward its objective's score: health key
/// results are guardrails and dropped ones are out.
pub(crate) fn counts(kr: &KeyResult) -> bool {
    kr.kind.traits().scored && kr.dropped.is_none() && kr.commitment != Commitment::Learning
}

/// Scores an objective from its key results, which are scored first. An
/// ended objective is graded by its commitment's thresholds, from its
/// hand-set grade when it has one.
fn score_objective(kpis: &[Kpi], objective: &mut Objective, as_of: Date, grading: &Grading) {
    let (expected, phase) = (objective.expected, objective.phase);
    for kr in &mut objective.key_results {
        let grades = grading.of(kr.commitment);
        score_key_result(kpis, kr, expected, phase, as_of, grades);
    }
    tally(objective);
    objective.breaches = objective
        .key_results
        .iter()
        .filter(|kr| kr.in_band == Some(false) && kr.dropped.is_none())
        .map(|kr| kr.id.clone())
        .collect();
    settle_status(objective, grading);
}

/// An objective's status from its score, or once ended from its hand-set
/// grade when it has one, by its commitment's thresholds.
fn settle_status(objective: &mut Objective, grading: &Grading) {
    let graded = match objective.phase {
        Phase::Ended => objective.grade.or(objective.score),
        _ => objective.score,
    };
    let breached = !objective.breaches.is_empty();
    objective.status = match (graded, judged(objective)) {
        (None, Some(Status::OnTrack)) if breached => Status::AtRisk,
        (None, Some(judged)) => judged,
        _ => status(
            graded,
            objective.expected,
            objective.phase,
            breached,
            grading.of(objective.commitment),
        ),
    };
}

/// How unfavourable a status is, to find the least favourable of several.
fn severity(status: &Status) -> u8 {
    match status {
        Status::OffTrack | Status::Missed => 4,
        Status::AtRisk | Status::Partial => 3,
        Status::NotStarted => 2,
        _ => 1,
    }
}

/// What an objective with nothing scored stands at: the least favourable
/// status of its key results followed by their status, among those that
/// have one, or with none of those, of its guardrails ("95% on CSAT"
/// held or not).
fn judged(objective: &Objective) -> Option<Status> {
    let least_favourable = |guardrails: bool| {
        objective
            .key_results
            .iter()
            .filter(|kr| kr.dropped.is_none() && kr.commitment != Commitment::Learning)
            .filter(|kr| !kr.kind.traits().scored && kr.kind.traits().guardrail == guardrails)
            .map(|kr| kr.status)
            .filter(|s| *s != Status::NoData)
            .max_by_key(severity)
    };
    least_favourable(false).or_else(|| least_favourable(true))
}

/// Fills every computed field of the site: key-result and objective scores
/// and statuses, children scores and KPI status.
pub(crate) fn score_site(site: &mut Site) {
    let as_of = site.as_of;
    for kpi in &mut site.kpis {
        kpi.latest = kpi.value_at(as_of).cloned();
        kpi.status = kpi_status(
            kpi.latest.as_ref().map(|m| (m.date, m.value)),
            as_of,
            kpi.cadence.days(),
            kpi.healthy_min,
            kpi.healthy_max,
        );
    }
    let grading = site.grading;
    for objective in &mut site.objectives {
        score_objective(&site.kpis, objective, as_of, &grading);
    }

    roll_up(site);
}

/// Scores objectives from their aligned children, children first: each
/// objective's `children_score` is the mean of its published children's
/// scores, and an objective with no key results of its own that count
/// (or with `include_children`) takes its children into its own score, a
/// child weighing as much as a key result. A parent cycle (an error of its
/// own) is cut where it closes.
fn roll_up(site: &mut Site) {
    let grading = site.grading;
    let n = site.objectives.len();
    // 0: not reached, 1: its children are being scored, 2: scored.
    let mut state = vec![0u8; n];
    for root in 0..n {
        let mut stack = vec![root];
        while let Some(&i) = stack.last() {
            match state[i] {
                0 => {
                    state[i] = 1;
                    let children = &site.objectives[i].children;
                    stack.extend(children.iter().map(|c| c.0).filter(|&c| state[c] == 0));
                }
                1 => {
                    state[i] = 2;
                    stack.pop();
                    take_children(site, i, &grading);
                }
                _ => {
                    stack.pop();
                }
            }
        }
    }
}

/// Scores an objective's roll-up key results from the published objectives
/// that serve each (their mean score), then the objective again from its
/// key results.
fn score_rollups(site: &mut Site, i: usize, grading: &Grading) {
    let objective = &site.objectives[i];
    if !objective
        .key_results
        .iter()
        .any(|kr| kr.kind == KrKind::Rollup)
    {
        return;
    }
    let serving = |k: usize| -> Vec<f64> {
        let at = KeyResultIx {
            objective: ObjectiveIx(i),
            key_result: k,
        };
        site.serving(at)
            .filter(|c| !c.draft)
            .filter_map(|c| c.score)
            .collect()
    };
    let scores: Vec<Option<f64>> = (0..objective.key_results.len())
        .map(|k| {
            (objective.key_results[k].kind == KrKind::Rollup)
                .then(|| weighted_mean(serving(k).iter().map(|&s| (s, 1.0))))
                .flatten()
        })
        .collect();
    let objective = &mut site.objectives[i];
    let (expected, phase, as_of) = (objective.expected, objective.phase, site.as_of);
    for (kr, score) in objective.key_results.iter_mut().zip(scores) {
        if kr.kind == KrKind::Rollup {
            kr.score = score;
            let grades = grading.of(kr.commitment);
            kr.status = key_result_status(kr, expected, phase, as_of, grades);
        }
    }
    tally(objective);
    settle_status(objective, grading);
}

/// An objective's score from the key results that count, and how many
/// count and have data.
fn tally(objective: &mut Objective) {
    let progress = || objective.key_results.iter().filter(|kr| counts(kr));
    objective.counted = progress().count();
    objective.with_data = progress().filter(|kr| kr.score.is_some()).count();
    objective.score = weighted_mean(progress().filter_map(|kr| Some((kr.score?, kr.weight))));
}

fn take_children(site: &mut Site, i: usize, grading: &Grading) {
    score_rollups(site, i, grading);
    let children: Vec<f64> = site.objectives[i]
        .children
        .iter()
        .map(|&c| &site.objectives[c])
        .filter(|c| !c.draft)
        .filter_map(|c| c.score)
        .collect();
    let published = site.objectives[i]
        .children
        .iter()
        .filter(|&&c| !site.objectives[c].draft)
        .count();
    // Children followed by their status alone stand for it as `status`
    // key results do.
    let children_judged = site.objectives[i]
        .children
        .iter()
        .map(|&c| &site.objectives[c])
        .filter(|c| !c.draft && c.score.is_none())
        .map(|c| c.status)
        .filter(|s| *s != Status::NoData)
        .max_by_key(severity);
    let objective = &mut site.objectives[i];
    objective.children_score = weighted_mean(children.iter().map(|&s| (s, 1.0)));
    let takes = published > 0 && (objective.counted == 0 || objective.include_children);
    if !takes {
        return;
    }
    let own = objective
        .key_results
        .iter()
        .filter(|kr| counts(kr))
        .filter_map(|kr| Some((kr.score?, kr.weight)));
    objective.score = weighted_mean(own.chain(children.iter().map(|&s| (s, 1.0))));
    objective.counted += published;
    objective.with_data += children.len();
    objective.from_children = true;
    settle_status(objective, grading);
    if objective.score.is_none() && objective.status == Status::NoData {
        // A child whose period has ended tells a running parent where it
        // stands in a running period's words.
        let running = objective.phase == Phase::Running;
        objective.status = match children_judged {
            Some(Status::Missed) if running => Status::OffTrack,
            Some(Status::Partial) if running => Status::AtRisk,
            Some(Status::Achieved) if running => Status::OnTrack,
            judged => judged.unwrap_or(Status::NoData),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The aspirational thresholds.
    const A: Thresholds = Thresholds {
        achieved: 0.7,
        partial: 0.4,
    };

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn rising_and_falling_metrics() {
        assert!(close(metric_score(5.0, 10.0, Some(7.5)).unwrap(), 0.5));
        // Decrease tickets per customer from 1.5 to 0.5; now 0.9.
        assert!(close(metric_score(1.5, 0.5, Some(0.9)).unwrap(), 0.6));
        assert!(close(metric_score(100.0, 95.0, Some(96.0)).unwrap(), 0.8));
    }

    #[test]
    fn metrics_clamp_at_zero_and_one() {
        assert_eq!(metric_score(5.0, 10.0, Some(4.0)), Some(0.0));
        assert_eq!(metric_score(5.0, 10.0, Some(12.0)), Some(1.0));
        assert_eq!(metric_score(1.5, 0.5, Some(2.0)), Some(0.0));
        assert_eq!(metric_score(1.5, 0.5, Some(0.1)), Some(1.0));
        assert_eq!(metric_score(5.0, 10.0, None), None, "no data is not 0");
        assert_eq!(metric_score(5.0, 10.0, Some(10.0)), Some(1.0));
    }

    #[test]
    fn achievement_past_the_target_is_kept() {
        // 2 → 4 planned, 4.88 reached: 144 %.
        assert!(close(achievement(2.0, 4.0, Some(4.88)).unwrap(), 1.44));
        assert!(close(achievement(10.0, 5.0, Some(12.0)).unwrap(), -0.4));
    }

    #[test]
    fn milestones_score_done_then_progress() {
        assert_eq!(milestone_score(true, None), 1.0);
        assert_eq!(milestone_score(true, Some(0.2)), 1.0);
        assert_eq!(milestone_score(false, Some(0.4)), 0.4);
        assert_eq!(milestone_score(false, None), 0.0);
    }

    #[test]
    fn band_edges_are_inside() {
        assert!(in_band(9.0, Some(9.0), None));
        assert!(!in_band(8.99, Some(9.0), None));
        assert!(in_band(4.0, None, Some(4.0)));
        assert!(!in_band(4.01, None, Some(4.0)));
        assert!(in_band(5.0, Some(1.0), Some(5.0)));
    }

    #[test]
    fn weighted_means() {
        assert_eq!(weighted_mean([]), None);
        assert!(close(weighted_mean([(1.0, 1.0), (0.0, 1.0)]).unwrap(), 0.5));
        assert!(close(
            weighted_mean([(1.0, 3.0), (0.0, 1.0)]).unwrap(),
            0.75
        ));
        assert!(close(weighted_mean([(0.6, 0.5)]).unwrap(), 0.6));
    }

    #[test]
    fn pacing_thresholds_while_running() {
        let run = Phase::Running;
        assert_eq!(status(Some(0.45), 0.5, run, false, A), Status::OnTrack);
        assert_eq!(status(Some(0.449), 0.5, run, false, A), Status::AtRisk);
        assert_eq!(status(Some(0.30), 0.5, run, false, A), Status::AtRisk);
        assert_eq!(status(Some(0.299), 0.5, run, false, A), Status::OffTrack);
        // At the first day nothing is expected yet.
        assert_eq!(status(Some(0.0), 0.0, run, false, A), Status::OnTrack);
        // On the last day everything is expected.
        assert_eq!(status(Some(0.9), 1.0, run, false, A), Status::OnTrack);
        assert_eq!(status(Some(0.89), 1.0, run, false, A), Status::AtRisk);
    }

    #[test]
    fn without_a_score_there_is_no_data() {
        assert_eq!(status(None, 0.5, Phase::Running, false, A), Status::NoData);
        assert_eq!(status(None, 1.0, Phase::Ended, false, A), Status::NoData);
        assert_eq!(status(None, 0.5, Phase::Running, true, A), Status::AtRisk);
        assert_eq!(
            status(None, 0.0, Phase::Upcoming, false, A),
            Status::NotStarted
        );
    }

    #[test]
    fn a_health_breach_caps_at_risk() {
        assert_eq!(
            status(Some(1.0), 0.5, Phase::Running, true, A),
            Status::AtRisk
        );
        assert_eq!(
            status(Some(0.1), 0.5, Phase::Running, true, A),
            Status::OffTrack
        );
    }

    #[test]
    fn grading_after_the_end() {
        assert_eq!(
            status(Some(0.7), 1.0, Phase::Ended, false, A),
            Status::Achieved
        );
        assert_eq!(
            status(Some(0.69), 1.0, Phase::Ended, false, A),
            Status::Partial
        );
        assert_eq!(
            status(Some(0.4), 1.0, Phase::Ended, true, A),
            Status::Partial
        );
        assert_eq!(
            status(Some(0.39), 1.0, Phase::Ended, false, A),
            Status::Missed
        );
        assert_eq!(
            status(Some(1.0), 0.0, Phase::Upcoming, false, A),
            Status::NotStarted
        );
    }

    #[test]
    fn committed_objectives_are_graded_by_their_own_thresholds() {
        let committed = Grading::default().committed;
        assert_eq!(
            status(Some(1.0), 1.0, Phase::Ended, false, committed),
            Status::Achieved
        );
        assert_eq!(
            status(Some(0.9), 1.0, Phase::Ended, false, committed),
            Status::Partial
        );
        assert_eq!(
            status(Some(0.6), 1.0, Phase::Ended, false, committed),
            Status::Missed
        );
        assert_eq!(
            status(Some(0.6), 1.0, Phase::Ended, false, A),
            Status::Partial
        );
    }

    #[test]
    fn kpi_statuses() {
        let d = |s| Date::parse(s).unwrap();
        let as_of = d("2026-08-15");
        assert_eq!(kpi_status(None, as_of, 31, None, None), KpiStatus::NoData);
        assert_eq!(
            kpi_status(Some((d("2026-07-15"), 9.1)), as_of, 31, Some(9.0), None),
            KpiStatus::Healthy
        );
        assert_eq!(
            kpi_status(Some((d("2026-07-14"), 9.1)), as_of, 31, Some(9.0), None),
            KpiStatus::Stale
        );
        assert_eq!(
            kpi_status(Some((d("2026-08-01"), 8.0)), as_of, 31, Some(9.0), None),
            KpiStatus::Unhealthy
        );
        assert_eq!(
            kpi_status(Some((d("2026-08-01"), 8.0)), as_of, 31, None, None),
            KpiStatus::Monitored
        );
    }
}
