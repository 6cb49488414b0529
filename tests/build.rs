//! `okra build` end to end: pages, numbers and links of the example site,
//! inert hostile input, private KPIs and drafts, determinism and atomicity.

use crate::common;

use std::path::{Path, PathBuf};

fn build(site: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", site.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    common::okra(&args)
}

fn built(site: &Path, extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let output = build(site, &dir.path().join("public"), extra);
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    assert!(
        common::stdout(&output).starts_with("Built "),
        "{}",
        common::stdout(&output)
    );
    dir
}

fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The values of `href` and `src` attributes in an HTML text.
fn urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attribute) {
            rest = &rest[i + attribute.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

#[test]
fn the_example_site_has_every_page() {
    let dir = built(&common::example_site(), &[]);
    let out = dir.path().join("public");
    for path in [
        "index.html",
        "search.html",
        "404.html",
        "data.json",
        "periods.html",
        "teams.html",
        "kpis.html",
        "objectives/support-efficiency.html",
        "kpis/csat.html",
        "teams/support.html",
        "periods/2026-Q3.html",
        "periods/summer-sale.html",
        "tree/2026-Q3.html",
        "tree/2026.html",
        "pages/how-we-do-okrs.html",
        "assets/okra.css",
        "assets/okra.js",
    ] {
        assert!(out.join(path).is_file(), "{path} missing");
    }
    let objective = read(&out, "objectives/support-efficiency.html");
    for expected in [
        "Increase the efficiency of the support team",
        r#"<span class="big">48%</span>"#,
        r#"<span class="status status-on-track">on track</span>"#,
        "<dd>1.5 tickets</dd>",
        "<dd>0.9 tickets <span class=\"source\">(from the KPI, measured 2026-08-01)</span></dd>",
        "<dd>0.5 tickets</dd>",
        r#"<a href="../objectives/delight-customers.html">Delight our customers</a>"#,
        r#"href="../kpis/csat.html""#,
        "Macros for the ten most common questions are live.",
        "<svg class=\"spark\"",
    ] {
        assert!(
            objective.contains(expected),
            "objective page lacks {expected}"
        );
    }
    let kpi = read(&out, "kpis/tickets-per-customer.html");
    assert!(kpi.contains("<svg class=\"chart\""));
    assert!(kpi.contains("class=\"band\""), "healthy band drawn");
    assert!(kpi.contains("class=\"target\""), "key-result target drawn");
    assert!(
        kpi.contains("<table class=\"measurements\">"),
        "text alternative"
    );
    assert!(kpi.contains("focus of 1 key result now"));
    let csat = read(&out, "kpis/csat.html");
    assert!(csat.contains("health metric"));
    let home = read(&out, "index.html");
    assert!(home.contains("Now: <a href=\"periods/2026-Q3.html\">2026-Q3</a>"));
    assert!(
        home.contains("Achieve our financial targets"),
        "company objectives on the home page"
    );
    assert!(
        home.contains("Focus on education and training"),
        "off-track objective listed"
    );
    assert!(home.contains("Onboarding pass rate"), "stale KPI listed");
    let tree = read(&out, "tree/2026-Q3.html");
    assert!(tree.contains("<details open><summary>"), "collapsible tree");
    assert!(tree.contains("aligned</summary>"));
    let data: serde_json::Value = serde_json::from_str(&read(&out, "data.json")).unwrap();
    assert_eq!(data["as_of"], "2026-08-15");
    assert!(
        data["objectives"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["score"].is_number())
    );
}

#[test]
fn every_link_of_the_example_site_resolves_to_a_file() {
    let dir = built(&common::example_site(), &[]);
    let out = dir.path().join("public");
    let mut checked = 0;
    for (path, bytes) in common::files(&out) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let here = Path::new(&path).parent().unwrap_or(Path::new(""));
        if path == "404.html" {
            // Served at any depth, it links from the path of the site's
            // address, on the same host.
            for url in urls(&html).into_iter().filter(|u| !u.starts_with('#')) {
                assert!(url.starts_with('/') && !url.starts_with("//"), "{url}");
                let file = url.trim_start_matches('/');
                let file = file.split(['#', '?']).next().unwrap();
                assert!(out.join(file).is_file(), "404.html: {url}");
            }
            continue;
        }
        for url in urls(&html) {
            assert!(!url.starts_with('/'), "{path}: root-absolute link {url}");
            if url.contains("://") || url.starts_with("mailto:") {
                assert!(
                    !html.contains(&format!("src=\"{url}\"")),
                    "{path}: loads {url} from another host"
                );
                continue;
            }
            let file_part = url.split(['#', '?']).next().unwrap();
            if file_part.is_empty() {
                continue;
            }
            assert!(
                !file_part.ends_with('/'),
                "{path}: {url} points at a folder"
            );
            let target: PathBuf = out.join(here).join(file_part);
            assert!(target.is_file(), "{path}: {url} does not resolve to a file");
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} links checked");
    let guide = read(&out, "pages/how-we-do-okrs.html");
    assert!(
        guide.contains(r#"src="../img/okr-cycle.svg""#),
        "the guide's image from static/ is linked where the build puts it"
    );
    assert!(out.join("img/okr-cycle.svg").is_file());
}

/// Every tag in an HTML text, as written.
fn tags(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1);
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

/// The attributes of a tag, respecting quotes.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let inner = tag
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim_end_matches('/');
    let mut chars = inner.chars().peekable();
    while chars.peek().is_some_and(|c| !c.is_whitespace()) {
        chars.next();
    }
    let mut out = Vec::new();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut name = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() || c == '=' {
                break;
            }
            name.push(c);
            chars.next();
        }
        if name.is_empty() && chars.peek().is_none() {
            return out;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'=') {
            chars.next();
            match chars.peek().copied() {
                Some(quote @ ('"' | '\'')) => {
                    chars.next();
                    for c in chars.by_ref() {
                        if c == quote {
                            break;
                        }
                        value.push(c);
                    }
                }
                _ => {
                    while let Some(&c) = chars.peek() {
                        if c.is_whitespace() {
                            break;
                        }
                        value.push(c);
                        chars.next();
                    }
                }
            }
        }
        if name.is_empty() {
            chars.next();
            continue;
        }
        out.push((name, value));
    }
}

