//! Stage 1, load: walk a site, read every file and turn each front matter
//! into a typed document.
//!
//! Nothing here knows about other documents: references stay ids with
//! positions, for [`crate::model`] to resolve. Every problem a single file
//! can have — unreadable, not UTF-8, no front matter, bad TOML, unknown keys,
//! wrong types — becomes a diagnostic, and the file's id is remembered as
//! *broken* so that references to it do not cascade into more errors.

mod config;
mod docs;
pub mod fields;
mod files;
pub mod front_matter;
pub mod git;
mod hints;
mod key_results;
pub mod links;
mod measurements;
mod memo;
mod read;
mod retention;
mod walk;

use std::collections::{BTreeSet, HashSet};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::string::FromUtf8Error;
use std::sync::Arc;

use anyhow::bail;
use rayon::prelude::*;
use toml::de::DeTable;

use crate::diagnostic::{Code, Diagnostic};
pub use crate::paths::{normalise_inside, relative_path};
use crate::source::{Body, FileId, Sources, Span};
use config::read_config;
pub use docs::*;
pub use fields::Sp;
pub use files::{Disk, InMemory, Overlay, ReadError, SiteFiles, in_static};
use measurements::read_csv;
pub use memo::Memo;
use read::{Doc, ReadDocument, read_document};
pub use retention::Retention;

/// The keys each table of a document may hold, for an editor's completion.
pub(crate) mod keys {
    pub(crate) use super::key_results::{
        CHECKIN_KEYS as CHECKIN, INITIATIVE_KEYS as INITIATIVE, KEY_RESULT_KEYS as KEY_RESULT,
        OBJECTIVE_CHECKIN_KEYS as OBJECTIVE_CHECKIN,
    };
    pub(crate) use super::read::{
        BAND_KEYS as BAND, KPI_KEYS as KPI, MEASUREMENT_KEYS as MEASUREMENT,
        OBJECTIVE_KEYS as OBJECTIVE, PAGE_KEYS as PAGE, TEAM_KEYS as TEAM,
    };
}
/// The name of the config file that marks a site root.
pub const CONFIG_FILE: &str = "okra.toml";

/// Everything read from a site, before ids are resolved.
#[derive(Debug)]
pub struct Loaded {
    pub sources: Sources,
    pub config: Config,
    pub config_file: FileId,
    pub teams: Vec<Arc<TeamDoc>>,
    pub objectives: Vec<Arc<ObjectiveDoc>>,
    pub kpis: Vec<Arc<KpiDoc>>,
    pub pages: Vec<Arc<PageDoc>>,
    /// Ids of documents that could not be read: references to them are not
    /// reported again.
    pub broken: BTreeSet<(DocKind, String)>,
    /// Every `.md` document path (relative to the root), for link checks.
    pub documents: Vec<(String, DocKind, String)>,
    /// The files under `static/`, by their path inside it, for link checks.
    pub static_files: BTreeSet<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the site at `root`. Fails only when the root or its `okra.toml`
/// cannot be read; every problem inside the site is a diagnostic.
pub fn load(root: &Path) -> anyhow::Result<Loaded> {
    load_from(&Disk::new(root, None)?, None, Retention::default())
}

/// Reads a site from `files`, reusing the documents parsed by earlier runs
/// kept in `memo` whose text did not change. Each body's HTML and plain
/// text, as `reading` asks for them, are made in the same parse that finds
/// its links.
pub fn load_from(
    files: &dyn SiteFiles,
    memo: Option<&Memo>,
    reading: Retention,
) -> anyhow::Result<Loaded> {
    let config_text = match files.read(CONFIG_FILE) {
        Ok(bytes) => bytes,
        Err(ReadError::Missing) => bail!("no {CONFIG_FILE} in {}", files.describe()),
        Err(ReadError::Outside) => bail!(
            "{} is a link to a file outside the site; okra reads only files inside the site root",
            Path::new(&files.describe()).join(CONFIG_FILE).display()
        ),
        Err(error) => bail!("cannot read {CONFIG_FILE} in {}: {error}", files.describe()),
    };
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    let config_file = add_text(
        &mut sources,
        &mut diagnostics,
        CONFIG_FILE,
        memo::decode(None, CONFIG_FILE, config_text),
    );
    let config = read_config(&sources, config_file, &mut diagnostics);
    files.report(&mut diagnostics);

    let paths = list_documents(files, &mut diagnostics);
    let mut loaded = Loaded {
        sources,
        config,
        config_file,
        teams: Vec::new(),
        objectives: Vec::new(),
        kpis: Vec::new(),
        pages: Vec::new(),
        broken: BTreeSet::new(),
        documents: Vec::new(),
        static_files: files.static_files(),
        diagnostics,
    };
    let read = read_and_parse(&mut loaded, files, &paths, memo, reading);
    // Each data file read so far, by where it really is, for the KPI that
    // reads it: a data file belongs to one KPI.
    let mut data_files: HashSet<String> = HashSet::new();
    for read in read {
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
                    let (data_path, measurements) = read_csv(&mut loaded, files, &read.path, &data);
                    if let Some(path) = &data_path {
                        let first = data_files.insert(files.identity(path));
                        if let Some(problem) = data_problem(path, &data, doc.visibility, first) {
                            loaded.diagnostics.push(problem);
                        }
                    }
                    let doc = Arc::make_mut(&mut doc);
                    doc.data_path = data_path;
                    doc.measurements.extend(measurements);
                    doc.measurements.sort_by_key(|m| m.date);
                }
                loaded.kpis.push(doc);
            }
        }
    }
    if reading.release {
        // CSV data too: every file is read again where it is needed.
        loaded.sources.release_after(0);
    }
    Ok(loaded)
}

