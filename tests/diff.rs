//! `okra diff` on a real git repository made from the example site: every
//! kind of change is named with its old and new values, the Markdown report
//! is snapshotted, and the repository is never touched.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

pub(crate) fn git(repo: &Path, args: &[&str]) -> String {
    git_with(repo, args, &[])
}

/// `git` with `env` set, e.g. the dates of a commit.
pub(crate) fn git_with(repo: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let output = Command::new("git")
        .envs(env.iter().copied())
        .arg("-C")
        .arg(repo)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub(crate) fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// A fresh git repository (not yet committed to) whose `okrs/` folder is
/// a copy of the site at `from`; returns it and that folder.
pub(crate) fn new_repository(from: &Path) -> (tempfile::TempDir, std::path::PathBuf) {
    let repo = tempfile::tempdir().unwrap();
    let site = repo.path().join("okrs");
    std::fs::create_dir_all(&site).unwrap();
    common::copy_dir(from, &site);
    git(repo.path(), &["init", "-q", "-b", "main"]);
    (repo, site)
}

/// A repository whose `okrs/` folder is the example site, with two commits:
/// the site, then a change that touches every kind of fact.
fn repository() -> tempfile::TempDir {
    let (repo, site) = new_repository(&common::example_site());
    // Links to files would name each run's commits: the report's snapshot
    // is taken without them (a test of its own gives `--repository`).
    edit(
        &site.join("okra.toml"),
        "repository = \"https://git.intranet.example/northwind/okrs\"\n",
        "",
    );
    common::write(repo.path(), "README.md", "Our OKRs\n");
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "OKRs for 2026"]);

    let objectives = site.join("objectives");
    // A value moves, a target moves, a key result is added and one removed.
    edit(
        &objectives.join("2026-q3/support-efficiency.md"),
        "start = 1.5\ntarget = 0.5",
        "start = 1.5\ntarget = 0.8",
    );
    edit(
        &objectives.join("2026-q3/support-efficiency.md"),
        "date = 2026-08-10\nvalue = 4.6",
        "date = 2026-08-10\nvalue = 3.9",
    );
    edit(
        &objectives.join("2026-q3/engagement-and-motivation.md"),
        "current = 3\n",
        "current = 2\n",
    );
    edit(
        &objectives.join("2026-q3/open-new-storefronts.md"),
        "[[key_results]]\ntitle = \"Prepare our entry",
        "[[key_results]]\nid = \"japan\"\ntitle = \"Prepare our entry",
    );
    edit(
        &objectives.join("2026-q3/improve-gross-margin.md"),
        "+++\nMoves",
        "\n[[key_results]]\nid = \"returns\"\ntitle = \"Cut returns from 8% to 6%\"\nstart = 8\ntarget = 6\ncurrent = 7.5\nunit = \"%\"\n+++\nMoves",
    );
    // A key result is dropped, an ended objective is graded by hand.
    edit(
        &objectives.join("2026-q3/open-new-storefronts.md"),
        "title = \"Sell 100 units per store per day\"\n",
        "title = \"Sell 100 units per store per day\"\ndropped = \"The Lyon store opens in October\"\n",
    );
    edit(
        &objectives.join("2026-q2/faster-first-response.md"),
        "commitment = \"committed\"\n",
        "commitment = \"committed\"\ngrade = 0.9\n",
    );
    edit(
        &objectives.join("2026-q3/open-new-storefronts.md"),
        "contributors = [\"marketing\"]",
        "contributors = [\"marketing\", \"online-shop\"]",
    );
    // An objective is removed, one added, one moves period, one breaks a reference.
    std::fs::remove_file(objectives.join("2026-q2/faster-hiring.md")).unwrap();
    common::write(
        &site,
        "objectives/2026-q3/self-service.md",
        "+++\ntitle = \"Launch self-service help\"\nowner = \"support\"\nperiod = \"2026-Q3\"\nparent = \"delight-customers\"\n\n[[key_results]]\ntitle = \"Publish 50 help articles\"\nstart = 0\ntarget = 50\ncurrent = 12\n+++\n",
    );
    edit(
        &objectives.join("2026-q3/get-in-shape.md"),
        "period = \"2026-Q3\"",
        "period = \"2026-08\"",
    );
    edit(
        &objectives.join("2026-q3/education-and-training.md"),
        "parent = \"engagement-and-motivation\"",
        "parent = \"engagement\"",
    );
    edit(
        &objectives.join("2026-q3/online-conversion.md"),
        "parent = [\"increase-retail-revenue\", \"delight-customers\"]",
        "parent = \"increase-retail-revenue\"",
    );
    edit(
        &objectives.join("2026-q3/online-conversion.md"),
        "kpi = \"checkout-conversion\"",
        "kpi = \"checkout-conversion\"\ncommitment = \"learning\"",
    );
    // KPIs: new data, a loosened band, rewritten history.
    std::fs::write(
        site.join("kpis/tickets-per-customer.csv"),
        std::fs::read_to_string(site.join("kpis/tickets-per-customer.csv")).unwrap()
            + "2026-08-08,0.8\n",
    )
    .unwrap();
    edit(
        &site.join("kpis/csat.md"),
        "healthy = { min = 9.0 }",
        "healthy = { min = 8.5 }",
    );
    edit(
        &site.join("kpis/engagement-score.md"),
        "date = 2026-08-01\nvalue = 80",
        "date = 2026-08-01\nvalue = 81",
    );
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "Q3 check-in"]);
    repo
}

pub(crate) fn diff(repo: &Path, args: &[&str]) -> Output {
    okra_in(repo, "diff", args)
}

/// `okra COMMAND ARGS --root REPO/okrs`.
pub(crate) fn okra_in(repo: &Path, command: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_okra"))
        .arg(command)
        .args(args)
        .args(["--root", repo.join("okrs").to_str().unwrap()])
        .output()
        .expect("okra runs")
}

/// The entry of `parent[list]` whose `key` is `value`.
pub(crate) fn entry<'a>(
    parent: &'a serde_json::Value,
    list: &str,
    key: &str,
    value: &str,
) -> &'a serde_json::Value {
    parent[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e[key] == value)
        .unwrap_or_else(|| panic!("no {list} with {key} {value} in {parent:#}"))
}

pub(crate) fn objective<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    entry(report, "objectives", "id", id)
}

pub(crate) fn key_result<'a>(
    objective: &'a serde_json::Value,
    title: &str,
) -> &'a serde_json::Value {
    objective["key_results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["title"].as_str().unwrap().starts_with(title))
        .unwrap_or_else(|| panic!("no key result {title} in {objective:#}"))
}

pub(crate) fn fact<'a>(item: &'a serde_json::Value, field: &str) -> &'a serde_json::Value {
    entry(item, "facts", "field", field)
}

fn kpi<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    entry(report, "kpis", "id", id)
}

