//! Helpers shared by the integration tests: fixture sites, the `okra`
//! binary and temporary copies of sites.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The folder of a fixture site under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The bundled example site.
pub fn example_site() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site")
}

/// Runs the library's check on a fixture site.
pub fn check(path: &Path) -> okra::Checked {
    okra::check(path, &okra::CheckOptions::default()).expect("the site can be read")
}

/// Runs the `okra` binary with `args`, without colour.
pub fn okra(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_okra"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("okra runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// Copies a site into a fresh temporary folder.
pub fn copy_site(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_dir(from, dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("readable fixture");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// The `okra.toml` of the small sites tests make.
pub const CONFIG: &str = "title = \"Test\"\nas_of = 2026-08-15\n";
/// The company team of those sites.
pub const COMPANY: &str = "+++\nname = \"Acme\"\nkind = \"company\"\n+++\n";

/// A site in a fresh temporary folder: [`CONFIG`], a company `acme` and
/// whatever `files` add.
pub fn site_with(files: &[(impl AsRef<str>, impl AsRef<[u8]>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    write(dir.path(), "okra.toml", CONFIG);
    write(dir.path(), "teams/acme.md", COMPANY);
    for (path, bytes) in files {
        write(dir.path(), path.as_ref(), bytes);
    }
    dir
}

/// The codes of a check's diagnostics, in order.
pub fn codes(checked: &okra::Checked) -> Vec<&'static str> {
    checked
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

/// The first diagnostic of `code`, which the check must have reported.
pub fn diagnostic<'c>(checked: &'c okra::Checked, code: &str) -> &'c okra::diagnostic::Diagnostic {
    checked
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == code)
        .unwrap_or_else(|| panic!("no `{code}` among {:#?}", checked.diagnostics))
}

/// A path as the `&str` a command line takes.
pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// Asserts a command's exit status, showing what it printed otherwise.
pub fn assert_exit(output: &Output, code: i32) {
    assert_eq!(output.status.code(), Some(code), "{}", report(output));
}

/// Writes `text` to `root/path`, creating folders.
pub fn write(root: &Path, path: &str, text: impl AsRef<[u8]>) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().expect("has a parent")).expect("create folder");
    std::fs::write(full, text).expect("write file");
}

/// Fails the test, with how to get it, when a tool it drives is missing.
/// Tests that drive tools are `#[ignore]`d so a plain `cargo test` runs
/// without them; `cargo test -- --ignored` runs them, and `.ci/run`
/// installs every tool first. A missing tool is a failure, never a skip.
pub fn require_tool(available: bool, what: &str) {
    assert!(
        available,
        "{what} is missing: run `bash .ci/run`, which installs it, or install it by hand"
    );
}

/// The folder of the browser-test tools (`npm ci` installs them).
pub fn browser_tools() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// The browser-test tools, after requiring node, Chromium, playwright-core
/// and the other npm `packages` a test drives.
pub fn require_browser(packages: &[&str]) -> PathBuf {
    let tools = browser_tools();
    let mut ready = runs("node") && runs("chromium");
    let mut what = String::from("node, chromium");
    for package in std::iter::once(&"playwright-core").chain(packages) {
        ready &= tools.join("node_modules").join(package).is_dir();
        what.push_str(&format!(", {package}"));
    }
    require_tool(ready, &what);
    tools
}

/// Whether `program --version` runs.
pub fn runs(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Builds the site at `site` with `okra build` into `public/` of a fresh
/// temporary folder, which it returns; the build must succeed.
pub fn built_site(site: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path().join("public");
    let output = okra(&["build", path_str(site), "-o", path_str(&out)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    dir
}

/// Every file of a folder, by relative path with `/` separators.
pub fn files(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("readable folder"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e
                .path()
                .strip_prefix(root)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            (relative, std::fs::read(e.path()).expect("readable file"))
        })
        .collect()
}

/// What a helper program printed, standard output then standard error.
pub fn report(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// What is wrong with where a diagnostic points, if anything: its span must
/// lie in its own file, on character boundaries, start no later than it
/// ends, and its line and column must name a place in that text.
pub fn misplaced(
    d: &okra::diagnostic::Diagnostic,
    sources: &okra::source::Sources,
) -> Option<String> {
    let (Some(file), Some(span)) = (d.file, d.span) else {
        return None;
    };
    if span.file != file {
        return Some(format!("{d:?}: span in another file"));
    }
    let text = sources.get(file).text.as_str();
    let boundaries = text.is_char_boundary(span.start()) && text.is_char_boundary(span.end());
    if span.start() > span.end() || span.end() > text.len() || !boundaries {
        return Some(format!(
            "{d:?}: span {:?} outside its {}-byte file",
            span.range(),
            text.len()
        ));
    }
    let position = d.position(sources)?;
    let line = text.split('\n').nth(position.line - 1);
    match line {
        Some(line) if position.column <= line.chars().count() + 1 => None,
        _ => Some(format!("{d:?}: {position:?} is not in the file")),
    }
}
