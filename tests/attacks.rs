//! What an attacker can send through a pull request or a web page, class by
//! class: each is refused at its root or comes out inert.

use crate::common;

use std::path::Path;

const KEY_RESULT: &str =
    "[[key_results]]\ntitle = \"R\"\nowner = \"Ann\"\nstart = 1\ntarget = 2\ncurrent = 1\n";

/// An objective of the company in 2026-Q3, with `extra` front matter.
fn objective(extra: &str) -> String {
    format!(
        "+++\ntitle = \"O\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n{extra}\n{KEY_RESULT}+++\n"
    )
}

/// A site with a company and whatever `files` add (text only, so that one
/// list can mix literals and formatted strings).
fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    common::site_with(files)
}

fn check(root: &Path) -> okra::Checked {
    okra::check(root, &okra::CheckOptions::default()).expect("a readable site")
}

use common::{codes, path_str};

#[test]
fn declared_period_ids_are_slugs_and_never_paths() {
    let dir = site(&[("objectives/o.md", &objective(""))]);
    let config = format!(
        "{}[periods.\"../../escaped\"]\nstart = 2026-10-01\nend = 2026-12-31\n\
         [periods.\"FY27/Q1\"]\nstart = 2026-10-01\nend = 2026-12-31\n\
         [periods.\"2026-q4\"]\nstart = 2026-10-01\nend = 2026-12-31\n\
         [periods.FY27-Q2]\nstart = 2027-01-01\nend = 2027-03-31\n\
         [periods.fy27-q2]\nstart = 2027-01-01\nend = 2027-03-31\n\
         [periods.{}]\nstart = 2027-01-01\nend = 2027-03-31\n",
        common::CONFIG,
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
    common::assert_exit(&built, 1);
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
    let longest = "b".repeat(okra::slug::MAX_ID_LEN);
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
    common::assert_exit(&refused, 2);
    assert!(common::stderr(&refused).contains("--force"));
    assert!(home.join("thesis.tex").is_file(), "nothing was touched");
    // okra's own output is rebuilt without being asked twice.
    let out = dir.path().join("public");
    for _ in 0..2 {
        let built = common::okra(&["build", path_str(&site), "-o", path_str(&out)]);
        common::assert_exit(&built, 0);
    }
    assert!(out.join(okra::write::MARKER).is_file());
    let forced = common::okra(&["build", path_str(&site), "-o", path_str(&home), "--force"]);
    common::assert_exit(&forced, 0);
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

const SECRET: &str = "TOP-SECRET-3f9a";

/// A site whose every readable place holds a link out of it or into a
/// hidden folder, and the secrets those links lead to.
#[cfg(unix)]
fn site_of_links() -> (tempfile::TempDir, tempfile::TempDir) {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    common::write(outside.path(), "secret.html", format!("<p>{SECRET}</p>"));
    common::write(
        outside.path(),
        "secret.csv",
        format!("date,value\n{SECRET},1\n"),
    );
    common::write(outside.path(), "folder/secret.txt", SECRET);
    let dir = site(&[
        ("objectives/o.md", &objective("")),
        (
            "kpis/k.md",
            "+++\nname = \"K\"\nowner = \"acme\"\ndata = \"k.csv\"\n+++\n",
        ),
        (
            "kpis/g.md",
            "+++\nname = \"G\"\nowner = \"acme\"\ndata = \"../.git/data.csv\"\n+++\n",
        ),
        (".git/data.csv", &format!("date,value\n{SECRET},1\n")),
        (
            ".git/stolen.md",
            &format!("+++\ntitle = \"{SECRET}\"\n+++\n"),
        ),
        ("static/ok.txt", "fine"),
    ]);
    let root = dir.path();
    let o = outside.path();
    std::fs::create_dir_all(root.join("templates/assets")).unwrap();
    std::fs::create_dir_all(root.join("pages")).unwrap();
    symlink(o.join("secret.html"), root.join("templates/page.html")).unwrap();
    symlink(
        root.join(".git/data.csv"),
        root.join("templates/assets/okra.css"),
    )
    .unwrap();
    symlink(o.join("folder"), root.join("static/folder")).unwrap();
    symlink(o.join("secret.txt"), root.join("static/secret.txt")).unwrap();
    symlink(o.join("secret.csv"), root.join("kpis/k.csv")).unwrap();
    symlink(root.join(".git/stolen.md"), root.join("pages/stolen.md")).unwrap();
    (dir, outside)
}

#[cfg(unix)]
#[test]
fn links_out_of_the_site_are_reported_and_never_followed() {
    let (dir, _outside) = site_of_links();
    let checked = check(dir.path());
    let human = okra::diagnostic::render_human(&checked.diagnostics, &checked.sources, false);
    let json = okra::diagnostic::render_json(&checked.diagnostics, &checked.sources);
    for named in [
        "templates/page.html",
        "templates/assets/okra.css",
        "static/folder",
        "static/secret.txt",
        "pages/stolen.md",
        "k.csv",
        "../.git/data.csv",
    ] {
        assert!(human.contains(named), "{named} is not named:\n{human}");
    }
    assert!(!human.contains(SECRET) && !json.contains(SECRET), "{human}");
    assert!(checked.has_errors());
    // The build fails and says nothing of what the links lead to.
    let out = dir.path().join("public");
    let built = common::okra(&["build", path_str(dir.path()), "-o", path_str(&out)]);
    common::assert_exit(&built, 1);
    assert!(!common::report(&built).contains(SECRET));
    assert!(!out.exists());
}

#[cfg(unix)]
#[test]
fn a_linked_static_folder_or_config_is_refused() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    common::write(outside.path(), "passwd", SECRET);
    common::write(outside.path(), "okra.toml", common::CONFIG);
    let dir = site(&[("objectives/o.md", &objective(""))]);
    symlink(outside.path(), dir.path().join("static")).unwrap();
    let checked = check(dir.path());
    assert_eq!(
        codes(&checked),
        ["unreadable-file"],
        "{:#?}",
        checked.diagnostics
    );
    let built = common::okra(&["build", path_str(dir.path())]);
    common::assert_exit(&built, 1);
    // The library refuses too, whatever the check said.
    let staging_out = tempfile::tempdir().unwrap();
    let staging = okra::write::Staging::new(&staging_out.path().join("public")).unwrap();
    assert!(staging.copy_static(&dir.path().join("static")).is_err());
    drop(staging);
    std::fs::remove_file(dir.path().join("okra.toml")).unwrap();
    symlink(
        outside.path().join("okra.toml"),
        dir.path().join("okra.toml"),
    )
    .unwrap();
    let refused = common::okra(&["check", path_str(dir.path())]);
    common::assert_exit(&refused, 2);
    assert!(common::report(&refused).contains("okra.toml is a link"));
}

#[cfg(unix)]
#[test]
fn init_force_never_writes_through_a_link() {
    let outside = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "README.md", "ours");
    std::os::unix::fs::symlink(outside.path(), dir.path().join("teams")).unwrap();
    let refused = common::okra(&["init", path_str(dir.path()), "--force"]);
    common::assert_exit(&refused, 2);
    assert!(common::report(&refused).contains("is a link"));
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    std::fs::remove_file(dir.path().join("teams")).unwrap();
    std::fs::create_dir(dir.path().join("teams")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("x.md"), dir.path().join("okra.toml")).unwrap();
    let refused = common::okra(&["init", path_str(dir.path()), "--force"]);
    common::assert_exit(&refused, 2);
    assert!(!outside.path().join("x.md").exists());
}

