//! okra turns a git repository of Markdown OKRs and KPIs into a validated,
//! scored model and a static site.
//!
//! The pipeline, one module a stage:
//! [`load`] (walk and front matter) → [`model`] (resolve ids into a graph) →
//! [`score`] (progress, pacing, status) → [`validate`] (cross-document rules
//! and lints). [`check`] runs it and hands back the [`model::Site`] with its
//! [`diagnostic::Diagnostic`]s; the commands sit on top.

pub mod date;
pub mod diagnostic;
pub mod init;
pub mod load;
pub mod model;
pub mod period;
pub mod score;
pub mod source;
pub mod validate;

use std::path::Path;

use diagnostic::{Diagnostic, LintLevels};
use source::Sources;

pub use date::Date;
pub use model::Site;

/// Settings of one run of the pipeline.
#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    /// The date progress is measured at; `okra.toml`'s `as_of` or today
    /// when `None`.
    pub as_of: Option<Date>,
}

/// A checked site: the model, the files it came from and every problem.
#[derive(Debug)]
pub struct Checked {
    pub site: Site,
    pub sources: Sources,
    /// Sorted, with `[lint]` applied.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Loads, resolves, scores and validates the site at `root`. Fails only
/// when the site cannot be read at all; every problem in it is a diagnostic.
pub fn check(root: &Path, options: &CheckOptions) -> anyhow::Result<Checked> {
    let mut loaded = load::load(root)?;
    let as_of = options
        .as_of
        .or(loaded.config.as_of)
        .unwrap_or_else(Date::today);
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    let mut site = model::build(&mut loaded, as_of, &mut diagnostics);
    score::score_site(&mut site);
    validate::validate(&site, &loaded, &mut diagnostics);
    let levels = LintLevels {
        allow: loaded.config.lint.allow.clone(),
        deny: loaded.config.lint.deny.clone(),
    };
    let diagnostics = levels.apply(diagnostics, &loaded.sources);
    Ok(Checked {
        site,
        sources: loaded.sources,
        diagnostics,
    })
}
