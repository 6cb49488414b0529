//! `okra.toml`: the site's title, as-of date, lint levels and periods.

use super::fields::{Reader, Table, written_order};
use super::*;
use crate::diagnostic::{Code, Diagnostic, Levels, suggestion};
use crate::period::Period;
use crate::source::{FileId, Sources, Span};

pub(super) const CONFIG_KEYS: &[&str] = &[
    "title",
    "base_url",
    "repository",
    "as_of",
    "lint",
    "grading",
    "periods",
];

pub(super) const GRADING_KEYS: &[&str] = &["committed", "aspirational", "window_days"];

pub(super) const LINT_KEYS: &[&str] = &[
    "objectives_per_team",
    "key_results",
    "key_results_per_owner",
    "checkin_cadence",
    "allow",
    "warn",
    "deny",
    "team",
    "folder",
];

/// The words `checkin_cadence` (and a KPI's `cadence`) may be.
pub(super) const CADENCES: &[(&str, Cadence)] = &[
    ("weekly", Cadence::Weekly),
    ("fortnightly", Cadence::Fortnightly),
    ("monthly", Cadence::Monthly),
    ("quarterly", Cadence::Quarterly),
    ("yearly", Cadence::Yearly),
];

/// The keys of a `[lint.team.ID]` or `[lint.folder."PATH"]` section.
const SCOPE_KEYS: &[&str] = &["allow", "warn", "deny"];

pub(super) const PERIOD_KEYS: &[&str] = &["name", "start", "end", "ends_with"];

pub(super) fn read_config(
    sources: &Sources,
    file: FileId,
    diagnostics: &mut Vec<Diagnostic>,
) -> Config {
    let mut config = Config::default();
    let text = &sources.get(file).text;
    let (table, errors) = DeTable::parse_recoverable(text);
    if let Some(error) = errors.first() {
        let range = error.span().unwrap_or(0..0);
        diagnostics.push(
            Diagnostic::new(
                Code::TomlSyntax,
                format!("invalid TOML: {}", error.message()),
            )
            .at(Span::new(
                file,
                range.start.min(text.len())..range.end.min(text.len()),
            )),
        );
        return config;
    }
    if diagnostics.iter().any(|d| d.file == Some(file)) {
        return config;
    }
    let table = table.into_inner();
    let mut r = Reader {
        file,
        offset: 0,
        diagnostics,
    };
    let _ = r.check_keys(&table, CONFIG_KEYS, "okra.toml");
    if let Some(title) = r.text(&table, "title") {
        config.title = title.value;
    }
    config.base_url = r.web_address(&table, "base_url");
    config.repository = r.web_address(&table, "repository");
    config.as_of = r.date(&table, "as_of").map(|d| d.value);
    if let Some((_, lint)) = r.table(&table, "lint") {
        config.lint = read_lint(&mut r, lint);
    }
    if let Some((_, grading)) = r.table(&table, "grading") {
        config.grading = read_grading(&mut r, grading);
    }
    if let Some((_, periods)) = r.table(&table, "periods") {
        config.periods = read_periods(&mut r, periods);
    }
    config
}

/// The `[lint]` table: limits, and lints allowed or denied.
fn read_lint(r: &mut Reader<'_>, lint: &Table<'_>) -> LintConfig {
    let mut lint_config = LintConfig::default();
    let _ = r.check_keys(lint, LINT_KEYS, "[lint]");
    if let Some(n) = r.count(lint, "objectives_per_team") {
        lint_config.objectives_per_team = n.value;
    }
    if let Some(value) = lint.get("key_results") {
        let span = r.span(value.span());
        let range: Option<Vec<usize>> = value.get_ref().as_array().and_then(|items| {
            items
                .iter()
                .map(|i| {
                    i.get_ref()
                        .as_integer()
                        .and_then(|n| usize::from_str_radix(n.as_str(), n.radix()).ok())
                })
                .collect()
        });
        match range.as_deref() {
            Some([min, max]) if min <= max => lint_config.key_results = (*min, *max),
            _ => r.push(
                Diagnostic::new(
                    Code::BadValue,
                    "`key_results` must be `[min, max]` with min ≤ max",
                )
                .at(span)
                .hint("for example `key_results = [1, 5]`"),
            ),
        }
    }
    if let Some(n) = r.count(lint, "key_results_per_owner") {
        lint_config.key_results_per_owner = n.value;
    }
    if let Some(cadence) = r.choice(lint, "checkin_cadence", CADENCES) {
        lint_config.checkin_cadence = cadence.value;
    }
    lint_config.levels = read_levels(r, lint);
    lint_config.scopes = read_lint_scopes(r, lint);
    lint_config
}