#[test]
fn names_of_private_kpis_and_traces_of_drafts_stay_out() {
    let dir = site(&[
        (
            "objectives/o.md",
            "+++\ntitle = \"O\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n\
             [[key_results]]\ntitle = \"R\"\nkpi = \"payroll-cost\"\nstart = 1\ntarget = 2\ncurrent = 1\n+++\n\
             See [the cost](../kpis/payroll-costs.md).\n",
        ),
        (
            "objectives/draft.md",
            "+++\ntitle = \"Secret plan\"\nowner = \"acme\"\nperiod = \"2031-Q4\"\ndraft = true\n\
             [[key_results]]\ntitle = \"R\"\nstart = 1\ntarget = 2\ncurrent = 1\n+++\n",
        ),
        (
            "kpis/payroll-cost.md",
            "+++\nname = \"Payroll\"\nowner = \"acme\"\nvisibility = \"private\"\n\
             [[measurements]]\ndate = 2026-07-01\nvalue = 1\n+++\n",
        ),
    ]);
    // The typo is reported, but no hint names the private KPI.
    let checked = check(dir.path());
    let human = okra::diagnostic::render_human(&checked.diagnostics, &checked.sources, false);
    assert!(
        human.contains("unknown KPI `payroll-cost`") || human.contains("payroll-cost"),
        "{human}"
    );
    assert!(!human.contains("did you mean `payroll-cost`"), "{human}");
    assert!(!human.contains("kpis/payroll-cost.md`?"), "{human}");
    // Fix the references; the draft's period leaves no trace.
    let text = std::fs::read_to_string(dir.path().join("objectives/o.md")).unwrap();
    std::fs::write(
        dir.path().join("objectives/o.md"),
        text.replace("kpi = \"payroll-cost\"\n", "")
            .replace("See [the cost](../kpis/payroll-costs.md).", ""),
    )
    .unwrap();
    let built = common::built_site(dir.path());
    for (path, bytes) in common::files(&built.path().join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        for trace in ["2031", "Secret plan", "payroll", "Payroll"] {
            assert!(!text.contains(trace), "{trace} in {path}");
        }
    }
}

