use super::*;

#[test]
fn folding_removes_case_and_accents() {
    assert_eq!(fold("Zürich ÉTÉ Ångström"), "zurich ete angstrom");
}

#[test]
fn tokens_keep_numbers_and_split_cjk_into_bigrams() {
    assert_eq!(
        tokens("Decrease tickets from 1.5 to 0.5!"),
        ["decrease", "tickets", "from", "1.5", "to", "0.5"]
    );
    assert_eq!(tokens("$150,000 per month"), ["150000", "per", "month"]);
    assert_eq!(tokens("obj-2026q3-0001"), ["obj", "2026q3", "0001"]);
    assert_eq!(
        tokens("日本市場への参入"),
        ["日本", "本市", "市場", "場へ", "への", "の参", "参入"]
    );
    assert_eq!(tokens("Open 東 store"), ["open", "東", "store"]);
    assert_eq!(tokens("Zürich"), ["zurich"]);
}

#[test]
fn postings_are_delta_encoded_with_the_best_field() {
    let mut builder = Builder::default();
    let doc = || Doc {
        kind: Kind::Page,
        title: "",
        id: "",
        team: -1,
        period: -1,
        status: "",
        excerpt: String::new(),
    };
    let mut add = |fields: &[(Field, &str)]| builder.add(Entry::new(doc(), fields), 0);
    add(&[(Field::Body, "alpha"), (Field::Title, "alpha")]);
    add(&[(Field::Body, "beta of the")]);
    add(&[(Field::Other, "alpha </script>")]);
    let mut script = Vec::new();
    builder.write_script(&mut script, &[], &[]).unwrap();
    let script = String::from_utf8(script).unwrap();
    assert!(
        script.contains(r#""terms":["alpha","beta","script"]"#),
        "{script}"
    );
    // alpha: doc 0 title (0*4+3 = 3), doc 2 other (2*4+1 = 9).
    assert!(script.contains(r#""postings":["39","4","9"]"#), "{script}");
    let mut big = String::new();
    encode_number(32 * 32 + 5, &mut big);
    assert_eq!(big, "BA5");
    assert!(!script.contains("</"));
}
