//! One fixture site per diagnostic code, each asserting the code, file, line
//! and column that `okra check` reports.

use crate::common;

use okra::diagnostic::{Code, Severity};

/// (fixture and code, file, line, column)
const CASES: &[(&str, &str, usize, usize)] = &[
    ("unreadable-file", "kpis/csat.md", 5, 8),
    ("not-utf8", "pages/guide.md", 2, 13),
    ("missing-front-matter", "pages/guide.md", 1, 1),
    ("unterminated-front-matter", "pages/guide.md", 1, 1),
    ("toml-syntax", "pages/guide.md", 2, 15),
    ("unknown-key", "objectives/grow.md", 5, 1),
    ("wrong-type", "pages/guide.md", 3, 10),
    ("missing-key", "objectives/grow.md", 1, 1),
    ("bad-id", "objectives/grow.md", 5, 6),
    ("bad-date", "objectives/grow.md", 9, 7),
    ("bad-period", "okra.toml", 6, 7),
    ("unknown-period", "objectives/grow.md", 4, 10),
    ("bad-value", "kpis/csat.md", 5, 13),
    ("out-of-range", "objectives/grow.md", 11, 14),
    ("duplicate-id", "objectives/b/grow.md", 1, 1),
    ("duplicate-measurement", "kpis/csat.md", 11, 8),
    ("unknown-team", "objectives/grow.md", 3, 9),
    ("unknown-parent", "objectives/sell.md", 5, 10),
    ("unknown-kpi", "objectives/grow.md", 8, 7),
    ("broken-link", "pages/guide.md", 4, 15),
    ("team-cycle", "teams/a.md", 3, 10),
    ("objective-cycle", "objectives/a.md", 5, 10),
    ("period-not-within-parent", "objectives/child.md", 4, 10),
    ("ambiguous-kind", "objectives/grow.md", 6, 1),
    ("kind-conflict", "objectives/grow.md", 10, 1),
    ("missing-target", "objectives/grow.md", 6, 1),
    ("missing-start", "objectives/grow.md", 6, 1),
    ("start-equals-target", "objectives/grow.md", 9, 10),
    ("health-without-bounds", "objectives/grow.md", 6, 1),
    ("current-with-checkins", "objectives/grow.md", 10, 11),
    ("private-kpi-exposed", "objectives/grow.md", 8, 7),
    ("bad-csv", "kpis/csat.csv", 3, 1),
    ("shared-data", "kpis/support-csat.md", 5, 8),
    ("too-many-objectives", "objectives/b.md", 3, 9),
    ("key-result-count", "objectives/grow.md", 1, 1),
    ("all-milestones", "objectives/grow.md", 1, 1),
    ("unaligned-objective", "objectives/grow.md", 3, 9),
    ("alignment-outside-chain", "objectives/child.md", 5, 10),
    ("stale-kpi", "kpis/csat.md", 7, 8),
    ("no-current-value", "objectives/grow.md", 6, 1),
    ("overdue-milestone", "objectives/grow.md", 9, 7),
    ("checkin-after-period", "objectives/grow.md", 12, 8),
    ("checkin-after-as-of", "objectives/grow.md", 16, 8),
    ("unknown-lint", "okra.toml", 5, 10),
    ("kr-is-task", "objectives/grow.md", 7, 9),
    ("title-mismatch", "objectives/fix-faster.md", 7, 9),
    ("empty-rollup", "objectives/grow.md", 8, 9),
    ("business-as-usual-kr", "objectives/grow.md", 11, 10),
    ("sandbagging", "teams/acme.md", 2, 8),
    ("kr-owner", "objectives/grow.md", 7, 9),
    ("unpaired-kr", "objectives/grow.md", 2, 9),
    ("milestone-without-due", "objectives/grow.md", 14, 9),
    ("stale-checkin", "objectives/grow.md", 13, 8),
];