#[test]
fn control_characters_in_file_names_are_shown_escaped() {
    let dir = site(&[("objectives/\u{1b}[31mred\u{202e}.md", &objective(""))]);
    let checked = check(dir.path());
    let human = okra::diagnostic::render_human(&checked.diagnostics, &checked.sources, false);
    let github = okra::diagnostic::render_github(&checked.diagnostics, &checked.sources);
    let json = okra::diagnostic::render_json(&checked.diagnostics, &checked.sources);
    assert!(!checked.diagnostics.is_empty());
    for out in [&human, &github, &json] {
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{202e}'),
            "{out}"
        );
    }
    assert!(human.contains("\\u{1b}[31mred\\u{202e}"), "{human}");
}

#[test]
fn problems_of_private_kpis_are_counted_but_not_told() {
    let dir = site(&[
        (
            "objectives/o.md",
            "+++\ntitle = \"O\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n\
             [[key_results]]\ntitle = \"R\"\nkpi = \"payroll-cost\"\ntarget = 2\n+++\n",
        ),
        (
            "kpis/payroll-cost.md",
            "+++\nname = \"Payroll\"\nowner = \"acme\"\nvisibility = \"private\"\n\
             cadence = \"hourly\"\ndata = \"payroll.csv\"\n+++\n",
        ),
        ("kpis/payroll.csv", "date,value\n2026-07-01,lots\n"),
    ]);
    let root = path_str(dir.path());
    for format in ["human", "json", "github"] {
        let output = common::okra(&["check", root, "--format", format]);
        common::assert_exit(&output, 1);
        // Source lines quoted from the public objective are its author's
        // own public text; everything okra says is checked.
        let text: String = common::report(&output)
            .lines()
            .filter(|line| {
                line.trim_start()
                    .split_once(" |")
                    .is_none_or(|(n, _)| n.parse::<usize>().is_err())
            })
            .collect::<Vec<_>>()
            .join("\n");
        for secret in ["payroll", "Payroll", "hourly", "lots"] {
            assert!(!text.contains(secret), "{format}: {secret} in\n{text}");
        }
        assert!(text.contains("private-kpi-exposed"), "{format}: {text}");
        assert!(
            text.contains("bad-value") && text.contains("bad-csv"),
            "{format}: {text}"
        );
    }
    // The public objective that exposes the KPI is still pointed at.
    let json = common::stdout(&common::okra(&["check", root, "--format", "json"]));
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let exposed = report
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "private-kpi-exposed")
        .unwrap();
    assert_eq!(exposed["file"], "objectives/o.md");
    let built = common::okra(&["build", root]);
    common::assert_exit(&built, 1);
    assert!(!common::report(&built).contains("Payroll"));
    assert!(!common::report(&built).contains("fortnightly"));
    // Those who may see private KPIs see everything.
    let full = common::okra(&["check", root, "--include-private"]);
    let text = common::report(&full);
    assert!(
        text.contains("kpis/payroll-cost.md") && text.contains("fortnightly"),
        "{text}"
    );
}

