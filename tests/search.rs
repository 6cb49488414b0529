//! The site's search in a real browser: headless Chromium driven by
//! `tests/browser/search.mjs` against the built example site, from file://.

use crate::common;

use std::process::Command;

#[test]
#[ignore = "drives external tools; run with `cargo test -- --ignored` (`.ci/run` does)"]
fn search_works_in_a_real_browser() {
    let dir = common::built_site(&common::example_site());
    run_scenarios("search.mjs", &dir.path().join("public"));
}

/// Runs one of the scenario scripts of `tests/browser` on a built site;
/// every scenario must pass.
fn run_scenarios(script: &str, out: &std::path::Path) {
    let tools = common::require_browser(&[]);
    let output = Command::new("node")
        .arg(tools.join(script))
        .arg(out)
        .output()
        .unwrap();
    let report = common::report(&output);
    assert!(output.status.success(), "{report}");
    assert!(report.contains(" passed, 0 failed"), "{report}");
}

/// Every file of a built site's search index, read into one string.
fn whole_index(out: &std::path::Path) -> String {
    let mut names: Vec<_> = std::fs::read_dir(out.join("assets/search"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    names.sort();
    let mut whole = String::new();
    for name in names {
        let text = std::fs::read_to_string(&name).unwrap();
        assert!(text.starts_with("okraIndex(\""), "{}", name.display());
        whole.push_str(&text);
    }
    whole
}

#[test]
fn the_index_holds_no_private_kpi_or_draft() {
    let dir = common::built_site(&common::fixture("private"));
    let index = whole_index(&dir.path().join("public"));
    for secret in ["Zebra", "zebra", "Pangolin", "pangolin", "42.4242"] {
        assert!(!index.contains(secret), "{secret} in the search index");
    }
    assert!(index.contains("\"CSAT\""));
    let example = common::built_site(&common::example_site());
    let index = whole_index(&example.path().join("public"));
    assert!(index.contains("\"Customer satisfaction (CSAT)\""));
    assert!(
        !index.contains("Employee turnover"),
        "a private KPI in the index"
    );
}

#[test]
fn the_index_is_loaded_on_first_use_not_with_the_page() {
    let dir = common::built_site(&common::example_site());
    let out = dir.path().join("public");
    for page in [
        "index.html",
        "search.html",
        "objectives/support-efficiency.html",
    ] {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(
            !html.contains("assets/search/"),
            "{page} loads the index up front"
        );
    }
}

#[test]
fn retrospectives_are_searchable() {
    let dir = common::built_site(&common::example_site());
    let index = whole_index(&dir.path().join("public"));
    // From the retrospective of "Answer every customer within hours":
    // "… covers Europe but not the US West Coast."
    assert!(index.contains("\"coast\""));
}

/// A site of `n` objectives of three key results each, titled from a small
/// vocabulary by a fixed pseudo-random sequence, so that its index has
/// several shards of each kind, repeated titles and words of every
/// frequency.
fn many_objectives(n: usize) -> tempfile::TempDir {
    const WORDS: &[&str] = &[
        "grow",
        "revenue",
        "customer",
        "retention",
        "reduce",
        "churn",
        "launch",
        "improve",
        "support",
        "efficiency",
        "hiring",
        "pipeline",
        "onboarding",
        "Zürich",
        "storefront",
        "日本市場",
        "latency",
        "availability",
        "margin",
        "cost",
        "weekly",
        "active",
        "users",
        "release",
        "cadence",
        "quality",
        "tickets",
        "response",
        "time",
        "satisfaction",
        "renewal",
        "expansion",
        "partner",
        "channel",
        "brand",
        "awareness",
        "content",
        "search",
        "ranking",
        "mobile",
        "checkout",
        "conversion",
        "inventory",
        "stores",
        "training",
        "culture",
        "engagement",
        "security",
        "compliance",
        "audit",
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = move |bound: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as usize) % bound
    };
    let teams = [
        "sales", "support", "product", "people", "finance", "platform",
    ];
    let mut files: Vec<(String, String)> = teams
        .iter()
        .map(|t| {
            let name = format!(
                "+++\nname = \"Team {t}\"\nkind = \"department\"\nparent = \"acme\"\n+++\n"
            );
            (format!("teams/{t}.md"), name)
        })
        .collect();
    let mut phrase = |words: usize| {
        (0..words)
            .map(|_| WORDS[next(WORDS.len())])
            .collect::<Vec<_>>()
            .join(" ")
    };
    for i in 0..n {
        let title = phrase(2 + i % 5);
        let mut text = format!(
            "+++\ntitle = \"{title}\"\nowner = \"{}\"\nperiod = \"2026-Q{}\"\n",
            teams[i % teams.len()],
            2 + i % 2
        );
        for k in 0..3 {
            let current = (i * 7 + k * 13) % 100;
            text.push_str(&format!(
                "\n[[key_results]]\ntitle = \"{} {}\"\nstart = 0\ntarget = 100\ncurrent = {current}\n",
                phrase(1 + k),
                i * 3 + k
            ));
        }
        text.push_str(&format!("+++\n{} obj{i:04}\n", phrase(12)));
        files.push((format!("objectives/o{i:04}.md"), text));
    }
    common::site_with(&files)
}

#[test]
#[ignore = "drives external tools; run with `cargo test -- --ignored` (`.ci/run` does)"]
fn the_sharded_index_finds_what_the_whole_index_finds() {
    let site = many_objectives(1500);
    let dir = common::built_site(site.path());
    run_scenarios("search-shards.mjs", &dir.path().join("public"));
}

#[test]
fn tags_are_shown_and_searchable() {
    let dir = common::built_site(&common::example_site());
    let out = dir.path().join("public");
    let page = std::fs::read_to_string(out.join("objectives/support-efficiency.html")).unwrap();
    assert!(
        page.contains("<span class=\"tag\">helpdesk</span>"),
        "{page}"
    );
    assert!(whole_index(&out).contains("\"helpdesk\""));
}
