//! Odd files, odd folders and odd graphs: each is reported or handled, and
//! none makes okra panic, hang or read outside the site.

use crate::common;

use std::path::Path;

use okra::diagnostic::{render_github, render_human, render_json};

const KEY_RESULT: &str = "[[key_results]]\ntitle = \"R\"\nstart = 1\ntarget = 2\ncurrent = 1\n";

/// Checks a site and renders every diagnostic in every format.
fn check(root: &Path) -> okra::Checked {
    let checked = okra::check(root, &okra::CheckOptions::default()).expect("a readable site");
    render_human(&checked.diagnostics, &checked.sources, true);
    render_json(&checked.diagnostics, &checked.sources);
    render_github(&checked.diagnostics, &checked.sources);
    checked
}

/// Builds a site into memory: the pages, or the diagnostics when it has
/// errors.
fn render(root: &Path) -> Vec<okra::write::OutputFile> {
    let checked = check(root);
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    okra::render::render_to_memory(&checked.site, root).expect("renders")
}

fn page<'f>(files: &'f [okra::write::OutputFile], path: &str) -> &'f str {
    let file = files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} is built"));
    std::str::from_utf8(&file.bytes).unwrap()
}

fn objective(id: &str, extra: &str) -> String {
    format!(
        "+++\ntitle = \"Objective {id}\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n{extra}\n{KEY_RESULT}+++\n"
    )
}

#[test]
fn a_huge_body_and_very_long_lines_are_built() {
    let mut body = String::with_capacity(50 << 20);
    body.push_str(&objective("big", ""));
    let paragraph = "Grow **revenue** in every [region](long.md) and keep churn low. ";
    while body.len() < 50 << 20 {
        body.push_str(paragraph);
        if body.len() % 7 == 0 {
            body.push_str("\n\n");
        }
    }
    let long_title = "x".repeat(1 << 20);
    let long = format!(
        "+++\ntitle = \"{long_title}\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n{KEY_RESULT}+++\n{}\n",
        "word ".repeat(200_000)
    );
    let dir = common::site_with(&[
        ("objectives/big.md", body.as_bytes()),
        ("objectives/long.md", long.as_bytes()),
    ]);
    let checked = check(dir.path());
    assert!(!checked.has_errors(), "{:?}", common::codes(&checked));
    let files = okra::render::render_to_memory(&checked.site, dir.path()).unwrap();
    assert!(page(&files, "objectives/big.html").len() > 50 << 20);
    assert!(page(&files, "objectives/long.html").contains(&long_title));
}

#[test]
fn ten_thousand_keys_are_each_reported() {
    let mut text = String::from("+++\ntitle = \"Many\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n");
    for i in 0..10_000 {
        text.push_str(&format!("extra_{i} = {i}\n"));
    }
    text.push_str(KEY_RESULT);
    text.push_str("+++\n");
    let dir = common::site_with(&[("objectives/many.md", text.as_bytes())]);
    let checked = check(dir.path());
    let unknown = common::codes(&checked)
        .iter()
        .filter(|c| **c == "unknown-key")
        .count();
    assert_eq!(unknown, 10_000);
}