pub(crate) fn old_new(fact: &serde_json::Value) -> (serde_json::Value, serde_json::Value) {
    (fact["old"].clone(), fact["new"].clone())
}

#[test]
fn every_change_is_named_with_old_and_new_values() {
    let repo = repository();
    let status_before = git(repo.path(), &["status", "--porcelain"]);
    let output = diff(repo.path(), &["HEAD~1", "HEAD", "--format", "json"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    use serde_json::json;

    let support = objective(&report, "support-efficiency");
    assert_eq!(support["change"], "changed");
    assert_eq!(
        support["path"],
        "okrs/objectives/2026-q3/support-efficiency.md"
    );
    let tickets = key_result(support, "Decrease tickets");
    let target = fact(tickets, "target");
    assert_eq!(old_new(target), (json!(0.5), json!(0.8)));
    assert_eq!(target["goalpost"], true);
    assert_eq!(tickets["before"]["target"], 0.5);
    assert_eq!(tickets["after"]["unit"], "tickets");
    let resolve = key_result(support, "Decrease the average time");
    assert_eq!(
        (
            resolve["before"]["value"].as_f64(),
            resolve["after"]["value"].as_f64()
        ),
        (Some(4.6), Some(3.9))
    );
    assert_eq!(
        old_new(fact(resolve, "status")),
        (json!("at risk"), json!("on track"))
    );
    let rewritten = fact(resolve, "checkin-changed");
    assert_eq!(
        rewritten["goalpost"], true,
        "rewriting a check-in moves history"
    );

    let engagement = objective(&report, "engagement-and-motivation");
    let complaints = key_result(engagement, "Reduce the number of complaints");
    let progress = fact(complaints, "progress");
    assert!(progress["old"].as_f64().unwrap() < progress["new"].as_f64().unwrap());

    let added = objective(&report, "self-service");
    assert_eq!(
        (added["change"].as_str(), added["team"].as_str()),
        (Some("added"), Some("support"))
    );
    let articles = key_result(added, "Publish 50 help articles");
    assert_eq!(
        articles["after"]["target"], 50.0,
        "a new objective lists its targets"
    );
    assert_eq!(objective(&report, "faster-hiring")["change"], "removed");
    assert_eq!(objective(&report, "faster-hiring")["period"], "2026-Q2");
    assert_eq!(
        old_new(fact(objective(&report, "get-in-shape"), "period")),
        (json!("2026-Q3"), json!("2026-08"))
    );
    let reparented = fact(objective(&report, "education-and-training"), "parent");
    assert_eq!(reparented["new"], json!({"id": "engagement"}));
    assert_eq!(
        reparented["old"]["title"],
        "Increase team engagement and motivation"
    );
    let also = fact(objective(&report, "online-conversion"), "other-parents");
    assert_eq!(
        old_new(also),
        (
            json!([{"id": "delight-customers", "title": "Delight our customers"}]),
            json!([])
        )
    );
    let learning = fact(
        key_result(
            objective(&report, "online-conversion"),
            "Raise checkout conversion from 2.1% to 2.8%",
        ),
        "commitment",
    );
    assert_eq!(
        old_new(learning),
        (json!("aspirational"), json!("learning"))
    );
    assert_eq!(
        learning["goalpost"], true,
        "a key result that stops counting"
    );
    let margin = objective(&report, "improve-gross-margin");
    let returns = key_result(margin, "Cut returns");
    assert_eq!(
        (returns["change"].as_str(), returns["id"].as_str()),
        (Some("added"), Some("returns"))
    );

    // Giving a key result an id keeps it the same key result: no row.
    let storefronts = objective(&report, "open-new-storefronts");
    assert!(
        storefronts["key_results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| !k["title"]
                .as_str()
                .unwrap()
                .starts_with("Prepare our entry")),
        "{storefronts:#}"
    );
    let dropped = fact(key_result(storefronts, "Sell 100 units"), "dropped");
    assert_eq!(dropped["new"], "The Lyon store opens in October");
    assert_eq!(
        dropped["goalpost"], true,
        "dropping one moves the goalposts"
    );
    assert_eq!(
        fact(storefronts, "contributors")["new"],
        json!(["marketing", "online-shop"])
    );
    assert_eq!(
        old_new(fact(objective(&report, "faster-first-response"), "grade")),
        (serde_json::Value::Null, json!(0.9))
    );

    let data = fact(kpi(&report, "tickets-per-customer"), "measurements-added");
    assert_eq!(data["new"]["count"], 1);
    assert_eq!(data["new"]["latest"]["value"].as_f64(), Some(0.8));
    let band = fact(kpi(&report, "csat"), "healthy-band");
    assert_eq!(
        (band["old"]["min"].as_f64(), band["new"]["min"].as_f64()),
        (Some(9.0), Some(8.5))
    );
    assert_eq!(band["goalpost"], true);
    assert_eq!(
        fact(kpi(&report, "engagement-score"), "measurement-changed")["goalpost"],
        true
    );

    let introduced = report["introduced"].as_array().unwrap();
    assert!(introduced.iter().any(|f| f["code"] == "unknown-parent"
        && f["file"] == "objectives/2026-q3/education-and-training.md"));
    assert_eq!(report["head_errors"], 1);
    let summary = &report["summary"];
    assert_eq!(summary["objectives_added"], 1);
    assert_eq!(summary["objectives_removed"], 1);
    assert_eq!(summary["key_results_added"], 2);
    assert_eq!(summary["key_results_removed"], 0);
    assert_eq!(summary["goalposts"], 6);
    assert_eq!(summary["errors_introduced"], 1);
    let fixed = report["fixed"].as_array().unwrap();
    assert!(
        fixed.is_empty() || fixed.iter().all(|f| f["severity"] == "warning"),
        "{fixed:#?}"
    );

    assert_eq!(
        git(repo.path(), &["status", "--porcelain"]),
        status_before,
        "the work tree is untouched"
    );
}

#[test]
fn the_markdown_report_is_ready_for_a_pull_request() {
    let repo = repository();
    let output = diff(repo.path(), &["HEAD~1", "HEAD"]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("### okra diff: `HEAD~1` → `HEAD`\n"));
    assert!(text.contains("**⚠️ 6 goalposts moved**"), "{text}");
    assert!(
        text.contains("| target | 0.5 tickets | 0.8 tickets |"),
        "{text}"
    );
    insta::assert_snapshot!("diff_markdown", text);
}

#[test]
fn the_work_tree_is_the_default_head_and_errors_can_fail_the_run() {
    let repo = repository();
    edit(
        &repo
            .path()
            .join("okrs/objectives/2026-q3/support-efficiency.md"),
        "target = 0.8",
        "target = 0.7",
    );
    let output = diff(repo.path(), &["HEAD", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["head"], "work tree");
    let support = objective(&report, "support-efficiency");
    let target = fact(key_result(support, "Decrease tickets"), "target");
    assert_eq!(
        (target["old"].as_f64(), target["new"].as_f64()),
        (Some(0.8), Some(0.7))
    );
    assert_eq!(
        support["url"],
        serde_json::Value::Null,
        "the work tree has no commit to link to"
    );
    assert_eq!(
        diff(repo.path(), &["HEAD", "--fail-on-errors"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        diff(repo.path(), &["HEAD~1", "HEAD~1", "--fail-on-errors"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn missing_revisions_and_git_are_usage_errors() {
    let repo = repository();
    let missing = diff(repo.path(), &["no-such-branch"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("`no-such-branch` is not a revision")
    );
    let option = diff(repo.path(), &["--", "--output=/tmp/x"]);
    assert_eq!(option.status.code(), Some(2));

    let empty = tempfile::tempdir().unwrap();
    let no_git = Command::new(env!("CARGO_BIN_EXE_okra"))
        .args(["diff", "HEAD", "--root"])
        .arg(repo.path().join("okrs"))
        .env("PATH", empty.path())
        .output()
        .unwrap();
    assert_eq!(no_git.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_git.stderr).contains("`git` command was not found"));

    let not_a_repo = Command::new(env!("CARGO_BIN_EXE_okra"))
        .args(["diff", "HEAD", "--root"])
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(not_a_repo.status.code(), Some(2));
}

#[test]
fn private_kpis_stay_out_of_the_report() {
    let repo = repository();
    edit(
        &repo.path().join("okrs/kpis/employee-turnover.md"),
        "value = 11\n",
        "value = 10.5\n",
    );
    git(repo.path(), &["commit", "-q", "-am", "turnover"]);
    let output = diff(repo.path(), &["HEAD~1", "HEAD", "--format", "json"]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        !text.contains("employee-turnover") && !text.contains("Employee turnover"),
        "{text}"
    );
    let with = diff(
        repo.path(),
        &["HEAD~1", "HEAD", "--format", "json", "--include-private"],
    );
    assert!(
        String::from_utf8(with.stdout)
            .unwrap()
            .contains("employee-turnover")
    );
}

#[test]
fn values_and_problems_of_private_kpis_never_reach_the_report() {
    let repo = repository();
    let site = repo.path().join("okrs");
    // The private KPI's unit says what it measures.
    edit(
        &site.join("kpis/employee-turnover.md"),
        "unit = \"% per year\"",
        "unit = \"leavers-per-year\"",
    );
    // A key result that inherits its start and current value from the
    // private KPI (an error at the head: a public objective exposes it).
    edit(
        &site.join("objectives/2026-q3/improve-gross-margin.md"),
        "+++\nMoves",
        "\n[[key_results]]\nid = \"turnover\"\ntitle = \"Cut turnover\"\nkpi = \"employee-turnover\"\ntarget = 9\n+++\nMoves",
    );
    git(
        repo.path(),
        &["commit", "-q", "-am", "tie a key result to turnover"],
    );
    edit(
        &site.join("kpis/employee-turnover.md"),
        "value = 11\n",
        "value = 10.37\n",
    );
    // A change that shows the key result's row, with its target.
    edit(
        &site.join("objectives/2026-q3/improve-gross-margin.md"),
        "target = 9\n",
        "target = 8\n",
    );
    // A problem in the private KPI's own file that does not name it.
    edit(
        &site.join("kpis/employee-turnover.md"),
        "cadence = \"monthly\"",
        "cadence = \"fortnightly\"",
    );
    git(repo.path(), &["commit", "-q", "-am", "turnover moves"]);
    let output = diff(repo.path(), &["HEAD~1", "HEAD", "--format", "json"]);
    let json = String::from_utf8(output.stdout).unwrap();
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        !json.contains("10.37")
            && !json.contains("employee-turnover.md")
            && !json.contains("leavers-per-year"),
        "{json}"
    );
    assert!(report["head_errors"].as_u64().unwrap() >= 1, "{json}");
    let markdown = diff(repo.path(), &["HEAD~1", "HEAD"]);
    let markdown = String::from_utf8(markdown.stdout).unwrap();
    assert!(
        !markdown.contains("10.37")
            && !markdown.contains("fortnightly")
            && !markdown.contains("leavers-per-year"),
        "{markdown}"
    );
    assert!(
        markdown.contains("error"),
        "the reader learns the head has errors:\n{markdown}"
    );
    let with = diff(
        repo.path(),
        &["HEAD~1", "HEAD", "--format", "json", "--include-private"],
    );
    assert!(String::from_utf8(with.stdout).unwrap().contains("10.37"));
}

/// The report as GitHub would show it: CommonMark with GFM tables, HTML
/// kept.
fn to_html(markdown: &str) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.render.r#unsafe = true;
    comrak::markdown_to_html(markdown, &options)
}

/// Each table of the HTML: its first header cell and its body rows.
fn tables(html: &str) -> Vec<(String, usize)> {
    html.split("<table>")
        .skip(1)
        .map(|table| {
            let table = &table[..table.find("</table>").expect("every table closes")];
            let header = table
                .split("<th>")
                .nth(1)
                .map(|h| h[..h.find("</th>").unwrap()].to_string())
                .unwrap_or_default();
            let rows = table
                .split("<tbody>")
                .nth(1)
                .map_or(0, |body| body.matches("<tr>").count());
            (header, rows)
        })
        .collect()
}

/// Renders a Markdown report and checks it reads as intended: every table
/// is a table, every `<details>` closes, and the counts of the summary are
/// the rows of the tables.
fn check_report(markdown: &str, report: &serde_json::Value) {
    let html = to_html(markdown);
    assert!(!html.contains("|---"), "a table rendered as text:\n{html}");
    assert_eq!(
        html.matches("<details>").count(),
        html.matches("</details>").count(),
        "{html}"
    );
    let tables = tables(&html);
    let rows = |header: &str| -> usize {
        tables
            .iter()
            .filter(|(h, _)| h == header)
            .map(|(_, n)| n)
            .sum()
    };
    let s = &report["summary"];
    let n = |key: &str| s[key].as_u64().unwrap() as usize;
    assert_eq!(
        rows("Key result"),
        n("key_results_added") + n("key_results_removed") + n("key_results_changed"),
        "{markdown}"
    );
    assert_eq!(rows("Objective or KPI"), n("goalposts"), "{markdown}");
    assert_eq!(
        rows("KPI"),
        n("kpis_added") + n("kpis_removed") + n("kpis_changed")
    );
    assert_eq!(
        rows(""),
        n("errors_introduced") + n("warnings_introduced") + n("errors_fixed") + n("warnings_fixed"),
        "the problems table: {markdown}"
    );
    assert_eq!(
        html.matches("<h5>").count(),
        n("objectives_added") + n("objectives_removed") + n("objectives_changed")
    );
    // The summary line says the same numbers.
    for (key, text) in [
        ("goalposts", "goalpost"),
        ("errors_introduced", "error introduced"),
        ("warnings_introduced", "warning introduced"),
    ] {
        let count = n(key);
        if count > 0 {
            let (noun, verb) = text.split_once(' ').unwrap_or((text, ""));
            let plural = if count == 1 {
                noun.to_string()
            } else {
                format!("{noun}s")
            };
            assert!(
                markdown.contains(&format!("{count} {plural} {verb}").trim_end().to_string()),
                "{key}: {markdown}"
            );
        }
    }
}

/// Runs `okra diff` in both formats and checks the Markdown against the
/// JSON.
pub(crate) fn both(repo: &Path, args: &[&str]) -> (String, serde_json::Value) {
    let json = diff(repo, &[args, &["--format", "json"]].concat());
    assert_eq!(
        json.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&json.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let markdown = String::from_utf8(diff(repo, args).stdout).unwrap();
    check_report(&markdown, &report);
    (markdown, report)
}

#[test]
fn the_example_reports_render_as_github_shows_them() {
    let repo = repository();
    let (markdown, report) = both(repo.path(), &["HEAD~1", "HEAD"]);
    assert!(markdown.contains("##### Increase the efficiency of the support team"));
    assert_eq!(report["summary"]["goalposts"], 6);
    // Many changes fold whole sections away, each keeping its header.
    let site = repo.path().join("okrs");
    for n in 0..30 {
        common::write(
            &site,
            &format!("objectives/2026-q3/extra-{n}.md"),
            format!(
                "+++\ntitle = \"Extra {n}\"\nowner = \"support\"\nperiod = \"2026-Q3\"\n[[key_results]]\ntitle = \"Answer {n} tickets\"\nstart = 0\ntarget = 10\ncurrent = 1\n+++\n"
            ),
        );
    }
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "many"]);
    let (markdown, _) = both(repo.path(), &["HEAD~2", "HEAD"]);
    assert!(markdown.contains("<details><summary>"), "{markdown}");
}

/// A repository whose `okrs/` folder holds go-ipfs's published 2018 Q4
/// OKRs, as planned.
fn ipfs_repository() -> tempfile::TempDir {
    let (repo, _) = new_repository(&common::fixture("real/ipfs"));
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "2018 Q4 plan"]);
    repo
}

#[test]
fn a_real_quarter_amended_and_reviewed_reads_as_what_happened() {
    let repo = ipfs_repository();
    let objectives = repo.path().join("okrs/objectives/2018-q4");
    // Amendment: a key result moves up from the leftovers into the Core
    // API objective, before the first one; a typo is fixed; a priority
    // rises.
    edit(
        &objectives.join("q3-leftovers.md"),
        "[[key_results]]\ntitle = \"go-ipfs gets a unixfsV2 prototype\"\nkind = \"milestone\"\npriority = \"PX\"\n\n",
        "",
    );
    edit(
        &objectives.join("programmatic-use.md"),
        "period = \"2018-Q4\"\n",
        "period = \"2018-Q4\"\n\n[[key_results]]\ntitle = \"go-ipfs gets a unixfsV2 prototype\"\nkind = \"milestone\"\npriority = \"PX\"\n",
    );
    edit(
        &objectives.join("well-maintained.md"),
        "expecations",
        "expectations",
    );
    edit(
        &objectives.join("well-maintained.md"),
        "priority = \"PX\"\nowner = \"eingenito\"\nlinks",
        "priority = \"P1\"\nowner = \"eingenito\"\nlinks",
    );
    git(repo.path(), &["commit", "-q", "-am", "Amend the Q4 OKRs"]);
    let (markdown, report) = both(repo.path(), &["HEAD~1", "HEAD"]);
    let s = &report["summary"];
    assert_eq!(
        (
            s["key_results_added"].as_u64(),
            s["key_results_removed"].as_u64(),
            s["goalposts"].as_u64()
        ),
        (Some(1), Some(1), Some(1)),
        "one key result moved (its removal from the objective it left moves that one's bar), nothing retitled or re-aimed:\n{markdown}"
    );
    assert!(
        !markdown.contains("retitled from “The Core API"),
        "{markdown}"
    );
    let maintained = objective(&report, "well-maintained");
    let guidelines = key_result(maintained, "The Go Contributing Guidelines");
    assert_eq!(guidelines["matched"], "similar");
    assert!(
        fact(guidelines, "title")["old"]
            .as_str()
            .unwrap()
            .contains("expecations")
    );
    assert_eq!(
        old_new(fact(
            key_result(maintained, "Every issue on waffle"),
            "priority"
        )),
        (serde_json::json!("PX"), serde_json::json!("P1"))
    );
    // The inserted key result took `kr1`: the lint says to give ids.
    let lint = report["introduced"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "key-result-ids")
        .expect("key-result-ids");
    assert_eq!(lint["file"], "objectives/2018-q4/programmatic-use.md");
    assert!(
        lint["message"]
            .as_str()
            .unwrap()
            .contains("`kr2` now names"),
        "{lint}"
    );

    // The review: milestones done, a grade and a retrospective.
    edit(
        &objectives.join("programmatic-use.md"),
        "title = \"The Core API is finalized and released. Make it easier to import go-ipfs as a package\"\n",
        "title = \"The Core API is finalized and released. Make it easier to import go-ipfs as a package\"\ndone = true\n",
    );
    edit(
        &objectives.join("programmatic-use.md"),
        "period = \"2018-Q4\"\n",
        "period = \"2018-Q4\"\ngrade = 0.6\n",
    );
    git(repo.path(), &["commit", "-q", "-am", "Q4 review"]);
    let (markdown, report) = both(repo.path(), &["HEAD~1", "HEAD"]);
    let programmatic = objective(&report, "programmatic-use");
    let core = key_result(programmatic, "The Core API is finalized");
    assert_eq!(
        old_new(fact(core, "done")),
        (serde_json::json!(false), serde_json::json!(true))
    );
    assert!(markdown.contains("| open → done |"), "{markdown}");
    assert_eq!(report["summary"]["key_results_changed"], 1, "{markdown}");
}

#[test]
fn fail_on_names_what_a_team_requires_approval_for() {
    let repo = repository();
    let goalposts = diff(repo.path(), &["HEAD~1", "HEAD", "--fail-on", "goalposts"]);
    assert_eq!(goalposts.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&goalposts.stderr).contains("6 goalposts moved"));
    assert_eq!(
        diff(
            repo.path(),
            &["HEAD~1", "HEAD", "--fail-on", "errors,warnings"]
        )
        .status
        .code(),
        Some(1)
    );
    // A check-in that moves only a value passes every gate.
    edit(
        &repo
            .path()
            .join("okrs/objectives/2026-q3/engagement-and-motivation.md"),
        "current = 2\n",
        "current = 1\n",
    );
    git(repo.path(), &["commit", "-q", "-am", "complaints"]);
    let output = diff(
        repo.path(),
        &[
            "HEAD~1",
            "HEAD",
            "--fail-on",
            "goalposts",
            "--fail-on",
            "warnings",
        ],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn objectives_link_to_their_file_and_name_the_parents_they_move() {
    let repo = repository();
    // The yearly objective counts its quarterly children too.
    edit(
        &repo
            .path()
            .join("okrs/objectives/2026/delight-customers.md"),
        "period = \"2026\"\n",
        "period = \"2026\"\ninclude_children = true\n",
    );
    git(repo.path(), &["commit", "-q", "-am", "count children"]);
    edit(
        &repo
            .path()
            .join("okrs/objectives/2026-q3/support-efficiency.md"),
        "target = 0.8",
        "target = 0.6",
    );
    git(repo.path(), &["commit", "-q", "-am", "closer target"]);
    let head = git(repo.path(), &["rev-parse", "HEAD"]);
    let (markdown, report) = both(
        repo.path(),
        &[
            "HEAD~1",
            "HEAD",
            "--repository",
            "https://github.com/acme/okrs",
        ],
    );
    let support = objective(&report, "support-efficiency");
    assert_eq!(
        support["impact"][0]["id"], "delight-customers",
        "{support:#}"
    );
    assert_eq!(
        support["url"],
        format!(
            "https://github.com/acme/okrs/blob/{}/okrs/objectives/2026-q3/support-efficiency.md",
            head.trim()
        )
    );
    assert!(markdown.contains(
        "##### [Increase the efficiency of the support team](https://github.com/acme/okrs/blob/"
    ));
    // A parent scored from its children moves with them.
    let mut impacts = report["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| {
            o["impact"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |i| (o["id"].clone(), i.clone()))
        });
    let (child, parent) = impacts
        .next()
        .unwrap_or_else(|| panic!("no impact in {report:#}"));
    assert!(
        parent["old_progress"] != parent["new_progress"]
            || parent["old_status"] != parent["new_status"]
    );
    assert!(
        markdown.contains(&format!(
            "- moves **{}**",
            parent["title"].as_str().unwrap()
        )),
        "{child}: {markdown}"
    );
}

/// `okra build --history` of `site` into `out`, with `extra` arguments;
/// the build must succeed.
pub(crate) fn build_with_history(site: &Path, out: &Path, extra: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_okra"))
        .args(["build", "--history"])
        .args(extra)
        .arg("-o")
        .arg(out)
        .arg(site)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Commits everything with the given date as author and committer date.
pub(crate) fn commit_at(repo: &Path, date: &str, message: &str) {
    git(repo, &["add", "-A"]);
    let stamp = format!("{date}T12:00:00");
    let env = [
        ("GIT_AUTHOR_DATE", stamp.as_str()),
        ("GIT_COMMITTER_DATE", &stamp),
    ];
    git_with(repo, &["commit", "-q", "-m", message], &env);
}

pub(crate) fn digest(repo: &Path, args: &[&str]) -> Output {
    okra_in(repo, "digest", args)
}

#[test]
fn the_digest_says_what_moved_who_checked_in_and_what_needs_attention() {
    let (repo, site) = new_repository(&common::example_site());
    commit_at(repo.path(), "2026-07-01", "Q3 plan");
    edit(
        &site.join("objectives/2026-q3/engagement-and-motivation.md"),
        "current = 3\n",
        "current = 1\n",
    );
    edit(
        &site.join("objectives/2026-q3/open-new-storefronts.md"),
        "progress = 0.6",
        "progress = 0.1",
    );
    commit_at(repo.path(), "2026-08-12", "August check-in");

    let output = digest(repo.path(), &["--since", "2026-08-01", "--format", "json"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(report["base"].as_str().is_some(), "{report:#}");
    let moved: Vec<&str> = report["moved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert!(moved.contains(&"engagement-and-motivation"), "{moved:?}");
    let checkins = report["checkins"].as_array().unwrap();
    assert!(
        checkins
            .iter()
            .any(|c| c["date"] == "2026-08-10" && c["note"].as_str().unwrap().contains("Macros")),
        "{checkins:#?}"
    );
    assert!(
        checkins
            .iter()
            .all(|c| c["date"].as_str().unwrap() >= "2026-08-01")
    );
    let off_track = report["off_track"].as_array().unwrap();
    assert!(
        off_track
            .iter()
            .any(|a| a["key_result"] == "Open the Lyon storefront"
                || a["reason"]
                    .as_str()
                    .unwrap()
                    .contains("Open the Lyon storefront")),
        "a value that fell since the date is named: {off_track:#?}"
    );
    assert!(
        off_track
            .iter()
            .all(|a| a["objective"] != "delight-customers"),
        "what was already at risk before the date is not news: {off_track:#?}"
    );
    let overdue = report["overdue"].as_array().unwrap();
    assert_eq!(overdue[0]["key_result"], "Launch the one-page checkout");
    assert_eq!(report["stale_kpis"][0]["objective"], "onboarding-pass-rate");
    let not_updated = report["not_updated"].as_array().unwrap();
    assert!(
        not_updated
            .iter()
            .any(|a| a["objective"] == "improve-gross-margin"),
        "{not_updated:#?}"
    );

    let markdown =
        String::from_utf8(digest(repo.path(), &["--since", "2026-08-01"]).stdout).unwrap();
    assert!(
        markdown.starts_with("### OKR digest: since 2026-08-01"),
        "{markdown}"
    );
    let html = to_html(&markdown);
    assert!(!html.contains("|---"), "{html}");
    assert!(
        tables(&html)
            .iter()
            .any(|(h, rows)| h == "Date" && *rows == checkins.len())
    );

    // Outside git, the digest still lists check-ins and what needs
    // attention, and says why nothing is compared.
    let plain = tempfile::tempdir().unwrap();
    common::copy_dir(&common::example_site(), plain.path());
    let output = Command::new(env!("CARGO_BIN_EXE_okra"))
        .args([
            "digest",
            "--since",
            "2026-08-01",
            "--format",
            "json",
            "--root",
        ])
        .arg(plain.path())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        report["note"]
            .as_str()
            .unwrap()
            .contains("not in a git repository")
    );
    assert!(!report["checkins"].as_array().unwrap().is_empty());
}

#[test]
fn hostile_titles_and_notes_stay_text_in_the_comment() {
    let repo = repository();
    let site = repo.path().join("okrs");
    let hostile = "Win </details><script>alert(1)</script> | @octocat #12 [x](javascript:alert(1)) <img src=x>";
    edit(
        &site.join("objectives/2026-q3/support-efficiency.md"),
        "title = \"Increase the efficiency of the support team\"",
        &format!("title = \"{}\"", hostile.replace('"', "\\\"")),
    );
    edit(
        &site.join("objectives/2026-q3/support-efficiency.md"),
        "Macros for the ten most common questions are live.",
        "</td></tr></table><details><summary>x ](javascript:alert(1)) @here",
    );
    git(repo.path(), &["commit", "-q", "-am", "hostile"]);
    let (markdown, _) = both(
        repo.path(),
        &[
            "HEAD~1",
            "HEAD",
            "--repository",
            "https://github.com/acme/okrs",
        ],
    );
    let html = to_html(&markdown);
    for bad in [
        "<script",
        "<img",
        "href=\"javascript",
        "</td></tr></table><details>",
    ] {
        assert!(!html.contains(bad), "{bad} in\n{html}");
    }
    assert!(
        !markdown.contains("@octocat") && !markdown.contains("@here"),
        "{markdown}"
    );
    assert!(
        html.contains("check-in note"),
        "the rewritten note is shown: {html}"
    );
}

#[test]
fn a_build_with_history_dates_values_edited_in_place_and_lists_moved_goalposts() {
    let (repo, site) = new_repository(&common::example_site());
    let margin = site.join("objectives/2026-q3/improve-gross-margin.md");
    edit(&margin, "current = 6.1", "current = 6.4");
    commit_at(repo.path(), "2026-07-06", "Q3 plan");
    edit(&margin, "current = 6.4", "current = 6.2");
    edit(&margin, "target = 5.5\n", "target = 5.6\n");
    commit_at(repo.path(), "2026-07-20", "July check-in");
    // A commit that touches no value adds no point.
    edit(&margin, "Moves [gross margin]", "Moves our [gross margin]");
    commit_at(repo.path(), "2026-07-28", "Wording");
    edit(&margin, "current = 6.2", "current = 6.1");
    commit_at(repo.path(), "2026-08-05", "August check-in");

    let out = repo.path().join("public");
    build_with_history(&site, &out, &[]);
    let page = std::fs::read_to_string(out.join("objectives/improve-gross-margin.html")).unwrap();
    // Each commit that changed the value is a point; today is the last.
    let desc = page
        .split("<desc id=\"p-kr-kr2-desc\">")
        .nth(1)
        .expect("the key result's chart");
    let desc = &desc[..desc.find("</desc>").unwrap()];
    // Each against the target of its day: 5.5 until 2026-07-20, then 5.6.
    assert_eq!(
        desc,
        "10% on 2026-07-06, 33% on 2026-07-20, 44% on 2026-08-05, 44% on 2026-08-15; 49% expected by 2026-08-15.",
        "{desc}"
    );
    assert!(
        page.contains(
            "$6.1 <span class=\"source\">(written in the file, last changed 2026-08-05)</span>"
        ),
        "{page}"
    );
    let moved = page
        .split("Goalposts moved (1)")
        .nth(1)
        .expect("the moved target");
    assert!(
        moved.contains(
            "<td>2026-07-20</td><td>target</td><td>$5.5</td><td>$5.6</td><td>Test <code>"
        ),
        "{moved}"
    );

    // With --as-of, the site as it was believed on that day: its last
    // commit by then, and nothing known after.
    let then = repo.path().join("then");
    build_with_history(&site, &then, &["--as-of", "2026-07-25"]);
    let page = std::fs::read_to_string(then.join("objectives/improve-gross-margin.html")).unwrap();
    assert!(page.contains("<dd>$6.2 <span class=\"source\">(written in the file, last changed 2026-07-20)</span></dd>"), "{page}");
    assert!(
        page.contains("<dd>$5.6</dd>"),
        "the target of that day: {page}"
    );
    assert!(page.contains("Progress as of 2026-07-25."));
    let early = Command::new(env!("CARGO_BIN_EXE_okra"))
        .args(["build", "--history", "--as-of", "2026-01-01", "-o"])
        .arg(repo.path().join("never"))
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(early.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&early.stderr).contains("no commit on or before 2026-01-01"));

    // Without git, --history is refused with a reason.
    let plain = tempfile::tempdir().unwrap();
    common::copy_dir(&common::example_site(), plain.path());
    let refused = Command::new(env!("CARGO_BIN_EXE_okra"))
        .args(["build", "--history"])
        .arg(plain.path())
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("--history"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}

#[test]
fn check_with_history_reports_goalposts_moved_after_the_period_began() {
    let (repo, site) = new_repository(&common::example_site());
    let margin = site.join("objectives/2026-q3/improve-gross-margin.md");
    // Set before 2026-Q3 began: planning, not moving goalposts.
    commit_at(repo.path(), "2026-06-25", "Q3 plan");
    edit(&margin, "target = 5.5\n", "target = 5.6\n");
    commit_at(repo.path(), "2026-06-28", "Q3 plan, revised");
    edit(&margin, "target = 5.6\n", "target = 5.0\n");
    commit_at(repo.path(), "2026-08-02", "Easier target");
    let check = |extra: &[&str]| {
        let mut args = vec!["check", "--history", "--format", "json"];
        args.extend_from_slice(extra);
        args.push(site.to_str().unwrap());
        common::okra(&args)
    };
    let output = check(&[]);
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let found: Vec<serde_json::Value> = serde_json::from_str(&common::stdout(&output)).unwrap();
    let moved: Vec<&serde_json::Value> = found
        .iter()
        .filter(|d| d["code"] == "goalposts-moved-after-start")
        .collect();
    assert_eq!(moved.len(), 1, "only the move after 2026-07-01: {found:#?}");
    assert_eq!(
        moved[0]["message"],
        "the target of `kr2` moved from $5.6 to $5 on 2026-08-02, after 2026-Q3 began"
    );
    assert_eq!(
        moved[0]["file"],
        "objectives/2026-q3/improve-gross-margin.md"
    );
    assert_eq!(
        moved[0]["notes"][0].as_str().unwrap().split(' ').next(),
        Some("commit")
    );
    // Without --history, okra does not read git and says nothing of it.
    let plain = common::okra(&["check", "--format", "json", site.to_str().unwrap()]);
    assert!(!common::stdout(&plain).contains("goalposts-moved-after-start"));
    // Denied, it fails the check (and a build with --history).
    edit(
        &site.join("okra.toml"),
        "[lint]\n",
        "[lint]\ndeny = [\"goalposts-moved-after-start\"]\n",
    );
    assert_eq!(check(&[]).status.code(), Some(1));
}

/// The `|` of a Markdown table row that end or separate cells.
fn cell_bars(line: &str) -> usize {
    let mut escaped = false;
    let mut bars = 0;
    for c in line.chars() {
        match c {
            '|' if !escaped => bars += 1,
            '\\' => {
                escaped = !escaped;
                continue;
            }
            _ => {}
        }
        escaped = false;
    }
    bars
}

/// Asserts that a Markdown report shows hostile text as text: no mention,
/// reference, link, image, HTML, control, or row of the wrong width.
pub(crate) fn assert_inert(markdown: &str, what: &str) {
    let html = to_html(markdown);
    for live in [
        "@octocat",
        "#12",
        "<img",
        "<a href=\"https://evil",
        "evil.example/p.png\"",
        "href=\"javascript",
        "\u{202e}",
    ] {
        assert!(!html.contains(live), "{what}: {live} in\n{html}");
    }
    assert!(
        !markdown.contains("https://evil"),
        "{what}: a live address in\n{markdown}"
    );
    let mut width = None;
    for line in markdown.lines() {
        if line.starts_with('|') {
            let bars = cell_bars(line);
            if line.starts_with("|---") || width.is_none() {
                width = Some(bars);
            }
            assert_eq!(Some(bars), width, "{what}: a forged cell in {line:?}");
        } else {
            width = None;
            assert!(!line.contains("forged |"), "{what}: a broken row: {line:?}");
        }
    }
}

#[test]
fn drafts_reach_no_report_and_every_field_stays_text() {
    let (repo, site) = new_repository(&common::example_site());
    commit_at(repo.path(), "2026-07-01", "Q3 plan");
    let hostile = "min @octocat #12 <img src=https://evil.example/p.png> [l](https://evil.example) www.evil.example | forged |\u{202e}\nnext";
    let toml_hostile = hostile.replace('\n', "\\n");
    let file = site.join("objectives/2026-q3/support-efficiency.md");
    edit(
        &file,
        "owner = \"Li Wei\"\n",
        &format!("owner = \"Li Wei\"\nunit = \"{toml_hostile}\"\n"),
    );
    edit(&file, "target = 3.0\n", "target = 2.5\n");
    edit(
        &file,
        "note = \"Macros for the ten most common questions are live.\"",
        &format!("note = \"{toml_hostile}\""),
    );
    common::write(
        &site,
        "objectives/2026-q3/secret-draft.md",
        "+++\ntitle = \"Secret draft plan\"\nowner = \"support\"\nperiod = \"2026-Q3\"\ndraft = true\n\
         [[key_results]]\ntitle = \"Secret key result\"\nowner = \"Ana\"\nstart = 1\ntarget = 2\n\
         [[key_results.checkins]]\ndate = 2026-08-11\nvalue = 1.5\nnote = \"DRAFT-NOTE\"\n+++\n",
    );
    commit_at(repo.path(), "2026-08-12", "August check-in");
    let repository = "https://git.example/a)[x](javascript:alert(1)";
    for format in ["markdown", "json"] {
        let output = digest(
            repo.path(),
            &[
                "--since",
                "2026-08-01",
                "--format",
                format,
                "--repository",
                repository,
            ],
        );
        common::assert_exit(&output, 0);
        let text = common::stdout(&output);
        for secret in ["Secret", "DRAFT-NOTE", "secret-draft"] {
            assert!(!text.contains(secret), "{format}: {secret} in\n{text}");
        }
        if format == "markdown" {
            assert!(text.contains("octocat"), "the check-in is listed:\n{text}");
            assert_inert(&text, "digest");
        }
    }
    let output = diff(repo.path(), &["HEAD~1", "HEAD", "--repository", repository]);
    let markdown = common::stdout(&output);
    assert!(
        markdown.contains("octocat"),
        "the unit is shown:\n{markdown}"
    );
    assert_inert(&markdown, "diff");
}

#[test]
fn history_reads_merges_odd_authors_and_old_values_as_they_were() {
    let (repo, site) = new_repository(&common::example_site());
    let margin = site.join("objectives/2026-q3/improve-gross-margin.md");
    commit_at(repo.path(), "2026-06-25", "Q3 plan");
    // An old version with a value okra would refuse today.
    edit(&margin, "current = 6.1\n", "current = nan\n");
    commit_at(repo.path(), "2026-07-10", "bad value");
    edit(&margin, "current = nan\n", "current = 6.1\n");
    commit_at(repo.path(), "2026-07-11", "fixed");
    // A side branch, and a merge that eases the target while it merges.
    git(repo.path(), &["checkout", "-q", "-b", "side"]);
    common::write(
        &site,
        "pages/notes.md",
        "+++\ntitle = \"Notes\"\n+++\nSide work.\n",
    );
    commit_at(repo.path(), "2026-08-01", "side work");
    git(repo.path(), &["checkout", "-q", "main"]);
    let stamp = "2026-08-03T12:00:00";
    let forger = "Eve\u{1}0000000000000000000000000000000000000000 0 Mallory";
    git_with(
        repo.path(),
        &["merge", "-q", "--no-ff", "--no-commit", "side"],
        &[],
    );
    edit(&margin, "target = 5.5\n", "target = 6.0\n");
    git(repo.path(), &["add", "-A"]);
    git_with(
        repo.path(),
        &[
            "-c",
            &format!("user.name={forger}"),
            "commit",
            "-q",
            "-m",
            "merge side",
        ],
        &[
            ("GIT_AUTHOR_DATE", stamp),
            ("GIT_COMMITTER_DATE", stamp),
            ("GIT_AUTHOR_NAME", forger),
        ],
    );
    // A commit after the as-of date (2026-08-15).
    edit(&margin, "target = 6.0\n", "target = 5.9\n");
    commit_at(repo.path(), "2026-09-01", "later");

    let output = common::okra(&[
        "check",
        "--history",
        "--format",
        "json",
        common::path_str(&site),
    ]);
    let found: Vec<serde_json::Value> = serde_json::from_str(&common::stdout(&output)).unwrap();
    let moved: Vec<&serde_json::Value> = found
        .iter()
        .filter(|d| d["code"] == "goalposts-moved-after-start")
        .collect();
    assert_eq!(moved.len(), 1, "{found:#?}");
    assert_eq!(
        moved[0]["message"],
        "the target of `kr2` moved from $5.5 to $6 on 2026-08-03, after 2026-Q3 began"
    );
    // The merge's own hash, and its author's whole name, shown escaped.
    let merge = git(repo.path(), &["rev-parse", "--short=7", "HEAD~1"]);
    assert_eq!(
        moved[0]["notes"][0].as_str().unwrap(),
        format!("commit {} by Eve\\u{{1}}{}", merge.trim(), &forger[4..])
    );
    assert!(
        common::stderr(&output).contains("left out 1 commit dated after the as-of date 2026-08-15"),
        "{}",
        common::stderr(&output)
    );
    let out = tempfile::tempdir().unwrap();
    build_with_history(&site, &out.path().join("public"), &[]);
    for (path, bytes) in common::files(&out.path().join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("NaN"), "NaN in {path}");
    }
}

#[test]
fn removed_key_results_and_later_period_ends_are_goalposts() {
    let (repo, site) = new_repository(&common::example_site());
    commit_at(repo.path(), "2026-07-01", "Q3 plan");
    let margin = site.join("objectives/2026-q3/improve-gross-margin.md");
    edit(
        &margin,
        "\n[[key_results]]\ntitle = \"Reduce shipping cost per order from $6.50 to $5.50\"\nowner = \"Olivia Brandt\"\nstart = 6.5\ntarget = 5.5\ncurrent = 6.1\nunit = \"$\"\n",
        "",
    );
    let config = site.join("okra.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("end = 2026-08-31", "end = 2026-09-30"),
    )
    .unwrap();
    commit_at(repo.path(), "2026-08-10", "easier");
    let output = diff(repo.path(), &["HEAD~1", "HEAD", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let settings = report["settings"].to_string();
    assert!(settings.contains("period-end"), "{settings}");
    assert!(
        report["summary"]["goalposts"].as_u64().unwrap() >= 2,
        "{report:#}"
    );
    let failed = diff(repo.path(), &["HEAD~1", "HEAD", "--fail-on", "goalposts"]);
    assert_ne!(failed.status.code(), Some(0), "{}", common::report(&failed));
}

/// The goalposts of `HEAD~1..HEAD` as JSON, after checking that
/// `--fail-on goalposts` fails on them.
fn goalposts_of_last_commit(repo: &Path) -> serde_json::Value {
    let failed = diff(repo, &["HEAD~1", "HEAD", "--fail-on", "goalposts"]);
    assert_ne!(failed.status.code(), Some(0), "{}", common::report(&failed));
    let output = diff(repo, &["HEAD~1", "HEAD", "--format", "json"]);
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn a_renamed_file_a_later_period_and_lower_grading_thresholds_are_goalposts() {
    let (repo, site) = new_repository(&common::example_site());
    commit_at(repo.path(), "2026-07-01", "Q3 plan");

    // Renaming the file while easing a target is one objective edited.
    let q3 = site.join("objectives/2026-q3");
    git(
        repo.path(),
        &[
            "mv",
            "okrs/objectives/2026-q3/improve-gross-margin.md",
            "okrs/objectives/2026-q3/margin.md",
        ],
    );
    edit(&q3.join("margin.md"), "target = 22.0", "target = 21.0");
    edit(
        &site.join("objectives/2026/achieve-financial-targets.md"),
        "improve-gross-margin.md",
        "margin.md",
    );
    commit_at(repo.path(), "2026-08-01", "rename and ease");
    let report = goalposts_of_last_commit(repo.path());
    let summary = &report["summary"];
    assert_eq!(summary["objectives_added"], 0, "{report:#}");
    assert_eq!(summary["objectives_removed"], 0, "{report:#}");
    let margin = objective(&report, "margin");
    assert_eq!(
        old_new(fact(margin, "file")),
        (
            serde_json::json!("objectives/2026-q3/improve-gross-margin.md"),
            serde_json::json!("objectives/2026-q3/margin.md")
        )
    );
    let eased = key_result(margin, "Increase gross margin from 20% to 22%");
    assert_eq!(fact(eased, "target")["goalpost"], true, "{eased:#}");
    let markdown = String::from_utf8(diff(repo.path(), &["HEAD~1", "HEAD"]).stdout).unwrap();
    assert!(
        markdown.contains("improve-gross-margin.md") && markdown.contains("⚠️"),
        "{markdown}"
    );

    // Moving an objective to a period that ends later lowers its bar.
    edit(
        &q3.join("margin.md"),
        "period = \"2026-Q3\"",
        "period = \"2026-Q4\"",
    );
    commit_at(repo.path(), "2026-08-02", "later");
    let report = goalposts_of_last_commit(repo.path());
    let period = fact(objective(&report, "margin"), "period");
    assert_eq!(period["goalpost"], true, "{report:#}");

    // So do lower grading thresholds.
    let config = site.join("okra.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{text}\n[grading]\ncommitted = [0.8, 0.5]\naspirational = [0.7, 0.4]\n"),
    )
    .unwrap();
    commit_at(repo.path(), "2026-08-03", "easier grades");
    let report = goalposts_of_last_commit(repo.path());
    let settings = report["settings"].to_string();
    for field in ["grading-committed-achieved", "grading-committed-partial"] {
        assert!(settings.contains(field), "{settings}");
    }
    assert!(!settings.contains("grading-aspirational"), "{settings}");
    assert_eq!(report["summary"]["goalposts"], 2, "{report:#}");
}

/// An owner's judgement, on a key result with a score and on one followed
/// by its status alone, is a change a review names in words; so are the
/// initiatives under a key result and an objective's tags.
#[test]
fn a_reported_status_is_a_change_in_the_review() {
    let (repo, site) = new_repository(&common::example_site());
    commit_at(repo.path(), "2026-08-01", "Q3 plan");
    let engagement = site.join("objectives/2026-q3/engagement-and-motivation.md");
    let text = std::fs::read_to_string(&engagement).unwrap();
    let text = text
        .replacen(
            "\n[[key_results]]",
            "tags = [\"people\", \"managers\"]\n\n[[key_results]]",
            1,
        )
        .replacen("status = \"needs attention\"", "status = \"at risk\"", 1)
        .replacen("status = \"in progress\"", "status = \"done\"", 1)
        .replacen("status = \"on track\"", "status = \"needs-attention\"", 1);
    std::fs::write(&engagement, text).unwrap();
    commit_at(repo.path(), "2026-08-13", "check-in");
    let (markdown, report) = both(repo.path(), &["HEAD~1", "HEAD"]);
    let objective = objective(&report, "engagement-and-motivation");
    assert_eq!(
        old_new(fact(objective, "tags")),
        (
            serde_json::json!([]),
            serde_json::json!(["people", "managers"])
        )
    );
    let managers = key_result(objective, "Managers find the new one-to-one format useful");
    assert_eq!(
        old_new(fact(managers, "reported-status")),
        ("needs attention".into(), "at risk".into())
    );
    assert_eq!(
        old_new(fact(managers, "initiatives")).1,
        serde_json::json!([
            "Pilot the one-to-one format with four managers (done)",
            "A shorter form for quick check-ins (done)"
        ])
    );
    let belonging = key_result(
        objective,
        "New joiners feel they belong in their first month",
    );
    assert_eq!(belonging["after"]["reported_status"], "needs-attention");
    assert_eq!(belonging["after"]["progress"], serde_json::Value::Null);
    assert_eq!(
        old_new(fact(belonging, "status")),
        ("on track".into(), "at risk".into()),
        "a status key result's status is the one reported"
    );
    assert!(markdown.contains("reported status"), "{markdown}");
    assert!(markdown.contains("needs attention"), "{markdown}");
}
