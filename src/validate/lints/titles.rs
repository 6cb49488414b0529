//! Titles whose numbers no longer say what the key result measures: "from
//! 5.5 to 3.0" over `target = 3.5`. A title is what people read; the
//! numbers are what okra scores.

use super::Context;
use super::coaching::{open_key_results, title_span};
use crate::diagnostic::{Code, Diagnostic};
use crate::format::format_number;

/// A number as a title writes it: its value and how many decimals it
/// shows, so that a rounded value still matches (`31.6` for 31.62).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Quoted {
    value: f64,
    decimals: i32,
    /// Written with `%`: 40% may stand for 40 or for 0.4.
    percent: bool,
    /// The multiple a `k` or `M` stands for: `5M` may be 5,000,000, or 5
    /// with millions as the unit.
    scale: f64,
}

impl Quoted {
    /// Whether `value` is what the title says, at the title's precision.
    fn says(self, value: f64) -> bool {
        let tolerance = 0.5 * 10f64.powi(-self.decimals) + 1e-9;
        let near = |v: f64| (v - self.value).abs() <= tolerance;
        let scaled = value * self.scale;
        near(value) || near(scaled) || self.percent && near(value * 100.0)
    }
}

/// The number that opens `text`, after an optional currency sign: `5.5`,
/// `$1,200`, `10k`, `40%`.
fn leading_number(text: &str) -> Option<Quoted> {
    let text = text.trim_start_matches(['$', '€', '£', '¥']);
    let digits: String = text
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .collect();
    let digits = digits.trim_end_matches(['.', ',']);
    if digits.is_empty() || !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // `1,200` groups thousands; a comma anywhere else is not read.
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if fraction.contains([',', '.']) || !whole.split(',').skip(1).all(|g| g.len() == 3) {
        return None;
    }
    let plain = digits.replace(',', "");
    let mut value: f64 = plain.parse().ok()?;
    let mut decimals = plain.split_once('.').map_or(0, |(_, d)| d.len() as i32);
    let mut scale = 1.0;
    let rest = &text[digits.len()..];
    let next = rest.chars().next();
    let after = rest.chars().nth(1);
    let word_ends = |c: Option<char>| !c.is_some_and(char::is_alphanumeric);
    match next {
        Some('k' | 'K') if word_ends(after) => {
            (value, scale) = (value * 1e3, 1e3);
            decimals -= 3;
        }
        Some('M') if word_ends(after) => {
            (value, scale) = (value * 1e6, 1e6);
            decimals -= 6;
        }
        // `2x`, `3rd`: not a plain number.
        Some(c) if c.is_alphanumeric() => return None,
        _ => {}
    }
    Some(Quoted {
        value,
        decimals,
        percent: rest.trim_start().starts_with('%'),
        scale,
    })
}

/// The start and target a title quotes: "from A to B" gives both, a
/// title whose last number follows "to" gives its target.
fn quoted_goal(title: &str) -> (Option<Quoted>, Option<Quoted>) {
    // ASCII lower case keeps every byte where it was.
    let lower = title.to_ascii_lowercase();
    let Some(at) = lower.rfind(" to ") else {
        return (None, None);
    };
    let Some(to) = leading_number(&title[at + 4..]) else {
        return (None, None);
    };
    // Another number after the target's: "to 45 in 3 regions" is not
    // read.
    let tail = &lower[at + 4..];
    let after_to = tail.trim_start_matches(|c: char| !c.is_whitespace());
    if after_to.chars().any(|c| c.is_ascii_digit()) {
        return (None, None);
    }
    let head = &lower[..at];
    let from = head
        .rfind("from ")
        .filter(|&f| f == 0 || head[..f].ends_with(' '))
        .and_then(|f| {
            let between = &title[f + 5..at];
            let number = leading_number(between)?;
            // Only the number and its unit lie between "from" and "to".
            let words = between.split_whitespace().count();
            (words <= 2).then_some(number)
        });
    (from, Some(to))
}

/// Metric key results of open objectives whose titles quote a start or a
/// target other than theirs.
pub(super) fn title_mismatch(cx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (_, kr) in open_key_results(cx.site).filter(|(_, kr)| kr.kind.traits().moves) {
        let (Some(start), Some(target)) = (kr.start, kr.target) else {
            continue;
        };
        let (from, to) = quoted_goal(&kr.title);
        let wrong = [("start", from, start), ("target", to, target)]
            .into_iter()
            .find(|(_, quoted, value)| quoted.is_some_and(|q| !q.says(*value)));
        let Some((key, Some(quoted), value)) = wrong else {
            continue;
        };
        out.push(
            Diagnostic::new(
                Code::TitleMismatch,
                format!(
                    "the title of `{}` says {}, but its {key} is {}",
                    kr.id,
                    format_number(quoted.value),
                    format_number(value)
                ),
            )
            .at(title_span(kr))
            .hint(format!(
                "update the title, or `{key}` if the title is right: people read the title, okra scores `{key}`"
            )),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goal(title: &str) -> (Option<f64>, Option<f64>) {
        let (from, to) = quoted_goal(title);
        (from.map(|q| q.value), to.map(|q| q.value))
    }

    #[test]
    fn titles_quote_their_start_and_target() {
        assert_eq!(
            goal("Reduce time to fix from 5.5 to 3.0 days"),
            (Some(5.5), Some(3.0))
        );
        assert_eq!(goal("Raise NPS to 45"), (None, Some(45.0)));
        assert_eq!(
            goal("Grow ARR from $1,200k to $2M"),
            (Some(1_200_000.0), Some(2e6))
        );
        assert_eq!(goal("Cut churn from 4% to 3%"), (Some(4.0), Some(3.0)));
        assert_eq!(goal("Move to 3 regions in 2 years"), (None, None));
        assert_eq!(goal("Get to v2 of the API"), (None, None));
        assert_eq!(goal("Welcome more contributors"), (None, None));
        assert_eq!(goal("From 10 customers in Oslo to 20"), (None, Some(20.0)));
    }

    #[test]
    fn a_rounded_or_percent_number_says_its_value() {
        let (_, to) = quoted_goal("Raise uptime to 99.9%");
        let to = to.unwrap();
        assert!(to.says(99.9) && to.says(0.999) && !to.says(99.0));
        let (from, _) = quoted_goal("Lift NPS from 31.6 to 45");
        assert!(from.unwrap().says(31.62) && !from.unwrap().says(31.7));
        let (_, to) = quoted_goal("Reach 10k users: from 4k to 10k");
        assert!(to.unwrap().says(10_000.0) && to.unwrap().says(10_400.0));
        // `5M` with millions as the unit.
        let (from, _) = quoted_goal("Double revenue from 5M to 10M");
        assert!(from.unwrap().says(5.0) && from.unwrap().says(5e6) && !from.unwrap().says(6.0));
    }
}
