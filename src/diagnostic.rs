//! Diagnostics: every problem okra finds in a site, as data.
//!
//! Loading, model building and validation push [`Diagnostic`]s into a list
//! instead of failing; the list is then filtered by the `[lint]` settings,
//! sorted and rendered like a compiler's messages, as JSON, or as GitHub
//! Actions workflow commands.

pub mod explain;
mod render;
mod sarif;
mod suggest;

use render::shown;
pub use render::{JsonDiagnostic, render_github, render_human, render_json};
pub use sarif::render_sarif;
pub use suggest::{did_you_mean, reset_suggestion_budget, suggestion};

use std::fmt::Write as _;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use crate::source::{FileId, SourceFile, Sources, Span};

macro_rules! codes {
    ($( $(#[doc = $doc:literal])* $name:ident = $text:literal, $kind:ident; )*) => {
        /// The stable code of a diagnostic, as users see it (`unknown-parent`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( $(#[doc = $doc])* $name, )*
        }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[$(Code::$name),*];

            /// The kebab-case name shown in messages and used in `[lint]`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$name => $text,)* }
            }

            /// Whether this is a lint: a warning that `[lint] allow` silences
            /// and `[lint] deny` promotes to an error.
            pub fn is_lint(self) -> bool {
                match self { $(Code::$name => codes!(@lint $kind),)* }
            }

            /// Whether this is a lint that is off until `[lint] warn` or
            /// `deny` names it.
            pub fn is_opt_in(self) -> bool {
                match self { $(Code::$name => codes!(@opt_in $kind),)* }
            }

            /// One line on what the code means.
            pub fn description(self) -> &'static str {
                match self { $(Code::$name => concat!($($doc),*).trim_ascii(),)* }
            }

            /// The code named `text`, if there is one.
            pub fn from_name(text: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|code| code.as_str() == text)
            }
        }
    };
    (@lint error) => { false };
    (@lint lint) => { true };
    (@lint opt_in) => { true };
    (@opt_in opt_in) => { true };
    (@opt_in $other:ident) => { false };
}