#[test]
fn deep_nesting_is_reported_or_rendered_without_overflowing_the_stack() {
    let depth = 100_000;
    let arrays = format!(
        "+++\nx = {}1{}\n+++\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let tables = format!(
        "+++\nx = {}1{}\n+++\n",
        "{a = ".repeat(depth),
        "}".repeat(depth)
    );
    let dotted = format!("+++\n{} = 1\n+++\n", vec!["a"; depth].join("."));
    let quotes = objective("quotes", "") + &"> ".repeat(depth) + "deep\n";
    let lists = objective("lists", "")
        + &(0..2_000)
            .map(|i| format!("{}- item\n", "  ".repeat(i)))
            .collect::<String>();
    let html = objective("html", "") + &"<div>".repeat(depth) + "x";
    let dir = common::site_with(&[
        ("objectives/arrays.md", arrays.as_bytes()),
        ("objectives/tables.md", tables.as_bytes()),
        ("objectives/dotted.md", dotted.as_bytes()),
    ]);
    let checked = check(dir.path());
    assert!(checked.has_errors(), "nested values are not objectives");
    let dir = common::site_with(&[
        ("objectives/quotes.md", quotes.as_bytes()),
        ("objectives/lists.md", lists.as_bytes()),
        ("objectives/html.md", html.as_bytes()),
    ]);
    let files = render(dir.path());
    assert!(page(&files, "objectives/quotes.html").contains("deep"));
    assert!(page(&files, "objectives/lists.html").contains("item"));
    let html = page(&files, "objectives/html.html");
    assert!(
        html.contains("&lt;div&gt;&lt;div&gt;"),
        "too deep: shown as text"
    );
    assert!(!html.contains("<div><div>"));
}

#[test]
fn one_thousand_objectives_of_one_team_in_one_period() {
    let files: Vec<(String, String)> = (0..1000)
        .map(|i| (format!("objectives/o{i}.md"), objective(&i.to_string(), "")))
        .collect();
    let dir = common::site_with(&files);
    let checked = check(dir.path());
    assert!(
        common::codes(&checked).contains(&"too-many-objectives"),
        "{:?}",
        common::codes(&checked)
    );
    let files = render(dir.path());
    let team = page(&files, "teams/acme.html");
    // A link to each objective, and one to each of its key results; the
    // review notes link to the objective where the limit was passed.
    let notes = team.matches("#review-notes").count();
    assert_eq!(notes, 1, "too-many-objectives, on one objective");
    assert_eq!(
        team.matches("objectives/o").count() - team.matches("#kr-").count() - notes,
        1000
    );
}

#[test]
fn a_long_cascade_shows_the_top_and_the_nearest_objectives() {
    let files: Vec<(String, String)> = (0..15)
        .map(|i| {
            let parent = if i == 0 {
                String::new()
            } else {
                format!("parent = \"o{}\"", i - 1)
            };
            (
                format!("objectives/o{i}.md"),
                objective(&i.to_string(), &parent),
            )
        })
        .collect();
    let dir = common::site_with(&files);
    let files = render(dir.path());
    let last = page(&files, "objectives/o14.html");
    assert!(
        last.contains("Objective 0</a></li><li>… 3 more</li>"),
        "{last}"
    );
    assert!(last.contains("Objective 13</a></li>"));
    assert!(!last.contains(">Objective 2<"), "left out");
}

#[cfg(unix)]
#[test]
fn odd_file_names_links_and_special_files_are_handled() {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::symlink;

    let outside = tempfile::tempdir().unwrap();
    common::write(outside.path(), "secret.md", objective("secret", ""));
    let dir = common::site_with(&[("objectives/fine.md", objective("fine", "").as_bytes())]);
    let root = dir.path();
    let objectives = root.join("objectives");
    // A file name that is not UTF-8.
    std::fs::write(
        objectives.join(std::ffi::OsStr::from_bytes(b"caf\xe9.md")),
        objective("cafe", ""),
    )
    .unwrap();
    // Links: a loop, a dangling one, one out of the site, a folder loop.
    symlink(objectives.join("b.md"), objectives.join("a.md")).unwrap();
    symlink(objectives.join("a.md"), objectives.join("b.md")).unwrap();
    symlink(
        objectives.join("nowhere.md"),
        objectives.join("dangling.md"),
    )
    .unwrap();
    symlink(
        outside.path().join("secret.md"),
        objectives.join("secret.md"),
    )
    .unwrap();
    symlink(root, objectives.join("loop")).unwrap();
    symlink(outside.path(), root.join("pages")).unwrap();
    // A named pipe would block a reader forever.
    let fifo = std::process::Command::new("mkfifo")
        .arg(objectives.join("pipe.md"))
        .status()
        .unwrap();
    assert!(fifo.success());

    let checked = check(root);
    let messages: Vec<String> = checked
        .diagnostics
        .iter()
        .map(|d| d.message.clone())
        .collect();
    let all = messages.join("\n");
    assert!(
        !checked.site.objectives.iter().any(|o| o.id == "secret"),
        "a link out of the site is not followed"
    );
    assert!(all.contains("secret.md"), "{all}");
    assert!(
        all.contains("`pages` links to a folder outside the site"),
        "{all}"
    );
    assert!(all.contains("dangling.md"), "{all}");
    assert!(all.contains("a.md") && all.contains("b.md"), "{all}");
    assert!(
        all.contains("the file name `caf\u{fffd}` is not a valid id"),
        "a file name that is not UTF-8 is named: {all}"
    );
    assert!(
        all.contains("`objectives/pipe.md` is not a regular file"),
        "{all}"
    );
    assert!(checked.site.objectives.iter().any(|o| o.id == "fine"));
}

