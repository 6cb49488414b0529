//! The geometry of inline SVG charts: a KPI's history with its healthy band
//! and the targets of key results that move it, and small sparklines. Only
//! numbers are made here; `templates/macros.html` draws them and writes
//! every word (titles, descriptions, labels), so the charts can be
//! translated with the rest of the site.

pub mod map;
mod progress;

pub use progress::{Progress, progress};
use serde::Serialize;

use crate::date::Date;
use crate::format::format_number;

/// A horizontal reference line: a key result's target in a period.
pub struct TargetLine {
    pub period: String,
    pub value: f64,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 32.0;

/// What a chart's description sentence says: how many measurements, and
/// the first and the last.
#[derive(Clone, Serialize)]
pub struct Summary {
    pub name: String,
    pub unit: String,
    pub count: usize,
    pub first: Option<Reading>,
    pub last: Option<Reading>,
}

#[derive(Clone, Serialize)]
pub struct Reading {
    pub date: String,
    pub value: String,
}

/// A label placed on the chart.
#[derive(Serialize)]
pub struct Label {
    pub x: String,
    pub y: String,
    pub text: String,
}

#[derive(Serialize)]
pub struct Target {
    pub y: String,
    pub label: Label,
    pub period: String,
}

#[derive(Serialize)]
pub struct Band {
    pub y: String,
    pub height: String,
}

#[derive(Serialize)]
pub struct Point {
    pub x: String,
    pub y: String,
}

/// The history chart of a KPI, ready to draw.
#[derive(Serialize)]
pub struct History {
    pub id: String,
    pub summary: Summary,
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
    pub plot_width: f64,
    pub band: Option<Band>,
    /// Value labels on the vertical axis: the lowest and highest values.
    pub values: Vec<Label>,
    /// Date labels under the horizontal axis: the first and last dates.
    pub dates: Vec<Label>,
    pub targets: Vec<Target>,
    /// The `points` attribute of the line through the measurements, empty
    /// for fewer than two.
    pub line: String,
    pub points: Vec<Point>,
}

/// A small trend line, for lists.
#[derive(Clone, Serialize)]
pub struct Sparkline {
    pub summary: Summary,
    pub line: String,
}

fn coordinate(value: f64) -> String {
    let mut out = String::with_capacity(8);
    push_coordinate(&mut out, value);
    out
}

/// Appends `value` with one decimal, exactly as `format!("{value:.1}")`
/// writes it, without the cost of exact formatting: away from a tie, the
/// value rounds as ten times it does. Below 10⁸ tenths, multiplying by ten
/// is off by less than 10⁻⁸, far less than the distance kept from a tie.
/// Ties and larger values are written by `format!`, which rounds the exact
/// value half to even.
fn push_coordinate(out: &mut String, value: f64) {
    use std::fmt::Write;
    let tenths = value.abs() * 10.0;
    let near_tie = (tenths.fract() - 0.5).abs() < 1e-6;
    if !tenths.is_finite() || tenths >= 1e8 || near_tie {
        let _ = write!(out, "{value:.1}");
        return;
    }
    let tenths = tenths.round() as u64;
    if value.is_sign_negative() {
        out.push('-');
    }
    let _ = write!(out, "{}.{}", tenths / 10, tenths % 10);
}

/// The lowest and highest of `values`, widened so that a flat or empty
/// series still has a range.
fn range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !low.is_finite() {
        (0.0, 1.0)
    } else if (high - low).abs() < f64::EPSILON {
        (low - 1.0, high + 1.0)
    } else {
        (low, high)
    }
}

/// Where values and dates fall on the plot.
struct Scale {
    /// The lowest and highest values shown, which the axis labels name.
    min: f64,
    max: f64,
    /// The ends of the vertical axis, a little beyond `min` and `max`.
    low: f64,
    high: f64,
    first: Option<Date>,
    span_days: f64,
    single: bool,
}

impl Scale {
    const PLOT_W: f64 = WIDTH - LEFT - RIGHT;
    const PLOT_H: f64 = HEIGHT - TOP - BOTTOM;

