//! Ids: what a valid one is, and one made from any text for a hint.

/// The longest id okra accepts, in bytes. Ids become file names in the
/// output (`objectives/ID.html`), and every file system takes this many.
pub const MAX_ID_LEN: usize = 64;

/// Whether `text` is a valid id: `[a-z0-9][a-z0-9_-]*`, at most
/// [`MAX_ID_LEN`] bytes.
pub fn check_slug(text: &str) -> bool {
    let mut bytes = text.bytes();
    text.len() <= MAX_ID_LEN
        && matches!(bytes.next(), Some(b'a'..=b'z' | b'0'..=b'9'))
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'))
}

/// Whether `text` is a valid period id: like an id, but upper-case letters
/// are allowed too, as in `2026-Q3` and `FY27-Q1`.
pub fn check_period_id(text: &str) -> bool {
    check_slug(&text.to_ascii_lowercase())
}

/// Why `text` is not an id, for a diagnostic's label.
pub fn slug_problem(text: &str) -> String {
    if text.len() > MAX_ID_LEN {
        format!("longer than {MAX_ID_LEN} bytes")
    } else {
        "not a slug".to_string()
    }
}

/// A slug made from arbitrary text, for hints.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut trimmed = out.trim_end_matches('-');
    if trimmed.len() > MAX_ID_LEN {
        trimmed = trimmed[..MAX_ID_LEN].trim_end_matches('-');
    }
    if trimmed.is_empty() {
        "my-id".to_string()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for ok in ["a", "support-efficiency", "2026-q3", "kr_1", "0"] {
            assert!(check_slug(ok), "{ok}");
        }
        for bad in ["", "-a", "_a", "Support", "a b", "é", "a/b", "a.md"] {
            assert!(!check_slug(bad), "{bad}");
        }
        assert!(check_slug(&"a".repeat(MAX_ID_LEN)));
        assert!(!check_slug(&"a".repeat(MAX_ID_LEN + 1)));
        assert_eq!(slugify(&"a".repeat(300)).len(), MAX_ID_LEN);
        for ok in ["2026-Q3", "FY27-Q1", "fy27"] {
            assert!(check_period_id(ok), "{ok}");
        }
        for bad in ["../../x", "FY27/Q1", "", ".x", "FY 27", "x.html"] {
            assert!(!check_period_id(bad), "{bad}");
        }
        assert_eq!(slugify("Support Efficiency!"), "support-efficiency");
        assert_eq!(slugify("***"), "my-id");
    }
}
