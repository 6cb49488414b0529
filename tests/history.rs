//! Replayed histories: what `okra diff`, `okra digest` and `--history`
//! tell of them. Each test makes a repository of the example site and
//! commits to it as people would, with their names and dates: same-date
//! check-ins, drafts, regrades, teams moved, merged pull requests,
//! rebased, squashed and imported histories.

use std::path::Path;

use crate::common;
use crate::diff::{
    build_with_history, diff, digest, edit, entry, fact, git, git_with, key_result, new_repository,
    objective, okra_in, old_new,
};

/// Commits everything as `author`, with `date` (noon UTC) as author and
/// committer date.
fn commit_as(repo: &Path, date: &str, author: &str, message: &str) {
    git(repo, &["add", "-A"]);
    let stamp = format!("{date}T12:00:00Z");
    let env = [
        ("GIT_AUTHOR_DATE", stamp.as_str()),
        ("GIT_COMMITTER_DATE", &stamp),
        ("GIT_AUTHOR_NAME", author),
        ("GIT_COMMITTER_NAME", author),
    ];
    git_with(repo, &["commit", "-q", "-m", message], &env);
}

fn json(output: &std::process::Output) -> serde_json::Value {
    common::assert_exit(output, 0);
    serde_json::from_slice(&output.stdout).unwrap()
}

const SUPPORT: &str = "objectives/2026-q3/support-efficiency.md";

/// Adds a check-in to the resolution-time key result, after its last.
fn add_checkin(site: &Path, date: &str, value: f64, note: Option<&str>) {
    let mut checkin = format!("[[key_results.checkins]]\ndate = {date}\nvalue = {value}\n");
    if let Some(note) = note {
        checkin.push_str(&format!("note = \"{note}\"\n"));
    }
    let last = "note = \"Macros for the ten most common questions are live.\"\n";
    edit(&site.join(SUPPORT), last, &format!("{last}\n{checkin}"));
}

