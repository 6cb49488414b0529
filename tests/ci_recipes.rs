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
    let needs = |job: &str| -> Vec<String> {
        match &jobs[job]["needs"] {
            Yaml::String(one) => vec![one.clone()],
            Yaml::Array(many) => many
                .iter()
                .filter_map(|n| n.as_str().map(String::from))
                .collect(),
            _ => Vec::new(),
        }
    };
    assert_eq!(needs("publish"), ["okra", "review"]);
    // Checking out a private repository needs `contents: read` in a job
    // that sets its own permissions.
    for job in [
        "review",
        "code-scanning",
        "digest",
        "publish",
        "publish-intranet",
    ] {
        assert_eq!(
            jobs[job]["permissions"]["contents"].as_str(),
            Some("read"),
            "{job}"
        );
    }
    // Every job but the one that builds okra downloads it from that one.
    for (name, job) in jobs.as_hash().unwrap() {
        let name = name.as_str().unwrap();
        if name == "okra" {
            continue;
        }
        assert!(needs(name).contains(&"okra".to_string()), "{name}");
        let downloads = job["steps"].as_vec().unwrap().iter().any(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/download-artifact"))
        });
        assert!(downloads, "{name} gets the built okra");
    }
    assert!(
        all_schedules(&workflow).len() >= 2,
        "a daily rebuild and a weekly digest"
    );
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

fn all_schedules(workflow: &Yaml) -> Vec<String> {
    workflow["on"]["schedule"]
        .as_vec()
        .map(|s| {
            s.iter()
                .filter_map(|c| c["cron"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The install command of a recipe builds this project, from its own
/// repository, at a pinned commit (`cargo install okra` would fetch an
/// unrelated crate of that name), and only once in a run: one job
/// compiles it, unless its cache has that commit already.
fn assert_installs_this_project(name: &str, all: &str, pin: &Yaml) {
    let installs: Vec<&str> = all
        .lines()
        .filter(|l| l.contains("cargo install"))
        .collect();
    assert_eq!(installs.len(), 1, "{name}: okra is compiled in one place");
    let line = installs[0].trim();
    let command = line.rsplit("|| ").next().unwrap_or(line);
    assert!(
        command.starts_with("cargo install --git \"$OKRA_GIT\" --rev \"$OKRA_REV\" --locked ")
            && command.ends_with(" okra"),
        "{name}: {line}"
    );
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

#[test]
fn the_gitlab_pipeline_compiles_once_and_updates_one_note() {
    let (_, pipeline) = load("gitlab-ci.yml");
    let jobs = pipeline.as_hash().unwrap();
    for (name, job) in jobs {
        let name = name.as_str().unwrap();
        if job["script"].is_badvalue() || name == "okra" {
            continue;
        }
        let needs: Vec<&str> = job["needs"]
            .as_vec()
            .map(|n| n.iter().filter_map(Yaml::as_str).collect())
            .unwrap_or_default();
        assert_eq!(needs, ["okra"], "{name} takes the built okra");
    }
    assert_eq!(
        pipeline["okra"]["cache"]["key"].as_str(),
        Some("okra-$OKRA_REV")
    );
    let mut all = String::new();
    commands(&pipeline["okrs"], &mut all);
    assert!(
        all.contains("--request PUT"),
        "the note is updated in place"
    );
}

/// The recipes, checked against the schemas GitHub and GitLab publish
/// (SchemaStore's copies, as `check-jsonschema` ships them).
#[test]
#[ignore = "needs check-jsonschema; .ci/run installs it"]
fn the_recipes_follow_their_hosts_schemas() {
    for (file, schema) in [
        ("github-workflow.yml", "vendor.github-workflows"),
        ("gitlab-ci.yml", "vendor.gitlab-ci"),
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("docs/ci")
            .join(file);
        let output = std::process::Command::new("check-jsonschema")
            .args(["--builtin-schema", schema])
            .arg(&path)
            .output()
            .expect("check-jsonschema is installed (.ci/run installs it)");
        assert!(
            output.status.success(),
            "{file}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Every `okra …` line of both recipes, run as the recipe runs it (through
/// the shell, at the top of a repository holding the example site, with a
/// pull request's branch checked out) exits 0.
#[test]
fn every_okra_command_of_the_recipes_runs_on_a_repository() {
    let repo = tempfile::tempdir().unwrap();
    crate::common::copy_dir(&crate::common::example_site(), repo.path());
    let git = |args: &[&str]| crate::diff::git(repo.path(), args);
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "plan"]);
    git(&["checkout", "-q", "-b", "pr"]);
    let file = repo
        .path()
        .join("objectives/2026-q3/engagement-and-motivation.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("current = 3\n", "current = 4\n", 1)).unwrap();
    git(&["commit", "-q", "-am", "a check-in"]);
    git(&["update-ref", "refs/remotes/origin/main", "main"]);
    let bin = Path::new(env!("CARGO_BIN_EXE_okra")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    for file in ["github-workflow.yml", "gitlab-ci.yml"] {
        let (_, recipe) = load(file);
        let mut all = String::new();
        commands(&recipe, &mut all);
        for line in all
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("okra "))
        {
            let output = std::process::Command::new("bash")
                .args(["-c", line])
                .current_dir(repo.path())
                .env("PATH", &path)
                .env("BASE_REF", "main")
                .env("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main")
                .env("REPOSITORY", "https://github.com/acme/okrs")
                .env("CI_PROJECT_URL", "https://gitlab.com/acme/okrs")
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "{file}: `{line}` failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            ran += 1;
        }
    }
    assert!(ran >= 12, "{ran} commands");
    for written in [
        "okra-diff.md",
        "okra.sarif",
        "digest.md",
        "digest.txt",
        "public/index.html",
    ] {
        assert!(repo.path().join(written).is_file(), "{written}");
    }
}
