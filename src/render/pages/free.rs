//! The pages that are not a document of the model's cascade: a free
//! page of `pages/`, the search page and the page for unknown addresses.

use tera::Context;

use crate::model::PageIx;
use crate::render::Renderer;
use crate::render::urls;
use crate::write::OutputFile;

impl Renderer<'_> {
    /// A free page of `pages/`.
    pub(in crate::render) fn free_page(&self, i: PageIx) -> anyhow::Result<OutputFile> {
        let site = self.site;
        let page = &site.pages[i];
        let mut context = Context::new();
        context.insert(
            "page",
            &self.document_page_info("../", &page.title, "page", &page.path),
        );
        context.insert(
            "body",
            &self.body_html(
                &page.body,
                page.doc.head.html.as_deref(),
                &page.path,
                "../",
                2,
            )?,
        );
        self.render("page.html", urls::page(&page.id), &context)
    }

    /// The search page.
    pub(in crate::render) fn search_page(&self) -> anyhow::Result<OutputFile> {
        let mut context = Context::new();
        context.insert("page", &self.page_info("", None, "search"));
        self.render("search.html", urls::SEARCH.into(), &context)
    }

    /// The page a static host serves for an unknown address.
    pub(in crate::render) fn not_found(&self) -> anyhow::Result<OutputFile> {
        // A static host serves this page at whatever address was
        // asked for, at any depth: its links and assets are given
        // from the path of the site's address (`base_url`), else
        // from the root of the host. Only the path is taken, so the
        // page loads nothing from another host or scheme.
        let root = match &self.site.base_url {
            Some(url) if !self.served => crate::load::fields::web_path(url),
            _ => "/".to_string(),
        };
        let mut context = Context::new();
        context.insert("page", &self.page_info(&root, None, "none"));
        context.insert("stylesheet", &self.stylesheet);
        self.render("404.html", urls::NOT_FOUND.into(), &context)
    }
}