#[test]
fn each_code_is_reported_where_the_problem_is() {
    for &(code, file, line, column) in CASES {
        let checked = common::check(&common::fixture(&format!("diagnostics/{code}")));
        let found: Vec<_> = checked
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.position(&checked.sources)))
            .collect();
        let hit = found.iter().any(|(c, p)| {
            *c == code
                && p.as_ref()
                    .is_some_and(|p| p.file == file && p.line == line && p.column == column)
        });
        assert!(
            hit,
            "{code}: expected at {file}:{line}:{column}, found {found:#?}"
        );
        let expected = Code::from_name(code).expect("a known code");
        let severity = if expected.is_lint() {
            Severity::Warning
        } else {
            Severity::Error
        };
        assert!(
            checked
                .diagnostics
                .iter()
                .any(|d| d.code == expected && d.severity == severity),
            "{code}: wrong severity"
        );
        // A fixture shows its own problem, not a cascade of others.
        let other_errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error() && d.code != expected)
            .map(|d| d.code.as_str())
            .collect();
        assert!(other_errors.is_empty(), "{code}: also {other_errors:?}");
    }
}

/// Each fixture's diagnostics as a reader sees them: code, place, message,
/// label, hint and notes, one snapshot per fixture.
#[test]
fn each_fixture_reads_as_its_snapshot() {
    insta::glob!("fixtures/diagnostics/*/okra.toml", |config| {
        let checked = common::check(config.parent().unwrap());
        let mut text = String::new();
        for d in &checked.diagnostics {
            let place = d.position(&checked.sources).map_or_else(
                || "(no file)".to_string(),
                |p| {
                    format!(
                        "{}:{}:{}-{}:{}",
                        p.file, p.line, p.column, p.end_line, p.end_column
                    )
                },
            );
            text.push_str(&format!(
                "{:?}[{}] {place}\n  {}\n",
                d.severity,
                d.code.as_str(),
                d.message
            ));
            for (prefix, line) in [("label", &d.label), ("hint", &d.hint)] {
                if let Some(line) = line {
                    text.push_str(&format!("  {prefix}: {line}\n"));
                }
            }
            for note in &d.notes {
                text.push_str(&format!("  note: {note}\n"));
            }
        }
        insta::assert_snapshot!(text);
    });
}

#[test]
fn every_code_has_a_fixture() {
    // `key-result-ids` compares two revisions: tests/diff.rs has its case;
    // `goalposts-moved-after-start` reads git history: so do tests/diff.rs
    // and the lint's unit test.
    let elsewhere = [Code::KeyResultIds, Code::GoalpostsMovedAfterStart];
    for code in Code::ALL.iter().filter(|c| !elsewhere.contains(c)) {
        assert!(
            CASES.iter().any(|(name, ..)| *name == code.as_str()),
            "no fixture for {}",
            code.as_str()
        );
    }
}

#[test]
fn duplicate_ids_name_both_files() {
    let checked = common::check(&common::fixture("diagnostics/duplicate-id"));
    let duplicate = checked
        .diagnostics
        .iter()
        .find(|d| d.code == Code::DuplicateId)
        .expect("reported");
    let other = duplicate.related.first().expect("the first file is named");
    assert_eq!(checked.sources.path(other.0.file), "objectives/a/grow.md");
}

#[test]
fn cycles_show_the_whole_cycle() {
    let checked = common::check(&common::fixture("diagnostics/objective-cycle"));
    let cycle = checked
        .diagnostics
        .iter()
        .find(|d| d.code == Code::ObjectiveCycle)
        .expect("reported");
    assert_eq!(cycle.notes, vec!["cycle: a → b → a".to_string()]);
    assert_eq!(
        checked
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::ObjectiveCycle)
            .count(),
        1,
        "one cycle, one report"
    );
}

#[test]
fn unknown_names_get_did_you_mean_hints() {
    for (code, hint) in [
        ("unknown-key", "did you mean `owner`?"),
        ("unknown-team", "did you mean `acme`?"),
        ("unknown-parent", "did you mean `grow`?"),
        ("unknown-kpi", "did you mean `csat`?"),
        ("unknown-lint", "did you mean `stale-kpi`?"),
        ("bad-value", "write `direction = \"higher\"`"),
    ] {
        let checked = common::check(&common::fixture(&format!("diagnostics/{code}")));
        let d = checked
            .diagnostics
            .iter()
            .find(|d| d.code.as_str() == code)
            .expect("reported");
        assert_eq!(d.hint.as_deref(), Some(hint), "{code}");
    }
}

