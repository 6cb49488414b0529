//! No input makes `okra check` panic: arbitrary bytes and arbitrary TOML as
//! a document, and odd but valid files.

use crate::common;

use proptest::prelude::*;

const CONFIG: &str = "title = \"Fuzz\"\nas_of = 2026-08-15\n";

fn check_with(path: &str, bytes: &[u8]) -> okra::Checked {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "okra.toml", CONFIG);
    common::write(
        dir.path(),
        "teams/acme.md",
        "+++\nname = \"Acme\"\nkind = \"company\"\n+++\n",
    );
    common::write(dir.path(), path, bytes);
    let checked = okra::check(dir.path(), &okra::CheckOptions::default()).expect("a readable site");
    // Rendering every diagnostic must not panic either.
    okra::diagnostic::render_human(&checked.diagnostics, &checked.sources, true);
    okra::diagnostic::render_json(&checked.diagnostics, &checked.sources);
    okra::diagnostic::render_github(&checked.diagnostics, &checked.sources);
    checked
}

/// Plausible front-matter lines: known and unknown keys with values of
/// every TOML type, tables and arrays of tables.
fn toml_line() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "id",
        "title",
        "name",
        "owner",
        "period",
        "parent",
        "draft",
        "kind",
        "start",
        "target",
        "current",
        "unit",
        "kpi",
        "done",
        "progress",
        "due",
        "min",
        "max",
        "weight",
        "confidence",
        "checkins",
        "date",
        "value",
        "healthy",
        "data",
        "measurements",
        "visibility",
        "cadence",
        "direction",
        "titel",
        "x",
    ]);
    let value = prop::sample::select(vec![
        "\"acme\"",
        "\"2026-Q3\"",
        "\"\"",
        "\"Bad Id\"",
        "1",
        "-1",
        "0",
        "1.5",
        "nan",
        "inf",
        "1e308",
        "true",
        "2026-08-15",
        "2026-08-15T10:00:00Z",
        "[]",
        "[1, \"a\"]",
        "{ min = 1 }",
        "{}",
        "\"../../x.csv\"",
        "\"grow\"",
        "\"metric\"",
        "\"health\"",
        "\"private\"",
        "99999999999999999999",
    ]);
    prop_oneof![
        (key.clone(), value).prop_map(|(k, v)| format!("{k} = {v}")),
        Just("[[key_results]]".to_string()),
        Just("[[key_results.checkins]]".to_string()),
        Just("[[measurements]]".to_string()),
        Just("[healthy]".to_string()),
        key.prop_map(|k| format!("[{k}]")),
        "[ -~]{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        check_with("objectives/fuzz.md", &bytes);
    }

    #[test]
    fn arbitrary_front_matter_never_panics(lines in prop::collection::vec(toml_line(), 0..30), kind in 0..4usize) {
        let path = ["objectives/fuzz.md", "kpis/fuzz.md", "teams/fuzz.md", "pages/fuzz.md"][kind];
        let text = format!("+++\n{}\n+++\nBody with a [link](../x.md).\n", lines.join("\n"));
        let checked = check_with(path, text.as_bytes());
        for d in &checked.diagnostics {
            // Every diagnostic about the document points into it.
            let problem = common::misplaced(d, &checked.sources);
            prop_assert!(problem.is_none(), "{:?}", problem);
        }
    }
}

#[test]
fn crlf_and_bom_keep_line_numbers() {
    let text = "\u{feff}+++\r\ntitle = \"Grow\"\r\nowner = \"acme\"\r\nperiod = \"2026-Q3\"\r\nparent = \"nope\"\r\n\r\n[[key_results]]\r\ntitle = \"R\"\r\nstart = 1\r\ntarget = 2\r\ncurrent = 1\r\n+++\r\n";
    let checked = check_with("objectives/grow.md", text.as_bytes());
    let d = common::diagnostic(&checked, "unknown-parent");
    let p = d.position(&checked.sources).unwrap();
    assert_eq!((p.line, p.column), (5, 10));
}

#[test]
fn empty_and_fence_only_files_are_diagnostics() {
    for (text, code) in [
        ("", "missing-front-matter"),
        ("+++", "unterminated-front-matter"),
        ("+++\n+++\n", "missing-key"),
    ] {
        let checked = check_with("objectives/odd.md", text.as_bytes());
        assert!(
            checked.diagnostics.iter().any(|d| d.code.as_str() == code),
            "{text:?}: {:#?}",
            checked.diagnostics
        );
    }
}

