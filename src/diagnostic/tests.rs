use super::*;
use crate::diagnostic::render::{escape_data, escape_property};

#[test]
fn codes_are_kebab_case_and_unique() {
    let mut seen = std::collections::HashSet::new();
    for code in Code::ALL {
        let name = code.as_str();
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{name}"
        );
        assert!(seen.insert(name), "{name} twice");
        assert_eq!(Code::from_name(name), Some(*code));
        assert!(!code.description().is_empty());
    }
}

#[test]
fn suggestions_find_close_words_only() {
    let ids = ["delight-customers", "grow-revenue", "csat"];
    assert_eq!(
        did_you_mean("delight-customer", ids),
        Some("delight-customers")
    );
    assert_eq!(did_you_mean("CSAT", ids), Some("csat"));
    assert_eq!(did_you_mean("margin", ids), None);
    assert_eq!(did_you_mean("titel", ["title", "owner"]), Some("title"));
}

#[test]
fn github_commands_escape_their_payload() {
    assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
    assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
}
