//! The report: Markdown for a pull-request comment, or JSON.

use std::fmt::Write as _;

use serde_json::Value;

use super::{Change, Diff};
use crate::diagnostic::{Severity, plural};
use crate::render::{format_number, percent};

/// Escapes text for a Markdown table cell (GitHub also renders HTML). So
/// that the comment is safe to post, `@name` mentions and `#12`,
/// `owner/repo#12` and `GH-12` references are broken with a zero-width
/// space (they would notify people or link issues), and control and
/// bidirectional characters are shown as escapes.
fn cell(text: &str) -> String {
    let text = crate::diagnostic::escape_controls(text, &[]);
    let mut out = String::with_capacity(text.len());
    let mut previous = ' ';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied().unwrap_or(' ');
        let breaks_reference = match c {
            '@' => next.is_alphanumeric() || next == '-' || next == '_',
            '#' => next.is_ascii_digit(),
            '-' => (previous == 'H' || previous == 'h') && next.is_ascii_digit(),
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

/// Text as an inline code span: controls escaped and backticks replaced,
/// so the span cannot end early. Mentions and references inside code are
/// not linked.
fn code(text: &str) -> String {
    format!(
        "`{}`",
        crate::diagnostic::escape_controls(text, &[]).replace('`', "'")
    )
}

/// GitHub refuses comments longer than this many characters.
pub const COMMENT_LIMIT: usize = 65_536;

/// Cuts a report that would be too long for a comment at a line, closes an
/// open `<details>`, keeps a table from ending on its header, and says
/// where the rest is.
fn fit_comment(text: String, limit: usize) -> String {
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

fn show(value: &Option<Value>, change: &str) -> String {
    let Some(value) = value.as_ref().filter(|_| change != "added") else {
        return String::new();
    };
    match (change, value) {
        ("progress" | "grade", Value::Number(n)) => percent(n.as_f64().unwrap_or(0.0)),
        ("progress", Value::Null) => "no data".to_string(),
        (_, Value::Number(n)) => format_number(n.as_f64().unwrap_or(0.0)),
        (_, Value::String(s)) => cell(s),
        ("dropped", Value::Null) => "counted".to_string(),
        (_, Value::Null) => "none".to_string(),
        ("healthy-band", Value::Object(band)) => {
            let bound = |k: &str| band.get(k).and_then(Value::as_f64).map(format_number);
            match (bound("min"), bound("max")) {
                (Some(min), Some(max)) => format!("{min} to {max}"),
                (Some(min), None) => format!("≥ {min}"),
                (None, Some(max)) => format!("≤ {max}"),
                (None, None) => "none".to_string(),
            }
        }
        ("measurements-added", Value::Object(o)) => {
            let latest = &o["latest"];
            format!(
                "{} new, latest {}: {}",
                o["count"],
                latest["date"].as_str().unwrap_or(""),
                format_number(latest["value"].as_f64().unwrap_or(0.0))
            )
        }
        (_, Value::Object(o)) if o.contains_key("date") => format!(
            "{}: {}",
            o["date"].as_str().unwrap_or(""),
            format_number(o["value"].as_f64().unwrap_or(0.0))
        ),
        (_, Value::Array(items)) if items.is_empty() => "none".to_string(),
        (_, Value::Array(items)) => cell(
            &items
                .iter()
                .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (_, other) => cell(&other.to_string()),
    }
}

fn describe(change: &Change) -> String {
    match (change.kind, change.change) {
        ("objective", "added") => {
            let count = change.new.as_ref().and_then(Value::as_u64).unwrap_or(0) as usize;
            format!("objective added ({})", plural(count, "key result"))
        }
        (kind, "added") => format!("{} added", kind.replace('-', " ")),
        (kind, "removed") => format!("{} removed", kind.replace('-', " ")),
        (_, "title") => "retitled".to_string(),
        (_, "parent") => "re-parented".to_string(),
        (_, "period") => "moved to another period".to_string(),
        (_, other) => other.replace('-', " "),
    }
}

fn subject(change: &Change) -> String {
    match (&change.objective, change.kind) {
        (Some(objective), _) => format!("{} <sub>({})</sub>", cell(&change.title), cell(objective)),
        (None, "kpi") => format!("KPI {}", cell(&change.title)),
        _ => format!("**{}**", cell(&change.title)),
    }
}

const ROWS_SHOWN: usize = 20;

/// The report as a pull-request comment.
pub fn render_markdown(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### okra diff: {} → {}\n",
        code(&diff.base),
        code(&diff.head)
    );
    summary(diff, &mut out);
    goalposts(diff, &mut out);
    changes(diff, &mut out);
    problems(diff, &mut out);
    fit_comment(out, COMMENT_LIMIT)
}

/// What changed, counted, in one line; and whether the head has errors.
fn summary(diff: &Diff, out: &mut String) {
    let count = |kind: &str, change: &str| {
        diff.changes
            .iter()
            .filter(|c| c.kind == kind && c.change == change)
            .count()
    };
    let mut summary = Vec::new();
    for (kind, change, noun) in [
        ("objective", "added", "objective"),
        ("objective", "removed", "objective"),
        ("key-result", "added", "key result"),
        ("key-result", "removed", "key result"),
        ("kpi", "added", "KPI"),
        ("kpi", "removed", "KPI"),
    ] {
        let n = count(kind, change);
        if n > 0 {
            summary.push(format!("{} {change}", plural(n, noun)));
        }
    }
    let updates = diff
        .changes
        .iter()
        .filter(|c| !matches!(c.change, "added" | "removed") && !c.goalpost)
        .count();
    if updates > 0 {
        summary.push(plural(updates, "update"));
    }
    let goalposts: Vec<&Change> = diff.changes.iter().filter(|c| c.goalpost).collect();
    if !goalposts.is_empty() {
        summary.push(format!(
            "**⚠️ {} moved**",
            plural(goalposts.len(), "goalpost")
        ));
    }
    let introduced_errors = diff
        .introduced
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    if introduced_errors > 0 {
        summary.push(format!(
            "**{} introduced**",
            plural(introduced_errors, "error")
        ));
    }
    if !diff.fixed.is_empty() {
        summary.push(format!("{} fixed", plural(diff.fixed.len(), "problem")));
    }
    if summary.is_empty() {
        out.push_str("No changes to objectives, key results or KPIs.\n");
    } else {
        let _ = writeln!(out, "{}.", summary.join(" · "));
    }
    if diff.head_errors > 0 {
        let _ = writeln!(
            out,
            "\n❌ `okra check` reports {} at {}.",
            plural(diff.head_errors, "error"),
            code(&diff.head)
        );
    }
}

/// The moved goalposts, first: what a reviewer must see.
fn goalposts(diff: &Diff, out: &mut String) {
    let goalposts: Vec<&Change> = diff.changes.iter().filter(|c| c.goalpost).collect();
    if !goalposts.is_empty() {
        out.push_str("\n#### ⚠️ Moved goalposts\n\n| Team · period | Objective / key result | Changed | From | To |\n|---|---|---|---|---|\n");
        for c in &goalposts {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                group_label(c),
                subject(c),
                describe(c),
                show(&c.old, c.change),
                show(&c.new, c.change)
            );
        }
    }
}

/// Every other change, grouped by team and period; past [`ROWS_SHOWN`]
/// rows, folded.
fn changes(diff: &Diff, out: &mut String) {
    let mut rows = Vec::new();
    let mut current_group = String::new();
    for c in diff.changes.iter().filter(|c| !c.goalpost) {
        let group = group_label(c);
        if group != current_group {
            rows.push(format!("\n#### {group}\n\n| Change | Objective / key result | From | To |\n|---|---|---|---|"));
            current_group = group;
        }
        rows.push(format!(
            "| {} | {} | {} | {} |",
            describe(c),
            subject(c),
            show(&c.old, c.change),
            show(&c.new, c.change)
        ));
    }
    let data_rows = |slice: &[String]| slice.iter().filter(|r| r.starts_with("| ")).count();
    let mut split = rows.len();
    let mut shown = 0;
    for (i, row) in rows.iter().enumerate() {
        if row.starts_with("| ") {
            shown += 1;
            if shown > ROWS_SHOWN {
                split = rows[..i]
                    .iter()
                    .rposition(|r| r.starts_with('\n'))
                    .filter(|&p| p > 0)
                    .unwrap_or(i);
                break;
            }
        }
    }
    for row in &rows[..split] {
        let _ = writeln!(out, "{row}");
    }
    if split < rows.len() {
        let _ = writeln!(
            out,
            "\n<details><summary>{} more changes</summary>\n",
            data_rows(&rows[split..])
        );
        for row in &rows[split..] {
            let _ = writeln!(out, "{row}");
        }
        out.push_str("\n</details>\n");
    }
}

/// Problems introduced and fixed.
fn problems(diff: &Diff, out: &mut String) {
    if !diff.introduced.is_empty() || !diff.fixed.is_empty() {
        out.push_str(
            "\n#### Problems\n\n| | Severity | Code | Where | Message |\n|---|---|---|---|---|\n",
        );
        for (mark, list) in [("introduced", &diff.introduced), ("fixed", &diff.fixed)] {
            for f in list.iter() {
                let place = match (&f.file, f.line) {
                    (Some(file), Some(line)) => code(&format!("{file}:{line}")).replace('|', "\\|"),
                    (Some(file), None) => code(file).replace('|', "\\|"),
                    _ => String::new(),
                };
                let _ = writeln!(
                    out,
                    "| {mark} | {} | `{}` | {place} | {} |",
                    f.severity.as_str(),
                    f.code,
                    cell(&f.message)
                );
            }
        }
    }
}

fn group_label(c: &Change) -> String {
    match (c.team_name.is_empty(), c.period.is_empty()) {
        (false, false) => format!("{} · {}", cell(&c.team_name), cell(&c.period)),
        (false, true) => format!("{} · KPIs", cell(&c.team_name)),
        _ => "Other".to_string(),
    }
}

/// The report as JSON.
pub fn render_json(diff: &Diff) -> String {
    let mut text = serde_json::to_string_pretty(diff).expect("the diff serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

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
