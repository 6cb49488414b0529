//! A site reads the same from the disk, from memory (as `okra diff` reads
//! a git revision) and through an editor's unsaved buffers.

use std::collections::BTreeMap;
use std::path::Path;

use okra::load::{Disk, InMemory, Overlay, SiteFiles};
use okra::model::SiteData;
use okra::{CheckOptions, Checked};

fn options() -> CheckOptions {
    CheckOptions {
        as_of: None,
        include_private: true,
        html: false,
        text: false,
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
    let refused = checked
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "unreadable-file")
        .expect("the hidden data file is refused");
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
    let syntax = edited
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "toml-syntax")
        .expect("the unsaved error is reported");
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
