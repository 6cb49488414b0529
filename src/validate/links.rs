//! Links in bodies must point at documents and at files in `static/`, and
//! public documents must not link private KPIs.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::Checker;
use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::load::DocKind;
use crate::load::Sp;
use crate::markdown::links::LinkTarget;

impl Checker<'_> {
    /// Markdown links to `.md` files must point at documents, and links
    /// into `static/` at its files.
    pub(super) fn links(&mut self) {
        let site = self.site;
        let mut targets = Targets {
            documents: self
                .loaded
                .documents
                .iter()
                .map(|(path, kind, id)| (path.as_str(), (*kind, id.as_str())))
                .collect(),
            private_paths: site
                .kpis
                .iter()
                .filter(|k| k.is_private())
                .map(|k| k.path.as_str())
                .collect(),
            suggestions: HashMap::new(),
        };
        let heads = site
            .teams
            .iter()
            .map(|t| (&t.doc.head, false))
            .chain(site.objectives.iter().map(|o| (&o.doc.head, false)))
            .chain(site.kpis.iter().map(|k| (&k.doc.head, k.is_private())))
            .chain(site.pages.iter().map(|p| (&p.doc.head, false)));
        for (head, private) in heads {
            if let Some(images) = &head.images {
                let from = self.loaded.sources.get(head.file).path.clone();
                for (image, raw) in images.iter() {
                    let problem = self.missing_image(image, *raw, &from);
                    self.diagnostics.extend(problem);
                }
            }
            for (link, target) in head.links.iter().zip(&head.targets) {
                let problem = match target {
                    Some(LinkTarget::Static(file)) => (!self.loaded.static_files.contains(file))
                        .then(|| missing_static(link, file)),
                    Some(LinkTarget::Document(target)) => {
                        match targets.documents.get(target.as_str()) {
                            None => Some(targets.missing_document(link, target)),
                            Some(&(DocKind::Kpi, id)) if !private => self.exposed_kpi(link, id),
                            Some(_) => None,
                        }
                    }
                    None => None,
                };
                self.diagnostics.extend(problem);
            }
        }
    }

    /// An image that would show broken on the page: one whose relative
    /// source is not a file in `static/`, the one folder images are
    /// published from. A Markdown image into `static/` is checked with the
    /// links; sources with a scheme or host are dropped when the page is
    /// made, so nothing is loaded from elsewhere.
    fn missing_image(&self, image: &Sp<String>, raw: bool, from: &str) -> Option<Diagnostic> {
        let src = image.value.trim();
        let remote = src.is_empty()
            || src.starts_with("//")
            || src.starts_with('#')
            || src
                .split_once(':')
                .is_some_and(|(scheme, _)| !scheme.is_empty() && !scheme.contains('/'));
        if remote {
            return None;
        }
        match crate::markdown::links::link_target(from, src) {
            Some(LinkTarget::Static(file)) if raw && !self.loaded.static_files.contains(&file) => {
                Some(missing_static(image, &file))
            }
            Some(LinkTarget::Static(_)) => None,
            _ => Some(
                Diagnostic::new(
                    Code::BrokenLink,
                    format!("image `{}` is not a file in `static/`", image.value),
                )
                .at(image.span)
                .hint("okra publishes images from the site's `static/` folder only: put the file there and link it, e.g. `../static/chart.png`"),
            ),
        }
    }

    /// A public document's link to a private KPI, which is not published.
    fn exposed_kpi(&self, link: &Sp<String>, id: &str) -> Option<Diagnostic> {
        let site = self.site;
        let private = site
            .index
            .kpis
            .get(id)
            .is_some_and(|&k| site.kpis[k].is_private());
        private.then(|| {
            Diagnostic::new(
                Code::PrivateKpiExposed,
                format!("a public document links to private KPI `{id}`"),
            )
            .at(link.span)
            .hint("the KPI's page is not published; remove the link")
        })
    }
}

/// What links may point at.
struct Targets<'s> {
    /// Each document's path, with its kind and id.
    documents: BTreeMap<&'s str, (DocKind, &'s str)>,
    /// Private KPIs are never suggested.
    private_paths: HashSet<&'s str>,
    /// One suggestion per missing target, however often it is linked.
    suggestions: HashMap<String, String>,
}

impl Targets<'_> {
    fn missing_document(&mut self, link: &Sp<String>, target: &str) -> Diagnostic {
        let (documents, private_paths) = (&self.documents, &self.private_paths);
        let hint = self
            .suggestions
            .entry(target.to_string())
            .or_insert_with(|| {
                let public = documents
                    .keys()
                    .copied()
                    .filter(|p| !private_paths.contains(p));
                suggestion(target, public).unwrap_or_else(|| {
                    "links are relative to the file they are written in".to_string()
                })
            })
            .clone();
        Diagnostic::new(
            Code::BrokenLink,
            format!(
                "link to `{}`, which is not a document of the site",
                link.value
            ),
        )
        .at(link.span)
        .label(format!("resolves to `{target}`"))
        .hint(hint)
    }
}

fn missing_static(link: &Sp<String>, file: &str) -> Diagnostic {
    Diagnostic::new(
        Code::BrokenLink,
        format!(
            "link to `{}`, which is not a file in `static/`",
            link.value
        ),
    )
    .at(link.span)
    .label(format!("resolves to `static/{file}`"))
    .hint("put the file in the site's `static/` folder; links are relative to the file they are written in")
}