    /// A scale for dated `points` and `values` (which include the points'
    /// own), padded so that no mark sits on the plot's edge.
    fn new(points: &[(Date, f64)], values: impl Iterator<Item = f64>) -> Scale {
        let (low, high) = range(values);
        let pad = (high - low) * 0.08;
        let first = points.first().map(|p| p.0);
        let span_days = match (first, points.last()) {
            (Some(first), Some(last)) => f64::from(last.0.days_since(first).max(1)),
            _ => 1.0,
        };
        Scale {
            min: low,
            max: high,
            low: low - pad,
            high: high + pad,
            first,
            span_days,
            single: points.len() < 2,
        }
    }

    fn y(&self, value: f64) -> f64 {
        TOP + Self::PLOT_H * (1.0 - (value - self.low) / (self.high - self.low))
    }

    fn x(&self, date: Date) -> f64 {
        match self.first {
            Some(first) if !self.single => {
                LEFT + Self::PLOT_W * f64::from(date.days_since(first)) / self.span_days
            }
            _ => LEFT + Self::PLOT_W / 2.0,
        }
    }
}

fn label(x: f64, y: f64, text: String) -> Label {
    Label {
        x: coordinate(x),
        y: coordinate(y),
        text,
    }
}

/// The chart of a KPI's history. `points` are sorted by date.
pub fn history(
    id: &str,
    summary: Summary,
    points: &[(Date, f64)],
    band: (Option<f64>, Option<f64>),
    targets: &[TargetLine],
) -> History {
    let scale = Scale::new(
        points,
        points
            .iter()
            .map(|p| p.1)
            .chain(band.0)
            .chain(band.1)
            .chain(targets.iter().map(|t| t.value)),
    );
    let mut dates: Vec<Label> = points
        .first()
        .map(|p| label(LEFT, HEIGHT - 10.0, p.0.to_string()))
        .into_iter()
        .collect();
    if let (true, Some(last)) = (points.len() > 1, points.last()) {
        dates.push(label(WIDTH - RIGHT, HEIGHT - 10.0, last.0.to_string()));
    }
    History {
        id: id.to_string(),
        summary,
        width: WIDTH,
        height: HEIGHT,
        left: LEFT,
        top: TOP,
        right: WIDTH - RIGHT,
        bottom: HEIGHT - BOTTOM,
        plot_width: Scale::PLOT_W,
        band: (band.0.is_some() || band.1.is_some()).then(|| {
            let top = scale.y(band.1.unwrap_or(scale.high));
            let bottom = scale.y(band.0.unwrap_or(scale.low));
            Band {
                y: coordinate(top),
                height: coordinate((bottom - top).max(0.0)),
            }
        }),
        values: [scale.min, scale.max]
            .into_iter()
            .map(|v| label(LEFT - 6.0, scale.y(v) + 4.0, format_number(v)))
            .collect(),
        dates,
        targets: targets
            .iter()
            .map(|t| Target {
                y: coordinate(scale.y(t.value)),
                label: label(
                    WIDTH - RIGHT - 4.0,
                    scale.y(t.value) - 4.0,
                    format_number(t.value),
                ),
                period: t.period.clone(),
            })
            .collect(),
        line: polyline(points.iter().map(|&(d, v)| (scale.x(d), scale.y(v)))),
        points: points
            .iter()
            .map(|&(d, v)| Point {
                x: coordinate(scale.x(d)),
                y: coordinate(scale.y(v)),
            })
            .collect(),
    }
}

/// The `points` attribute of a line through `coords`, empty for fewer than
/// two points.
fn polyline(coords: impl ExactSizeIterator<Item = (f64, f64)>) -> String {
    if coords.len() < 2 {
        return String::new();
    }
    let mut points = String::with_capacity(coords.len() * 10);
    for (x, y) in coords {
        if !points.is_empty() {
            points.push(' ');
        }
        push_coordinate(&mut points, x);
        points.push(',');
        push_coordinate(&mut points, y);
    }
    points
}

/// A sparkline 96 × 24 units wide, as `templates/macros.html` draws it.
pub fn sparkline(summary: Summary, points: &[(Date, f64)]) -> Sparkline {
    Sparkline {
        summary,
        line: spark_line(points, range(points.iter().map(|p| p.1))),
    }
}

/// A sparkline of progress (scores 0–1), on a fixed scale from 0 to 100 %.
pub fn progress_sparkline(name: &str, points: &[(Date, f64)]) -> Sparkline {
    Sparkline {
        summary: summary_with(name, points, "", crate::format::percent),
        line: spark_line(points, (0.0, 1.0)),
    }
}

