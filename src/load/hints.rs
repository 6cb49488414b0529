//! Hints, in okra's words, for the TOML mistakes people make most often in
//! front matter: dates as `12/01/2026` or `20.11.2026`, percentages as
//! `70%`, decimal commas, unquoted text and YAML front matter.

/// A hint for a TOML syntax error on `line` (the whole line, as written).
pub(super) fn toml_hint(line: &str) -> Option<String> {
    let (key, value) = line.split_once('=')?;
    let (key, value) = (key.trim(), value.trim());
    let value = value.split(" #").next().unwrap_or(value).trim();
    if let Some(hint) = date_hint(key, value) {
        return Some(hint);
    }
    if let Some(number) = value.strip_suffix('%') {
        if let Ok(n) = number.trim().parse::<f64>() {
            if SHARES.contains(&key) {
                return Some(format!(
                    "write a share from 0 to 1: `{key} = {}`, or the percentage as text: `{key} = \"{}%\"`",
                    n / 100.0,
                    number.trim()
                ));
            }
            let n = number.trim();
            return Some(format!(
                "write a percentage as a number: `{key} = {n}` with `unit = \"%\"`"
            ));
        }
    }
    if is_digits_with(value, ',') {
        let thousands = value
            .split(',')
            .skip(1)
            .all(|group| group.len() == 3 && group.bytes().all(|b| b.is_ascii_digit()));
        return Some(if thousands {
            format!(
                "write numbers without separators: `{key} = {}`",
                value.replace(',', "")
            )
        } else {
            format!(
                "use a dot for decimals: `{key} = {}`",
                value.replacen(',', ".", 1)
            )
        });
    }
    let bare = !value.is_empty()
        && !value.starts_with(['"', '\'', '[', '{'])
        && value.parse::<f64>().is_err()
        && !matches!(value, "true" | "false");
    if bare && DATES.contains(&key) {
        return Some(format!(
            "write the date as YYYY-MM-DD without quotes, such as `{key} = 2026-09-30`"
        ));
    }
    bare.then(|| format!("put text in quotes: `{key} = \"{value}\"`"))
}

/// Keys whose values are shares from 0 to 1, which a percentage in text
/// also gives.
const SHARES: &[&str] = &["confidence", "progress", "score", "grade"];

/// Keys whose values are dates only.
const DATES: &[&str] = &["due", "date", "as_of"];

/// A hint for a date written with slashes or dots.
fn date_hint(key: &str, value: &str) -> Option<String> {
    let separator = if is_digits_with(value, '/') {
        '/'
    } else if is_digits_with(value, '-') && value.matches('-').count() == 2 {
        '-'
    } else if is_digits_with(value, '.') && value.matches('.').count() == 2 {
        '.'
    } else {
        return None;
    };
    let parts: Vec<&str> = value.split(separator).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    // A date that does not exist becomes the nearest that does: the last
    // day of its month.
    let iso = |y: &str, m: &str, d: &str| real_date(y, m, d);
    let example = match (a.len(), c.len(), separator) {
        (4, _, _) => iso(a, b, c),
        // 20.11.2026 is day, month, year wherever dots are written.
        (_, 4, '.') => iso(c, b, a),
        // 12/01/2026 is December 1st in some places, January 12th in others.
        (_, 4, _) if a != b => {
            let real = |date: Option<(String, bool)>| date.filter(|(_, moved)| !moved);
            let (first, second) = (real(iso(c, a, b)), real(iso(c, b, a)));
            return Some(match (first.map(|d| d.0), second.map(|d| d.0)) {
                (Some(first), Some(second)) => format!(
                    "write dates as YYYY-MM-DD without quotes: `{key} = {first}` or `{key} = {second}`"
                ),
                (Some(one), None) | (None, Some(one)) => {
                    format!("write dates as YYYY-MM-DD without quotes: `{key} = {one}`")
                }
                (None, None) => return None,
            });
        }
        (_, 4, _) => iso(c, a, b),
        _ => return None,
    };
    let (example, moved) = example?;
    if moved {
        // A day the calendar lacks.
        return Some(format!(
            "that day does not exist; the last of its month is `{key} = {example}`"
        ));
    }
    Some(format!(
        "write dates as YYYY-MM-DD without quotes: `{key} = {example}`"
    ))
}

/// `y-m-d` as a date that exists, and whether its day had to be brought
/// within its month; `None` for a month that is not one.
fn real_date(y: &str, m: &str, d: &str) -> Option<(String, bool)> {
    let (year, month, day): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let last = crate::date::days_in_month(year, month);
    (last > 0 && day > 0).then(|| {
        let date = format!("{year:04}-{month:02}-{:02}", day.min(last));
        (date, day > last)
    })
}

/// Whether `value` is digits with at least one `separator` between them.
fn is_digits_with(value: &str, separator: char) -> bool {
    value.contains(separator)
        && value
            .split(separator)
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

/// A hint for front matter that is YAML between `---` lines.
pub(super) fn yaml_hint(first_line: &str) -> Option<&'static str> {
    (first_line.trim_end() == "---").then_some(
        "okra reads TOML front matter between `+++` lines: replace both `---` lines with `+++` and write `key = \"value\"` instead of `key: value`",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_mistakes_get_a_hint() {
        let cases = [
            (
                "due = 12/01/2026",
                "write dates as YYYY-MM-DD without quotes: `due = 2026-12-01` or `due = 2026-01-12`",
            ),
            (
                "due = 20.11.2026",
                "write dates as YYYY-MM-DD without quotes: `due = 2026-11-20`",
            ),
            (
                "due = 2026/11/20",
                "write dates as YYYY-MM-DD without quotes: `due = 2026-11-20`",
            ),
            (
                "target = 70%",
                "write a percentage as a number: `target = 70` with `unit = \"%\"`",
            ),
            ("start = 1,5", "use a dot for decimals: `start = 1.5`"),
            (
                "due = 2026-8-1",
                "write dates as YYYY-MM-DD without quotes: `due = 2026-08-01`",
            ),
            (
                "target = 10,000",
                "write numbers without separators: `target = 10000`",
            ),
            ("title = Grow", "put text in quotes: `title = \"Grow\"`"),
        ];
        for (line, hint) in cases {
            assert_eq!(toml_hint(line).as_deref(), Some(hint), "{line}");
        }
        assert_eq!(toml_hint("target = 7"), None);
        assert_eq!(toml_hint("[[key_results]]"), None);
        assert!(yaml_hint("---").is_some() && yaml_hint("+++").is_none());
    }
}
