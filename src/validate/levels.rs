//! The `[lint]` levels of a site: the site's section, and the sections
//! scoped to a team's subtree or to a folder, resolved to the files they
//! cover.

use std::collections::HashMap;

use crate::diagnostic::{Code, Diagnostic, LintLevels, suggestion};
use crate::load::{Loaded, ScopeTarget};
use crate::model::{Site, TeamIx};
use crate::source::FileId;

/// The levels of `loaded`'s `[lint]` sections over the files of `site`. A
/// team section naming no team is reported into `diagnostics`.
pub fn levels(site: &Site, loaded: &Loaded, diagnostics: &mut Vec<Diagnostic>) -> LintLevels {
    let config = &loaded.config.lint;
    let mut levels = LintLevels {
        site: config.levels.clone(),
        ..LintLevels::default()
    };
    // (file, how specific, scope): a nearer team is more specific than a
    // farther one, and any folder more than any team.
    let mut covered: Vec<(FileId, usize, usize)> = Vec::new();
    let owned = owned_files(site);
    for (i, scope) in config.scopes.iter().enumerate() {
        levels.scopes.push(scope.levels.clone());
        match &scope.target {
            ScopeTarget::Team(id) => {
                let Some(&team) = site.index.teams.get(&id.value) else {
                    diagnostics.push(unknown_team(site, id));
                    continue;
                };
                for (file, owner) in &owned {
                    let chain = super::team_chain(site, *owner);
                    if let Some(distance) = chain.iter().position(|&t| t == team) {
                        covered.push((*file, usize::MAX / 2 - distance, i));
                    }
                }
            }
            ScopeTarget::Folder(folder) => {
                let prefix = format!("{folder}/");
                for file in loaded.sources.ids() {
                    if loaded.sources.path(file).starts_with(&prefix) {
                        covered.push((file, usize::MAX / 2 + folder.len() + 1, i));
                    }
                }
            }
        }
    }
    covered.sort_by_key(|&(file, specific, scope)| (file, specific, scope));
    let mut files: HashMap<FileId, Vec<usize>> = HashMap::new();
    for (file, _, scope) in covered {
        files.entry(file).or_default().push(scope);
    }
    levels.files = files;
    levels
}

/// Each document's file with the team that owns it: an objective's or a
/// KPI's owner, a team itself.
fn owned_files(site: &Site) -> Vec<(FileId, TeamIx)> {
    let teams = site
        .teams
        .iter()
        .enumerate()
        .map(|(i, t)| (t.doc.head.file, TeamIx(i)));
    let objectives = site
        .objectives
        .iter()
        .filter_map(|o| Some((o.doc.head.file, o.owner?)));
    let kpis = site
        .kpis
        .iter()
        .filter_map(|k| Some((k.doc.head.file, k.owner?)));
    teams.chain(objectives).chain(kpis).collect()
}

fn unknown_team(site: &Site, id: &crate::load::Sp<String>) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownTeam,
        format!("`[lint.team.{}]` names no team", id.value),
    )
    .at(id.span)
    .maybe_hint(suggestion(
        &id.value,
        site.teams.iter().map(|t| t.id.as_str()),
    ))
}
