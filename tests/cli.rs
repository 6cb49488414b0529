//! The `okra` command line: exit codes, output formats, `init`, `--as-of`.

use crate::common;

use std::process::Command;

#[test]
fn the_example_site_checks_with_only_its_intended_warnings() {
    let site = common::example_site();
    let output = common::okra(&["check", site.to_str().unwrap(), "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", common::stdout(&output));
    let diagnostics: Vec<serde_json::Value> =
        serde_json::from_str(&common::stdout(&output)).unwrap();
    let mut found: Vec<(String, String)> = diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    let expected = [
        (
            "overdue-milestone",
            "objectives/2026-q3/online-conversion.md",
        ),
        ("stale-kpi", "kpis/onboarding-pass-rate.md"),
        ("unaligned-objective", "objectives/2026-q3/get-in-shape.md"),
        // Coaching: an output phrased as a key result, and two key
        // results whose check-ins stopped in spring.
        ("kr-is-task", "objectives/summer-sale/summer-campaign.md"),
        ("stale-checkin", "objectives/2026/great-place-to-work.md"),
        (
            "stale-checkin",
            "objectives/2026/increase-retail-revenue.md",
        ),
    ];
    let mut expected: Vec<(String, String)> = expected
        .iter()
        .map(|(c, f)| (c.to_string(), f.to_string()))
        .collect();
    expected.sort();
    assert_eq!(found, expected);
}

#[test]
fn the_example_site_is_rich_enough_to_show_everything() {
    let checked = common::check(&common::example_site());
    let site = &checked.site;
    assert!(site.teams.len() >= 9);
    assert!(
        site.teams
            .iter()
            .any(|t| t.kind == okra::model::TeamKind::Person)
    );
    assert!(site.objectives.len() >= 12);
    assert!(site.kpis.len() >= 8);
    assert!(site.kpis.iter().any(|k| k.is_private()));
    assert!(
        site.kpis
            .iter()
            .any(|k| k.status == okra::model::KpiStatus::Stale)
    );
    assert!(site.kpis.iter().any(|k| {
        k.doc
            .measurements
            .iter()
            .any(|m| checked.sources.path(m.span.file).ends_with(".csv"))
    }));
    assert!(site.objectives.iter().any(|o| o.draft));
    assert!(site.objectives.iter().any(|o| o.period_id() == "2026"));
    assert!(site.objectives.iter().any(|o| o.period_id() == "2026-Q3"));
}

#[test]
fn summary_line_and_exit_code_for_a_broken_site() {
    let site = common::fixture("broken-site");
    let output = common::okra(&["check", "--root", site.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(common::stdout(&output).ends_with("9 errors, 2 warnings in 8 files\n"));
}

#[test]
fn check_runs_in_the_current_folder() {
    let output = Command::new(env!("CARGO_BIN_EXE_okra"))
        .arg("check")
        .current_dir(common::example_site())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(common::stdout(&output).ends_with("0 errors, 6 warnings in 48 files\n"));
}

#[test]
fn usage_and_io_failures_exit_with_2() {
    let missing = common::okra(&["check", "/nonexistent/okra-site"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        common::stderr(&missing).contains("is not a folder"),
        "{}",
        common::stderr(&missing)
    );

    let empty = tempfile::tempdir().unwrap();
    let no_config = common::okra(&["check", empty.path().to_str().unwrap()]);
    assert_eq!(no_config.status.code(), Some(2));
    assert!(common::stderr(&no_config).contains("no okra.toml"));

    let site = common::example_site();
    let bad_date = common::okra(&["check", site.to_str().unwrap(), "--as-of", "2026-02-30"]);
    assert_eq!(bad_date.status.code(), Some(2));
    assert!(common::stderr(&bad_date).contains("is not a date"));

    let bad_format = common::okra(&["check", site.to_str().unwrap(), "--format", "xml"]);
    assert_eq!(bad_format.status.code(), Some(2));
    assert_eq!(common::okra(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn as_of_overrides_the_config_date() {
    let site = common::example_site();
    let output = common::okra(&[
        "check",
        site.to_str().unwrap(),
        "--as-of",
        "2026-05-15",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let text = common::stdout(&output);
    assert!(!text.contains("stale-kpi"), "fresh in May: {text}");
    assert!(
        !text.contains("overdue-milestone"),
        "not yet due in May: {text}"
    );
}

#[test]
fn no_colour_when_stdout_is_not_a_terminal() {
    let site = common::fixture("broken-site");
    let output = Command::new(env!("CARGO_BIN_EXE_okra"))
        .args(["check", site.to_str().unwrap()])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(!common::stdout(&output).contains('\u{1b}'));
}

#[test]
fn init_writes_a_site_that_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("okrs");
    let output = common::okra(&["init", site.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let checked = common::check(&site);
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    assert!(checked.site.teams.len() >= 3);
    assert!(checked.site.objectives.len() >= 2);
    assert!(checked.site.kpis.len() >= 2);
    assert!(!checked.site.pages.is_empty());
}

#[test]
fn init_refuses_a_folder_with_files_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "notes.txt", "mine");
    let refused = common::okra(&["init", dir.path().to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(common::stderr(&refused).contains("not empty"));
    assert!(!dir.path().join("okra.toml").exists(), "nothing written");

    let forced = common::okra(&["init", "--force", dir.path().to_str().unwrap()]);
    assert_eq!(forced.status.code(), Some(0));
    assert!(dir.path().join("okra.toml").exists());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn the_sample_site_checks_clean_on_any_day() {
    for day in [
        "2026-01-01",
        "2026-03-31",
        "2026-11-23",
        "2028-02-29",
        "2030-12-31",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let today = okra::Date::parse(day).unwrap();
        okra::init::init(dir.path(), today, false).unwrap();
        let checked = okra::check(
            dir.path(),
            &okra::CheckOptions {
                as_of: Some(today),
                ..okra::CheckOptions::default()
            },
        )
        .unwrap();
        assert!(
            checked.diagnostics.is_empty(),
            "{day}: {:#?}",
            checked.diagnostics
        );
    }
}

#[test]
fn explain_prints_a_code_at_length_and_lists_them_all() {
    let output = common::okra(&["explain", "kr-is-task"]);
    assert_eq!(output.status.code(), Some(0));
    let text = common::stdout(&output);
    assert!(
        text.starts_with("kr-is-task (a lint: a warning that `[lint]` can allow or deny)\n\n"),
        "{text}"
    );
    assert!(text.contains("Example:") && text.contains("Fix:"), "{text}");
    assert!(!text.contains("## "), "one section only: {text}");
    let listed = common::stdout(&common::okra(&["explain"]));
    for code in okra::diagnostic::Code::ALL {
        assert!(
            listed.contains(code.as_str()),
            "{} not listed",
            code.as_str()
        );
    }
    let unknown = common::okra(&["explain", "kr-is-tsk"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(common::stderr(&unknown).contains("did you mean `kr-is-task`?"));
}
