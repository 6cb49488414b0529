//! `okra diff` on a real git repository made from the example site: every
//! kind of change is named with its old and new values, the Markdown report
//! is snapshotted, and the repository is never touched.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn git(repo: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
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

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// A repository whose `okrs/` folder is the example site, with two commits:
/// the site, then a change that touches every kind of fact.
fn repository() -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    let site = repo.path().join("okrs");
    std::fs::create_dir_all(&site).unwrap();
    common::copy_dir(&common::example_site(), &site);
    common::write(repo.path(), "README.md", "Our OKRs\n");
    git(repo.path(), &["init", "-q", "-b", "main"]);
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

fn diff(repo: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_okra"))
        .arg("diff")
        .args(args)
        .args(["--root", repo.join("okrs").to_str().unwrap()])
        .output()
        .expect("okra runs")
}

fn find<'a>(changes: &'a [serde_json::Value], id: &str, change: &str) -> &'a serde_json::Value {
    changes
        .iter()
        .find(|c| c["id"] == id && c["change"] == change)
        .unwrap_or_else(|| panic!("no {change} of {id} in {changes:#?}"))
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
    let changes = report["changes"].as_array().unwrap();

    let target = find(changes, "kr1", "target");
    assert_eq!(target["objective"], "support-efficiency");
    assert_eq!(
        (target["old"].as_f64(), target["new"].as_f64()),
        (Some(0.5), Some(0.8))
    );
    assert_eq!(target["goalpost"], true);
    let current = changes
        .iter()
        .find(|c| {
            c["objective"] == "support-efficiency" && c["id"] == "kr2" && c["change"] == "current"
        })
        .unwrap();
    assert_eq!(
        (current["old"].as_f64(), current["new"].as_f64()),
        (Some(4.6), Some(3.9))
    );
    let status = changes
        .iter()
        .find(|c| {
            c["objective"] == "support-efficiency" && c["id"] == "kr2" && c["change"] == "status"
        })
        .unwrap();
    assert_eq!(
        (status["old"].as_str(), status["new"].as_str()),
        (Some("at risk"), Some("on track"))
    );
    let progress = changes
        .iter()
        .find(|c| {
            c["objective"] == "engagement-and-motivation"
                && c["id"] == "kr2"
                && c["change"] == "progress"
        })
        .unwrap();
    assert!(progress["old"].as_f64().unwrap() < progress["new"].as_f64().unwrap());

    assert_eq!(find(changes, "self-service", "added")["team"], "support");
    assert_eq!(
        find(changes, "faster-hiring", "removed")["period"],
        "2026-Q2"
    );
    let moved = find(changes, "get-in-shape", "period");
    assert_eq!(
        (moved["old"].as_str(), moved["new"].as_str()),
        (Some("2026-Q3"), Some("2026-08"))
    );
    let reparented = find(changes, "education-and-training", "parent");
    assert_eq!(reparented["new"], "engagement");
    assert_eq!(
        find(changes, "returns", "added")["objective"],
        "improve-gross-margin"
    );
    assert_eq!(
        find(changes, "kr4", "removed")["objective"],
        "open-new-storefronts"
    );
    assert_eq!(find(changes, "japan", "added")["kind"], "key-result");

    let data = find(changes, "tickets-per-customer", "measurements-added");
    assert_eq!(data["new"]["count"], 1);
    assert_eq!(data["new"]["latest"]["value"].as_f64(), Some(0.8));
    let band = find(changes, "csat", "healthy-band");
    assert_eq!(
        (band["old"]["min"].as_f64(), band["new"]["min"].as_f64()),
        (Some(9.0), Some(8.5))
    );
    assert_eq!(band["goalpost"], true);
    assert_eq!(
        find(changes, "engagement-score", "measurement-changed")["goalpost"],
        true
    );
    let dropped = changes
        .iter()
        .find(|c| c["change"] == "dropped")
        .expect("the dropped key result is named");
    assert_eq!(dropped["new"], "The Lyon store opens in October");
    assert_eq!(
        dropped["goalpost"], true,
        "dropping one moves the goalposts"
    );
    let contributors = find(changes, "open-new-storefronts", "contributors");
    assert_eq!(
        contributors["new"],
        serde_json::json!(["marketing", "online-shop"])
    );
    let grade = find(changes, "faster-first-response", "grade");
    assert_eq!(
        (grade["old"].clone(), grade["new"].as_f64()),
        (serde_json::Value::Null, Some(0.9))
    );

    let introduced = report["introduced"].as_array().unwrap();
    assert!(introduced.iter().any(|f| f["code"] == "unknown-parent"
        && f["file"] == "objectives/2026-q3/education-and-training.md"));
    assert_eq!(report["head_errors"], 1);
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
    assert!(text.contains("**⚠️ 4 goalposts moved**"), "{text}");
    assert!(text.contains("| target | 0.5 | 0.8 |"), "{text}");
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
    let target = find(report["changes"].as_array().unwrap(), "kr1", "target");
    assert_eq!(
        (target["old"].as_f64(), target["new"].as_f64()),
        (Some(0.8), Some(0.7))
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
        !json.contains("10.37") && !json.contains("employee-turnover.md"),
        "{json}"
    );
    assert!(report["head_errors"].as_u64().unwrap() >= 1, "{json}");
    let markdown = diff(repo.path(), &["HEAD~1", "HEAD"]);
    let markdown = String::from_utf8(markdown.stdout).unwrap();
    assert!(
        !markdown.contains("10.37") && !markdown.contains("fortnightly"),
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
