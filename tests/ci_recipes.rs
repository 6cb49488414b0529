//! The CI recipes in docs/ci/ are valid YAML and run the okra commands the
//! documentation promises.

use std::path::Path;

use yaml_rust2::{Yaml, YamlLoader};

fn load(name: &str) -> (String, Yaml) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/ci")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut docs = YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(docs.len(), 1, "{name}: one document");
    (text, docs.remove(0))
}

/// Every `run:` / `script:` line of a workflow, as one text.
fn commands(yaml: &Yaml, out: &mut String) {
    match yaml {
        Yaml::Hash(map) => {
            for (key, value) in map {
                if matches!(key.as_str(), Some("run" | "script" | "before_script")) {
                    match value {
                        Yaml::String(s) => out.push_str(s),
                        Yaml::Array(lines) => lines.iter().filter_map(Yaml::as_str).for_each(|s| {
                            out.push_str(s);
                            out.push('\n');
                        }),
                        _ => {}
                    }
                    out.push('\n');
                }
                commands(value, out);
            }
        }
        Yaml::Array(items) => items.iter().for_each(|i| commands(i, out)),
        _ => {}
    }
}

#[test]
fn the_github_workflow_checks_comments_builds_and_publishes() {
    let (_, workflow) = load("github-workflow.yml");
    let jobs = &workflow["jobs"];
    assert!(
        jobs["review"]["steps"]
            .as_vec()
            .is_some_and(|s| s.len() >= 5)
    );
    assert_eq!(jobs["publish"]["needs"].as_str(), Some("review"));
    let mut all = String::new();
    commands(&workflow, &mut all);
    for expected in [
        "okra check --format github",
        "okra diff",
        "--fail-on goalposts",
        "okra digest --since",
        "gh pr comment",
        "gh issue create",
        "okra build -o public",
    ] {
        assert!(
            all.contains(expected),
            "the workflow does not run {expected}"
        );
    }
    let uses: Vec<&str> = jobs["review"]["steps"]
        .as_vec()
        .unwrap()
        .iter()
        .chain(jobs["publish"]["steps"].as_vec().unwrap())
        .filter_map(|s| s["uses"].as_str())
        .collect();
    assert!(
        uses.iter()
            .any(|u| u.starts_with("actions/upload-artifact"))
    );
    assert!(uses.iter().any(|u| u.starts_with("actions/deploy-pages")));
    assert_eq!(
        jobs["review"]["steps"][0]["with"]["fetch-depth"].as_i64(),
        Some(0)
    );
}

#[test]
fn the_gitlab_job_checks_comments_builds_and_publishes() {
    let (_, pipeline) = load("gitlab-ci.yml");
    let mut all = String::new();
    commands(&pipeline, &mut all);
    for expected in [
        "okra check",
        "okra diff",
        "--fail-on goalposts",
        "okra digest --since",
        "projects/$CI_PROJECT_ID/issues",
        "merge_requests/$CI_MERGE_REQUEST_IID/notes",
        "okra build -o public",
    ] {
        assert!(
            all.contains(expected),
            "the pipeline does not run {expected}"
        );
    }
    assert_eq!(
        pipeline["pages"]["artifacts"]["paths"][0].as_str(),
        Some("public")
    );
    assert_eq!(
        pipeline["okrs"]["artifacts"]["paths"][0].as_str(),
        Some("public")
    );
    assert_eq!(pipeline["variables"]["GIT_DEPTH"].as_str(), Some("0"));
}

#[test]
fn the_codeowners_example_names_an_owner_on_every_rule() {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ci/CODEOWNERS"))
            .unwrap();
    let rules: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .collect();
    assert!(rules.len() >= 5);
    for rule in rules {
        let mut parts = rule.split_whitespace();
        assert!(parts.next().is_some_and(|p| p.starts_with('/')), "{rule}");
        assert!(parts.all(|owner| owner.starts_with('@')), "{rule}");
    }
}

/// The install command of a recipe builds this project, from its own
/// repository, at a pinned commit; `cargo install okra` would fetch an
/// unrelated crate of that name.
fn assert_installs_this_project(name: &str, all: &str, pin: &Yaml) {
    let installs: Vec<&str> = all
        .lines()
        .filter(|l| l.contains("cargo install"))
        .collect();
    assert!(!installs.is_empty(), "{name}: no install command");
    for line in installs {
        assert_eq!(
            line.trim(),
            "cargo install --git \"$OKRA_GIT\" --rev \"$OKRA_REV\" --locked okra",
            "{name}"
        );
    }
    let rev = pin["OKRA_REV"].as_str().unwrap_or_default();
    assert!(
        rev.len() == 40 && rev.bytes().all(|b| b.is_ascii_hexdigit()),
        "{name}: OKRA_REV pins a commit"
    );
    assert!(
        pin["OKRA_GIT"].as_str().is_some(),
        "{name}: OKRA_GIT is set"
    );
    // The package the command names is this one, and it has the binary.
    let metadata = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--manifest-path",
        ])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
        .output()
        .unwrap();
    let metadata: serde_json::Value = serde_json::from_slice(&metadata.stdout).unwrap();
    let package = &metadata["packages"][0];
    assert_eq!(package["name"], "okra");
    assert!(
        package["targets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "okra" && t["kind"][0] == "bin")
    );
}

/// No `${{ … }}` expression is written into a script: event values such as
/// branch names reach scripts through environment variables only.
fn assert_no_expression_in_scripts(name: &str, all: &str) {
    assert!(
        !all.contains("${{"),
        "{name}: an expression in a script:\n{all}"
    );
}

#[test]
fn the_recipes_install_this_project_and_cannot_be_injected() {
    let (_, workflow) = load("github-workflow.yml");
    let mut all = String::new();
    commands(&workflow, &mut all);
    assert_installs_this_project("github-workflow.yml", &all, &workflow["env"]);
    assert_no_expression_in_scripts("github-workflow.yml", &all);
    let (_, pipeline) = load("gitlab-ci.yml");
    let mut all = String::new();
    commands(&pipeline, &mut all);
    assert_installs_this_project("gitlab-ci.yml", &all, &pipeline["variables"]);
    assert_no_expression_in_scripts("gitlab-ci.yml", &all);
}
