//! What an attacker can send through a pull request or a web page, class by
//! class: each is refused at its root or comes out inert.

mod common;

use std::path::Path;

const CONFIG: &str = "title = \"Attacked\"\nas_of = 2026-08-15\n";
const COMPANY: &str = "+++\nname = \"Acme\"\nkind = \"company\"\n+++\n";
const KEY_RESULT: &str = "[[key_results]]\ntitle = \"R\"\nstart = 1\ntarget = 2\ncurrent = 1\n";

/// An objective of the company in 2026-Q3, with `extra` front matter.
fn objective(extra: &str) -> String {
    format!(
        "+++\ntitle = \"O\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n{extra}\n{KEY_RESULT}+++\n"
    )
}

/// A site with a company and whatever `files` add.
fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "okra.toml", CONFIG);
    common::write(dir.path(), "teams/acme.md", COMPANY);
    for (path, text) in files {
        common::write(dir.path(), path, text);
    }
    dir
}

fn check(root: &Path) -> okra::Checked {
    okra::check(root, &okra::CheckOptions::default()).expect("a readable site")
}

fn codes(checked: &okra::Checked) -> Vec<&'static str> {
    checked
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

#[test]
fn declared_period_ids_are_slugs_and_never_paths() {
    let dir = site(&[("objectives/o.md", &objective(""))]);
    let config = format!(
        "{CONFIG}[periods.\"../../escaped\"]\nstart = 2026-10-01\nend = 2026-12-31\n\
         [periods.\"FY27/Q1\"]\nstart = 2026-10-01\nend = 2026-12-31\n\
         [periods.\"2026-q4\"]\nstart = 2026-10-01\nend = 2026-12-31\n\
         [periods.FY27-Q2]\nstart = 2027-01-01\nend = 2027-03-31\n\
         [periods.fy27-q2]\nstart = 2027-01-01\nend = 2027-03-31\n\
         [periods.{}]\nstart = 2027-01-01\nend = 2027-03-31\n",
        "p".repeat(300)
    );
    common::write(dir.path(), "okra.toml", &config);
    let checked = check(dir.path());
    assert_eq!(
        codes(&checked),
        ["bad-period"; 5],
        "{:#?}",
        checked.diagnostics
    );
    let out = dir.path().join("out/public");
    let built = common::okra(&["build", path_str(dir.path()), "-o", path_str(&out)]);
    assert_eq!(built.status.code(), Some(1), "{}", common::report(&built));
    assert!(!dir.path().join("escaped.html").exists());
    assert!(!dir.path().join("out/escaped.html").exists());
    assert!(!out.exists());
}

#[test]
fn ids_have_a_bounded_length() {
    let long = "a".repeat(300);
    let dir = site(&[(
        "objectives/o.md",
        &format!(
            "+++\nid = \"{long}\"\ntitle = \"O\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n+++\n"
        ),
    )]);
    common::write(
        dir.path(),
        &format!("kpis/{}.md", "k".repeat(200)),
        "+++\nname = \"K\"\nowner = \"acme\"\n+++\n",
    );
    let checked = check(dir.path());
    assert_eq!(
        codes(&checked),
        ["bad-id", "bad-id"],
        "{:#?}",
        checked.diagnostics
    );
    // The longest id that passes check builds.
    let longest = "b".repeat(okra::load::fields::MAX_ID_LEN);
    let dir = site(&[(
        "objectives/o.md",
        &format!(
            "+++\nid = \"{longest}\"\ntitle = \"O\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n[[key_results]]\ntitle = \"R\"\nstart = 1\ntarget = 2\ncurrent = 1\n+++\n"
        ),
    )]);
    let built = common::built_site(dir.path());
    assert!(
        built
            .path()
            .join(format!("public/objectives/{longest}.html"))
            .is_file()
    );
}

#[test]
fn a_build_never_replaces_a_folder_okra_did_not_write() {
    let site = common::example_site();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    common::write(&home, "thesis.tex", "years of work");
    let refused = common::okra(&["build", path_str(&site), "-o", path_str(&home)]);
    assert_eq!(
        refused.status.code(),
        Some(2),
        "{}",
        common::report(&refused)
    );
    assert!(common::stderr(&refused).contains("--force"));
    assert!(home.join("thesis.tex").is_file(), "nothing was touched");
    // okra's own output is rebuilt without being asked twice.
    let out = dir.path().join("public");
    for _ in 0..2 {
        let built = common::okra(&["build", path_str(&site), "-o", path_str(&out)]);
        assert_eq!(built.status.code(), Some(0), "{}", common::report(&built));
    }
    assert!(out.join(okra::write::MARKER).is_file());
    let forced = common::okra(&["build", path_str(&site), "-o", path_str(&home), "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", common::report(&forced));
    assert!(!home.join("thesis.tex").exists());
    assert!(home.join("index.html").is_file());
}

/// Whether this process may mount file systems in a namespace of its own.
fn can_mount() -> bool {
    std::process::Command::new("unshare")
        .args([
            "-m",
            "--propagation",
            "private",
            "mount",
            "-t",
            "tmpfs",
            "none",
            "/mnt",
        ])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
#[ignore = "mounts a file system as root; run with `cargo test -- --ignored` (`.ci/run` does)"]
fn an_output_folder_that_is_a_mount_point_builds() {
    common::require_tool(can_mount(), "mounting a tmpfs (root and `unshare`)");
    let dir = tempfile::tempdir().unwrap();
    let volume = dir.path().join("volume");
    std::fs::create_dir(&volume).unwrap();
    let okra = env!("CARGO_BIN_EXE_okra");
    let site = common::example_site();
    // Build twice into a fresh tmpfs, with a stale file between the builds,
    // and list what the volume holds in the end.
    let script = format!(
        "set -e; mount -t tmpfs none '{v}'; '{okra}' build '{s}' -o '{v}'; touch '{v}/stale.html'; \
         '{okra}' build '{s}' -o '{v}'; ls -A '{v}'",
        v = path_str(&volume),
        s = path_str(&site),
    );
    let output = std::process::Command::new("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c", &script])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let report = common::report(&output);
    assert!(output.status.success(), "{report}");
    let stdout = common::stdout(&output);
    let listed: Vec<&str> = stdout.lines().filter(|l| !l.starts_with("Built")).collect();
    assert!(listed.contains(&"index.html"), "{report}");
    assert!(listed.contains(&okra::write::MARKER), "{report}");
    assert!(!listed.contains(&"stale.html"), "{report}");
    assert!(
        !listed
            .iter()
            .any(|l| l.contains("okra-new") || l.contains("okra-old")),
        "{report}"
    );
}

#[test]
fn values_that_would_overflow_are_diagnostics() {
    let dir = site(&[
        (
            "objectives/o.md",
            "+++\ntitle = \"O\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n\
             [[key_results]]\ntitle = \"R\"\nstart = -1.7e308\ntarget = 1.7e308\ncurrent = 1\n+++\n",
        ),
        (
            "kpis/k.md",
            "+++\nname = \"K\"\nowner = \"acme\"\ndata = \"k.csv\"\n+++\n",
        ),
        ("kpis/k.csv", "date,value\n2026-07-01,1e300\n"),
    ]);
    let checked = check(dir.path());
    let mut errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == okra::diagnostic::Severity::Error)
        .map(|d| d.code.as_str())
        .collect();
    errors.sort();
    assert_eq!(errors, ["bad-csv", "out-of-range", "out-of-range"]);
}
