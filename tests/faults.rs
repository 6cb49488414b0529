//! Faults during a build: a build killed at any moment leaves the previous
//! output whole, and builds running at the same time into one folder never
//! mix their sites.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A site of `n` objectives, big enough that building it takes a while.
fn big_site(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::write(
        root,
        "okra.toml",
        "title = \"Big\"\nas_of = 2026-08-15\n[lint]\nallow = [\"too-many-objectives\"]\n",
    );
    common::write(
        root,
        "teams/acme.md",
        "+++\nname = \"Acme\"\nkind = \"company\"\n+++\n",
    );
    let body = "## Why\n\nBecause *customers* asked for it; see [the plan](o0.md).\n\n".repeat(20);
    for i in 0..n {
        common::write(
            root,
            &format!("objectives/o{i}.md"),
            format!(
                "+++\ntitle = \"Objective {i}\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n\
                 [[key_results]]\ntitle = \"Revenue {i}\"\nstart = 0\ntarget = 10\ncurrent = 4\n+++\n{body}"
            ),
        );
    }
    dir
}

fn spawn_build(site: &Path, out: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_okra"))
        .args(["build", site.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("okra runs")
}

fn build(site: &Path, out: &Path) {
    let status = spawn_build(site, out).wait().unwrap();
    assert!(status.success());
}

/// Names in the output's parent folder other than the output itself.
fn leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "public")
        .collect()
}

/// The two sites and the complete output of each.
struct Sites {
    small: tempfile::TempDir,
    big: tempfile::TempDir,
    small_files: BTreeMap<String, Vec<u8>>,
    big_files: BTreeMap<String, Vec<u8>>,
}

/// The two sites, made and built once for every test that needs them:
/// the tests only read them.
fn sites() -> &'static Sites {
    static SITES: std::sync::OnceLock<Sites> = std::sync::OnceLock::new();
    SITES.get_or_init(make_sites)
}

fn make_sites() -> Sites {
    let small = common::copy_site(&common::example_site());
    let big = big_site(1500);
    let reference = tempfile::tempdir().unwrap();
    build(small.path(), &reference.path().join("small"));
    build(big.path(), &reference.path().join("big"));
    Sites {
        small_files: common::files(&reference.path().join("small")),
        big_files: common::files(&reference.path().join("big")),
        small,
        big,
    }
}

#[test]
fn a_killed_build_leaves_the_previous_output_whole() {
    let sites = sites();
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("public");
    build(sites.small.path(), &out);
    let mut finished = 0;
    for delay in [0, 5, 20, 50, 100, 200, 300, 500, 800, 1200, 2000] {
        // Start from the small site each time, so that every kill lands on
        // a build that would change the output.
        build(sites.small.path(), &out);
        let mut child = spawn_build(sites.big.path(), &out);
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let status = child.wait().unwrap();
        finished += usize::from(status.success());
        let now = common::files(&out);
        assert!(
            now == sites.small_files || now == sites.big_files,
            "after a kill at {delay} ms the output is one whole site ({} files)",
            now.len()
        );
    }
    assert!(finished < 11, "some builds were killed mid-way");
    // The next build cleans up after the killed ones.
    build(sites.small.path(), &out);
    assert_eq!(common::files(&out), sites.small_files);
    assert!(
        leftovers(parent.path()).is_empty(),
        "{:?}",
        leftovers(parent.path())
    );
}

#[test]
fn concurrent_builds_into_one_folder_never_mix() {
    let sites = sites();
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("public");
    for _ in 0..4 {
        let mut small = spawn_build(sites.small.path(), &out);
        let mut big = spawn_build(sites.big.path(), &out);
        assert!(small.wait().unwrap().success());
        assert!(big.wait().unwrap().success());
        let now = common::files(&out);
        assert!(
            now == sites.small_files || now == sites.big_files,
            "the output is one whole site ({} files)",
            now.len()
        );
        assert!(
            leftovers(parent.path()).is_empty(),
            "{:?}",
            leftovers(parent.path())
        );
    }
}
