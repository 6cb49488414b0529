//! Stage 5, render: the site's pages from the scored model.
//!
//! Each page gets a small view (links already relative, numbers already
//! formatted, charts and bodies already rendered and sanitised) and one Tera
//! template from `templates/`, overridable by a site's own `templates/`. The
//! result is a list of files for [`crate::write`] to put on disk.

pub mod chart;
mod csv;

mod pages;
mod plan;
mod tables;
mod templates;
pub(crate) mod urls;
mod views;

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context as _;
use tera::{Context, Tera};

pub use crate::format::{format_number, percent};
use crate::markdown::PageMap;
use crate::model::{KpiIx, ObjectiveIx, PageIx, PeriodIx, Site, TeamIx};
use crate::write::{MemorySink, OutputFile, Sink};
use templates::site_override;
pub use templates::{ASSETS, TEMPLATES, templates};

/// Periods whose objectives a team page lists in full, latest first.
pub(super) const TEAM_PERIODS_IN_FULL: usize = 8;

/// One file of the site to render.
enum Job {
    /// A page, by its type.
    Page(Box<dyn pages::PageSpec>),
    /// One of the [`DATA_FILES`], by its place in the list.
    Data(usize),
}

/// KPIs on one page of their listing: a site of any size keeps each
/// page small, and every KPI is a link away and in the search.
pub const KPIS_PER_PAGE: usize = 200;

/// The first file of the search index, which names the others: the
/// index's files stand for it among the [`DATA_FILES`].
pub const SEARCH_INDEX: &str = "assets/search/index.js";

/// The files made from the whole model rather than one page: the model as
/// JSON, the search index, and the objectives and key results as tables.
pub const DATA_FILES: [&str; 4] = [
    "data.json",
    SEARCH_INDEX,
    "objectives.csv",
    "key-results.csv",
];

/// What a render makes, and with what help.
#[derive(Clone, Copy)]
pub struct RenderOptions<'c> {
    /// Whether to make the [`DATA_FILES`] too (`okra serve` makes them when
    /// they are first asked for, with [`write_data_file`]).
    pub data_files: bool,
    /// The hash of each file of the last good build (see
    /// [`Rendered::hashes`]): a file whose hash is the same is not
    /// rendered again, and the caller keeps the one it has.
    pub previous: Option<&'c HashMap<String, u64>>,
    /// Documents read by earlier runs, reused while their files stay the
    /// same.
    pub documents: Option<&'c crate::load::Memo>,
}

impl RenderOptions<'_> {
    /// Every file, with nothing kept from an earlier build.
    pub fn full() -> RenderOptions<'static> {
        RenderOptions {
            data_files: true,
            previous: None,
            documents: None,
        }
    }
}

/// What a render did.
#[derive(Debug, Default)]
pub struct Rendered {
    /// HTML pages in the site, rendered or kept.
    pub pages: usize,
    /// Every file of the site but the stylesheet and script, with a hash
    /// of what it is made from (each file of the search index has the
    /// index's). The hashes are taken only when there is a previous build
    /// to compare with ([`RenderOptions::previous`]); otherwise they are 0.
    pub hashes: HashMap<String, u64>,
    /// Files rendered (the others were kept from the previous build).
    pub rendered: usize,
}

