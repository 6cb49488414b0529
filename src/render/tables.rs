//! Tables the renderer works out once from the site: teams in tree order
//! and by name, what each team contributes to, the titles objectives share,
//! and the period the site is about now.

use std::collections::HashMap;

use crate::model::{ObjectiveIx, PeriodIx, Site, TeamIx};

/// Team indices in tree order (parents before children, siblings by name).
pub(super) fn team_order(site: &Site) -> Vec<(TeamIx, usize)> {
    let mut roots: Vec<TeamIx> = TeamIx::all(site.teams.len())
        .filter(|&i| site.teams[i].parent.is_none())
        .collect();
    roots.sort_by(|&a, &b| site.teams[a].name.cmp(&site.teams[b].name));
    let mut out = Vec::new();
    let mut seen = vec![false; site.teams.len()];
    let mut stack: Vec<(TeamIx, usize)> = roots.into_iter().rev().map(|r| (r, 0)).collect();
    while let Some((team, depth)) = stack.pop() {
        if std::mem::replace(&mut seen[team.0], true) {
            continue;
        }
        out.push((team, depth));
        let mut children = site.teams[team].children.clone();
        children.sort_by(|&a, &b| site.teams[a].name.cmp(&site.teams[b].name));
        stack.extend(children.into_iter().rev().map(|c| (c, depth + 1)));
    }
    // Teams caught in a parent cycle have no root; list them last.
    out.extend(
        TeamIx::all(site.teams.len())
            .filter(|&i| !seen[i.0])
            .map(|i| (i, 0)),
    );
    out
}

/// The titles that more than one objective has.
pub(super) fn shared_titles(site: &Site) -> foldhash::HashSet<&str> {
    let mut seen = foldhash::HashSet::default();
    site.objectives
        .iter()
        .map(|o| o.title.as_str())
        .filter(|title| !seen.insert(*title))
        .collect()
}

/// Each team by its name in lower case; the first team of a name when
/// several share it.
pub(super) fn teams_by_name(site: &Site) -> HashMap<String, TeamIx> {
    let mut by_name: HashMap<String, TeamIx> = HashMap::new();
    for (i, team) in site.teams.iter().enumerate() {
        by_name.entry(team.name.to_lowercase()).or_insert(TeamIx(i));
    }
    by_name
}

/// For each team, the objectives it contributes to without owning them:
/// those naming it among their contributors, and those with a key result
/// it drives (a key result's `owner` written as the team's id or name).
pub(super) fn contributions(site: &Site, names: &HashMap<String, TeamIx>) -> Vec<Vec<ObjectiveIx>> {
    let mut by_name = names.clone();
    for (i, team) in site.teams.iter().enumerate() {
        by_name.insert(team.id.clone(), TeamIx(i));
    }
    let mut out = vec![Vec::new(); site.teams.len()];
    for (i, o) in site.objectives.iter().enumerate() {
        let drivers = o
            .key_results
            .iter()
            .flat_map(|kr| &kr.owners)
            .filter_map(|owner| by_name.get(&owner.trim().to_lowercase()).copied());
        let mut teams: Vec<TeamIx> = o.contributors.iter().copied().chain(drivers).collect();
        teams.sort_unstable();
        teams.dedup();
        for t in teams.into_iter().filter(|&t| Some(t) != o.owner) {
            out[t.0].push(ObjectiveIx(i));
        }
    }
    out
}

/// The period the site is about now: of the periods with objectives that
/// contain the as-of date, the one with the most objectives (the shorter on
/// a tie); else the latest one that has started.
pub(super) fn current_period(site: &Site) -> Option<PeriodIx> {
    let mut counts = vec![0usize; site.periods.len()];
    for o in &site.objectives {
        if let Some(p) = o.period {
            counts[p.0] += 1;
        }
    }
    let with_objectives: Vec<PeriodIx> = PeriodIx::all(site.periods.len())
        .filter(|&i| counts[i.0] > 0)
        .collect();
    let running = with_objectives
        .iter()
        .copied()
        .filter(|&i| site.periods[i].includes(site.as_of))
        .max_by_key(|&i| {
            (
                counts[i.0],
                std::cmp::Reverse(site.periods[i].days()),
                std::cmp::Reverse(i),
            )
        });
    running
        .or_else(|| {
            with_objectives
                .iter()
                .copied()
                .filter(|&i| site.periods[i].start <= site.as_of)
                .max_by_key(|&i| {
                    (
                        site.periods[i].start,
                        std::cmp::Reverse(site.periods[i].days()),
                    )
                })
        })
        .or_else(|| with_objectives.first().copied())
}

/// Someone named as a team's lead or member who is not a team or person
/// of the site: they get a page of their own (see [`people`]).
#[derive(Debug)]
pub(super) struct Person {
    pub(super) name: String,
    /// Its page's name under `people/`, unique among people.
    pub(super) slug: String,
    pub(super) leads: Vec<TeamIx>,
    pub(super) member_of: Vec<TeamIx>,
}

/// The people named as leads and members, in order of their names, with
/// each one's position by name in lower case. Names that are a team's or a
/// person's (a `kind = "person"` team) link to that page instead.
pub(super) fn people(
    site: &Site,
    teams_by_name: &HashMap<String, TeamIx>,
) -> (Vec<Person>, HashMap<String, usize>) {
    let mut named: std::collections::BTreeMap<String, Person> = Default::default();
    for (i, team) in site.teams.iter().enumerate() {
        let names = team.lead.iter().map(|n| (n, true));
        for (name, leads) in names.chain(team.members.iter().map(|n| (n, false))) {
            let name = name.trim();
            let key = name.to_lowercase();
            if name.is_empty() || teams_by_name.contains_key(&key) {
                continue;
            }
            let person = named.entry(key).or_insert_with(|| Person {
                name: name.to_string(),
                slug: String::new(),
                leads: Vec::new(),
                member_of: Vec::new(),
            });
            let list = if leads {
                &mut person.leads
            } else {
                &mut person.member_of
            };
            if !list.contains(&TeamIx(i)) {
                list.push(TeamIx(i));
            }
        }
    }
    let mut slugs = std::collections::HashSet::new();
    let mut by_name = HashMap::new();
    let people = named
        .into_iter()
        .enumerate()
        .map(|(n, (key, mut person))| {
            let base = match crate::slug::slugify(&person.name) {
                s if s.is_empty() => "person".to_string(),
                s => s,
            };
            let mut slug = base.clone();
            let mut k = 2;
            while !slugs.insert(slug.clone()) {
                slug = format!("{base}-{k}");
                k += 1;
            }
            person.slug = slug;
            by_name.insert(key, n);
            person
        })
        .collect();
    (people, by_name)
}
