//! Stage 5, render: the site's pages from the scored model.
//!
//! Each page gets a small view (links already relative, numbers already
//! formatted, charts and bodies already rendered and sanitised) and one Tera
//! template from `templates/`, overridable by a site's own `templates/`. The
//! result is a list of files for [`crate::write`] to put on disk.

pub mod cache;
pub mod chart;
pub mod format;
pub mod markdown;
mod plan;

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use serde::Serialize;
use tera::{Context, Tera};

use crate::load::{KrKind, TeamKind};
use crate::model::{KeyResult, Kpi, KpiStatus, Objective, Site, Status};
use crate::period::Phase;
use cache::{BodyCache, Product};
use format::with_unit;
pub use format::{escape, format_number, percent};
use markdown::PageMap;

/// A file of the built site: its path relative to the output folder and
/// its bytes.
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Periods whose objectives a team page lists in full, latest first.
const TEAM_PERIODS_IN_FULL: usize = 8;

/// The built-in templates, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    (
        "objective.html",
        include_str!("../../templates/objective.html"),
    ),
    ("kpi.html", include_str!("../../templates/kpi.html")),
    ("kpis.html", include_str!("../../templates/kpis.html")),
    ("team.html", include_str!("../../templates/team.html")),
    ("teams.html", include_str!("../../templates/teams.html")),
    ("period.html", include_str!("../../templates/period.html")),
    ("periods.html", include_str!("../../templates/periods.html")),
    ("tree.html", include_str!("../../templates/tree.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("404.html", include_str!("../../templates/404.html")),
];

/// The built-in assets, copied under `assets/`.
pub const ASSETS: &[(&str, &str)] = &[
    ("okra.css", include_str!("../../templates/assets/okra.css")),
    ("okra.js", include_str!("../../templates/assets/okra.js")),
];

#[derive(Serialize, Clone)]
struct Link {
    href: String,
    text: String,
}

#[derive(Serialize)]
struct Nav {
    home: String,
    periods: String,
    teams: String,
    kpis: String,
    tree: Option<String>,
    search: String,
    pages: Vec<Link>,
}

#[derive(Serialize)]
struct PageInfo {
    /// The relative prefix from the page to the site root: `""` or `"../"`.
    root: String,
    site_title: String,
    title: String,
    /// Which navigation entry is current.
    section: &'static str,
    nav: Nav,
    as_of: String,
}

#[derive(Serialize)]
struct StatusView {
    class: &'static str,
    label: &'static str,
}

fn status_view(status: Status) -> StatusView {
    StatusView {
        class: status.as_str(),
        label: status.label(),
    }
}

fn kpi_status_view(status: KpiStatus) -> StatusView {
    let class = match status {
        KpiStatus::Healthy => "healthy",
        KpiStatus::Unhealthy => "unhealthy",
        KpiStatus::Monitored => "monitored",
        KpiStatus::Stale => "stale",
        KpiStatus::NoData => "no-data",
    };
    StatusView {
        class,
        label: status.label(),
    }
}

#[derive(Serialize)]
struct ObjectiveCard {
    href: String,
    title: String,
    owner: Link,
    period: Link,
    score: String,
    width: u32,
    expected: String,
    status: StatusView,
    draft: bool,
}

#[derive(Serialize)]
struct CheckinView {
    date: String,
    value: String,
    confidence: String,
    note: String,
}

#[derive(Serialize)]
struct KeyResultView {
    id: String,
    title: String,
    kind: &'static str,
    score: String,
    width: u32,
    status: StatusView,
    start: String,
    current: String,
    target: String,
    band: String,
    milestone: String,
    due: String,
    confidence: String,
    weight: String,
    owner: String,
    kpi: Option<Link>,
    checkins: Vec<CheckinView>,
}

#[derive(Serialize)]
struct KpiCard {
    href: String,
    name: String,
    owner: Link,
    value: String,
    status: StatusView,
    role: &'static str,
    sparkline: String,
    private: bool,
}

/// One file of the site to render.
enum Job {
    Home,
    PeriodsIndex,
    Period(usize),
    Tree(usize),
    TeamsIndex,
    Team(usize),
    KpisIndex,
    Kpi(usize),
    Objective(usize),
    Page(usize),
    Search,
    NotFound,
    DataJson,
    SearchIndex,
}

/// Checks that `path` is a plain relative path that stays inside the
/// output: `/`-separated names, none empty, `.` or `..`, no backslash,
/// colon or control character, none longer than a file system takes. Every
/// sink calls it before taking a file, so no id or template can put a file
/// anywhere else, whatever the checks before it let through.
pub fn check_output_path(path: &str) -> anyhow::Result<()> {
    let plain = !path.is_empty()
        && path.split('/').all(|name| {
            !name.is_empty()
                && name != "."
                && name != ".."
                && name.len() <= 255
                && !name
                    .chars()
                    .any(|c| c == '\\' || c == ':' || c.is_control())
        });
    if plain {
        Ok(())
    } else {
        anyhow::bail!("refusing to write {path:?}: not a plain relative path inside the output")
    }
}

/// Where rendered files go: the staging folder of a build, or memory.
/// Implementations refuse paths that [`check_output_path`] refuses.
pub trait Sink: Sync {
    /// Takes one finished file; `path` is relative to the output folder.
    fn file(&self, path: &str, bytes: &[u8]) -> anyhow::Result<()>;

    /// Takes a large file written piece by piece, so it need not be held
    /// in memory whole.
    fn stream(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        self.file(path, &bytes)
    }
}

/// The files made from the whole model rather than one page: the model as
/// JSON and the search index.
pub const DATA_FILES: [&str; 2] = ["data.json", "assets/search-index.js"];

/// What a render makes, and with what help.
#[derive(Clone, Copy)]
pub struct RenderOptions<'c> {
    /// Rendered bodies kept from the previous build.
    pub cache: Option<&'c BodyCache>,
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
    /// Every file, without a cache.
    pub fn full() -> RenderOptions<'static> {
        RenderOptions {
            cache: None,
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
    /// Every file of the site but the assets, with a hash of what it is
    /// made from.
    pub hashes: HashMap<String, u64>,
    /// Files rendered (the others were kept from the previous build).
    pub rendered: usize,
}

/// Writes one of the [`DATA_FILES`] of a site; `false` for another path.
pub fn write_data_file(
    site: &Site,
    path: &str,
    cache: Option<&BodyCache>,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<bool> {
    match path {
        "data.json" => {
            serde_json::to_writer(&mut *out, site).context("serialising data.json")?;
            out.write_all(b"\n")?;
        }
        "assets/search-index.js" => {
            crate::timing::phase("search index", || {
                crate::search::write_index(site, cache, out)
            })
            .context("writing the search index")?;
        }
        _ => return Ok(false),
    }
    Ok(true)
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
    use rayon::prelude::*;
    let (tera, templates_hash) = templates(site_root)?;
    let renderer = Renderer::new(site, tera, options.cache);
    for (name, text) in ASSETS {
        let bytes = site_override(site_root, &format!("templates/assets/{name}"))?
            .unwrap_or_else(|| text.as_bytes().to_vec());
        sink.file(&format!("assets/{name}"), &bytes)?;
    }
    let mut jobs = renderer.jobs();
    if !options.data_files {
        jobs.retain(|job| !matches!(job, Job::DataJson | Job::SearchIndex));
    }
    let global = renderer.global_hash(templates_hash);
    let planned: Vec<(String, u64)> = jobs
        .par_iter()
        .map(|job| {
            let path = renderer.job_path(job);
            let hash = renderer.job_hash(job, &path, global);
            (path, hash)
        })
        .collect();
    let rendered = std::sync::atomic::AtomicUsize::new(0);
    jobs.par_iter()
        .zip(&planned)
        .try_for_each(|(job, (path, hash))| {
            let kept = options
                .previous
                .is_some_and(|previous| previous.get(path) == Some(hash));
            if !kept {
                renderer.render_job(job, sink)?;
                rendered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            Ok::<(), anyhow::Error>(())
        })?;
    Ok(Rendered {
        pages: planned.iter().filter(|(p, _)| p.ends_with(".html")).count(),
        hashes: planned.into_iter().collect(),
        rendered: rendered.into_inner(),
    })
}

/// Collects rendered files in memory.
#[derive(Default)]
pub struct MemorySink {
    files: std::sync::Mutex<Vec<OutputFile>>,
}

impl Sink for MemorySink {
    fn file(&self, path: &str, bytes: &[u8]) -> anyhow::Result<()> {
        check_output_path(path)?;
        let file = OutputFile {
            path: path.to_string(),
            bytes: bytes.to_vec(),
        };
        self.files
            .lock()
            .map_err(|_| anyhow::anyhow!("a render thread failed"))?
            .push(file);
        Ok(())
    }
}

impl MemorySink {
    /// The files received, in no particular order.
    pub fn into_files(self) -> anyhow::Result<Vec<OutputFile>> {
        self.files
            .into_inner()
            .map_err(|_| anyhow::anyhow!("a render thread failed"))
    }
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

/// The content of the site's own file at `relative` (a template or an
/// asset that overrides a built-in one), `None` when the site has none.
/// A link out of the site or into a hidden folder is refused, never read.
fn site_override(site_root: &Path, relative: &str) -> anyhow::Result<Option<Vec<u8>>> {
    let path = site_root.join(relative);
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    let canonical_root = site_root
        .canonicalize()
        .with_context(|| format!("reading {}", site_root.display()))?;
    match crate::source::inside_site(&canonical_root, &path) {
        Some(real) if real.is_file() => std::fs::read(&real)
            .map(Some)
            .with_context(|| format!("reading {}", path.display())),
        Some(_) => Ok(None),
        None => anyhow::bail!(
            "{relative} is a link out of the site or into a hidden folder; okra reads only files inside the site root"
        ),
    }
}

/// The built-in templates with the site's overrides on top, and a hash of
/// their text.
pub fn templates(site_root: &Path) -> anyhow::Result<(Tera, u64)> {
    let mut tera = Tera::new();
    let mut sources: Vec<(String, String)> = TEMPLATES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    for (name, text) in &mut sources {
        if let Some(bytes) = site_override(site_root, &format!("templates/{name}"))? {
            *text = String::from_utf8(bytes)
                .with_context(|| format!("templates/{name} is not UTF-8"))?;
        }
    }
    tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| anyhow::anyhow!("in the templates: {e}"))?;
    Ok((tera, plan::fingerprint(&sources)))
}

struct Renderer<'a> {
    site: &'a Site,
    tera: Tera,
    pages: PageMap,
    current_period: Option<usize>,
    /// Objective indices by period index, in site order.
    by_period: Vec<Vec<usize>>,
    /// Objective indices by owner team index, in site order.
    by_owner: Vec<Vec<usize>>,
    /// KPI indices by owner team index, in site order.
    kpis_by_owner: Vec<Vec<usize>>,
    /// Teams in tree order with their depth.
    team_order: Vec<(usize, usize)>,
    /// Free pages in navigation order.
    nav_pages: Vec<usize>,
    cache: Option<&'a BodyCache>,
    /// A hash of `pages`, which rendered bodies depend on.
    pages_hash: u64,
    fingerprints: plan::Fingerprints,
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, tera: Tera, cache: Option<&'a BodyCache>) -> Renderer<'a> {
        let mut pages = PageMap::new();
        for t in &site.teams {
            pages.insert(t.path.clone(), format!("teams/{}.html", t.id));
        }
        for o in &site.objectives {
            pages.insert(o.path.clone(), format!("objectives/{}.html", o.id));
        }
        for k in &site.kpis {
            pages.insert(k.path.clone(), format!("kpis/{}.html", k.id));
        }
        for p in &site.pages {
            pages.insert(p.path.clone(), format!("pages/{}.html", p.id));
        }
        let current_period = current_period(site);
        let mut by_period = vec![Vec::new(); site.periods.len()];
        let mut by_owner = vec![Vec::new(); site.teams.len()];
        for (i, o) in site.objectives.iter().enumerate() {
            if let Some(p) = o.period_index {
                by_period[p].push(i);
            }
            if let Some(t) = o.owner_index {
                by_owner[t].push(i);
            }
        }
        let mut kpis_by_owner = vec![Vec::new(); site.teams.len()];
        for (i, k) in site.kpis.iter().enumerate() {
            if let Some(t) = k.owner_index {
                kpis_by_owner[t].push(i);
            }
        }
        let mut nav_pages: Vec<usize> = (0..site.pages.len()).collect();
        nav_pages.sort_by(|&a, &b| {
            let (a, b) = (&site.pages[a], &site.pages[b]);
            a.weight.total_cmp(&b.weight).then(a.title.cmp(&b.title))
        });
        let pages_hash = {
            let mut sorted: Vec<_> = pages.iter().collect();
            sorted.sort_unstable();
            plan::fingerprint(&sorted)
        };
        let mut renderer = Renderer {
            site,
            tera,
            pages,
            current_period,
            by_period,
            by_owner,
            kpis_by_owner,
            team_order: Vec::new(),
            nav_pages,
            cache,
            pages_hash,
            fingerprints: plan::Fingerprints::of(site),
        };
        renderer.team_order = renderer.compute_team_order();
        renderer
    }

    /// A document's body as sanitised HTML, its highest headings `<h{top}>`.
    fn body_html(&self, body: &str, path: &str, root: &str, top: usize) -> Arc<str> {
        let inputs = (body, root, top, self.pages_hash);
        cache::body(self.cache, Product::Html, path, inputs, || {
            markdown::render(body, path, root, &self.pages, top)
        })
    }

    fn page_info(&self, root: &str, title: &str, section: &'static str) -> PageInfo {
        let free = self.nav_pages.iter().map(|&i| &self.site.pages[i]);
        PageInfo {
            root: root.to_string(),
            site_title: self.site.title.clone(),
            title: title.to_string(),
            section,
            nav: Nav {
                home: format!("{root}index.html"),
                periods: format!("{root}periods.html"),
                teams: format!("{root}teams.html"),
                kpis: format!("{root}kpis.html"),
                tree: self
                    .current_period
                    .map(|p| format!("{root}tree/{}.html", self.site.periods[p].id)),
                search: format!("{root}search.html"),
                pages: free
                    .map(|p| Link {
                        href: format!("{root}pages/{}.html", p.id),
                        text: p.title.clone(),
                    })
                    .collect(),
            },
            as_of: self.site.as_of.to_string(),
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
        let site = self.site;
        let mut jobs = vec![
            Job::SearchIndex,
            Job::DataJson,
            Job::Home,
            Job::PeriodsIndex,
        ];
        for (i, objectives) in self.by_period.iter().enumerate() {
            if !objectives.is_empty() {
                jobs.push(Job::Period(i));
                jobs.push(Job::Tree(i));
            }
        }
        jobs.push(Job::TeamsIndex);
        jobs.extend((0..site.teams.len()).map(Job::Team));
        jobs.push(Job::KpisIndex);
        jobs.extend((0..site.kpis.len()).map(Job::Kpi));
        jobs.extend((0..site.objectives.len()).map(Job::Objective));
        jobs.extend((0..site.pages.len()).map(Job::Page));
        jobs.push(Job::Search);
        jobs.push(Job::NotFound);
        jobs
    }

    /// Renders one job into the sink.
    fn render_job(&self, job: &Job, sink: &dyn Sink) -> anyhow::Result<()> {
        let site = self.site;
        let file = match *job {
            Job::DataJson | Job::SearchIndex => {
                let path = if let Job::DataJson = job {
                    DATA_FILES[0]
                } else {
                    DATA_FILES[1]
                };
                return sink.stream(path, &mut |out| {
                    write_data_file(site, path, self.cache, out).map(|_| ())
                });
            }
            Job::Home => self.home(),
            Job::PeriodsIndex => self.periods_index(),
            Job::Period(i) => self.period(i),
            Job::Tree(i) => self.tree(i),
            Job::TeamsIndex => self.teams_index(),
            Job::Team(i) => self.team(i),
            Job::KpisIndex => self.kpis_index(),
            Job::Kpi(i) => self.kpi(i),
            Job::Objective(i) => self.objective(i),
            Job::Page(i) => {
                let page = &site.pages[i];
                let mut context = Context::new();
                context.insert("page", &self.page_info("../", &page.title, "page"));
                context.insert("body", &*self.body_html(&page.body, &page.path, "../", 2));
                self.render("page.html", format!("pages/{}.html", page.id), &context)
            }
            Job::Search => {
                let mut context = Context::new();
                context.insert("page", &self.page_info("", "Search", "search"));
                self.render("search.html", "search.html".into(), &context)
            }
            Job::NotFound => {
                let mut context = Context::new();
                context.insert("page", &self.page_info("", "Page not found", "none"));
                self.render("404.html", "404.html".into(), &context)
            }
        }?;
        sink.file(&file.path, &file.bytes)
    }

    fn team_link(&self, id: &str, root: &str) -> Link {
        match self.site.index.teams.get(id) {
            Some(&i) => Link {
                href: format!("{root}teams/{id}.html"),
                text: self.site.teams[i].name.clone(),
            },
            None => Link {
                href: String::new(),
                text: id.to_string(),
            },
        }
    }

    fn period_link(&self, id: &str, root: &str) -> Link {
        Link {
            href: format!("{root}periods/{id}.html"),
            text: id.to_string(),
        }
    }

    fn objective_card(&self, o: &Objective, root: &str) -> ObjectiveCard {
        let score = o.score.unwrap_or(0.0);
        ObjectiveCard {
            href: format!("{root}objectives/{}.html", o.id),
            title: o.title.clone(),
            owner: self.team_link(&o.owner, root),
            period: self.period_link(&o.period, root),
            score: percent(score),
            width: (score * 100.0).round().clamp(0.0, 100.0) as u32,
            expected: percent(o.expected),
            status: status_view(o.status),
            draft: o.draft,
        }
    }

    fn kpi_card(&self, k: &Kpi, root: &str) -> KpiCard {
        let points: Vec<_> = k
            .measurements
            .iter()
            .filter(|m| m.date <= self.site.as_of)
            .map(|m| (m.date, m.value))
            .collect();
        KpiCard {
            href: format!("{root}kpis/{}.html", k.id),
            name: k.name.clone(),
            owner: self.team_link(&k.owner, root),
            value: k.latest.as_ref().map_or_else(
                || "no data".into(),
                |m| with_unit(m.value, k.unit.as_deref()),
            ),
            status: kpi_status_view(k.status),
            role: match k.role {
                crate::model::KpiRole::Focus => "focus",
                crate::model::KpiRole::HealthMetric => "health metric",
            },
            sparkline: chart::sparkline(&k.name, &points, k.unit.as_deref().unwrap_or("")),
            private: k.is_private(),
        }
    }

    fn key_result_view(&self, kr: &KeyResult, root: &str) -> KeyResultView {
        let unit = kr.unit.as_deref();
        let opt = |v: Option<f64>| v.map_or_else(String::new, |v| with_unit(v, unit));
        let band = match (kr.min, kr.max) {
            (Some(min), Some(max)) => format!("{} to {}", format_number(min), with_unit(max, unit)),
            (Some(min), None) => format!("at least {}", with_unit(min, unit)),
            (None, Some(max)) => format!("at most {}", with_unit(max, unit)),
            (None, None) => String::new(),
        };
        KeyResultView {
            id: kr.id.clone(),
            title: kr.title.clone(),
            kind: kr.kind.as_str(),
            score: percent(kr.score),
            width: (kr.score * 100.0).round().clamp(0.0, 100.0) as u32,
            status: status_view(kr.status),
            start: opt(kr.start),
            current: if kr.kind == KrKind::Milestone {
                String::new()
            } else {
                opt(kr.current)
            },
            target: opt(kr.target),
            band,
            milestone: match (kr.kind, kr.done, kr.progress) {
                (KrKind::Milestone, true, _) => "done".into(),
                (KrKind::Milestone, false, Some(p)) => format!("in progress, {}", percent(p)),
                (KrKind::Milestone, false, None) => "not done".into(),
                _ => String::new(),
            },
            due: kr.due.map(|d| d.to_string()).unwrap_or_default(),
            confidence: kr.confidence.map(percent).unwrap_or_default(),
            weight: if kr.weight == 1.0 {
                String::new()
            } else {
                format_number(kr.weight)
            },
            owner: kr.owner.clone().unwrap_or_default(),
            kpi: kr.kpi_index.map(|k| Link {
                href: format!("{root}kpis/{}.html", self.site.kpis[k].id),
                text: self.site.kpis[k].name.clone(),
            }),
            checkins: kr
                .checkins
                .iter()
                .filter(|c| c.date <= self.site.as_of)
                .map(|c| CheckinView {
                    date: c.date.to_string(),
                    value: match (c.value, c.done) {
                        (_, Some(true)) => "done".into(),
                        (Some(v), _) if kr.kind == KrKind::Milestone => percent(v),
                        (Some(v), _) => with_unit(v, unit),
                        (None, Some(false)) => "not done".into(),
                        (None, None) => String::new(),
                    },
                    confidence: c.confidence.map(percent).unwrap_or_default(),
                    note: c.note.clone().unwrap_or_default(),
                })
                .collect(),
        }
    }

    fn home(&self) -> anyhow::Result<OutputFile> {
        let site = self.site;
        let root = "";
        let running: Vec<&Objective> = site
            .objectives
            .iter()
            .filter(|o| o.phase == Phase::Running)
            .collect();
        let company: Vec<ObjectiveCard> = running
            .iter()
            .filter(|o| {
                o.owner_index
                    .is_some_and(|t| site.teams[t].parent_index.is_none())
            })
            .map(|o| self.objective_card(o, root))
            .collect();
        let scores: Vec<f64> = running.iter().filter_map(|o| o.score).collect();
        let overall = crate::score::weighted_mean(scores.iter().map(|&s| (s, 1.0)));
        let expected = crate::score::weighted_mean(running.iter().map(|o| (o.expected, 1.0)));
        let at_risk: Vec<ObjectiveCard> = running
            .iter()
            .filter(|o| matches!(o.status, Status::AtRisk | Status::OffTrack))
            .map(|o| self.objective_card(o, root))
            .collect();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for o in &running {
            *counts.entry(o.status.label()).or_default() += 1;
        }
        let attention: Vec<KpiCard> = site
            .kpis
            .iter()
            .filter(|k| {
                matches!(
                    k.status,
                    KpiStatus::Unhealthy | KpiStatus::Stale | KpiStatus::NoData
                )
            })
            .map(|k| self.kpi_card(k, root))
            .collect();
        let healthy = site
            .kpis
            .iter()
            .filter(|k| k.status == KpiStatus::Healthy)
            .count();
        let current = self.current_period.map(|p| &site.periods[p]);
        let mut context = Context::new();
        context.insert("page", &self.page_info(root, &site.title, "home"));
        context.insert("period", &current.map(|p| self.period_link(&p.id, root)));
        context.insert("company", &company);
        context.insert("overall", &overall.map(percent));
        context.insert("overall_width", &(overall.unwrap_or(0.0) * 100.0).round());
        context.insert("expected", &expected.map(percent));
        context.insert("running", &running.len());
        context.insert(
            "counts",
            &counts
                .into_iter()
                .map(|(k, v)| Link {
                    href: v.to_string(),
                    text: k.to_string(),
                })
                .collect::<Vec<_>>(),
        );
        context.insert("at_risk", &at_risk);
        context.insert("kpi_attention", &attention);
        context.insert("kpi_total", &site.kpis.len());
        context.insert("kpi_healthy", &healthy);
        self.render("index.html", "index.html".into(), &context)
    }

    fn periods_index(&self) -> anyhow::Result<OutputFile> {
        #[derive(Serialize)]
        struct Row {
            link: Link,
            start: String,
            end: String,
            phase: &'static str,
            objectives: usize,
            score: String,
        }
        let site = self.site;
        let rows: Vec<Row> = site
            .periods
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let objectives: Vec<&Objective> = self.by_period[i]
                    .iter()
                    .map(|&o| &site.objectives[o])
                    .collect();
                if objectives.is_empty() {
                    return None;
                }
                let mean = crate::score::weighted_mean(
                    objectives.iter().filter_map(|o| o.score).map(|s| (s, 1.0)),
                );
                Some(Row {
                    link: self.period_link(&p.id, ""),
                    start: p.start.to_string(),
                    end: p.end.to_string(),
                    phase: match p.phase(site.as_of) {
                        Phase::Upcoming => "upcoming",
                        Phase::Running => "running",
                        Phase::Ended => "ended",
                    },
                    objectives: objectives.len(),
                    score: mean.map(percent).unwrap_or_default(),
                })
            })
            .collect();
        let mut context = Context::new();
        context.insert("page", &self.page_info("", "Periods", "periods"));
        context.insert("periods", &rows);
        self.render("periods.html", "periods.html".into(), &context)
    }

    /// Team indices in tree order (parents before children, siblings by name).
    fn compute_team_order(&self) -> Vec<(usize, usize)> {
        let site = self.site;
        let mut roots: Vec<usize> = (0..site.teams.len())
            .filter(|&i| site.teams[i].parent_index.is_none())
            .collect();
        roots.sort_by(|&a, &b| site.teams[a].name.cmp(&site.teams[b].name));
        let mut out = Vec::new();
        let mut seen = vec![false; site.teams.len()];
        let mut stack: Vec<(usize, usize)> = roots.into_iter().rev().map(|r| (r, 0)).collect();
        while let Some((team, depth)) = stack.pop() {
            if std::mem::replace(&mut seen[team], true) {
                continue;
            }
            out.push((team, depth));
            let mut children: Vec<usize> = site.teams[team]
                .children
                .iter()
                .filter_map(|c| site.index.teams.get(c).copied())
                .collect();
            children.sort_by(|&a, &b| site.teams[a].name.cmp(&site.teams[b].name));
            stack.extend(children.into_iter().rev().map(|c| (c, depth + 1)));
        }
        // Teams caught in a parent cycle have no root; list them last.
        out.extend((0..site.teams.len()).filter(|&i| !seen[i]).map(|i| (i, 0)));
        out
    }

    fn period(&self, index: usize) -> anyhow::Result<OutputFile> {
        #[derive(Serialize)]
        struct Group {
            team: Link,
            objectives: Vec<ObjectiveCard>,
        }
        let site = self.site;
        let period = &site.periods[index];
        let root = "../";
        let mut groups = Vec::new();
        let mut by_team: BTreeMap<usize, Vec<ObjectiveCard>> = BTreeMap::new();
        for &o in &self.by_period[index] {
            if let Some(team) = site.objectives[o].owner_index {
                by_team
                    .entry(team)
                    .or_default()
                    .push(self.objective_card(&site.objectives[o], root));
            }
        }
        for &(team, _) in &self.team_order {
            if let Some(objectives) = by_team.remove(&team) {
                groups.push(Group {
                    team: self.team_link(&site.teams[team].id, root),
                    objectives,
                });
            }
        }
        let mut context = Context::new();
        context.insert(
            "page",
            &self.page_info(root, &format!("Period {}", period.id), "periods"),
        );
        context.insert("id", &period.id);
        context.insert("start", &period.start.to_string());
        context.insert("end", &period.end.to_string());
        context.insert("expected", &percent(period.elapsed(site.as_of)));
        context.insert(
            "phase",
            match period.phase(site.as_of) {
                Phase::Upcoming => "upcoming",
                Phase::Running => "running",
                Phase::Ended => "ended",
            },
        );
        context.insert("tree", &format!("{root}tree/{}.html", period.id));
        context.insert("groups", &groups);
        self.render(
            "period.html",
            format!("periods/{}.html", period.id),
            &context,
        )
    }

    fn tree(&self, index: usize) -> anyhow::Result<OutputFile> {
        let site = self.site;
        let period = &site.periods[index];
        let root = "../";
        let in_period = |o: &Objective| o.period_index == Some(index);
        // Roots: objectives of this period whose parent is not in it.
        let roots: Vec<usize> = self.by_period[index]
            .iter()
            .copied()
            .filter(|&i| {
                site.objectives[i]
                    .parent_index
                    .is_none_or(|p| !in_period(&site.objectives[p]))
            })
            .collect();
        let mut html = String::new();
        let mut seen = vec![false; site.objectives.len()];
        self.tree_list(&roots, root, &in_period, &mut seen, &mut html);
        let mut context = Context::new();
        context.insert(
            "page",
            &self.page_info(root, &format!("Alignment tree {}", period.id), "tree"),
        );
        context.insert("id", &period.id);
        context.insert("period", &self.period_link(&period.id, root));
        context.insert("tree", &html);
        self.render("tree.html", format!("tree/{}.html", period.id), &context)
    }

    /// Writes nested lists of objectives, iteratively so deep cascades
    /// cannot overflow the stack.
    fn tree_list(
        &self,
        roots: &[usize],
        root: &str,
        include: &dyn Fn(&Objective) -> bool,
        seen: &mut [bool],
        html: &mut String,
    ) {
        enum Step {
            Open(usize),
            Close,
        }
        let site = self.site;
        html.push_str("<ul class=\"tree\">");
        let mut stack: Vec<Step> = roots.iter().rev().map(|&r| Step::Open(r)).collect();
        while let Some(step) = stack.pop() {
            match step {
                Step::Close => html.push_str("</ul></details></li>"),
                Step::Open(i) => {
                    if std::mem::replace(&mut seen[i], true) {
                        continue;
                    }
                    let o = &site.objectives[i];
                    let card = self.objective_card(o, root);
                    let children: Vec<usize> = o
                        .children
                        .iter()
                        .filter_map(|c| site.index.objectives.get(c).copied())
                        .filter(|&c| include(&site.objectives[c]) && !seen[c])
                        .collect();
                    let node = format!(
                        "<a href=\"{}\">{}</a> <span class=\"owner\">{}</span> <span class=\"score\">{}</span> <span class=\"status status-{}\">{}</span>",
                        escape(&card.href),
                        escape(&card.title),
                        escape(&card.owner.text),
                        card.score,
                        card.status.class,
                        card.status.label
                    );
                    html.push_str("<li>");
                    html.push_str(&node);
                    if children.is_empty() {
                        html.push_str("</li>");
                    } else {
                        let _ = write!(
                            html,
                            "<details open><summary>{} aligned</summary><ul>",
                            children.len()
                        );
                        stack.push(Step::Close);
                        stack.extend(children.into_iter().rev().map(Step::Open));
                    }
                }
            }
        }
        html.push_str("</ul>");
    }

    fn teams_index(&self) -> anyhow::Result<OutputFile> {
        #[derive(Serialize)]
        struct Row {
            link: Link,
            depth: usize,
            kind: &'static str,
            lead: String,
            objectives: usize,
        }
        let site = self.site;
        let rows: Vec<Row> = self
            .team_order
            .iter()
            .copied()
            .map(|(i, depth)| {
                let t = &site.teams[i];
                Row {
                    link: self.team_link(&t.id, ""),
                    depth: depth.min(6),
                    kind: t.kind.as_str(),
                    lead: t.lead.clone().unwrap_or_default(),
                    objectives: self.by_owner[i].len(),
                }
            })
            .collect();
        let mut context = Context::new();
        context.insert("page", &self.page_info("", "Teams", "teams"));
        context.insert("teams", &rows);
        self.render("teams.html", "teams.html".into(), &context)
    }

    fn team(&self, index: usize) -> anyhow::Result<OutputFile> {
        #[derive(Serialize)]
        struct PeriodGroup {
            period: Link,
            objectives: Vec<ObjectiveCard>,
        }
        #[derive(Serialize)]
        struct EarlierPeriod {
            period: Link,
            objectives: usize,
            score: String,
        }
        let site = self.site;
        let team = &site.teams[index];
        let root = "../";
        let mut by_period: BTreeMap<usize, Vec<&Objective>> = BTreeMap::new();
        for &o in &self.by_owner[index] {
            if let Some(p) = site.objectives[o].period_index {
                by_period.entry(p).or_default().push(&site.objectives[o]);
            }
        }
        // The latest periods in full; a line for each earlier one, so that
        // a long history does not make the page grow without bound.
        let mut groups = Vec::new();
        let mut earlier = Vec::new();
        for (n, (p, objectives)) in by_period.into_iter().rev().enumerate() {
            let period = self.period_link(&site.periods[p].id, root);
            if n < TEAM_PERIODS_IN_FULL {
                groups.push(PeriodGroup {
                    period,
                    objectives: objectives
                        .iter()
                        .map(|o| self.objective_card(o, root))
                        .collect(),
                });
            } else {
                let mean = crate::score::weighted_mean(
                    objectives.iter().filter_map(|o| o.score).map(|s| (s, 1.0)),
                );
                earlier.push(EarlierPeriod {
                    period,
                    objectives: objectives.len(),
                    score: mean.map_or_else(|| "–".to_string(), percent),
                });
            }
        }
        let mut children: Vec<Link> = team
            .children
            .iter()
            .map(|c| self.team_link(c, root))
            .collect();
        children.sort_by(|a, b| a.text.cmp(&b.text));
        let kpis: Vec<KpiCard> = self.kpis_by_owner[index]
            .iter()
            .map(|&k| self.kpi_card(&site.kpis[k], root))
            .collect();
        let mut context = Context::new();
        context.insert("page", &self.page_info(root, &team.name, "teams"));
        context.insert("name", &team.name);
        context.insert(
            "kind",
            match team.kind {
                TeamKind::Company => "Company",
                TeamKind::Department => "Department",
                TeamKind::Team => "Team",
                TeamKind::Person => "Person",
            },
        );
        context.insert("lead", &team.lead);
        context.insert("members", &team.members);
        context.insert(
            "parent",
            &team
                .parent_index
                .map(|p| self.team_link(&site.teams[p].id, root)),
        );
        context.insert("children", &children);
        context.insert("groups", &groups);
        context.insert("earlier", &earlier);
        context.insert("kpis", &kpis);
        context.insert("body", &*self.body_html(&team.body, &team.path, root, 2));
        self.render("team.html", format!("teams/{}.html", team.id), &context)
    }

    fn kpis_index(&self) -> anyhow::Result<OutputFile> {
        let mut kpis: Vec<&Kpi> = self.site.kpis.iter().collect();
        kpis.sort_by(|a, b| a.name.cmp(&b.name));
        let cards: Vec<KpiCard> = kpis.iter().map(|k| self.kpi_card(k, "")).collect();
        let mut context = Context::new();
        context.insert("page", &self.page_info("", "KPIs", "kpis"));
        context.insert("kpis", &cards);
        self.render("kpis.html", "kpis.html".into(), &context)
    }

    fn kpi(&self, index: usize) -> anyhow::Result<OutputFile> {
        #[derive(Serialize)]
        struct Row {
            date: String,
            value: String,
            future: bool,
        }
        #[derive(Serialize)]
        struct Use {
            objective: Link,
            key_result: String,
            status: StatusView,
            target: String,
        }
        let site = self.site;
        let kpi = &site.kpis[index];
        let root = "../";
        let unit = kpi.unit.as_deref().unwrap_or("");
        let points: Vec<_> = kpi
            .measurements
            .iter()
            .filter(|m| m.date <= site.as_of)
            .map(|m| (m.date, m.value))
            .collect();
        let uses = |refs: &[crate::model::KeyResultRef]| -> Vec<Use> {
            refs.iter()
                .filter_map(|r| {
                    let o = &site.objectives[*site.index.objectives.get(&r.objective)?];
                    let kr = o.key_results.iter().find(|k| k.id == r.key_result)?;
                    Some(Use {
                        objective: Link {
                            href: format!("{root}objectives/{}.html", o.id),
                            text: o.title.clone(),
                        },
                        key_result: kr.title.clone(),
                        status: status_view(kr.status),
                        target: kr
                            .target
                            .map(|t| with_unit(t, kpi.unit.as_deref()))
                            .unwrap_or_default(),
                    })
                })
                .collect()
        };
        let focus = uses(&kpi.focus);
        let targets: Vec<chart::TargetLine> = kpi
            .focus
            .iter()
            .filter_map(|r| {
                let o = &site.objectives[*site.index.objectives.get(&r.objective)?];
                let kr = o.key_results.iter().find(|k| k.id == r.key_result)?;
                Some(chart::TargetLine {
                    label: format!("target {} ({})", format_number(kr.target?), o.period),
                    value: kr.target?,
                })
            })
            .collect();
        let others: Vec<crate::model::KeyResultRef> = kpi
            .key_results
            .iter()
            .filter(|r| !kpi.focus.contains(r))
            .cloned()
            .collect();
        let band = match (kpi.healthy_min, kpi.healthy_max) {
            (Some(min), Some(max)) => format!(
                "{} to {}",
                format_number(min),
                with_unit(max, kpi.unit.as_deref())
            ),
            (Some(min), None) => format!("at least {}", with_unit(min, kpi.unit.as_deref())),
            (None, Some(max)) => format!("at most {}", with_unit(max, kpi.unit.as_deref())),
            (None, None) => String::new(),
        };
        let mut context = Context::new();
        context.insert("page", &self.page_info(root, &kpi.name, "kpis"));
        context.insert("kpi", &self.kpi_card(kpi, root));
        context.insert(
            "chart",
            &chart::history(
                &kpi.id,
                &kpi.name,
                &points,
                (kpi.healthy_min, kpi.healthy_max),
                &targets,
                unit,
            ),
        );
        context.insert(
            "rows",
            &kpi.measurements
                .iter()
                .rev()
                .map(|m| Row {
                    date: m.date.to_string(),
                    value: with_unit(m.value, kpi.unit.as_deref()),
                    future: m.date > site.as_of,
                })
                .collect::<Vec<_>>(),
        );
        context.insert(
            "direction",
            match kpi.direction {
                crate::load::Direction::Higher => "higher is better",
                crate::load::Direction::Lower => "lower is better",
            },
        );
        context.insert(
            "cadence",
            match kpi.cadence {
                crate::load::Cadence::Weekly => "weekly",
                crate::load::Cadence::Monthly => "monthly",
                crate::load::Cadence::Quarterly => "quarterly",
                crate::load::Cadence::Yearly => "yearly",
            },
        );
        context.insert("band", &band);
        context.insert(
            "last_measured",
            &kpi.latest.as_ref().map(|m| m.date.to_string()),
        );
        context.insert(
            "age",
            &kpi.latest.as_ref().map(|m| site.as_of.days_since(m.date)),
        );
        context.insert("focus", &focus);
        context.insert("others", &uses(&others));
        context.insert("body", &*self.body_html(&kpi.body, &kpi.path, root, 3));
        self.render("kpi.html", format!("kpis/{}.html", kpi.id), &context)
    }

    fn objective(&self, index: usize) -> anyhow::Result<OutputFile> {
        let site = self.site;
        let o = &site.objectives[index];
        let root = "../";
        let breadcrumb: Vec<Link> = o
            .cascade
            .iter()
            .filter_map(|id| site.index.objectives.get(id))
            .map(|&p| Link {
                href: format!("{root}objectives/{}.html", site.objectives[p].id),
                text: site.objectives[p].title.clone(),
            })
            .collect();
        let children: Vec<ObjectiveCard> = o
            .children
            .iter()
            .filter_map(|c| site.index.objectives.get(c))
            .map(|&c| self.objective_card(&site.objectives[c], root))
            .collect();
        let mut kpi_ids: Vec<usize> = o.key_results.iter().filter_map(|kr| kr.kpi_index).collect();
        kpi_ids.dedup();
        let mut seen = std::collections::HashSet::new();
        let kpis: Vec<KpiCard> = kpi_ids
            .into_iter()
            .filter(|k| seen.insert(*k))
            .map(|k| self.kpi_card(&site.kpis[k], root))
            .collect();
        let mut context = Context::new();
        context.insert("page", &self.page_info(root, &o.title, "objective"));
        context.insert("objective", &self.objective_card(o, root));
        context.insert("breadcrumb", &breadcrumb);
        context.insert("skipped", &o.cascade_skipped);
        context.insert(
            "key_results",
            &o.key_results
                .iter()
                .map(|kr| self.key_result_view(kr, root))
                .collect::<Vec<_>>(),
        );
        context.insert("children", &children);
        context.insert("children_score", &o.children_score.map(percent));
        context.insert("kpis", &kpis);
        context.insert("body", &*self.body_html(&o.body, &o.path, root, 3));
        self.render(
            "objective.html",
            format!("objectives/{}.html", o.id),
            &context,
        )
    }
}

/// The period the site is about now: of the periods with objectives that
/// contain the as-of date, the one with the most objectives (the shorter on
/// a tie); else the latest one that has started.
fn current_period(site: &Site) -> Option<usize> {
    let mut counts = vec![0usize; site.periods.len()];
    for o in &site.objectives {
        if let Some(p) = o.period_index {
            counts[p] += 1;
        }
    }
    let with_objectives: Vec<usize> = (0..site.periods.len()).filter(|&i| counts[i] > 0).collect();
    let running = with_objectives
        .iter()
        .copied()
        .filter(|&i| site.periods[i].includes(site.as_of))
        .max_by_key(|&i| {
            (
                counts[i],
                std::cmp::Reverse(site.periods[i].days()),
                std::cmp::Reverse(i),
            )
        });
    running
        .or_else(|| {
            with_objectives
                .iter()
                .copied()
                .filter(|&i| site.periods[i].start <= site.as_of)
                .max_by_key(|&i| {
                    (
                        site.periods[i].start,
                        std::cmp::Reverse(site.periods[i].days()),
                    )
                })
        })
        .or_else(|| with_objectives.first().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_written() {
        for ok in [
            "index.html",
            "objectives/a.html",
            "assets/okra.css",
            "periods/FY27-Q1.html",
        ] {
            assert!(check_output_path(ok).is_ok(), "{ok}");
        }
        let long = format!("objectives/{}.html", "a".repeat(300));
        for bad in [
            "",
            "/etc/passwd",
            "../x.html",
            "periods/../../x.html",
            "a//b",
            "./a",
            "a/",
            "a\\..\\b",
            "c:x",
            "a\nb",
            long.as_str(),
        ] {
            assert!(check_output_path(bad).is_err(), "{bad:?}");
            assert!(MemorySink::default().file(bad, b"x").is_err(), "{bad:?}");
        }
    }
}
