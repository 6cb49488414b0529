//! The pipeline as one call: [`check`] loads, resolves, scores and
//! validates a site; [`build`](build::build) goes on to render and write it.

mod build;
mod privacy;
#[cfg(test)]
pub(crate) mod test_support;

pub use build::{BuildOptions, Built, add_history, build, render_into};

use std::path::Path;

use crate::diagnostic::{self, Diagnostic, LintLevels};
use crate::source::Sources;
use crate::{Date, Site, load, model, score, timing, validate};

/// Settings of one run of the pipeline.
#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    /// The date progress is measured at; `okra.toml`'s `as_of` or today
    /// when `None`.
    pub as_of: Option<Date>,
    /// Show the problems of private KPIs in full. Without it (the default)
    /// a diagnostic in a private KPI's files, or one that names a private
    /// KPI, keeps its code, its severity and (in a public file) its place,
    /// and says no more: check output may be read by anyone.
    pub include_private: bool,
    /// What the check keeps of what it reads (see [`load::Retention`]):
    /// [`load::Retention::KEEP`] unless told.
    pub retention: load::Retention,
}

/// A checked site: the model, the files it came from and every problem.
#[derive(Debug)]
pub struct Checked {
    pub site: Site,
    pub sources: Sources,
    /// Sorted, with `[lint]` applied.
    pub diagnostics: Vec<Diagnostic>,
    /// The site's `[lint]` levels, for diagnostics found later (by `okra
    /// diff`).
    pub levels: LintLevels,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Loads, resolves, scores and validates the site at `root`. Fails only
/// when the site cannot be read at all; every problem in it is a diagnostic.
pub fn check(root: &Path, options: &CheckOptions) -> anyhow::Result<Checked> {
    check_with(root, options, None)
}

/// [`check`], reusing the documents kept in `memo` by earlier runs whose
/// files did not change, and keeping this run's there.
pub fn check_with(
    root: &Path,
    options: &CheckOptions,
    memo: Option<&load::Memo>,
) -> anyhow::Result<Checked> {
    let files = load::Disk::new(root, memo)?;
    check_files(&files, options, memo)
}

/// [`check`] of a site read from `files`, reusing and keeping parsed
/// documents in `memo`.
pub fn check_files(
    files: &dyn load::SiteFiles,
    options: &CheckOptions,
    memo: Option<&load::Memo>,
) -> anyhow::Result<Checked> {
    diagnostic::reset_suggestion_budget();
    let mut loaded = timing::phase("load", || load::load_from(files, memo, options.retention))?;
    if let Some(memo) = memo {
        memo.finish();
    }
    let as_of = options
        .as_of
        .or(loaded.config.as_of)
        .unwrap_or_else(Date::today);
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    let mut site = timing::phase("model", || {
        model::build(&mut loaded, as_of, &mut diagnostics)
    });
    timing::phase("score", || score::score_site(&mut site));
    let levels = timing::phase("validate", || {
        validate::validate(&site, &loaded, &mut diagnostics)
    });
    let mut diagnostics = levels.apply(diagnostics, &loaded.sources);
    if !options.include_private {
        privacy::redact_private(&site, &loaded.sources, &mut diagnostics);
    }
    site.note_lints(&diagnostics);
    if options.retention.release {
        let quoted: std::collections::BTreeSet<_> =
            diagnostics.iter().flat_map(Diagnostic::files).collect();
        loaded
            .sources
            .restore(quoted, |path| load::read_again(files, path))?;
    }
    Ok(Checked {
        site,
        sources: loaded.sources,
        diagnostics,
        levels,
    })
}
