//! `okra new` and `okra carry-over`: documents written from the command
//! line, checked against the site before anything is written.
//!
//! Every name a flag gives (owner, parent, period, KPI) must resolve in the
//! site as it is; a wrong one is refused with a did-you-mean, so that the
//! file written checks without errors.

mod carry;

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::Path;

use anyhow::{Context, bail};

use crate::diagnostic::suggestion;
use crate::model::Site;
use crate::period::Period;
use crate::slug::{check_slug, slugify};
pub use carry::{CarryOver, carry_over};

/// What `okra new` writes.
#[derive(Clone, Debug)]
pub enum NewDocument {
    Objective {
        id: String,
        title: Option<String>,
        owner: String,
        period: String,
        parent: Option<String>,
    },
    Kpi {
        id: String,
        name: Option<String>,
        owner: String,
        unit: Option<String>,
    },
    Team {
        id: String,
        name: Option<String>,
        parent: Option<String>,
        kind: Option<String>,
        lead: Option<String>,
    },
}

/// Writes a new document into the site at `root`, checked by `site` (the
/// site as it is); returns its path from the root.
pub fn new_document(root: &Path, site: &Site, document: &NewDocument) -> anyhow::Result<String> {
    let (path, text) = match document {
        NewDocument::Objective {
            id,
            title,
            owner,
            period,
            parent,
        } => objective(site, id, title.as_deref(), owner, period, parent.as_deref())?,
        NewDocument::Kpi {
            id,
            name,
            owner,
            unit,
        } => kpi(site, id, name.as_deref(), owner, unit.as_deref())?,
        NewDocument::Team {
            id,
            name,
            parent,
            kind,
            lead,
        } => team(
            site,
            id,
            name.as_deref(),
            parent.as_deref(),
            kind.as_deref(),
            lead.as_deref(),
        )?,
    };
    write_new(root, &path, &text)?;
    Ok(path)
}

fn objective(
    site: &Site,
    id: &str,
    title: Option<&str>,
    owner: &str,
    period: &str,
    parent: Option<&str>,
) -> anyhow::Result<(String, String)> {
    check_new_id(id, "an objective", site.index.objectives.contains_key(id))?;
    known(owner, "team", site.teams.iter().map(|t| t.id.as_str()))?;
    let period = resolve_period(site, period)?;
    if let Some(parent) = parent {
        known(
            parent,
            "objective",
            site.objectives.iter().map(|o| o.id.as_str()),
        )?;
        let above = &site.objectives[site.index.objectives[parent]];
        if let Some(theirs) = above.period.map(|p| &site.periods[p]) {
            if !theirs.contains(&period) {
                bail!(
                    "objective `{parent}` is of {}, which does not contain {}: align to an objective of a period that does",
                    theirs.id,
                    period.id
                );
            }
        }
    }
    let mut text = String::from("+++\n");
    let title = title.map_or_else(|| title_of(id), str::to_string);
    let _ = writeln!(text, "title = {}", quoted(&title));
    let _ = writeln!(text, "owner = {}", quoted(owner));
    let _ = writeln!(text, "period = {}", quoted(&period.id));
    if let Some(parent) = parent {
        let _ = writeln!(text, "parent = {}", quoted(parent));
    }
    text.push_str(
        "\n# Two to five key results: the numbers that will show the objective is met.\n\
         # [[key_results]]\n\
         # id = \"kr1\"\n\
         # title = \"Raise … from … to …\"\n\
         # owner = \"…\"\n\
         # start = 0\n\
         # target = 0\n\
         \n\
         # Check-ins go last, each naming its key result:\n\
         # [[checkins]]\n\
         # key_result = \"kr1\"\n\
         # date = YYYY-MM-DD\n\
         # value = 0\n\
         +++\n\
         Why this objective matters now, and what it leaves out.\n",
    );
    let folder = period.id.to_lowercase();
    Ok((format!("objectives/{folder}/{id}.md"), text))
}

fn kpi(
    site: &Site,
    id: &str,
    name: Option<&str>,
    owner: &str,
    unit: Option<&str>,
) -> anyhow::Result<(String, String)> {
    check_new_id(id, "a KPI", site.index.kpis.contains_key(id))?;
    known(owner, "team", site.teams.iter().map(|t| t.id.as_str()))?;
    let mut text = String::from("+++\n");
    let name = name.map_or_else(|| title_of(id), str::to_string);
    let _ = writeln!(text, "name = {}", quoted(&name));
    let _ = writeln!(text, "owner = {}", quoted(owner));
    if let Some(unit) = unit {
        let _ = writeln!(text, "unit = {}", quoted(unit));
    }
    text.push_str(
        "direction = \"higher\"\n\
         cadence = \"monthly\"\n\
         # healthy = { min = 0 }\n\
         \n\
         # [[measurements]]\n\
         # date = YYYY-MM-DD\n\
         # value = 0\n\
         +++\n\
         How it is measured, where the number comes from, and who reports it.\n",
    );
    Ok((format!("kpis/{id}.md"), text))
}

