//! Markdown bodies to safe HTML.
//!
//! pulldown-cmark parses with tables, footnotes, strikethrough and task
//! lists; headings get anchors; links to `.md` source files are rewritten to
//! the pages they became, relative to the page being rendered; and the
//! result is sanitised by ammonia, so no script, event handler,
//! `javascript:` URL or style attribute from a body reaches a page.

use std::collections::HashMap;
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::load::fields::slugify;
use crate::load::links::{LinkTarget, MARKDOWN_OPTIONS, link_target};

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
    let parsed = limit_nesting(Parser::new_ext(body, MARKDOWN_OPTIONS));
    let highest = parsed
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let mut used_ids = HashMap::new();
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
                    let anchor = unique_anchor(slugify(&text), &mut used_ids);
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

/// How deep a body's elements may nest. An HTML parser takes time in
/// proportion to the depth for each element (and to the open formatting
/// elements for each block), so a body nested thousands deep would take
/// quadratic time to sanitise; deeper Markdown containers are flattened into
/// the deepest allowed one, and raw HTML that would go deeper is shown as
/// text.
const MAX_NESTING: usize = 64;

/// Elements that have no end tag.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

fn limit_nesting<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    // Whether each open Markdown container was kept.
    let mut kept: Vec<bool> = Vec::new();
    let mut depth = 0;
    let mut html = OpenElements::default();
    for event in events {
        match event {
            Event::Start(tag) => {
                let keep = depth + html.depth() < MAX_NESTING;
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
            Event::Html(text) | Event::InlineHtml(text) => {
                let mut after = html.clone();
                if after.feed(&text, MAX_NESTING - depth.min(MAX_NESTING)) {
                    html = after;
                    out.push(Event::Html(text));
                } else {
                    out.push(Event::Text(text));
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The elements that raw HTML has opened and an HTML parser would still
/// hold open, as far as can be told without building the tree. It errs on
/// the side of "still open": an end tag closes only an element it matches
/// on top of the stack, or (for elements that are not formatting ones) one
/// further down with no formatting element above it; `<div/>` opens a
/// `div`, as it does in HTML. So mis-nested or stray end tags never make
/// the body look shallower than it is. The tokenizer follows the HTML
/// tokenizer where a mistake would hide tags (quotes start a value only
/// after `=`, a comment ends no later than the parser's, `<!x>` and `</ x>`
/// end at the first `>`), and its state carries from one piece of raw HTML
/// to the next, as it does in the parser.
#[derive(Clone, Default)]
struct OpenElements {
    stack: Vec<String>,
    state: Lexer,
    /// The name of the tag being read, and whether it is an end tag.
    tag: String,
    end_tag: bool,
}

#[derive(Clone, Copy, Default, PartialEq)]
enum Lexer {
    #[default]
    Text,
    /// After `<`.
    Open,
    /// After `</`.
    EndOpen,
    Name,
    Attributes {
        after_equals: bool,
    },
    Quoted(char),
    /// After `<!`, and after `<!-`.
    Bang,
    BangDash,
    /// Inside `<!-- … -->`, with the character before this one.
    Comment {
        last: char,
    },
    /// A bogus comment (`<!x>`, `<?x>`, `</ x>`): up to the first `>`.
    Bogus,
}

/// Elements whose mis-nested end tags an HTML parser does not simply
/// close (the adoption agency algorithm reopens them).
const FORMATTING_ELEMENTS: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

impl OpenElements {
    fn depth(&self) -> usize {
        self.stack.len()
    }

    /// Reads a piece of raw HTML; `false` when it would open elements
    /// deeper than `limit`.
    fn feed(&mut self, html: &str, limit: usize) -> bool {
        for c in html.chars() {
            self.state = match self.state {
                Lexer::Text if c == '<' => Lexer::Open,
                Lexer::Text => Lexer::Text,
                Lexer::Open => {
                    self.tag.clear();
                    self.end_tag = false;
                    match c {
                        '/' => Lexer::EndOpen,
                        '!' => Lexer::Bang,
                        '?' => Lexer::Bogus,
                        '<' => Lexer::Open,
                        _ if c.is_ascii_alphabetic() => {
                            self.tag.push(c.to_ascii_lowercase());
                            Lexer::Name
                        }
                        _ => Lexer::Text,
                    }
                }
                Lexer::EndOpen => match c {
                    '>' => Lexer::Text,
                    _ if c.is_ascii_alphabetic() => {
                        self.end_tag = true;
                        self.tag.push(c.to_ascii_lowercase());
                        Lexer::Name
                    }
                    _ => Lexer::Bogus,
                },
                Lexer::Name | Lexer::Attributes { .. } if c == '>' => {
                    if !self.finish_tag(limit) {
                        return false;
                    }
                    Lexer::Text
                }
                Lexer::Name if c == '/' || c.is_whitespace() => Lexer::Attributes {
                    after_equals: false,
                },
                Lexer::Name => {
                    if self.tag.len() < 32 {
                        self.tag.push(c.to_ascii_lowercase());
                    }
                    Lexer::Name
                }
                Lexer::Attributes { after_equals } => match c {
                    '"' | '\'' if after_equals => Lexer::Quoted(c),
                    '=' => Lexer::Attributes { after_equals: true },
                    _ if c.is_whitespace() => Lexer::Attributes { after_equals },
                    _ => Lexer::Attributes {
                        after_equals: false,
                    },
                },
                Lexer::Quoted(quote) if c == quote => Lexer::Attributes {
                    after_equals: false,
                },
                Lexer::Quoted(quote) => Lexer::Quoted(quote),
                Lexer::Bang | Lexer::BangDash if c == '>' => Lexer::Text,
                Lexer::Bang if c == '-' => Lexer::BangDash,
                Lexer::BangDash if c == '-' => Lexer::Comment { last: '-' },
                Lexer::Bang | Lexer::BangDash => Lexer::Bogus,
                // The parser ends a comment at `-->`, `--!>`, `<!-->` or
                // `<!--->`: always a `>` after `-` or `!`. Ending at every
                // such `>` ends no later than it does.
                Lexer::Comment { last } if c == '>' && matches!(last, '-' | '!') => Lexer::Text,
                Lexer::Comment { .. } => Lexer::Comment { last: c },
                Lexer::Bogus if c == '>' => Lexer::Text,
                Lexer::Bogus => Lexer::Bogus,
            };
        }
        true
    }

    /// Opens or closes the element of the tag just read; `false` when
    /// opening it goes deeper than `limit`. A trailing `/` does not close
    /// an HTML element, so it is not looked at.
    fn finish_tag(&mut self, limit: usize) -> bool {
        let name = std::mem::take(&mut self.tag);
        if self.end_tag {
            self.close(&name);
        } else if !VOID_ELEMENTS.contains(&name.as_str()) {
            if self.stack.len() >= limit {
                return false;
            }
            self.stack.push(name);
        }
        true
    }

    fn close(&mut self, name: &str) {
        for at in (0..self.stack.len()).rev() {
            if self.stack[at] == name {
                self.stack.truncate(at);
                return;
            }
            let above = &self.stack[at];
            if FORMATTING_ELEMENTS.contains(&above.as_str()) || FORMATTING_ELEMENTS.contains(&name)
            {
                return;
            }
        }
    }
}

/// The URL a link in a body should have on the site.
fn rewrite<'a>(dest: &CowStr<'a>, source_path: &str, root: &str, pages: &PageMap) -> CowStr<'a> {
    let fragment = dest.find('#').map_or("", |i| &dest[i..]);
    match link_target(source_path, dest) {
        None => dest.clone(),
        Some(LinkTarget::Document(target)) => match pages.get(&target) {
            Some(page) => CowStr::from(format!("{root}{page}{fragment}")),
            // Not published (a draft or a private KPI): the link goes nowhere.
            None => CowStr::from(format!("{root}404.html")),
        },
        Some(LinkTarget::Static(file)) => {
            let written = dest.split(['#', '?']).next().unwrap_or("");
            let rest = &dest[written.len()..];
            CowStr::from(format!("{root}{}{rest}", percent_encode_path(&file)))
        }
    }
}

/// A path as a URL path: bytes other than letters, digits, `/` and
/// `-._~` are `%XX` escapes.
fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
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

/// Whether a URL, read the way a browser reads it, names a scheme
/// (`https:`, `data:`) or a host (`//cdn`). Browsers drop leading and
/// trailing spaces and control characters, remove tabs and newlines
/// anywhere, and take a backslash for a slash, so `/\t/cdn`, `\\cdn` and
/// `/\\cdn` all name the host `cdn`. Entities are already decoded here.
fn has_scheme_or_host(url: &str) -> bool {
    let url: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect();
    if url.starts_with("//") {
        return true;
    }
    // A scheme is a letter, then letters, digits, `+`, `-` or `.`, then `:`.
    let scheme_end = url
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .filter(|&(_, c)| c == ':')
        .map(|(at, _)| at);
    scheme_end.is_some_and(|at| at > 0 && url.starts_with(|c: char| c.is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests;
