//! What the links in a Markdown body point at: validation checks the
//! targets, rendering rewrites them into links between pages.

use std::path::Path;

use crate::paths::{normalise_inside, relative_path};

/// What a relative link in a body points at in the site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTarget {
    /// A `.md` document, by its path from the site root.
    Document(String),
    /// A file under `static/`, by its path inside it (which is its path in
    /// the built site).
    Static(String),
}

/// The site file a link points at: a `.md` document or a file under
/// `static/`, by its path from the site root. `None` for URLs, anchors and
/// other files. `%XX` escapes in the path are decoded.
pub(crate) fn link_target(from: &str, link: &str) -> Option<LinkTarget> {
    let has_scheme = link.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+.-".contains(&b))
    });
    if has_scheme || link.starts_with("//") || link.starts_with('#') {
        return None;
    }
    let written = link.split(['#', '?']).next().unwrap_or("");
    if written.is_empty() {
        return None;
    }
    let decoded = crate::source::percent_decode(written);
    let path = decoded.as_deref().unwrap_or(written);
    let joined = match path.strip_prefix('/') {
        Some(rooted) => Path::new(rooted).to_path_buf(),
        None => Path::new(from).parent().unwrap_or(Path::new("")).join(path),
    };
    let normal = normalise_inside(&joined);
    if path.ends_with(".md") {
        return Some(LinkTarget::Document(match normal {
            Some(normal) => relative_path(Path::new(""), &normal),
            None => joined.to_string_lossy().into_owned(),
        }));
    }
    let inside = normal?.strip_prefix("static").ok()?.to_path_buf();
    let inside = relative_path(Path::new(""), &inside);
    (!inside.is_empty()).then_some(LinkTarget::Static(inside))
}

/// The site-relative path a link points at, when it is a link to a `.md`
/// file of the site (not a URL, an anchor or another kind of file).
#[cfg(test)]
fn resolve_link(from: &str, link: &str) -> Option<String> {
    match link_target(from, link)? {
        LinkTarget::Document(path) => Some(path),
        LinkTarget::Static(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_relative_to_their_file() {
        let from = "objectives/2026-q3/support.md";
        assert_eq!(
            resolve_link(from, "../../kpis/csat.md"),
            Some("kpis/csat.md".into())
        );
        assert_eq!(
            resolve_link(from, "other.md#why"),
            Some("objectives/2026-q3/other.md".into())
        );
        assert_eq!(
            resolve_link(from, "/pages/guide.md"),
            Some("pages/guide.md".into())
        );
        assert_eq!(resolve_link(from, "https://example.com/a.md"), None);
        assert_eq!(resolve_link(from, "mailto:a@b.md"), None);
        assert_eq!(resolve_link(from, "#top"), None);
        assert_eq!(resolve_link(from, "../../static/chart.png"), None);
        assert_eq!(
            resolve_link(from, "../../../../x.md"),
            Some("objectives/2026-q3/../../../../x.md".into())
        );
    }

    #[test]
    fn percent_encoded_links_are_decoded() {
        let from = "pages/guide.md";
        assert_eq!(
            resolve_link(from, "how%20we%20work.md#top"),
            Some("pages/how we work.md".into())
        );
        assert_eq!(
            resolve_link(from, "caf%C3%A9.md"),
            Some("pages/café.md".into())
        );
        assert_eq!(
            resolve_link(from, "bad%zz.md"),
            Some("pages/bad%zz.md".into())
        );
    }

    #[test]
    fn links_into_static_name_the_published_file() {
        let from = "pages/guide.md";
        let target = |link| link_target(from, link);
        assert_eq!(
            target("../static/img/cycle.svg"),
            Some(LinkTarget::Static("img/cycle.svg".into()))
        );
        assert_eq!(
            target("/static/a%20b.png?v=2"),
            Some(LinkTarget::Static("a b.png".into()))
        );
        assert_eq!(target("../static"), None);
        assert_eq!(target("../other/x.png"), None);
        assert_eq!(target("../../static/x.png"), None);
        assert_eq!(target("https://example.com/static/x.png"), None);
    }
}
