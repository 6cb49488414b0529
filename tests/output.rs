//! Snapshots of what users read: diagnostics as text, JSON and GitHub
//! workflow commands, through the binary.

use crate::common;

fn check_output(format: &str) -> (String, i32) {
    let site = common::fixture("broken-site");
    let output = common::okra(&["check", site.to_str().unwrap(), "--format", format]);
    (common::stdout(&output), output.status.code().unwrap_or(-1))
}

#[test]
fn human_output() {
    let (text, code) = check_output("human");
    assert_eq!(code, 1);
    assert!(
        text.ends_with("9 errors, 2 warnings in 8 files\n"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "no colour with NO_COLOR");
    insta::assert_snapshot!("broken_site_human", text);
}

#[test]
fn json_output() {
    let (text, code) = check_output("json");
    assert_eq!(code, 1);
    let parsed: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let first = &parsed[0];
    for key in [
        "code",
        "severity",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "hint",
    ] {
        assert!(first.get(key).is_some(), "{key} missing");
    }
    insta::assert_snapshot!("broken_site_json", text);
}

#[test]
fn github_output() {
    let (text, code) = check_output("github");
    assert_eq!(code, 1);
    assert!(
        text.lines()
            .all(|l| l.starts_with("::error ") || l.starts_with("::warning ")),
        "{text}"
    );
    assert!(text.contains(
        "::error file=objectives/2026-q3/support-efficiency.md,line=5,col=10,endLine=5,endColumn=28,title=unknown-parent::objective `support-efficiency` aligns to unknown objective `delight-customer`%0Ahelp: did you mean `delight-customers`?"
    ), "{text}");
    insta::assert_snapshot!("broken_site_github", text);
}

#[test]
fn lint_levels_allow_and_deny() {
    let checked = common::check(&common::fixture("broken-site"));
    let codes: Vec<_> = checked
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.is_error()))
        .collect();
    assert!(
        codes.contains(&("all-milestones", true)),
        "denied lint is an error"
    );
    assert!(
        !codes.iter().any(|(c, _)| *c == "unaligned-objective"),
        "allowed lint is silent"
    );
    assert!(codes.contains(&("stale-kpi", false)));
}

#[test]
fn sarif_output_places_each_result_where_json_does() {
    let (sarif, code) = check_output("sarif");
    assert_eq!(code, 1);
    let (json, _) = check_output("json");
    let sarif: serde_json::Value = serde_json::from_str(&sarif).expect("valid JSON");
    let json: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "okra");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    let expected = json.as_array().unwrap();
    assert_eq!(results.len(), expected.len());
    // The fixture lies in this repository: code scanning needs its path
    // from the repository's root.
    let prefix = "tests/fixtures/broken-site/";
    for (result, diagnostic) in results.iter().zip(expected) {
        assert_eq!(result["ruleId"], diagnostic["code"]);
        let rule = &rules[result["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], diagnostic["code"]);
        assert!(rule["help"]["text"].as_str().unwrap().contains("Fix:"));
        let level = if diagnostic["severity"] == "error" {
            "error"
        } else {
            "warning"
        };
        assert_eq!(result["level"], level);
        let message = result["message"]["text"].as_str().unwrap();
        assert!(message.starts_with(diagnostic["message"].as_str().unwrap()));
        let Some(file) = diagnostic["file"].as_str() else {
            assert!(result.get("locations").is_none());
            continue;
        };
        let place = &result["locations"][0]["physicalLocation"];
        assert_eq!(place["artifactLocation"]["uri"], format!("{prefix}{file}"));
        if diagnostic["line"].is_null() {
            continue;
        }
        let region = &place["region"];
        assert_eq!(region["startLine"], diagnostic["line"]);
        assert_eq!(region["startColumn"], diagnostic["column"]);
        assert_eq!(region["endLine"], diagnostic["end_line"]);
    }
}

#[test]
#[ignore = "drives external tools; run with `cargo test -- --ignored` (`.ci/run` does)"]
fn sarif_logs_are_valid_against_the_sarif_2_1_0_schema() {
    let tools = common::browser_tools();
    common::require_tool(
        common::runs("node")
            && tools.join("node_modules/ajv-draft-04").is_dir()
            && tools.join("node_modules/@microsoft/jest-sarif").is_dir(),
        "node, ajv-draft-04, @microsoft/jest-sarif",
    );
    let dir = tempfile::tempdir().unwrap();
    // A site whose paths need escaping in a URI, with results that have
    // related places, notes, and one without a position.
    let hostile = common::site_with(&[
        (
            "objectives/q3 ünïcode/grow #1.md",
            "+++\ntitle = \"Grow\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n[[key_results]]\ntitle = \"Launch 3 things\"\nowner = \"Ann\"\nstart = 0\ntarget = 3\ncurrent = 1\n+++\n",
        ),
        (
            "objectives/a.md",
            "+++\ntitle = \"A\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\nparent = \"b\"\n+++\n",
        ),
        (
            "objectives/b.md",
            "+++\ntitle = \"B\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\nparent = \"a\"\n+++\n",
        ),
    ]);
    let mut logs = Vec::new();
    for (name, site) in [
        ("broken.sarif", common::fixture("broken-site")),
        ("example.sarif", common::example_site()),
        ("hostile.sarif", hostile.path().to_path_buf()),
    ] {
        let output = common::okra(&["check", site.to_str().unwrap(), "--format", "sarif"]);
        let path = dir.path().join(name);
        std::fs::write(&path, common::stdout(&output)).unwrap();
        logs.push(path);
    }
    let output = std::process::Command::new("node")
        .arg(tools.join("sarif.mjs"))
        .args(&logs)
        .output()
        .unwrap();
    let report = common::report(&output);
    assert!(output.status.success(), "{report}");
    assert_eq!(report.matches(": valid").count(), 3, "{report}");
    let hostile = std::fs::read_to_string(dir.path().join("hostile.sarif")).unwrap();
    assert!(
        hostile.contains("objectives/q3%20%C3%BCn%C3%AFcode/grow%20%231.md"),
        "{hostile}"
    );
}

#[test]
fn sarif_uris_name_the_real_file_whatever_its_name_holds() {
    let name = "objectives/\u{1b}[31mred\u{202e} \\u{zz}.md";
    let site = common::site_with(&[(name, "+++\ntitle = \"O\"\n+++\n")]);
    let output = common::okra(&["check", common::path_str(site.path()), "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        let decoded = url::Url::parse("file:///")
            .unwrap()
            .join(uri)
            .unwrap()
            .to_file_path()
            .unwrap();
        let relative = decoded.strip_prefix("/").unwrap();
        assert!(site.path().join(relative).is_file(), "{uri} names no file");
    }
}
