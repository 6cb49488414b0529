//! `okra build`: a checked site rendered into its output folder.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{CheckOptions, Checked, check_files};
use crate::diagnostic::{self, Diagnostic};
use crate::source::{self};
use crate::{Date, diff, load, model, render, timing, validate, write};

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
    // A period moved is about okra.toml, where periods are declared.
    let config = (checked.sources.ids()).find(|&id| checked.sources.path(id) == load::CONFIG_FILE);
    for d in moved.iter_mut().filter(|d| d.file.is_none()) {
        d.file = config;
    }
    if !include_private {
        super::privacy::redact_private(&checked.site, &checked.sources, &mut moved);
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