#[test]
fn hostile_input_comes_out_inert() {
    let dir = built(&common::fixture("xss"), &[]);
    let out = dir.path().join("public");
    let mut pages = 0;
    for (path, bytes) in common::files(&out) {
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(bytes).unwrap();
        for tag in tags(&html) {
            let lower = tag.to_ascii_lowercase();
            let name: String = lower[1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if name == "script" {
                assert!(lower.contains("assets/okra.js"), "{path}: {tag}");
            }
            if path == "404.html" && lower == "<style>" {
                // The site's own stylesheet, carried in the page.
                let css = html.split("<style>").nth(1).unwrap();
                assert!(css.starts_with("/* okra"), "{css}");
                continue;
            }
            assert!(
                ![
                    "iframe",
                    "object",
                    "embed",
                    "base",
                    "meta http-equiv",
                    "form action",
                    "style",
                    "math"
                ]
                .iter()
                .any(|bad| lower.starts_with(&format!("<{bad}"))),
                "{path}: {tag}"
            );
            for (name, value) in attributes(&lower) {
                assert!(!name.starts_with("on"), "{path}: event handler in {tag}");
                assert!(name != "style" && name != "srcdoc", "{path}: {tag}");
                if ["href", "src", "action", "xlink:href"].contains(&name.as_str()) {
                    let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
                    for scheme in ["javascript:", "vbscript:", "data:", "&#"] {
                        assert!(!compact.starts_with(scheme), "{path}: {tag}");
                    }
                }
            }
            assert!(
                !lower.contains("evil.example"),
                "{path}: loads from another host: {tag}"
            );
        }
        assert!(
            html.contains("&lt;script&gt;alert(15)&lt;/script&gt;Objective")
                || !path.contains("evil"),
            "{path}: title shown as text"
        );
    }
    assert!(pages >= 10);
    // The retrospective is Markdown, sanitised as a body is: its lists and
    // links stay, what they carried does not.
    let evil = std::fs::read_to_string(out.join("objectives/evil.html")).unwrap();
    assert!(
        evil.contains("<p><strong>Good</strong> </p>\n<ul>")
            && evil.contains("<li><a>a link</a> and <a>another</a></li>"),
        "{evil}"
    );
}

#[test]
fn private_kpis_and_drafts_leave_no_trace() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let output = build(&common::fixture("private"), &out, &[]);
    assert_eq!(output.status.code(), Some(0));
    let messages = format!("{}{}", common::stdout(&output), common::stderr(&output));
    let outputs = common::files(&out)
        .into_iter()
        .chain([("the build's messages".to_string(), messages.into_bytes())]);
    for (path, bytes) in outputs {
        let text = String::from_utf8_lossy(&bytes);
        for secret in [
            "Zebra",
            "zebra",
            "42.4242",
            "Classified",
            "Pangolin",
            "hidden-draft",
        ] {
            assert!(!text.contains(secret), "{path} contains {secret}");
        }
    }
    assert!(!out.join("kpis/zebra-turnover.html").exists());
    assert!(!out.join("objectives/hidden-draft.html").exists());

    let with = built(
        &common::fixture("private"),
        &["--include-private", "--drafts"],
    );
    let out = with.path().join("public");
    assert!(read(&out, "kpis/zebra-turnover.html").contains("Secret Zebra Turnover"));
    assert!(read(&out, "objectives/hidden-draft.html").contains("Unannounced Pangolin Plan"));
    assert!(read(&out, "data.json").contains("42.4242"));
}

#[test]
fn site_templates_and_static_files_are_used() {
    let dir = built(&common::fixture("private"), &[]);
    let out = dir.path().join("public");
    assert!(read(&out, "pages/about.html").contains("Rendered by a site template."));
    assert_eq!(std::fs::read(out.join("img/logo.png")).unwrap(), b"PNGDATA");
}

