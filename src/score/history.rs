//! Progress over time: the score each key result and objective had on each
//! day something was reported within its period, up to the as-of date,
//! worked out from what had been reported by that day (check-ins and KPI
//! measurements), the way the site would have shown it then.
//!
//! A value written in place (`current`, `done`, `progress`) carries no
//! date: it is the last point, on the as-of date. What it was before comes
//! from git, when the site was built with its history (see
//! [`crate::diff::history`]): each commit that changed it is a point.

use super::{counts, score_at, weighted_mean};
use crate::date::Date;
use crate::model::{KeyResult, KeyResultIx, KrKind, Objective, ObjectiveIx, Site, ValueSource};

/// A score on a day.
pub(crate) type Point = (Date, f64);

/// The first and last day an objective's history can show: its period's
/// start, and its end or the as-of date, whichever comes first.
fn window(site: &Site, o: &Objective) -> Option<(Date, Date)> {
    let period = &site.periods[o.period?];
    let last = period.end.min(site.as_of);
    (period.start <= last).then_some((period.start, last))
}

/// The days a key result was reported on within `from..=to`.
fn report_days(site: &Site, kr: &KeyResult, (from, to): (Date, Date)) -> Vec<Date> {
    let inside = |d: &Date| from <= *d && *d <= to;
    let mut days: Vec<Date> = kr.checkins.iter().map(|c| c.date).filter(inside).collect();
    if kr.current_source == ValueSource::Kpi {
        if let Some(kpi) = kr.kpi.map(|k| &site.kpis[k]) {
            days.extend(kpi.measurements.iter().map(|m| m.date).filter(inside));
        }
    }
    // A value written in place stands on the as-of date, and on each day
    // a commit changed it.
    if kr.current_source == ValueSource::Current || kr.state_in_place {
        days.push(to);
        days.extend(kr.past.iter().map(|p| p.date).filter(inside));
    }
    days.sort_unstable();
    days.dedup();
    days
}

/// A key result's scores over its objective's period.
pub(crate) fn key_result(site: &Site, o: &Objective, kr: &KeyResult) -> Vec<Point> {
    let Some(window) = window(site, o) else {
        return Vec::new();
    };
    if kr.kind == KrKind::Rollup {
        return rollup(site, o, kr, &mut Vec::new());
    }
    report_days(site, kr, window)
        .into_iter()
        .filter_map(|day| Some((day, score_at(&site.kpis, kr, day)?)))
        .collect()
}

/// A roll-up key result's scores: the history of the published objectives
/// that serve it, combined as its score combines theirs, within its own
/// objective's period. `above` holds the objectives whose histories are
/// being made, so that a parent cycle (an error of its own) ends.
fn rollup(site: &Site, o: &Objective, kr: &KeyResult, above: &mut Vec<ObjectiveIx>) -> Vec<Point> {
    let (Some(&ix), Some(k), Some((from, to))) = (
        site.index.objectives.get(&o.id),
        o.key_results
            .iter()
            .position(|other| std::ptr::eq(other, kr)),
        window(site, o),
    ) else {
        return Vec::new();
    };
    if above.contains(&ix) {
        return Vec::new();
    }
    above.push(ix);
    let at = KeyResultIx {
        objective: ix,
        key_result: k,
    };
    let serving: Vec<Vec<Point>> = site
        .serving(at)
        .filter(|c| !c.draft)
        .map(|c| objective_under(site, c, above))
        .collect();
    above.pop();
    let histories: Vec<&[Point]> = serving.iter().map(Vec::as_slice).collect();
    combined(&histories)
        .into_iter()
        .filter(|(day, _)| from <= *day && *day <= to)
        .collect()
}

/// An objective's scores over its period: on each day one of its key
/// results was reported, the weighted mean of those that had data by then.
pub(crate) fn objective(site: &Site, o: &Objective) -> Vec<Point> {
    objective_under(site, o, &mut Vec::new())
}

/// [`objective`], below the objectives in `above`.
fn objective_under(site: &Site, o: &Objective, above: &mut Vec<ObjectiveIx>) -> Vec<Point> {
    let Some(window) = window(site, o) else {
        return Vec::new();
    };
    let counted: Vec<&KeyResult> = o.key_results.iter().filter(|kr| counts(kr)).collect();
    // Roll-ups by their history; the others by what was reported by a day.
    let rolled: Vec<Option<Vec<Point>>> = counted
        .iter()
        .map(|kr| (kr.kind == KrKind::Rollup).then(|| rollup(site, o, kr, above)))
        .collect();
    let mut days: Vec<Date> = counted
        .iter()
        .zip(&rolled)
        .flat_map(|(kr, rolled)| match rolled {
            Some(points) => points.iter().map(|p| p.0).collect(),
            None => report_days(site, kr, window),
        })
        .collect();
    days.sort_unstable();
    days.dedup();
    days.into_iter()
        .filter_map(|day| {
            let scores = counted.iter().zip(&rolled).filter_map(|(kr, rolled)| {
                let score = match rolled {
                    Some(points) => {
                        let known = points.partition_point(|p| p.0 <= day);
                        points[..known].last().map(|p| p.1)
                    }
                    None => score_at(&site.kpis, kr, day),
                };
                Some((score?, kr.weight))
            });
            Some((day, weighted_mean(scores)?))
        })
        .collect()
}

/// Several histories as one: on each day any of them has a point, the
/// mean of each one's latest score by then (those with none yet left out).
pub(crate) fn combined(histories: &[&[Point]]) -> Vec<Point> {
    let mut days: Vec<Date> = histories
        .iter()
        .flat_map(|h| h.iter())
        .map(|p| p.0)
        .collect();
    days.sort_unstable();
    days.dedup();
    days.into_iter()
        .filter_map(|day| {
            let latest = histories.iter().filter_map(|h| {
                let known = h.partition_point(|p| p.0 <= day);
                known.checked_sub(1).map(|i| (h[i].1, 1.0))
            });
            Some((day, weighted_mean(latest)?))
        })
        .collect()
}

/// Where progress was expected to be on `day`: the share of the period
/// elapsed.
pub(crate) fn expected_on(site: &Site, o: &Objective, day: Date) -> f64 {
    o.period.map_or(0.0, |p| site.periods[p].elapsed(day))
}

#[cfg(test)]
mod tests;