codes! {
    /// A file or folder could not be read.
    UnreadableFile = "unreadable-file", error;
    /// A file is not valid UTF-8.
    NotUtf8 = "not-utf8", error;
    /// A Markdown file does not start with `+++` front matter.
    MissingFrontMatter = "missing-front-matter", error;
    /// The front matter has no closing `+++` line.
    UnterminatedFrontMatter = "unterminated-front-matter", error;
    /// The front matter or `okra.toml` is not valid TOML.
    TomlSyntax = "toml-syntax", error;
    /// A key that okra does not know (a typo would silently drop data).
    UnknownKey = "unknown-key", error;
    /// A value of the wrong type (a string where a number belongs).
    WrongType = "wrong-type", error;
    /// A required key is missing.
    MissingKey = "missing-key", error;
    /// An id that is not a slug (`[a-z0-9][a-z0-9_-]*`).
    BadId = "bad-id", error;
    /// A date that does not exist or is not `YYYY-MM-DD`.
    BadDate = "bad-date", error;
    /// A custom period whose dates are out of order.
    BadPeriod = "bad-period", error;
    /// A period that is neither native nor declared in `okra.toml`.
    UnknownPeriod = "unknown-period", error;
    /// A value outside the allowed set (`direction = "up"`) or empty.
    BadValue = "bad-value", error;
    /// A number outside its range (`confidence = 1.5`, `weight = 0`).
    OutOfRange = "out-of-range", error;
    /// Two documents of one kind, or two key results of one objective, share an id.
    DuplicateId = "duplicate-id", error;
    /// Two measurements of one KPI on the same date.
    DuplicateMeasurement = "duplicate-measurement", error;
    /// A reference to a team that does not exist.
    UnknownTeam = "unknown-team", error;
    /// An objective aligns to an objective that does not exist.
    UnknownParent = "unknown-parent", error;
    /// A reference to a KPI that does not exist.
    UnknownKpi = "unknown-kpi", error;
    /// A Markdown link to a `.md` file that is not a document of the site.
    BrokenLink = "broken-link", error;
    /// Teams whose parents form a cycle.
    TeamCycle = "team-cycle", error;
    /// Objectives whose parents form a cycle.
    ObjectiveCycle = "objective-cycle", error;
    /// A child objective whose period is not within its parent's.
    PeriodNotWithinParent = "period-not-within-parent", error;
    /// A key result whose keys do not say which kind it is.
    AmbiguousKind = "ambiguous-kind", error;
    /// A key result with keys that belong to another kind.
    KindConflict = "kind-conflict", error;
    /// A metric key result without a target.
    MissingTarget = "missing-target", error;
    /// A metric key result without a start value and no KPI to take it from.
    MissingStart = "missing-start", error;
    /// A metric key result whose start equals its target.
    StartEqualsTarget = "start-equals-target", error;
    /// A health key result without `min` or `max`.
    HealthWithoutBounds = "health-without-bounds", error;
    /// A key result with both `current` and check-ins.
    CurrentWithCheckins = "current-with-checkins", error;
    /// An objective (visible to all) exposes a private KPI.
    PrivateKpiExposed = "private-kpi-exposed", error;
    /// A row of a KPI's CSV data file is malformed.
    BadCsv = "bad-csv", error;
    /// Two KPIs read one data file, or a private KPI's data lies in `static/`.
    SharedData = "shared-data", error;
    /// A team has more objectives in a period than `[lint] objectives_per_team`.
    TooManyObjectives = "too-many-objectives", lint;
    /// An objective's key-result count is outside `[lint] key_results`.
    KeyResultCount = "key-result-count", lint;
    /// Every key result of an objective is a milestone: tasks, not outcomes.
    AllMilestones = "all-milestones", lint;
    /// An objective of a non-root team aligns to nothing.
    UnalignedObjective = "unaligned-objective", lint;
    /// An objective aligns to one owned outside its team's chain of parents.
    AlignmentOutsideChain = "alignment-outside-chain", lint;
    /// A KPI's latest measurement is older than its cadence.
    StaleKpi = "stale-kpi", lint;
    /// A metric or health key result has no current value.
    NoCurrentValue = "no-current-value", lint;
    /// A milestone is past due and not done.
    OverdueMilestone = "overdue-milestone", lint;
    /// A check-in dated after its objective's period ended: it does not
    /// count toward the grade.
    CheckinAfterPeriod = "checkin-after-period", lint;
    /// A check-in dated after the as-of date: it does not count yet.
    CheckinAfterAsOf = "checkin-after-as-of", lint;
    /// Key results without ids were inserted, removed or reordered, so
    /// their ids by place (`kr2`) now name other key results (found by
    /// `okra diff`).
    KeyResultIds = "key-result-ids", lint;
    /// A metric key result phrased as an activity or output ("Launch …")
    /// rather than the outcome it should cause.
    KrIsTask = "kr-is-task", lint;
    /// A metric key result whose title quotes a start or target other
    /// than its `start` or `target` ("from 5.5 to 3.0" over `target = 3.5`).
    TitleMismatch = "title-mismatch", lint;
    /// A roll-up key result that no objective serves: it can never have
    /// data.
    EmptyRollup = "empty-rollup", lint;
    /// A key result whose target its KPI has already reached, or that lies
    /// inside the KPI's healthy band: business as usual, not a change.
    BusinessAsUsualKr = "business-as-usual-kr", lint;
    /// A team that scores 100% on aspirational objectives, or opens its
    /// periods nearly certain, period after period.
    Sandbagging = "sandbagging", lint;
    /// A key result with no owner in a team of several people, or an owner
    /// carrying more key results in a period than `[lint] key_results_per_owner`.
    KrOwner = "kr-owner", lint;
    /// An objective that pushes numbers up with no health key result or
    /// counter-metric beside them (opt-in: `[lint] warn`).
    UnpairedKr = "unpaired-kr", opt_in;
    /// A milestone of a running or coming period with no `due` date.
    MilestoneWithoutDue = "milestone-without-due", lint;
    /// A key result reported through check-ins whose latest check-in is
    /// older than `[lint] checkin_cadence`.
    StaleCheckin = "stale-checkin", lint;
    /// A key result's target or start changed after its period began
    /// (found in git history by `--history`).
    GoalpostsMovedAfterStart = "goalposts-moved-after-start", lint;
    /// `[lint] allow`, `warn` or `deny` names a code that is not a lint.
    UnknownLint = "unknown-lint", lint;
}

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem in a site.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// The file the problem is in, when it is in one.
    pub file: Option<FileId>,
    /// The offending value, when the problem has a position.
    pub span: Option<Span>,
    pub message: String,
    /// A short label under the caret.
    pub label: Option<String>,
    /// A suggestion: "did you mean …", or what to write instead.
    pub hint: Option<String>,
    /// Further places that explain the problem (the other duplicate).
    pub related: Vec<(Span, String)>,
    /// Further lines of explanation (the whole cycle).
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// A diagnostic with the severity its code has by default.
    pub fn new(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: if code.is_lint() {
                Severity::Warning
            } else {
                Severity::Error
            },
            file: None,
            span: None,
            message: shown(message.into()),
            label: None,
            hint: None,
            related: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Every file the diagnostic quotes.
    pub fn files(&self) -> impl Iterator<Item = FileId> + '_ {
        self.file
            .into_iter()
            .chain(self.span.map(|s| s.file))
            .chain(self.related.iter().map(|(s, _)| s.file))
    }

    /// Points the diagnostic at a value.
    pub fn at(mut self, span: Span) -> Diagnostic {
        self.file = Some(span.file);
        self.span = Some(span);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(shown(label.into()));
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(shown(hint.into()));
        self
    }

    pub fn maybe_hint(mut self, hint: Option<String>) -> Diagnostic {
        self.hint = hint.map(shown);
        self
    }

    pub fn related(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.related.push((span, shown(label.into())));
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(shown(note.into()));
        self
    }

    /// Every text the diagnostic shows: message, label, hint, notes and
    /// the labels of related places.
    pub fn texts(&self) -> impl Iterator<Item = &str> + '_ {
        std::iter::once(self.message.as_str())
            .chain(self.label.as_deref())
            .chain(self.hint.as_deref())
            .chain(self.notes.iter().map(String::as_str))
            .chain(self.related.iter().map(|(_, label)| label.as_str()))
    }

    /// Keeps only the code, the severity and, when `keep_place`, the
    /// file and position: for a problem of a private KPI in output that
    /// anyone may read.
    pub fn redact(&mut self, keep_place: bool) {
        self.message =
            "a problem that concerns a private KPI; `--include-private` shows it".to_string();
        self.label = None;
        self.hint = None;
        self.related.clear();
        self.notes.clear();
        if !keep_place {
            self.file = None;
            self.span = None;
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The file path, line, column, end line and end column, where known.
    pub fn position(&self, sources: &Sources) -> Option<Position> {
        let file = self.file?;
        let source = sources.get(file);
        let (line, column, end_line, end_column) = match self.span {
            Some(span) => {
                let (line, column) = source.line_col(span.start());
                let (end_line, end_column) = source.line_col(span.end());
                (line, column, end_line, end_column)
            }
            None => (1, 1, 1, 1),
        };
        Some(Position {
            file: source.path.clone(),
            line,
            column,
            end_line,
            end_column,
        })
    }
}

/// Where a diagnostic points, in the terms an editor uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Position {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// How a lint is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LintLevel {
    /// Not at all.
    Allow,
    /// As a warning.
    Warn,
    /// As an error.
    Deny,
}