#[test]
fn a_content_folder_that_is_a_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "okra.toml", common::CONFIG);
    common::write(dir.path(), "teams", "not a folder");
    let checked = check(dir.path());
    assert!(checked.has_errors());
    assert!(
        checked
            .diagnostics
            .iter()
            .any(|d| d.message.contains("`teams` is not a folder")),
        "{:#?}",
        checked.diagnostics
    );
}

/// Whether this process runs as root, who may read any file.
fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
        status
            .lines()
            .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(2) == Some("0"))
    })
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_a_diagnostic_naming_it() {
    use std::os::unix::fs::PermissionsExt;

    let dir = common::site_with(&[
        ("objectives/locked.md", objective("locked", "").as_bytes()),
        ("objectives/open.md", objective("open", "").as_bytes()),
    ]);
    let root = dir.path();
    let locked = root.join("objectives/locked.md");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads every file, so the check runs as `nobody` then, with a copy
    // of the binary it can reach.
    let mut command = if running_as_root() {
        for folder in [root, &root.join("objectives"), &root.join("teams")] {
            std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        for file in ["okra.toml", "teams/acme.md", "objectives/open.md"] {
            std::fs::set_permissions(root.join(file), std::fs::Permissions::from_mode(0o644))
                .unwrap();
        }
        let bin = tempfile::tempdir().unwrap().keep();
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::copy(env!("CARGO_BIN_EXE_okra"), bin.join("okra")).unwrap();
        let mut command = std::process::Command::new("setpriv");
        command
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin.join("okra"));
        command
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_okra"))
    };
    let output = command
        .args(["check", root.to_str().unwrap(), "--format", "json"])
        .output()
        .expect("okra runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("cannot read `objectives/locked.md`"),
        "{stdout}"
    );
    assert!(stdout.contains("Permission denied"), "{stdout}");
    assert!(
        !stdout.contains("open.md"),
        "the readable file is fine: {stdout}"
    );
}

#[test]
fn thousands_of_unknown_references_are_all_reported() {
    let n = 2500;
    let files: Vec<(String, String)> = (0..n)
        .map(|i| {
            let parent = format!("parent = \"o{i}x\"");
            (
                format!("objectives/o{i}.md"),
                objective(&i.to_string(), &parent),
            )
        })
        .collect();
    let dir = common::site_with(&files);
    let checked = check(dir.path());
    let unknown: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "unknown-parent")
        .collect();
    assert_eq!(unknown.len(), n, "every reference is reported");
    let hinted = unknown
        .iter()
        .filter(|d| {
            d.hint
                .as_deref()
                .is_some_and(|h| h.starts_with("did you mean"))
        })
        .count();
    // Hints are bounded work: the first ones get one, not necessarily all.
    assert!(hinted > 0 && hinted <= n, "{hinted}");
}
