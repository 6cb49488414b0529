//! Typed reading of spanned TOML tables.
//!
//! [`Reader`] takes values out of a parsed front matter (or `okra.toml`)
//! one key at a time. A wrong type, an unknown key or a missing required key
//! becomes a diagnostic at the value's position in the file, and reading goes
//! on, so one run reports every problem of a file.

use crate::slug::{MAX_ID_LEN, check_slug, slug_problem, slugify};
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::source::{FileId, Span};

/// A value with the place it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Sp<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Sp<T> {
    pub fn new(value: T, span: Span) -> Sp<T> {
        Sp { value, span }
    }
}

pub type Table<'i> = DeTable<'i>;

/// A table's key and value, each with its place.
pub type Entry<'t, 'i> = (
    &'t Spanned<std::borrow::Cow<'i, str>>,
    &'t Spanned<DeValue<'i>>,
);

/// The entries of a table in the order they are written. Tables keep
/// their keys sorted, which is faster to build than keeping the order;
/// whatever reports keys one by one, or takes the first of them, reads
/// them as the author wrote them.
pub fn written_order<'t, 'i>(table: &'t Table<'i>) -> Vec<Entry<'t, 'i>> {
    let mut entries: Vec<Entry<'t, 'i>> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

/// Reads values of one file, collecting diagnostics.
pub struct Reader<'d> {
    pub file: FileId,
    /// Byte offset of the TOML fragment in the file.
    pub offset: usize,
    pub diagnostics: &'d mut Vec<Diagnostic>,
}

