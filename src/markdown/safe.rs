//! HTML for bodies without raw HTML, written safe in the first place.
//!
//! A body that holds no HTML of its own, no image and no footnote becomes
//! tags that pulldown-cmark writes itself: paragraphs, headings, lists,
//! emphasis, code, tables, block quotes and links. For those, sanitising
//! would only rewrite the tags in its own spelling, drop the classes,
//! filter link schemes and add `rel` to links. [`write`] does exactly that
//! while writing, so the page gets the same bytes the sanitiser would have
//! given, at a fraction of the cost (the tests compare both on every body
//! they can find). Anything else goes through the sanitiser.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd};

/// The schemes a link may have, as the sanitiser allows them.
const SCHEMES: &[&str] = &[
    "bitcoin",
    "ftp",
    "ftps",
    "geo",
    "http",
    "https",
    "im",
    "irc",
    "ircs",
    "magnet",
    "mailto",
    "mms",
    "mx",
    "news",
    "nntp",
    "openpgp4fpr",
    "sip",
    "sms",
    "smsto",
    "ssh",
    "tel",
    "url",
    "webcal",
    "wtai",
    "xmpp",
];

/// What links on a body's page carry, as the sanitiser adds it.
pub(super) const LINK_REL: &str = "noopener noreferrer";

/// Whether an event needs the sanitiser: HTML of the author's own, and
/// tags this module does not write (images, footnotes, and the extensions
/// okra does not turn on).
pub(super) fn needs_sanitiser(event: &Event) -> bool {
    match event {
        Event::Html(_)
        | Event::InlineHtml(_)
        | Event::FootnoteReference(_)
        | Event::InlineMath(_)
        | Event::DisplayMath(_) => true,
        Event::Start(tag) => !matches!(
            tag,
            Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::BlockQuote(None)
                | Tag::CodeBlock(_)
                | Tag::List(_)
                | Tag::Item
                | Tag::Table(_)
                | Tag::TableHead
                | Tag::TableRow
                | Tag::TableCell
                | Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
        ),
        _ => false,
    }
}

/// The HTML of events that [`needs_sanitiser`] passed, each written as the
/// sanitiser would leave it; `None` for text the HTML parser would read
/// differently from how it is written (carriage returns and other control
/// characters), which the sanitiser should see. Events that okra made
/// itself (`Event::Html` for headings and task-list boxes) are written as
/// they are: they must already be in the sanitiser's spelling.
pub(super) fn write(events: &[Event]) -> Option<String> {
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    for event in events {
        let written = match event {
            Event::Text(text) if needs_escaping(text)? => Event::Html(escape_text(text).into()),
            Event::Code(code) if needs_escaping(code)? => {
                Event::Html(format!("<code>{}</code>", escape_text(code)).into())
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Indented))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => Event::Html(link(*link_type, dest_url, title)?.into()),
            Event::End(TagEnd::Link) => Event::Html(CowStr::Borrowed("</a>")),
            Event::HardBreak => Event::Html(CowStr::Borrowed("<br>\n")),
            other => other.clone(),
        };
        out.push(written);
    }
    let rules = out.iter().any(|event| matches!(event, Event::Rule));
    let mut html = String::with_capacity(events.len() * 16);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    // A rule, which pulldown-cmark writes with a line break before it
    // unless what came before ended one. No other `<hr />` can be in the
    // HTML: text and attributes have every `<` escaped.
    Some(if rules {
        html.replace("<hr />", "<hr>")
    } else {
        html
    })
}

/// An opening `<a>` as the sanitiser writes it: the `href` pulldown-cmark
/// would write, unless its scheme is not allowed, then the title, then
/// `rel` when there is an `href`.
fn link(link_type: LinkType, dest: &str, title: &str) -> Option<String> {
    let mut out = String::from("<a");
    let dest = if link_type == LinkType::Email {
        format!("mailto:{dest}")
    } else {
        dest.to_string()
    };
    // Control characters would be read differently by the sanitiser.
    needs_escaping(&dest)?;
    needs_escaping(title)?;
    let href = encode_href(&dest);
    let kept = allowed_url(&href);
    if kept {
        out.push_str(" href=\"");
        out.push_str(&escape_attribute(&href));
        out.push('"');
    }
    if !title.is_empty() {
        out.push_str(" title=\"");
        out.push_str(&escape_attribute(title));
        out.push('"');
    }
    // A link whose address was dropped leads nowhere: no `rel`, as
    // [`super::complete_tags`] leaves it.
    if kept {
        out.push_str(" rel=\"");
        out.push_str(LINK_REL);
        out.push('"');
    }
    out.push('>');
    Some(out)
}

/// Whether the sanitiser keeps a URL: a relative one, or one whose scheme
/// it allows.
fn allowed_url(url: &str) -> bool {
    match url::Url::parse(url) {
        Ok(url) => SCHEMES.contains(&url.scheme()),
        Err(url::ParseError::RelativeUrlWithoutBase) => true,
        Err(_) => false,
    }
}

/// The URL pulldown-cmark writes for a link, as its attribute reads:
/// bytes outside its safe set percent-encoded, but `&` and `'` kept (it
/// writes them as character references).
fn encode_href(dest: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(dest.len());
    for (i, byte) in dest.bytes().enumerate() {
        if byte == b'&' || byte == b'\'' || href_safe(byte) {
            // Safe bytes are ASCII, so `i` is a character boundary.
            out.push_str(&dest[i..=i]);
        } else {
            out.push('%');
            out.push(HEX[(byte >> 4) as usize] as char);
            out.push(HEX[(byte & 15) as usize] as char);
        }
    }
    out
}

/// The bytes pulldown-cmark writes into a URL as they are.
fn href_safe(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%()*+,-./:;=?@^_~".contains(&byte)
}

/// `Some(true)` when text needs more than pulldown-cmark's escaping to
/// read back the same (a no-break space, which the sanitiser writes as
/// `&nbsp;`); `None` when the HTML parser would change it (a carriage
/// return or another control character but tab and line feed).
fn needs_escaping(text: &str) -> Option<bool> {
    let mut nbsp = false;
    for c in text.chars() {
        match c {
            '\t' | '\n' => {}
            '\u{a0}' => nbsp = true,
            c if c.is_control() => return None,
            _ => {}
        }
    }
    Some(nbsp)
}

/// Text as the sanitiser writes it.
fn escape_text(text: &str) -> String {
    escape(text, false)
}

/// An attribute value as the sanitiser writes it.
fn escape_attribute(text: &str) -> String {
    escape(text, true)
}

/// `text` as html5ever writes it: `&`, `<`, `>` and no-break spaces
/// escaped, and in an attribute `"` too.
fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' if attribute => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
    out
}
