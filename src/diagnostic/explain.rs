//! The long explanation of each code, with an example and its fix, as
//! `okra explain CODE` prints it. The text is `docs/diagnostics.md`, one
//! section per code, built into the binary.

use super::Code;

/// The page every explanation is a section of.
const PAGE: &str = include_str!("../../docs/diagnostics.md");

/// The explanation of `code`: its section of `docs/diagnostics.md`
/// without the heading.
pub fn explanation(code: Code) -> Option<&'static str> {
    let heading = format!("\n## {}\n", code.as_str());
    let start = PAGE.find(&heading)? + heading.len();
    let rest = &PAGE[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    Some(rest[..end].trim())
}

/// What kind of diagnostic a code is, in words.
pub fn kind(code: Code) -> &'static str {
    if code.is_opt_in() {
        "a lint, off unless `[lint] warn` or `deny` names it"
    } else if code.is_lint() {
        "a lint: a warning that `[lint]` can allow or deny"
    } else {
        "an error"
    }
}

/// `okra explain CODE`: the code, its kind and its explanation, for a
/// terminal.
pub fn explain(code: Code) -> String {
    let body = explanation(code).unwrap_or(code.description());
    format!("{} ({})\n\n{body}\n", code.as_str(), kind(code))
}

/// `okra explain` without a code: every code with its one-line
/// description, errors first.
pub fn index() -> String {
    let mut out = String::from("Errors:\n");
    let width = Code::ALL
        .iter()
        .map(|c| c.as_str().len())
        .max()
        .unwrap_or(0);
    for (title, lints) in [("", false), ("\nLints (warnings):\n", true)] {
        out.push_str(title);
        for code in Code::ALL.iter().filter(|c| c.is_lint() == lints) {
            out.push_str(&format!(
                "  {:width$}  {}\n",
                code.as_str(),
                code.description()
            ));
        }
    }
    out.push_str("\n`okra explain CODE` explains one, with an example and its fix.\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_explained_with_an_example_and_a_fix() {
        for &code in Code::ALL {
            let text =
                explanation(code).unwrap_or_else(|| panic!("no section for {}", code.as_str()));
            assert!(text.contains("Example"), "{}: no example", code.as_str());
            assert!(text.contains("Fix:"), "{}: no fix", code.as_str());
        }
    }

    #[test]
    fn a_section_ends_where_the_next_begins() {
        let text = explanation(Code::UnknownParent).unwrap();
        assert!(text.starts_with("An objective aligns"), "{text}");
        assert!(!text.contains("## "), "{text}");
    }
}
