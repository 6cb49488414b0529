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
        "cargo install okra",
        "okra check --format github",
        "okra diff",
        "gh pr comment",
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
        "cargo install okra",
        "okra check",
        "okra diff",
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
