//! Stage 1, load: walk a site, read every file and turn each front matter
//! into a typed document.
//!
//! Nothing here knows about other documents: references stay ids with
//! positions, for [`crate::model`] to resolve. Every problem a single file
//! can have — unreadable, not UTF-8, no front matter, bad TOML, unknown keys,
//! wrong types — becomes a diagnostic, and the file's id is remembered as
//! *broken* so that references to it do not cascade into more errors.

pub mod fields;
pub mod front_matter;
pub mod links;
mod memo;

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Component, Path, PathBuf};
use std::string::FromUtf8Error;

use anyhow::{Context, bail};
use rayon::prelude::*;
use toml::de::DeTable;

use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::period::Period;
use crate::source::{Body, FileId, Sources, Span, inside_site};
pub use fields::Sp;
use fields::{Reader, Table, check_slug};
use front_matter::SplitError;
pub use memo::Memo;
use memo::read_file;

/// The name of the config file that marks a site root.
pub const CONFIG_FILE: &str = "okra.toml";

/// The kinds of document, each in its own folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocKind {
    Team,
    Objective,
    Kpi,
    Page,
}

impl DocKind {
    pub const ALL: [DocKind; 4] = [
        DocKind::Team,
        DocKind::Objective,
        DocKind::Kpi,
        DocKind::Page,
    ];

    /// The folder under the site root that holds this kind.
    pub fn folder(self) -> &'static str {
        match self {
            DocKind::Team => "teams",
            DocKind::Objective => "objectives",
            DocKind::Kpi => "kpis",
            DocKind::Page => "pages",
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            DocKind::Team => "team",
            DocKind::Objective => "objective",
            DocKind::Kpi => "KPI",
            DocKind::Page => "page",
        }
    }
}

/// The `[lint]` section of `okra.toml`.
#[derive(Clone, Debug)]
pub struct LintConfig {
    pub objectives_per_team: usize,
    pub key_results: (usize, usize),
    pub allow: Vec<Code>,
    pub deny: Vec<Code>,
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig {
            objectives_per_team: 3,
            key_results: (1, 5),
            allow: Vec::new(),
            deny: Vec::new(),
        }
    }
}

/// `okra.toml`.
#[derive(Clone, Debug)]
pub struct Config {
    pub title: String,
    pub base_url: Option<String>,
    pub as_of: Option<Date>,
    pub lint: LintConfig,
    /// Periods declared with `[periods.ID]`.
    pub periods: Vec<Sp<Period>>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "OKRs".to_string(),
            base_url: None,
            as_of: None,
            lint: LintConfig::default(),
            periods: Vec::new(),
        }
    }
}

/// What every document has.
#[derive(Clone, Debug)]
pub struct DocHead {
    pub file: FileId,
    /// The `id` value, or the file stem (then spanning the opening fence).
    pub id: Sp<String>,
    /// The opening `+++`, for problems of the document as a whole.
    pub fence: Span,
    /// The Markdown body.
    pub body: Body,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
    /// Every link and image target in the body, where it is written.
    pub links: Vec<Sp<String>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TeamKind {
    Company,
    Department,
    Team,
    Person,
}

impl TeamKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TeamKind::Company => "company",
            TeamKind::Department => "department",
            TeamKind::Team => "team",
            TeamKind::Person => "person",
        }
    }
}

#[derive(Clone, Debug)]
pub struct TeamDoc {
    pub head: DocHead,
    pub name: Option<Sp<String>>,
    pub parent: Option<Sp<String>>,
    pub kind: TeamKind,
    pub lead: Option<String>,
    pub members: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KrKind {
    Metric,
    Milestone,
    Health,
}

impl KrKind {
    pub fn as_str(self) -> &'static str {
        match self {
            KrKind::Metric => "metric",
            KrKind::Milestone => "milestone",
            KrKind::Health => "health",
        }
    }
}

#[derive(Clone, Debug)]
pub struct CheckinDoc {
    pub span: Span,
    pub date: Option<Sp<Date>>,
    pub value: Option<Sp<f64>>,
    pub done: Option<Sp<bool>>,
    pub confidence: Option<f64>,
    pub note: Option<String>,
}

#[derive(Clone, Debug)]
pub struct KeyResultDoc {
    /// The `[[key_results]]` header or inline table.
    pub span: Span,
    pub id: Sp<String>,
    pub title: Option<Sp<String>>,
    pub kind: Option<Sp<KrKind>>,
    pub start: Option<Sp<f64>>,
    pub target: Option<Sp<f64>>,
    pub current: Option<Sp<f64>>,
    pub unit: Option<String>,
    pub kpi: Option<Sp<String>>,
    pub done: Option<Sp<bool>>,
    pub progress: Option<Sp<f64>>,
    pub due: Option<Sp<Date>>,
    pub min: Option<Sp<f64>>,
    pub max: Option<Sp<f64>>,
    pub weight: f64,
    pub confidence: Option<f64>,
    pub owner: Option<String>,
    pub checkins: Vec<CheckinDoc>,
    /// Every known key written, with its position, for kind inference.
    pub keys: Vec<Sp<&'static str>>,
}

