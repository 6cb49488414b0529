//! A site reads the same from the disk, from memory (as `okra diff` reads
//! a git revision) and through an editor's unsaved buffers, and whether
//! its texts are kept or read again where they are needed.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use okra::load::{Disk, InMemory, Overlay, SiteFiles};
use okra::model::SiteData;
use okra::{CheckOptions, Checked};

fn options() -> CheckOptions {
    CheckOptions {
        as_of: None,
        include_private: true,
        retention: okra::load::Retention::KEEP,
    }
}

/// Every file under `root`, by relative path, as a git tree holds them.
fn files_of(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(root).unwrap();
            let relative = relative.to_string_lossy().replace('\\', "/");
            (relative, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// What a check says: every diagnostic with its place, and the model.
fn outcome(checked: &Checked) -> (Vec<String>, String) {
    let diagnostics = checked
        .diagnostics
        .iter()
        .map(|d| {
            let place = d
                .span
                .map(|span| {
                    let file = checked.sources.get(span.file);
                    let (line, column) = file.line_col(span.start());
                    format!("{}:{line}:{column}", file.path)
                })
                .unwrap_or_default();
            format!("{place} {} {}", d.code.as_str(), d.message)
        })
        .collect();
    let data = serde_json::to_string(&SiteData(&checked.site)).unwrap();
    (diagnostics, data)
}

fn check(files: &dyn SiteFiles) -> Checked {
    okra::check_files(files, &options(), None).unwrap()
}

#[test]
fn disk_and_memory_read_the_same_site() {
    for root in ["example-site", "tests/fixtures/broken-site"] {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(root);
        let disk = check(&Disk::new(&root, None).unwrap());
        let memory = check(&InMemory::new("memory", files_of(&root)));
        assert!(!disk.site.objectives.is_empty(), "{}", root.display());
        assert_eq!(outcome(&disk), outcome(&memory), "{}", root.display());
    }
}

/// Every site under `tests/fixtures/` and the example site.
fn every_fixture_site() -> Vec<std::path::PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut roots: Vec<_> = walkdir::WalkDir::new(manifest.join("tests/fixtures"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "okra.toml")
        .filter_map(|e| e.path().parent().map(Path::to_path_buf))
        .collect();
    roots.push(manifest.join("example-site"));
    roots.sort();
    roots
}

#[test]
fn a_check_that_lets_texts_go_says_what_one_that_keeps_them_says() {
    let roots = every_fixture_site();
    assert!(roots.len() > 50, "{roots:?}");
    for root in roots {
        let disk = Disk::new(&root, None).unwrap();
        let kept = check(&disk);
        let released = okra::check_files(
            &disk,
            &CheckOptions {
                retention: okra::load::Retention::REPORT,
                ..options()
            },
            None,
        )
        .unwrap();
        assert_eq!(outcome(&kept), outcome(&released), "{}", root.display());
        // Every file a diagnostic quotes is read again in full; the others
        // are let go.
        let quoted: std::collections::BTreeSet<_> = released
            .diagnostics
            .iter()
            .flat_map(|d| d.files())
            .collect();
        for file in released.sources.ids() {
            let text = &released.sources.get(file).text;
            if quoted.contains(&file) {
                assert_eq!(text, &kept.sources.get(file).text, "{}", root.display());
            } else {
                assert!(text.is_empty(), "{}", released.sources.path(file));
            }
        }
        for objective in &released.site.objectives {
            assert!(objective.body.text().is_none(), "{}", objective.path);
        }
    }
}

/// Builds the site at `root` into memory, calling `meanwhile` between the
/// check and the rendering.
fn build_with(
    root: &Path,
    meanwhile: impl FnOnce(),
) -> anyhow::Result<Vec<okra::write::OutputFile>> {
    let options = okra::BuildOptions {
        as_of: None,
        output: root.join("public"),
        drafts: false,
        include_private: false,
        force: false,
        history: false,
    };
    let sink = okra::write::MemorySink::default();
    let (checked, rendered) =
        okra::render_into(root, &options, okra::render::RenderOptions::full(), || {
            meanwhile();
            Ok(&sink)
        })?;
    assert!(!checked.has_errors() && rendered.is_some());
    sink.into_files()
}

#[test]
fn a_build_reads_bodies_again_and_stops_if_one_changed_meanwhile() {
    let site = common::copy_site(&common::example_site());
    let path = "objectives/2026-q3/support-efficiency.md";
    let page = |files: &[okra::write::OutputFile]| {
        let page = files
            .iter()
            .find(|f| f.path == "objectives/support-efficiency.html")
            .expect("the objective's page");
        String::from_utf8(page.bytes.clone()).unwrap()
    };
    let built = build_with(site.path(), || {}).unwrap();
    assert!(page(&built).contains("Macros for the top ten questions"));

    let text = std::fs::read_to_string(site.path().join(path)).unwrap();
    for (what, edited) in [
        (
            "body",
            text.replace("top ten questions", "top nine questions"),
        ),
        ("front matter", text.replacen("+++\n", "+++\n# moved\n", 1)),
    ] {
        let error = build_with(site.path(), || common::write(site.path(), path, &edited))
            .err()
            .expect(what);
        assert_eq!(
            error.to_string(),
            format!("`{path}` changed while okra was building the site; build again"),
            "{what}"
        );
        common::write(site.path(), path, &text);
    }

    #[cfg(unix)]
    {
        // A link put in the file's place, to a file outside the site, is
        // never published: what it leads to is not the body checked.
        let outside = tempfile::tempdir().unwrap();
        common::write(outside.path(), "secret.md", "Top secret.\n");
        let linked = build_with(site.path(), || {
            std::fs::remove_file(site.path().join(path)).unwrap();
            std::os::unix::fs::symlink(outside.path().join("secret.md"), site.path().join(path))
                .unwrap();
        });
        let error = linked.err().expect("a link out");
        assert!(error.to_string().contains(path), "{error}");
        assert!(!error.to_string().contains("secret"), "{error}");
    }
}

#[test]
fn a_memory_site_needs_its_config_and_keeps_out_of_hidden_folders() {
    let error = okra::check_files(&InMemory::new("`HEAD`", BTreeMap::new()), &options(), None)
        .err()
        .unwrap();
    assert_eq!(error.to_string(), "no okra.toml in `HEAD`");

    let mut files = BTreeMap::new();
    files.insert("okra.toml".to_string(), b"as_of = 2026-05-01\n".to_vec());
    files.insert(
        "kpis/k.md".to_string(),
        b"+++\nname = \"K\"\nowner = \"t\"\ndata = \"../.secret/k.csv\"\n+++\n".to_vec(),
    );
    files.insert(".secret/k.csv".to_string(), b"2026-04-01,1\n".to_vec());
    files.insert(
        "teams/t.md".to_string(),
        b"+++\nname = \"T\"\n+++\n".to_vec(),
    );
    let checked = check(&InMemory::new("memory", files));
    let refused = common::diagnostic(&checked, "unreadable-file");
    assert!(
        refused.message.contains("../.secret/k.csv"),
        "{}",
        refused.message
    );
    assert!(checked.site.kpis[0].measurements.is_empty());
}

#[test]
fn unsaved_buffers_are_read_instead_of_the_disk() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
    let disk = Disk::new(&root, None).unwrap();
    let saved = check(&disk);
    let (path, objective) = {
        let o = &saved.site.objectives[0];
        (o.path.clone(), o.id.clone())
    };
    let mut text = String::from_utf8(disk.read(&path).unwrap().to_vec()).unwrap();
    // An edit that breaks the title's string, and a new document.
    text = text.replacen("title = \"", "title = ", 1);
    let mut buffers = BTreeMap::new();
    buffers.insert(path.clone(), text);
    buffers.insert(
        "pages/unsaved.md".to_string(),
        "+++\ntitle = \"Not saved yet\"\n+++\nDraft.\n".to_string(),
    );
    let edited = check(&Overlay::new(&disk, &buffers));
    let syntax = common::diagnostic(&edited, "toml-syntax");
    assert_eq!(edited.sources.path(syntax.file.unwrap()), path);
    assert!(!edited.site.index.objectives.contains_key(&objective));
    assert!(edited.site.index.pages.contains_key("unsaved"));
    assert!(
        !saved
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "toml-syntax"),
        "the disk is unchanged"
    );
}
