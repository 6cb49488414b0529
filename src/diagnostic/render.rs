//! Diagnostics for people (like a compiler's messages), for programs (JSON)
//! and for GitHub Actions (workflow commands).

use super::*;

/// A message as every output shows it: controls escaped, line breaks kept.
pub(super) fn shown(text: String) -> String {
    match escape_controls(&text, &['\n']) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(escaped) => escaped,
    }
}

/// Renders diagnostics as a compiler does, with the offending source line
/// and a caret under the value.
pub fn render_human(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for diagnostic in diagnostics {
        out.push_str(&renderer.render(&report(diagnostic, sources)));
        out.push_str("\n\n");
    }
    out
}

/// The whole lines of a file that `range` covers, the number of the first
/// one and `range` relative to them, so that rendering a diagnostic costs
/// the length of its lines, not of its file.
fn excerpt(
    source: &SourceFile,
    range: std::ops::Range<usize>,
) -> (&str, usize, std::ops::Range<usize>) {
    let text = source.text.as_str();
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (start, end) = (floor(range.start), floor(range.end.max(range.start)));
    let first = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let last = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let (line, _) = source.line_col(first);
    (&text[first..last], line, start - first..end - first)
}

fn report<'a>(d: &'a Diagnostic, sources: &'a Sources) -> Vec<Group<'a>> {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level.primary_title(d.message.as_str()).id(d.code.as_str());
    let mut group = match (d.file, d.span) {
        (_, Some(span)) => {
            let source = sources.get(span.file);
            let (text, line, range) = excerpt(source, span.range());
            let mut annotation = AnnotationKind::Primary.span(range);
            if let Some(label) = &d.label {
                annotation = annotation.label(label.as_str());
            }
            title.element(
                Snippet::source(text)
                    .line_start(line)
                    .path(source.path.as_str())
                    .annotation(annotation),
            )
        }
        (Some(file), None) => title.element(annotate_snippets::Origin::path(sources.path(file))),
        (None, None) => Group::with_title(title),
    };
    for (span, label) in &d.related {
        let source = sources.get(span.file);
        let (text, line, range) = excerpt(source, span.range());
        group = group.element(
            Snippet::source(text)
                .line_start(line)
                .path(source.path.as_str())
                .annotation(AnnotationKind::Context.span(range).label(label.as_str())),
        );
    }
    for note in &d.notes {
        group = group.element(Level::NOTE.message(note.as_str()));
    }
    if let Some(hint) = &d.hint {
        group = group.element(Level::HELP.message(hint.as_str()));
    }
    vec![group]
}

/// One diagnostic in `--format json`.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub code: &'static str,
    pub severity: Severity,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub message: &'a str,
    pub hint: Option<&'a str>,
    pub notes: &'a [String],
}

/// Renders diagnostics as a JSON array.
pub fn render_json(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let items: Vec<JsonDiagnostic> = diagnostics
        .iter()
        .map(|d| {
            let position = d.position(sources);
            let located = d.span.is_some();
            JsonDiagnostic {
                code: d.code.as_str(),
                severity: d.severity,
                file: position.as_ref().map(|p| p.file.clone()),
                line: position.as_ref().filter(|_| located).map(|p| p.line),
                column: position.as_ref().filter(|_| located).map(|p| p.column),
                end_line: position.as_ref().filter(|_| located).map(|p| p.end_line),
                end_column: position.as_ref().filter(|_| located).map(|p| p.end_column),
                message: &d.message,
                hint: d.hint.as_deref(),
                notes: &d.notes,
            }
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&items).expect("diagnostics serialise");
    text.push('\n');
    text
}

/// Renders diagnostics as GitHub Actions workflow commands, which a pull
/// request shows as annotations on the offending lines.
pub fn render_github(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let mut properties = Vec::new();
        if let Some(p) = d.position(sources) {
            properties.push(format!("file={}", escape_property(&p.file)));
            if d.span.is_some() {
                properties.push(format!("line={}", p.line));
                properties.push(format!("col={}", p.column));
                properties.push(format!("endLine={}", p.end_line));
                if p.end_line == p.line {
                    properties.push(format!("endColumn={}", p.end_column));
                }
            }
        }
        properties.push(format!("title={}", escape_property(d.code.as_str())));
        let mut message = d.message.clone();
        for note in &d.notes {
            let _ = write!(message, "\nnote: {note}");
        }
        if let Some(hint) = &d.hint {
            let _ = write!(message, "\nhelp: {hint}");
        }
        let _ = writeln!(
            out,
            "::{} {}::{}",
            d.severity.as_str(),
            properties.join(","),
            escape_data(&message)
        );
    }
    out
}

pub(super) fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub(super) fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
