//! Markdown bodies: one parse that finds what a body links to, its plain
//! text for search, and (for a build) its safe HTML.
//!
//! pulldown-cmark parses with tables, footnotes, strikethrough, task lists
//! and smart punctuation, everywhere: what a link is for `check` is what a
//! link is on the site. Headings get anchors and shift below the page's
//! title. Links to `.md` source files and into `static/` are left as
//! placeholders, because where they lead depends on which pages the site
//! publishes; [`Html::finish`] fills them in, relative to the page. The
//! HTML is sanitised by ammonia, so no script, event handler,
//! `javascript:` URL or style attribute from a body reaches a page.

pub(crate) mod links;
mod nesting;
mod safe;
mod sanitise;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::slug::slugify;
use links::{LinkTarget, link_target};
use nesting::limit_nesting;
#[cfg(test)]
use nesting::{MAX_NESTING, OpenElements};
pub(crate) use sanitise::sanitise;
#[cfg(test)]
use sanitise::{complete_tags, has_scheme_or_host};

/// The Markdown extensions okra reads bodies with.
pub(crate) const MARKDOWN_OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_SMART_PUNCTUATION);

/// Maps a document's source path (`kpis/csat.md`) to its page
/// (`kpis/csat.html`), for published documents only. Paths are borrowed
/// from the site and hashed with a fast hasher: they come from its files.
pub(crate) type PageMap<'a> = foldhash::HashMap<&'a str, String>;

/// What one parse of a body finds.
pub(crate) struct ParsedBody {
    /// Every link and image target, with its byte range in the body.
    pub links: Vec<(String, Range<usize>)>,
    /// Every image source, of Markdown images and of raw `<img>` tags,
    /// with its byte range in the body, and whether it is raw HTML.
    pub images: Vec<(String, Range<usize>, bool)>,
    /// The plain text, words separated by single spaces.
    pub text: String,
    /// The safe HTML, when asked for.
    pub html: Option<Html>,
}

/// A body's sanitised HTML, with each link into the site a placeholder.
#[derive(Clone, Debug)]
pub struct Html {
    html: Box<str>,
    /// The link each placeholder stands for, as written.
    links: Vec<String>,
}

/// The start of a placeholder URL: a fragment no author can guess, so a
/// body cannot write one of its own.
fn placeholder_prefix() -> &'static str {
    static PREFIX: OnceLock<String> = OnceLock::new();
    PREFIX.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(std::process::id().into());
        format!("#okra-link-{:016x}-", hasher.finish())
    })
}

/// Finds [`placeholder_prefix`] in a body's HTML, faster than a plain
/// search for a string that long.
fn placeholder_finder() -> &'static memchr::memmem::Finder<'static> {
    static FINDER: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    FINDER.get_or_init(|| memchr::memmem::Finder::new(placeholder_prefix()))
}

/// Parses a body once. `source_path` is the document's path from the site
/// root. With `html_top`, the body is also rendered, its highest headings
/// becoming `<h{html_top}>` and the others keeping their distance below,
/// so a page's outline never skips a level. Without `text`, its plain text
/// is left empty.
pub(crate) fn parse(
    body: &str,
    source_path: &str,
    html_top: Option<usize>,
    text_too: bool,
) -> ParsedBody {
    let mut links = Vec::new();
    let mut images = Vec::new();
    let mut text = String::new();
    let mut events = Vec::new();
    for (event, range) in Parser::new_ext(body, MARKDOWN_OPTIONS).into_offset_iter() {
        match &event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                links.push((dest_url.to_string(), link_range(body, dest_url, range)));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let range = link_range(body, dest_url, range);
                images.push((dest_url.to_string(), range.clone(), false));
                links.push((dest_url.to_string(), range));
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                let offset = range.start;
                let html = body.get(range).unwrap_or_default();
                images.extend(
                    raw_image_sources(html)
                        .into_iter()
                        .map(|(src, at)| (src, offset + at.start..offset + at.end, true)),
                );
            }
            Event::Text(words) | Event::Code(words) if text_too => text.push_str(words),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock,
            ) if text_too => text.push(' '),
            _ => {}
        }
        if html_top.is_some() {
            events.push(event);
        }
    }
    let text = single_spaced(&text);
    let html = html_top.map(|top| render_events(events.into_iter(), source_path, top));
    ParsedBody {
        links,
        images,
        text,
        html,
    }
}

