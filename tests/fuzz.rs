//! Fuzzing in CI-sized form. Two generators: the example site with random
//! mutations (flipped bytes, cut ranges, inserted tokens that matter to
//! TOML, Markdown, dates and ids, duplicated lines, removed and copied
//! files), and sites made of arbitrary files in arbitrary places. Every
//! site must check without a panic, every diagnostic must render, and a
//! site without errors must render every page.
//!
//! `OKRA_FUZZ_CASES=20000 cargo test --release --test integration fuzz::` runs longer. A
//! failing case is saved under `tests/fuzz.proptest-regressions` and
//! replayed first on every later run.

use crate::common;

use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

fn cases() -> u32 {
    std::env::var("OKRA_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(48)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

/// Checks and, without errors, renders the site at `root`.
fn exercise(root: &Path) {
    let checked = match okra::check(root, &okra::CheckOptions::default()) {
        Ok(checked) => checked,
        // Only a site without a readable okra.toml fails as a whole.
        Err(_) => return,
    };
    okra::diagnostic::render_human(&checked.diagnostics, &checked.sources, true);
    okra::diagnostic::render_json(&checked.diagnostics, &checked.sources);
    okra::diagnostic::render_github(&checked.diagnostics, &checked.sources);
    for d in &checked.diagnostics {
        if let Some(problem) = common::misplaced(d, &checked.sources) {
            panic!("{problem}");
        }
    }
    if !checked.has_errors() {
        let site = checked.site.published(false, false);
        okra::render::render_to_memory(&site, root).expect("a checked site renders");
    }
}

/// Tokens that mean something to TOML, Markdown, dates, numbers and ids.
const TOKENS: &[&str] = &[
    "+++",
    "\n",
    "\r\n",
    "\u{feff}",
    "\0",
    "[[key_results]]\n",
    "[[checkins]]\n",
    "[healthy]\n",
    "parent = \"",
    "owner = \"",
    "kpi = \"",
    "period = \"",
    "\"",
    "'",
    "'''",
    "\"\"\"",
    "= ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "# ",
    ".",
    "-1e308",
    "1e999",
    "nan",
    "-inf",
    "0",
    "-0.0",
    "2026-02-30",
    "2026-02-29",
    "9999-12-31",
    "0000-01-01",
    "2026-Q5",
    "2026-H3",
    "kr1",
    "support",
    "northwind",
    "<script>alert(1)</script>",
    "](",
    "../",
    "../../",
    "**",
    "|",
    "---",
    "\t",
    "é",
    "日本",
    "\u{202e}",
    "data.csv",
    "visibility = \"private\"",
    "draft = true",
    "weight = -1",
    "confidence = 2",
    "done = \"yes\"",
    "kind = \"health\"",
    "min = 5\nmax = 1",
];

/// One change to a site's files.
#[derive(Clone, Debug)]
enum Mutation {
    Flip {
        file: usize,
        at: usize,
        byte: u8,
    },
    Cut {
        file: usize,
        at: usize,
        len: usize,
    },
    Insert {
        file: usize,
        at: usize,
        token: usize,
    },
    DuplicateLine {
        file: usize,
        at: usize,
    },
    Remove {
        file: usize,
    },
    Copy {
        file: usize,
        to: usize,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let file = any::<usize>();
    let at = any::<usize>();
    prop_oneof![
        1 => (file, at, any::<u8>())
            .prop_map(|(file, at, byte)| Mutation::Flip { file, at, byte }),
        1 => (file, at, 0..200usize)
            .prop_map(|(file, at, len)| Mutation::Cut { file, at, len }),
        3 => (file, at, 0..TOKENS.len())
            .prop_map(|(file, at, token)| Mutation::Insert { file, at, token }),
        1 => (file, at).prop_map(|(file, at)| Mutation::DuplicateLine { file, at }),
        1 => file.prop_map(|file| Mutation::Remove { file }),
        1 => (file, file).prop_map(|(file, to)| Mutation::Copy { file, to }),
    ]
}

/// The example site's files, by relative path.
fn example_files() -> Vec<(String, Vec<u8>)> {
    let root = common::example_site();
    walkdir::WalkDir::new(&root)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(&root).unwrap();
            (
                relative.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn apply(files: &mut Vec<(String, Vec<u8>)>, mutation: &Mutation) {
    if files.is_empty() {
        return;
    }
    let n = files.len();
    let spot = |bytes: &Vec<u8>, at: usize| {
        if bytes.is_empty() {
            0
        } else {
            at % (bytes.len() + 1)
        }
    };
    match *mutation {
        Mutation::Flip { file, at, byte } => {
            let bytes = &mut files[file % n].1;
            if !bytes.is_empty() {
                let i = at % bytes.len();
                bytes[i] = byte;
            }
        }
        Mutation::Cut { file, at, len } => {
            let bytes = &mut files[file % n].1;
            let start = spot(bytes, at);
            let end = (start + len).min(bytes.len());
            bytes.drain(start..end);
        }
        Mutation::Insert { file, at, token } => {
            let bytes = &mut files[file % n].1;
            let i = spot(bytes, at);
            bytes.splice(i..i, TOKENS[token].bytes());
        }
        Mutation::DuplicateLine { file, at } => {
            let bytes = &mut files[file % n].1;
            let i = spot(bytes, at);
            let start = bytes[..i]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            let end = bytes[i..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |p| i + p + 1);
            let line = bytes[start..end].to_vec();
            bytes.splice(start..start, line);
        }
        Mutation::Remove { file } => {
            files.remove(file % n);
        }
        Mutation::Copy { file, to } => {
            let (path, bytes) = files[file % n].clone();
            let (other, _) = &files[to % n];
            let folder = other.rsplit_once('/').map_or("", |(f, _)| f);
            let name = path.rsplit('/').next().unwrap_or("copy.md");
            files.push((format!("{folder}/copy-{name}"), bytes));
        }
    }
}

fn write_site(files: &[(String, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in files {
        let full = dir.path().join(path);
        if let Some(parent) = full.parent() {
            if std::fs::create_dir_all(parent).is_err() {
                continue;
            }
        }
        // A path may now name a folder another file created; skip it.
        let _ = std::fs::write(full, bytes);
    }
    dir
}

/// A plausible path for a file of a site.
fn site_path() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "teams",
            "objectives",
            "objectives/2026",
            "kpis",
            "pages",
            "static",
            "templates",
            "templates/assets",
            "",
        ]),
        "[a-z0-9_.-]{0,10}",
        prop::sample::select(vec![
            ".md", ".md", ".md", ".csv", ".html", ".css", ".toml", "",
        ]),
    )
        .prop_map(|(folder, name, ext)| {
            if folder.is_empty() {
                format!("{name}{ext}")
            } else {
                format!("{folder}/{name}{ext}")
            }
        })
}

/// Contents: arbitrary bytes, or a document of plausible front matter.
fn contents() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        prop::sample::select(TOKENS.to_vec()).prop_map(str::to_string),
        (
            prop::sample::select(vec![
                "id",
                "title",
                "name",
                "owner",
                "period",
                "parent",
                "kind",
                "start",
                "target",
                "current",
                "kpi",
                "due",
                "done",
                "unit",
                "data",
                "healthy",
                "measurements",
                "as_of",
                "periods",
                "lint",
                "members",
            ]),
            prop_oneof![
                Just("\"support\"".to_string()),
                Just("\"2026-Q3\"".to_string()),
                Just("2026-07-01".to_string()),
                Just("[1, \"a\", {x = 1}]".to_string()),
                Just("{ min = 1, max = 0 }".to_string()),
                any::<i64>().prop_map(|n| n.to_string()),
                any::<f64>().prop_map(|f| format!("{f:?}")),
                "\"[ -~]{0,12}\"".prop_map(|s| s),
            ],
        )
            .prop_map(|(k, v)| format!("{k} = {v}")),
    ];
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..300),
        (prop::collection::vec(line, 0..12), "[ -~\n]{0,60}").prop_map(|(lines, body)| {
            format!("+++\n{}\n+++\n{body}", lines.join("\n")).into_bytes()
        }),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mutated_example_sites_never_panic(mutations in prop::collection::vec(mutation(), 1..5)) {
        let mut files = example_files();
        for m in &mutations {
            apply(&mut files, m);
        }
        let dir = write_site(&files);
        exercise(dir.path());
    }

    #[test]
    fn sites_of_arbitrary_files_never_panic(
        files in prop::collection::vec((site_path(), contents()), 0..14),
        config in contents(),
    ) {
        let mut files = files;
        files.insert(0, ("okra.toml".to_string(), config));
        files.push(("teams/acme.md".to_string(), b"+++\nname = \"Acme\"\nkind = \"company\"\n+++\n".to_vec()));
        let dir = write_site(&files);
        exercise(dir.path());
    }
}

