//! `okra new` and `okra carry-over`: files written from flags, refused
//! when a flag names nothing in the site, and checking clean once written.

use crate::common;

use std::path::Path;

fn okra_in(root: &Path, args: &[&str]) -> std::process::Output {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--root", root.to_str().unwrap()]);
    common::okra(&all)
}

/// The site's errors after a command wrote into it.
fn errors(root: &Path) -> Vec<String> {
    common::check(root)
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn new_writes_an_objective_a_kpi_and_a_team_that_check_clean() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy(&common::example_site(), &site);
    let objective = okra_in(
        &site,
        &[
            "new",
            "objective",
            "faster-replies",
            "--owner",
            "support",
            "--period",
            "2026-Q4",
            "--parent",
            "delight-customers",
            "--title",
            "Answer \"fast\" \\ well",
        ],
    );
    assert_eq!(
        objective.status.code(),
        Some(0),
        "{}",
        common::stderr(&objective)
    );
    assert!(common::stdout(&objective).starts_with("Wrote objectives/2026-q4/faster-replies.md\n"));
    // The new objective has no key results yet, and says so.
    assert!(common::stdout(&objective).contains("key-result-count"));
    for args in [
        &[
            "new",
            "kpi",
            "first-reply-time",
            "--owner",
            "support",
            "--unit",
            "min",
        ][..],
        &[
            "new",
            "team",
            "chat-support",
            "--parent",
            "support",
            "--lead",
            "Ana",
        ],
    ] {
        let output = okra_in(&site, args);
        assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    }
    assert_eq!(errors(&site), Vec::<String>::new());
    let checked = common::check(&site);
    let written = &checked.site.objectives[checked.site.index.objectives["faster-replies"]];
    assert_eq!(written.title, "Answer \"fast\" \\ well");
    assert_eq!(written.parent_id(), Some("delight-customers"));
    assert!(checked.site.index.kpis.contains_key("first-reply-time"));
    let team = &checked.site.teams[checked.site.index.teams["chat-support"]];
    assert_eq!(team.lead.as_deref(), Some("Ana"));
}