impl Reader<'_> {
    /// A span in the file from a range in the TOML fragment.
    pub fn span(&self, range: Range<usize>) -> Span {
        Span::new(
            self.file,
            range.start + self.offset..range.end + self.offset,
        )
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Reports every key of `table` that is not in `allowed`.
    /// Reports every key of `table` that is not `allowed`, and returns
    /// their names.
    pub fn check_keys(&mut self, table: &Table<'_>, allowed: &[&str], what: &str) -> Vec<String> {
        let mut unknown = Vec::new();
        for (key, _) in written_order(table) {
            let name: &str = key.get_ref();
            if allowed.contains(&name) {
                continue;
            }
            unknown.push(name.to_string());
            let meant = key_synonym(name)
                .filter(|meant| allowed.contains(meant) && table.get(*meant).is_none())
                .map(|meant| format!("rename it `{meant}`: that is the {what} key for it"));
            let hint = meant
                .or_else(|| suggestion(name, allowed.iter().copied()))
                .unwrap_or_else(|| format!("{what} keys are: {}", in_backticks(allowed)));
            let diagnostic =
                Diagnostic::new(Code::UnknownKey, format!("unknown {what} key `{name}`"))
                    .at(self.span(key.span()))
                    .label("not a known key")
                    .hint(hint);
            self.push(diagnostic);
        }
        unknown
    }

    fn wrong_type(&mut self, key: &str, value: &Spanned<DeValue<'_>>, expected: &str) {
        let found = value.get_ref().type_str();
        let mut diagnostic = Diagnostic::new(
            Code::WrongType,
            format!("`{key}` must be {expected}, found {found}"),
        )
        .at(self.span(value.span()))
        .label(format!("expected {expected}"));
        let text = value.get_ref().as_str().map(str::trim);
        if let Some(date) = text.filter(|_| expected == "a date").and_then(Date::parse) {
            diagnostic = diagnostic.hint(format!(
                "write dates without quotes, as TOML dates: `{key} = {date}`"
            ));
        } else if let Some(text) = text.filter(|_| expected.contains("number")) {
            let percent = text.strip_suffix('%').map(str::trim);
            if text.parse::<f64>().is_ok() {
                diagnostic = diagnostic.hint(format!("remove the quotes: `{key} = {text}`"));
            } else if let Some(n) = percent.filter(|n| n.parse::<f64>().is_ok()) {
                diagnostic = diagnostic.hint(format!(
                    "write the number without quotes and the unit apart: `{key} = {n}` with `unit = \"%\"`"
                ));
            }
        }
        self.push(diagnostic);
    }

    /// A string value.
    pub fn string(&mut self, table: &Table<'_>, key: &str) -> Option<Sp<String>> {
        let value = table.get(key)?;
        match value.get_ref() {
            DeValue::String(text) => Some(Sp::new(text.to_string(), self.span(value.span()))),
            _ => {
                self.wrong_type(key, value, "a string");
                None
            }
        }
    }

    /// A string that must not be blank.
    pub fn text(&mut self, table: &Table<'_>, key: &str) -> Option<Sp<String>> {
        let text = self.string(table, key)?;
        if text.value.trim().is_empty() {
            self.push(
                Diagnostic::new(Code::BadValue, format!("`{key}` must not be empty")).at(text.span),
            );
            return None;
        }
        Some(text)
    }

    /// A slug: an id or a reference to one.
    pub fn id(&mut self, table: &Table<'_>, key: &str) -> Option<Sp<String>> {
        let id = self.string(table, key)?;
        self.valid_id(id)
    }

    /// One id or a list of them (`parent = "a"` or `parent = ["a", "b"]`),
    /// in the order written; an invalid one is reported and left out.
    pub fn ids(&mut self, table: &Table<'_>, key: &str) -> Vec<Sp<String>> {
        let Some(value) = table.get(key) else {
            return Vec::new();
        };
        if let DeValue::Array(_) = value.get_ref() {
            let ids = self.strings(table, key);
            return ids.into_iter().filter_map(|id| self.valid_id(id)).collect();
        }
        self.id(table, key).into_iter().collect()
    }

    fn valid_id(&mut self, id: Sp<String>) -> Option<Sp<String>> {
        if check_slug(&id.value) {
            Some(id)
        } else {
            let hint = format!(
                "ids are lower-case slugs of at most {MAX_ID_LEN} bytes, such as `{}`",
                slugify(&id.value)
            );
            self.push(
                Diagnostic::new(Code::BadId, format!("`{}` is not a valid id", id.value))
                    .at(id.span)
                    .label(slug_problem(&id.value))
                    .hint(hint),
            );
            None
        }
    }

    /// A number: an integer or a finite float.
    pub fn number(&mut self, table: &Table<'_>, key: &str) -> Option<Sp<f64>> {
        let value = table.get(key)?;
        let number = match value.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .ok()
                .map(|n| n as f64),
            DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
            _ => {
                self.wrong_type(key, value, "a number");
                return None;
            }
        };
        match number {
            Some(n) if in_magnitude(n) => Some(Sp::new(n, self.span(value.span()))),
            _ => {
                self.push(
                    Diagnostic::new(
                        Code::OutOfRange,
                        format!("`{key}` must be a number between -{MAX_MAGNITUDE:e} and {MAX_MAGNITUDE:e}"),
                    )
                    .at(self.span(value.span()))
                    .hint("okra computes differences and ratios of values; larger ones would overflow"),
                );
                None
            }
        }
    }

    /// A non-negative integer.
    pub fn count(&mut self, table: &Table<'_>, key: &str) -> Option<Sp<usize>> {
        let value = table.get(key)?;
        match value.get_ref() {
            DeValue::Integer(i) => match usize::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => Some(Sp::new(n, self.span(value.span()))),
                Err(_) => {
                    self.push(
                        Diagnostic::new(
                            Code::OutOfRange,
                            format!("`{key}` must be a whole number of at least 0"),
                        )
                        .at(self.span(value.span())),
                    );
                    None
                }
            },
            _ => {
                self.wrong_type(key, value, "a whole number");
                None
            }
        }
    }

    pub fn boolean(&mut self, table: &Table<'_>, key: &str) -> Option<Sp<bool>> {
        let value = table.get(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(Sp::new(*b, self.span(value.span()))),
            _ => {
                self.wrong_type(key, value, "`true` or `false`");
                None
            }
        }
    }

    /// A date without a time.
    pub fn date(&mut self, table: &Table<'_>, key: &str) -> Option<Sp<Date>> {
        let value = table.get(key)?;
        let span = self.span(value.span());
        match value.get_ref() {
            DeValue::Datetime(datetime) => {
                let date = match (datetime.date, datetime.time) {
                    (Some(date), None) => Date::from_ymd(
                        i32::from(date.year),
                        u32::from(date.month),
                        u32::from(date.day),
                    ),
                    _ => None,
                };
                if date.is_none() {
                    self.push(
                        Diagnostic::new(
                            Code::BadDate,
                            format!("`{key}` must be a date such as 2026-08-15"),
                        )
                        .at(span)
                        .label("not a plain date")
                        .hint("write only the day, without a time or offset: `2026-08-15`"),
                    );
                }
                date.map(|d| Sp::new(d, span))
            }
            _ => {
                self.wrong_type(key, value, "a date");
                None
            }
        }
    }

    /// One of a fixed set of words; another tool's word for one of them
    /// gets a hint naming it.
    pub fn choice<T: Copy>(
        &mut self,
        table: &Table<'_>,
        key: &str,
        options: &[(&str, T)],
    ) -> Option<Sp<T>> {
        let text = self.string(table, key)?;
        if let Some((_, value)) = options.iter().find(|(name, _)| *name == text.value) {
            return Some(Sp::new(*value, text.span));
        }
        let names: Vec<&str> = options.iter().map(|(name, _)| *name).collect();
        let meant = synonym(&text.value)
            .filter(|meant| names.contains(meant))
            .map(|meant| format!("write `{key} = \"{meant}\"`"));
        let hint = meant
            .or_else(|| suggestion(&text.value, names.iter().copied()))
            .unwrap_or_else(|| format!("use one of {}", in_backticks(&names)));
        self.push(
            Diagnostic::new(
                Code::BadValue,
                format!("`{}` is not a valid `{key}`", text.value),
            )
            .at(text.span)
            .hint(hint),
        );
        None
    }

    /// A share set by hand (a score, a grade, a confidence or a
    /// milestone's progress): a number from 0 to 1 (0.7), or a percentage
    /// written as text ("70%").
    pub fn score(&mut self, table: &Table<'_>, key: &str) -> Option<Sp<f64>> {
        let value = table.get(key)?;
        let span = self.span(value.span());
        let written = match value.get_ref() {
            DeValue::Integer(i) => i.as_str().parse::<f64>().ok(),
            DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
            _ => None,
        };
        // 70 for 70 %: the share it means.
        let hint = match written.filter(|n| (1.0..=100.0).contains(n)) {
            Some(n) => format!(
                "write a share from 0 to 1: `{key} = {}`, or a percentage as text: `{key} = \"{n}%\"`",
                n / 100.0
            ),
            None => format!(
                "write a share from 0 to 1, such as `{key} = 0.7`, or a percentage as text: `{key} = \"70%\"`"
            ),
        };
        let read = match value.get_ref() {
            DeValue::String(text) => text
                .trim()
                .strip_suffix('%')
                .and_then(|n| n.trim().parse::<f64>().ok())
                .filter(|n| (0.0..=100.0).contains(n))
                .map(|n| n / 100.0),
            DeValue::Integer(_) | DeValue::Float(_) => self
                .number(table, key)
                .map(|n| n.value)
                .filter(|n| (0.0..=1.0).contains(n)),
            _ => {
                self.wrong_type(key, value, "a number from 0 to 1 or a percentage");
                return None;
            }
        };
        if read.is_none() {
            self.push(
                Diagnostic::new(
                    Code::OutOfRange,
                    match written {
                        Some(n) => format!(
                            "`{key}` must be from 0 to 1, or a percentage from 0% to 100%, found {n}"
                        ),
                        None => format!(
                            "`{key}` must be from 0 to 1, or a percentage from 0% to 100%"
                        ),
                    },
                )
                .at(span)
                .hint(hint),
            );
        }
        read.map(|n| Sp::new(n, span))
    }

    /// Links to work items: `http` and `https` URLs only.
    pub fn links(&mut self, table: &Table<'_>, key: &str) -> Vec<String> {
        let mut out = Vec::new();
        for link in self.strings(table, key) {
            let url = link.value.trim();
            if is_web_address(url) {
                out.push(url.to_string());
            } else {
                self.push(
                    Diagnostic::new(
                        Code::BadValue,
                        format!("`{}` is not an http or https link", link.value),
                    )
                    .at(link.span)
                    .hint("link to a work item with its full address: `https://…`"),
                );
            }
        }
        out
    }

    /// A web address (`repository`, `base_url`): `http` or `https`, with a
    /// host.
    pub fn web_address(&mut self, table: &Table<'_>, key: &str) -> Option<String> {
        let text = self.string(table, key)?;
        let url = text.value.trim().trim_end_matches('/');
        if is_web_address(url) {
            return Some(url.to_string());
        }
        let example = match key {
            "base_url" => "https://intranet.example/okrs/",
            _ => "https://github.com/acme/okrs",
        };
        self.push(
            Diagnostic::new(
                Code::BadValue,
                format!("`{key}` must be an http or https address with a host"),
            )
            .at(text.span)
            .hint(format!("for example `{example}`")),
        );
        None
    }

    /// An array of strings.
    pub fn strings(&mut self, table: &Table<'_>, key: &str) -> Vec<Sp<String>> {
        let Some(value) = table.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, value, "an array of strings");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(text) => {
                    out.push(Sp::new(text.to_string(), self.span(item.span())))
                }
                _ => self.wrong_type(key, item, "a string"),
            }
        }
        out
    }

    /// A (possibly inline) table.
    pub fn table<'t, 'i>(
        &mut self,
        table: &'t Table<'i>,
        key: &str,
    ) -> Option<(Span, &'t Table<'i>)> {
        let value = table.get(key)?;
        match value.get_ref() {
            DeValue::Table(inner) => Some((self.span(value.span()), inner)),
            _ => {
                self.wrong_type(key, value, "a table");
                None
            }
        }
    }

    /// An array of tables (`[[key]]` or an array of inline tables).
    pub fn tables<'t, 'i>(
        &mut self,
        table: &'t Table<'i>,
        key: &str,
    ) -> Vec<(Span, &'t Table<'i>)> {
        let Some(value) = table.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, value, "an array of tables");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(inner) => out.push((self.span(item.span()), inner)),
                _ => self.wrong_type(key, item, "a table"),
            }
        }
        out
    }

    /// Reports a missing required key and passes the value through.
    pub fn require<T>(
        &mut self,
        value: Option<T>,
        table: &Table<'_>,
        at: Span,
        key: &str,
        what: &str,
        example: &str,
    ) -> Option<T> {
        // `titel = …` is reported as an unknown key; its `title` is not
        // missing too.
        let missing = value.is_none()
            && table.get(key).is_none()
            && !table.keys().any(|k| near_miss(k.get_ref(), key));
        if missing {
            self.push(
                Diagnostic::new(Code::MissingKey, format!("{what} has no `{key}`"))
                    .at(at)
                    .hint(format!("add `{key} = {example}`")),
            );
        }
        value
    }
}

