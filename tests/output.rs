//! Snapshots of what users read: diagnostics as text, JSON and GitHub
//! workflow commands, through the binary.

mod common;

fn check_output(format: &str) -> (String, i32) {
    let site = common::fixture("broken-site");
    let output = common::okra(&["check", site.to_str().unwrap(), "--format", format]);
    (common::stdout(&output), output.status.code().unwrap_or(-1))
}

#[test]
fn human_output() {
    let (text, code) = check_output("human");
    assert_eq!(code, 1);
    assert!(text.ends_with("9 errors, 1 warning in 8 files\n"), "{text}");
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
