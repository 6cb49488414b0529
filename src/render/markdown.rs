//! Markdown bodies to safe HTML.
//!
//! pulldown-cmark parses with tables, footnotes, strikethrough and task
//! lists; headings get anchors; links to `.md` source files are rewritten to
//! the pages they became, relative to the page being rendered; and the
//! result is sanitised by ammonia, so no script, event handler,
//! `javascript:` URL or style attribute from a body reaches a page.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::load::fields::slugify;
use crate::validate::resolve_link;

/// Maps a document's source path (`kpis/csat.md`) to its page
/// (`kpis/csat.html`), for published documents only.
pub type PageMap = HashMap<String, String>;

/// Renders a document body.
///
/// `source_path` is the document's path relative to the site root and
/// `root` the relative prefix from the page to the site root (`../`). The
/// body's highest headings become `<h{top}>` and the others keep their
/// distance below, so a page's outline never skips a level.
pub fn render(body: &str, source_path: &str, root: &str, pages: &PageMap, top: usize) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    let parsed = limit_nesting(Parser::new_ext(body, options));
    let highest = parsed
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let mut used_ids = HashSet::new();
    let mut events: Vec<Event> = Vec::new();
    let mut heading: Option<(HeadingLevel, usize)> = None;
    for event in parsed {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => events.push(Event::Start(Tag::Link {
                link_type,
                dest_url: rewrite(&dest_url, source_path, root, pages),
                title,
                id,
            })),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => events.push(Event::Start(Tag::Image {
                link_type,
                dest_url: rewrite(&dest_url, source_path, root, pages),
                title,
                id,
            })),
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level, events.len()));
                events.push(Event::Text(CowStr::Borrowed("")));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((_, start)) = heading.take() {
                    let text: String = events[start + 1..]
                        .iter()
                        .filter_map(|e| match e {
                            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                            _ => None,
                        })
                        .collect();
                    let mut anchor = slugify(&text);
                    let base = anchor.clone();
                    let mut n = 1;
                    while !used_ids.insert(anchor.clone()) {
                        n += 1;
                        anchor = format!("{base}-{n}");
                    }
                    let level = (level as usize - highest + top).min(6);
                    events[start] =
                        Event::Html(CowStr::from(format!("<h{level} id=\"h-{anchor}\">")));
                    events.push(Event::Html(CowStr::from(format!("</h{level}>"))));
                }
            }
            Event::TaskListMarker(done) => events.push(Event::Html(CowStr::from(if done {
                "<input type=\"checkbox\" disabled checked aria-label=\"done\"> "
            } else {
                "<input type=\"checkbox\" disabled aria-label=\"not done\"> "
            }))),
            other => events.push(other),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitise(&html)
}

/// How deep a body's elements may nest. An HTML parser takes time in
/// proportion to the depth for each element, so a body nested thousands
/// deep would take quadratic time to sanitise; deeper Markdown containers
/// are flattened into the deepest allowed one, and raw HTML that would go
/// deeper is shown as text.
const MAX_NESTING: usize = 64;

/// Elements that have no end tag.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

