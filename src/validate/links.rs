//! Links in bodies must point at documents and at files in `static/`, and
//! public documents must not link private KPIs.

use std::collections::{BTreeMap, HashMap};

use super::Checker;
use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::load::DocKind;
use crate::load::links::{LinkTarget, link_target};

impl Checker<'_> {
    /// Markdown links to `.md` files must point at documents, and links
    /// into `static/` at its files.
    pub(super) fn links(&mut self) {
        let site = self.site;
        let documents: BTreeMap<&str, (DocKind, &str)> = self
            .loaded
            .documents
            .iter()
            .map(|(path, kind, id)| (path.as_str(), (*kind, id.as_str())))
            .collect();
        let private_paths: std::collections::HashSet<&str> = site
            .kpis
            .iter()
            .filter(|k| k.is_private())
            .map(|k| k.path.as_str())
            .collect();
        let heads = site
            .teams
            .iter()
            .map(|t| (&t.doc.head, &t.path, false))
            .chain(
                site.objectives
                    .iter()
                    .map(|o| (&o.doc.head, &o.path, false)),
            )
            .chain(
                site.kpis
                    .iter()
                    .map(|k| (&k.doc.head, &k.path, k.is_private())),
            )
            .chain(site.pages.iter().map(|p| (&p.doc.head, &p.path, false)));
        // One suggestion per missing target, however often it is linked.
        let mut suggestions: HashMap<String, String> = HashMap::new();
        for (head, path, private) in heads {
            for link in &head.links {
                let target = match link_target(path, &link.value) {
                    Some(LinkTarget::Document(target)) => target,
                    Some(LinkTarget::Static(file)) => {
                        if !self.loaded.static_files.contains(&file) {
                            self.diagnostics.push(
                                Diagnostic::new(
                                    Code::BrokenLink,
                                    format!(
                                        "link to `{}`, which is not a file in `static/`",
                                        link.value
                                    ),
                                )
                                .at(link.span)
                                .label(format!("resolves to `static/{file}`"))
                                .hint("put the file in the site's `static/` folder; links are relative to the file they are written in"),
                            );
                        }
                        continue;
                    }
                    None => continue,
                };
                match documents.get(target.as_str()) {
                    None => {
                        let hint = suggestions
                            .entry(target.clone())
                            .or_insert_with(|| {
                                suggestion(
                                    &target,
                                    documents
                                        .keys()
                                        .copied()
                                        .filter(|p| !private_paths.contains(p)),
                                )
                                .unwrap_or_else(|| {
                                    "links are relative to the file they are written in".to_string()
                                })
                            })
                            .clone();
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::BrokenLink,
                                format!(
                                    "link to `{}`, which is not a document of the site",
                                    link.value
                                ),
                            )
                            .at(link.span)
                            .label(format!("resolves to `{target}`"))
                            .hint(hint),
                        );
                    }
                    Some((DocKind::Kpi, id)) if !private => {
                        let exposed = site
                            .index
                            .kpis
                            .get(*id)
                            .is_some_and(|&k| site.kpis[k].is_private());
                        if exposed {
                            self.diagnostics.push(
                                Diagnostic::new(
                                    Code::PrivateKpiExposed,
                                    format!("a public document links to private KPI `{id}`"),
                                )
                                .at(link.span)
                                .hint("the KPI's page is not published; remove the link"),
                            );
                        }
                    }
                    Some(_) => {}
                }
            }
        }
    }
}