#[test]
fn a_misspelt_key_is_reported_once_not_as_a_missing_one_too() {
    let objective = "+++\ntitel = \"Grow\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n\
        [[key_results]]\ntitle = \"Revenue\"\nstart = 1\ntaget = 2\ncurent = 1.5\n\
        [[key_results]]\ntitle = \"Keep CSAT\"\nmni = 9\n+++\n";
    let dir = common::site_with(&[("objectives/grow.md", objective)]);
    let checked = common::check(dir.path());
    assert_eq!(
        common::codes(&checked),
        ["unknown-key"; 4],
        "{:#?}",
        checked.diagnostics
    );
}

#[test]
fn toml_mistakes_get_hints_in_okras_words() {
    let objective = "+++\ntitle = \"Grow\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n\
        [[key_results]]\ntitle = \"Launch\"\ndone = false\ndue = 20.11.2026\n+++\n";
    let dir = common::site_with(&[("objectives/grow.md", objective)]);
    let checked = common::check(dir.path());
    let hints: Vec<_> = checked
        .diagnostics
        .iter()
        .map(|d| d.hint.as_deref())
        .collect();
    assert_eq!(
        hints,
        [Some(
            "write dates as YYYY-MM-DD without quotes: `due = 2026-11-20`"
        )]
    );
}

#[test]
fn lint_sections_apply_to_a_team_subtree_and_to_a_folder() {
    let team = |id: &str, parent: &str| {
        format!(
            "+++\nname = \"{id}\"\nparent = \"{parent}\"\nlead = \"Ann\"\nmembers = [\"Bo\"]\n+++\n"
        )
    };
    // One key result without an owner that only pushes a number up.
    let objective = |owner: &str| {
        format!(
            "+++\ntitle = \"Grow\"\nowner = \"{owner}\"\nperiod = \"2026-Q3\"\nparent = \"top\"\n\
             [[key_results]]\ntitle = \"Sign-ups\"\nstart = 1\ntarget = 2\ncurrent = 1.5\n+++\n"
        )
    };
    let config = format!(
        "{}[lint]\ndeny = [\"kr-owner\"]\n\
         [lint.team.web]\nallow = [\"kr-owner\"]\nwarn = [\"unpaired-kr\"]\n\
         [lint.folder.\"objectives/legacy\"]\ndeny = [\"unpaired-kr\"]\n\
         [lint.team.mobil]\nallow = [\"kr-owner\"]\n",
        common::CONFIG
    );
    let top = "+++\ntitle = \"Top\"\nowner = \"acme\"\nperiod = \"2026\"\n\
               [[key_results]]\ntitle = \"Revenue\"\nowner = \"Ann\"\nstart = 1\ntarget = 2\ncurrent = 1.5\n\
               [[key_results]]\ntitle = \"Churn\"\nowner = \"Ann\"\nstart = 3\ntarget = 2\ncurrent = 2.5\n+++\n";
    let dir = common::site_with(&[
        ("okra.toml", config.as_str()),
        ("teams/product.md", &team("product", "acme")),
        ("teams/web.md", &team("web", "product")),
        ("teams/mobile.md", &team("mobile", "product")),
        ("objectives/top.md", top),
        ("objectives/product.md", &objective("product")),
        ("objectives/web.md", &objective("web")),
        ("objectives/legacy/old-web.md", &objective("web")),
    ]);
    let checked = common::check(dir.path());
    let found: Vec<(String, &str, String)> = checked
        .diagnostics
        .iter()
        .map(|d| {
            let file = d
                .position(&checked.sources)
                .map(|p| p.file)
                .unwrap_or_default();
            (file, d.code.as_str(), format!("{:?}", d.severity))
        })
        .collect();
    let expected = [
        ("objectives/legacy/old-web.md", "unpaired-kr", "Error"),
        ("objectives/product.md", "kr-owner", "Error"),
        ("objectives/web.md", "unpaired-kr", "Warning"),
        ("okra.toml", "unknown-team", "Error"),
    ];
    let expected: Vec<(String, &str, String)> = expected
        .iter()
        .map(|(f, c, s)| (f.to_string(), *c, s.to_string()))
        .collect();
    assert_eq!(found, expected, "{:#?}", checked.diagnostics);
    let unknown = checked
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "unknown-team")
        .unwrap();
    assert_eq!(unknown.hint.as_deref(), Some("did you mean `mobile`?"));
}

/// The text a diagnostic points at.
fn pointed_at<'c>(
    checked: &'c okra::Checked,
    diagnostic: &okra::diagnostic::Diagnostic,
) -> &'c str {
    let span = diagnostic.span.expect("a position");
    &checked.sources.get(span.file).text[span.range()]
}