/// The goalposts `data.json` gives the resolution-time key result.
fn goalposts(out: &Path) -> Vec<serde_json::Value> {
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("data.json")).unwrap()).unwrap();
    let o = entry(&data, "objectives", "id", "support-efficiency");
    key_result(o, "Decrease the average time")["goalposts"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn two_check_ins_of_one_day_are_not_rewritten_by_later_commits() {
    let (repo, site) = new_repository(&common::example_site());
    commit_as(repo.path(), "2026-07-01", "Ana", "Q3 plan");
    add_checkin(&site, "2026-08-10", 4.5, Some("Afternoon queue."));
    commit_as(
        repo.path(),
        "2026-08-11",
        "Li Wei",
        "two check-ins on one day",
    );
    edit(
        &site.join("objectives/2026-q3/engagement-and-motivation.md"),
        "current = 3\n",
        "current = 4\n",
    );
    commit_as(repo.path(), "2026-08-12", "Ana", "another file");
    let report = json(&diff(repo.path(), &["HEAD~1", "HEAD", "--format", "json"]));
    let ids: Vec<&str> = report["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&"support-efficiency"), "{ids:?}");
    assert_eq!(report["summary"]["goalposts"], 0, "{report:#}");
    // The second check-in of the day is new; the first is unchanged.
    let report = json(&diff(
        repo.path(),
        &["HEAD~2", "HEAD~1", "--format", "json"],
    ));
    let kr = key_result(
        objective(&report, "support-efficiency"),
        "Decrease the average",
    );
    assert_eq!(kr["checkins"].as_array().unwrap().len(), 1, "{kr:#}");
    assert_eq!(kr["checkins"][0]["value"], 4.5);
    assert!(
        kr["facts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| !f["field"].as_str().unwrap().starts_with("checkin")),
        "{kr:#}"
    );
}

#[test]
fn a_review_names_drafts_owners_teams_retrospectives_and_regrades() {
    let (repo, site) = new_repository(&common::example_site());
    commit_as(repo.path(), "2026-07-01", "Ana", "Q3 plan");
    edit(
        &site.join("objectives/2026-q3/get-in-shape.md"),
        "+++\n",
        "+++\ndraft = true\n",
    );
    edit(
        &site.join(SUPPORT),
        "owner = \"Li Wei\"",
        "owner = \"Tomás\"",
    );
    edit(
        &site.join("teams/support.md"),
        "name = \"Customer Support\"\nparent = \"operations\"",
        "name = \"Customer Care\"\nparent = \"sales\"",
    );
    let hiring = site.join("objectives/2026-q2/faster-hiring.md");
    edit(&hiring, "grade = 0.6", "grade = 0.8");
    edit(
        &hiring,
        "We carry the careers pages into Q3.\"",
        "We carry the careers pages into Q3. Regraded: the referral scheme started late.\"",
    );
    edit(
        &site.join("objectives/2026/delight-customers.md"),
        "+++\n",
        "+++\nretrospective = \"Too early to tell.\"\n",
    );
    commit_as(repo.path(), "2026-08-12", "Sam", "review changes");

    let (markdown, report) = crate::diff::both(repo.path(), &["HEAD~1", "HEAD"]);
    let shape = objective(&report, "get-in-shape");
    assert_eq!(shape["change"], "removed");
    assert_eq!(old_new(fact(shape, "draft")), (false.into(), true.into()));
    assert!(
        markdown.contains("turned into a draft: it leaves the site"),
        "{markdown}"
    );
    let support = objective(&report, "support-efficiency");
    let owners = fact(key_result(support, "Decrease the average"), "owners");
    assert_eq!(
        old_new(owners),
        (serde_json::json!(["Li Wei"]), serde_json::json!(["Tomás"]))
    );
    let team = entry(&report, "teams", "id", "support");
    assert_eq!(fact(team, "name")["new"], "Customer Care");
    assert_eq!(fact(team, "parent")["old"]["id"], "operations");
    assert_eq!(fact(team, "parent")["new"]["id"], "sales");
    assert_eq!(report["summary"]["teams_changed"], 1);
    assert!(
        markdown.contains(
            "| Customer Care | renamed from “Customer Support”<br>moved from under Operations to under Sales &amp; Retail |"
        ),
        "{markdown}"
    );
    let grade = fact(objective(&report, "faster-hiring"), "grade");
    assert_eq!(old_new(grade), (0.6.into(), 0.8.into()));
    assert_eq!(grade["goalpost"], true, "a raised grade is a regrade");
    assert!(
        fact(objective(&report, "faster-hiring"), "retrospective")["new"]
            .as_str()
            .unwrap()
            .contains("Regraded")
    );
    let retrospective = fact(objective(&report, "delight-customers"), "retrospective");
    assert_eq!(
        old_new(retrospective),
        (serde_json::Value::Null, "Too early to tell.".into())
    );
    assert!(markdown.contains("| grade | 60% | 80% |"), "{markdown}");

    // A draft reaches no report unless asked for; asked for, it is a fact.
    let with = json(&diff(
        repo.path(),
        &["HEAD~1", "HEAD", "--format", "json", "--drafts"],
    ));
    let shape = objective(&with, "get-in-shape");
    assert_eq!(shape["change"], "changed");
    assert_eq!(old_new(fact(shape, "draft")), (false.into(), true.into()));
    assert!(!markdown.contains("Close the books faster"), "{markdown}");
    assert!(
        with["objectives"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["id"] != "close-books-faster"),
        "an unchanged draft is not a change"
    );

    // A grade lowered is reported but moves no goalpost.
    edit(&hiring, "grade = 0.8", "grade = 0.5");
    commit_as(repo.path(), "2026-08-13", "Sam", "lower");
    let lowered = json(&diff(repo.path(), &["HEAD~1", "HEAD", "--format", "json"]));
    assert_eq!(
        fact(objective(&lowered, "faster-hiring"), "grade")["goalpost"],
        false
    );
}

#[test]
fn history_tells_who_removed_a_key_result_regraded_or_moved_a_deadline() {
    let (repo, site) = new_repository(&common::example_site());
    commit_as(repo.path(), "2026-06-25", "Ana", "plan");
    let hiring = site.join("objectives/2026-q2/faster-hiring.md");
    edit(&hiring, "grade = 0.6", "grade = 0.8");
    commit_as(repo.path(), "2026-08-01", "Grace Okafor", "regrade Q2");
    edit(
        &site.join("okra.toml"),
        "end = 2026-08-31",
        "end = 2026-09-15",
    );
    commit_as(
        repo.path(),
        "2026-08-20",
        "Sam",
        "give the sale two more weeks",
    );
    // The guardrail, three months into 2026-Q3.
    let support = site.join(SUPPORT);
    let text = std::fs::read_to_string(&support).unwrap();
    let at = text.find("\n[[key_results]]\ntitle = \"Maintain").unwrap();
    let end = text.find("+++\nManagement").unwrap();
    std::fs::write(&support, format!("{}\n{}", &text[..at], &text[end..])).unwrap();
    commit_as(repo.path(), "2026-09-20", "Sam", "drop the guardrail");

    let output = common::okra(&[
        "check",
        "--history",
        "--as-of",
        "2026-09-25",
        "--format",
        "json",
        site.to_str().unwrap(),
    ]);
    let diagnostics: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let moved: Vec<String> = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "goalposts-moved-after-start")
        .map(|d| format!("{} / {}", d["message"], d["notes"]))
        .collect();
    let has = |words: &[&str]| moved.iter().any(|m| words.iter().all(|w| m.contains(w)));
    assert!(
        has(&[
            "“Maintain the customer support satisfaction score of 9.0+” was removed from `support-efficiency` on 2026-09-20",
            "by Sam"
        ]),
        "{moved:#?}"
    );
    assert!(
        has(&[
            "the grade of `faster-hiring` was raised from 60% to 80% on 2026-08-01",
            "by Grace Okafor"
        ]),
        "{moved:#?}"
    );
    assert!(
        has(&[
            "the end of period `summer-sale` moved from 2026-08-31 to 2026-09-15 on 2026-08-20",
            "by Sam"
        ]),
        "{moved:#?}"
    );
    assert_eq!(moved.len(), 3, "{moved:#?}");

    // The activity page lists them, newest first, with who and when.
    let out = tempfile::tempdir().unwrap();
    build_with_history(&site, out.path(), &["--as-of", "2026-09-25"]);
    let page = std::fs::read_to_string(out.path().join("activity.html")).unwrap();
    let removed = page
        .find("key result removed")
        .expect("the removal is listed");
    let extended = page.find("period end 2026-08-31 → 2026-09-15").unwrap();
    let regraded = page.find("regraded 60% → 80%").unwrap();
    assert!(removed < extended && extended < regraded, "{page}");
    assert!(page.contains("Grace Okafor"), "{page}");
    let home = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(home.contains("href=\"activity.html\""), "the menu links it");
    // Without --history there is no activity page and no link to one.
    let plain = common::built_site(&site);
    assert!(!plain.path().join("public/activity.html").exists());
    let home = std::fs::read_to_string(plain.path().join("public/index.html")).unwrap();
    assert!(!home.contains("activity.html"));
}

/// Builds `site` with `--history --as-of DAY` and returns the goalposts
/// of the resolution-time key result.
fn moves_known_on(site: &Path, day: &str) -> Vec<serde_json::Value> {
    let out = tempfile::tempdir().unwrap();
    build_with_history(site, out.path(), &["--as-of", day]);
    goalposts(out.path())
}

fn target_moves(moves: &[serde_json::Value]) -> Vec<(String, f64, f64)> {
    moves
        .iter()
        .filter(|g| g["field"] == "target")
        .map(|g| {
            (
                g["date"].as_str().unwrap().to_string(),
                g["old"].as_f64().unwrap(),
                g["new"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_merged_pull_request_is_dated_by_its_merge() {
    let (repo, site) = new_repository(&common::example_site());
    commit_as(repo.path(), "2026-06-25", "Ana", "plan");
    git(repo.path(), &["checkout", "-q", "-b", "pr"]);
    edit(&site.join(SUPPORT), "target = 3.0", "target = 3.5");
    commit_as(repo.path(), "2026-07-10", "Sam", "an easier target");
    git(repo.path(), &["checkout", "-q", "main"]);
    edit(
        &site.join("objectives/2026-q3/engagement-and-motivation.md"),
        "current = 3\n",
        "current = 4\n",
    );
    commit_as(repo.path(), "2026-07-20", "Ana", "meanwhile on main");
    let stamp = "2026-08-05T12:00:00Z";
    git_with(
        repo.path(),
        &[
            "merge",
            "-q",
            "--no-ff",
            "-m",
            "Merge pull request #7",
            "pr",
        ],
        &[("GIT_AUTHOR_DATE", stamp), ("GIT_COMMITTER_DATE", stamp)],
    );
    let merge = git(repo.path(), &["rev-parse", "--short=7", "HEAD"]);

    assert_eq!(
        target_moves(&moves_known_on(&site, "2026-09-01")),
        [("2026-08-05".to_string(), 3.0, 3.5)]
    );
    let moves = moves_known_on(&site, "2026-09-01");
    assert_eq!(moves[0]["commit"], merge.trim(), "the merge brought it");
    // The value edited in place on main is an update on the activity page.
    let out = tempfile::tempdir().unwrap();
    build_with_history(&site, out.path(), &["--as-of", "2026-09-01"]);
    let activity = std::fs::read_to_string(out.path().join("activity.html")).unwrap();
    let edited = activity
        .lines()
        .find(|l| l.contains("written in place"))
        .expect("the edit is listed");
    assert!(
        edited.contains("2026-07-20") && edited.contains("Ana"),
        "{edited}"
    );
    // On 2026-08-01 the branch had not taken the change.
    assert!(target_moves(&moves_known_on(&site, "2026-08-01")).is_empty());
    // `okra diff` of the merge reports it too.
    let report = json(&diff(repo.path(), &["HEAD~1", "HEAD", "--format", "json"]));
    let kr = key_result(
        objective(&report, "support-efficiency"),
        "Decrease the average",
    );
    assert_eq!(old_new(fact(kr, "target")), (3.0.into(), 3.5.into()));
}

#[test]
fn rebased_squashed_and_imported_histories_are_read_in_the_branchs_order() {
    // Rebased: every commit has the committer date of the rebase; the
    // authors' dates are older and out of order.
    let (repo, site) = new_repository(&common::example_site());
    let commit = |author_date: &str, committer_date: &str, message: &str| {
        git(repo.path(), &["add", "-A"]);
        git_with(
            repo.path(),
            &["commit", "-q", "-m", message],
            &[
                ("GIT_AUTHOR_DATE", author_date),
                ("GIT_COMMITTER_DATE", committer_date),
            ],
        );
    };
    let rebase = "2026-08-03T09:00:00Z";
    commit("2026-06-25T12:00:00Z", rebase, "plan");
    edit(&site.join(SUPPORT), "target = 3.0", "target = 3.2");
    commit("2026-07-30T12:00:00Z", rebase, "first");
    edit(&site.join(SUPPORT), "target = 3.2", "target = 3.5");
    commit("2026-07-02T12:00:00Z", rebase, "second, written earlier");
    assert_eq!(
        target_moves(&moves_known_on(&site, "2026-09-01")),
        [
            ("2026-08-03".to_string(), 3.0, 3.2),
            ("2026-08-03".to_string(), 3.2, 3.5)
        ]
    );

    // Imported, with a clock that went backwards: a commit is never dated
    // before the one the branch had before it.
    edit(&site.join(SUPPORT), "target = 3.5", "target = 3.6");
    commit("2026-08-04T12:00:00Z", "2026-08-01T12:00:00Z", "clock skew");
    let moves = target_moves(&moves_known_on(&site, "2026-09-01"));
    assert_eq!(moves[2], ("2026-08-03".to_string(), 3.5, 3.6));

    // Squashed: the pull request's commits are one commit on the branch.
    let (repo, site) = new_repository(&common::example_site());
    commit_as(repo.path(), "2026-06-25", "Ana", "plan");
    git(repo.path(), &["checkout", "-q", "-b", "pr"]);
    edit(&site.join(SUPPORT), "target = 3.0", "target = 3.2");
    commit_as(repo.path(), "2026-07-10", "Sam", "one");
    edit(&site.join(SUPPORT), "target = 3.2", "target = 3.5");
    commit_as(repo.path(), "2026-07-11", "Sam", "two");
    git(repo.path(), &["checkout", "-q", "main"]);
    git(repo.path(), &["merge", "-q", "--squash", "pr"]);
    commit_as(repo.path(), "2026-08-06", "Sam", "Squashed pull request #8");
    assert_eq!(
        target_moves(&moves_known_on(&site, "2026-09-01")),
        [("2026-08-06".to_string(), 3.0, 3.5)]
    );
}

#[test]
fn every_check_in_and_measurement_says_who_reported_it() {
    let (repo, site) = new_repository(&common::example_site());
    commit_as(repo.path(), "2026-06-25", "Ana Planner", "plan");
    add_checkin(&site, "2026-08-24", 4.2, Some("Fewer reopened tickets."));
    commit_as(repo.path(), "2026-08-25", "Li Wei", "support check-in");
    let csv = site.join("kpis/tickets-per-customer.csv");
    let mut rows = std::fs::read_to_string(&csv).unwrap();
    rows.push_str("2026-09-01,0.8\n");
    std::fs::write(&csv, rows).unwrap();
    // A draft's check-in and a private KPI's measurement, which no output
    // may show.
    edit(
        &site.join("objectives/2026-q4/close-books-faster.md"),
        "unit = \"days\"\n",
        "unit = \"days\"\n[[key_results.checkins]]\ndate = 2026-09-01\nvalue = 9\nnote = \"DRAFT-CHECKIN\"\n",
    );
    edit(
        &site.join("kpis/employee-turnover.md"),
        "[[measurements]]\ndate = 2025-09-01\n",
        "[[measurements]]\ndate = 2026-09-01\nvalue = 47.5\n\n[[measurements]]\ndate = 2025-09-01\n",
    );
    commit_as(repo.path(), "2026-09-02", "Dana Ruiz", "September numbers");

    let out = tempfile::tempdir().unwrap();
    build_with_history(&site, out.path(), &["--as-of", "2026-09-05"]);
    let read = |path: &str| std::fs::read_to_string(out.path().join(path)).unwrap();
    let data: serde_json::Value = serde_json::from_str(&read("data.json")).unwrap();
    let kr = key_result(
        entry(&data, "objectives", "id", "support-efficiency"),
        "Decrease the average",
    );
    let checkins = kr["checkins"]
        .as_array()
        .unwrap_or_else(|| panic!("{kr:#}"));
    let latest = checkins.last().unwrap();
    assert_eq!(latest["reported"]["author"], "Li Wei", "{latest:#}");
    assert_eq!(latest["reported"]["date"], "2026-08-25");
    assert_eq!(checkins[0]["reported"]["author"], "Ana Planner");
    let kpi = entry(&data, "kpis", "id", "tickets-per-customer");
    let september = entry(kpi, "measurements", "date", "2026-09-01");
    assert_eq!(september["reported"]["author"], "Dana Ruiz");
    assert_eq!(september["reported"]["commit"].as_str().unwrap().len(), 7);

    let page = read("objectives/support-efficiency.html");
    assert!(
        page.contains("(check-in of 2026-08-24, reported by Li Wei on 2026-08-25)"),
        "the current value says who reported it"
    );
    assert!(page.contains("<th scope=\"col\">Reported by</th>"));
    assert!(page.contains("<td>Ana Planner on 2026-06-25</td>"));
    let kpi_page = read("kpis/tickets-per-customer.html");
    assert!(
        kpi_page.contains("<td>Dana Ruiz on 2026-09-02</td>"),
        "{kpi_page}"
    );

    let activity = read("activity.html");
    let li = activity
        .find("4.2 minutes")
        .expect("the check-in is listed");
    let dana = activity.find("0.8").expect("the measurement is listed");
    assert!(dana < li, "newest first");
    for secret in [
        "DRAFT-CHECKIN",
        "Close the books",
        "47.5",
        "Employee turnover",
    ] {
        assert!(!activity.contains(secret), "{secret} on the activity page");
        assert!(!read("data.json").contains(secret), "{secret} in data.json");
    }

    // The digest and the pull-request comment say who, too.
    let report = json(&digest(
        repo.path(),
        &[
            "--since",
            "2026-08-20",
            "--as-of",
            "2026-09-05",
            "--format",
            "json",
        ],
    ));
    let checkin = entry(&report, "checkins", "date", "2026-08-24");
    assert_eq!(checkin["reported"]["author"], "Li Wei");
    let markdown = common::stdout(&okra_in(
        repo.path(),
        "digest",
        &["--since", "2026-08-20", "--as-of", "2026-09-05"],
    ));
    assert!(markdown.contains("| Li Wei on 2026-08-25 (`"), "{markdown}");
    assert!(!markdown.contains("DRAFT"), "{markdown}");
    let text = common::stdout(&okra_in(
        repo.path(),
        "digest",
        &[
            "--since",
            "2026-08-20",
            "--as-of",
            "2026-09-05",
            "--format",
            "text",
        ],
    ));
    assert!(
        text.contains("“Fewer reopened tickets.” (reported by Li Wei on 2026-08-25)"),
        "{text}"
    );
    assert!(!text.contains('|') && !text.contains("DRAFT"), "{text}");
    let comment = common::stdout(&diff(
        repo.path(),
        &["HEAD~2", "HEAD~1", "--as-of", "2026-09-05"],
    ));
    assert!(
        comment.contains("check-in 2026-08-24 by Li Wei (`"),
        "{comment}"
    );
}

#[test]
fn the_digest_tells_new_objectives_last_updates_and_milestones_as_they_were() {
    let (repo, site) = new_repository(&common::example_site());
    commit_as(repo.path(), "2026-07-01", "Ana", "Q3 plan");
    common::write(
        &site,
        "objectives/2026-q3/new-returns-flow.md",
        "+++\ntitle = \"Make returns painless\"\nowner = \"support\"\nperiod = \"2026-Q3\"\n\
         [[key_results]]\ntitle = \"Raise the returns score from 6 to 8\"\nowner = \"Ana\"\nstart = 6\ntarget = 8\ncurrent = 7\n\
         [[key_results]]\ntitle = \"Ship the returns portal\"\nowner = \"Ana\"\nkind = \"milestone\"\ndue = 2026-09-30\n\
         [[key_results.checkins]]\ndate = 2026-08-11\nvalue = 0.8\n+++\n",
    );
    commit_as(repo.path(), "2026-08-12", "Ana", "a new objective");
    edit(
        &site.join("objectives/2026-q3/new-returns-flow.md"),
        "current = 7",
        "current = 7.5",
    );
    commit_as(repo.path(), "2026-09-10", "Ana", "later");

    // As of 2026-08-20 the September edit is not known.
    let report = json(&okra_in(
        repo.path(),
        "digest",
        &[
            "--since",
            "2026-08-01",
            "--as-of",
            "2026-08-20",
            "--format",
            "json",
        ],
    ));
    let new = entry(&report, "moved", "id", "new-returns-flow");
    assert_eq!(new["added"], true);
    assert!(new["new_progress"].as_f64().is_some(), "{new:#}");
    let checkin = entry(&report, "checkins", "key_result", "Ship the returns portal");
    assert_eq!(checkin["value"], "80% done");
    let markdown = common::stdout(&okra_in(
        repo.path(),
        "digest",
        &["--since", "2026-08-01", "--as-of", "2026-08-20"],
    ));
    assert!(!markdown.contains("no data → no data"), "{markdown}");
    assert!(markdown.contains("| new: "), "{markdown}");
    let text = serde_json::to_string(&report).unwrap();
    assert!(!text.contains("7.5"), "a later file was read: {text}");

    // "Not updated" gives each key result's own last update.
    let report = json(&okra_in(
        repo.path(),
        "digest",
        &[
            "--since",
            "2026-09-01",
            "--as-of",
            "2026-09-12",
            "--format",
            "json",
        ],
    ));
    let stale = entry(
        &report,
        "not_updated",
        "key_result",
        "Ship the returns portal",
    );
    assert_eq!(stale["reason"], "last updated 2026-08-11");
    let edited = report["not_updated"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["objective"] == "support-efficiency")
        .expect("support-efficiency was not updated since 2026-09-01");
    assert_eq!(edited["reason"], "last updated 2026-08-10");
    assert!(
        !serde_json::to_string(&report)
            .unwrap()
            .contains("no update since")
    );

    // The positional DIR of `check` and `build`.
    let output = common::okra(&[
        "digest",
        "--since",
        "2026-08-01",
        "--as-of",
        "2026-08-20",
        site.to_str().unwrap(),
    ]);
    common::assert_exit(&output, 0);
    assert!(common::stdout(&output).contains("Make returns painless"));
}

#[test]
fn report_cells_say_what_a_guardrail_is_and_never_minus_zero() {
    let (repo, site) = new_repository(&common::example_site());
    commit_as(repo.path(), "2026-07-01", "Ana", "Q3 plan");
    edit(&site.join(SUPPORT), "min = 9.0", "min = 9.2");
    edit(
        &site.join("objectives/2026-q3/engagement-and-motivation.md"),
        "current = 3\n",
        "current = 2.999\n",
    );
    commit_as(repo.path(), "2026-08-12", "Ana", "guardrail");
    let markdown = common::stdout(&diff(repo.path(), &["HEAD~1", "HEAD"]));
    let row = markdown
        .lines()
        .find(|l| l.starts_with("| Maintain the customer support satisfaction"))
        .expect("the guardrail's row");
    assert!(row.contains("| guardrail |"), "{row}");
    assert!(!markdown.contains("-0%"), "{markdown}");
}

#[test]
fn a_hostile_author_name_stays_text_everywhere_it_is_shown() {
    let (repo, site) = new_repository(&common::example_site());
    commit_as(repo.path(), "2026-06-25", "Ana", "plan");
    add_checkin(&site, "2026-08-24", 4.2, None);
    edit(&site.join(SUPPORT), "target = 3.0", "target = 3.5");
    // git drops `<` and `>` from names; the rest reaches okra as written.
    let hostile = "Eve & \"Mallory\" @octocat [x](javascript:alert(1)) | `tick`";
    commit_as(repo.path(), "2026-08-25", hostile, "check-in");
    let out = tempfile::tempdir().unwrap();
    build_with_history(&site, out.path(), &["--as-of", "2026-09-05"]);
    for page in ["activity.html", "objectives/support-efficiency.html"] {
        let html = std::fs::read_to_string(out.path().join(page)).unwrap();
        assert!(
            html.contains("Eve &amp; &quot;Mallory&quot;"),
            "{page}: the name, escaped"
        );
    }
    let since = ["--since", "2026-08-20", "--as-of", "2026-09-05"];
    let markdown = common::stdout(&digest(repo.path(), &since));
    let text = common::stdout(&okra_in(
        repo.path(),
        "digest",
        &[&since[..], &["--format", "text"]].concat(),
    ));
    let comment = common::stdout(&diff(
        repo.path(),
        &["HEAD~1", "HEAD", "--as-of", "2026-09-05"],
    ));
    for (what, report) in [("digest", &markdown), ("text", &text), ("diff", &comment)] {
        assert!(report.contains("octocat"), "{what}: {report}");
        assert!(!report.contains("@octocat"), "{what}: a live mention");
    }
    crate::diff::assert_inert(&markdown, "digest");
    crate::diff::assert_inert(&comment, "diff");
}
