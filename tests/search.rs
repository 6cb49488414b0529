//! The site's search in a real browser: headless Chromium driven by
//! `tests/browser/search.mjs` against the built example site, from file://.

mod common;

use std::process::Command;

#[test]
#[ignore = "drives external tools; run with `cargo test -- --ignored` (`.ci/run` does)"]
fn search_works_in_a_real_browser() {
    let tools = common::require_browser(&[]);
    let dir = common::built_site(&common::example_site());
    let out = dir.path().join("public");
    let output = Command::new("node")
        .arg(tools.join("search.mjs"))
        .arg(&out)
        .output()
        .unwrap();
    let report = common::report(&output);
    assert!(output.status.success(), "{report}");
    assert!(report.contains(" passed, 0 failed"), "{report}");
}

#[test]
fn the_index_holds_no_private_kpi_or_draft() {
    let dir = common::built_site(&common::fixture("private"));
    let out = dir.path().join("public");
    let index = std::fs::read_to_string(out.join("assets/search-index.js")).unwrap();
    assert!(index.starts_with("window.OKRA_SEARCH="));
    for secret in ["Zebra", "zebra", "Pangolin", "pangolin", "42.4242"] {
        assert!(!index.contains(secret), "{secret} in the search index");
    }
    assert!(index.contains("\"CSAT\""));
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
            !html.contains("search-index.js"),
            "{page} loads the index up front"
        );
    }
}

#[test]
fn retrospectives_are_searchable() {
    let dir = common::built_site(&common::example_site());
    let index = std::fs::read_to_string(dir.path().join("public/assets/search-index.js")).unwrap();
    // From the retrospective of "Answer every customer within hours":
    // "… covers Europe but not the US West Coast."
    assert!(index.contains("\"coast\""));
}
