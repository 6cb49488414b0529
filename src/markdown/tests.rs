use super::*;

fn pages() -> PageMap<'static> {
    [
        ("kpis/csat.md", "kpis/csat.html".to_string()),
        (
            "objectives/2026/grow.md",
            "objectives/grow.html".to_string(),
        ),
    ]
    .into_iter()
    .collect()
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
fn links_into_static_point_at_the_published_file() {
    let html = render(
        "![cycle](../static/img/okr%20cycle.svg \"The cycle\") [pdf](/static/../static/plan.pdf#p2)",
        "pages/a.md",
        "../",
        &pages(),
        2,
    );
    assert!(html.contains(r#"src="../img/okr%20cycle.svg""#), "{html}");
    assert!(html.contains(r#"href="../plan.pdf#p2""#), "{html}");
}

#[test]
fn percent_encoded_document_links_resolve() {
    let html = render(
        "[x](../../kpis/cs%61t.md)",
        "objectives/2026/x.md",
        "../",
        &pages(),
        2,
    );
    assert!(html.contains(r#"href="../kpis/csat.html""#), "{html}");
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
}

/// What the raw HTML of a body leaves open, after each piece.
fn open_after(pieces: &[&str]) -> Vec<usize> {
    let mut open = OpenElements::default();
    pieces
        .iter()
        .map(|piece| {
            assert!(open.feed(piece, MAX_NESTING));
            open.depth()
        })
        .collect()
}

#[test]
fn stray_and_misnested_end_tags_do_not_lower_the_depth() {
    assert_eq!(open_after(&["<div><br><img src=x/><p>x</p></div>"]), [0]);
    assert_eq!(
        open_after(&["<div>", "</span>", "<div>", "</span>"]),
        [1, 1, 2, 2]
    );
    assert_eq!(
        open_after(&["<b>", "<div>", "</b>", "</div>"]),
        [1, 2, 2, 1]
    );
    assert_eq!(open_after(&["<div><span>", "</div>"]), [2, 0]);
    assert_eq!(open_after(&["<div title=\"</div>\">", "<p a='>'>"]), [1, 2]);
    assert_eq!(
        open_after(&["<div title=\"", "</div></div>", "\">"]),
        [0, 0, 1]
    );
    assert_eq!(
        open_after(&["<!-- <div> -->", "<!--", "<div>", "-->"]),
        [0, 0, 0, 0]
    );
    // Each of these would hide the tags after it if read wrongly.
    assert_eq!(open_after(&["<!-x>", "<div>"]), [0, 1]);
    assert_eq!(open_after(&["<!-- a --!>", "<div>"]), [0, 1]);
    assert_eq!(open_after(&["<!-->", "<div>"]), [0, 1]);
    assert_eq!(open_after(&["</ \">", "<div>"]), [0, 1]);
    assert_eq!(open_after(&["<div/'>", "<div>"]), [1, 2]);
    assert_eq!(open_after(&["<div/>", "<div />"]), [1, 2]);
    assert_eq!(open_after(&["<p a='x' b=y c = \">\">"]), [1]);
    assert_eq!(
        open_after(&["<ul><li>a</li></ul>", "< div>", "a < b"]),
        [0, 0, 0]
    );
}

/// How deep the elements of well-formed HTML nest.
fn max_depth(html: &str) -> usize {
    let mut open = OpenElements::default();
    let mut deepest = 0;
    for piece in html.split_inclusive('>') {
        assert!(open.feed(piece, usize::MAX));
        deepest = deepest.max(open.depth());
    }
    deepest
}

/// At these sizes, work that grows with the square of the input (the
/// parser reopening every open formatting element for each block, or
/// numbering identical headings one try at a time) would take minutes.
#[test]
fn hostile_bodies_render_in_linear_time_and_bounded_depth() {
    for body in [
        "<b><div></b></div>".repeat(20_000),
        "<div></span>".repeat(20_000),
        (0..20_000)
            .map(|i| format!("<b id=a{i}><p>x</p>"))
            .collect(),
        "<div title=\"</div>\">".repeat(20_000),
        "<i><b></i></b><p>".repeat(20_000),
        "<div/>".repeat(20_000),
        "<!-x><div>".repeat(20_000),
        "<div/'>".repeat(20_000),
    ] {
        let html = render(&body, "pages/a.md", "../", &pages(), 2);
        assert!(max_depth(&html) <= 2 * MAX_NESTING, "{}", max_depth(&html));
    }
    let html = render(
        &"# Why\n\n".repeat(50_000),
        "pages/a.md",
        "../",
        &pages(),
        2,
    );
    assert!(html.contains(r#"id="h-why-50000""#));
    let mut used = HashMap::new();
    let anchors: Vec<String> = ["a", "a-2", "a", "a", "a-3"]
        .iter()
        .map(|base| unique_anchor(base.to_string(), &mut used))
        .collect();
    assert_eq!(anchors, ["a", "a-2", "a-3", "a-4", "a-3-2"]);
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
fn what_the_sanitiser_leaves_is_valid_html() {
    let html = render(
        "<img src=x> <img src=\"../static/ok.png\" alt=\"ok\"> <a href=\"javascript:alert(1)\" title=\"a > b\">x</a> \
         [y](javascript:alert(1) \"t\") <a href=\"https://ok.example\">z</a>",
        "pages/a.md",
        "../",
        &pages(),
        2,
    );
    assert!(html.contains(r#"<img src="x" alt="">"#), "{html}");
    assert!(
        html.contains(r#"alt="ok""#) && !html.contains(r#"alt="ok" alt"#),
        "{html}"
    );
    assert!(html.contains(r#"<a title="a &gt; b">x</a>"#), "{html}");
    assert!(html.contains(r#"<a title="t">y</a>"#), "{html}");
    assert!(
        html.contains(r#"<a href="https://ok.example" rel="noopener noreferrer">z</a>"#),
        "{html}"
    );
    assert_eq!(complete_tags("<p>a &lt;img b</p>"), "<p>a &lt;img b</p>");
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
    assert!(html.contains(r#"src="../ok.png""#), "{html}");
}

#[test]
fn urls_are_judged_as_a_browser_parses_them() {
    for remote in [
        "https://cdn.example/x.png",
        "//cdn.example/x.png",
        " //cdn.example/x.png",
        "\u{1}//cdn.example/x.png",
        "/\t/cdn.example/x.png",
        "/\n/cdn.example/x.png",
        "/\r\n/cdn.example/x.png",
        "\\\\cdn.example/x.png",
        "/\\cdn.example/x.png",
        "\\/cdn.example/x.png",
        "ht\ttps://cdn.example/x.png",
        "HTTPS://cdn.example/x.png",
        "data:image/png;base64,AA",
        "java\nscript:alert(1)",
        "c:x.png",
    ] {
        assert!(has_scheme_or_host(remote), "{remote:?}");
    }
    for local in [
        "x.png",
        "../static/x.png",
        "/x.png",
        "./a:b.png",
        "?x",
        "#a",
        "1a:x",
    ] {
        assert!(!has_scheme_or_host(local), "{local:?}");
    }
    let html = render(
        "<img src=\"/&#9;/cdn.example/a.png\"><img src=\"/&Tab;/cdn.example/b.png\">\
         <img src=\"/\\cdn.example/c.png\"><img src=\"&#x2F;&#x2F;cdn.example/d.png\">\
         <img src=\"/&NewLine;/cdn.example/e.png\">",
        "pages/a.md",
        "../",
        &pages(),
        2,
    );
    assert!(!html.contains("cdn.example"), "{html}");
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

#[test]
fn one_parse_gives_links_text_and_html() {
    let body = "## Why\n\nSee [CSAT](../../kpis/csat.md) and [web](https://example.com).";
    let parsed = parse(body, "objectives/2026/x.md", Some(3), true);
    assert_eq!(parsed.text, "Why See CSAT and web.");
    let links: Vec<&str> = parsed.links.iter().map(|(dest, _)| dest.as_str()).collect();
    assert_eq!(links, ["../../kpis/csat.md", "https://example.com"]);
    let html = parsed.html.expect("asked for");
    let page = html.finish("objectives/2026/x.md", "../", &pages());
    assert!(page.contains(r#"<h3 id="h-why">"#), "{page}");
    assert!(page.contains(r#"href="../kpis/csat.html""#), "{page}");
    assert!(
        !page.contains("okra-link"),
        "every placeholder is filled: {page}"
    );
}

#[test]
fn a_body_cannot_write_a_placeholder_of_its_own() {
    let forged = "[a](#okra-link-0000000000000000-0) [b](grow.md)";
    let page = render(forged, "objectives/2026/x.md", "../", &pages(), 2);
    assert!(
        page.contains(r##"href="#okra-link-0000000000000000-0""##),
        "{page}"
    );
    assert!(page.contains(r#"href="../objectives/grow.html""#), "{page}");
}

#[test]
fn fragments_and_queries_stay_inside_the_attribute() {
    let page = render(
        "[q](../../kpis/csat.md#a\"b) ![i](../../static/x.png?v=\"1\")",
        "objectives/2026/x.md",
        "../",
        &pages(),
        2,
    );
    assert!(
        page.contains(r#"href="../kpis/csat.html#a&quot;b" "#),
        "{page}"
    );
    assert!(
        page.contains(r#"src="../x.png?v=&quot;1&quot;" "#),
        "{page}"
    );
}

/// Asserts that a body written by the safe writer reads exactly as the
/// sanitiser would have left it; whether the safe writer took the body.
fn same_both_ways(body: &str) -> bool {
    let page = page_events(
        Parser::new_ext(body, MARKDOWN_OPTIONS),
        "objectives/x.md",
        2,
    );
    if page.needs_sanitiser {
        return false;
    }
    let Some(safe) = safe::write(&page.events) else {
        return false;
    };
    assert_eq!(safe, sanitised(page.events), "body: {body:?}");
    true
}

/// Bodies that exercise every tag the safe writer writes, and the text and
/// URLs it must escape or refuse as the sanitiser does.
const CASES: &[&str] = &[
    "Plain text with \"quotes\" and 'single' -- dashes... & ampersands < > and a\u{a0}no-break space.",
    "# Head \"quoted\" & more\n\n## Second\n\n### Third *em*\n\n## Second",
    "A [link](https://example.com/a?b=1&c=2 \"Title \\\"q\\\" & <b>\") and [rel](../x.md#frag) and <https://auto.link/>.",
    "[js](javascript:alert(1)) [data](data:text/html,hi) [mail](mailto:a@b.c) [weird](foo:bar) [sp](<a b.md>)",
    "[caps](JAVASCRIPT:alert(1)) [vb](vbscript:x) [ftp](ftp://host/f) [tel](tel:+123) [bad](http://[::1) [host](//cdn/x)",
    "[unicode](https://例え.jp/パス?q=ü) [quote](it's.md) [amp](a&b.md) [pct](a%20b%ZZ.md) [back](a\\\\b.md) [hat](a^b|c{d}.md)",
    "<a@b.example> and <mailto:x@y.z> and <https://x.y/z?a=\"b\">",
    "* item **bold** *em* `code <x> & \u{a0}` ~~del~~\n* [ ] task\n* [x] done",
    "1. one\n2. two\n\n3. three\n\n---\n\n7. seven\n8. eight",
    "* ---\n* item\n\n  ---\n\n- a\n\n  > quoted\n  > more",
    "> quote\n> more\n>\n> > nested\n\n```rust\nfn main() { \"x\" < 1 }\n```\n\n    indented & <code>\n\n~~~\n\nblank first\n~~~",
    "| a | b | c |\n|:--|:-:|--:|\n| 1 & 2 | `x` | [l](y.md) |\n| | | |",
    "| only |\n|---|\n",
    "Hard  \nbreak and \\\nbackslash break.\n\n***\n___",
    "Smart \"quotes\" 'and' apostrophe's -- en --- em ...",
    "Entities &amp; &lt; &copy; &#169; &#x27; &nbsp; &bogus; and \\* escapes \\[not a link\\]",
    "[ref link][r] and [collapsed][] and [shortcut]\n\n[r]: https://example.com \"T\"\n[collapsed]: ../a.md\n[shortcut]: <b c.md>",
    "- [link in list](https://a.b)\n  continued *lazy*\n- `code`",
    "Tab\tseparated\tand trailing spaces   \nnext",
    "[t](<java\tscript:alert(1)>) [e](&#106;avascript:alert(1)) [c](&#x6A;ava&#x73;cript:x) [u](JaVaScRiPt:x \"t\")",
    "[quote](x.md\"onclick=alert(1)) [title](x.md 'it\"s <script>')",
    "Text with a\u{2028}line separator and \u{feff}bom and emoji 😀 and ＲＴＬ \u{202e}text",
];

#[test]
fn the_safe_writer_writes_what_the_sanitiser_would() {
    for body in CASES {
        assert!(
            same_both_ways(body),
            "the safe writer did not take {body:?}"
        );
    }
}

#[test]
fn the_safe_writer_drops_scripts_from_links() {
    let html = render(
        CASES[CASES.len() - 3],
        "objectives/x.md",
        "../",
        &pages(),
        2,
    );
    assert!(!html.to_lowercase().contains("href=\"javascript"), "{html}");
    assert!(!html.to_lowercase().contains("href=\"&#"), "{html}");
    let html = render(
        CASES[CASES.len() - 2],
        "objectives/x.md",
        "../",
        &pages(),
        2,
    );
    assert!(
        !html.contains(" onclick") && !html.contains("<script"),
        "{html}"
    );
}

#[test]
fn bodies_the_safe_writer_leaves_to_the_sanitiser() {
    for body in [
        "Raw <script>alert(1)</script> html",
        "<div onclick=\"alert(1)\">block</div>",
        "![image](a.png)",
        "Note[^1].\n\n[^1]: The note.",
        "A `bell\u{7}` rings",
        "A [link](a\u{1}b.md)",
    ] {
        assert!(!same_both_ways(body), "{body:?}");
        let html = render(body, "objectives/x.md", "../", &pages(), 2);
        assert!(
            !html.contains("<script") && !html.contains("onclick"),
            "{html}"
        );
    }
}

#[test]
fn every_body_in_the_repository_reads_the_same_both_ways() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut taken = 0;
    for folder in ["example-site", "tests/fixtures", "docs"] {
        for entry in walkdir::WalkDir::new(root.join(folder)) {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                taken += usize::from(same_both_ways(&text));
            }
        }
    }
    assert!(taken > 100, "only {taken} bodies taken");
}

#[test]
fn random_bodies_read_the_same_both_ways() {
    const PIECES: &[&str] = &[
        "word",
        " ",
        "\n",
        "\n\n",
        "* ",
        "1. ",
        "> ",
        "# ",
        "### ",
        "`code`",
        "**",
        "*",
        "_",
        "~~",
        "[a](b.md)",
        "[x](https://e.com/?a=1&b='2')",
        "<https://a.b>",
        "|",
        "|---|",
        "---",
        "```",
        "    ",
        "\\",
        "&",
        "<",
        ">",
        "\"",
        "'",
        "\u{a0}",
        "é",
        "日本",
        "- [ ] ",
        "- [x] ",
        "  \n",
        "[r]",
        "\n[r]: ../c d.md",
        "2.",
        ")",
        "(",
        "!",
        "#",
        "+ ",
        "***",
        "\t",
        "\r\n",
    ];
    let mut taken = 0;
    for body in crate::random_texts(PIECES, 30, 42).take(3000) {
        taken += usize::from(same_both_ways(&body));
    }
    assert!(taken > 2000, "only {taken} random bodies taken");
}
