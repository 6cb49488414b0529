//! Markdown text that is safe in a pull-request comment.

/// Escapes text for a Markdown table cell (GitHub also renders HTML). So
/// that the comment is safe to post, `@name` mentions and `#12`,
/// `owner/repo#12` and `GH-12` references are broken with a zero-width
/// space (they would notify people or link issues), as are the `://` and
/// `www.` that would make a bare address a link, and control and
/// bidirectional characters are shown as escapes. Every piece of an
/// author's text in `okra diff` and `okra digest` goes through here.
pub(crate) fn cell(text: &str) -> String {
    let text = crate::diagnostic::escape_controls(text, &[]);
    let mut out = String::with_capacity(text.len());
    let mut previous = ' ';
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().map_or(' ', |&(_, c)| c);
        let rest = &text[at..];
        let breaks_reference = match c {
            '@' => next.is_alphanumeric() || next == '-' || next == '_',
            '#' => next.is_ascii_digit(),
            '-' => (previous == 'H' || previous == 'h') && next.is_ascii_digit(),
            ':' => rest.starts_with("://"),
            'w' | 'W' => {
                rest.get(..4)
                    .is_some_and(|w| w.eq_ignore_ascii_case("www."))
                    && !previous.is_alphanumeric()
            }
            _ => false,
        };
        previous = c;
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '`' | '*' | '_' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
        if breaks_reference {
            out.push('\u{200b}');
        }
    }
    out
}

/// A number with its unit, as a cell shows it.
pub(crate) fn amount(value: f64, unit: Option<&str>) -> String {
    cell(&crate::format::with_unit(value, unit))
}

/// A Markdown link with `title` as its text, to `url`.
pub(crate) fn link(title: &str, url: &str) -> String {
    format!("[{}]({})", cell(title), url_text(url))
}

/// A URL for a Markdown link target: spaces, parentheses and angle
/// brackets escaped, and controls dropped, so it cannot end the link.
fn url_text(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if " ()<>|[]`\"".contains(c) {
            out.push_str(&format!("%{:02X}", u32::from(c)));
        } else if !crate::diagnostic::is_invisible_control(c) {
            out.push(c);
        }
    }
    out
}

/// Text as an inline code span: controls escaped and backticks replaced,
/// so the span cannot end early. Mentions and references inside code are
/// not linked.
pub(crate) fn code(text: &str) -> String {
    format!(
        "`{}`",
        crate::diagnostic::escape_controls(text, &[]).replace('`', "'")
    )
}

/// A message of okra's own, in a table cell: what it writes in backticks
/// (ids, keys, values from the files) as code spans, the rest as
/// [`cell`] text.
pub(crate) fn message(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, part) in parts.iter().enumerate() {
        // An odd part is inside backticks, unless its closing one is missing.
        if i % 2 == 1 && i + 1 < parts.len() {
            out.push_str(&code(part).replace('|', "\\|"));
        } else {
            if i % 2 == 1 {
                out.push_str("\\`");
            }
            out.push_str(&cell(part));
        }
    }
    out
}

/// GitHub refuses comments longer than this many characters.
pub(crate) const COMMENT_LIMIT: usize = 65_536;

/// Cuts a report that would be too long for a comment at a line, closes an
/// open `<details>`, keeps a table from ending on its header, and says
/// where the rest is.
pub(super) fn fit_comment(text: String, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text;
    }
    const NOTE: &str = "\n\n**The report is cut short here**: a comment holds at most 65,536 characters. \
                        `okra diff --format json` gives the whole report.\n";
    let budget = limit.saturating_sub(NOTE.len() + "\n</details>\n".len() + 64);
    let mut kept: Vec<&str> = Vec::new();
    let mut used = 0;
    for line in text.lines() {
        let length = line.chars().count() + 1;
        if used + length > budget {
            break;
        }
        used += length;
        kept.push(line);
    }
    // A table needs its separator row; a header alone is a paragraph.
    while kept
        .last()
        .is_some_and(|l| l.starts_with('|') && !l.starts_with("|---"))
        && kept.len() >= 2
        && !kept[kept.len() - 2].starts_with('|')
    {
        kept.pop();
    }
    let open = kept.iter().filter(|l| l.starts_with("<details>")).count()
        > kept.iter().filter(|l| l.starts_with("</details>")).count();
    let mut out = kept.join("\n");
    if open {
        out.push_str("\n\n</details>");
    }
    out.push_str(NOTE);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_keep_their_code_spans_and_cannot_break_the_table() {
        assert_eq!(
            message("unknown parent `a|b`, did you mean `ab`?"),
            "unknown parent `a\\|b`, did you mean `ab`?"
        );
        assert_eq!(message("a `lone tick"), "a \\`lone tick");
        assert!(message("see `x` @octocat").contains("@\u{200b}octocat"));
        assert_eq!(message("`<b>`"), "`<b>`");
    }

    #[test]
    fn cells_neither_mention_nor_link_nor_reorder() {
        let text = cell("ping @octocat and @org/team, see #12, acme/okrs#7 and GH-3; mail a@b");
        for live in ["@octocat", "@org", "#12", "#7", "GH-3"] {
            assert!(!text.contains(live), "{live} in {text}");
        }
        assert!(text.contains("@\u{200b}octocat"), "{text}");
        assert!(cell("issue #x, C# and 50%").contains("#x"));
        let shown = cell("evil\u{202e}txt.exe\u{1b}[31m");
        assert!(
            shown.contains("\\u{202e}") && shown.contains("\\u{1b}"),
            "{shown}"
        );
        assert!(!shown.contains('\u{202e}') && !shown.contains('\u{1b}'));
        assert_eq!(code("a`b\u{7}"), "`a'b\\u{7}`");
        let bare = cell("see https://evil.example and www.evil.example, not awww.x");
        assert!(
            !bare.contains("://") && !bare.contains("www.evil"),
            "{bare}"
        );
        assert!(bare.contains("awww.x"), "{bare}");
    }

    #[test]
    fn long_reports_are_cut_to_fit_a_comment() {
        let mut text = String::from(
            "### okra diff\n\n<details><summary>more</summary>\n\n| A | B |\n|---|---|\n",
        );
        for i in 0..20_000 {
            text.push_str(&format!("| row {i} | value |\n"));
        }
        text.push_str("</details>\n");
        let cut = fit_comment(text, COMMENT_LIMIT);
        assert!(cut.chars().count() <= COMMENT_LIMIT);
        assert!(cut.contains("--format json"));
        assert_eq!(
            cut.matches("<details>").count(),
            cut.matches("</details>").count()
        );
        let short = "| A |\n|---|\n| 1 |\n".to_string();
        assert_eq!(fit_comment(short.clone(), COMMENT_LIMIT), short);
        // A cut never leaves a table's header without its separator.
        let mut table = String::new();
        for i in 0..100 {
            table.push_str(&format!(
                "\n#### Group {i}\n\n| Change | X |\n|---|---|\n| a | b |\n"
            ));
        }
        for limit in 300..600 {
            let cut = fit_comment(table.clone(), limit);
            let lines: Vec<&str> = cut.lines().collect();
            for pair in lines.windows(2) {
                if pair[0].starts_with("| Change") {
                    assert!(pair[1].starts_with("|---"), "{limit}: {cut}");
                }
            }
            assert!(
                !lines
                    .iter()
                    .rev()
                    .find(|l| !l.is_empty() && !l.starts_with("**") && !l.starts_with('`'))
                    .is_some_and(|l| l.starts_with("| Change")),
                "{limit}: {cut}"
            );
        }
    }
}
