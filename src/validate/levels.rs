//! The `[lint]` levels of a site: the site's section, and the sections
//! scoped to a team's subtree or to a folder, resolved to the files they
//! cover.
//!
//! The work is linear in the size of the site: each team's sections are
//! merged once over its parent's (a nearer team is more specific than a
//! farther one), so a file owned by a team needs one merged section, and
//! each file looks up the folders of its own path.

use std::collections::HashMap;

use crate::diagnostic::{Code, Diagnostic, Levels, LintLevels, suggestion};
use crate::load::{Loaded, ScopeTarget};
use crate::model::{Site, TeamIx};
use crate::source::FileId;

/// The levels of `loaded`'s `[lint]` sections over the files of `site`. A
/// team section naming no team is reported into `diagnostics`.
pub(crate) fn levels(
    site: &Site,
    loaded: &Loaded,
    diagnostics: &mut Vec<Diagnostic>,
) -> LintLevels {
    let config = &loaded.config.lint;
    let mut levels = LintLevels {
        site: config.levels.clone(),
        ..LintLevels::default()
    };
    // Each team's sections and each folder's, in the order written.
    let mut by_team: HashMap<TeamIx, Vec<&Levels>> = HashMap::new();
    let mut by_folder: HashMap<&str, Vec<usize>> = HashMap::new();
    for scope in &config.scopes {
        match &scope.target {
            ScopeTarget::Team(id) => match site.index.teams.get(&id.value) {
                Some(&team) => by_team.entry(team).or_default().push(&scope.levels),
                None => diagnostics.push(unknown_team(site, id)),
            },
            ScopeTarget::Folder(folder) => {
                levels.scopes.push(scope.levels.clone());
                let folder = folder.as_str().trim_end_matches('/');
                by_folder
                    .entry(folder)
                    .or_default()
                    .push(levels.scopes.len() - 1);
            }
        }
    }
    let merged = team_levels(site, &by_team, &mut levels.scopes);
    let mut files: HashMap<FileId, Vec<usize>> = HashMap::new();
    for (file, owner) in owned_files(site) {
        if let Some(scope) = merged[owner.0] {
            files.insert(file, vec![scope]);
        }
    }
    if !by_folder.is_empty() {
        for file in loaded.sources.ids() {
            let path = loaded.sources.path(file);
            // Shorter folders first: a longer one is more specific.
            let covering = path
                .match_indices('/')
                .filter_map(|(at, _)| by_folder.get(&path[..at]))
                .flatten();
            let mut covering = covering.peekable();
            if covering.peek().is_some() {
                files.entry(file).or_default().extend(covering);
            }
        }
    }
    levels.files = files;
    levels
}

/// For each team, the index in `scopes` of the section that applies to its
/// files: its own sections over those of the teams above it, merged into
/// one and pushed onto `scopes`; `None` when no team in its chain has one.
/// Each team is resolved once, parents first, without recursion; a cycle of
/// teams (an error reported elsewhere) is cut where it closes.
fn team_levels(
    site: &Site,
    by_team: &HashMap<TeamIx, Vec<&Levels>>,
    scopes: &mut Vec<Levels>,
) -> Vec<Option<usize>> {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; site.teams.len()];
    let mut merged: Vec<Option<usize>> = vec![None; site.teams.len()];
    if by_team.is_empty() {
        return merged;
    }
    for start in 0..site.teams.len() {
        // The teams above `start` not yet resolved, nearest first.
        let mut path = Vec::new();
        let mut current = Some(TeamIx(start));
        while let Some(t) = current {
            if state[t.0] != NEW {
                break;
            }
            state[t.0] = ON_PATH;
            path.push(t);
            current = site.teams[t.0].parent;
        }
        // What the first resolved team above the path (if any) gives.
        let mut above = current
            .filter(|t| state[t.0] == DONE)
            .and_then(|t| merged[t.0]);
        for &t in path.iter().rev() {
            if let Some(own) = by_team.get(&t) {
                scopes.push(merge(own, above.map(|i| &scopes[i])));
                above = Some(scopes.len() - 1);
            }
            merged[t.0] = above;
            state[t.0] = DONE;
        }
    }
    merged
}

/// One section that says what `own` (the later written winning) says, and
/// for the lints they leave unnamed what `above` says.
fn merge(own: &[&Levels], above: Option<&Levels>) -> Levels {
    let mut out = Levels::default();
    for &code in Code::ALL {
        let level = own
            .iter()
            .rev()
            .find_map(|l| l.of(code))
            .or_else(|| above.and_then(|l| l.of(code)));
        match level {
            Some(crate::diagnostic::LintLevel::Deny) => out.deny.push(code),
            Some(crate::diagnostic::LintLevel::Warn) => out.warn.push(code),
            Some(crate::diagnostic::LintLevel::Allow) => out.allow.push(code),
            None => {}
        }
    }
    out
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