fn team(
    site: &Site,
    id: &str,
    name: Option<&str>,
    parent: Option<&str>,
    kind: Option<&str>,
    lead: Option<&str>,
) -> anyhow::Result<(String, String)> {
    check_new_id(id, "a team", site.index.teams.contains_key(id))?;
    if let Some(parent) = parent {
        known(parent, "team", site.teams.iter().map(|t| t.id.as_str()))?;
    }
    const KINDS: [&str; 4] = ["company", "department", "team", "person"];
    if let Some(kind) = kind.filter(|k| !KINDS.contains(k)) {
        bail!("`{kind}` is not a kind of team: use one of company, department, team, person");
    }
    let mut text = String::from("+++\n");
    let name = name.map_or_else(|| title_of(id), str::to_string);
    let _ = writeln!(text, "name = {}", quoted(&name));
    if let Some(parent) = parent {
        let _ = writeln!(text, "parent = {}", quoted(parent));
    }
    let _ = writeln!(text, "kind = {}", quoted(kind.unwrap_or("team")));
    if let Some(lead) = lead {
        let _ = writeln!(text, "lead = {}", quoted(lead));
    }
    text.push_str("+++\nWhat the team does, and for whom.\n");
    Ok((format!("teams/{id}.md"), text))
}

/// Refuses an id that is not a slug or that a document of its kind has.
fn check_new_id(id: &str, noun: &str, taken: bool) -> anyhow::Result<()> {
    if !check_slug(id) {
        bail!(
            "`{id}` cannot be an id: use lower-case letters, digits, `-` and `_`, such as `{}`",
            slugify(id)
        );
    }
    if taken {
        bail!("the site already has {noun} with the id `{id}`");
    }
    Ok(())
}

/// Refuses a name that is not among `ids`, with the nearest as a hint.
fn known<'a>(
    name: &str,
    noun: &str,
    ids: impl Iterator<Item = &'a str> + Clone,
) -> anyhow::Result<()> {
    if ids.clone().any(|id| id == name) {
        return Ok(());
    }
    let hint = suggestion(name, ids).map_or_else(String::new, |s| format!("; {s}"));
    bail!("the site has no {noun} `{name}`{hint}")
}

/// A period of the site, native or declared.
fn resolve_period(site: &Site, id: &str) -> anyhow::Result<Period> {
    if let Some(&p) = site.index.periods.get(id) {
        return Ok(site.periods[p].clone());
    }
    Period::native(id).with_context(|| {
        format!("`{id}` is not a period: write `2026-Q3`, `2026-H2`, `2026-07` or `2026`, or declare it under [periods] in okra.toml")
    })
}

/// `faster-replies` → `Faster replies`.
fn title_of(id: &str) -> String {
    let words = id.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// A TOML basic string.
pub(crate) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Refuses a `path` under `root` that goes through a link (`teams ->
/// /etc`), so that nothing okra writes lands outside the folder.
pub(crate) fn refuse_links(root: &Path, path: &str) -> anyhow::Result<()> {
    let mut place = root.to_path_buf();
    for part in Path::new(path).components() {
        place.push(part);
        if fs::symlink_metadata(&place).is_ok_and(|m| m.file_type().is_symlink()) {
            bail!(
                "{} is a link; okra writes only into real folders and files",
                place.display()
            );
        }
    }
    Ok(())
}

/// Writes `text` to `path` (from the site root) as a new file: never over
/// a file that exists, and never through a link.
fn write_new(root: &Path, path: &str, text: &str) -> anyhow::Result<()> {
    refuse_links(root, path)?;
    let full = root.join(path);
    if let Some(parent) = full.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&full)
        .with_context(|| format!("writing {path} (okra does not write over a file)"))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {path}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_quoted_as_toml_reads_them() {
        for text in ["plain", "a \"b\" \\ c", "line\nbreak\ttab", "ünï\u{7}"] {
            let line = format!("x = {}", quoted(text));
            let table: toml::Table = toml::from_str(&line).unwrap();
            assert_eq!(table["x"].as_str(), Some(text), "{line}");
        }
    }

    #[test]
    fn titles_come_from_ids() {
        assert_eq!(title_of("faster-replies"), "Faster replies");
        assert_eq!(title_of("q4_hiring"), "Q4 hiring");
    }
}
