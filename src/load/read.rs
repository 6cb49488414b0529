//! Reading one document: its front matter, keys and values.

use std::path::Path;
use std::sync::Arc;

use toml::de::DeTable;

use super::fields::{Reader, Table};
use super::front_matter::{self, SplitError};
use super::key_results::read_key_result;
use super::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::slug::check_slug;
use crate::source::{Body, FileId, SourceFile, Sources, Span};

/// One document as read from its file, on its own so that documents can be
/// read in parallel and merged in order.
#[derive(Clone)]
pub(super) struct ReadDocument {
    pub(super) kind: DocKind,
    pub(super) path: String,
    /// The document's id, or its file stem when it has none.
    pub(super) id: String,
    /// `None` when the document could not be read.
    pub(super) doc: Option<Doc>,
    pub(super) diagnostics: Vec<Diagnostic>,
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
pub(super) enum Doc {
    Team(Arc<TeamDoc>),
    Objective(Arc<ObjectiveDoc>),
    /// A KPI and the CSV file its measurements come from.
    Kpi(Arc<KpiDoc>, Option<Sp<String>>),
    Page(Arc<PageDoc>),
}

pub(super) fn read_document(
    sources: &Sources,
    kind: DocKind,
    file: FileId,
    not_utf8: bool,
    reading: Retention,
) -> ReadDocument {
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
                diagnostics.push(split_error(kind, file, source, error));
            }
            return ReadDocument::broken(kind, path, stem, diagnostics);
        }
    };
    let text = &source.text;
    let fm_text = &text[parts.front_matter.clone()];
    let (table, errors) = DeTable::parse_recoverable(fm_text);
    if !errors.is_empty() || not_utf8 {
        diagnostics.extend(
            errors
                .first()
                .map(|e| toml_error(file, text, parts.front_matter.start, e)),
        );
        return ReadDocument::broken(kind, path, stem, diagnostics);
    }
    let table = table.into_inner();
    let mut reader = Reader {
        file,
        offset: parts.front_matter.start,
        diagnostics: &mut diagnostics,
    };
    let id = document_id(&mut reader, &table, &stem, fence);
    let Some(id) = id else {
        return ReadDocument::broken(kind, path, stem, diagnostics);
    };
    let id_text = id.value.clone();
    let head = doc_head(kind, source, &parts, id, fence, reading);
    let doc = match kind {
        DocKind::Team => Doc::Team(Arc::new(read_team(&mut reader, &table, head))),
        DocKind::Objective => Doc::Objective(Arc::new(read_objective(&mut reader, &table, head))),
        DocKind::Kpi => {
            let data = read_kpi_data_path(&mut reader, &table);
            Doc::Kpi(Arc::new(read_kpi(&mut reader, &table, head)), data)
        }
        DocKind::Page => Doc::Page(Arc::new(read_page(&mut reader, &table, head))),
    };
    ReadDocument {
        kind,
        path,
        id: id_text,
        doc: Some(doc),
        diagnostics,
    }
}

/// What every document has: its id, its body, and what one parse of the
/// body finds (links and where they point, search text, HTML).
fn doc_head(
    kind: DocKind,
    source: &SourceFile,
    parts: &front_matter::Parts,
    id: Sp<String>,
    fence: Span,
    reading: Retention,
) -> DocHead {
    let file = fence.file;
    let text = source.text.get(parts.body.clone()).unwrap_or_default();
    let parsed = parse_body(kind, &source.path, text, reading);
    let body = match reading.release {
        true => Body::released(&source.text, parts.body.clone()),
        false => Body::new(&source.text, parts.body.clone()),
    };
    let images: Vec<(Sp<String>, bool)> = parsed
        .images
        .into_iter()
        .map(|(src, range, raw)| {
            let at = parts.body.start + range.start..parts.body.start + range.end;
            (Sp::new(src, crate::source::Span::new(file, at)), raw)
        })
        .collect();
    let images = (!images.is_empty()).then(|| Box::new(images));
    let links = links::placed_links(file, parts.body.start, parsed.links);
    let targets = links
        .iter()
        .map(|link| crate::markdown::links::link_target(&source.path, &link.value))
        .collect();
    DocHead {
        file,
        id,
        fence,
        body,
        body_offset: parts.body.start,
        links,
        targets,
        images,
        terms: reading
            .text
            .then(|| Arc::new(crate::text::BodyTerms::of(parsed.text))),
        html: parsed.html.map(Arc::new),
    }
}