/// Whether `written` looks like a misspelling of the key `key`: a letter
/// or two off, or another case.
pub fn near_miss(written: &str, key: &str) -> bool {
    // Lengths further apart than the allowed distance cannot be near.
    let allowed = (key.len() / 3).max(1);
    if written.len().abs_diff(key.len()) > allowed || written == key {
        return false;
    }
    let written = written.to_lowercase();
    written != key && strsim::damerau_levenshtein(&written, key) <= allowed
}

/// The largest magnitude of a value okra accepts. Scores and charts take
/// differences, sums and ratios of values, which stay finite and exact
/// enough below this (a quadrillion: more than any count or amount of money
/// an OKR names).
pub const MAX_MAGNITUDE: f64 = 1e15;

/// Whether `n` is a finite number okra can compute with.
pub fn in_magnitude(n: f64) -> bool {
    n.is_finite() && n.abs() <= MAX_MAGNITUDE
}

/// Whether `url` is a whole `http` or `https` address, without spaces or
/// control characters.
pub fn is_web_address(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]_".contains(&b))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The path of a web address, with the slash it ends in: `/okrs/` for
/// `https://intranet.example/okrs`. The address must pass
/// [`is_web_address`]; a query or fragment is dropped.
pub fn web_path(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = rest
        .find('/')
        .map_or("", |at| &rest[at..])
        .split(['?', '#'])
        .next()
        .unwrap_or("");
    let mut path = path.trim_end_matches('/').to_string();
    path.push('/');
    path
}

