//! The pages that are not a document of the model's cascade: a free
//! page of `pages/`, the search page and the page for unknown addresses.

use tera::Context;

use crate::model::PageIx;
use crate::render::Renderer;
use crate::render::pages::PageSpec;
use crate::render::plan::Inputs;
use crate::render::urls;

impl Renderer<'_> {
    /// A free page of `pages/`.
    pub(in crate::render) fn free_page(&self, i: PageIx) -> anyhow::Result<Context> {
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
        Ok(context)
    }

    /// The search page.
    pub(in crate::render) fn search_page(&self) -> anyhow::Result<Context> {
        let mut context = Context::new();
        context.insert("page", &self.page_info("", None, "search"));
        Ok(context)
    }

    /// The page a static host serves for an unknown address.
    pub(in crate::render) fn not_found(&self) -> anyhow::Result<Context> {
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
        Ok(context)
    }
}

/// A free page of `pages/`.
pub(in crate::render) struct FreePage(pub(in crate::render) PageIx);

impl PageSpec for FreePage {
    fn template(&self) -> &'static str {
        "page.html"
    }
    fn path(&self, r: &Renderer<'_>) -> String {
        urls::page(&r.site.pages[self.0].id)
    }
    fn inputs(&self, _: &Renderer<'_>, inputs: &mut Inputs<'_>) {
        inputs.page(self.0);
    }
    fn context(&self, r: &Renderer<'_>) -> anyhow::Result<Context> {
        r.free_page(self.0)
    }
}

/// The search page: its results come from the index, in the browser.
pub(in crate::render) struct SearchPage;

impl PageSpec for SearchPage {
    fn template(&self) -> &'static str {
        "search.html"
    }
    fn path(&self, _: &Renderer<'_>) -> String {
        urls::SEARCH.into()
    }
    fn inputs(&self, _: &Renderer<'_>, _: &mut Inputs<'_>) {}
    fn context(&self, r: &Renderer<'_>) -> anyhow::Result<Context> {
        r.search_page()
    }
}

/// The page a web server answers with for a path the site does not have.
pub(in crate::render) struct NotFoundPage;

impl PageSpec for NotFoundPage {
    fn template(&self) -> &'static str {
        "404.html"
    }
    fn path(&self, _: &Renderer<'_>) -> String {
        urls::NOT_FOUND.into()
    }
    fn inputs(&self, _: &Renderer<'_>, _: &mut Inputs<'_>) {}
    fn context(&self, r: &Renderer<'_>) -> anyhow::Result<Context> {
        r.not_found()
    }
}