/// `text` with its words separated by single spaces, and none at either
/// end.
fn single_spaced(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The `src` of each `<img>` tag in a piece of raw HTML, with where the
/// value is written. Character references are left as written.
fn raw_image_sources(html: &str) -> Vec<(String, Range<usize>)> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("<img") {
        let start = from + at + 4;
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        let mut search = 0;
        while let Some(found) = tag[search..].find("src") {
            let name = search + found;
            search = name + 3;
            let before = tag[..name].chars().next_back();
            if !before.is_some_and(|c| c.is_ascii_whitespace() || c == '/') {
                continue;
            }
            let rest = tag[name + 3..].trim_start();
            let Some(value) = rest.strip_prefix('=') else {
                continue;
            };
            let value = value.trim_start();
            let value_at = start + tag.len() - value.len();
            let (text_at, length) = match value.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    (value_at + 1, value[1..].find(q).unwrap_or(value.len() - 1))
                }
                _ => (
                    value_at,
                    value
                        .find(|c: char| c.is_ascii_whitespace())
                        .unwrap_or(value.len()),
                ),
            };
            out.push((
                html[text_at..text_at + length].to_string(),
                text_at..text_at + length,
            ));
            break;
        }
        from = end;
    }
    out
}

/// Where a link's target is written: the target itself when it can be
/// found inside the link's source, else the whole link.
fn link_range(body: &str, dest: &str, range: Range<usize>) -> Range<usize> {
    match body[range.clone()].rfind(dest) {
        Some(at) if at > 0 => range.start + at..range.start + at + dest.len(),
        _ => range,
    }
}

impl Html {
    /// The HTML with each link into the site leading to its page (or the
    /// published file) relative to `root`, the prefix from the page to the
    /// site root; a link to a document that is not published leads to the
    /// 404 page.
    pub fn finish(&self, source_path: &str, root: &str, pages: &PageMap<'_>) -> String {
        if self.links.is_empty() {
            return self.html.to_string();
        }
        let prefix = placeholder_prefix();
        let mut out = String::with_capacity(self.html.len());
        let mut rest = &*self.html;
        while let Some(at) = placeholder_finder().find(rest.as_bytes()) {
            out.push_str(&rest[..at]);
            let after = &rest[at + prefix.len()..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let link = after[..digits]
                .parse::<usize>()
                .ok()
                .and_then(|n| self.links.get(n));
            match link {
                Some(link) => {
                    out.push_str(&escape_attribute(&rewrite(link, source_path, root, pages)))
                }
                None => out.push_str(&rest[at..at + prefix.len() + digits]),
            }
            rest = &after[digits..];
        }
        out.push_str(rest);
        out
    }
}

/// Text safe inside a quoted attribute value.
fn escape_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a string cannot fail");
    out
}

/// Renders and finishes a body in one step.
#[cfg(test)]
pub(crate) fn render(
    body: &str,
    source_path: &str,
    root: &str,
    pages: &PageMap<'_>,
    top: usize,
) -> String {
    parse(body, source_path, Some(top), false)
        .html
        .expect("asked for")
        .finish(source_path, root, pages)
}

/// A body's HTML alone, for a run that did not make it while reading.
pub(crate) fn html(body: &str, source_path: &str, top: usize) -> Html {
    render_events(Parser::new_ext(body, MARKDOWN_OPTIONS), source_path, top)
}

/// Renders parsed events to sanitised HTML with placeholder links.
fn render_events<'e>(
    events: impl Iterator<Item = Event<'e>>,
    source_path: &str,
    top: usize,
) -> Html {
    let page = page_events(events, source_path, top);
    let safe = if page.needs_sanitiser {
        None
    } else {
        safe::write(&page.events)
    };
    let html = safe.unwrap_or_else(|| sanitised(page.events));
    Html {
        html: html.into_boxed_str(),
        links: page.links,
    }
}

/// The events of a body as its page shows them.
struct PageEvents<'e> {
    events: Vec<Event<'e>>,
    /// The link each placeholder stands for, as written.
    links: Vec<String>,
    /// Whether the body holds HTML of its own or tags that only the
    /// sanitiser writes safely (see [`safe::needs_sanitiser`]).
    needs_sanitiser: bool,
}