/// What is wrong with a KPI's data file at `path` (relative to the site
/// root), given whether it is the first KPI to read it: a file that another KPI reads already
/// would let one KPI publish the other's values, and a private KPI's data
/// under `static/` or `templates/` would be published as it is.
fn data_problem(
    path: &str,
    data: &Sp<String>,
    visibility: Visibility,
    first: bool,
) -> Option<Diagnostic> {
    if !first {
        // The KPI that read it first is not named: it may be private.
        return Some(
            Diagnostic::new(
                Code::SharedData,
                format!("data file `{}` is the data of another KPI too", data.value),
            )
            .at(data.span)
            .hint("a data file belongs to one KPI, so that no KPI shows another's values, a private one's included; give this KPI a file of its own"),
        );
    }
    let published = in_static(path) || path.starts_with("templates/");
    (published && visibility == Visibility::Private).then(|| {
        Diagnostic::new(
            Code::SharedData,
            format!(
                "data file `{}` of a private KPI is in a folder okra publishes",
                data.value
            ),
        )
        .at(data.span)
        .hint("`static/` is copied into the site as it is; keep the data beside the KPI file")
    })
}

/// The largest file okra reads as a document, a KPI's data or
/// `okra.toml`, from disk or from a git revision; a larger one is reported
/// and not read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Documents read and parsed at once, at most this many: with
/// [`Retention::release`], only their texts are held at a time.
const READ_CHUNK: usize = 2048;

/// Reads and parses the documents at `paths`, a chunk at a time; with
/// [`Retention::release`], each chunk's texts are let go once it is parsed.
fn read_and_parse(
    loaded: &mut Loaded,
    files: &dyn SiteFiles,
    paths: &[(DocKind, String)],
    memo: Option<&Memo>,
    reading: Retention,
) -> Vec<ReadDocument> {
    crate::timing::phase("read and parse", || {
        let mut read = Vec::with_capacity(paths.len());
        for chunk in paths.chunks(READ_CHUNK) {
            let before = loaded.sources.len();
            let reported = loaded.diagnostics.len();
            let documents = read_documents(
                files,
                memo,
                chunk,
                &mut loaded.sources,
                &mut loaded.diagnostics,
            );
            // The chunk's files that are not UTF-8, as reading them found.
            let not_utf8: HashSet<FileId> = loaded.diagnostics[reported..]
                .iter()
                .filter(|d| d.code == Code::NotUtf8)
                .filter_map(|d| d.file)
                .collect();
            let parsed = parse_documents(loaded, &documents, &not_utf8, memo, reading);
            read.extend(parsed);
            if reading.release {
                loaded.sources.release_after(before);
            }
        }
        read
    })
}