#[derive(Clone, Debug)]
pub struct ObjectiveDoc {
    pub head: DocHead,
    pub title: Option<Sp<String>>,
    pub owner: Option<Sp<String>>,
    pub period: Option<Sp<String>>,
    pub parent: Option<Sp<String>>,
    pub draft: bool,
    pub key_results: Vec<KeyResultDoc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Higher,
    Lower,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Cadence {
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
}

impl Cadence {
    /// Days after which a measurement is stale.
    pub fn days(self) -> i32 {
        match self {
            Cadence::Weekly => 7,
            Cadence::Monthly => 31,
            Cadence::Quarterly => 92,
            Cadence::Yearly => 366,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    Public,
    Private,
}

/// A measurement with where it was written.
#[derive(Clone, Debug)]
pub struct MeasurementDoc {
    pub span: Span,
    pub date: Date,
    pub value: f64,
}

#[derive(Clone, Debug)]
pub struct KpiDoc {
    pub head: DocHead,
    pub name: Option<Sp<String>>,
    pub owner: Option<Sp<String>>,
    pub unit: Option<String>,
    pub direction: Direction,
    pub cadence: Cadence,
    pub visibility: Visibility,
    pub healthy_min: Option<f64>,
    pub healthy_max: Option<f64>,
    pub measurements: Vec<MeasurementDoc>,
    /// The CSV data file, relative to the site root, when one is named and
    /// stays inside the site.
    pub data_path: Option<String>,
}

#[derive(Clone, Debug)]
pub struct PageDoc {
    pub head: DocHead,
    pub title: Option<Sp<String>>,
    pub weight: f64,
}

/// Everything read from a site, before ids are resolved.
#[derive(Debug)]
pub struct Loaded {
    pub root: PathBuf,
    pub sources: Sources,
    pub config: Config,
    pub config_file: FileId,
    pub teams: Vec<TeamDoc>,
    pub objectives: Vec<ObjectiveDoc>,
    pub kpis: Vec<KpiDoc>,
    pub pages: Vec<PageDoc>,
    /// Ids of documents that could not be read: references to them are not
    /// reported again.
    pub broken: BTreeSet<(DocKind, String)>,
    /// Every `.md` document path (relative to the root), for link checks.
    pub documents: Vec<(String, DocKind, String)>,
    /// The files under `static/`, by their path inside it, for link checks.
    pub static_files: BTreeSet<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads a site. Fails only when the root or its `okra.toml` cannot be read;
/// every problem inside the site is a diagnostic.
pub fn load(root: &Path) -> anyhow::Result<Loaded> {
    load_with(root, None)
}

/// [`load`], reusing the documents of earlier runs kept in `memo` whose
/// files did not change.
pub fn load_with(root: &Path, memo: Option<&Memo>) -> anyhow::Result<Loaded> {
    let config_path = root.join(CONFIG_FILE);
    if !root.is_dir() {
        bail!("{} is not a folder", root.display());
    }
    if !config_path.is_file() {
        bail!(
            "no {CONFIG_FILE} in {}: is this a site root? (`okra init` makes one, `--root DIR` names another)",
            root.display()
        );
    }
    let canonical_root = root
        .canonicalize()
        .with_context(|| format!("reading {}", root.display()))?;
    let Some(real_config) = inside_site(&canonical_root, &config_path) else {
        bail!(
            "{} is a link to a file outside the site; okra reads only files inside the site root",
            config_path.display()
        );
    };
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    let config_text =
        fs::read(&real_config).with_context(|| format!("reading {}", config_path.display()))?;
    let config_file = add_text(
        &mut sources,
        &mut diagnostics,
        CONFIG_FILE,
        String::from_utf8(config_text),
    );
    let config = read_config(&sources, config_file, &mut diagnostics);

    for folder in ["templates", "static"] {
        report_links_out(root, &canonical_root, folder, &mut diagnostics);
    }
    let mut paths: Vec<(DocKind, PathBuf)> = Vec::new();
    crate::timing::phase("walk", || {
        for kind in DocKind::ALL {
            for path in walk(root, &canonical_root, kind.folder(), &mut diagnostics) {
                paths.push((kind, path));
            }
        }
    });
    let contents: Vec<std::io::Result<Result<String, FromUtf8Error>>> =
        crate::timing::phase("read", || {
            paths
                .par_iter()
                .map(|(_, path)| read_file(memo, path).map(String::from_utf8))
                .collect()
        });
    let mut files: Vec<(DocKind, FileId)> = Vec::new();
    for ((kind, path), content) in paths.into_iter().zip(contents) {
        let relative = relative_path(root, &path);
        match content {
            Ok(decoded) => {
                let id = add_text(&mut sources, &mut diagnostics, &relative, decoded);
                files.push((kind, id));
            }
            Err(error) => diagnostics.push(Diagnostic::new(
                Code::UnreadableFile,
                format!("cannot read `{relative}`: {error}"),
            )),
        }
    }

    let mut loaded = Loaded {
        root: root.to_path_buf(),
        sources,
        config,
        config_file,
        teams: Vec::new(),
        objectives: Vec::new(),
        kpis: Vec::new(),
        pages: Vec::new(),
        broken: BTreeSet::new(),
        documents: Vec::new(),
        static_files: static_files(root, &canonical_root),
        diagnostics,
    };
    let not_utf8: HashSet<FileId> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::NotUtf8)
        .filter_map(|d| d.file)
        .collect();
    let documents: Vec<ReadDocument> = crate::timing::phase("parse", || {
        files
            .par_iter()
            .map(|&(kind, file)| {
                let not_utf8 = not_utf8.contains(&file);
                let read = || read_document(&loaded.sources, kind, file, not_utf8);
                let Some(memo) = memo else {
                    return read();
                };
                let source = loaded.sources.get(file);
                let key = (&source.path, kind, file, not_utf8, source.text.as_str());
                let mut hasher = DefaultHasher::new();
                key.hash(&mut hasher);
                memo.get_or_read(hasher.finish(), read)
            })
            .collect()
    });
    for read in documents {
        loaded.diagnostics.extend(read.diagnostics);
        if read.doc.is_none() {
            loaded.broken.insert((read.kind, read.id.clone()));
        }
        loaded
            .documents
            .push((read.path.clone(), read.kind, read.id));
        match read.doc {
            None => {}
            Some(Doc::Team(doc)) => loaded.teams.push(doc),
            Some(Doc::Objective(doc)) => loaded.objectives.push(doc),
            Some(Doc::Page(doc)) => loaded.pages.push(doc),
            Some(Doc::Kpi(mut doc, data)) => {
                if let Some(data) = data {
                    let (data_path, measurements) =
                        read_csv(&mut loaded, &canonical_root, &read.path, &data);
                    doc.data_path = data_path;
                    doc.measurements.extend(measurements);
                    doc.measurements.sort_by_key(|m| m.date);
                }
                loaded.kpis.push(doc);
            }
        }
    }
    Ok(loaded)
}

/// Adds a file's text to the sources, reporting invalid UTF-8 at the first
/// bad byte.
fn add_text(
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
    path: &str,
    decoded: Result<String, FromUtf8Error>,
) -> FileId {
    match decoded {
        Ok(text) => sources.add(path, text),
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
            // Where the bad byte lands once the sources drop a byte-order
            // mark and turn CRLF into LF before it.
            let before = &text[..valid];
            let shift =
                if before.starts_with('\u{feff}') { 3 } else { 0 } + before.matches("\r\n").count();
            let id = sources.add(path, text);
            let text = sources.get(id).text.as_str();
            let mut valid = valid.saturating_sub(shift).min(text.len());
            while !text.is_char_boundary(valid) {
                valid -= 1;
            }
            let end = text[valid..]
                .chars()
                .next()
                .map_or(valid, |c| valid + c.len_utf8());
            diagnostics.push(
                Diagnostic::new(Code::NotUtf8, format!("`{path}` is not valid UTF-8"))
                    .at(Span::new(id, valid..end))
                    .label("invalid byte sequence")
                    .hint("save the file as UTF-8"),
            );
            id
        }
    }
}

/// Reports each link under a folder okra copies or reads at render time
/// (`templates/`, `static/`), and the folder itself, that leads out of the
/// site, into a hidden folder or to nothing. Rendering refuses them too.
fn report_links_out(
    root: &Path,
    canonical_root: &Path,
    folder: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let dir = root.join(folder);
    let Ok(meta) = fs::symlink_metadata(&dir) else {
        return;
    };
    let mut links = Vec::new();
    if meta.file_type().is_symlink() {
        links.push(dir.clone());
    } else if meta.is_dir() {
        let walker = walkdir::WalkDir::new(&dir)
            .follow_links(false)
            .sort_by_file_name();
        links.extend(
            walker
                .into_iter()
                .flatten()
                .filter(|e| e.file_type().is_symlink())
                .map(|e| e.into_path()),
        );
    }
    for link in links {
        if inside_site(canonical_root, &link).is_none() {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnreadableFile,
                    format!(
                        "`{}` is a link out of the site, into a hidden folder or to nothing",
                        relative_path(root, &link)
                    ),
                )
                .hint("okra reads and publishes only files inside the site root; copy the file in instead"),
            );
        }
    }
}