/// `` `a`, `b`, `c` ``: the words a hint offers.
fn in_backticks(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Words other OKR tools and spreadsheets use for okra's fixed values, and
/// the value each means: `avg` for `mean`, `stretch` for `aspirational`.
/// A hint names the value only where the key offers it.
const SYNONYMS: &[(&[&str], &str)] = &[
    (&["avg", "average"], "mean"),
    (&["total", "add"], "sum"),
    (&["up", "increase", "rising", "higher-is-better"], "higher"),
    (&["down", "decrease", "falling", "lower-is-better"], "lower"),
    (&["biweekly", "bi-weekly", "every-two-weeks"], "fortnightly"),
    (&["annual", "annually"], "yearly"),
    (
        &["internal", "hidden", "secret", "restricted", "confidential"],
        "private",
    ),
    (&["open"], "public"),
    (&["stretch", "moonshot", "aspiration"], "aspirational"),
    (&["commit", "roofshot"], "committed"),
    (&["experiment", "experimental"], "learning"),
    (&["number", "numeric", "kpi"], "metric"),
    (&["task", "deliverable", "binary", "boolean"], "milestone"),
    (&["guardrail", "threshold"], "health"),
    (&["manual", "graded", "grade"], "scored"),
    (&["qualitative", "outcome"], "status"),
    (&["org", "organisation", "organization"], "company"),
    (&["division"], "department"),
    (&["squad", "group"], "team"),
    (&["individual", "member"], "person"),
];

/// The value `written` means where okra has a word of its own for it.
fn synonym(written: &str) -> Option<&'static str> {
    meant_by(SYNONYMS, written)
}