/// One `[lint]` section's levels: the lints it names, by level.
#[derive(Clone, Debug, Default)]
pub struct Levels {
    pub allow: Vec<Code>,
    pub warn: Vec<Code>,
    pub deny: Vec<Code>,
}

impl Levels {
    /// The level this section sets for `code`, if it names it (`deny`
    /// over `warn` over `allow`).
    pub fn of(&self, code: Code) -> Option<LintLevel> {
        if self.deny.contains(&code) {
            Some(LintLevel::Deny)
        } else if self.warn.contains(&code) {
            Some(LintLevel::Warn)
        } else if self.allow.contains(&code) {
            Some(LintLevel::Allow)
        } else {
            None
        }
    }
}

/// The `[lint]` sections of `okra.toml`, as they apply to diagnostics: the
/// site's, and the scoped ones (`[lint.team.ID]`, `[lint.folder."PATH"]`)
/// over the files they cover.
#[derive(Clone, Debug, Default)]
pub struct LintLevels {
    pub site: Levels,
    pub scopes: Vec<Levels>,
    /// The scopes over each file, by index into `scopes`, the most
    /// specific last.
    pub files: std::collections::HashMap<FileId, Vec<usize>>,
}

impl LintLevels {
    /// The level of `code` in `file`: the most specific section that names
    /// it decides; a lint no section names is a warning, unless it is
    /// opt-in.
    pub fn level(&self, code: Code, file: Option<FileId>) -> LintLevel {
        let scopes = file
            .and_then(|f| self.files.get(&f))
            .map_or(&[][..], Vec::as_slice);
        scopes
            .iter()
            .rev()
            .find_map(|&i| self.scopes[i].of(code))
            .or_else(|| self.site.of(code))
            .unwrap_or(if code.is_opt_in() {
                LintLevel::Allow
            } else {
                LintLevel::Warn
            })
    }