/// An objective's file read on its own, as loading reads it: an old
/// version from git, for the history of its key results. `None` when it
/// is not an objective that can be read.
pub fn read_objective(path: &str, text: String) -> Option<Arc<ObjectiveDoc>> {
    let mut sources = crate::source::Sources::default();
    let file = sources.add(path, text);
    match read_document(&sources, DocKind::Objective, file, false, Retention::KEEP).doc? {
        Doc::Objective(doc) => Some(doc),
        _ => None,
    }
}

/// The measurements written in one version of a KPI's file (its
/// `[[measurements]]`, not its CSV data), as `(date, value)`; `None` when
/// it cannot be read.
pub fn read_kpi_measurements(path: &str, text: String) -> Option<Vec<(crate::Date, f64)>> {
    let mut sources = crate::source::Sources::default();
    let file = sources.add(path, text);
    match read_document(&sources, DocKind::Kpi, file, false, Retention::KEEP).doc? {
        Doc::Kpi(doc, _) => Some(doc.measurements.iter().map(|m| (m.date, m.value)).collect()),
        _ => None,
    }
}

/// The rows of one version of a KPI's CSV data, as `(date, value)`.
pub fn read_csv_measurements(text: &str) -> Vec<(crate::Date, f64)> {
    let file = Sources::default().add("data.csv", String::new());
    let (rows, _) = measurements::read_measurements(text, file);
    rows.into_iter().map(|m| (m.date, m.value)).collect()
}

/// The periods one version of `okra.toml` declares, as `(id, start,
/// end)`.
pub fn read_config_periods(text: String) -> Vec<(String, crate::Date, crate::Date)> {
    let mut sources = crate::source::Sources::default();
    let file = sources.add(CONFIG_FILE, text);
    let config = read_config(&sources, file, &mut Vec::new());
    config
        .periods
        .into_iter()
        .map(|p| (p.value.id, p.value.start, p.value.end))
        .collect()
}

/// The text of a file read again, as loading first made it (see
/// [`crate::source::Sources::restore`]).
pub fn read_again(files: &dyn SiteFiles, path: &str) -> anyhow::Result<Arc<String>> {
    let bytes = files
        .read(path)
        .map_err(|error| anyhow::anyhow!("cannot read `{path}` again: {error}"))?;
    Ok(text_as_kept(memo::decode(None, path, bytes)))
}

/// A decoded file's text as the sources keep it: a file that is not valid
/// UTF-8 with each bad sequence replaced, then normalised.
fn text_as_kept(decoded: Result<Arc<String>, FromUtf8Error>) -> Arc<String> {
    decoded.unwrap_or_else(|error| {
        Arc::new(crate::source::normalise(
            String::from_utf8_lossy(error.as_bytes()).into_owned(),
        ))
    })
}

/// The text of a body that was not kept (see [`Retention::release`]), read
/// again from its file at `path`; an error when the body is no longer what
/// was read first.
pub fn read_body_again(files: &dyn SiteFiles, path: &str, body: &Body) -> anyhow::Result<Body> {
    let Some((range, digest)) = body.released_at() else {
        return Ok(body.clone());
    };
    let text = read_again(files, path)?;
    let again = Body::new(&text, range);
    match again.text() {
        Some(read) if crate::source::digest(read) == digest => Ok(again),
        _ => bail!("`{path}` changed while okra was building the site; build again"),
    }
}

