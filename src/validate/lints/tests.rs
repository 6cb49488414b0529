use super::*;

const CONFIG: &str = "title = \"T\"\nas_of = 2026-08-15\n";
const COMPANY: &str = "+++\nname = \"Acme\"\nkind = \"company\"\n+++\n";
const SALES: &str = "+++\nname = \"Sales\"\nparent = \"acme\"\n+++\n";

/// An objective of `owner` in 2026-Q3 with the given key-result tables.
fn objective(owner: &str, extra: &str, key_results: &str) -> String {
    format!(
        "+++\ntitle = \"Grow\"\nowner = \"{owner}\"\nperiod = \"2026-Q3\"\n{extra}\n{key_results}+++\n"
    )
}

const METRIC: &str = "[[key_results]]\ntitle = \"Revenue\"\nstart = 1\ntarget = 2\ncurrent = 1.5\n";

/// Runs one lint over a site of `okra.toml`, two teams and `files`;
/// returns the lines it reports, as `code message`.
fn run(lint: Lint, config: &str, files: &[(impl AsRef<str>, String)]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut all = vec![
        ("okra.toml".to_string(), format!("{CONFIG}{config}")),
        ("teams/acme.md".to_string(), COMPANY.to_string()),
        ("teams/sales.md".to_string(), SALES.to_string()),
    ];
    all.extend(
        files
            .iter()
            .map(|(p, t)| (p.as_ref().to_string(), t.clone())),
    );
    for (path, text) in all {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let mut loaded = crate::load::load(dir.path()).unwrap();
    let as_of = loaded.config.as_of.unwrap();
    let mut diagnostics = Vec::new();
    let mut site = crate::model::build(&mut loaded, as_of, &mut diagnostics);
    crate::score::score_site(&mut site);
    let cx = Context {
        site: &site,
        loaded: &loaded,
        team_cycles: &HashSet::new(),
        objective_cycles: &HashSet::new(),
    };
    lint(&cx)
        .iter()
        .map(|d| format!("{} {}", d.code.as_str(), d.message))
        .collect()
}

fn with_checkins(period: &str, dates: &[&str]) -> String {
    let checkins: String = dates
        .iter()
        .map(|d| format!("[[key_results.checkins]]\ndate = {d}\nvalue = 1.5\n"))
        .collect();
    format!(
        "+++\ntitle = \"Grow\"\nowner = \"acme\"\nperiod = \"{period}\"\n[[key_results]]\nid = \"rev\"\ntitle = \"Revenue\"\nstart = 1\ntarget = 2\n{checkins}+++\n"
    )
}

#[test]
fn checkins_after_the_period_are_named() {
    let files = [(
        "objectives/a.md",
        with_checkins("2026-Q2", &["2026-06-30", "2026-07-02"]),
    )];
    assert_eq!(
        run(checkin_after_period, "", &files),
        [
            "checkin-after-period check-in of `rev` dated 2026-07-02, after period 2026-Q2 ended on 2026-06-30: it does not count toward the grade"
        ]
    );
    let inside = [("objectives/a.md", with_checkins("2026-Q3", &["2026-09-30"]))];
    assert!(run(checkin_after_period, "", &inside).is_empty());
}

#[test]
fn checkins_after_as_of_are_named_once() {
    // After as-of and after the period: only the period lint speaks.
    let files = [
        (
            "objectives/a.md",
            with_checkins("2026-Q3", &["2026-08-15", "2026-08-16"]),
        ),
        ("objectives/b.md", with_checkins("2026-07", &["2026-08-20"])),
    ];
    assert_eq!(
        run(checkin_after_as_of, "", &files),
        [
            "checkin-after-as-of check-in of `rev` dated 2026-08-16, after the as-of date 2026-08-15: it does not count yet"
        ]
    );
}

#[test]
fn too_many_objectives_counts_a_team_in_one_period() {
    let files: Vec<(String, String)> = ["a", "b", "c"]
        .iter()
        .map(|id| (format!("objectives/{id}.md"), objective("acme", "", METRIC)))
        .collect();
    let found = run(
        too_many_objectives,
        "[lint]\nobjectives_per_team = 2\n",
        &files,
    );
    assert_eq!(
        found,
        ["too-many-objectives team `acme` has 3 objectives in 2026-Q3; the limit is 2"]
    );
    assert!(run(too_many_objectives, "", &files).is_empty());
}

#[test]
fn key_result_count_follows_the_configured_range() {
    let none = [("objectives/a.md", objective("acme", "", ""))];
    assert_eq!(
        run(key_result_count, "", &none),
        ["key-result-count objective `a` has 0 key results; expected 1 to 5"]
    );
    let one = [("objectives/a.md", objective("acme", "", METRIC))];
    assert!(run(key_result_count, "", &one).is_empty());
    assert_eq!(
        run(key_result_count, "[lint]\nkey_results = [2, 3]\n", &one).len(),
        1
    );
}

#[test]
fn all_milestones_needs_every_key_result_a_milestone() {
    let milestone = "[[key_results]]\ntitle = \"Launch\"\ndone = false\n";
    let only = [("objectives/a.md", objective("acme", "", milestone))];
    assert_eq!(run(all_milestones, "", &only).len(), 1);
    let mixed = [(
        "objectives/a.md",
        objective("acme", "", &format!("{milestone}{METRIC}")),
    )];
    assert!(run(all_milestones, "", &mixed).is_empty());
}

#[test]
fn unaligned_objective_spares_the_top_team() {
    let top = [("objectives/a.md", objective("acme", "", METRIC))];
    assert!(run(unaligned_objective, "", &top).is_empty());
    let below = [("objectives/b.md", objective("sales", "", METRIC))];
    assert_eq!(
        run(unaligned_objective, "", &below),
        ["unaligned-objective objective `b` of `sales` aligns to nothing"]
    );
}

#[test]
fn alignment_outside_chain_allows_the_teams_above() {
    let marketing = "+++\nname = \"Marketing\"\nparent = \"acme\"\n+++\n".to_string();
    let files = |parent_owner: &str| {
        vec![
            ("teams/marketing.md", marketing.clone()),
            ("objectives/top.md", objective(parent_owner, "", METRIC)),
            (
                "objectives/b.md",
                objective("sales", "parent = \"top\"", METRIC),
            ),
        ]
    };
    assert!(run(alignment_outside_chain, "", &files("acme")).is_empty());
    assert!(run(alignment_outside_chain, "", &files("sales")).is_empty());
    assert_eq!(
        run(alignment_outside_chain, "", &files("marketing")),
        [
            "alignment-outside-chain objective `b` of `sales` aligns to `top` of `marketing`, which is not `sales` or a team above it"
        ]
    );
}

#[test]
fn no_current_value_names_the_key_result() {
    let bare = "[[key_results]]\nid = \"rev\"\ntitle = \"Revenue\"\nstart = 1\ntarget = 2\n";
    let files = [("objectives/a.md", objective("acme", "", bare))];
    assert_eq!(
        run(no_current_value, "", &files),
        ["no-current-value key result `rev` has no current value"]
    );
    let valued = [("objectives/a.md", objective("acme", "", METRIC))];
    assert!(run(no_current_value, "", &valued).is_empty());
}

#[test]
fn overdue_milestone_is_past_due_and_not_done() {
    let late =
        "[[key_results]]\nid = \"launch\"\ntitle = \"Launch\"\ndone = false\ndue = 2026-08-01\n";
    let files = [(
        "objectives/a.md",
        objective("acme", "", &format!("{late}{METRIC}")),
    )];
    assert_eq!(
        run(overdue_milestone, "", &files),
        ["overdue-milestone milestone `launch` was due 2026-08-01 and is not done"]
    );
    let done = late.replace("done = false", "done = true");
    let files = [(
        "objectives/a.md",
        objective("acme", "", &format!("{done}{METRIC}")),
    )];
    assert!(run(overdue_milestone, "", &files).is_empty());
}

#[test]
fn stale_kpi_follows_the_cadence() {
    let kpi = |date: &str| {
        format!(
            "+++\nname = \"NPS\"\nowner = \"acme\"\ncadence = \"monthly\"\n\n[[measurements]]\ndate = {date}\nvalue = 40\n+++\n"
        )
    };
    let old = [("kpis/nps.md", kpi("2026-05-01"))];
    assert_eq!(run(stale_kpi, "", &old).len(), 1);
    let fresh = [("kpis/nps.md", kpi("2026-08-01"))];
    assert!(run(stale_kpi, "", &fresh).is_empty());
}

#[test]
fn every_lint_code_is_in_the_table_and_allowed_lints_do_not_run() {
    // `unknown-lint` is found while `okra.toml` is read, `key-result-ids`
    // by `okra diff`.
    let site_lints = Code::ALL
        .iter()
        .filter(|c| c.is_lint() && !matches!(c, Code::UnknownLint | Code::KeyResultIds));
    for code in site_lints {
        assert!(LINTS.iter().any(|(c, _)| c == code), "{code:?} has no lint");
    }
    let dir = tempfile::tempdir().unwrap();
    let kpi = "+++\nname = \"NPS\"\nowner = \"acme\"\n+++\n";
    for (path, text) in [
        (
            "okra.toml",
            format!("{CONFIG}[lint]\nallow = [\"stale-kpi\"]\n"),
        ),
        ("teams/acme.md", COMPANY.to_string()),
        ("kpis/nps.md", kpi.to_string()),
    ] {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let mut loaded = crate::load::load(dir.path()).unwrap();
    let mut diagnostics = Vec::new();
    let as_of = loaded.config.as_of.unwrap();
    let mut site = crate::model::build(&mut loaded, as_of, &mut diagnostics);
    crate::score::score_site(&mut site);
    super::super::validate(&site, &loaded, &mut diagnostics);
    assert!(
        diagnostics.iter().all(|d| d.code != Code::StaleKpi),
        "{diagnostics:?}"
    );
}

/// An objective of `acme` in 2026-Q3 with one key result of `fields`.
fn one_key_result(fields: &str) -> Vec<(&'static str, String)> {
    vec![(
        "objectives/grow.md",
        objective("acme", "", &format!("[[key_results]]\n{fields}")),
    )]
}

#[test]
fn kr_is_task_knows_activities_from_outcomes() {
    for title in [
        "Launch 3 new integrations",
        "KR1: Ship the referral programme",
        "Shipped two releases",
        "Set up a status page",
        "Build the new onboarding flow",
        "Run 5 customer interviews",
    ] {
        let files = one_key_result(&format!(
            "title = \"{title}\"\nowner = \"Ann\"\nstart = 0\ntarget = 3\ncurrent = 1\n"
        ));
        assert_eq!(run(coaching::kr_is_task, "", &files).len(), 1, "{title}");
    }
    for title in [
        "Raise trial-to-paid from 4% to 6%",
        "Build time under 5 minutes",
        "Release cadence of two weeks",
        "Reduce churn from 3% to 2%",
        "Shipping costs below 4% of revenue",
        "Launches reach 10,000 users in their first week",
    ] {
        let files = one_key_result(&format!(
            "title = \"{title}\"\nowner = \"Ann\"\nstart = 0\ntarget = 3\ncurrent = 1\n"
        ));
        assert!(run(coaching::kr_is_task, "", &files).is_empty(), "{title}");
    }
    // A milestone is a deliverable by design.
    let milestone = one_key_result(
        "title = \"Launch the shop\"\nowner = \"Ann\"\ndone = false\ndue = 2026-09-01\n",
    );
    assert!(run(coaching::kr_is_task, "", &milestone).is_empty());
}

#[test]
fn business_as_usual_is_a_target_already_reached_or_inside_the_band() {
    let kpi = |band: &str, measured: &str| {
        (
            "kpis/uptime.md",
            format!(
                "+++\nname = \"Uptime\"\nowner = \"acme\"\n{band}\n[[measurements]]\ndate = {measured}\n+++\n"
            ),
        )
    };
    let kr = "title = \"Uptime\"\nowner = \"Ann\"\nkpi = \"uptime\"\nstart = 99.5\ntarget = 99.9\n";
    let mut reached = one_key_result(kr);
    reached.push(kpi("", "2026-05-01\nvalue = 99.95"));
    assert_eq!(run(coaching::business_as_usual_kr, "", &reached).len(), 1);
    // Reached during the period is success, not business as usual.
    let mut during = one_key_result(kr);
    during.push(kpi("", "2026-08-01\nvalue = 99.95"));
    assert!(run(coaching::business_as_usual_kr, "", &during).is_empty());
    let mut banded = one_key_result(kr);
    banded.push(kpi(
        "healthy = { min = 99.0, max = 100 }\n",
        "2026-08-01\nvalue = 99.6",
    ));
    assert_eq!(run(coaching::business_as_usual_kr, "", &banded).len(), 1);
    // A floor alone does not bound a number that rises.
    let mut floor = one_key_result(kr);
    floor.push(kpi(
        "healthy = { min = 99.0 }\n",
        "2026-08-01\nvalue = 99.6",
    ));
    assert!(run(coaching::business_as_usual_kr, "", &floor).is_empty());
}

#[test]
fn sandbagging_needs_two_periods_in_a_row() {
    let graded = |period: &str, current: &str| {
        format!(
            "+++\ntitle = \"G\"\nowner = \"acme\"\nperiod = \"{period}\"\n[[key_results]]\ntitle = \"Revenue\"\nstart = 1\ntarget = 2\ncurrent = {current}\n+++\n"
        )
    };
    let two = [
        ("objectives/a.md", graded("2026-Q1", "2")),
        ("objectives/b.md", graded("2026-Q2", "2.2")),
    ];
    assert_eq!(run(sandbagging::sandbagging, "", &two).len(), 1);
    let broken = [
        ("objectives/a.md", graded("2026-Q1", "2")),
        ("objectives/b.md", graded("2026-Q2", "1.5")),
    ];
    assert!(run(sandbagging::sandbagging, "", &broken).is_empty());
    let sure = |period: &str, date: &str| {
        format!(
            "+++\ntitle = \"G\"\nowner = \"sales\"\nperiod = \"{period}\"\n[[key_results]]\ntitle = \"Revenue\"\nstart = 1\ntarget = 2\n[[key_results.checkins]]\ndate = {date}\nvalue = 1.1\nconfidence = 0.95\n+++\n"
        )
    };
    let opened = [
        ("objectives/a.md", sure("2026-Q2", "2026-04-03")),
        ("objectives/b.md", sure("2026-Q3", "2026-07-03")),
    ];
    let found = run(sandbagging::sandbagging, "", &opened);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("opened 2026-Q2 and 2026-Q3"), "{found:?}");
}

#[test]
fn kr_owner_wants_one_owner_who_is_not_overloaded() {
    let kr = "[[key_results]]\ntitle = \"Revenue\"\nstart = 1\ntarget = 2\ncurrent = 1.5\n";
    let team = "+++\nname = \"Web\"\nparent = \"acme\"\nlead = \"Ann\"\nmembers = [\"Bo\"]\n+++\n";
    let none = [
        ("objectives/grow.md", objective("web", "", kr)),
        ("teams/web.md", team.to_string()),
    ];
    assert_eq!(
        run(coaching::kr_owner, "", &none),
        ["kr-owner key result `kr1` of team `web` has no owner"]
    );
    // Whose it is goes without saying in a team of one, or of nobody named.
    let alone = [("objectives/grow.md", objective("acme", "", kr))];
    assert!(run(coaching::kr_owner, "", &alone).is_empty());
    let owned = one_key_result(
        "title = \"Revenue\"\nowner = \"Ann\"\nstart = 1\ntarget = 2\ncurrent = 1.5\n",
    );
    assert!(run(coaching::kr_owner, "", &owned).is_empty());
    let many: String = (0..3)
        .map(|i| format!("[[key_results]]\ntitle = \"R{i}\"\nowner = \"Ann\"\nstart = 1\ntarget = 2\ncurrent = 1.5\n"))
        .collect();
    let files = [("objectives/grow.md", objective("acme", "", &many))];
    let limit = "[lint]\nkey_results_per_owner = 2\n";
    let found = run(coaching::kr_owner, limit, &files);
    assert_eq!(
        found,
        ["kr-owner `Ann` owns 3 key results in 2026-Q3; the limit is 2"]
    );
    // Shared with another owner, two of them are one key result's work.
    let shared: String = (0..3)
        .map(|i| {
            let owners = if i == 0 { "\"Ann\"" } else { "[\"Ann\", \"Bo\"]" };
            format!("[[key_results]]\ntitle = \"R{i}\"\nowner = {owners}\nstart = 1\ntarget = 2\ncurrent = 1.5\n")
        })
        .collect();
    let files = [("objectives/grow.md", objective("acme", "", &shared))];
    assert!(run(coaching::kr_owner, limit, &files).is_empty());
    let more = format!(
        "{shared}[[key_results]]\ntitle = \"R3\"\nowner = [\"Ann\", \"Bo\"]\nstart = 1\ntarget = 2\ncurrent = 1.5\n"
    );
    let files = [("objectives/grow.md", objective("acme", "", &more))];
    assert_eq!(
        run(coaching::kr_owner, limit, &files),
        ["kr-owner `Ann` owns 2.5 key results in 2026-Q3; the limit is 2"]
    );
}

#[test]
fn unpaired_kr_wants_a_counterweight() {
    let up = "[[key_results]]\ntitle = \"Sign-ups\"\nowner = \"A\"\nstart = 200\ntarget = 500\ncurrent = 300\n";
    let alone = [("objectives/grow.md", objective("acme", "", up))];
    assert_eq!(run(coaching::unpaired_kr, "", &alone).len(), 1);
    let health = "[[key_results]]\ntitle = \"Error rate\"\nowner = \"A\"\nmax = 1\ncurrent = 0.5\n";
    let paired = [(
        "objectives/grow.md",
        objective("acme", "", &format!("{up}{health}")),
    )];
    assert!(run(coaching::unpaired_kr, "", &paired).is_empty());
    let down =
        "[[key_results]]\ntitle = \"Churn\"\nowner = \"A\"\nstart = 3\ntarget = 2\ncurrent = 2.5\n";
    let countered = [(
        "objectives/grow.md",
        objective("acme", "", &format!("{up}{down}")),
    )];
    assert!(run(coaching::unpaired_kr, "", &countered).is_empty());
}

#[test]
fn milestones_without_due_are_found_unless_done() {
    let open = one_key_result("title = \"Price list live\"\nowner = \"A\"\ndone = false\n");
    assert_eq!(run(coaching::milestone_without_due, "", &open).len(), 1);
    let done = one_key_result("title = \"Price list live\"\nowner = \"A\"\ndone = true\n");
    assert!(run(coaching::milestone_without_due, "", &done).is_empty());
    let dated = one_key_result(
        "title = \"Price list live\"\nowner = \"A\"\ndone = false\ndue = 2026-09-01\n",
    );
    assert!(run(coaching::milestone_without_due, "", &dated).is_empty());
}

#[test]
fn stale_checkins_follow_the_cadence() {
    let files = [("objectives/a.md", with_checkins("2026-Q3", &["2026-07-06"]))];
    assert_eq!(run(coaching::stale_checkin, "", &files).len(), 1);
    let quarterly = "[lint]\ncheckin_cadence = \"quarterly\"\n";
    assert!(run(coaching::stale_checkin, quarterly, &files).is_empty());
    let fresh = [("objectives/a.md", with_checkins("2026-Q3", &["2026-08-10"]))];
    assert!(run(coaching::stale_checkin, "", &fresh).is_empty());
    // An ended period is not checked in on any more.
    let ended = [("objectives/a.md", with_checkins("2026-Q2", &["2026-04-06"]))];
    assert!(run(coaching::stale_checkin, "", &ended).is_empty());
}

#[test]
fn goalposts_moved_after_the_period_began_are_found() {
    let files = [("objectives/a.md", with_checkins("2026-Q3", &["2026-08-10"]))];
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in [
        ("okra.toml".to_string(), CONFIG.to_string()),
        ("teams/acme.md".to_string(), COMPANY.to_string()),
        (files[0].0.to_string(), files[0].1.clone()),
    ] {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let mut loaded = crate::load::load(dir.path()).unwrap();
    let as_of = loaded.config.as_of.unwrap();
    let mut site = crate::model::build(&mut loaded, as_of, &mut Vec::new());
    crate::score::score_site(&mut site);
    let moved = |date: &str| crate::model::GoalpostMove {
        date: crate::Date::parse(date).unwrap(),
        commit: "abc1234".into(),
        author: "Ann".into(),
        field: "target",
        old: Some(crate::model::Mark::Number(3.0)),
        new: Some(crate::model::Mark::Number(2.0)),
        about: None,
    };
    let kr = &mut site.objectives[0].key_results[0];
    kr.goalposts = vec![moved("2026-06-20"), moved("2026-08-02")];
    let found = coaching::goalposts_moved(&site);
    assert_eq!(found.len(), 1, "only the move after 2026-07-01");
    assert_eq!(
        found[0].message,
        "the target of `rev` moved from 3 to 2 on 2026-08-02, after 2026-Q3 began"
    );
}
