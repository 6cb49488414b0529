//! okra turns a git repository of Markdown OKRs and KPIs into a validated,
//! scored model and a static site.
//!
//! The pipeline, one module a stage:
//! [`load`] (walk and front matter) → [`model`] (resolve ids into a graph) →
//! [`score`] (progress, pacing, status) → [`validate`] (cross-document rules
//! and lints) → [`render`] (pages) → [`write`] (atomic output). [`check`]
//! runs the first four and hands back the [`model::Site`] with its
//! [`diagnostic::Diagnostic`]s; [`build`] goes on to write the site. The
//! commands sit on top.

pub mod author;
pub mod date;
pub mod diagnostic;
pub mod diff;
pub mod format;
pub mod generations;
pub mod init;
pub mod load;
pub mod lsp;
pub mod model;
pub mod period;
pub mod render;
pub mod score;
pub mod search;
pub mod serve;
pub mod source;
pub mod text;
pub mod timing;
pub mod validate;
pub mod vocabulary;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::Instant;

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
        redact_private(&site, &loaded.sources, &mut diagnostics);
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

/// Texts of `length` pieces each, picked from `pieces` by a fixed
/// pseudo-random sequence from `seed`: the same texts on every run, for
/// unit tests that compare two ways of reading text.
#[cfg(test)]
pub(crate) fn random_texts<'p>(
    pieces: &'p [&'p str],
    length: usize,
    mut seed: u64,
) -> impl Iterator<Item = String> + 'p {
    std::iter::repeat_with(move || {
        let mut text = String::new();
        for _ in 0..length {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
        }
        text
    })
}

/// Checks a site of a company `acme`, as of 2026-08-15, with one objective
/// `grow` of 2026-Q3 whose front matter ends with `key_results`, and the
/// `extra` files; for unit tests.
#[cfg(test)]
pub(crate) fn check_test_site(key_results: &str, extra: &[(&str, &str)]) -> Checked {
    let mut files = vec![
        (
            "okra.toml".to_string(),
            "title = \"T\"\nas_of = 2026-08-15\n".to_string(),
        ),
        (
            "teams/acme.md".to_string(),
            "+++\nname = \"Acme\"\nkind = \"company\"\n+++\n".to_string(),
        ),
        (
            "objectives/grow.md".to_string(),
            format!(
                "+++\ntitle = \"Grow\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n{key_results}+++\n"
            ),
        ),
    ];
    files.extend(extra.iter().map(|(p, t)| (p.to_string(), t.to_string())));
    let files = load::InMemory::new(
        "test",
        files
            .into_iter()
            .map(|(p, t)| (p, t.into_bytes()))
            .collect(),
    );
    check_files(&files, &CheckOptions::default(), None).expect("an in-memory site reads")
}

/// Strips what a diagnostic tells of a private KPI: those in its files
/// (the KPI's page and its CSV data) lose their place too; those elsewhere
/// that quote its id or name keep theirs, since that file is public.
fn redact_private(site: &Site, sources: &source::Sources, diagnostics: &mut [Diagnostic]) {
    let private: Vec<&model::Kpi> = site.kpis.iter().filter(|k| k.is_private()).collect();
    if private.is_empty() {
        return;
    }
    let files: std::collections::HashSet<&str> = private
        .iter()
        .flat_map(|k| std::iter::once(k.path.as_str()).chain(k.doc.data_path.as_deref()))
        .collect();
    let quoted: Vec<String> = private
        .iter()
        .flat_map(|k| [format!("`{}`", k.id), format!("`{}`", k.name)])
        .collect();
    let in_private_file = |file: source::FileId| files.contains(sources.path(file));
    for diagnostic in diagnostics {
        let names_one = diagnostic
            .texts()
            .any(|text| quoted.iter().any(|q| text.contains(q.as_str())));
        if names_one || diagnostic.files().any(in_private_file) {
            let public_place = !diagnostic.file.is_some_and(in_private_file);
            diagnostic.redact(public_place);
        }
    }
}

/// Settings of `okra build`.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    pub as_of: Option<Date>,
    /// Where the site goes; relative paths are relative to the current folder.
    pub output: PathBuf,
    /// Publish draft objectives too.
    pub drafts: bool,
    /// Publish private KPIs too.
    pub include_private: bool,
    /// Replace the output folder's content even when okra did not write it.
    pub force: bool,
    /// Read the site's git history into the model (see
    /// [`diff::history`]).
    pub history: bool,
}

/// What a build did.
#[derive(Debug)]
pub struct Built {
    /// The diagnostics of the check (warnings only when the site was
    /// written). Once the site is rendered, `checked.sources` keeps the text
    /// of the files its diagnostics quote only.
    pub checked: Checked,
    /// HTML pages written, or `None` when errors stopped the build.
    pub pages: Option<usize>,
    pub elapsed: std::time::Duration,
}

/// Checks the site and, when it has no errors, renders it and writes it to
/// `options.output`, replacing the previous output atomically. With errors
/// nothing is written.
pub fn build(root: &Path, options: &BuildOptions) -> anyhow::Result<Built> {
    let started = Instant::now();
    write::check_output_location(root, &options.output, options.force)?;
    let mut staging = None;
    let (checked, rendered) = render_into(root, options, render::RenderOptions::full(), || {
        let folder = write::Staging::new(&options.output)?;
        folder.copy_static(&root.join("static"))?;
        Ok(staging.insert(folder))
    })?;
    let pages = rendered.map(|r| r.pages);
    if let Some(folder) = staging.filter(|_| pages.is_some()) {
        timing::phase("commit", || folder.commit())?;
    }
    Ok(Built {
        checked,
        pages,
        elapsed: started.elapsed(),
    })
}

