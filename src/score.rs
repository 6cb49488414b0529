//! Stage 4, score: progress, pacing and status.
//!
//! The formulas are DESIGN.md's "Scoring": a metric key result scores the
//! clamped share of the way from start to target, a milestone 1 when done
//! (else its partial progress), a health key result 1 while inside its band.
//! An objective scores the weighted mean of its key results and is compared
//! with the elapsed share of its period. [`score_site`] fills the computed
//! fields of a [`Site`].

use crate::date::Date;
use crate::load::KrKind;
use crate::model::{KpiStatus, Site, Status};
use crate::period::Phase;

/// `clamp((current − start) / (target − start), 0, 1)`, for rising and
/// falling targets alike. A metric without a current value scores 0.
pub fn metric_score(start: f64, target: f64, current: Option<f64>) -> f64 {
    let Some(current) = current else {
        return 0.0;
    };
    if target == start {
        return if current == target { 1.0 } else { 0.0 };
    }
    ((current - start) / (target - start)).clamp(0.0, 1.0)
}

/// 1 when done, else the partial progress, else 0.
pub fn milestone_score(done: bool, progress: Option<f64>) -> f64 {
    if done {
        1.0
    } else {
        progress.unwrap_or(0.0).clamp(0.0, 1.0)
    }
}

/// Whether `value` lies inside `[min, max]` (either bound may be open).
pub fn in_band(value: f64, min: Option<f64>, max: Option<f64>) -> bool {
    min.is_none_or(|min| value >= min) && max.is_none_or(|max| value <= max)
}

/// 1 while the value is inside the band, else 0 (also without a value).
pub fn health_score(value: Option<f64>, min: Option<f64>, max: Option<f64>) -> f64 {
    match value {
        Some(value) if in_band(value, min, max) => 1.0,
        _ => 0.0,
    }
}

/// Weighted mean of `(score, weight)` pairs; `None` when there are none.
pub fn weighted_mean(items: impl IntoIterator<Item = (f64, f64)>) -> Option<f64> {
    let (sum, weights) = items
        .into_iter()
        .fold((0.0, 0.0), |(sum, weights), (score, weight)| {
            (sum + score * weight, weights + weight)
        });
    (weights > 0.0).then(|| sum / weights)
}

/// The status of a score against the expected progress.
///
/// Running: *on track* at ≥ 0.9 × expected, *at risk* at ≥ 0.6 × expected,
/// else *off track*; a health key result out of its band caps the status at
/// *at risk*. Ended: *achieved* at ≥ 0.7, *partial* at ≥ 0.4, else *missed*.
pub fn status(score: f64, expected: f64, phase: Phase, health_breached: bool) -> Status {
    match phase {
        Phase::Upcoming => Status::NotStarted,
        Phase::Ended if score >= 0.7 => Status::Achieved,
        Phase::Ended if score >= 0.4 => Status::Partial,
        Phase::Ended => Status::Missed,
        Phase::Running if score >= 0.9 * expected && !health_breached => Status::OnTrack,
        Phase::Running if score >= 0.6 * expected => Status::AtRisk,
        Phase::Running => Status::OffTrack,
    }
}

