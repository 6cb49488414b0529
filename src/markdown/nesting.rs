//! Bounding how deep a body's elements nest, so that sanitising it takes
//! linear time.

use pulldown_cmark::Event;

/// How deep a body's elements may nest. An HTML parser takes time in
/// proportion to the depth for each element (and to the open formatting
/// elements for each block), so a body nested thousands deep would take
/// quadratic time to sanitise; deeper Markdown containers are flattened into
/// the deepest allowed one, and raw HTML that would go deeper is shown as
/// text.
pub(super) const MAX_NESTING: usize = 64;

/// Elements that have no end tag.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

pub(super) fn limit_nesting<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
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
pub(super) struct OpenElements {
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
    pub(super) fn depth(&self) -> usize {
        self.stack.len()
    }

    /// Reads a piece of raw HTML; `false` when it would open elements
    /// deeper than `limit`.
    pub(super) fn feed(&mut self, html: &str, limit: usize) -> bool {
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
