//! The sanitiser every body with HTML of its own goes through: ammonia,
//! with what it leaves made valid HTML.

use std::sync::OnceLock;

/// Removes everything that could run code or restyle the page, and
/// leaves valid HTML (see [`complete_tags`]).
pub(crate) fn sanitise(html: &str) -> String {
    static SANITISER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    let clean = SANITISER.get_or_init(sanitiser).clean(html).to_string();
    complete_tags(&clean).into_owned()
}

/// The sanitiser's HTML made valid where dropping an attribute left a tag
/// that HTML does not allow: an `<img>` without `alt` gets `alt=""` (an
/// image that says nothing), and an `<a>` whose `href` was dropped loses
/// its `rel`. The sanitiser writes every `<` in text as `&lt;` and every
/// attribute value in double quotes, so each `<` starts a tag and a `>`
/// outside quotes ends it.
pub(super) fn complete_tags(html: &str) -> std::borrow::Cow<'_, str> {
    if !html.contains("<a") && !html.contains("<img") {
        return html.into();
    }
    let mut out = String::with_capacity(html.len() + 16);
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let from = &rest[at..];
        let mut quoted = false;
        let end = from
            .char_indices()
            .find(|&(_, c)| {
                quoted ^= c == '"';
                c == '>' && !quoted
            })
            .map_or(from.len(), |(i, _)| i + 1);
        let tag = &from[..end];
        let name_end = tag[1..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .map_or(tag.len(), |i| i + 1);
        let attributes = tag_attributes(tag);
        let has = |name: &str| attributes.iter().any(|(n, _)| n == name);
        match &tag[1..name_end] {
            "img" if !has("alt") && tag.ends_with('>') => {
                out.push_str(tag[..tag.len() - 1].trim_end_matches('/'));
                out.push_str(" alt=\"\">");
            }
            "a" if !has("href") && has("rel") => {
                let mut kept = String::from(&tag[..name_end]);
                for (name, text) in &attributes {
                    if name != "rel" {
                        kept.push(' ');
                        kept.push_str(text);
                    }
                }
                kept.push('>');
                out.push_str(&kept);
            }
            _ => out.push_str(tag),
        }
        rest = &from[end..];
    }
    out.push_str(rest);
    out.into()
}

/// The attributes of a tag as the sanitiser writes it (`<a x="1" y>`): each
/// one's name and its whole text.
fn tag_attributes(tag: &str) -> Vec<(String, &str)> {
    let inner = tag
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim_end_matches('/');
    let mut out = Vec::new();
    let Some(start) = inner.find(|c: char| c.is_ascii_whitespace()) else {
        return out;
    };
    let bytes = inner.as_bytes();
    let mut i = start;
    while i < bytes.len() {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let begin = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'=' {
            i += 1;
        }
        let name = inner[begin..i].to_ascii_lowercase();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            if i < bytes.len() && bytes[i] == b'"' {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += 1;
                }
                i = (i + 1).min(bytes.len());
            } else {
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
            }
        }
        if !name.is_empty() {
            out.push((name, &inner[begin..i]));
        }
    }
    out
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
pub(super) fn has_scheme_or_host(url: &str) -> bool {
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
