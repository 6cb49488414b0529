//! Numbers and text as pages show them.

/// What a score that is not there reads as, everywhere okra shows one:
/// nothing has been reported to judge by.
pub(crate) const NO_DATA: &str = "no data";

/// A score as a percentage, or [`NO_DATA`].
pub(crate) fn score_text(score: Option<f64>) -> String {
    score.map_or_else(|| NO_DATA.to_string(), percent)
}

/// Significant figures kept for numbers below one.
const SMALL_FIGURES: i32 = 3;

/// A number as people read it: `0.9`, `1.25`, `134,000`, `0.012`.
///
/// Whole numbers are exact; others keep two decimals, or three
/// significant figures below one, so that a small value never reads as
/// zero. Thousands are grouped from five digits on.
pub fn format_number(value: f64) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    let magnitude = value.abs();
    if magnitude != 0.0 && magnitude < 1e-6 {
        return format!("{value:.2e}");
    }
    let decimals = if value.fract() == 0.0 {
        0
    } else if magnitude >= 1.0 {
        2
    } else {
        (SMALL_FIGURES - 1 - magnitude.log10().floor() as i32).max(2) as usize
    };
    let text = format!("{magnitude:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let mut out = String::with_capacity(text.len() + 8);
    if value < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        out.push('-');
    }
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 && whole.len() > 4 {
            out.push(',');
        }
        out.push(c);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// `62%`.
pub fn percent(share: f64) -> String {
    let value = (share * 100.0).clamp(-1e9, 1e9);
    // A share that rounds to nothing is 0 %, never "-0%".
    let value = if value.round() == 0.0 { 0.0 } else { value };
    format!("{value:.0}%")
}

/// Currency symbols, written before the number.
const CURRENCIES: &[&str] = &["$", "€", "£", "¥", "₹", "CHF"];

/// A value with its unit as people write it: `12%`, `4.5 days`, `$134,000`,
/// `1 store` (a plural unit of one thing reads in the singular).
pub(crate) fn with_unit(value: f64, unit: Option<&str>) -> String {
    let number = format_number(value);
    match unit.map(str::trim) {
        Some("%") => format!("{number}%"),
        Some("CHF") => format!("CHF {number}"),
        Some(symbol) if CURRENCIES.contains(&symbol) => match number.strip_prefix('-') {
            Some(positive) => format!("-{symbol}{positive}"),
            None => format!("{symbol}{number}"),
        },
        Some(unit) if !unit.is_empty() && value == 1.0 => format!("{number} {}", singular(unit)),
        Some(unit) if !unit.is_empty() => format!("{number} {unit}"),
        _ => number,
    }
}

/// An English plural unit in the singular: `stores` → `store`,
/// `repositories` → `repository`; other words as they are.
fn singular(unit: &str) -> std::borrow::Cow<'_, str> {
    let last = unit.rsplit(' ').next().unwrap_or(unit);
    let head = &unit[..unit.len() - last.len()];
    let lower = last.to_lowercase();
    let keep = ["s", "ss", "us", "is", "news", "series", "species", "kudos"];
    if last.chars().count() < 3 || keep.iter().any(|k| lower == *k || lower.ends_with("ss")) {
        return unit.into();
    }
    if let Some(stem) = last.strip_suffix("ies") {
        return format!("{head}{stem}y").into();
    }
    match last.strip_suffix('s') {
        Some(stem) if !stem.ends_with('s') && !lower.ends_with("us") && !lower.ends_with("is") => {
            format!("{head}{stem}").into()
        }
        _ => unit.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_that_rounds_to_nothing_is_zero_percent() {
        assert_eq!(percent(-0.001), "0%");
        assert_eq!(percent(-0.004), "0%");
        assert_eq!(percent(-0.006), "-1%");
        assert_eq!(percent(0.35), "35%");
    }

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(format_number(0.9), "0.9");
        assert_eq!(format_number(1.25), "1.25");
        assert_eq!(format_number(1.0 / 3.0), "0.333");
        assert_eq!(format_number(2.0), "2");
        assert_eq!(format_number(1500.0), "1500");
        assert_eq!(format_number(134000.0), "134,000");
        assert_eq!(format_number(-12000.0), "-12,000");
        assert_eq!(format_number(134000.5), "134,000.5");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(percent(0.615), "62%");
    }

    #[test]
    fn small_values_keep_their_significant_figures() {
        assert_eq!(format_number(0.012), "0.012");
        assert_eq!(format_number(0.01234), "0.0123");
        assert_eq!(format_number(-0.0005), "-0.0005");
        assert_eq!(format_number(0.5), "0.5");
        assert_eq!(format_number(0.999), "0.999");
        assert_eq!(format_number(0.0000001), "1.00e-7");
        assert_eq!(format_number(99.999), "100");
        assert_eq!(format_number(-0.0000000001), "-1.00e-10");
    }

    #[test]
    fn units_follow_the_number() {
        assert_eq!(with_unit(12.0, Some("%")), "12%");
        assert_eq!(with_unit(4.5, Some("days")), "4.5 days");
        assert_eq!(with_unit(1200.0, None), "1200");
        assert_eq!(with_unit(134000.0, Some("$")), "$134,000");
        assert_eq!(with_unit(-5.5, Some("€")), "-€5.5");
        assert_eq!(with_unit(1.0, Some("stores")), "1 store");
        assert_eq!(with_unit(1.0, Some("repositories")), "1 repository");
        assert_eq!(with_unit(1.0, Some("new customers")), "1 new customer");
        assert_eq!(with_unit(2.0, Some("stores")), "2 stores");
        assert_eq!(with_unit(1.0, Some("AMAs")), "1 AMA");
        for same in ["bus", "status", "analysis", "ms", "kudos", "press"] {
            assert_eq!(with_unit(1.0, Some(same)), format!("1 {same}"));
        }
        assert_eq!(with_unit(1.5, Some("days")), "1.5 days");
    }
}