/// A value as an author might write it, from the ordinary to the extreme.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        (-1000i64..1000).prop_map(|n| n.to_string()),
        prop::sample::select(vec![
            "1e15",
            "-1e15",
            "1e-300",
            "-1e-300",
            "5e-324",
            "-0.0",
            "0.0",
            "999999999999999.9",
            "0.1",
            "1e14",
        ])
        .prop_map(str::to_string),
        any::<f64>()
            .prop_filter("within range", |f| f.is_finite() && f.abs() <= 1e15)
            .prop_map(|f| format!("{f:?}")),
    ]
}

/// An id of any valid length.
fn id() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9_-]{0,63}"
}

/// One key result of any kind, with values anywhere in range.
fn key_result() -> impl Strategy<Value = String> {
    prop_oneof![
        (value(), value(), prop::option::of(value())).prop_map(|(start, target, current)| {
            let current = current.map(|c| format!("current = {c}\n")).unwrap_or_default();
            format!("[[key_results]]\ntitle = \"Move a number\"\nstart = {start}\ntarget = {target}\n{current}")
        }),
        (any::<bool>(), 0.0f64..=1.0).prop_map(|(done, progress)| format!(
            "[[key_results]]\ntitle = \"Ship it\"\nkind = \"milestone\"\ndone = {done}\nprogress = {progress:?}\ndue = 2026-08-01\n"
        )),
        (value(), value(), value()).prop_map(|(min, max, current)| format!(
            "[[key_results]]\ntitle = \"Keep it\"\nkind = \"health\"\nmin = {min}\nmax = {max}\ncurrent = {current}\n"
        )),
        (value(), value(), value(), value()).prop_map(|(start, target, a, b)| format!(
            "[[key_results]]\ntitle = \"Tracked\"\nkpi = \"gauge\"\nstart = {start}\ntarget = {target}\n\
             [[key_results.checkins]]\ndate = 2026-07-10\nvalue = {a}\nconfidence = 0.5\nnote = \"first\"\n\
             [[key_results.checkins]]\ndate = 2026-08-01\nvalue = {b}\n"
        )),
    ]
}