#[test]
fn work_item_links_are_web_links_and_stay_inside_their_attribute() {
    let refused = site(&[(
        "objectives/o.md",
        &objective(
            "links = [\"javascript:alert(1)\", \"file:///etc/passwd\", \"//evil.example\", \"https://ok.example/a b\"]",
        ),
    )]);
    let checked = check(refused.path());
    assert_eq!(
        codes(&checked),
        ["bad-value"; 4],
        "{:#?}",
        checked.diagnostics
    );

    let quoted = site(&[(
        "objectives/o.md",
        &objective(
            "links = [\"https://x.example/?q=\\\"><script>alert(1)</script>\"]\npriority = \"<b>P0</b>\"",
        ),
    )]);
    let out = tempfile::tempdir().unwrap();
    let output = common::okra(&[
        "build",
        path_str(quoted.path()),
        "-o",
        path_str(out.path()),
        "--force",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let html = std::fs::read_to_string(out.path().join("objectives/o.html")).unwrap();
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<b>P0</b>"));
    assert!(html.contains("&lt;b&gt;P0&lt;/b&gt;"));
}

#[test]
fn base_url_is_a_web_address_and_the_404_page_loads_only_from_its_path() {
    for bad in [
        "data:text/javascript,alert(document.domain)//",
        "javascript:alert(1)//",
        "https:///no-host",
        "//other.host/",
    ] {
        let dir = site(&[("objectives/o.md", &objective(""))]);
        let config = format!("{}base_url = \"{bad}\"\n", common::CONFIG);
        common::write(dir.path(), "okra.toml", &config);
        assert_eq!(codes(&check(dir.path())), ["bad-value"], "{bad}");
    }
    let dir = site(&[("objectives/o.md", &objective(""))]);
    let config = format!("{}base_url = \"https://other.host/okrs\"\n", common::CONFIG);
    common::write(dir.path(), "okra.toml", &config);
    let built = common::built_site(dir.path());
    let page = std::fs::read_to_string(built.path().join("public/404.html")).unwrap();
    assert!(!page.contains("other.host"), "{page}");
    assert!(page.contains("src=\"/okrs/assets/okra.js\""), "{page}");
    assert!(page.contains("href=\"/okrs/search.html\""), "{page}");
}

#[test]
fn a_link_in_static_or_templates_never_publishes_a_document() {
    use std::os::unix::fs::symlink;
    let private = "+++\nname = \"Turnover\"\nowner = \"acme\"\nvisibility = \"private\"\n\
                   [[measurements]]\ndate = 2026-08-10\nvalue = 17\n+++\nSECRET-TURNOVER\n";
    for (link, to) in [
        ("static/leak.md", "../kpis/turnover.md"),
        ("static/deep/leak.txt", "../../kpis/turnover.md"),
        ("static/kpis", "../kpis"),
        ("templates/page.html", "../kpis/turnover.md"),
        ("static/config.toml", "../okra.toml"),
    ] {
        let dir = site(&[
            ("objectives/o.md", &objective("")),
            ("kpis/turnover.md", private),
            ("pages/about.md", "+++\ntitle = \"About\"\n+++\nHi\n"),
            ("static/logo.svg", "<svg/>"),
        ]);
        let at = dir.path().join(link);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        symlink(to, &at).unwrap();
        let checked = check(dir.path());
        assert_eq!(codes(&checked), ["unreadable-file"], "{link}");
        let human = okra::diagnostic::render_human(&checked.diagnostics, &checked.sources, false);
        assert!(human.contains(link), "{human}");
        let out = dir.path().join("out");
        let built = common::okra(&["build", path_str(dir.path()), "-o", path_str(&out)]);
        common::assert_exit(&built, 1);
        assert!(!out.exists(), "{link}");
        // The library's copy refuses the link whatever the check said.
        let staging_out = tempfile::tempdir().unwrap();
        let staging = okra::write::Staging::new(&staging_out.path().join("public")).unwrap();
        staging.copy_static(&dir.path().join("static")).unwrap();
        staging.commit().unwrap();
        for (path, bytes) in common::files(&staging_out.path().join("public")) {
            assert!(
                !String::from_utf8_lossy(&bytes).contains("SECRET-TURNOVER"),
                "{link}: {path}"
            );
        }
    }
    // A link that stays inside `static/` is published as before.
    let dir = site(&[
        ("objectives/o.md", &objective("")),
        ("static/logo.svg", "<svg/>"),
    ]);
    symlink("logo.svg", dir.path().join("static/brand.svg")).unwrap();
    assert_eq!(codes(&check(dir.path())), Vec::<&str>::new());
    let built = common::built_site(dir.path());
    assert!(built.path().join("public/brand.svg").is_file());
}

#[test]
fn a_data_file_belongs_to_one_kpi() {
    use std::os::unix::fs::symlink;
    let kpi = |name: &str, visibility: &str, data: &str| {
        format!(
            "+++\nname = \"{name}\"\nowner = \"acme\"\nvisibility = \"{visibility}\"\ndata = \"{data}\"\n+++\n"
        )
    };
    let csv = "date,value\n2026-08-10,917\n";
    let shared = site(&[
        ("objectives/o.md", &objective("")),
        (
            "kpis/turnover.md",
            &kpi("Turnover", "private", "turnover.csv"),
        ),
        (
            "kpis/headcount.md",
            &kpi("Headcount", "public", "turnover.csv"),
        ),
        ("kpis/turnover.csv", csv),
    ]);
    let checked = check(shared.path());
    assert_eq!(
        codes(&checked),
        ["shared-data"],
        "{:#?}",
        checked.diagnostics
    );
    // The second reader is the private KPI: its problem is counted, not told.
    let human = okra::diagnostic::render_human(&checked.diagnostics, &checked.sources, false);
    assert!(!human.contains("turnover.md"), "{human}");
    // Through a link, and a private KPI's data under `static/`.
    let linked = site(&[
        ("objectives/o.md", &objective("")),
        ("kpis/a.md", &kpi("A", "public", "a.csv")),
        ("kpis/b.md", &kpi("B", "private", "b.csv")),
        ("kpis/b.csv", csv),
        ("kpis/c.md", &kpi("C", "private", "../static/c.csv")),
        ("static/c.csv", csv),
    ]);
    symlink("b.csv", linked.path().join("kpis/a.csv")).unwrap();
    let checked = check(linked.path());
    assert_eq!(
        codes(&checked),
        ["shared-data", "shared-data"],
        "{:#?}",
        checked.diagnostics
    );
    let out = linked.path().join("out");
    let built = common::okra(&["build", path_str(linked.path()), "-o", path_str(&out)]);
    common::assert_exit(&built, 1);
    assert!(!out.exists());
}