/// The line of a sparkline through `points`, evenly spaced, on a scale
/// from `low` to `high`.
fn spark_line(points: &[(Date, f64)], (low, high): (f64, f64)) -> String {
    const W: f64 = 96.0;
    const H: f64 = 24.0;
    let steps = points.len().saturating_sub(1).max(1) as f64;
    let coords = points.iter().enumerate().map(|(i, (_, v))| {
        (
            2.0 + (W - 4.0) * i as f64 / steps,
            H - 2.0 - (H - 4.0) * ((v - low) / (high - low)).clamp(0.0, 1.0),
        )
    });
    polyline(coords)
}

/// The summary of a series of measurements named `name`.
pub fn summary(name: &str, points: &[(Date, f64)], unit: &str) -> Summary {
    summary_with(name, points, unit, format_number)
}

/// [`summary`], with values written by `show`.
fn summary_with(
    name: &str,
    points: &[(Date, f64)],
    unit: &str,
    show: fn(f64) -> String,
) -> Summary {
    let reading = |p: &(Date, f64)| Reading {
        date: p.0.to_string(),
        value: show(p.1),
    };
    Summary {
        name: name.to_string(),
        unit: unit.to_string(),
        count: points.len(),
        first: points.first().map(reading),
        last: points.last().map(reading),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_written_as_format_writes_them() {
        let mut values = vec![
            0.0,
            -0.0,
            0.05,
            0.25,
            0.35,
            0.45,
            1.05,
            2.5,
            -0.25,
            -0.04,
            -0.05,
            95.95,
            1e14,
            1e15,
            1e16,
            4503599627370495.5,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        // Every hundredth and thousandth up to 1000, where ties and near
        // ties abound, and values spread over many magnitudes.
        values.extend((-100_000..100_000).map(|i| f64::from(i) / 100.0));
        values.extend((0..1_000_000).map(|i| f64::from(i) / 1000.0));
        // Values just off a tie at every magnitude, where multiplying by
        // ten could carry them across it.
        for exponent in 0..16 {
            let whole = 10f64.powi(exponent) + 7.0;
            for offset in [-1e-7, -1e-9, 0.0, 1e-9, 1e-7] {
                values.push(whole + 0.05 + offset);
                values.push(-(whole + 0.25 + offset));
            }
        }
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        values.extend((0..200_000).map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            f64::from_bits(state)
        }));
        for value in values {
            assert_eq!(coordinate(value), format!("{value:.1}"), "{value:e}");
        }
    }

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn numbers(chart: &History) -> Vec<&str> {
        let mut all: Vec<&str> = chart.points.iter().flat_map(|p| [&*p.x, &*p.y]).collect();
        all.extend(chart.values.iter().map(|l| &*l.y));
        all.push(&chart.line);
        all
    }

    #[test]
    fn a_history_spans_the_plot_and_shades_the_band() {
        let points = [(d("2026-07-01"), 9.1), (d("2026-08-01"), 9.3)];
        let chart = history(
            "csat",
            summary("CSAT", &points, "points"),
            &points,
            (Some(9.0), None),
            &[],
        );
        assert_eq!(
            chart.points[0].x, "56.0",
            "the first date is at the left axis"
        );
        assert_eq!(chart.points[1].x, "624.0", "the last at the right edge");
        assert_eq!(chart.dates.len(), 2);
        assert!(chart.band.is_some());
        assert_eq!(chart.line.split(' ').count(), 2);
        assert_eq!(chart.values[0].text, "9", "the lowest value is the band's");
    }

    #[test]
    fn empty_and_flat_histories_do_not_divide_by_zero() {
        let empty = history("k", summary("K", &[], ""), &[], (None, None), &[]);
        assert!(empty.points.is_empty() && empty.line.is_empty());
        let flat = [(d("2026-07-01"), 5.0), (d("2026-07-01"), 5.0)];
        let chart = history("k", summary("K", &flat, ""), &flat, (None, None), &[]);
        for n in numbers(&chart) {
            assert!(!n.contains("NaN") && !n.contains("inf"), "{n}");
        }
        let spark = sparkline(summary("K", &flat, ""), &flat);
        assert!(!spark.line.contains("NaN") && !spark.line.contains("inf"));
        assert!(
            sparkline(summary("K", &flat[..1], ""), &flat[..1])
                .line
                .is_empty()
        );
    }
}