#[test]
fn one_broken_file_does_not_hide_another() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "okra.toml", CONFIG);
    common::write(
        dir.path(),
        "teams/a.md",
        "+++\nname = \"A\"\nkind = \"company\"\nnme = 1\n+++\n",
    );
    common::write(dir.path(), "teams/b.md", "+++\nname = \"B\n+++\n");
    common::write(dir.path(), "teams/c.md", "no front matter\n");
    common::write(dir.path(), "pages/d.md", "+++\ntitle = 5\n+++\n");
    let checked = okra::check(dir.path(), &okra::CheckOptions::default()).unwrap();
    let files: std::collections::BTreeSet<_> = checked
        .diagnostics
        .iter()
        .filter_map(|d| d.file.map(|f| checked.sources.path(f).to_string()))
        .collect();
    assert_eq!(files.len(), 4, "{:#?}", checked.diagnostics);
}

#[test]
fn deep_chains_are_fine_and_a_long_cycle_is_one_error() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        "okra.toml",
        "title = \"Deep\"\nas_of = 2026-08-15\n[lint]\nallow = [\"alignment-outside-chain\"]\n",
    );
    common::write(
        dir.path(),
        "teams/acme.md",
        "+++\nname = \"Acme\"\nkind = \"company\"\n+++\n",
    );
    let kr = "\n[[key_results]]\ntitle = \"R\"\nstart = 1\ntarget = 2\ncurrent = 1\n";
    let n = 10_000;
    for i in 1..n {
        common::write(
            dir.path(),
            &format!("teams/t{i}.md"),
            format!(
                "+++\nname = \"T{i}\"\nparent = \"{}\"\n+++\n",
                if i == 1 {
                    "acme".to_string()
                } else {
                    format!("t{}", i - 1)
                }
            ),
        );
    }
    common::write(
        dir.path(),
        "objectives/self.md",
        format!(
            "+++\ntitle = \"Self\"\nowner = \"acme\"\nperiod = \"2026\"\nparent = \"self\"\n{kr}+++\n"
        ),
    );
    for i in 0..n {
        let parent = if i == 0 {
            String::new()
        } else {
            format!("parent = \"o{}\"\n", i - 1)
        };
        common::write(
            dir.path(),
            &format!("objectives/o{i}.md"),
            format!(
                "+++\ntitle = \"O{i}\"\nowner = \"acme\"\nperiod = \"2026\"\n{parent}{kr}+++\n"
            ),
        );
    }
    for i in 0..1000 {
        let parent = format!("c{}", (i + 1) % 1000);
        common::write(
            dir.path(),
            &format!("objectives/c{i}.md"),
            format!(
                "+++\ntitle = \"C{i}\"\nowner = \"acme\"\nperiod = \"2026\"\nparent = \"{parent}\"\n{kr}+++\n"
            ),
        );
    }
    let checked = okra::check(dir.path(), &okra::CheckOptions::default()).unwrap();
    let cycles: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "objective-cycle")
        .collect();
    assert_eq!(cycles.len(), 2, "the long cycle and the self-parent");
    assert!(cycles.iter().any(|c| c.message.contains("1000 objectives")));
    assert!(
        !checked
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "team-cycle"),
        "a deep team chain is not a cycle"
    );
    // The cascade names the top and the nearest ancestors, not all 9,999.
    let site = &checked.site;
    let ids = |cascade: &[okra::model::ObjectiveIx]| -> Vec<String> {
        cascade
            .iter()
            .map(|&o| site.objectives[o].id.clone())
            .collect()
    };
    let last = &site.objectives[site.index.objectives[&format!("o{}", n - 1)]];
    assert_eq!(last.cascade.len(), okra::model::CASCADE_NEAREST + 1);
    let cascade = ids(&last.cascade);
    assert_eq!(cascade[0], "o0");
    assert_eq!(cascade.last().unwrap(), &format!("o{}", n - 2));
    assert_eq!(last.cascade_skipped, n - 1 - last.cascade.len());
    let fifth = &site.objectives[site.index.objectives["o5"]];
    assert_eq!(ids(&fifth.cascade), ["o0", "o1", "o2", "o3", "o4"]);
    assert_eq!(fifth.cascade_skipped, 0);
}

#[test]
fn invalid_utf8_after_crlf_and_a_bom_is_placed_right() {
    let mut bytes = "\u{feff}+++\r\ntitle = \"A".as_bytes().to_vec();
    bytes.push(0xff);
    bytes.extend_from_slice(b"\"\r\nowner = \"acme\"\r\n+++\r\n");
    let checked = check_with("objectives/bad.md", &bytes);
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "not-utf8")
        .expect("reported");
    let p = d.position(&checked.sources).unwrap();
    assert_eq!((p.line, p.column), (2, 11));
}