/// Events written by pulldown-cmark, then sanitised.
fn sanitised(events: Vec<Event>) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitise(&html)
}

/// A body's events with headings shifted and given anchors, task-list
/// boxes written out, and links into the site replaced by placeholders.
fn page_events<'e>(
    events: impl Iterator<Item = Event<'e>>,
    source_path: &str,
    top: usize,
) -> PageEvents<'e> {
    let parsed = limit_nesting(events);
    let highest = parsed
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let mut used_ids = HashMap::new();
    let mut links = Vec::new();
    let mut placeholder = |dest: CowStr<'_>| -> CowStr<'static> {
        if link_target(source_path, &dest).is_none() {
            return CowStr::from(dest.into_string());
        }
        links.push(dest.into_string());
        CowStr::from(format!("{}{}", placeholder_prefix(), links.len() - 1))
    };
    let mut out: Vec<Event> = Vec::new();
    let mut heading: Option<(HeadingLevel, usize)> = None;
    let needs_sanitiser = parsed.iter().any(safe::needs_sanitiser);
    for event in parsed {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => out.push(Event::Start(Tag::Link {
                link_type,
                dest_url: placeholder(dest_url),
                title,
                id,
            })),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => out.push(Event::Start(Tag::Image {
                link_type,
                dest_url: placeholder(dest_url),
                title,
                id,
            })),
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level, out.len()));
                out.push(Event::Text(CowStr::Borrowed("")));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((_, start)) = heading.take() {
                    let level = (level as usize - highest + top).min(6);
                    close_heading(&mut out, start, level, &mut used_ids);
                }
            }
            // In the sanitiser's spelling, which the safe writer keeps.
            Event::TaskListMarker(done) => out.push(Event::Html(CowStr::from(if done {
                "<input type=\"checkbox\" disabled=\"\" checked=\"\" aria-label=\"done\"> "
            } else {
                "<input type=\"checkbox\" disabled=\"\" aria-label=\"not done\"> "
            }))),
            other => out.push(other),
        }
    }
    PageEvents {
        events: out,
        links,
        needs_sanitiser,
    }
}

/// Writes the heading whose placeholder is `out[start]` as `<h{level}>`
/// with an anchor made from its text, unique in the body.
fn close_heading(
    out: &mut Vec<Event<'_>>,
    start: usize,
    level: usize,
    used_ids: &mut HashMap<String, usize>,
) {
    let text: String = out[start + 1..]
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let anchor = unique_anchor(slugify(&text), used_ids);
    out[start] = Event::Html(CowStr::from(format!("<h{level} id=\"h-{anchor}\">")));
    out.push(Event::Html(CowStr::from(format!("</h{level}>"))));
}

/// `base`, or `base-2`, `base-3`… when taken. `used` maps each anchor
/// given out to the next number to try after it, so a body of thousands of
/// identical headings takes linear time, not quadratic.
fn unique_anchor(base: String, used: &mut HashMap<String, usize>) -> String {
    let Some(next) = used.get(&base).copied() else {
        used.insert(base.clone(), 2);
        return base;
    };
    let mut n = next;
    let anchor = loop {
        let candidate = format!("{base}-{n}");
        n += 1;
        if !used.contains_key(&candidate) {
            break candidate;
        }
    };
    used.insert(base, n);
    used.insert(anchor.clone(), 2);
    anchor
}

/// The URL a link in a body should have on the site.
fn rewrite(dest: &str, source_path: &str, root: &str, pages: &PageMap<'_>) -> String {
    let fragment = dest.find('#').map_or("", |i| &dest[i..]);
    match link_target(source_path, dest) {
        None => dest.to_string(),
        Some(LinkTarget::Document(target)) => match pages.get(target.as_str()) {
            Some(page) => format!("{root}{page}{fragment}"),
            // Not published (a draft or a private KPI): the link goes nowhere.
            None => format!("{root}404.html"),
        },
        Some(LinkTarget::Static(file)) => {
            let written = dest.split(['#', '?']).next().unwrap_or("");
            let rest = &dest[written.len()..];
            format!("{root}{}{rest}", crate::source::percent_encode_path(&file))
        }
    }
}

#[cfg(test)]
mod tests;