#[test]
fn new_refuses_names_the_site_does_not_have_and_writes_nothing() {
    let site = common::site_with(&[(
        "teams/support.md",
        "+++\nname = \"Support\"\nparent = \"acme\"\n+++\n",
    )]);
    let before = common::files(site.path());
    for (args, expected) in [
        (
            &[
                "new",
                "objective",
                "x",
                "--owner",
                "suport",
                "--period",
                "2026-Q4",
            ][..],
            "the site has no team `suport`; did you mean `support`?",
        ),
        (
            &[
                "new",
                "objective",
                "x",
                "--owner",
                "support",
                "--period",
                "Q4",
            ],
            "`Q4` is not a period",
        ),
        (
            &[
                "new",
                "objective",
                "Bad Id",
                "--owner",
                "support",
                "--period",
                "2026-Q4",
            ],
            "such as `bad-id`",
        ),
        (
            &["new", "team", "support"],
            "the site already has a team with the id `support`",
        ),
        (
            &["new", "team", "web", "--kind", "squad"],
            "`squad` is not a kind of team",
        ),
        (
            &["carry-over", "nothing", "--to", "2026-Q4"],
            "the site has no objective `nothing`",
        ),
    ] {
        let output = okra_in(site.path(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            common::stderr(&output).contains(expected),
            "{args:?}: {}",
            common::stderr(&output)
        );
    }
    assert_eq!(common::files(site.path()), before, "nothing written");
}

#[test]
fn carry_over_resets_key_results_and_takes_starts_from_the_kpis() {
    let objective = "+++\ntitle = \"Faster support\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n\
        parent = \"year\"\ncommitment = \"committed\"\n\
        [[key_results]]\nid = \"tickets\"\ntitle = \"Cut tickets per customer from 1.5 to 0.5\"\nowner = \"Ann\"\nkpi = \"tickets\"\nstart = 1.5\ntarget = 0.5\n\
        [[key_results]]\ntitle = \"Revenue\"\nowner = \"Bo\"\nstart = 10\ntarget = 20\ncurrent = 14\n\
        [[key_results]]\ntitle = \"Signups\"\nowner = \"Bo\"\nstart = 10\ntarget = 20\ncurrent = 25\n\
        [[key_results]]\ntitle = \"Help centre live\"\nowner = \"Cy\"\ndone = true\ndue = 2026-08-01\n\
        [[key_results]]\ntitle = \"Chatbot live\"\nowner = \"Cy\"\ndone = false\ndue = 2026-09-01\n\
        [[key_results]]\ntitle = \"Old idea\"\nowner = \"Cy\"\nstart = 1\ntarget = 2\ncurrent = 1\ndropped = \"no longer needed\"\n\
        +++\nWhy it matters.\n";
    let year = "+++\ntitle = \"Year\"\nowner = \"acme\"\nperiod = \"2026\"\n\
        [[key_results]]\ntitle = \"R\"\nowner = \"Ann\"\nstart = 1\ntarget = 2\ncurrent = 1.5\n+++\n";
    let kpi = "+++\nname = \"Tickets\"\nowner = \"acme\"\ndirection = \"lower\"\n\
        [[measurements]]\ndate = 2026-09-20\nvalue = 0.9\n+++\n";
    let site = common::site_with(&[
        ("objectives/2026-q3/faster-support-2026-q3.md", objective),
        ("objectives/year.md", year),
        ("kpis/tickets.md", kpi),
    ]);
    let output = okra_in(
        site.path(),
        &[
            "carry-over",
            "faster-support-2026-q3",
            "--to",
            "2026-Q4",
            "--as-of",
            "2026-09-30",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let report = common::stdout(&output);
    assert!(report.starts_with("Wrote objectives/2026-q4/faster-support-2026-q4.md (faster-support-2026-q4) from `faster-support-2026-q3`\n"), "{report}");
    for note in [
        "`kr3` stays behind: it is already at its target (25 against 20)",
        "`kr4` stays behind: it is done",
        "`kr6` stays behind: it was dropped (no longer needed)",
        "`tickets` now starts at 0.9, but its title still says 1.5: update the title",
    ] {
        assert!(report.contains(note), "{note}: {report}");
    }
    let checked = checked_without_errors(site.path(), "2026-10-15");
    let carried = &checked.site.objectives[checked.site.index.objectives["faster-support-2026-q4"]];
    assert_eq!(carried.period_id(), "2026-Q4");
    assert_eq!(carried.parent_id(), Some("year"), "2026 contains 2026-Q4");
    assert_eq!(carried.commitment, okra::model::Commitment::Committed);
    let krs: Vec<(&str, Option<f64>, Option<f64>, bool)> = carried
        .key_results
        .iter()
        .map(|kr| (kr.title.as_str(), kr.start, kr.target, kr.done))
        .collect();
    assert_eq!(
        krs,
        [
            (
                "Cut tickets per customer from 1.5 to 0.5",
                Some(0.9),
                Some(0.5),
                false
            ),
            ("Revenue", Some(14.0), Some(20.0), false),
            ("Chatbot live", None, None, false),
        ]
    );
    assert_eq!(
        carried.key_results[0].id, "tickets",
        "explicit ids are kept"
    );
    assert_eq!(carried.key_results[2].due, okra::Date::parse("2026-12-31"));
    assert!(carried.body.text().unwrap().contains("Carried over from [Faster support](../../objectives/2026-q3/faster-support-2026-q3.md) of 2026-Q3."));
    // Only into a later period.
    let back = okra_in(
        site.path(),
        &["carry-over", "faster-support-2026-q4", "--to", "2026-Q3"],
    );
    assert_eq!(back.status.code(), Some(2));
    assert!(common::stderr(&back).contains("carry an objective over into a later period"));
}

fn copy(from: &Path, to: &Path) {
    for (path, bytes) in common::files(from) {
        common::write(to, &path, bytes);
    }
}

#[test]
fn carry_over_keeps_a_draft_a_draft_and_its_links_leading_to_the_same_files() {
    let draft = "+++\ntitle = \"Secret plan\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\ndraft = true\n\
        [[key_results]]\ntitle = \"R\"\nowner = \"Ann\"\nstart = 1\ntarget = 2\ncurrent = 1\n+++\n\
        See [CSAT](../../../kpis/csat.md) and ![chart](../../../static/c.png).\n";
    let kpi = "+++\nname = \"CSAT\"\nowner = \"acme\"\n\
        [[measurements]]\ndate = 2026-08-10\nvalue = 4\n+++\n";
    let site = common::site_with(&[
        ("objectives/support/deep/secret-plan.md", draft),
        ("kpis/csat.md", kpi),
        ("static/c.png", "png"),
    ]);
    let output = okra_in(
        site.path(),
        &["carry-over", "secret-plan", "--to", "2026-Q4"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", common::report(&output));
    let written = std::fs::read_to_string(
        site.path()
            .join("objectives/2026-q4/secret-plan-2026-q4.md"),
    )
    .unwrap();
    assert!(written.contains("draft = true\n"), "{written}");
    assert!(
        written.contains("[CSAT](../../kpis/csat.md) and ![chart](../../static/c.png)"),
        "{written}"
    );
    checked_without_errors(site.path(), "2026-10-15");
    let built = common::built_site(site.path());
    for (path, bytes) in common::files(&built.path().join("public")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("Secret plan"),
            "{path}"
        );
    }
    // A link okra cannot rewrite is refused, and nothing is written.
    let reference = "+++\ntitle = \"Refs\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n\
        [[key_results]]\ntitle = \"R\"\nowner = \"Ann\"\nstart = 1\ntarget = 2\ncurrent = 1\n+++\n\
        See [CSAT][c].\n\n[c]: ../../../kpis/csat.md\n";
    common::write(site.path(), "objectives/support/deep/refs.md", reference);
    let before = common::files(site.path());
    let refused = okra_in(site.path(), &["carry-over", "refs", "--to", "2026-Q4"]);
    assert_eq!(
        refused.status.code(),
        Some(2),
        "{}",
        common::report(&refused)
    );
    assert!(common::stderr(&refused).contains("cannot rewrite"));
    assert_eq!(common::files(site.path()), before, "nothing written");
}

/// The site at `as_of`, which must have no errors.
fn checked_without_errors(site: &std::path::Path, as_of: &str) -> okra::Checked {
    let checked = okra::check(
        site,
        &okra::CheckOptions {
            as_of: okra::Date::parse(as_of),
            ..okra::CheckOptions::default()
        },
    )
    .unwrap();
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    checked
}