#[test]
fn keys_are_read_in_the_order_they_are_written() {
    let objective = "+++\ntitle = \"Grow\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n\
        zeta = 1\nalpha = 2\n\n[[key_results]]\ntitle = \"Ship\"\ntarget = 10\n\
        progress = 0.5\ndone = false\n+++\n";
    let dir = common::site_with(&[("objectives/grow.md", objective)]);
    // Sorted by name, `FY27-Q2` would come first and be the repeat.
    let config = format!(
        "{}[periods.fy27-q2]\nstart = 2027-01-01\nend = 2027-03-31\n\
         [periods.FY27-Q2]\nstart = 2027-01-01\nend = 2027-03-31\n",
        common::CONFIG
    );
    common::write(dir.path(), "okra.toml", &config);
    let checked = common::check(dir.path());
    let of = |code: Code| -> Vec<&str> {
        checked
            .diagnostics
            .iter()
            .filter(|d| d.code == code)
            .map(|d| pointed_at(&checked, d))
            .collect()
    };
    assert_eq!(
        of(Code::BadPeriod),
        ["FY27-Q2"],
        "{:#?}",
        checked.diagnostics
    );
    assert_eq!(of(Code::UnknownKey), ["zeta", "alpha"]);
    // The first key written of the second kind, not the first by name.
    assert_eq!(of(Code::AmbiguousKind), ["progress"]);
}

/// `n` nested teams, each with its own `[lint.team.ID]` section and an
/// objective, under a company.
fn nested_teams_with_sections(n: usize) -> tempfile::TempDir {
    let mut config = String::from("title = \"Deep\"\nas_of = 2026-08-15\n");
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 0..n {
        let parent = if i == 0 {
            "acme".to_string()
        } else {
            format!("t{}", i - 1)
        };
        files.push((
            format!("teams/t{i}.md"),
            format!("+++\nname = \"T{i}\"\nparent = \"{parent}\"\n+++\n"),
        ));
        files.push((
            format!("objectives/o{i}.md"),
            format!(
                "+++\ntitle = \"O{i}\"\nowner = \"t{i}\"\nperiod = \"2026-Q3\"\n\
                 [[key_results]]\ntitle = \"Launch it\"\nowner = \"Ann\"\nstart = 1\ntarget = 2\ncurrent = 1\n+++\n"
            ),
        ));
        let level = if i % 2 == 0 { "allow" } else { "deny" };
        config.push_str(&format!("[lint.team.t{i}]\n{level} = [\"kr-is-task\"]\n"));
    }
    let dir = common::site_with(&files);
    common::write(dir.path(), "okra.toml", config);
    dir
}

#[test]
fn team_sections_resolve_in_linear_time_at_any_depth() {
    // 2,000 nested teams, each with a section: the old resolution took
    // minutes here (32 s at 800).
    let n = 2000;
    let dir = nested_teams_with_sections(n);
    let started = std::time::Instant::now();
    let checked = common::check(dir.path());
    let elapsed = started.elapsed();
    // The nearest section decides: denied on odd teams, allowed on even.
    let denied: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "kr-is-task")
        .map(|d| checked.sources.get(d.file.unwrap()).path.clone())
        .collect();
    assert_eq!(denied.len(), n / 2, "{denied:?}");
    assert!(denied.iter().all(|p| {
        let i: usize = p
            .trim_start_matches("objectives/o")
            .trim_end_matches(".md")
            .parse()
            .unwrap();
        i % 2 == 1
    }));
    assert!(
        checked
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "kr-is-task")
            .all(|d| d.is_error())
    );
    assert!(elapsed.as_secs() < 30, "took {elapsed:?}");
}

/// The value a hint proposes, as a line to write: its first `key = value`
/// in backticks, with the `unit = …` it says to add beside it.
fn proposed_lines(hint: &str) -> Vec<String> {
    hint.split('`')
        .skip(1)
        .step_by(2)
        .filter(|code| code.contains(" = "))
        .enumerate()
        .filter(|(i, code)| *i == 0 || code.starts_with("unit = "))
        .map(|(_, code)| code.to_string())
        .collect()
}