/// Reads the site's git history into a checked site (see
/// [`diff::history`]) and reports the goalposts moved after their period
/// began (`goalposts-moved-after-start`).
pub fn add_history(
    checked: &mut Checked,
    root: &Path,
    include_private: bool,
) -> anyhow::Result<()> {
    let read = timing::phase("history", || {
        diff::history::annotate(&mut checked.site, root)
    })
    .map_err(|e| e.context("--history reads the site's git history"))?;
    if timing::enabled() {
        eprintln!("debug: history: {read:?}");
    }
    if read.after_as_of > 0 {
        eprintln!(
            "note: --history left out {} dated after the as-of date {}",
            diagnostic::plural(read.after_as_of, "commit"),
            checked.site.as_of
        );
    }
    let mut moved = validate::goalposts_moved(&checked.site);
    if !include_private {
        redact_private(&checked.site, &checked.sources, &mut moved);
    }
    // Their files are quoted: read again those a check let go.
    let files = load::Disk::new(root, None)?;
    checked
        .sources
        .restore(moved.iter().flat_map(Diagnostic::files), |path| {
            load::read_again(&files, path)
        })?;
    let mut diagnostics = std::mem::take(&mut checked.diagnostics);
    diagnostics.extend(moved);
    checked.diagnostics = checked.levels.apply(diagnostics, &checked.sources);
    checked.site.note_lints(&checked.diagnostics);
    Ok(())
}

/// Asks the allocator to hand the memory freed so far back to the system,
/// on every thread. mimalloc keeps a freed page for the thread that
/// allocated it, and the documents a build lets go before rendering were
/// read on the worker threads: without this, their pages would stay
/// resident beside those the rendering takes.
fn hand_back_freed_memory() {
    // SAFETY: `mi_collect` has no preconditions. Under another global
    // allocator, mimalloc's heaps are empty and it does nothing.
    let collect = || unsafe { libmimalloc_sys::mi_collect(true) };
    rayon::broadcast(|_| collect());
    collect();
}

/// Checks the site and, when it has no errors, renders what
/// `options` publishes into the sink that `open_sink` opens; returns the
/// checked site and what was rendered, or `None` when errors stopped it.
/// `options.output` is not used; `rendering` says what to render and may
/// carry rendered bodies from one build to the next.
pub fn render_into<'s, S: write::Sink + 's>(
    root: &Path,
    options: &BuildOptions,
    rendering: render::RenderOptions<'_>,
    open_sink: impl FnOnce() -> anyhow::Result<&'s S>,
) -> anyhow::Result<(Checked, Option<render::Rendered>)> {
    let check_options = CheckOptions {
        as_of: options.as_of,
        include_private: options.include_private,
        // Each body's terms for the search index are taken in its one
        // parse, and kept: they are a small part of its text. With
        // documents kept between runs (`okra serve`), its HTML is made and
        // kept too; a single build makes the HTML when it writes the page
        // instead, so that the site's HTML is never all in memory at once,
        // and reads each file again where it needs its text.
        retention: if rendering.documents.is_some() {
            load::Retention::SERVE
        } else {
            load::Retention::RENDER
        },
    };
    // Kept for the rendering, which reads the bodies again through it.
    let mut files = None;
    let mut checked = match (options.history, options.as_of) {
        // The site as it was believed on that day: as its last commit by
        // then left it. Its texts are kept: its bodies are not those on
        // disk.
        (true, Some(day)) => {
            let check_options = CheckOptions {
                retention: load::Retention::RENDER_KEPT,
                ..check_options
            };
            diff::history::check_as_believed(root, day, &check_options)?
        }
        _ => {
            let disk = files.insert(load::Disk::new(root, rendering.documents)?);
            check_files(disk, &check_options, rendering.documents)?
        }
    };
    if checked.has_errors() {
        return Ok((checked, None));
    }
    if options.history {
        add_history(&mut checked, root, options.include_private)?;
        if checked.has_errors() {
            return Ok((checked, None));
        }
    }
    let placeholder = checked.site.empty_like();
    // Rendering needs the model, not the files: keep only those quoted.
    let quoted: std::collections::HashSet<source::FileId> = checked
        .diagnostics
        .iter()
        .flat_map(Diagnostic::files)
        .collect();
    checked.sources.release_text(|file| quoted.contains(&file));
    if rendering.documents.is_none() {
        // Bodies share their files' texts: with their own copies, the
        // texts released above are freed.
        model::detach_bodies(&mut checked.site);
        model::release_key_result_documents(&mut checked.site);
        hand_back_freed_memory();
    }
    let site = std::mem::replace(&mut checked.site, placeholder);
    let published = site.published(options.drafts, options.include_private);
    let sink = open_sink()?;
    let rendered = timing::phase("render and write", || {
        let files = files.as_ref().map(|disk| disk as &dyn load::SiteFiles);
        render::render_site_from(&published, root, files, sink, rendering)
    });
    let rendered = rendered?;
    checked.site = published;
    Ok((checked, Some(rendered)))
}
