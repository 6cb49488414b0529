//! The built example site is valid HTML (the Nu HTML checker) and
//! accessible (axe-core in headless Chromium, light and dark mode).

use crate::common;

use std::process::Command;

#[test]
#[ignore = "drives external tools; run with `cargo test -- --ignored` (`.ci/run` does)"]
fn every_page_is_valid_html() {
    let jar = common::browser_tools().join("node_modules/vnu-jar/build/dist/vnu.jar");
    common::require_tool(
        common::runs("java") && jar.is_file(),
        "the Nu HTML checker (java and vnu-jar)",
    );
    let dir = common::built_site(&common::example_site());
    let output = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html"])
        .arg(dir.path().join("public"))
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && report.trim().is_empty(),
        "vnu found errors:\n{report}"
    );
}

#[test]
#[ignore = "drives external tools; run with `cargo test -- --ignored` (`.ci/run` does)"]
fn each_page_type_is_accessible() {
    let tools = common::require_browser(&["axe-core"]);
    let dir = common::built_site(&common::example_site());
    let pages = [
        "index.html",
        "objectives/support-efficiency.html",
        "objectives/open-new-storefronts.html",
        // Review notes on an objective, a team and a KPI.
        "objectives/summer-campaign.html",
        "teams/northwind.html",
        "kpis/onboarding-pass-rate.html",
        "kpis/csat.html",
        "kpis.html",
        "teams/support.html",
        "teams.html",
        "teams/operations.html",
        "people/sam-patel.html",
        "running/attention.html",
        "running/at-risk.html",
        "periods.html",
        "periods/2026-Q3.html",
        "tree/2026-Q3.html",
        "review/2026-Q3.html",
        "pages/how-we-do-okrs.html",
        "search.html",
        "404.html",
    ];
    let output = Command::new("node")
        .arg(tools.join("axe.mjs"))
        .arg(dir.path().join("public"))
        .args(pages)
        .output()
        .unwrap();
    let report = common::report(&output);
    assert!(output.status.success(), "axe found problems:\n{report}");
    assert!(
        report.contains("0 serious or critical violations"),
        "{report}"
    );
}

#[test]
#[ignore = "drives external tools; run with `cargo test -- --ignored` (`.ci/run` does)"]
fn a_page_prints_for_the_review_with_everything_unfolded() {
    let tools = common::require_browser(&[]);
    let dir = common::built_site(&common::example_site());
    let output = Command::new("node")
        .arg(tools.join("print.mjs"))
        .arg(dir.path().join("public/objectives/support-efficiency.html"))
        .output()
        .unwrap();
    let report = common::report(&output);
    assert!(output.status.success(), "{report}");
    assert!(report.contains("all passed"), "{report}");
}

/// The `.html` pages of a built site, by path from its root.
fn html_pages(public: &std::path::Path) -> Vec<String> {
    common::files(public)
        .into_keys()
        .filter(|p| p.ends_with(".html"))
        .collect()
}

/// Asserts in Chromium that none of `pages` under `public` is wider than a
/// 360 px phone or a 1366 px desktop.
fn assert_fit_a_phone(tools: &std::path::Path, public: &std::path::Path, pages: &[String]) {
    assert!(!pages.is_empty(), "no pages under {}", public.display());
    let output = Command::new("node")
        .arg(tools.join("phone.mjs"))
        .arg(public)
        .args(pages)
        .output()
        .unwrap();
    let report = common::report(&output);
    assert!(
        output.status.success(),
        "pages wider than a phone:\n{report}"
    );
    assert!(report.contains(" 0 wider than 360 or 1366 px"), "{report}");
}

/// Builds an organisation of `docs` objectives from
/// `../shared/bench/gen_site.py`, into a folder of its own.
fn generated_site(docs: usize) -> (tempfile::TempDir, tempfile::TempDir) {
    let generator =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_site.py");
    common::require_tool(
        common::runs("python3") && generator.is_file(),
        "python3 and ../shared/bench/gen_site.py",
    );
    let org = tempfile::tempdir().unwrap();
    let site = org.path().join("org");
    let generated = Command::new("python3")
        .arg(&generator)
        .args(["--docs", &docs.to_string(), "--out"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(generated.status.success(), "{}", common::report(&generated));
    let built = common::built_site(&site);
    (org, built)
}

#[test]
#[ignore = "drives external tools; run with `cargo test -- --ignored` (`.ci/run` does)"]
fn the_home_page_fits_three_screens_at_any_size() {
    let tools = common::require_browser(&[]);
    let example = common::built_site(&common::example_site());
    let mut outs = vec![example.path().join("public")];
    let big = generated_site(2000);
    let bigger = generated_site(10000);
    outs.push(big.1.path().join("public"));
    outs.push(bigger.1.path().join("public"));
    for public in outs {
        let output = Command::new("node")
            .arg(tools.join("screens.mjs"))
            .arg("3")
            .arg(&public)
            .arg("index.html")
            .output()
            .unwrap();
        let report = common::report(&output);
        assert!(output.status.success(), "{report}");
        assert!(
            report.contains("0 taller than 3 screens of 1366×900"),
            "{report}"
        );
    }
}

#[test]
#[ignore = "drives external tools; run with `cargo test -- --ignored` (`.ci/run` does)"]
fn no_page_scrolls_sideways_on_a_phone() {
    let tools = common::require_browser(&[]);
    let example = common::built_site(&common::example_site());
    let public = example.path().join("public");
    assert_fit_a_phone(&tools, &public, &html_pages(&public));

    // A generated organisation of 2,000 objectives: its listings and every
    // tenth page of the rest.
    let (_org, built) = generated_site(2000);
    let public = built.path().join("public");
    let pages: Vec<String> = html_pages(&public)
        .into_iter()
        .enumerate()
        .filter(|(i, p)| i % 10 == 0 || !p.contains('/'))
        .map(|(_, p)| p)
        .collect();
    assert_fit_a_phone(&tools, &public, &pages);
}
