//! Diagnostics as a SARIF 2.1.0 log, the format GitHub code scanning and
//! other static-analysis tools read.

use serde_json::{Value, json};

use super::{Code, Diagnostic, Severity, explain};
use crate::source::{Sources, Span, percent_encode_path};

/// The log of one run of `okra check` over a site whose files lie at
/// `prefix` (`okrs/`, or empty) in the repository that code scanning
/// reads. Columns count Unicode code points, as okra's do.
pub fn render_sarif(diagnostics: &[Diagnostic], sources: &Sources, prefix: &str) -> String {
    let rules: Vec<Value> = Code::ALL.iter().map(|&code| rule(code)).collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| result(d, sources, prefix))
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "okra",
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&log).expect("a SARIF log serialises");
    text.push('\n');
    text
}

/// A code as a SARIF rule: its description, its explanation as help, and
/// the level it has unless `[lint]` says otherwise.
fn rule(code: Code) -> Value {
    let help = explain::explanation(code).unwrap_or(code.description());
    json!({
        "id": code.as_str(),
        "shortDescription": { "text": code.description() },
        "fullDescription": { "text": code.description() },
        "help": { "text": help, "markdown": help },
        "defaultConfiguration": {
            "level": if code.is_lint() { "warning" } else { "error" },
            "enabled": !code.is_opt_in(),
        },
        "properties": { "tags": [if code.is_lint() { "lint" } else { "error" }] },
    })
}

fn result(d: &Diagnostic, sources: &Sources, prefix: &str) -> Value {
    let mut text = d.message.clone();
    for note in &d.notes {
        text.push_str(&format!("\nnote: {note}"));
    }
    if let Some(hint) = &d.hint {
        text.push_str(&format!("\nhelp: {hint}"));
    }
    let mut result = json!({
        "ruleId": d.code.as_str(),
        "ruleIndex": Code::ALL.iter().position(|&c| c == d.code),
        "level": match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        "message": { "text": text },
    });
    if let Some(location) = d.file.map(|file| location(sources, file, d.span, prefix)) {
        result["locations"] = json!([location]);
    }
    let related: Vec<Value> = d
        .related
        .iter()
        .enumerate()
        .map(|(i, (span, label))| {
            let mut place = location(sources, span.file, Some(*span), prefix);
            place["id"] = json!(i);
            place["message"] = json!({ "text": label });
            place
        })
        .collect();
    if !related.is_empty() {
        result["relatedLocations"] = json!(related);
    }
    result
}

/// A file and, where known, the region in it; SARIF's end column is the
/// column after the region, as okra's is.
fn location(
    sources: &Sources,
    file: crate::source::FileId,
    span: Option<Span>,
    prefix: &str,
) -> Value {
    let source = sources.get(file);
    let path = crate::diagnostic::unescape_controls(&source.path);
    let uri = percent_encode_path(&format!("{prefix}{path}"));
    let region = match span {
        Some(span) => {
            let (line, column) = source.line_col(span.start());
            let (end_line, end_column) = source.line_col(span.end());
            json!({
                "startLine": line,
                "startColumn": column,
                "endLine": end_line,
                "endColumn": end_column.max(if end_line == line { column + 1 } else { 1 }),
            })
        }
        None => json!({ "startLine": 1 }),
    };
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri, "uriBaseId": "%SRCROOT%" },
            "region": region,
        }
    })
}