/// Every hint for a mistyped value leads to a value that passes: written
/// as the hint says, the file checks without an error.
#[test]
fn every_value_hint_leads_to_a_value_that_passes() {
    let metric = "title = \"R\"\nstart = 1\n{}\n";
    let milestone = "title = \"M\"\ndone = false\n{}\n";
    let cases = [
        (metric, "target = 70%"),
        (metric, "target = \"1.5%\""),
        (metric, "target = \"12\""),
        (metric, "target = 1,5"),
        (metric, "target = 1,000,000"),
        (metric, "target = 3\nconfidence = 50%"),
        (metric, "target = 3\nconfidence = 50"),
        (metric, "target = 3\nconfidence = 1.5"),
        (milestone, "progress = 50%"),
        (milestone, "progress = 40"),
        (milestone, "due = 2026-11-31"),
        (milestone, "due = 2026-02-30"),
        (milestone, "due = 2026/11/30"),
        (milestone, "due = 12/01/2026"),
        (milestone, "due = 31/01/2026"),
        (milestone, "due = 20.11.2026"),
        (milestone, "due = \"2026-09-30\""),
        (milestone, "due = Sept"),
        ("title = \"S\"\nkind = \"scored\"\n{}\n", "score = 80"),
        (metric, "target = 3\ncommitment = \"stretch\""),
        (metric, "target = 3\ncommitment = \"experiment\""),
        (metric, "target = 3\nkind = \"number\""),
        (milestone, "kind = \"deliverable\""),
        ("{}\nstart = 1\ntarget = 2\n", "title = Grow revenue"),
    ];
    let file = |table: &str, line: &str| {
        let table = table.replace("{}", line);
        format!(
            "+++\ntitle = \"Grow\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n[[key_results]]\n{table}+++\n"
        )
    };
    for (table, line) in cases {
        let bad = line.lines().last().unwrap();
        let dir = common::site_with(&[("objectives/grow.md", file(table, line))]);
        let checked = common::check(dir.path());
        let errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let [error] = errors.as_slice() else {
            panic!("`{bad}`: one error expected, found {errors:#?}");
        };
        let hint = error
            .hint
            .as_deref()
            .unwrap_or_else(|| panic!("`{bad}` has no hint: {error:#?}"));
        let proposed = proposed_lines(hint);
        assert!(
            !proposed.is_empty(),
            "`{bad}`: the hint proposes no value: {hint}"
        );
        let fixed = line.replace(bad, &proposed.join("\n"));
        let dir = common::site_with(&[("objectives/grow.md", file(table, &fixed))]);
        let checked = common::check(dir.path());
        assert!(
            !checked.has_errors(),
            "`{bad}` → `{fixed}` (from “{hint}”) still fails: {:#?}",
            checked.diagnostics
        );
    }
}

/// Another tool's word for one of okra's values (`avg`, `internal`,
/// `squad`) gets a hint naming okra's, which then passes.
#[test]
fn other_tools_words_are_told_okras() {
    let kpi = |line: &str| {
        format!(
            "+++\nname = \"Sign-ups\"\nowner = \"acme\"\nunit = \"users\"\n{line}\n\
             [[measurements]]\ndate = 2026-08-01\nvalue = 3\n+++\n"
        )
    };
    let regions = "+++\nname = \"Total\"\nowner = \"acme\"\nof = [\"signups\"]\n{}\n+++\n";
    let cases: [(&str, String, &str, &str); 5] = [
        (
            "kpis/signups.md",
            kpi("{}"),
            "direction = \"up\"",
            "direction = \"higher\"",
        ),
        (
            "kpis/signups.md",
            kpi("{}"),
            "visibility = \"internal\"",
            "visibility = \"private\"",
        ),
        (
            "kpis/signups.md",
            kpi("{}"),
            "cadence = \"biweekly\"",
            "cadence = \"fortnightly\"",
        ),
        (
            "kpis/total.md",
            regions.to_string(),
            "rollup = \"avg\"",
            "rollup = \"mean\"",
        ),
        (
            "teams/web.md",
            "+++\nname = \"Web\"\nparent = \"acme\"\n{}\n+++\n".to_string(),
            "kind = \"squad\"",
            "kind = \"team\"",
        ),
    ];
    for (path, template, bad, good) in cases {
        let mut files = vec![(path.to_string(), template.replace("{}", bad))];
        if path == "kpis/total.md" {
            files.push(("kpis/signups.md".into(), kpi("")));
        }
        let dir = common::site_with(&files);
        let checked = common::check(dir.path());
        let errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .collect();
        let [error] = errors.as_slice() else {
            panic!("`{bad}`: one error expected, found {errors:#?}");
        };
        if path == "kpis/total.md" {
            // Meant as a roll-up: not asked for a `rollup` again, nor for
            // measurements of its own.
            assert_eq!(
                common::codes(&checked),
                ["bad-value"],
                "{:#?}",
                checked.diagnostics
            );
        }
        let expected = format!("write `{good}`");
        assert_eq!(error.hint.as_deref(), Some(expected.as_str()), "{bad}");
        files[0].1 = template.replace("{}", good);
        let dir = common::site_with(&files);
        let checked = common::check(dir.path());
        assert!(
            !checked.has_errors(),
            "`{good}`: {:#?}",
            checked.diagnostics
        );
    }
}

