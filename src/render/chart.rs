//! Inline SVG charts: a KPI's history with its healthy band and the targets
//! of key results that move it, and small sparklines. Each chart carries a
//! title and description for screen readers; pages add a table of the
//! numbers as the text alternative.

use std::fmt::Write as _;

use crate::date::Date;
use crate::render::{escape, format_number};

/// A horizontal reference line: a key result's target.
pub struct TargetLine {
    pub label: String,
    pub value: f64,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 32.0;

/// The history chart of a KPI. `points` are sorted by date.
pub fn history(
    id: &str,
    name: &str,
    points: &[(Date, f64)],
    band: (Option<f64>, Option<f64>),
    targets: &[TargetLine],
    unit: &str,
) -> String {
    let mut values: Vec<f64> = points.iter().map(|p| p.1).collect();
    values.extend(band.0);
    values.extend(band.1);
    values.extend(targets.iter().map(|t| t.value));
    let (mut low, mut high) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    if !low.is_finite() {
        (low, high) = (0.0, 1.0);
    }
    if (high - low).abs() < f64::EPSILON {
        low -= 1.0;
        high += 1.0;
    }
    let pad = (high - low) * 0.08;
    let (low, high) = (low - pad, high + pad);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let y = |v: f64| TOP + plot_h * (1.0 - (v - low) / (high - low));
    let (first, last) = match (points.first(), points.last()) {
        (Some(f), Some(l)) => (f.0, l.0),
        _ => (Date::today(), Date::today()),
    };
    let span_days = f64::from(last.days_since(first).max(1));
    let x = |d: Date| {
        if points.len() < 2 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * f64::from(d.days_since(first)) / span_days
        }
    };

    let title_id = format!("chart-{id}-title");
    let desc_id = format!("chart-{id}-desc");
    let description = describe(name, points, unit);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg"><title id="{title_id}">{}</title><desc id="{desc_id}">{}</desc>"#,
        escape(&format!("History of {name}")),
        escape(&description)
    );
    // Healthy band.
    if band.0.is_some() || band.1.is_some() {
        let top = y(band.1.unwrap_or(high));
        let bottom = y(band.0.unwrap_or(low));
        let _ = write!(
            svg,
            r#"<rect class="band" x="{LEFT}" y="{top:.1}" width="{plot_w}" height="{:.1}"/>"#,
            (bottom - top).max(0.0)
        );
    }
    // Axes and labels.
    let _ = write!(
        svg,
        r#"<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{:.1}"/><line class="axis" x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
        HEIGHT - BOTTOM,
        HEIGHT - BOTTOM,
        WIDTH - RIGHT,
        HEIGHT - BOTTOM
    );
    for v in [low + pad, high - pad] {
        let _ = write!(
            svg,
            r#"<text class="label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            LEFT - 6.0,
            y(v) + 4.0,
            escape(&format_number(v))
        );
    }
    if let (Some(f), Some(l)) = (points.first(), points.last()) {
        let _ = write!(
            svg,
            r#"<text class="label" x="{LEFT}" y="{:.1}">{}</text>"#,
            HEIGHT - 10.0,
            f.0
        );
        if points.len() > 1 {
            let _ = write!(
                svg,
                r#"<text class="label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
                WIDTH - RIGHT,
                HEIGHT - 10.0,
                l.0
            );
        }
    }
    for target in targets {
        let ty = y(target.value);
        let _ = write!(
            svg,
            r#"<line class="target" x1="{LEFT}" y1="{ty:.1}" x2="{:.1}" y2="{ty:.1}"/><text class="label target-label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            WIDTH - RIGHT,
            WIDTH - RIGHT - 4.0,
            ty - 4.0,
            escape(&target.label)
        );
    }
    if points.len() > 1 {
        let path: Vec<String> = points
            .iter()
            .map(|(d, v)| format!("{:.1},{:.1}", x(*d), y(*v)))
            .collect();
        let _ = write!(
            svg,
            r#"<polyline class="line" points="{}"/>"#,
            path.join(" ")
        );
    }
    for (d, v) in points {
        let _ = write!(
            svg,
            r#"<circle class="point" cx="{:.1}" cy="{:.1}" r="3"/>"#,
            x(*d),
            y(*v)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A small trend line, for lists.
pub fn sparkline(name: &str, points: &[(Date, f64)], unit: &str) -> String {
    const W: f64 = 96.0;
    const H: f64 = 24.0;
    let label = escape(&describe(name, points, unit));
    if points.len() < 2 {
        return format!(
            r#"<svg class="spark" viewBox="0 0 {W} {H}" role="img" aria-label="{label}" xmlns="http://www.w3.org/2000/svg"></svg>"#
        );
    }
    let (low, high) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.1), hi.max(p.1))
        });
    let range = if high > low { high - low } else { 1.0 };
    let n = (points.len() - 1) as f64;
    let coords: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, (_, v))| {
            format!(
                "{:.1},{:.1}",
                2.0 + (W - 4.0) * i as f64 / n,
                H - 2.0 - (H - 4.0) * (v - low) / range
            )
        })
        .collect();
    format!(
        r#"<svg class="spark" viewBox="0 0 {W} {H}" role="img" aria-label="{label}" xmlns="http://www.w3.org/2000/svg"><polyline points="{}"/></svg>"#,
        coords.join(" ")
    )
}

/// One sentence that says what a chart shows.
fn describe(name: &str, points: &[(Date, f64)], unit: &str) -> String {
    let unit = if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    };
    match (points.first(), points.last()) {
        (Some(first), Some(last)) if points.len() > 1 => format!(
            "{name}: {} measurements from {}{unit} on {} to {}{unit} on {}",
            points.len(),
            format_number(first.1),
            first.0,
            format_number(last.1),
            last.0
        ),
        (Some(only), _) => format!(
            "{name}: one measurement, {}{unit} on {}",
            format_number(only.1),
            only.0
        ),
        _ => format!("{name}: no measurements yet"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn charts_describe_themselves() {
        let points = [(d("2026-07-01"), 9.1), (d("2026-08-01"), 9.3)];
        let svg = history(
            "csat",
            "CSAT <x>",
            &points,
            (Some(9.0), None),
            &[],
            "points",
        );
        assert!(svg.contains("<title id=\"chart-csat-title\">History of CSAT &lt;x&gt;</title>"));
        assert!(
            svg.contains(
                "2 measurements from 9.1 points on 2026-07-01 to 9.3 points on 2026-08-01"
            )
        );
        assert!(svg.contains("class=\"band\""));
        assert!(svg.contains("<polyline"));
        assert!(sparkline("CSAT", &points, "").contains("aria-label=\"CSAT: 2 measurements"));
    }

    #[test]
    fn empty_and_flat_histories_do_not_divide_by_zero() {
        let svg = history("k", "K", &[], (None, None), &[], "");
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        let flat = [(d("2026-07-01"), 5.0), (d("2026-07-01"), 5.0)];
        let svg = history("k", "K", &flat, (None, None), &[], "");
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        assert!(!sparkline("K", &flat, "").contains("NaN"));
    }
}