#[test]
fn a_site_that_overrides_the_status_component_sees_it_everywhere() {
    let site = common::copy_site(&common::example_site());
    let macros = okra::render::TEMPLATES
        .iter()
        .find(|(name, _)| *name == "macros.html")
        .map(|(_, text)| *text)
        .unwrap();
    let start = macros.find("{% component okra.status(").unwrap();
    let end = macros.find("{% endcomponent okra.status %}").unwrap();
    let own = format!(
        "{}{}{}",
        &macros[..start],
        "{% component okra.status(status: map) %}<b class=\"mine {{ status.class }}\">{{ <okra.status_label class={status.class} /> | upper }}</b>",
        &macros[end..]
    );
    common::write(site.path(), "templates/macros.html", own);
    let dir = built(site.path(), &[]);
    let out = dir.path().join("public");
    // An objective with its key results, a team's tables of objectives
    // and KPIs, a KPI and the home page.
    for page in [
        "objectives/support-efficiency.html",
        "teams/support.html",
        "kpis/csat.html",
        "index.html",
    ] {
        let html = read(&out, page);
        assert!(html.contains("<b class=\"mine "), "{page}");
        assert!(!html.contains("class=\"status status-"), "{page}");
    }
    assert!(read(&out, "objectives/support-efficiency.html").contains(">ON TRACK</b>"));
}