/// The files under `static/` that a build publishes, by their path inside it.
fn static_files(root: &Path, canonical_root: &Path) -> BTreeSet<String> {
    let dir = root.join("static");
    if inside_site(canonical_root, &dir).is_none() {
        return BTreeSet::new();
    }
    walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .into_iter()
        .flatten()
        .filter(|entry| {
            entry.file_type().is_file()
                || (entry.file_type().is_symlink()
                    && inside_site(canonical_root, entry.path()).is_some_and(|t| t.is_file()))
        })
        .map(|entry| relative_path(&dir, entry.path()))
        .collect()
}

/// The `.md` files (and for KPIs, nothing else) under a folder, sorted.
fn walk(
    root: &Path,
    canonical_root: &Path,
    folder: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<PathBuf> {
    let dir = root.join(folder);
    if fs::symlink_metadata(&dir).is_err() {
        return Vec::new();
    }
    if !dir.is_dir() {
        diagnostics.push(
            Diagnostic::new(Code::UnreadableFile, format!("`{folder}` is not a folder")).hint(
                format!("okra reads the {folder} from files in a `{folder}/` folder"),
            ),
        );
        return Vec::new();
    }
    if inside_site(canonical_root, &dir).is_none() {
        diagnostics.push(
            Diagnostic::new(
                Code::UnreadableFile,
                format!("`{folder}` links to a folder outside the site"),
            )
            .hint("okra reads only files inside the site root"),
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error
                    .path()
                    .map_or_else(|| folder.to_string(), |p| relative_path(root, p));
                diagnostics.push(Diagnostic::new(
                    Code::UnreadableFile,
                    format!(
                        "cannot read `{path}`: {}",
                        error
                            .io_error()
                            .map_or_else(|| error.to_string(), |e| e.to_string())
                    ),
                ));
                continue;
            }
        };
        let path = entry.path();
        if path.extension().is_none_or(|ext| ext != "md") {
            continue;
        }
        if entry.file_type().is_symlink() {
            match inside_site(canonical_root, path) {
                Some(target) if target.is_file() => {}
                _ => {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::UnreadableFile,
                            format!(
                                "`{}` is a link to a file outside the site or to nothing",
                                relative_path(root, path)
                            ),
                        )
                        .hint("okra reads only files inside the site root"),
                    );
                    continue;
                }
            }
        } else if entry.file_type().is_dir() {
            continue;
        } else if !entry.file_type().is_file() {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnreadableFile,
                    format!("`{}` is not a regular file", relative_path(root, path)),
                )
                .hint("okra reads documents from regular files only"),
            );
            continue;
        }
        out.push(path.to_path_buf());
    }
    out
}