fn limit_nesting<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    // Whether each open Markdown container was kept.
    let mut kept: Vec<bool> = Vec::new();
    let mut depth = 0;
    let mut html_depth = 0;
    for event in events {
        match event {
            Event::Start(tag) => {
                let keep = depth + html_depth < MAX_NESTING;
                kept.push(keep);
                if keep {
                    depth += 1;
                    out.push(Event::Start(tag));
                }
            }
            Event::End(tag) => {
                if kept.pop().unwrap_or(false) {
                    depth -= 1;
                    out.push(Event::End(tag));
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                let (opens, closes) = tag_counts(&html);
                if depth + html_depth + opens > MAX_NESTING {
                    out.push(Event::Text(html));
                } else {
                    html_depth = (html_depth + opens).saturating_sub(closes);
                    out.push(Event::Html(html));
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Roughly how many elements a piece of raw HTML opens and closes.
fn tag_counts(html: &str) -> (usize, usize) {
    let (mut opens, mut closes) = (0, 0);
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if rest.starts_with('/') {
            closes += 1;
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        let self_closing = rest.find('>').is_some_and(|end| rest[..end].ends_with('/'));
        if !name.is_empty() && !self_closing && !VOID_ELEMENTS.contains(&name.as_str()) {
            opens += 1;
        }
    }
    (opens, closes)
}

/// The URL a link in a body should have on the site.
fn rewrite<'a>(dest: &CowStr<'a>, source_path: &str, root: &str, pages: &PageMap) -> CowStr<'a> {
    let Some(target) = resolve_link(source_path, dest) else {
        return dest.clone();
    };
    let fragment = dest.find('#').map_or("", |i| &dest[i..]);
    match pages.get(&target) {
        Some(page) => CowStr::from(format!("{root}{page}{fragment}")),
        // Not published (a draft or a private KPI): the link goes nowhere.
        None => CowStr::from(format!("{root}404.html")),
    }
}

/// Removes everything that could run code or restyle the page.
pub fn sanitise(html: &str) -> String {
    static SANITISER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITISER.get_or_init(sanitiser).clean(html).to_string()
}

/// The sanitiser's rules, built once.
fn sanitiser() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled", "aria-label"])
        .add_generic_attributes(["id"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("input", "type") if value != "checkbox" => None,
            // Pages load nothing from another host: only relative sources.
            (_, "src") if has_scheme_or_host(value) => None,
            ("td" | "th", "style") => {
                let allowed = [
                    "text-align: left",
                    "text-align: center",
                    "text-align: right",
                ];
                allowed
                    .contains(&value.trim().trim_end_matches(';'))
                    .then(|| value.into())
            }
            _ => Some(value.into()),
        })
        .id_prefix(None)
        .link_rel(Some("noopener noreferrer"));
    builder
}

/// Whether a URL names a scheme (`https:`, `data:`) or a host (`//cdn`).
fn has_scheme_or_host(url: &str) -> bool {
    let url = url.trim();
    url.starts_with("//")
        || url.starts_with("\\\\")
        || url
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.contains(['/', '?', '#']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages() -> PageMap {
        HashMap::from([
            ("kpis/csat.md".to_string(), "kpis/csat.html".to_string()),
            (
                "objectives/2026/grow.md".to_string(),
                "objectives/grow.html".to_string(),
            ),
        ])
    }

    #[test]
    fn links_to_sources_become_links_to_pages() {
        let html = render(
            "See [CSAT](../../kpis/csat.md#why) and [grow](grow.md) and [web](https://example.com).",
            "objectives/2026/x.md",
            "../",
            &pages(),
            2,
        );
        assert!(html.contains(r#"href="../kpis/csat.html#why""#), "{html}");
        assert!(html.contains(r#"href="../objectives/grow.html""#), "{html}");
        assert!(html.contains(r#"href="https://example.com""#), "{html}");
    }

    #[test]
    fn unpublished_targets_point_at_the_404_page() {
        let html = render("[x](../kpis/secret.md)", "pages/a.md", "../", &pages(), 2);
        assert!(html.contains(r#"href="../404.html""#), "{html}");
    }

    #[test]
    fn headings_get_anchors_and_shift_below_the_title() {
        let html = render("# Why\n\n## Why\n", "pages/a.md", "../", &pages(), 2);
        assert!(html.contains(r#"<h2 id="h-why">Why</h2>"#), "{html}");
        assert!(html.contains(r#"<h3 id="h-why-2">Why</h3>"#), "{html}");
    }

    #[test]
    fn deep_nesting_is_capped() {
        let quotes = render(&"> ".repeat(1000), "pages/a.md", "../", &pages(), 2);
        assert_eq!(quotes.matches("<blockquote>").count(), MAX_NESTING);
        let divs = render(
            &("<div>".repeat(1000) + "x"),
            "pages/a.md",
            "../",
            &pages(),
            2,
        );
        assert!(divs.matches("<div>").count() <= MAX_NESTING, "{divs}");
        let shallow = render(
            "<div><br><img src=\"a.png\"/><p>x</p></div>",
            "pages/a.md",
            "../",
            &pages(),
            2,
        );
        assert!(shallow.contains("<div><br>"), "{shallow}");
        assert_eq!(tag_counts("<div><br><img src=x/><p>x</p></div>"), (2, 2));
    }

    #[test]
    fn raw_html_is_made_inert() {
        let html = render(
            "<script>alert(1)</script><img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">x</a>\
             <p style=\"position:fixed\">s</p><iframe srcdoc=\"<script>\"></iframe>",
            "pages/a.md",
            "../",
            &pages(),
            2,
        );
        for bad in [
            "<script",
            "onerror",
            "javascript:",
            "style=",
            "<iframe",
            "alert(1)</",
        ] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
    }

    #[test]
    fn images_load_only_from_the_site() {
        let html = render(
            "![a](https://cdn.example/x.png) ![b](//cdn.example/y.png) ![c](data:image/png;base64,AA) ![d](../static/ok.png)",
            "pages/a.md",
            "../",
            &pages(),
            2,
        );
        assert!(
            !html.contains("cdn.example") && !html.contains("data:"),
            "{html}"
        );
        assert!(html.contains(r#"src="../static/ok.png""#), "{html}");
    }

    #[test]
    fn task_lists_and_tables_survive() {
        let html = render(
            "- [x] done\n\n| a | b |\n|:-:|---|\n| 1 | 2 |\n",
            "pages/a.md",
            "../",
            &pages(),
            2,
        );
        assert!(
            html.contains(r#"<input type="checkbox" disabled="" checked="" aria-label="done">"#),
            "{html}"
        );
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains(r#"style="text-align: center""#), "{html}");
    }
}
