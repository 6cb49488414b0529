//! Paths of a site's files: relative to its root with `/` separators, and
//! kept inside it.

use std::path::{Component, Path, PathBuf};

/// A path relative to the root with `/` separators.
/// Control characters in a file's name are written as escapes, so that
/// no output that names the file can be steered by its name.
pub fn relative_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let joined = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    crate::diagnostic::escape_controls(&joined, &[]).into_owned()
}

/// Resolves `.` and `..` in a relative path; `None` when it climbs out.
pub fn normalise_inside(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside() {
        assert_eq!(
            normalise_inside(Path::new("kpis/./a.csv")),
            Some(PathBuf::from("kpis/a.csv"))
        );
        assert_eq!(
            normalise_inside(Path::new("kpis/../data/a.csv")),
            Some(PathBuf::from("data/a.csv"))
        );
        assert_eq!(normalise_inside(Path::new("kpis/../../a.csv")), None);
        assert_eq!(normalise_inside(Path::new("/etc/passwd")), None);
    }
}