/// Another tool's key (`baseline`, `deadline`, a KPI's `title`) is named
/// okra's in the hint, and renamed as it says, the file passes.
#[test]
fn other_tools_keys_are_told_okras() {
    let objective = |kr: &str| {
        format!(
            "+++\ntitle = \"Grow\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n[[key_results]]\n{kr}\n+++\n"
        )
    };
    let kpi = "+++\ntitle = \"Sign-ups\"\nowner = \"acme\"\n[[measurements]]\ndate = 2026-08-01\nvalue = 3\n+++\n";
    let cases = [
        (
            "objectives/grow.md",
            objective("title = \"Deals from 1 to 3\"\nbaseline = 1\ntarget = 3"),
            "baseline",
            "start",
        ),
        (
            "objectives/grow.md",
            objective("title = \"Ship it\"\ndone = false\ndeadline = 2026-09-30"),
            "deadline",
            "due",
        ),
        (
            "objectives/grow.md",
            objective("name = \"Deals from 1 to 3\"\nstart = 1\ntarget = 3"),
            "name",
            "title",
        ),
        ("kpis/signups.md", kpi.to_string(), "title", "name"),
    ];
    for (path, text, written, meant) in cases {
        let dir = common::site_with(&[(path, text.clone())]);
        let checked = common::check(dir.path());
        let unknown = checked
            .diagnostics
            .iter()
            .find(|d| d.code.as_str() == "unknown-key")
            .unwrap_or_else(|| panic!("`{written}`: {:#?}", checked.diagnostics));
        let hint = unknown.hint.as_deref().unwrap_or_default();
        assert!(
            hint.starts_with(&format!("rename it `{meant}`")),
            "{written}: {hint}"
        );
        let renamed = text.replace(&format!("\n{written} = "), &format!("\n{meant} = "));
        let dir = common::site_with(&[(path, renamed)]);
        let checked = common::check(dir.path());
        assert!(
            !checked.has_errors(),
            "`{meant}`: {:#?}",
            checked.diagnostics
        );
    }
}

#[test]
fn shares_may_be_written_as_percentages() {
    let objective = "+++\ntitle = \"Grow\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n\
        [[key_results]]\ntitle = \"R\"\nstart = 1\ntarget = 3\nconfidence = \"50%\"\n\
        [[key_results]]\ntitle = \"M\"\ndone = false\ndue = 2026-09-30\nprogress = \"40%\"\n\
        [[key_results.checkins]]\ndate = 2026-08-01\nconfidence = \"70%\"\n+++\n";
    let dir = common::site_with(&[("objectives/grow.md", objective)]);
    let checked = common::check(dir.path());
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let krs = &checked.site.objectives[0].key_results;
    assert_eq!(krs[0].confidence, Some(0.5));
    assert_eq!(krs[1].progress, Some(0.4));
    assert_eq!(krs[1].checkins[0].confidence, Some(0.7));
}

/// A key result whose kind cannot be told has that error and no lint
/// about what it would lack as a metric.
#[test]
fn an_unclear_kind_is_reported_alone() {
    let objective = "+++\ntitle = \"Grow\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n\
        [[key_results]]\ntitle = \"Launch the help centre\"\n\
        [[key_results]]\ntitle = \"Ship from 1 to 3\"\ntarget = 3\ndone = true\n+++\n";
    let dir = common::site_with(&[("objectives/grow.md", objective)]);
    let checked = common::check(dir.path());
    assert_eq!(
        common::codes(&checked),
        ["ambiguous-kind", "ambiguous-kind"],
        "{:#?}",
        checked.diagnostics
    );
}