/// The `[lint.team.ID]` and `[lint.folder."PATH"]` sections, in the order
/// written.
fn read_lint_scopes(r: &mut Reader<'_>, lint: &Table<'_>) -> Vec<LintScope> {
    let mut scopes = Vec::new();
    for key in ["team", "folder"] {
        let Some((_, sections)) = r.table(lint, key) else {
            continue;
        };
        for (name, value) in written_order(sections) {
            let name_span = r.span(name.span());
            let toml::de::DeValue::Table(section) = value.get_ref() else {
                r.push(
                    Diagnostic::new(
                        Code::WrongType,
                        format!("`[lint.{key}.{}]` must be a table", name.get_ref()),
                    )
                    .at(name_span)
                    .hint("for example `allow = [\"kr-owner\"]` under the section"),
                );
                continue;
            };
            let target = if key == "team" {
                ScopeTarget::Team(Sp::new(name.get_ref().to_string(), name_span))
            } else {
                ScopeTarget::Folder(name.get_ref().trim_matches('/').to_string())
            };
            let _ = r.check_keys(section, SCOPE_KEYS, &format!("[lint.{key}]"));
            scopes.push(LintScope {
                target,
                levels: read_levels(r, section),
            });
        }
    }
    scopes
}

/// `[grading]`: `committed = [1.0, 0.7]` and `aspirational = [0.7, 0.4]`,
/// the scores at which an ended objective is achieved and partly achieved.
fn read_grading(r: &mut Reader<'_>, table: &Table<'_>) -> Grading {
    let mut grading = Grading::default();
    let _ = r.check_keys(table, GRADING_KEYS, "[grading]");
    if let Some(days) = r.count(table, "window_days") {
        match i32::try_from(days.value) {
            Ok(window) if window <= 366 => grading.window_days = window,
            _ => r.push(
                Diagnostic::new(
                    Code::OutOfRange,
                    format!("`window_days` must be at most 366, found {}", days.value),
                )
                .at(days.span)
                .hint("give the days after a period's end in which final scores come in, such as `window_days = 14`"),
            ),
        }
    }
    for (key, slot) in [
        ("committed", &mut grading.committed),
        ("aspirational", &mut grading.aspirational),
    ] {
        let Some(value) = table.get(key) else {
            continue;
        };
        let pair: Option<Vec<f64>> = value.get_ref().as_array().and_then(|items| {
            items
                .iter()
                .map(|i| match i.get_ref() {
                    toml::de::DeValue::Float(f) => f.as_str().parse().ok(),
                    toml::de::DeValue::Integer(n) => n.as_str().parse().ok(),
                    _ => None,
                })
                .collect()
        });
        match pair.as_deref() {
            Some(&[achieved, partial])
                if (0.0..=1.0).contains(&achieved) && (0.0..=achieved).contains(&partial) =>
            {
                *slot = Thresholds { achieved, partial };
            }
            _ => r.push(
                Diagnostic::new(
                    Code::BadValue,
                    format!("`{key}` must be `[achieved, partial]`, two scores from 1 down to 0"),
                )
                .at(r.span(value.span()))
                .hint(format!(
                    "for example `{key} = {}`",
                    if key == "committed" {
                        "[1.0, 0.7]"
                    } else {
                        "[0.7, 0.4]"
                    }
                )),
            ),
        }
    }
    grading
}

/// A period's table, when its id is valid and it is a table.
fn period_table<'t>(
    r: &mut Reader<'_>,
    id: &str,
    key_span: Span,
    value: &'t toml::de::DeValue<'t>,
) -> Option<&'t Table<'t>> {
    if !crate::slug::check_period_id(id) {
        r.push(
            Diagnostic::new(Code::BadPeriod, format!("`{id}` is not a valid period id"))
                .at(key_span)
                .label(crate::slug::slug_problem(id))
                .hint(format!(
                    "period ids are letters, digits, `-` and `_`, at most {} bytes, such as `FY27-Q1`",
                    crate::slug::MAX_ID_LEN
                )),
        );
        return None;
    }
    let toml::de::DeValue::Table(period) = value else {
        r.push(
            Diagnostic::new(
                Code::WrongType,
                format!("period `{id}` must be a table with `start` and `end`"),
            )
            .at(key_span),
        );
        return None;
    };
    Some(period)
}

