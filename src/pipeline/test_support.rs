//! Sites and texts for the unit tests.

use super::{CheckOptions, Checked, check_files};
use crate::load;

/// Texts of `length` pieces each, picked from `pieces` by a fixed
/// pseudo-random sequence from `seed`: the same texts on every run, for
/// unit tests that compare two ways of reading text.
pub(crate) fn random_texts<'p>(
    pieces: &'p [&'p str],
    length: usize,
    mut seed: u64,
) -> impl Iterator<Item = String> + 'p {
    std::iter::repeat_with(move || {
        let mut text = String::new();
        for _ in 0..length {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
        }
        text
    })
}

/// Checks a site of a company `acme`, as of 2026-08-15, with one objective
/// `grow` of 2026-Q3 whose front matter ends with `key_results`, and the
/// `extra` files; for unit tests.
pub(crate) fn check_test_site(key_results: &str, extra: &[(&str, &str)]) -> Checked {
    let mut files = vec![
        (
            "okra.toml".to_string(),
            "title = \"T\"\nas_of = 2026-08-15\n".to_string(),
        ),
        (
            "teams/acme.md".to_string(),
            "+++\nname = \"Acme\"\nkind = \"company\"\n+++\n".to_string(),
        ),
        (
            "objectives/grow.md".to_string(),
            format!(
                "+++\ntitle = \"Grow\"\nowner = \"acme\"\nperiod = \"2026-Q3\"\n{key_results}+++\n"
            ),
        ),
    ];
    files.extend(extra.iter().map(|(p, t)| (p.to_string(), t.to_string())));
    let files = load::InMemory::new(
        "test",
        files
            .into_iter()
            .map(|(p, t)| (p, t.into_bytes()))
            .collect(),
    );
    check_files(&files, &CheckOptions::default(), None).expect("an in-memory site reads")
}
