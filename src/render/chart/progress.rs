//! The geometry of a progress chart: a score from 0 to 100 % across a
//! period, the line of expected pace from 0 on its first day to 100 % on
//! its last, and the as-of date. When reporting stopped before the as-of
//! date, a dashed line carries the last score on to it, so stale data
//! shows as stale. Sized to stay legible on a phone: the chart is drawn at
//! about its own size there.

use serde::Serialize;

use super::{Label, Point, Reading, coordinate, label, polyline};
use crate::date::Date;
use crate::format::percent;

const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 150.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 24.0;

/// A progress chart, ready to draw.
#[derive(Serialize)]
pub struct Progress {
    pub id: String,
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
    /// The expected pace, as the two ends of a line; none while the
    /// period's end is not known.
    pub pace: Option<[Point; 2]>,
    /// The as-of date, when it falls inside the period.
    pub today: Option<String>,
    pub line: String,
    pub points: Vec<Point>,
    /// From the last report to the as-of date, when reporting stopped
    /// before it.
    pub gap: Option<[Point; 2]>,
    pub values: Vec<Label>,
    pub dates: Vec<Label>,
    /// Every score shown, for the text alternative.
    pub readings: Vec<Reading>,
    /// The expected progress on the as-of date, when there is a pace.
    pub expected: Option<String>,
    pub as_of: String,
    /// The date of the last report, when it is before the as-of date.
    pub stale_since: Option<String>,
}

/// The chart of `points` (scores 0–1 by date, sorted) over the period
/// `from..=to`, seen on `as_of`; `expected` is the expected progress then,
/// `None` for a period without pace (its end is not known yet).
pub fn progress(
    id: &str,
    points: &[(Date, f64)],
    (from, to): (Date, Date),
    as_of: Date,
    expected: Option<f64>,
) -> Progress {
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let span = f64::from(to.days_since(from).max(1));
    let x = |d: Date| LEFT + plot_w * (f64::from(d.days_since(from)) / span).clamp(0.0, 1.0);
    let y = |v: f64| TOP + plot_h * (1.0 - v.clamp(0.0, 1.0));
    let point = |x: f64, y: f64| Point {
        x: coordinate(x),
        y: coordinate(y),
    };
    let seen = as_of.min(to);
    let gap = points
        .last()
        .filter(|(d, _)| *d < seen)
        .map(|&(d, v)| [point(x(d), y(v)), point(x(seen), y(v))]);
    Progress {
        id: id.to_string(),
        width: WIDTH,
        height: HEIGHT,
        left: LEFT,
        top: TOP,
        right: WIDTH - RIGHT,
        bottom: HEIGHT - BOTTOM,
        pace: expected.map(|_| [point(x(from), y(0.0)), point(x(to), y(1.0))]),
        today: (from <= as_of && as_of < to).then(|| coordinate(x(as_of))),
        line: polyline(points.iter().map(|&(d, v)| (x(d), y(v)))),
        points: points.iter().map(|&(d, v)| point(x(d), y(v))).collect(),
        stale_since: gap.as_ref().and(points.last()).map(|p| p.0.to_string()),
        gap,
        values: [0.0, 0.5, 1.0]
            .into_iter()
            .map(|v| label(LEFT - 4.0, y(v) + 4.0, percent(v)))
            .collect(),
        dates: vec![
            label(LEFT, HEIGHT - 6.0, from.to_string()),
            label(WIDTH - RIGHT, HEIGHT - 6.0, to.to_string()),
        ],
        readings: points
            .iter()
            .map(|&(d, v)| Reading {
                date: d.to_string(),
                value: percent(v),
            })
            .collect(),
        expected: expected.map(percent),
        as_of: seen.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn a_line_that_stops_early_is_carried_on_dashed_to_the_as_of_date() {
        let points = [(d("2026-07-01"), 0.0), (d("2026-07-31"), 0.5)];
        let chart = progress(
            "x",
            &points,
            (d("2026-07-01"), d("2026-09-30")),
            d("2026-08-15"),
            Some(0.5),
        );
        assert_eq!(chart.points[0].x, "40.0");
        assert_eq!(
            chart.points[0].y, "126.0",
            "0% sits on the bottom of the plot"
        );
        let gap = chart
            .gap
            .as_ref()
            .expect("reporting stopped before the as-of date");
        assert_eq!(gap[0].y, gap[1].y);
        assert!(gap[1].x.parse::<f64>().unwrap() > gap[0].x.parse::<f64>().unwrap());
        assert_eq!(chart.stale_since.as_deref(), Some("2026-07-31"));
        assert!(chart.today.is_some());
        assert_eq!(chart.readings[1].value, "50%");
        // Reported up to the as-of date: no gap.
        let current = progress(
            "y",
            &points,
            (d("2026-07-01"), d("2026-09-30")),
            d("2026-07-31"),
            Some(0.33),
        );
        assert!(current.gap.is_none() && current.stale_since.is_none());
        // Scores past 100 % and dates outside the period stay on the plot.
        let wild = progress(
            "z",
            &[(d("2026-12-01"), 1.7)],
            (d("2026-07-01"), d("2026-09-30")),
            d("2026-12-31"),
            Some(1.0),
        );
        assert_eq!(wild.points[0].x, "348.0");
        assert_eq!(wild.points[0].y, "10.0");
        assert!(wild.today.is_none());
        // A period whose end is not known has no pace.
        let open = progress(
            "o",
            &points,
            (d("2026-07-01"), d("2026-08-15")),
            d("2026-08-15"),
            None,
        );
        assert!(open.pace.is_none() && open.expected.is_none());
    }
}
