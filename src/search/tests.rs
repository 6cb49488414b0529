use super::index::TERM_SHARD_BYTES;
use super::*;

/// Each term an entry gives the index, once, with its best field.
fn indexed(entry: &Entry) -> std::collections::BTreeMap<String, Field> {
    let mut terms = std::collections::BTreeMap::new();
    entry.each(|term, field| {
        let best = terms.entry(term.to_string()).or_insert(field);
        *best = (*best).max(field);
    });
    terms
}

fn body_doc<'a>() -> Doc<'a> {
    Doc {
        kind: Kind::Page,
        title: "",
        id: "",
        team: -1,
        period: -1,
        status: "",
        recency: 1,
        excerpt: Cow::Borrowed(""),
    }
}

#[test]
fn a_bodys_kept_terms_index_as_its_text_does() {
    let pieces = [
        "Grow",
        "grow",
        " ",
        "the",
        "THE",
        "and",
        "Zürich",
        "zurich",
        "1.5",
        "150,000",
        "150000",
        "日本",
        "市場",
        "東",
        "é",
        "e\u{301}",
        ".",
        ",",
        "\n",
        "-",
        "a",
        "ΣΊΣΥΦΟΣ",
        "ﬁ",
        "İ",
        "x",
        "9",
    ];
    let mut texts: Vec<String> = crate::random_texts(&pieces, 16, 11).take(3000).collect();
    texts.push(String::new());
    texts.push("the and of".to_string());
    texts.push("word ".repeat(100));
    for text in texts {
        let whole = Entry::new(body_doc(), &[(Field::Body, &text)]);
        let kept = BodyTerms::of(text.clone());
        assert!(!kept.terms.contains("  ") && !kept.terms.starts_with(' '));
        let mut distinct = std::collections::HashSet::new();
        let repeated = kept.terms.split(' ').find(|t| !distinct.insert(*t));
        assert_eq!(repeated.filter(|t| !t.is_empty()), None, "{text:?}");
        let from_kept = Entry::with_body(body_doc(), &[], Cow::Borrowed(&kept.terms));
        assert_eq!(indexed(&from_kept), indexed(&whole), "{text:?}");
        assert_eq!(*kept.excerpt, crate::text::excerpt(&text));
    }
}

/// A document for [`index_files`]: its kind, title and fields.
type TestDoc<'a> = (Kind, &'static str, &'a [(Field, &'a str)]);

/// The files an index of `docs` makes, by name.
fn index_files(docs: &[TestDoc]) -> Vec<(String, String)> {
    let mut builder = index::Builder::default();
    for &(kind, title, fields) in docs {
        let doc = Doc {
            kind,
            title,
            id: "",
            team: -1,
            period: -1,
            status: "",
            recency: 1,
            excerpt: Cow::Borrowed(""),
        };
        builder.add(Entry::new(doc, fields), 0);
    }
    let sink = crate::write::MemorySink::default();
    builder.write(&sink, &[], &[]).unwrap();
    let mut files: Vec<(String, String)> = sink
        .into_files()
        .unwrap()
        .into_iter()
        .map(|f| (f.path, String::from_utf8(f.bytes).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn postings_are_delta_encoded_with_the_best_field() {
    let files = index_files(&[
        (
            Kind::Page,
            "a",
            &[(Field::Body, "alpha"), (Field::Title, "alpha")],
        ),
        (Kind::Page, "b", &[(Field::Body, "beta of the")]),
        (Kind::Page, "c", &[(Field::Other, "alpha </script>")]),
    ]);
    let names: Vec<&str> = files.iter().map(|(path, _)| path.as_str()).collect();
    assert_eq!(
        names,
        [
            "assets/search/docs-0.js",
            "assets/search/facets.js",
            "assets/search/index.js",
            "assets/search/terms-0.js"
        ]
    );
    let terms = &files[3].1;
    assert!(
        terms.starts_with(r#"okraIndex("terms-0",{"terms":["alpha","beta","script"]"#),
        "{terms}"
    );
    // alpha: doc 0 title (0*4+3 = 3), doc 2 other (2*4+1 = 9).
    assert!(terms.contains(r#""postings":["39","4","9"]"#), "{terms}");
    let mut big = String::new();
    index::encode_number(32 * 32 + 5, &mut big);
    assert_eq!(big, "BA5");
    assert!(files.iter().all(|(_, text)| !text.contains("</")));
    assert!(
        files[2]
            .1
            .contains(r#""docs":3,"docsPerShard":128,"shards":["alpha"]"#)
    );
}

#[test]
fn strings_sort_by_their_utf16_code_units() {
    let pieces = [
        "a",
        "Z",
        "é",
        "\u{D7FF}",
        "\u{E000}",
        "\u{E9}",
        "\u{FF5E}",
        "\u{FFFD}",
        "\u{10000}",
        "\u{1F600}",
        "\u{10FFFF}",
        "日",
    ];
    let texts: Vec<String> = crate::random_texts(&pieces, 3, 5).take(400).collect();
    for a in &texts {
        for b in &texts {
            assert_eq!(
                index::utf16_order(a, b),
                a.encode_utf16().cmp(b.encode_utf16()),
                "{a:?} {b:?}"
            );
        }
    }
}

#[test]
fn documents_are_numbered_in_the_order_equal_scores_rank() {
    // Shorter titles first, then by kind, then by title as the browser
    // compares strings: by UTF-16 code units, so U+1F600 (a surrogate pair
    // from U+D83D) comes before U+FF5E, unlike in UTF-8.
    let files = index_files(&[
        (Kind::Page, "longer title", &[(Field::Title, "word")]),
        (Kind::Team, "bb", &[(Field::Title, "word")]),
        (Kind::Objective, "bb", &[(Field::Title, "word")]),
        (Kind::Objective, "ba", &[(Field::Title, "word")]),
        (Kind::Kpi, "\u{1F600}", &[(Field::Title, "word")]),
        (Kind::Kpi, "\u{FF5E}x", &[(Field::Title, "word")]),
    ]);
    let docs = &files[0].1;
    let order: Vec<usize> = [
        "0,\"ba\"",
        "0,\"bb\"",
        "\u{1F600}",
        "\u{FF5E}x",
        "3,\"bb\"",
        "longer",
    ]
    .iter()
    .map(|title| {
        docs.find(title)
            .unwrap_or_else(|| panic!("{title} in {docs}"))
    })
    .collect();
    assert!(order.is_sorted(), "{docs}");
    // The posting list names the documents by their new numbers, in order.
    assert!(
        files[3].1.contains(r#""postings":["377777"]"#),
        "{}",
        files[3].1
    );
}

#[test]
fn terms_are_cut_into_shards_named_by_their_first_term() {
    let words: Vec<String> = (0..20_000).map(|n| format!("w{n:05}")).collect();
    let text = words.join(" ");
    let files = index_files(&[(Kind::Page, "all", &[(Field::Body, text.as_str())])]);
    let shards: Vec<&(String, String)> = files
        .iter()
        .filter(|(path, _)| path.contains("/terms-"))
        .collect();
    assert!(shards.len() >= 2, "{} shards", shards.len());
    for (_, text) in &shards {
        assert!(text.len() < 2 * TERM_SHARD_BYTES, "{}", text.len());
    }
    let index = &files
        .iter()
        .find(|(p, _)| p.ends_with("index.js"))
        .unwrap()
        .1;
    let first_of_second = &shards[1].1["okraIndex(\"terms-1\",{\"terms\":[\"".len()..][..6];
    assert!(
        index.contains(&format!(r#""shards":["w00000","{first_of_second}""#)),
        "{index}"
    );
}
