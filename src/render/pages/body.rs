//! Document bodies as HTML, for every page that shows one.

use std::borrow::Cow;

use super::super::Renderer;
use crate::markdown;
use crate::source::Body;

impl Renderer<'_> {
    /// A document's body as sanitised HTML, with its links leading to the
    /// pages they point at. The HTML was made when the document was read;
    /// a site read without it is rendered here, its highest headings
    /// `<h{top}>`. A body whose text was not kept is read again from the
    /// document's file at `path`; it is an error if it changed.
    pub(in crate::render) fn body_html(
        &self,
        body: &Body,
        html: Option<&markdown::Html>,
        path: &str,
        root: &str,
        top: usize,
    ) -> anyhow::Result<String> {
        let finish = |html: &markdown::Html| html.finish(path, root, &self.pages);
        if let Some(html) = html {
            return Ok(finish(html));
        }
        let body = match (body.text(), self.site_files) {
            (Some(_), _) => Cow::Borrowed(body),
            (None, Some(files)) => Cow::Owned(crate::load::read_body_again(files, path, body)?),
            (None, None) => anyhow::bail!("cannot read `{path}` again: the site's folder is gone"),
        };
        let text = body.text().unwrap_or_default();
        Ok(finish(&markdown::html(text, path, top)))
    }
}