/// A KPI's status at `as_of` from its latest measurement.
pub fn kpi_status(
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

/// Fills every computed field of the site: key-result and objective scores
/// and statuses, children scores and KPI status.
pub fn score_site(site: &mut Site) {
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
    for objective in &mut site.objectives {
        let (expected, phase) = (objective.expected, objective.phase);
        let mut breached = false;
        for kr in &mut objective.key_results {
            kr.score = match kr.kind {
                KrKind::Metric => match (kr.start, kr.target) {
                    (Some(start), Some(target)) => metric_score(start, target, kr.current),
                    _ => 0.0,
                },
                KrKind::Milestone => milestone_score(kr.done, kr.progress),
                KrKind::Health => health_score(kr.current, kr.min, kr.max),
            };
            kr.in_band = (kr.kind == KrKind::Health)
                .then(|| kr.current.is_some_and(|v| in_band(v, kr.min, kr.max)));
            let out_of_band = kr.in_band == Some(false) && kr.current.is_some();
            breached |= out_of_band;
            kr.status = match kr.kind {
                KrKind::Health if phase == Phase::Running => {
                    if out_of_band {
                        Status::AtRisk
                    } else {
                        Status::OnTrack
                    }
                }
                KrKind::Milestone
                    if phase == Phase::Running
                        && !kr.done
                        && kr.due.is_some_and(|due| due < as_of) =>
                {
                    Status::OffTrack
                }
                _ => status(kr.score, expected, phase, false),
            };
        }
        objective.score =
            weighted_mean(objective.key_results.iter().map(|kr| (kr.score, kr.weight)));
        objective.status = status(objective.score.unwrap_or(0.0), expected, phase, breached);
    }

    // Children scores, after every objective has its score.
    for i in 0..site.objectives.len() {
        let children = site.objectives[i]
            .children
            .iter()
            .map(|&c| &site.objectives[c])
            .filter(|c| !c.draft)
            .filter_map(|c| c.score);
        site.objectives[i].children_score = weighted_mean(children.map(|s| (s, 1.0)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn rising_and_falling_metrics() {
        assert!(close(metric_score(5.0, 10.0, Some(7.5)), 0.5));
        // Decrease tickets per customer from 1.5 to 0.5; now 0.9.
        assert!(close(metric_score(1.5, 0.5, Some(0.9)), 0.6));
        assert!(close(metric_score(100.0, 95.0, Some(96.0)), 0.8));
    }

    #[test]
    fn metrics_clamp_at_zero_and_one() {
        assert_eq!(metric_score(5.0, 10.0, Some(4.0)), 0.0);
        assert_eq!(metric_score(5.0, 10.0, Some(12.0)), 1.0);
        assert_eq!(metric_score(1.5, 0.5, Some(2.0)), 0.0);
        assert_eq!(metric_score(1.5, 0.5, Some(0.1)), 1.0);
        assert_eq!(metric_score(5.0, 10.0, None), 0.0);
        assert_eq!(metric_score(5.0, 10.0, Some(10.0)), 1.0);
    }

    #[test]
    fn milestones_score_done_then_progress() {
        assert_eq!(milestone_score(true, None), 1.0);
        assert_eq!(milestone_score(true, Some(0.2)), 1.0);
        assert_eq!(milestone_score(false, Some(0.4)), 0.4);
        assert_eq!(milestone_score(false, None), 0.0);
    }

    #[test]
    fn health_at_the_band_edges() {
        assert_eq!(health_score(Some(9.0), Some(9.0), None), 1.0);
        assert_eq!(health_score(Some(8.99), Some(9.0), None), 0.0);
        assert_eq!(health_score(Some(4.0), None, Some(4.0)), 1.0);
        assert_eq!(health_score(Some(4.01), None, Some(4.0)), 0.0);
        assert_eq!(health_score(Some(5.0), Some(1.0), Some(5.0)), 1.0);
        assert_eq!(health_score(None, Some(1.0), None), 0.0);
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
        assert_eq!(status(0.45, 0.5, run, false), Status::OnTrack);
        assert_eq!(status(0.449, 0.5, run, false), Status::AtRisk);
        assert_eq!(status(0.30, 0.5, run, false), Status::AtRisk);
        assert_eq!(status(0.299, 0.5, run, false), Status::OffTrack);
        // At the first day nothing is expected yet.
        assert_eq!(status(0.0, 0.0, run, false), Status::OnTrack);
        // On the last day everything is expected.
        assert_eq!(status(0.9, 1.0, run, false), Status::OnTrack);
        assert_eq!(status(0.89, 1.0, run, false), Status::AtRisk);
    }

    #[test]
    fn a_health_breach_caps_at_risk() {
        assert_eq!(status(1.0, 0.5, Phase::Running, true), Status::AtRisk);
        assert_eq!(status(0.1, 0.5, Phase::Running, true), Status::OffTrack);
    }

    #[test]
    fn grading_after_the_end() {
        assert_eq!(status(0.7, 1.0, Phase::Ended, false), Status::Achieved);
        assert_eq!(status(0.69, 1.0, Phase::Ended, false), Status::Partial);
        assert_eq!(status(0.4, 1.0, Phase::Ended, true), Status::Partial);
        assert_eq!(status(0.39, 1.0, Phase::Ended, false), Status::Missed);
        assert_eq!(status(1.0, 0.0, Phase::Upcoming, false), Status::NotStarted);
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
