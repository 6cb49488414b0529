//! `okra serve` renders again only the pages whose inputs changed. After
//! every kind of edit, the pages it keeps and the pages it renders must
//! together be exactly the site a full build makes.

use crate::common;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use okra::render::RenderOptions;
use okra::write::MemorySink;

type Files = BTreeMap<String, Arc<Vec<u8>>>;

fn options() -> okra::BuildOptions {
    okra::BuildOptions {
        as_of: None,
        output: Default::default(),
        drafts: false,
        include_private: false,
        force: false,
        history: false,
    }
}

/// Renders the site at `root` in full.
fn full(root: &Path) -> Files {
    let sink = MemorySink::default();
    let (_, rendered) =
        okra::render_into(root, &options(), RenderOptions::full(), || Ok(&sink)).unwrap();
    assert!(rendered.is_some(), "the edited site has errors");
    files_of(sink)
}

fn files_of(sink: MemorySink) -> Files {
    sink.into_files()
        .unwrap()
        .into_iter()
        .map(|f| (f.path, Arc::new(f.bytes)))
        .collect()
}

/// A running `serve`, without the server: the last good build and what it
/// keeps between builds.
#[derive(Default)]
struct Incremental {
    files: Files,
    hashes: HashMap<String, u64>,
    documents: okra::load::Memo,
}

impl Incremental {
    /// Rebuilds as `serve` does; returns how many files were rendered.
    fn rebuild(&mut self, root: &Path) -> usize {
        let sink = MemorySink::default();
        let rendering = RenderOptions {
            data_files: true,
            previous: Some(&self.hashes),
            documents: Some(&self.documents),
        };
        let (_, rendered) = okra::render_into(root, &options(), rendering, || Ok(&sink)).unwrap();
        let rendered = rendered.expect("the edited site has errors");
        let mut files = files_of(sink);
        for path in rendered.hashes.keys() {
            if !files.contains_key(path) {
                let kept = self.files.get(path).expect("a kept file was built before");
                files.insert(path.clone(), Arc::clone(kept));
            }
        }
        self.files = files;
        self.hashes = rendered.hashes;
        rendered.rendered
    }
}

fn edit(root: &Path, path: &str, from: &str, to: &str) {
    let file = root.join(path);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(from), "{path} has no {from:?}");
    std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
}

/// Names the files that differ from a full build. `404.html` differs on
/// purpose: a published one links from `base_url`, a served one from the
/// root of the server.
fn differences(incremental: &Files, full: &Files) -> Vec<String> {
    let mut out: Vec<String> = full
        .iter()
        .filter(|(path, _)| *path != "404.html")
        .filter(|(path, bytes)| incremental.get(*path) != Some(*bytes))
        .map(|(path, _)| format!("stale or missing: {path}"))
        .collect();
    out.extend(
        incremental
            .keys()
            .filter(|path| !full.contains_key(*path))
            .map(|path| format!("left over: {path}")),
    );
    out
}

#[test]
fn kept_and_rendered_pages_make_the_full_site_after_every_edit() {
    let site = common::copy_site(&common::example_site());
    let root = site.path();
    let mut serve = Incremental::default();
    let total = serve.rebuild(root);
    assert_eq!(differences(&serve.files, &full(root)), Vec::<String>::new());

    type Edit = (&'static str, &'static dyn Fn(&Path));
    let edits: &[Edit] = &[
        ("nothing", &|_| {}),
        ("an objective's title", &|r| {
            edit(
                r,
                "objectives/2026-q3/support-efficiency.md",
                "Increase the efficiency",
                "Raise the efficiency",
            )
        }),
        ("a check-in value", &|r| {
            edit(
                r,
                "objectives/2026-q3/support-efficiency.md",
                "value = 4.6",
                "value = 4.1",
            )
        }),
        ("a KPI measurement in CSV", &|r| {
            edit(
                r,
                "kpis/tickets-per-customer.csv",
                "2025-10-01,1.6",
                "2025-10-01,1.4",
            )
        }),
        ("a company objective's title", &|r| {
            edit(
                r,
                "objectives/2026/delight-customers.md",
                "Delight our customers",
                "Delight every customer",
            )
        }),
        ("a new aligned objective", &|r| {
            common::write(
                r,
                "objectives/2026-q3/answer-faster.md",
                "+++\ntitle = \"Answer faster\"\nowner = \"support\"\nperiod = \"2026-Q3\"\nparent = \"support-efficiency\"\n\n[[key_results]]\ntitle = \"First reply within 2 hours\"\nstart = 6\ntarget = 2\ncurrent = 4\n+++\n",
            )
        }),
        ("a removed objective", &|r| {
            std::fs::remove_file(r.join("objectives/2026-q3/answer-faster.md")).unwrap()
        }),
        ("a team's name", &|r| {
            edit(r, "teams/support.md", "Customer Support", "Customer Care")
        }),
        ("a free page's title", &|r| {
            edit(
                r,
                "pages/glossary.md",
                "title = \"Glossary\"",
                "title = \"Words we use\"",
            )
        }),
        ("a body with a link", &|r| {
            edit(
                r,
                "teams/support.md",
                "Answers every customer",
                "Answers every [customer](../kpis/csat.md)",
            )
        }),
        ("an objective's body", &|r| {
            edit(
                r,
                "objectives/2026-q3/support-efficiency.md",
                "Management decided",
                "The leadership team decided",
            )
        }),
        // A key result loses its owner in a team of several people: a
        // review note appears on the objective's page and its team's.
        ("a review note's cause", &|r| {
            edit(
                r,
                "objectives/2026-q3/support-efficiency.md",
                "owner = \"Ana\"\n",
                "",
            )
        }),
        ("the site's title", &|r| {
            edit(
                r,
                "okra.toml",
                "Northwind Outfitters OKRs",
                "Northwind OKRs",
            )
        }),
    ];
    for (what, apply) in edits {
        apply(root);
        let rendered = serve.rebuild(root);
        let wrong = differences(&serve.files, &full(root));
        assert!(wrong.is_empty(), "after editing {what}: {wrong:#?}");
        if *what == "nothing" {
            assert_eq!(rendered, 0, "nothing changed, yet files were rendered");
        }
        if *what == "an objective's title" || *what == "a check-in value" {
            assert!(
                rendered * 2 < total,
                "{what}: {rendered} of {total} files rendered again"
            );
        }
    }
}