/// A path relative to the root with `/` separators.
/// Control characters in a file's name are written as escapes, so that
/// no output that names the file can be steered by its name.
pub fn relative_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let joined = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    crate::diagnostic::escape_controls(&joined, &[]).into_owned()
}

/// One document as read from its file, on its own so that documents can be
/// read in parallel and merged in order.
#[derive(Clone)]
struct ReadDocument {
    kind: DocKind,
    path: String,
    /// The document's id, or its file stem when it has none.
    id: String,
    /// `None` when the document could not be read.
    doc: Option<Doc>,
    diagnostics: Vec<Diagnostic>,
}

impl ReadDocument {
    /// A document that could not be read: its stem stands for its id.
    fn broken(
        kind: DocKind,
        path: String,
        stem: String,
        diagnostics: Vec<Diagnostic>,
    ) -> ReadDocument {
        ReadDocument {
            kind,
            path,
            id: stem,
            doc: None,
            diagnostics,
        }
    }
}

#[derive(Clone)]
enum Doc {
    Team(TeamDoc),
    Objective(ObjectiveDoc),
    /// A KPI and the CSV file its measurements come from.
    Kpi(KpiDoc, Option<Sp<String>>),
    Page(PageDoc),
}

fn read_document(sources: &Sources, kind: DocKind, file: FileId, not_utf8: bool) -> ReadDocument {
    let source = sources.get(file);
    let mut diagnostics = Vec::new();
    let path = source.path.clone();
    let stem = Path::new(&path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let fence = Span::new(file, 0..source.text.len().min(3));
    let parts = match front_matter::split(&source.text) {
        Ok(parts) => parts,
        Err(error) => {
            if !not_utf8 {
                let diagnostic = match error {
                    SplitError::Missing => Diagnostic::new(
                        Code::MissingFrontMatter,
                        format!("`{path}` does not start with `+++` front matter"),
                    )
                    .at(Span::new(
                        file,
                        0..source.text.find('\n').unwrap_or(source.text.len()),
                    ))
                    .hint(format!(
                        "start the file with a `+++` line, the {} keys, and another `+++` line",
                        kind.noun()
                    )),
                    SplitError::Unterminated(range) => Diagnostic::new(
                        Code::UnterminatedFrontMatter,
                        "the front matter has no closing `+++` line",
                    )
                    .at(Span::new(file, range))
                    .label("opened here")
                    .hint("end the front matter with a line holding only `+++`"),
                };
                diagnostics.push(diagnostic);
            }
            return ReadDocument::broken(kind, path, stem, diagnostics);
        }
    };
    let text = &source.text;
    let fm_text = &text[parts.front_matter.clone()];
    let (table, errors) = DeTable::parse_recoverable(fm_text);
    if !errors.is_empty() || not_utf8 {
        for error in errors.iter().take(1) {
            let range = error.span().unwrap_or(0..0);
            let start = (parts.front_matter.start + range.start).min(text.len());
            let end = (parts.front_matter.start + range.end)
                .min(text.len())
                .max(start);
            diagnostics.push(
                Diagnostic::new(
                    Code::TomlSyntax,
                    format!("invalid TOML: {}", error.message()),
                )
                .at(Span::new(file, start..end)),
            );
        }
        return ReadDocument::broken(kind, path, stem, diagnostics);
    }
    let table = table.into_inner();
    let body = Body::new(&source.text, parts.body.clone());
    let mut reader = Reader {
        file,
        offset: parts.front_matter.start,
        diagnostics: &mut diagnostics,
    };
    let id = match table.get("id") {
        Some(_) => reader.id(&table, "id"),
        None if check_slug(&stem) => Some(Sp::new(stem.clone(), fence)),
        None => {
            reader.push(
                Diagnostic::new(
                    Code::BadId,
                    format!("the file name `{stem}` is not a valid id"),
                )
                .at(fence)
                .hint(format!(
                    "rename the file to `{}.md` or set `id = \"{}\"`",
                    fields::slugify(&stem),
                    fields::slugify(&stem)
                )),
            );
            None
        }
    };
    let Some(id) = id else {
        return ReadDocument::broken(kind, path, stem, diagnostics);
    };
    let id_text = id.value.clone();
    let links = links::markdown_links(file, parts.body.start, &body);
    let head = DocHead {
        file,
        id,
        fence,
        body,
        body_offset: parts.body.start,
        links,
    };
    let doc = match kind {
        DocKind::Team => Doc::Team(read_team(&mut reader, &table, head)),
        DocKind::Objective => Doc::Objective(read_objective(&mut reader, &table, head)),
        DocKind::Kpi => {
            let data = read_kpi_data_path(&mut reader, &table);
            Doc::Kpi(read_kpi(&mut reader, &table, head), data)
        }
        DocKind::Page => Doc::Page(read_page(&mut reader, &table, head)),
    };
    ReadDocument {
        kind,
        path,
        id: id_text,
        doc: Some(doc),
        diagnostics,
    }
}

const TEAM_KEYS: &[&str] = &["id", "name", "parent", "kind", "lead", "members"];
const OBJECTIVE_KEYS: &[&str] = &[
    "id",
    "title",
    "owner",
    "period",
    "parent",
    "draft",
    "key_results",
];
const KEY_RESULT_KEYS: &[&str] = &[
    "id",
    "title",
    "kind",
    "start",
    "target",
    "current",
    "unit",
    "kpi",
    "done",
    "progress",
    "due",
    "min",
    "max",
    "weight",
    "confidence",
    "owner",
    "checkins",
];
const CHECKIN_KEYS: &[&str] = &["date", "value", "done", "confidence", "note"];
const KPI_KEYS: &[&str] = &[
    "id",
    "name",
    "owner",
    "unit",
    "direction",
    "cadence",
    "visibility",
    "healthy",
    "data",
    "measurements",
];
const MEASUREMENT_KEYS: &[&str] = &["date", "value"];
const BAND_KEYS: &[&str] = &["min", "max"];
const PAGE_KEYS: &[&str] = &["id", "title", "weight"];
const CONFIG_KEYS: &[&str] = &["title", "base_url", "as_of", "lint", "periods"];
const LINT_KEYS: &[&str] = &["objectives_per_team", "key_results", "allow", "deny"];
const PERIOD_KEYS: &[&str] = &["start", "end"];

fn read_team(r: &mut Reader<'_>, table: &Table<'_>, head: DocHead) -> TeamDoc {
    r.check_keys(table, TEAM_KEYS, "team");
    let name = r.text(table, "name");
    let name = r.require(
        name,
        table,
        head.fence,
        "name",
        "a team",
        "\"Customer Support\"",
    );
    let kind = r
        .choice(
            table,
            "kind",
            &[
                ("company", TeamKind::Company),
                ("department", TeamKind::Department),
                ("team", TeamKind::Team),
                ("person", TeamKind::Person),
            ],
        )
        .map_or(TeamKind::Team, |k| k.value);
    TeamDoc {
        name,
        parent: r.id(table, "parent"),
        kind,
        lead: r.string(table, "lead").map(|s| s.value),
        members: r
            .strings(table, "members")
            .into_iter()
            .map(|s| s.value)
            .collect(),
        head,
    }
}

fn read_objective(r: &mut Reader<'_>, table: &Table<'_>, head: DocHead) -> ObjectiveDoc {
    r.check_keys(table, OBJECTIVE_KEYS, "objective");
    let title = r.text(table, "title");
    let title = r.require(
        title,
        table,
        head.fence,
        "title",
        "an objective",
        "\"Delight our customers\"",
    );
    let owner = r.id(table, "owner");
    let owner = r.require(
        owner,
        table,
        head.fence,
        "owner",
        "an objective",
        "\"team-id\"",
    );
    let period = r.text(table, "period");
    let period = r.require(
        period,
        table,
        head.fence,
        "period",
        "an objective",
        "\"2026-Q3\"",
    );
    let parent = r.id(table, "parent");
    let draft = r.boolean(table, "draft").is_some_and(|d| d.value);
    let key_results = r
        .tables(table, "key_results")
        .into_iter()
        .enumerate()
        .map(|(i, (span, kr))| read_key_result(r, kr, span, i))
        .collect();
    ObjectiveDoc {
        head,
        title,
        owner,
        period,
        parent,
        draft,
        key_results,
    }
}

fn read_key_result(
    r: &mut Reader<'_>,
    table: &Table<'_>,
    span: Span,
    index: usize,
) -> KeyResultDoc {
    r.check_keys(table, KEY_RESULT_KEYS, "key result");
    let id = r
        .id(table, "id")
        .unwrap_or_else(|| Sp::new(format!("kr{}", index + 1), span));
    let title = r.text(table, "title");
    let title = r.require(
        title,
        table,
        span,
        "title",
        "a key result",
        "\"Reduce cost per lead from 100 to 95\"",
    );
    let kind = r.choice(
        table,
        "kind",
        &[
            ("metric", KrKind::Metric),
            ("milestone", KrKind::Milestone),
            ("health", KrKind::Health),
        ],
    );
    let weight = match r.number(table, "weight") {
        Some(w) if w.value > 0.0 => w.value,
        Some(w) => {
            r.push(
                Diagnostic::new(
                    Code::OutOfRange,
                    format!("`weight` must be greater than 0, found {}", w.value),
                )
                .at(w.span)
                .hint("leave a key result out, or give it a small weight such as 0.5"),
            );
            1.0
        }
        None => 1.0,
    };
    let checkins = r
        .tables(table, "checkins")
        .into_iter()
        .map(|(span, checkin)| {
            r.check_keys(checkin, CHECKIN_KEYS, "check-in");
            let date = r.date(checkin, "date");
            let date = r.require(date, checkin, span, "date", "a check-in", "2026-08-01");
            CheckinDoc {
                span,
                date,
                value: r.number(checkin, "value"),
                done: r.boolean(checkin, "done"),
                confidence: r
                    .number_in(checkin, "confidence", 0.0..=1.0)
                    .map(|c| c.value),
                note: r.string(checkin, "note").map(|n| n.value),
            }
        })
        .collect();
    let keys = table
        .keys()
        .filter_map(|k| {
            let known = KEY_RESULT_KEYS.iter().find(|&&name| name == k.get_ref())?;
            Some(Sp::new(*known, r.span(k.span())))
        })
        .collect();
    KeyResultDoc {
        span,
        id,
        title,
        kind,
        start: r.number(table, "start"),
        target: r.number(table, "target"),
        current: r.number(table, "current"),
        unit: r.string(table, "unit").map(|u| u.value),
        kpi: r.id(table, "kpi"),
        done: r.boolean(table, "done"),
        progress: r.number_in(table, "progress", 0.0..=1.0),
        due: r.date(table, "due"),
        min: r.number(table, "min"),
        max: r.number(table, "max"),
        weight,
        confidence: r.number_in(table, "confidence", 0.0..=1.0).map(|c| c.value),
        owner: r.string(table, "owner").map(|o| o.value),
        checkins,
        keys,
    }
}

fn read_kpi_data_path(r: &mut Reader<'_>, table: &Table<'_>) -> Option<Sp<String>> {
    r.text(table, "data")
}

fn read_kpi(r: &mut Reader<'_>, table: &Table<'_>, head: DocHead) -> KpiDoc {
    r.check_keys(table, KPI_KEYS, "KPI");
    let name = r.text(table, "name");
    let name = r.require(
        name,
        table,
        head.fence,
        "name",
        "a KPI",
        "\"Customer satisfaction\"",
    );
    let owner = r.id(table, "owner");
    let owner = r.require(owner, table, head.fence, "owner", "a KPI", "\"team-id\"");
    let direction = r
        .choice(
            table,
            "direction",
            &[("higher", Direction::Higher), ("lower", Direction::Lower)],
        )
        .map_or(Direction::Higher, |d| d.value);
    let cadence = r
        .choice(
            table,
            "cadence",
            &[
                ("weekly", Cadence::Weekly),
                ("monthly", Cadence::Monthly),
                ("quarterly", Cadence::Quarterly),
                ("yearly", Cadence::Yearly),
            ],
        )
        .map_or(Cadence::Monthly, |c| c.value);
    let visibility = r
        .choice(
            table,
            "visibility",
            &[
                ("public", Visibility::Public),
                ("private", Visibility::Private),
            ],
        )
        .map_or(Visibility::Public, |v| v.value);
    let (mut healthy_min, mut healthy_max) = (None, None);
    if let Some((span, band)) = r.table(table, "healthy") {
        r.check_keys(band, BAND_KEYS, "healthy band");
        healthy_min = r.number(band, "min");
        healthy_max = r.number(band, "max");
        match (&healthy_min, &healthy_max) {
            (None, None) if band.is_empty() => r.push(
                Diagnostic::new(
                    Code::BadValue,
                    "the healthy band has neither `min` nor `max`",
                )
                .at(span)
                .hint("write `healthy = { min = 9.0 }`, `{ max = 2 }` or both"),
            ),
            (Some(min), Some(max)) if min.value > max.value => r.push(
                Diagnostic::new(
                    Code::OutOfRange,
                    format!(
                        "the healthy band's `min` ({}) is above its `max` ({})",
                        min.value, max.value
                    ),
                )
                .at(min.span)
                .related(max.span, "max"),
            ),
            _ => {}
        }
    }
    let mut measurements = Vec::new();
    for (span, item) in r.tables(table, "measurements") {
        r.check_keys(item, MEASUREMENT_KEYS, "measurement");
        let date = r.date(item, "date");
        let date = r.require(date, item, span, "date", "a measurement", "2026-07-01");
        let value = r.number(item, "value");
        let value = r.require(value, item, span, "value", "a measurement", "9.1");
        if let (Some(date), Some(value)) = (date, value) {
            measurements.push(MeasurementDoc {
                span: date.span,
                date: date.value,
                value: value.value,
            });
        }
    }
    KpiDoc {
        head,
        name,
        owner,
        unit: r.string(table, "unit").map(|u| u.value),
        direction,
        cadence,
        visibility,
        data_path: None,
        healthy_min: healthy_min.map(|m| m.value),
        healthy_max: healthy_max.map(|m| m.value),
        measurements,
    }
}

fn read_page(r: &mut Reader<'_>, table: &Table<'_>, head: DocHead) -> PageDoc {
    r.check_keys(table, PAGE_KEYS, "page");
    let title = r.text(table, "title");
    let title = r.require(
        title,
        table,
        head.fence,
        "title",
        "a page",
        "\"How we do OKRs\"",
    );
    PageDoc {
        title,
        weight: r.number(table, "weight").map_or(0.0, |w| w.value),
        head,
    }
}

/// Reads a KPI's CSV data file (`date,value` rows, an optional header):
/// its path relative to the site root, when it stays inside the site, and
/// its measurements.
fn read_csv(
    loaded: &mut Loaded,
    canonical_root: &Path,
    kpi_path: &str,
    data: &Sp<String>,
) -> (Option<String>, Vec<MeasurementDoc>) {
    let relative = Path::new(kpi_path)
        .parent()
        .unwrap_or(Path::new(""))
        .join(&data.value);
    let Some(normal) = normalise_inside(&relative) else {
        loaded.diagnostics.push(
            Diagnostic::new(
                Code::UnreadableFile,
                format!("data file `{}` is outside the site", data.value),
            )
            .at(data.span)
            .hint("keep CSV data beside the KPI file"),
        );
        return (None, Vec::new());
    };
    let path = relative_path(Path::new(""), &normal);
    let full = loaded.root.join(&normal);
    let Some(real) = inside_site(canonical_root, &full) else {
        let label = if fs::symlink_metadata(&full).is_ok() {
            "a link out of the site or a file in a hidden folder"
        } else {
            "no such file in the site"
        };
        loaded.diagnostics.push(
            Diagnostic::new(
                Code::UnreadableFile,
                format!("cannot read data file `{}`", data.value),
            )
            .at(data.span)
            .label(label)
            .hint(format!(
                "the path is relative to `{kpi_path}`; okra reads only files inside the site root, outside hidden folders"
            )),
        );
        return (Some(path), Vec::new());
    };
    let Ok(bytes) = fs::read(&real) else {
        loaded.diagnostics.push(
            Diagnostic::new(
                Code::UnreadableFile,
                format!("cannot read data file `{}`", data.value),
            )
            .at(data.span)
            .label("not a readable file"),
        );
        return (Some(path), Vec::new());
    };
    let file = add_text(
        &mut loaded.sources,
        &mut loaded.diagnostics,
        &path,
        String::from_utf8(bytes),
    );
    if loaded
        .diagnostics
        .iter()
        .any(|d| d.code == Code::NotUtf8 && d.file == Some(file))
    {
        return (Some(path), Vec::new());
    }
    let text = loaded.sources.get(file).text.clone();
    let (out, problems) = read_measurements(&text, file);
    loaded.diagnostics.extend(problems);
    (Some(path), out)
}

/// The rows of a KPI's CSV data: `date,value`, after an optional
/// `date,value` header. Comment lines (`#`) and blank lines may come
/// anywhere; fields may be quoted.
fn read_measurements(text: &str, file: FileId) -> (Vec<MeasurementDoc>, Vec<Diagnostic>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .comment(Some(b'#'))
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let line_span = |offset: usize| {
        let offset = offset.min(text.len());
        let line = &text[offset..];
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        let lead = line.len() - line.trim_start().len();
        Span::new(file, offset + lead..offset + lead + line.trim().len())
    };
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut first = true;
    for record in reader.records() {
        let (span, problem) = match record {
            Err(error) => {
                let offset = error.position().map_or(0, |p| p.byte() as usize);
                let row = error.position().map_or(1, |p| p.line() as usize);
                (
                    line_span(offset),
                    format!("row {row}: not a CSV row: {error}"),
                )
            }
            Ok(record) => {
                let (offset, row) = record
                    .position()
                    .map_or((0, 1), |p| (p.byte() as usize, p.line() as usize));
                let header = first
                    && record
                        .get(0)
                        .is_some_and(|f| f.eq_ignore_ascii_case("date"));
                first = false;
                if header || record.iter().all(str::is_empty) {
                    continue;
                }
                let span = line_span(offset);
                match measurement(&record, row) {
                    Ok((date, value)) => {
                        out.push(MeasurementDoc { span, date, value });
                        continue;
                    }
                    Err(problem) => (span, problem),
                }
            }
        };
        problems.push(
            Diagnostic::new(Code::BadCsv, problem)
                .at(span)
                .hint("each row is `2026-07-01,9.1`"),
        );
    }
    (out, problems)
}

/// The date and value of one CSV row, or what is wrong with it.
fn measurement(record: &csv::StringRecord, row: usize) -> Result<(Date, f64), String> {
    let fields: Vec<&str> = record.iter().collect();
    let [date, value] = fields.as_slice() else {
        return Err(format!(
            "row {row}: expected two fields, `date,value`, found {}",
            fields.len()
        ));
    };
    match (Date::parse(date), value.parse::<f64>()) {
        (Some(date), Ok(value)) if fields::in_magnitude(value) => Ok((date, value)),
        (None, _) => Err(format!("row {row}: `{date}` is not a date (YYYY-MM-DD)")),
        (_, Ok(_)) => Err(format!(
            "row {row}: `{value}` is larger than okra computes with (±{:e})",
            fields::MAX_MAGNITUDE
        )),
        _ => Err(format!("row {row}: `{value}` is not a number")),
    }
}

/// Resolves `.` and `..` in a relative path; `None` when it climbs out.
pub fn normalise_inside(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

fn read_config(sources: &Sources, file: FileId, diagnostics: &mut Vec<Diagnostic>) -> Config {
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
    r.check_keys(&table, CONFIG_KEYS, "okra.toml");
    if let Some(title) = r.text(&table, "title") {
        config.title = title.value;
    }
    config.base_url = r.string(&table, "base_url").map(|u| u.value);
    config.as_of = r.date(&table, "as_of").map(|d| d.value);
    if let Some((_, lint)) = r.table(&table, "lint") {
        r.check_keys(lint, LINT_KEYS, "[lint]");
        if let Some(n) = r.count(lint, "objectives_per_team") {
            config.lint.objectives_per_team = n.value;
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
                Some([min, max]) if min <= max => config.lint.key_results = (*min, *max),
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
        config.lint.allow = read_lint_codes(&mut r, lint, "allow");
        config.lint.deny = read_lint_codes(&mut r, lint, "deny");
    }
    if let Some((_, periods)) = r.table(&table, "periods") {
        // Period ids become file names; two that differ only in case would
        // be one file on a case-insensitive disk.
        let mut folded = std::collections::HashMap::new();
        for (key, value) in periods.iter() {
            let id = key.get_ref().to_string();
            let key_span = r.span(key.span());
            if !fields::check_period_id(&id) {
                r.push(
                    Diagnostic::new(Code::BadPeriod, format!("`{id}` is not a valid period id"))
                        .at(key_span)
                        .label(fields::slug_problem(&id))
                        .hint(format!(
                            "period ids are letters, digits, `-` and `_`, at most {} bytes, such as `FY27-Q1`",
                            fields::MAX_ID_LEN
                        )),
                );
                continue;
            }
            let toml::de::DeValue::Table(period) = value.get_ref() else {
                r.push(
                    Diagnostic::new(
                        Code::WrongType,
                        format!("period `{id}` must be a table with `start` and `end`"),
                    )
                    .at(key_span),
                );
                continue;
            };
            r.check_keys(period, PERIOD_KEYS, "period");
            let value_span = r.span(value.span());
            let start = r.date(period, "start");
            let start = r.require(start, period, value_span, "start", "a period", "2026-10-01");
            let end = r.date(period, "end");
            let end = r.require(end, period, value_span, "end", "a period", "2026-12-31");
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
                config.periods.push(Sp::new(
                    Period {
                        id,
                        start: start.value,
                        end: end.value,
                    },
                    key_span,
                ));
            }
        }
    }
    config
}

fn read_lint_codes(r: &mut Reader<'_>, lint: &Table<'_>, key: &str) -> Vec<Code> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside() {
        assert_eq!(
            normalise_inside(Path::new("kpis/./a.csv")),
            Some(PathBuf::from("kpis/a.csv"))
        );
        assert_eq!(
            normalise_inside(Path::new("kpis/../data/a.csv")),
            Some(PathBuf::from("data/a.csv"))
        );
        assert_eq!(normalise_inside(Path::new("kpis/../../a.csv")), None);
        assert_eq!(normalise_inside(Path::new("/etc/passwd")), None);
    }

    /// (date, value) rows and (quoted text, message) problems.
    type Rows = (Vec<(String, f64)>, Vec<(String, String)>);

    fn rows(text: &str) -> Rows {
        let mut sources = Sources::default();
        let file = sources.add("kpis/x.csv", text.to_string());
        let (out, problems) = read_measurements(&sources.get(file).text, file);
        let values = out.iter().map(|m| (m.date.to_string(), m.value)).collect();
        let problems = problems
            .iter()
            .map(|d| {
                let span = d.span.expect("a place");
                (text[span.range()].to_string(), d.message.clone())
            })
            .collect();
        (values, problems)
    }

    #[test]
    fn csv_headers_may_follow_comments_and_fields_may_be_quoted() {
        let (values, problems) = rows(
            "# Tickets per customer, from the help desk\n\n  date , value\n\"2026-07-01\",\"9.5\"\n# July\n2026-08-01, 9.1 \n",
        );
        assert_eq!(
            values,
            [
                ("2026-07-01".to_string(), 9.5),
                ("2026-08-01".to_string(), 9.1)
            ]
        );
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn bad_csv_rows_point_at_their_line() {
        let (values, problems) = rows(
            "date,value\n2026-07-01,9\n2026-13-01,9\n  2026-08-01,nine\n2026-09-01\n\"2026-10-01,1\n",
        );
        assert_eq!(values, [("2026-07-01".to_string(), 9.0)]);
        let texts: Vec<&str> = problems.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            texts,
            [
                "2026-13-01,9",
                "2026-08-01,nine",
                "2026-09-01",
                "\"2026-10-01,1"
            ]
        );
        assert!(
            problems[0]
                .1
                .starts_with("row 3: `2026-13-01` is not a date"),
            "{problems:?}"
        );
        assert!(
            problems[1].1.starts_with("row 4: `nine` is not a number"),
            "{problems:?}"
        );
        assert!(
            problems[2].1.contains("expected two fields"),
            "{problems:?}"
        );
    }
}