/// The `[periods]` table: each declared period with its dates.
fn read_periods(r: &mut Reader<'_>, periods: &Table<'_>) -> Vec<Sp<Period>> {
    let mut out = Vec::new();
    // Period ids become file names; two that differ only in case would
    // be one file on a case-insensitive disk.
    let mut folded = std::collections::HashMap::new();
    for (key, value) in written_order(periods) {
        let id = key.get_ref().to_string();
        let key_span = r.span(key.span());
        let Some(period) = period_table(r, &id, key_span, value.get_ref()) else {
            continue;
        };
        let _ = r.check_keys(period, PERIOD_KEYS, "period");
        let value_span = r.span(value.span());
        let start = r.date(period, "start");
        let start = r.require(start, period, value_span, "start", "a period", "2026-10-01");
        // A period tied to an event may leave its end out until it is known.
        let ends_with = r.text(period, "ends_with").map(|e| e.value);
        let end = r.date(period, "end");
        let written = |key: &str| {
            period.get(key).is_some()
                || period
                    .keys()
                    .any(|k| super::fields::near_miss(k.get_ref(), key))
        };
        let end = match (end, &ends_with) {
            (None, Some(_)) => Some(Sp::new(Period::UNKNOWN_END, value_span)),
            (None, None) if !written("end") && !written("ends_with") => {
                r.push(
                    Diagnostic::new(Code::MissingKey, "a period has no `end`")
                        .at(value_span)
                        .hint("add `end = 2026-12-31`, or `ends_with = \"the 2.0 release\"` for a period that ends with an event whose date is not known yet"),
                );
                None
            }
            (end, _) => end,
        };
        // Native names are upper-case, so this also catches `2026-q3`.
        if Period::native(&id.to_ascii_uppercase()).is_some() {
            r.push(
                Diagnostic::new(
                    Code::BadPeriod,
                    format!("`{id}` is a built-in period and cannot be redeclared"),
                )
                .at(key_span)
                .hint("choose another name, such as `FY27-Q1`"),
            );
            continue;
        }
        if let (Some(start), Some(end)) = (start, end) {
            if end.value < start.value {
                r.push(
                    Diagnostic::new(
                        Code::BadPeriod,
                        format!(
                            "period `{id}` ends ({}) before it starts ({})",
                            end.value, start.value
                        ),
                    )
                    .at(end.span)
                    .related(start.span, "starts here"),
                );
                continue;
            }
            if let Some(first) = folded.insert(id.to_ascii_lowercase(), key_span) {
                r.push(
                    Diagnostic::new(
                        Code::BadPeriod,
                        format!("period `{id}` differs from another only in case"),
                    )
                    .at(key_span)
                    .related(first, "declared here"),
                );
                continue;
            }
            out.push(Sp::new(
                Period {
                    id,
                    name: r.text(period, "name").map(|n| n.value),
                    start: start.value,
                    end: end.value,
                    ends_with,
                },
                key_span,
            ));
        }
    }
    out
}

/// A `[lint]` section's `allow`, `warn` and `deny`.
fn read_levels(r: &mut Reader<'_>, section: &Table<'_>) -> Levels {
    Levels {
        allow: read_lint_codes(r, section, "allow"),
        warn: read_lint_codes(r, section, "warn"),
        deny: read_lint_codes(r, section, "deny"),
    }
}

pub(super) fn read_lint_codes(r: &mut Reader<'_>, lint: &Table<'_>, key: &str) -> Vec<Code> {
    let mut codes = Vec::new();
    for name in r.strings(lint, key) {
        match Code::from_name(&name.value) {
            Some(code) if code.is_lint() => codes.push(code),
            Some(_) => r.push(
                Diagnostic::new(
                    Code::UnknownLint,
                    format!(
                        "`{}` is an error, not a lint, and cannot be silenced or promoted",
                        name.value
                    ),
                )
                .at(name.span),
            ),
            None => {
                let lints = Code::ALL.iter().filter(|c| c.is_lint()).map(|c| c.as_str());
                let hint = suggestion(&name.value, lints);
                r.push(
                    Diagnostic::new(Code::UnknownLint, format!("unknown lint `{}`", name.value))
                        .at(name.span)
                        .maybe_hint(hint),
                );
            }
        }
    }
    codes
}