/// Why a document's front matter could not be found.
fn split_error(kind: DocKind, file: FileId, source: &SourceFile, error: SplitError) -> Diagnostic {
    let text = &source.text;
    match error {
        SplitError::Missing => Diagnostic::new(
            Code::MissingFrontMatter,
            format!("`{}` does not start with `+++` front matter", source.path),
        )
        .at(Span::new(file, 0..text.find('\n').unwrap_or(text.len())))
        .hint(
            super::hints::yaml_hint(text.lines().next().unwrap_or_default())
                .map(str::to_string)
                .unwrap_or_else(|| {
                    format!(
                        "start the file with a `+++` line, the {} keys, and another `+++` line",
                        kind.noun()
                    )
                }),
        ),
        SplitError::Unterminated(range) => Diagnostic::new(
            Code::UnterminatedFrontMatter,
            "the front matter has no closing `+++` line",
        )
        .at(Span::new(file, range))
        .label("opened here")
        .hint("end the front matter with a line holding only `+++`"),
    }
}

/// A TOML syntax error in front matter that starts at `offset` in `text`.
fn toml_error(file: FileId, text: &str, offset: usize, error: &toml::de::Error) -> Diagnostic {
    let range = error.span().unwrap_or(0..0);
    let start = (offset + range.start).min(text.len());
    let end = (offset + range.end).min(text.len()).max(start);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    Diagnostic::new(
        Code::TomlSyntax,
        format!("invalid TOML: {}", error.message()),
    )
    .at(Span::new(file, start..end))
    .maybe_hint(super::hints::toml_hint(&text[line_start..line_end]))
}

/// The document's id: its `id` key, else its file name when that is a
/// valid id.
fn document_id(
    reader: &mut Reader<'_>,
    table: &Table<'_>,
    stem: &str,
    fence: Span,
) -> Option<Sp<String>> {
    if table.get("id").is_some() {
        return reader.id(table, "id");
    }
    if check_slug(stem) {
        return Some(Sp::new(stem.to_string(), fence));
    }
    let slug = crate::slug::slugify(stem);
    reader.push(
        Diagnostic::new(
            Code::BadId,
            format!("the file name `{stem}` is not a valid id"),
        )
        .at(fence)
        .hint(format!(
            "rename the file to `{slug}.md` or set `id = \"{slug}\"`"
        )),
    );
    None
}

/// A document's body parsed once: its links and, as `reading` asks, its
/// text and HTML.
fn parse_body(
    kind: DocKind,
    path: &str,
    body: &str,
    reading: Retention,
) -> crate::markdown::ParsedBody {
    // Where a body's highest heading sits in its page's outline: below
    // the title of team pages and free pages, below a section heading on
    // objective and KPI pages.
    let top = match kind {
        DocKind::Team | DocKind::Page => 2,
        DocKind::Objective | DocKind::Kpi => 3,
    };
    crate::markdown::parse(body, path, reading.html.then_some(top), reading.text)
}

pub(crate) const TEAM_KEYS: &[&str] = &["id", "name", "parent", "kind", "lead", "members"];

pub(crate) const OBJECTIVE_KEYS: &[&str] = &[
    "id",
    "title",
    "owner",
    "period",
    "parent",
    "parent_key_result",
    "draft",
    "checkins",
    "tags",
    "commitment",
    "grade",
    "retrospective",
    "contributors",
    "links",
    "priority",
    "include_children",
    "key_results",
];

pub(crate) const KPI_KEYS: &[&str] = &[
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
    "rollup",
    "of",
];

pub(crate) const MEASUREMENT_KEYS: &[&str] = &["date", "value", "note"];

pub(crate) const BAND_KEYS: &[&str] = &["min", "max"];

pub(crate) const PAGE_KEYS: &[&str] = &["id", "title", "weight"];

