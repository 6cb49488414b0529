//! The built-in templates and assets, and a site's own that override them.

use std::path::Path;

use anyhow::Context as _;
use tera::Tera;

/// The built-in templates, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    (
        "objective.html",
        include_str!("../../templates/objective.html"),
    ),
    ("kpi.html", include_str!("../../templates/kpi.html")),
    ("kpis.html", include_str!("../../templates/kpis.html")),
    ("team.html", include_str!("../../templates/team.html")),
    ("teams.html", include_str!("../../templates/teams.html")),
    ("period.html", include_str!("../../templates/period.html")),
    ("periods.html", include_str!("../../templates/periods.html")),
    ("tree.html", include_str!("../../templates/tree.html")),
    ("review.html", include_str!("../../templates/review.html")),
    ("running.html", include_str!("../../templates/running.html")),
    ("person.html", include_str!("../../templates/person.html")),
    (
        "activity.html",
        include_str!("../../templates/activity.html"),
    ),
    ("page.html", include_str!("../../templates/page.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("404.html", include_str!("../../templates/404.html")),
];

/// The built-in assets, copied under `assets/`.
pub const ASSETS: &[(&str, &str)] = &[
    ("okra.css", include_str!("../../templates/assets/okra.css")),
    ("okra.js", include_str!("../../templates/assets/okra.js")),
    (
        "favicon.svg",
        include_str!("../../templates/assets/favicon.svg"),
    ),
];

/// The content of the site's own file at `relative` (a template or an
/// asset that overrides a built-in one), `None` when the site has none.
/// A link out of `templates/` (see [`crate::source::inside_folder`]) is refused, never read.
pub(super) fn site_override(site_root: &Path, relative: &str) -> anyhow::Result<Option<Vec<u8>>> {
    let path = site_root.join(relative);
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    let canonical_root = site_root
        .canonicalize()
        .with_context(|| format!("reading {}", site_root.display()))?;
    match crate::source::inside_folder(&canonical_root, "templates", &path) {
        Some(real) if real.is_file() => std::fs::read(&real)
            .map(Some)
            .with_context(|| format!("reading {}", path.display())),
        Some(_) => Ok(None),
        None => anyhow::bail!(
            "{relative} is a link out of `templates/`; okra reads templates only from files inside it"
        ),
    }
}

/// The built-in templates with the site's overrides on top, and a hash of
/// their text.
pub fn templates(site_root: &Path) -> anyhow::Result<(Tera, u64)> {
    let mut tera = Tera::new();
    let mut sources: Vec<(String, String)> = TEMPLATES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    for (name, text) in &mut sources {
        if let Some(bytes) = site_override(site_root, &format!("templates/{name}"))? {
            *text = String::from_utf8(bytes)
                .with_context(|| format!("templates/{name} is not UTF-8"))?;
        }
    }
    tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| anyhow::anyhow!("in the templates: {e}"))?;
    Ok((tera, super::plan::fingerprint(&sources)))
}