/// Keys other OKR tools and templates use, and okra's key for each: a
/// KPI's `title` is its `name`, an objective's `name` its `title`.
const KEY_SYNONYMS: &[(&[&str], &str)] = &[
    (&["title"], "name"),
    (&["name", "objective", "summary"], "title"),
    (&["baseline", "from", "initial"], "start"),
    (&["goal", "to"], "target"),
    (&["actual", "value", "now"], "current"),
    (&["deadline", "due_date", "duedate", "date_due"], "due"),
    (&["quarter", "cycle", "timeframe"], "period"),
    (&["assignee", "responsible", "accountable"], "owner"),
    (&["aligned_to", "aligns_to", "supports"], "parent"),
    (&["final_score", "final_grade"], "grade"),
    (&["retro", "lessons", "learnings"], "retrospective"),
    (&["labels"], "tags"),
];

/// okra's key for `written`, where it has one.
fn key_synonym(written: &str) -> Option<&'static str> {
    meant_by(KEY_SYNONYMS, written)
}

/// What `written` stands for in `synonyms`, whatever its case and however
/// its words are joined (`due_date`, `Due date`, `due-date`).
fn meant_by(synonyms: &[(&[&str], &'static str)], written: &str) -> Option<&'static str> {
    let bare = |word: &str| -> String {
        word.chars()
            .filter(|c| !matches!(c, ' ' | '_' | '-'))
            .flat_map(char::to_lowercase)
            .collect()
    };
    let written = bare(written);
    synonyms
        .iter()
        .find(|(words, _)| words.iter().any(|w| bare(w) == written))
        .map(|&(_, meant)| meant)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_addresses_have_a_host() {
        for ok in [
            "https://intranet.example",
            "http://okrs.internal:8080/q3",
            "https://[::1]/okrs",
        ] {
            assert!(is_web_address(ok), "{ok}");
        }
        for bad in [
            "data:text/javascript,alert(1)//",
            "javascript:alert(1)//",
            "https:///path",
            "https://",
            "https://user@host/",
            "https://ho st/",
            "https://host\\evil/",
            "//other.host/",
            "/okrs",
        ] {
            assert!(!is_web_address(bad), "{bad}");
        }
        assert_eq!(web_path("https://intranet.example"), "/");
        assert_eq!(web_path("https://intranet.example/okrs/"), "/okrs/");
        assert_eq!(web_path("https://intranet.example/a/b?x=1#y"), "/a/b/");
    }
}