/// Parses each document, in parallel; a document whose text and place
/// are those of one kept in `memo` is not parsed again.
fn parse_documents(
    loaded: &Loaded,
    documents: &[(DocKind, FileId)],
    not_utf8: &HashSet<FileId>,
    memo: Option<&Memo>,
    reading: Retention,
) -> Vec<ReadDocument> {
    let read = |&(kind, file): &(DocKind, FileId)| {
        read_document(
            &loaded.sources,
            kind,
            file,
            not_utf8.contains(&file),
            reading,
        )
    };

    let Some(memo) = memo else {
        return documents.par_iter().map(read).collect();
    };
    let keys: Vec<u64> = documents
        .par_iter()
        .map(|&(kind, file)| {
            let source = loaded.sources.get(file);
            let key = (
                &source.path,
                kind,
                file,
                not_utf8.contains(&file),
                reading,
                source.text.as_str(),
            );
            let mut hasher = crate::generations::stable_hasher();
            key.hash(&mut hasher);
            hasher.finish()
        })
        .collect();
    let kept = memo.kept_documents(&keys);
    let fresh: Vec<bool> = kept.iter().map(Option::is_none).collect();
    let read: Vec<ReadDocument> = documents
        .par_iter()
        .zip(kept)
        .map(|(document, kept)| kept.unwrap_or_else(|| read(document)))
        .collect();
    memo.keep_documents(
        keys.iter()
            .zip(&read)
            .zip(fresh)
            .filter(|(_, fresh)| *fresh)
            .map(|((key, read), _)| (*key, read.clone())),
    );
    read
}

/// The document files of every kind, in the order they are read.
fn list_documents(
    files: &dyn SiteFiles,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(DocKind, String)> {
    crate::timing::phase("walk", || {
        DocKind::ALL
            .into_iter()
            .flat_map(|kind| {
                let paths = files.documents(kind, diagnostics);
                paths.into_iter().map(move |path| (kind, path))
            })
            .collect()
    })
}

/// Reads the document files at `paths` into the sources: their ids and
/// kinds, in the order listed. A file that cannot be read is a diagnostic.
fn read_documents(
    files: &dyn SiteFiles,
    memo: Option<&Memo>,
    paths: &[(DocKind, String)],
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(DocKind, FileId)> {
    // Texts of files vouched for come from the memo unread.
    let kept = match memo {
        Some(memo) => memo.kept_texts(
            paths
                .iter()
                .map(|(_, path)| files.vouched(path).then_some(path)),
        ),
        None => vec![None; paths.len()],
    };
    let contents: Vec<Result<Result<Arc<String>, FromUtf8Error>, ReadError>> = paths
        .par_iter()
        .zip(kept)
        .map(|((_, path), kept)| match kept {
            Some(text) => Ok(Ok(text)),
            None => files
                .read(path)
                .map(|bytes| memo::decode(memo, path, bytes)),
        })
        .collect();
    let mut documents: Vec<(DocKind, FileId)> = Vec::new();
    for ((kind, path), content) in paths.iter().zip(contents) {
        match content {
            Ok(decoded) => {
                let id = add_text(sources, diagnostics, path, decoded);
                documents.push((*kind, id));
            }
            Err(error) => diagnostics.push(Diagnostic::new(
                Code::UnreadableFile,
                format!("cannot read `{path}`: {error}"),
            )),
        }
    }
    documents
}

/// Adds a file's text to the sources, reporting invalid UTF-8 at the first
/// bad byte.
fn add_text(
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
    path: &str,
    decoded: Result<Arc<String>, FromUtf8Error>,
) -> FileId {
    let bad_byte = decoded.as_ref().err().map(|error| {
        let valid = error.utf8_error().valid_up_to();
        // Where the bad byte lands once the sources drop a byte-order
        // mark and turn CRLF into LF before it.
        let before = std::str::from_utf8(&error.as_bytes()[..valid]).unwrap_or_default();
        let shift =
            if before.starts_with('\u{feff}') { 3 } else { 0 } + before.matches("\r\n").count();
        valid.saturating_sub(shift)
    });
    let id = sources.add_normalised(path, text_as_kept(decoded));
    let Some(valid) = bad_byte else {
        return id;
    };
    let text = sources.get(id).text.as_str();
    let mut valid = valid.min(text.len());
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