/// A site that may well have no errors: teams, objectives with key results
/// of every kind, a KPI with measurements, and a declared period, with ids
/// of every length and values of every size.
fn plausible_site() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    let objective = (
        id(),
        prop::sample::select(vec!["2026", "2026-Q3", "2026-07", "FY27-Q1", "2026-H2"]),
        prop::collection::vec(key_result(), 1..5),
        "[ -~]{1,40}",
    );
    (
        prop::collection::vec(objective, 1..6),
        prop::collection::vec((value(), 1u32..28), 0..6),
        prop::option::of((value(), value())),
    )
        .prop_map(|(objectives, measurements, band)| {
            let mut files = vec![
                (
                    "okra.toml".to_string(),
                    "title = \"Plausible\"\nas_of = 2026-08-15\n\
                     [periods.FY27-Q1]\nstart = 2026-10-01\nend = 2026-12-31\n"
                        .to_string(),
                ),
                (
                    "teams/acme.md".to_string(),
                    "+++\nname = \"Acme\"\nkind = \"company\"\n+++\n".to_string(),
                ),
            ];
            let measurements: String = measurements
                .iter()
                .map(|(v, day)| format!("[[measurements]]\ndate = 2026-07-{day:02}\nvalue = {v}\n"))
                .collect();
            let band = band
                .map(|(min, max)| format!("healthy = {{ min = {min}, max = {max} }}\n"))
                .unwrap_or_default();
            files.push((
                "kpis/gauge.md".to_string(),
                format!("+++\nname = \"Gauge\"\nowner = \"acme\"\ncadence = \"yearly\"\n{band}{measurements}+++\n"),
            ));
            for (n, (id, period, key_results, title)) in objectives.iter().enumerate() {
                let title = title.replace(['\\', '"'], "'");
                files.push((
                    format!("objectives/o{n}.md"),
                    format!(
                        "+++\nid = \"{id}\"\ntitle = \"{title}\"\nowner = \"acme\"\nperiod = \"{period}\"\n{}+++\n# {title}\n",
                        key_results.concat()
                    ),
                ));
            }
            files.into_iter().map(|(p, t)| (p, t.into_bytes())).collect()
        })
}

proptest! {
    #![proptest_config(config())]

    /// Whatever `check` accepts, `build` writes to disk.
    #[test]
    fn every_site_without_errors_builds(files in plausible_site()) {
        let dir = write_site(&files);
        let checked = okra::check(dir.path(), &okra::CheckOptions::default()).expect("readable");
        if !checked.has_errors() {
            let out = tempfile::tempdir().unwrap();
            let options = okra::BuildOptions {
                as_of: None,
                output: out.path().join("public"),
                drafts: false,
                include_private: false,
                force: false,
                history: false,
            };
            let built = okra::build(dir.path(), &options).expect("a checked site builds");
            prop_assert!(built.pages.is_some());
            for objective in &checked.site.objectives {
                let page = out.path().join(format!("public/objectives/{}.html", objective.id));
                prop_assert!(page.is_file(), "{} is written", page.display());
                let html = std::fs::read_to_string(page).unwrap();
                prop_assert!(!html.contains("NaN") && !html.contains("inf%"), "{html}");
            }
        }
    }
}