#[test]
fn builds_are_deterministic() {
    let a = built(&common::example_site(), &[]);
    let b = built(&common::example_site(), &[]);
    let (fa, fb) = (
        common::files(&a.path().join("public")),
        common::files(&b.path().join("public")),
    );
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (path, bytes) in &fa {
        assert!(bytes == &fb[path], "{path} differs between builds");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = common::copy_site(&common::example_site());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    assert_eq!(build(site.path(), &out, &[]).status.code(), Some(0));
    let before = common::files(&out);

    common::write(
        site.path(),
        "objectives/2026-q3/support-efficiency.md",
        "+++\ntitle = \"broken\n+++\n",
    );
    let failed = build(site.path(), &out, &[]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(common::stderr(&failed).contains("nothing was written"));
    assert!(common::stderr(&failed).contains("toml-syntax"));
    assert_eq!(
        common::files(&out),
        before,
        "output changed by a failed build"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no staging folder left"
    );
}

#[test]
fn stale_files_do_not_survive_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    assert_eq!(
        build(&common::example_site(), &out, &[]).status.code(),
        Some(0)
    );
    common::write(&out, "objectives/removed-long-ago.html", "old");
    assert_eq!(
        build(&common::example_site(), &out, &[]).status.code(),
        Some(0)
    );
    assert!(!out.join("objectives/removed-long-ago.html").exists());
}

#[test]
fn dangerous_output_folders_are_refused() {
    let site = common::copy_site(&common::example_site());
    for out in [
        site.path().to_path_buf(),
        site.path().join("objectives/out"),
        site.path().join(".."),
    ] {
        let output = build(site.path(), &out, &[]);
        assert_eq!(output.status.code(), Some(2), "{}", out.display());
    }
    assert!(site.path().join("okra.toml").is_file());
}

/// A site with one team and one objective in each of `quarters` quarters
/// ending with 2026-Q2, plus `others` more teams with one objective each.
fn history_site(quarters: usize, others: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::write(
        root,
        "okra.toml",
        "title = \"History\"\nas_of = 2026-05-15\n",
    );
    common::write(
        root,
        "teams/acme.md",
        "+++\nname = \"Acme\"\nkind = \"company\"\n+++\n",
    );
    for n in 0..quarters {
        let step = 4 * 2026 + 1 - n; // 2026-Q2 counts back
        let (year, quarter) = (step / 4, step % 4 + 1);
        common::write(
            root,
            &format!("objectives/{year}-q{quarter}.md"),
            format!(
                "+++\ntitle = \"Grow in {year} Q{quarter}\"\nowner = \"acme\"\nperiod = \"{year}-Q{quarter}\"\n\
                 [[key_results]]\ntitle = \"Revenue\"\nstart = 0\ntarget = 10\ncurrent = 5\n+++\n"
            ),
        );
    }
    for n in 0..others {
        common::write(
            root,
            &format!("teams/t{n}.md"),
            format!("+++\nname = \"Team {n}\"\nparent = \"acme\"\n+++\n"),
        );
        common::write(
            root,
            &format!("objectives/other-{n}.md"),
            format!(
                "+++\ntitle = \"Other {n}\"\nowner = \"t{n}\"\nperiod = \"2026-Q2\"\nparent = \"2026-q2\"\n\
                 [[key_results]]\ntitle = \"Done\"\ndone = true\n+++\n"
            ),
        );
    }
    dir
}

#[test]
fn pages_do_not_grow_with_the_rest_of_the_site() {
    let small = history_site(12, 2);
    let large = history_site(40, 60);
    let (small_out, large_out) = (built(small.path(), &[]), built(large.path(), &[]));
    let size = |out: &tempfile::TempDir, path: &str| read(&out.path().join("public"), path).len();
    for page in ["objectives/2025-q3.html", "search.html", "404.html"] {
        assert_eq!(
            size(&small_out, page),
            size(&large_out, page),
            "{page} is the same however large the site"
        );
    }
    // A team page lists the latest periods in full and one line for each
    // earlier period.
    let team = read(&large_out.path().join("public"), "teams/acme.html");
    assert_eq!(team.matches("<caption>Period ").count(), 8, "{team}");
    assert!(team.contains("<caption>Earlier periods</caption>"));
    assert!(
        team.contains("href=\"../periods/2016-Q3.html\">2016-Q3</a>"),
        "the oldest period is listed"
    );
    let earlier = &team[team.find("<caption>Earlier periods</caption>").unwrap()..];
    let earlier = &earlier[..earlier.find("</table>").unwrap()];
    let rows = earlier.matches("<tr>").count() - 1;
    assert_eq!(rows, 32, "40 periods, 8 of them in full");
    assert!(
        earlier.len() / rows < 200,
        "{} bytes per earlier period",
        earlier.len() / rows
    );
}

#[test]
fn between_periods_the_home_page_shows_the_one_just_ended_and_the_next() {
    let out = built(&common::example_site(), &["--as-of", "2027-02-10"]);
    let home = read(&out.path().join("public"), "index.html");
    assert!(home.contains("No objectives are running at 2027-02-10."));
    assert!(
        home.contains(r#"Just ended: <a href="periods/2026.html">2026</a>"#),
        "the period just ended, with its grades"
    );
    assert!(home.contains(r#"<span class="status status-partial">partial</span>"#));
    assert!(
        !home.contains("Every running objective is on track"),
        "nothing is said of running objectives when none runs"
    );
    let before = built(&common::example_site(), &["--as-of", "2025-12-20"]);
    let home = read(&before.path().join("public"), "index.html");
    assert!(home.contains(
        r#"The next period, <a href="periods/2026.html">2026</a>, starts on 2026-01-01."#
    ));
}

#[test]
fn objectives_with_the_same_title_are_told_apart_by_owner_and_period() {
    let objective = |period: &str| {
        format!(
            "+++\ntitle = \"Delight our customers\"\nowner = \"acme\"\nperiod = \"{period}\"\n\
             [[key_results]]\ntitle = \"R\"\nstart = 1\ntarget = 2\ncurrent = 1.5\n+++\n"
        )
    };
    let other = "+++\ntitle = \"Grow\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n\
        [[key_results]]\ntitle = \"R\"\nstart = 1\ntarget = 2\ncurrent = 1.5\n+++\n";
    let site = common::site_with(&[
        ("objectives/q2.md", objective("2026-Q2")),
        ("objectives/q3.md", objective("2026-Q3")),
        ("objectives/grow.md", other.to_string()),
    ]);
    let out = built(site.path(), &[]);
    let team = read(&out.path().join("public"), "teams/acme.html");
    assert!(team.contains(r#"<span class="which">(Acme, 2026-Q2)</span>"#));
    assert!(team.contains(r#"<span class="which">(Acme, 2026-Q3)</span>"#));
    let grow = team.split("Grow</a>").nth(1).unwrap_or_default();
    assert!(
        !grow.starts_with(" <span class=\"which\">"),
        "a title of its own needs no more"
    );
}

#[test]
fn progress_over_time_is_drawn_with_a_text_alternative() {
    let dir = built(&common::example_site(), &[]);
    let out = dir.path().join("public");
    // An objective: its score on each day something was reported, the
    // expected pace, and the day reporting stopped before the as-of date.
    let objective = read(&out, "objectives/support-efficiency.html");
    let chart = objective
        .split("<figure class=\"chart-figure progress-figure\">")
        .nth(1)
        .expect("the objective's progress chart");
    assert!(chart.contains("<desc id=\"p-objective-desc\">30% on 2026-07-01, 21% on 2026-07-15, 36% on 2026-08-01, 48% on 2026-08-10; 49% expected by 2026-08-15. No update since 2026-08-10.</desc>"), "{chart}");
    assert!(chart.contains("class=\"pace\"") && chart.contains("class=\"gap\""));
    // Each key result with dated reports has its own.
    assert!(objective.contains("aria-labelledby=\"p-kr-kr1-title p-kr-kr1-desc\""));
    // The home page: the company's objectives together over the year.
    let home = read(&out, "index.html");
    assert!(
        home.contains("Progress of the company objectives of 2026 over its period"),
        "{home}"
    );
    // Lists of objectives carry a sparkline where there is a history.
    let team = read(&out, "teams/support.html");
    assert!(
        team.contains(
            "class=\"spark\" viewBox=\"0 0 96 24\" role=\"img\" aria-label=\"Progress of"
        ),
        "{team}"
    );
}

#[test]
fn the_home_page_says_which_key_result_needs_attention_and_why() {
    let dir = built(&common::example_site(), &[]);
    let out = dir.path().join("public");
    let home = read(&out, "index.html");
    let short = home
        .split("<table class=\"attention\">")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .expect("the home page's list of what needs attention");
    // The worst first, off track before at risk, company objectives aside
    // (they are listed above), and at most six.
    assert!(
        short.find("Focus on education and training") < short.find("Make the summer sale"),
        "{short}"
    );
    assert!(
        !short.contains(">Achieve our financial targets<"),
        "{short}"
    );
    assert_eq!(short.matches("<tr>").count(), 6 + 1, "{short}");
    assert!(
        home.contains("All 9 objectives that need attention</a>"),
        "{home}"
    );

    // The full list has them all, each key result with why.
    let table = read(&out, "running/attention.html");
    // Behind pace, by how much.
    assert!(
        table.contains(
            "Increase gross margin from 20% to 25%</a>: 22%, 62% expected: 40 points behind"
        ),
        "{table}"
    );
    // An overdue milestone of an objective that is otherwise fine.
    assert!(
        table.contains("Launch the one-page checkout</a>: due 2026-08-01 and not done"),
        "{table}"
    );
    // A key result whose check-ins stopped more than a month ago.
    assert!(
        table.contains(
            "Every team member has a personal development plan</a>: no update since 2026-06-30"
        ),
        "{table}"
    );
    // A key result on track and up to date is not listed.
    assert!(!table.contains("Open the Zürich storefront"), "{table}");
    // Each status count of the home page links to its list.
    assert!(
        home.contains("<a href=\"running/at-risk.html\">7 at risk</a>"),
        "{home}"
    );
    let at_risk = read(&out, "running/at-risk.html");
    assert!(at_risk.contains("7 running objectives"), "{at_risk}");
    assert!(
        !at_risk.contains("status-off-track\">off track"),
        "{at_risk}"
    );
}

#[test]
fn objectives_and_key_results_are_tables_beside_data_json() {
    let dir = built(&common::example_site(), &[]);
    let out = dir.path().join("public");
    let rows = |name: &str| -> Vec<std::collections::HashMap<String, String>> {
        let mut table = csv::Reader::from_path(out.join(name)).unwrap();
        let headers = table.headers().unwrap().clone();
        table
            .records()
            .map(|r| {
                let r = r.unwrap();
                headers
                    .iter()
                    .zip(r.iter())
                    .map(|(h, v)| (h.to_string(), v.to_string()))
                    .collect()
            })
            .collect()
    };
    let data: serde_json::Value = serde_json::from_str(&read(&out, "data.json")).unwrap();
    let objectives = rows("objectives.csv");
    assert_eq!(
        objectives.len(),
        data["objectives"].as_array().unwrap().len()
    );
    let support = objectives
        .iter()
        .find(|o| o["id"] == "support-efficiency")
        .unwrap();
    assert_eq!(support["owner_name"], "Customer Support");
    assert_eq!(support["status"], "on-track");
    assert_eq!(support["progress"], "0.48");
    let key_results = rows("key-results.csv");
    let resolve = key_results
        .iter()
        .find(|k| k["objective"] == "support-efficiency" && k["id"] == "kr2")
        .unwrap();
    assert_eq!(
        (resolve["current"].as_str(), resolve["source"].as_str()),
        ("4.6", "check-in")
    );
    assert_eq!(resolve["unit"], "minutes");
    // Titles with commas and quotes survive.
    assert!(key_results.iter().any(|k| k["title"].contains(',')));
    // Private KPIs stay out of these too.
    for name in ["objectives.csv", "key-results.csv"] {
        assert!(!read(&out, name).contains("employee-turnover"), "{name}");
    }
}

#[test]
fn team_and_period_pages_show_key_results_summaries_and_the_expected_mark() {
    let dir = built(&common::example_site(), &[]);
    let out = dir.path().join("public");
    let team = read(&out, "teams/retail-stores.html");
    let lines = team
        .split("<tr class=\"kr-lines\">")
        .nth(1)
        .expect("key results under the objective");
    assert!(
        lines.contains("Open the Zürich storefront</a> <span class=\"num\">done</span>"),
        "a done milestone says done: {lines}"
    );
    assert!(
        lines.contains(
            "#kr-kr3\">Sell 100 units per store per day</a> <span class=\"num\">40%</span>"
        ),
        "{lines}"
    );
    let period = read(&out, "periods/2026-Q3.html");
    assert!(
        period.contains("<h2 id=\"summary\">Summary</h2>"),
        "{period}"
    );
    assert_eq!(
        period.matches("<table class=\"objectives\">").count(),
        1,
        "one table"
    );
    // A running objective's bar marks the expected progress.
    assert!(
        period.contains("<span class=\"mark m49\"></span>"),
        "{period}"
    );
}

#[test]
fn the_alignment_tree_crosses_periods_from_the_year_down_to_people() {
    let dir = built(&common::example_site(), &[]);
    let out = dir.path().join("public");
    // The year's tree holds its quarters' objectives under the yearly ones.
    let year = read(&out, "tree/2026.html");
    let company = year
        .find(">Make Northwind a great place to work</a>")
        .unwrap();
    let team = year
        .find(">Increase team engagement and motivation</a>")
        .unwrap();
    let person = year.find(">Focus on education and training</a>").unwrap();
    assert!(company < team && team < person, "{year}");
    assert!(year[team..person].contains("<span class=\"tag period\">2026-Q3</span>"));
    // A quarter's tree shows the yearly objectives its objectives serve.
    let quarter = read(&out, "tree/2026-Q3.html");
    let yearly = quarter
        .find(">Delight our customers</a>")
        .expect("the yearly parent");
    let child = quarter
        .find(">Increase the efficiency of the support team</a>")
        .unwrap();
    assert!(yearly < child);
    assert!(quarter[yearly..child].contains("<span class=\"tag period\">2026</span>"));
}

#[test]
fn pages_of_documents_link_to_their_source_when_the_repository_is_known() {
    let dir = built(&common::example_site(), &[]);
    let out = dir.path().join("public");
    let objective = read(&out, "objectives/support-efficiency.html");
    // The example site lies in `example-site/` of okra's own repository;
    // outside git the site is taken to be the repository.
    let link = objective
        .split("<a href=\"https://git.intranet.example/northwind/okrs/blob/HEAD/")
        .nth(1)
        .expect("a link to the source");
    let path = &link[..link.find('"').unwrap()];
    assert!(
        [
            "example-site/objectives/2026-q3/support-efficiency.md",
            "objectives/2026-q3/support-efficiency.md"
        ]
        .contains(&path),
        "{path}"
    );
    assert!(link.contains(">This page's source file</a>"));
    assert!(
        read(&out, "kpis/csat.html")
            .contains("kpis/csat.md\" rel=\"noopener noreferrer\">This page's source file")
    );
    assert!(
        !read(&out, "index.html").contains("source file"),
        "only documents have one"
    );
}

#[test]
fn a_period_review_shows_grades_teams_across_periods_and_teams_without_okrs() {
    let dir = built(&common::example_site(), &[]);
    let out = dir.path().join("public");
    assert!(
        read(&out, "periods/2026-Q3.html")
            .contains("<a href=\"../review/2026-Q3.html\">Review</a>")
    );
    let review = read(&out, "review/2026-Q3.html");
    // The grade distribution counts every objective with a grade or score.
    let distribution = review
        .split("<table class=\"distribution\">")
        .nth(1)
        .unwrap();
    let distribution = &distribution[..distribution.find("</table>").unwrap()];
    let counted: usize = distribution
        .split("<span class=\"num\">")
        .skip(1)
        .map(|s| s[..s.find('<').unwrap()].parse::<usize>().unwrap())
        .sum();
    let data: serde_json::Value = serde_json::from_str(&read(&out, "data.json")).unwrap();
    let in_q3 = data["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["period"] == "2026-Q3" && !o["score"].is_null())
        .count();
    assert_eq!(counted, in_q3, "{distribution}");
    // The heatmap sets Q3 beside Q2 for the teams that had objectives.
    let heatmap = review.split("<table class=\"heatmap\">").nth(1).unwrap();
    assert!(heatmap.find(">2026-Q2</a>").unwrap() < heatmap.find(">2026-Q3</a>").unwrap());
    assert!(
        heatmap.contains(">Customer Support</a></th><td class=\"num heat-partial\">93% <span class=\"heat-label\">partial</span></td>"),
        "{heatmap}"
    );
    // Cells take their colour from status, not from the number: 93 % of
    // a quarter whose objective ended partial is not green. A legend says so.
    assert!(review.contains("<li><span class=\"swatch seg-at-risk\" aria-hidden=\"true\"></span> at risk or partial</li>"));
    // Every team is in the hierarchy, those without objectives too, so
    // Customer Support sits under Operations, not under the team before it.
    let operations = heatmap
        .find(">Operations</a></th>")
        .expect("Operations, without objectives");
    assert!(operations < heatmap.find(">Customer Support</a>").unwrap());
    assert!(
        heatmap[operations..]
            .starts_with(">Operations</a></th><td class=\"num\"><span class=\"meta\">none</span>"),
        "{heatmap}"
    );
    // Each objective's grade, commitment and retrospective.
    let grades = review.split("id=\"grades\"").nth(1).unwrap();
    assert!(grades.contains("</span> computed"), "{grades}");
    let q2 = read(&out, "review/2026-Q2.html");
    let q2 = q2.split("id=\"grades\"").nth(1).unwrap();
    assert!(
        q2.contains("Time to hire fell by a third, not by half"),
        "{q2}"
    );
    assert!(q2.contains("</span> graded"), "{q2}");
    assert!(
        grades.contains("<td>aspirational</td>") || grades.contains("<td>committed</td>"),
        "{grades}"
    );
    // Commitment against the grade, and the teams with no objective.
    assert!(
        review.contains("<th scope=\"row\">committed</th>")
            || review.contains("<th scope=\"row\">aspirational</th>")
    );
    let without = review.split("id=\"without\"").nth(1).unwrap();
    assert!(without.contains(">Operations</a>"), "{without}");
    assert!(!without.contains(">Customer Support</a>"));
}

#[test]
fn the_alignment_tree_has_a_map_beside_its_list() {
    let dir = built(&common::example_site(), &[]);
    let tree = read(&dir.path().join("public"), "tree/2026.html");
    let map = tree.split("<svg class=\"map\"").nth(1).expect("the map");
    let map = &map[..map.find("</svg>").unwrap()];
    let boxes = map.matches("<rect class=\"node ").count();
    let list = tree.split("<ul class=\"tree\">").nth(1).unwrap();
    let listed = list.matches("<li><a href=").count();
    assert_eq!(boxes, listed, "one box per objective of the list");
    // Every objective but the four at the top hangs from its parent.
    assert_eq!(
        map.matches("<path class=\"edge\"").count(),
        listed - 4,
        "{map}"
    );
    assert!(map.contains("<rect class=\"node status-at-risk\""));
    assert!(map.contains("<title id=\"map-title\">Alignment map of 2026</title>"));
}

#[test]
fn csv_cells_that_look_like_formulas_open_as_text() {
    let objective = "+++\ntitle = \"=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n[[key_results]]\ntitle = \"@SUM(A1:A9)\"\nstart = 0\ntarget = 10\ncurrent = 4\nunit = \"+1 cmd\"\n+++\n";
    let site = common::site_with(&[("objectives/evil.md", objective)]);
    let dir = common::built_site(site.path());
    let out = dir.path().join("public");
    let mut objectives = csv::Reader::from_path(out.join("objectives.csv")).unwrap();
    let row = objectives.records().next().unwrap().unwrap();
    assert_eq!(&row[1], "'=HYPERLINK(\"http://evil.example\",\"x\")");
    let mut key_results = csv::Reader::from_path(out.join("key-results.csv")).unwrap();
    let row = key_results.records().next().unwrap().unwrap();
    assert_eq!((&row[2], &row[5]), ("'@SUM(A1:A9)", "'+1 cmd"));
    // Numbers stay numbers, negative ones too.
    assert_eq!(&row[8], "4");
}

#[test]
fn csv_cells_stay_whole_and_inert_whatever_a_spreadsheet_splits_on() {
    let objective = |title: &str, extra: &str| {
        format!(
            "+++\ntitle = \"{title}\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n{extra}\n\
             [[key_results]]\ntitle = \"R\"\nstart = 0\ntarget = 10\ncurrent = 4\n+++\n"
        )
    };
    let site = common::site_with(&[
        ("objectives/a.md", objective("Fit;=1+1", "")),
        (
            "objectives/b.md",
            objective("Fit|@SUM(A1)", "parent = \"secret-parent\""),
        ),
        ("objectives/c.md", objective("Fit\\t-2+3, and ; +cmd", "")),
        ("objectives/d.md", objective("Plain; fine", "")),
        (
            "objectives/secret-parent.md",
            objective("Secret parent", "draft = true"),
        ),
    ]);
    let dir = common::built_site(site.path());
    let text = read(&dir.path().join("public"), "objectives.csv");
    assert!(
        !text.contains("secret-parent"),
        "a draft parent is not named:\n{text}"
    );
    for line in text.lines().skip(1) {
        // Every text cell is quoted, so no separator inside one splits it.
        let title = line.split("\",\"").nth(1).unwrap();
        assert!(line.starts_with('"'), "{line}");
        let expected = match title.trim_start_matches('\'') {
            "Plain; fine" => "Plain; fine".to_string(),
            risky => format!("'{risky}"),
        };
        assert_eq!(title, expected, "{line}");
    }
}

#[test]
fn review_notes_show_on_objective_team_and_kpi_pages_and_in_data_json() {
    let dir = built(&common::example_site(), &[]);
    let public = dir.path().join("public");
    let objective = read(&public, "objectives/summer-campaign.html");
    let notes = &objective[objective
        .find("id=\"review-notes\"")
        .expect("a review-notes section")..];
    assert!(notes.contains("One suggestion"), "{notes}");
    assert!(
        notes.contains("<code>kr-is-task</code> key result <code>kr2</code> reads as a task: “Publish two social posts per day”"),
        "{notes}"
    );
    // An objective the lints have nothing to say about has no section.
    assert!(!read(&public, "objectives/support-efficiency.html").contains("review-notes"));
    let team = read(&public, "teams/northwind.html");
    assert!(
        team.contains("<tr><td><code>stale-checkin</code></td><td class=\"num\">1</td><td><a href=\"../objectives/great-place-to-work.html#review-notes\">"),
        "{team}"
    );
    let kpi = read(&public, "kpis/onboarding-pass-rate.html");
    assert!(kpi.contains("<code>stale-kpi</code>"), "{kpi}");
    let data: serde_json::Value = serde_json::from_str(&read(&public, "data.json")).unwrap();
    let campaign = data["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "summer-campaign")
        .unwrap();
    assert_eq!(campaign["coaching"][0]["code"], "kr-is-task");
    // Never a single score of quality.
    assert!(!objective.contains("quality score"));
}

#[test]
fn review_notes_about_a_private_kpi_say_nothing_of_it() {
    let kpi = "+++\nname = \"Salaries\"\nowner = \"acme\"\nvisibility = \"private\"\n\
               [[measurements]]\ndate = 2026-01-01\nvalue = 4\n+++\n";
    let site = common::site_with(&[("kpis/salaries.md", kpi)]);
    let dir = built(site.path(), &[]);
    let public = dir.path().join("public");
    assert!(!public.join("kpis/salaries.html").exists());
    for page in ["teams/acme.html", "data.json"] {
        let text = read(&public, page);
        assert!(
            !text.contains("salaries") && !text.contains("Salaries"),
            "{page}: {text}"
        );
    }
}

#[test]
fn the_kpis_listing_is_split_into_pages_that_link_every_kpi_once() {
    let kpis: Vec<(String, String)> = (0..450)
        .map(|i| {
            (
                format!("kpis/k{i:03}.md"),
                format!("+++\nname = \"KPI {i:03}\"\nowner = \"acme\"\n[[measurements]]\ndate = 2026-08-01\nvalue = {i}\n+++\n"),
            )
        })
        .collect();
    let site = common::site_with(&kpis);
    let dir = built(site.path(), &[]);
    let public = dir.path().join("public");
    let pages = ["kpis.html", "kpis-2.html", "kpis-3.html"];
    assert!(!public.join("kpis-4.html").exists());
    let mut linked = std::collections::BTreeMap::new();
    for page in pages {
        let html = read(&public, page);
        assert!(html.len() < 500_000, "{page}: {} bytes", html.len());
        assert!(html.contains("<nav aria-label=\"Pages of KPIs\""), "{page}");
        for url in urls(&html).into_iter().filter(|u| u.starts_with("kpis/k")) {
            *linked.entry(url).or_insert(0) += 1;
        }
    }
    assert_eq!(linked.len(), 450, "every KPI is linked");
    assert!(linked.values().all(|&n| n == 1), "each from one page only");
    let second = read(&public, "kpis-2.html");
    assert!(second.contains("KPIs 201–400 of 450, by name"), "{second}");
    assert!(second.contains("<a href=\"kpis-2.html\" aria-current=\"page\">2</a>"));
    // A site with few KPIs has one page and no page links.
    let example = built(&common::example_site(), &[]);
    let listing = read(&example.path().join("public"), "kpis.html");
    assert!(!listing.contains("Pages of KPIs"));
    assert!(listing.contains("Every KPI, by name"));
}

#[test]
fn data_json_leaves_empty_fields_out() {
    fn nulls(value: &serde_json::Value, at: &str, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Null => out.push(at.to_string()),
            serde_json::Value::Array(items) => {
                for item in items {
                    nulls(item, &format!("{at}[]"), out);
                }
            }
            serde_json::Value::Object(fields) => {
                for (key, item) in fields {
                    nulls(item, &format!("{at}.{key}"), out);
                }
            }
            _ => {}
        }
    }
    let dir = built(&common::example_site(), &[]);
    let data: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("public"), "data.json")).unwrap();
    let mut found = Vec::new();
    nulls(&data, "", &mut found);
    found.dedup();
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn images_are_checked_like_links() {
    let body = "![chart](../static/missing.png) ![ok](../static/ok.png) ![beside](chart.png)\n\n\
                <img src=\"../static/gone.png\" alt=\"g\"> <IMG SRC=nowhere.gif> <img src=\"../static/ok.png\" alt=\"ok\">\n\n\
                ![remote](https://cdn.example/x.png) <img src=\"data:image/png;base64,AA\">\n";
    let site = common::site_with(&[
        (
            "objectives/o.md",
            format!(
                "+++\ntitle = \"O\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n\
                 [[key_results]]\ntitle = \"R\"\nstart = 1\ntarget = 2\ncurrent = 1\n+++\n{body}"
            ),
        ),
        ("static/ok.png", "png".to_string()),
    ]);
    let checked = common::check(site.path());
    let broken: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "broken-link")
        .map(|d| {
            let p = d.position(&checked.sources).unwrap();
            let text = &checked.sources.get(d.file.unwrap()).text;
            let span = d.span.as_ref().unwrap();
            format!("{}:{} {}", p.line, p.column, &text[span.range()])
        })
        .collect();
    // The body starts on line 11; each span is the source as written.
    assert_eq!(
        broken,
        [
            "11:10 ../static/missing.png",
            "11:67 chart.png",
            "13:11 ../static/gone.png",
            "13:49 nowhere.gif",
        ],
        "{:#?}",
        checked.diagnostics
    );
}

#[test]
fn a_closed_period_names_the_measurement_its_value_comes_from() {
    let site = common::site_with(&[
        (
            "objectives/o.md",
            "+++\ntitle = \"Q2 growth\"\nowner = \"acme\"\nperiod = \"2026-Q2\"\n\
             [[key_results]]\ntitle = \"Reach 10 stores\"\nkpi = \"stores\"\nstart = 0\ntarget = 10\n+++\n",
        ),
        (
            "kpis/stores.md",
            "+++\nname = \"Stores\"\nowner = \"acme\"\n\
             [[measurements]]\ndate = 2026-06-30\nvalue = 5\n\
             [[measurements]]\ndate = 2026-08-10\nvalue = 8\n+++\n",
        ),
    ]);
    let dir = common::built_site(site.path());
    let page = read(&dir.path().join("public"), "objectives/o.html");
    assert!(
        page.contains("(from the KPI, measured 2026-06-30)"),
        "{page}"
    );
    assert!(!page.contains("measured 2026-08-10"), "{page}");
}

#[test]
fn leads_and_members_have_pages_and_departments_roll_up_their_teams() {
    let dir = built(&common::example_site(), &[]);
    let out = dir.path().join("public");
    // A lead who is not a person of the site gets a page, linked from the
    // team and from the key results they drive.
    let operations = read(&out, "teams/operations.html");
    assert!(
        operations.contains("led by <a href=\"../people/sam-patel.html\">Sam Patel</a>"),
        "{operations}"
    );
    let sam = read(&out, "people/sam-patel.html");
    assert!(
        sam.contains("leads <a href=\"../teams/operations.html\">Operations</a>"),
        "{sam}"
    );
    let driven = sam.split("id=\"driven\"").nth(1).unwrap();
    assert!(
        driven.contains("../objectives/delight-customers.html#kr-"),
        "{driven}"
    );
    let objective = read(&out, "objectives/delight-customers.html");
    assert!(objective.contains("<a href=\"../people/sam-patel.html\">Sam Patel</a>"));
    // A person of the site keeps their own page; no second one is made.
    assert!(!out.join("people/li-wei.html").exists());
    // A department has no objectives of its own, yet rolls up its team's.
    let teams = operations.split("id=\"sub-teams\"").nth(1).unwrap();
    assert!(teams.contains(">Customer Support</a>"), "{teams}");
    assert!(teams.contains("2 objectives, 1 behind"), "{teams}");
    assert!(
        teams.contains("2 running objectives of the teams under Operations"),
        "{teams}"
    );
    // The list of teams shows how each stands now, not a count of all time.
    let list = read(&out, "teams.html");
    assert!(
        list.contains("<th scope=\"col\">Running now</th>"),
        "{list}"
    );
    assert!(
        list.contains("no running objectives") || list.contains(" behind"),
        "{list}"
    );
}
