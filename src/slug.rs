//! Ids: what a valid one is, and one made from any text for a hint.

use unicode_normalization::UnicodeNormalization;

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
    for c in transliterated(text).chars() {
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

/// Text in lower-case ASCII letters where it has Latin ones: German and
/// Nordic letters as their writers spell them without (`ö` → `oe`, `ß` →
/// `ss`, `å` → `aa`), others without their accents (`é` → `e`).
fn transliterated(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' | 'æ' => out.push_str("ae"),
            'ö' | 'ø' | 'œ' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'å' => out.push_str("aa"),
            'ß' => out.push_str("ss"),
            'þ' => out.push_str("th"),
            'ð' => out.push('d'),
            'ł' => out.push('l'),
            c if c.is_ascii() => out.push(c),
            c => out.extend(
                std::iter::once(c)
                    .nfd()
                    .filter(|c| !unicode_normalization::char::is_combining_mark(*c)),
            ),
        }
    }
    out
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
        assert_eq!(slugify("förderbarometer"), "foerderbarometer");
        assert_eq!(slugify("Große Übersicht"), "grosse-uebersicht");
        assert_eq!(slugify("Mål for året"), "maal-for-aaret");
        assert_eq!(slugify("Økt bærekraft"), "oekt-baerekraft");
        assert_eq!(slugify("Café déjà vu"), "cafe-deja-vu");
    }
}