/// Writes one of the [`DATA_FILES`] of a site but the search index (see
/// [`crate::search::write_index`]); `false` for another path.
pub fn write_data_file(
    site: &Site,
    path: &str,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<bool> {
    match path {
        "data.json" => {
            serde_json::to_writer(&mut *out, &crate::model::SiteData(site))
                .context("serialising data.json")?;
            out.write_all(b"\n")?;
        }
        "objectives.csv" => csv::write_objectives(site, out).context("writing objectives.csv")?,
        "key-results.csv" => {
            csv::write_key_results(site, out).context("writing key-results.csv")?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// Each document's source path with the path of its page.
fn page_map(site: &Site) -> PageMap<'_> {
    let mut pages = PageMap::default();
    for t in &site.teams {
        pages.insert(&t.path, urls::team(&t.id));
    }
    for o in &site.objectives {
        pages.insert(&o.path, urls::objective(&o.id));
    }
    for k in &site.kpis {
        pages.insert(&k.path, urls::kpi(&k.id));
    }
    for p in &site.pages {
        pages.insert(&p.path, urls::page(&p.id));
    }
    pages
}

/// Renders every file of a site, in parallel, handing each to `sink` as
/// soon as it is ready. `site_root` is where site templates live. Files
/// whose inputs are those of `options.previous` are not rendered.
pub fn render_site(
    site: &Site,
    site_root: &Path,
    sink: &dyn Sink,
    options: RenderOptions<'_>,
) -> anyhow::Result<Rendered> {
    render_site_from(site, site_root, None, sink, options)
}

/// [`render_site`], reading again through `files`, the files the site was
/// checked from, the bodies the check did not keep; without them, through
/// the files under `site_root`.
pub(crate) fn render_site_from(
    site: &Site,
    site_root: &Path,
    files: Option<&dyn crate::load::SiteFiles>,
    sink: &dyn Sink,
    options: RenderOptions<'_>,
) -> anyhow::Result<Rendered> {
    use rayon::prelude::*;
    let own_files = files
        .is_none()
        .then(|| crate::load::Disk::new(site_root, None).ok())
        .flatten();
    let (tera, templates_hash) = crate::timing::phase("templates", || templates(site_root))?;
    // Hashes are worth taking only when a later or this render compares
    // them: `okra serve` passes the previous build's, even when empty.
    let planning = options.previous.is_some();
    let statuses = views::status_html(&tera, site)?;
    let mut renderer =
        crate::timing::phase("renderer", || Renderer::new(site, tera, planning, statuses));
    renderer.site_files = files.or(own_files.as_ref().map(|d| d as &dyn crate::load::SiteFiles));
    if site.repository.is_some() {
        // Where the site lies in its repository, when git can tell.
        renderer.source_prefix = crate::load::git::locate(site_root)
            .map(|(_, prefix)| crate::load::git::slashed(&prefix))
            .unwrap_or_default();
    }
    for (name, text) in ASSETS {
        let bytes = site_override(site_root, &format!("templates/assets/{name}"))?
            .unwrap_or_else(|| text.as_bytes().to_vec());
        if *name == "okra.css" {
            renderer.stylesheet = String::from_utf8_lossy(&bytes).into_owned();
        }
        sink.file(&format!("assets/{name}"), &bytes)?;
    }
    let mut jobs = renderer.jobs();
    if !options.data_files {
        jobs.retain(|job| !matches!(job, Job::Data(_)));
    }
    let global = renderer.global_hash(templates_hash);
    let planned: Vec<(String, u64)> = crate::timing::phase("plan", || {
        jobs.par_iter()
            .map(|job| {
                let path = renderer.job_path(job);
                let hash = if planning {
                    renderer.job_hash(job, &path, global)
                } else {
                    0
                };
                (path, hash)
            })
            .collect()
    });
    let rendered = std::sync::atomic::AtomicUsize::new(0);
    let files: Vec<Vec<(String, u64)>> = jobs
        .par_iter()
        .zip(planned)
        .map(|(job, planned)| {
            let files = renderer.render_or_keep(job, planned, options.previous, sink)?;
            if files.rendered {
                rendered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            Ok(files.paths)
        })
        .collect::<anyhow::Result<_>>()?;
    let hashes: HashMap<String, u64> = files.into_iter().flatten().collect();
    Ok(Rendered {
        pages: hashes.keys().filter(|p| p.ends_with(".html")).count(),
        hashes,
        rendered: rendered.into_inner(),
    })
}

/// Renders every file of a site into memory, sorted by path (for tests
/// and small sites).
pub fn render_to_memory(site: &Site, site_root: &Path) -> anyhow::Result<Vec<OutputFile>> {
    let sink = MemorySink::default();
    render_site(site, site_root, &sink, RenderOptions::full())?;
    let mut files = sink.into_files()?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

struct Renderer<'a> {
    site: &'a Site,
    tera: Tera,
    pages: PageMap<'a>,
    current_period: Option<PeriodIx>,
    /// Objectives by period index, in site order.
    by_period: Vec<Vec<ObjectiveIx>>,
    /// Objectives by owner team index, in site order.
    by_owner: Vec<Vec<ObjectiveIx>>,
    /// KPIs by owner team index, in site order.
    kpis_by_owner: Vec<Vec<KpiIx>>,
    /// Every KPI by name, as its listing's pages show them.
    kpis_by_name: Vec<KpiIx>,
    /// Objectives each team or person contributes to, and the objectives
    /// with key results it drives.
    contributions: Vec<Vec<ObjectiveIx>>,
    /// Titles that more than one objective has, told apart wherever
    /// objectives are listed.
    shared_titles: foldhash::HashSet<&'a str>,
    /// Teams by name in lower case (see [`teams_by_name`]).
    teams_by_name: HashMap<String, TeamIx>,
    /// Teams in tree order with their depth.
    team_order: Vec<(TeamIx, usize)>,
    /// Leads and members who are not persons of the site, with their
    /// places by name in lower case.
    people: Vec<tables::Person>,
    people_by_name: HashMap<String, usize>,
    /// Free pages in navigation order.
    nav_pages: Vec<PageIx>,
    /// A hash of `pages`, which rendered bodies depend on.
    pages_hash: u64,
    fingerprints: plan::Fingerprints,
    /// Whether the pages are served by `okra serve` (at the root of its
    /// address) rather than published.
    served: bool,
    /// The site root's folder inside its repository (`okrs/`, or empty),
    /// for links to source files.
    source_prefix: String,
    /// The stylesheet, which the 404 page carries in itself: a host may
    /// serve it where no relative link leads to the assets.
    stylesheet: String,
    /// Each objective's progress over its period and its sparkline, made
    /// when first shown.
    progress: Vec<std::sync::OnceLock<views::ObjectiveProgress>>,
    /// Each KPI's card for pages one folder down, made when first shown.
    kpi_cards: Vec<std::sync::OnceLock<tera::Value>>,
    /// Each status as `okra.status` renders it (see [`views::status_html`]).
    statuses: views::StatusHtml,
    /// The site's files, to read again the bodies a check did not keep.
    site_files: Option<&'a dyn crate::load::SiteFiles>,
}

impl<'a> Renderer<'a> {
    fn new(
        site: &'a Site,
        tera: Tera,
        planning: bool,
        statuses: views::StatusHtml,
    ) -> Renderer<'a> {
        let pages = page_map(site);
        let current_period = tables::current_period(site);
        let mut by_period = vec![Vec::new(); site.periods.len()];
        let mut by_owner = vec![Vec::new(); site.teams.len()];
        for (i, o) in site.objectives.iter().enumerate() {
            if let Some(p) = o.period {
                by_period[p.0].push(ObjectiveIx(i));
            }
            if let Some(t) = o.owner {
                by_owner[t.0].push(ObjectiveIx(i));
            }
        }
        let teams_by_name = tables::teams_by_name(site);
        let contributions = tables::contributions(site, &teams_by_name);
        let (people, people_by_name) = tables::people(site, &teams_by_name);
        let shared_titles = tables::shared_titles(site);
        let mut kpis_by_owner = vec![Vec::new(); site.teams.len()];
        for (i, k) in site.kpis.iter().enumerate() {
            if let Some(t) = k.owner {
                kpis_by_owner[t.0].push(KpiIx(i));
            }
        }
        let mut kpis_by_name: Vec<KpiIx> = KpiIx::all(site.kpis.len()).collect();
        kpis_by_name.sort_by(|&a, &b| site.kpis[a].name.cmp(&site.kpis[b].name));
        let mut nav_pages: Vec<PageIx> = PageIx::all(site.pages.len()).collect();
        nav_pages.sort_by(|&a, &b| {
            let (a, b) = (&site.pages[a], &site.pages[b]);
            a.weight.total_cmp(&b.weight).then(a.title.cmp(&b.title))
        });
        // Only pages' hashes depend on it, taken when planning.
        let pages_hash = planning.then(|| {
            let mut sorted: Vec<_> = pages.iter().collect();
            sorted.sort_unstable();
            plan::fingerprint(&sorted)
        });
        Renderer {
            site,
            tera,
            pages,
            current_period,
            by_period,
            by_owner,
            kpis_by_owner,
            kpis_by_name,
            contributions,
            shared_titles,
            teams_by_name,
            team_order: tables::team_order(site),
            people,
            people_by_name,
            nav_pages,
            pages_hash: pages_hash.unwrap_or_default(),
            served: planning,
            stylesheet: String::new(),
            source_prefix: String::new(),
            site_files: None,
            progress: std::iter::repeat_with(Default::default)
                .take(site.objectives.len())
                .collect(),
            kpi_cards: std::iter::repeat_with(Default::default)
                .take(site.kpis.len())
                .collect(),
            statuses,
            fingerprints: if planning {
                crate::timing::phase("fingerprints", || plan::Fingerprints::of(site))
            } else {
                plan::Fingerprints::default()
            },
        }
    }

    fn render(
        &self,
        template: &str,
        path: String,
        context: &Context,
    ) -> anyhow::Result<OutputFile> {
        let html = self
            .tera
            .render(template, context)
            .map_err(|e| anyhow::anyhow!("rendering {path} with {template}: {e}"))?;
        Ok(OutputFile {
            path,
            bytes: html.into_bytes(),
        })
    }

    /// Every file the site consists of, as independent jobs.
    fn jobs(&self) -> Vec<Job> {
        use pages::*;
        let site = self.site;
        let mut jobs: Vec<Job> = (0..DATA_FILES.len()).map(Job::Data).collect();
        let mut add = |spec: Box<dyn PageSpec>| jobs.push(Job::Page(spec));
        add(Box::new(HomePage));
        add(Box::new(PeriodsPage));
        for (i, objectives) in self.by_period.iter().enumerate() {
            if !objectives.is_empty() {
                add(Box::new(PeriodPage(PeriodIx(i))));
                add(Box::new(TreePage(PeriodIx(i))));
                add(Box::new(ReviewPage(PeriodIx(i))));
            }
        }
        for (list, pages) in self.running_lists() {
            (0..pages).for_each(|page| add(Box::new(RunningPage(list, page))));
        }
        add(Box::new(TeamsPage));
        TeamIx::all(site.teams.len()).for_each(|i| add(Box::new(TeamPage(i))));
        (0..self.people.len()).for_each(|i| add(Box::new(PersonPage(i))));
        let kpi_pages = self.kpis_by_name.len().div_ceil(KPIS_PER_PAGE).max(1);
        (0..kpi_pages).for_each(|page| add(Box::new(KpisPage(page))));
        KpiIx::all(site.kpis.len()).for_each(|i| add(Box::new(KpiPage(i))));
        ObjectiveIx::all(site.objectives.len()).for_each(|i| add(Box::new(ObjectivePage(i))));
        PageIx::all(site.pages.len()).for_each(|i| add(Box::new(FreePage(i))));
        add(Box::new(SearchPage));
        add(Box::new(NotFoundPage));
        if !site.activity.is_empty() {
            add(Box::new(ActivityPage));
        }
        jobs
    }

    /// Renders one job into the sink, as the file at `path`.
    fn render_job(&self, job: &Job, path: &str, sink: &dyn Sink) -> anyhow::Result<()> {
        let site = self.site;
        match job {
            Job::Data(i) if DATA_FILES[*i] == SEARCH_INDEX => {
                crate::timing::phase("search index", || crate::search::write_index(site, sink))
                    .context("writing the search index")
            }
            Job::Data(_) => sink.stream(path, &mut |out| {
                write_data_file(site, path, out).map(|_| ())
            }),
            Job::Page(spec) => {
                let file = self.render(spec.template(), path.to_string(), &spec.context(self)?)?;
                sink.file(&file.path, &file.bytes)
            }
        }
    }
}
