//! What `check` says of private KPIs when they are not to be shown.

use crate::diagnostic::Diagnostic;
use crate::source;
use crate::{Site, model};

/// Strips what a diagnostic tells of a private KPI: those in its files
/// (the KPI's page and its CSV data) lose their place too; those elsewhere
/// that quote its id or name keep theirs, since that file is public.
pub(super) fn redact_private(
    site: &Site,
    sources: &source::Sources,
    diagnostics: &mut [Diagnostic],
) {
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