pub(super) fn read_team(r: &mut Reader<'_>, table: &Table<'_>, head: DocHead) -> TeamDoc {
    let _ = r.check_keys(table, TEAM_KEYS, "team");
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

pub(super) fn read_objective(r: &mut Reader<'_>, table: &Table<'_>, head: DocHead) -> ObjectiveDoc {
    let _ = r.check_keys(table, OBJECTIVE_KEYS, "objective");
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
    let parents = r.ids(table, "parent").into();
    let parent_key_result = r.id(table, "parent_key_result");
    let draft = r.boolean(table, "draft").is_some_and(|d| d.value);
    let mut key_results: Vec<_> = r
        .tables(table, "key_results")
        .into_iter()
        .enumerate()
        .map(|(i, (span, kr))| Arc::new(read_key_result(r, kr, span, i)))
        .collect();
    super::key_results::read_objective_checkins(r, table, &mut key_results);
    ObjectiveDoc {
        head,
        title,
        owner,
        period,
        parents,
        parent_key_result,
        draft,
        commitment: read_commitment(r, table),
        grade: r.score(table, "grade"),
        retrospective: r.text(table, "retrospective").map(|t| t.value.into()),
        contributors: read_contributors(r, table).into(),
        links: r.links(table, "links").into_boxed_slice(),
        priority: r.text(table, "priority").map(|p| p.value.into()),
        tags: r
            .strings(table, "tags")
            .into_iter()
            .map(|t| t.value)
            .filter(|t| !t.trim().is_empty())
            .collect(),
        include_children: r
            .boolean(table, "include_children")
            .is_some_and(|b| b.value),
        // A boxed slice of their own size, not the list of tables' place,
        // which is three times larger.
        key_results: key_results.into(),
    }
}

/// A KPI's healthy band: its `min` and `max`, at least one of them, in order.
fn read_band(r: &mut Reader<'_>, span: Span, band: &Table<'_>) -> (Option<f64>, Option<f64>) {
    let _ = r.check_keys(band, BAND_KEYS, "healthy band");
    let min = r.number(band, "min");
    let max = r.number(band, "max");
    match (&min, &max) {
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
    (min.map(|m| m.value), max.map(|m| m.value))
}

fn read_measurement(r: &mut Reader<'_>, span: Span, item: &Table<'_>) -> Option<MeasurementDoc> {
    let _ = r.check_keys(item, MEASUREMENT_KEYS, "measurement");
    let date = r.date(item, "date");
    let date = r.require(date, item, span, "date", "a measurement", "2026-07-01");
    let value = r.number(item, "value");
    let value = r.require(value, item, span, "value", "a measurement", "9.1");
    Some(MeasurementDoc {
        span: date.as_ref()?.span,
        date: date?.value,
        value: value?.value,
        note: r.string(item, "note").map(|n| n.value),
    })
}

fn read_commitment(r: &mut Reader<'_>, table: &Table<'_>) -> Commitment {
    if let Some(learning) = r
        .string(table, "commitment")
        .filter(|c| c.value == Commitment::Learning.as_str())
    {
        r.push(
            Diagnostic::new(
                Code::BadValue,
                "an objective cannot be `learning`: only its key results can",
            )
            .at(learning.span)
            .hint("write `commitment = \"learning\"` in the key results that are experiments, and leave the objective `aspirational`"),
        );
        return Commitment::default();
    }
    let options = Commitment::OF_OBJECTIVES.map(|c| (c.as_str(), c));
    r.choice(table, "commitment", &options)
        .map_or(Commitment::default(), |c| c.value)
}

/// `contributors`: ids of teams and people.
fn read_contributors(r: &mut Reader<'_>, table: &Table<'_>) -> Vec<Sp<String>> {
    let mut out = Vec::new();
    for contributor in r.strings(table, "contributors") {
        if crate::slug::check_slug(&contributor.value) {
            out.push(contributor);
        } else {
            r.push(
                Diagnostic::new(
                    Code::BadId,
                    format!("`{}` is not a valid id", contributor.value),
                )
                .at(contributor.span)
                .hint("contributors are team or person ids"),
            );
        }
    }
    out
}

pub(super) fn read_kpi_data_path(r: &mut Reader<'_>, table: &Table<'_>) -> Option<Sp<String>> {
    r.text(table, "data")
}

pub(super) fn read_kpi(r: &mut Reader<'_>, table: &Table<'_>, head: DocHead) -> KpiDoc {
    let _ = r.check_keys(table, KPI_KEYS, "KPI");
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
        .choice(table, "cadence", super::config::CADENCES)
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
    let (healthy_min, healthy_max) = r
        .table(table, "healthy")
        .map_or((None, None), |(span, band)| read_band(r, span, band));
    let measurements = r
        .tables(table, "measurements")
        .into_iter()
        .filter_map(|(span, item)| read_measurement(r, span, item))
        .collect();
    let rollup = r.choice(table, "rollup", &Rollup::ALL.map(|c| (c.as_str(), c)));
    let of = r.ids(table, "of").into();
    KpiDoc {
        rollup,
        rollup_written: table.get("rollup").is_some(),
        of,
        head,
        name,
        owner,
        unit: r.string(table, "unit").map(|u| u.value),
        direction,
        cadence,
        visibility,
        data_path: None,
        healthy_min,
        healthy_max,
        measurements,
    }
}

pub(super) fn read_page(r: &mut Reader<'_>, table: &Table<'_>, head: DocHead) -> PageDoc {
    let _ = r.check_keys(table, PAGE_KEYS, "page");
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