    /// Whether `code` is reported anywhere in the site, so that its lint
    /// is worth running.
    pub fn reported_anywhere(&self, code: Code) -> bool {
        self.level(code, None) != LintLevel::Allow
            || self
                .scopes
                .iter()
                .any(|s| matches!(s.of(code), Some(LintLevel::Warn | LintLevel::Deny)))
    }

    /// Drops allowed lints, promotes denied ones and sorts the rest by file,
    /// position and code so that output is stable.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>, sources: &Sources) -> Vec<Diagnostic> {
        let mut kept: Vec<Diagnostic> = diagnostics
            .into_iter()
            .filter_map(|mut d| {
                if d.code.is_lint() {
                    match self.level(d.code, d.file) {
                        LintLevel::Allow => return None,
                        LintLevel::Deny => d.severity = Severity::Error,
                        LintLevel::Warn => {}
                    }
                }
                Some(d)
            })
            .collect();
        kept.sort_by_cached_key(|d| {
            let path = d.file.map(|f| sources.path(f).to_string());
            let start = d.span.map(|s| s.start());
            (path, start, d.code, d.message.clone())
        });
        kept.dedup_by(|a, b| a.code == b.code && a.span == b.span && a.message == b.message);
        kept
    }
}

/// Counts of a list of diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
}

impl Tally {
    pub fn of(diagnostics: &[Diagnostic]) -> Tally {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        Tally {
            errors,
            warnings: diagnostics.len() - errors,
        }
    }

    /// `3 errors, 2 warnings in 48 files`.
    pub fn summary(&self, files: usize) -> String {
        format!(
            "{}, {} in {}",
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
            plural(files, "file")
        )
    }
}

/// `1 error`, `2 errors`.
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Whether a character would act on a terminal or reorder the text
/// around it instead of being shown: control characters and the Unicode
/// bidirectional controls (the "Trojan Source" characters).
pub fn is_invisible_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with every [invisible control](is_invisible_control) written as
/// an escape (`\u{1b}`), so that it is shown rather than obeyed; `keep`
/// names the characters left as they are (a message's line breaks).
pub fn escape_controls<'t>(text: &'t str, keep: &[char]) -> std::borrow::Cow<'t, str> {
    if !text
        .chars()
        .any(|c| is_invisible_control(c) && !keep.contains(&c))
    {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_invisible_control(c) && !keep.contains(&c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The text [`escape_controls`] escaped, with each escape of an invisible
/// control turned back into the character: a file's real name, for an
/// output that names it by address (SARIF's `uri`) rather than shows it.
pub fn unescape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("\\u{") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("\\u{") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 3..];
        let control = after.find('}').and_then(|end| {
            let c = u32::from_str_radix(&after[..end], 16)
                .ok()
                .and_then(char::from_u32)?;
            is_invisible_control(c).then_some((c, end))
        });
        match control {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push_str("\\u{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests;
