//! A check's diagnostics as the editor shows them.

use std::collections::BTreeMap;

use lsp_server::{Message, Notification};
use lsp_types::notification::{Notification as _, PublishDiagnostics};
use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    PublishDiagnosticsParams, Uri,
};

use crate::Checked;
use crate::diagnostic::{Diagnostic, Severity};

/// The file a diagnostic without one is shown in.
const SITE_FILE: &str = "okra.toml";

/// Each file's diagnostics, by path from the site root, as LSP has them:
/// the same code, message, hint and notes as `okra check`, at the same
/// place counted in UTF-16; related places get the URI `uri_of` gives
/// their file.
pub(super) fn by_file(
    checked: &Checked,
    uri_of: &dyn Fn(&str) -> Option<Uri>,
) -> BTreeMap<String, Vec<lsp_types::Diagnostic>> {
    let mut out: BTreeMap<String, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
    for diagnostic in &checked.diagnostics {
        let file = diagnostic.span.map(|s| s.file).or(diagnostic.file);
        let (path, range) = match file {
            Some(file) => {
                let source = checked.sources.get(file);
                let bytes = diagnostic.span.map_or(0..0, |s| s.range());
                (source.path.clone(), super::text::range(&source.text, bytes))
            }
            None => (SITE_FILE.to_string(), lsp_types::Range::default()),
        };
        out.entry(path)
            .or_default()
            .push(convert(checked, diagnostic, range, uri_of));
    }
    out
}

/// One diagnostic: the message with its label, hint and notes as `okra
/// check` prints them.
fn convert(
    checked: &Checked,
    diagnostic: &Diagnostic,
    range: lsp_types::Range,
    uri_of: &dyn Fn(&str) -> Option<Uri>,
) -> lsp_types::Diagnostic {
    let mut message = diagnostic.message.clone();
    if let Some(label) = &diagnostic.label {
        message.push_str(&format!(" ({label})"));
    }
    if let Some(hint) = &diagnostic.hint {
        message.push_str(&format!("\nhelp: {hint}"));
    }
    for note in &diagnostic.notes {
        message.push_str(&format!("\nnote: {note}"));
    }
    let related = diagnostic
        .related
        .iter()
        .filter_map(|(span, text)| {
            let source = checked.sources.get(span.file);
            let uri = uri_of(&source.path)?;
            Some(DiagnosticRelatedInformation {
                location: Location::new(uri, super::text::range(&source.text, span.range())),
                message: text.clone(),
            })
        })
        .collect::<Vec<_>>();
    lsp_types::Diagnostic {
        range,
        severity: Some(match diagnostic.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(diagnostic.code.as_str().to_string())),
        source: Some("okra".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        data: diagnostic
            .hint
            .as_ref()
            .map(|hint| serde_json::json!({ "hint": hint })),
        ..lsp_types::Diagnostic::default()
    }
}

/// The notification that sets a file's diagnostics.
pub(super) fn notification(uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>) -> Message {
    let params = PublishDiagnosticsParams {
        uri,
        diagnostics,
        version: None,
    };
    Message::Notification(Notification::new(
        PublishDiagnostics::METHOD.to_string(),
        params,
    ))
}
