//! A period's page and its alignment tree.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Context;

use crate::format::percent;
use crate::model::{Objective, ObjectiveIx, PeriodIx, TeamIx};
use crate::period::Phase;
use crate::render::Renderer;
use crate::render::pages::PageSpec;
use crate::render::plan::Inputs;
use crate::render::urls;
use crate::render::views::*;

impl Renderer<'_> {
    pub(in crate::render) fn period(&self, index: PeriodIx) -> anyhow::Result<Context> {
        let site = self.site;
        let period = &site.periods[index];
        let root = "../";
        // One table, team by team in the order of the organisation.
        let mut by_team: BTreeMap<Option<TeamIx>, Vec<&Objective>> = BTreeMap::new();
        for &o in &self.by_period[index.0] {
            let o = &site.objectives[o];
            by_team.entry(o.owner).or_default().push(o);
        }
        let mut listed: Vec<&Objective> = Vec::new();
        for &(team, _) in &self.team_order {
            listed.extend(by_team.remove(&Some(team)).unwrap_or_default());
        }
        listed.extend(by_team.into_values().flatten());
        let objectives: Vec<ObjectiveCard> = listed
            .iter()
            .map(|o| self.objective_card(o, root))
            .collect();
        let counts = self.status_counts(listed.iter().copied());
        let average = crate::score::average_progress(listed.iter().copied());
        let mut context = Context::new();
        context.insert("objectives", &objectives);
        context.insert("counts", &counts);
        context.insert("average", &average.map(percent));
        context.insert(
            "teams",
            &listed
                .iter()
                .filter_map(|o| o.owner)
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
        );
        context.insert("page", &self.page_info(root, None, "periods"));
        context.insert("id", period.label());
        context.insert("start", &period.start.to_string());
        context.insert("end", &period.end_text());
        let paced = period
            .is_paced()
            .then(|| percent(period.elapsed(site.as_of)));
        context.insert("expected", &paced);
        context.insert(
            "phase",
            match period.phase(site.as_of) {
                Phase::Upcoming => "upcoming",
                Phase::Running => "running",
                Phase::Ended => "ended",
            },
        );
        context.insert("tree", &format!("{root}{}", urls::tree(&period.id)));
        context.insert("review", &format!("{root}{}", urls::review(&period.id)));
        Ok(context)
    }

    /// The objectives an alignment tree of a period shows, in site order:
    /// those of the period and of the periods within it (a year's
    /// quarters), and above them the objectives of longer periods they
    /// align to, up to the top. The work grows with the objectives shown,
    /// not with the site.
    pub(in crate::render) fn tree_members(&self, index: PeriodIx) -> Vec<ObjectiveIx> {
        let site = self.site;
        let period = &site.periods[index];
        let mut members: Vec<ObjectiveIx> = site
            .periods
            .iter()
            .enumerate()
            .filter(|&(p, other)| p == index.0 || period.contains(other))
            .flat_map(|(p, _)| self.by_period[p].iter().copied())
            .collect();
        let mut chosen: foldhash::HashSet<ObjectiveIx> = members.iter().copied().collect();
        for i in 0..members.len() {
            let mut next = site.objectives[members[i]].parent;
            while let Some(p) = next.filter(|p| chosen.insert(*p)) {
                members.push(p);
                next = site.objectives[p].parent;
            }
        }
        members.sort_unstable();
        members
    }

    pub(in crate::render) fn tree(&self, index: PeriodIx) -> anyhow::Result<Context> {
        let site = self.site;
        let period = &site.periods[index];
        let root = "../";
        let members = self.tree_members(index);
        // The members are in site order: sorted.
        let include = |o: ObjectiveIx| members.binary_search(&o).is_ok();
        // Roots: objectives shown whose parent is not.
        let roots: Vec<ObjectiveIx> = members
            .iter()
            .copied()
            .filter(|&i| site.objectives[i].parent.is_none_or(|p| !include(p)))
            .collect();
        let mut seen = foldhash::HashSet::default();
        let items = self.tree_items(&roots, root, &include, &mut seen);
        let mut context = Context::new();
        context.insert("map", &map_of(&items));
        context.insert("page", &self.page_info(root, None, "tree"));
        context.insert("id", period.label());
        context.insert("period", &self.period_link(index, root));
        context.insert("tree", &items);
        Ok(context)
    }

    /// The alignment tree below `roots`, flattened into the steps of
    /// nested lists so that the template writes it with one loop, and a
    /// deep cascade cannot overflow a stack.
    pub(in crate::render) fn tree_items(
        &self,
        roots: &[ObjectiveIx],
        root: &str,
        include: &dyn Fn(ObjectiveIx) -> bool,
        seen: &mut foldhash::HashSet<ObjectiveIx>,
    ) -> Vec<TreeItem> {
        enum Step {
            Open(ObjectiveIx),
            Close,
        }
        let site = self.site;
        let mut items = Vec::new();
        let mut stack: Vec<Step> = roots.iter().rev().map(|&r| Step::Open(r)).collect();
        while let Some(step) = stack.pop() {
            match step {
                Step::Close => items.push(TreeItem {
                    objective: None,
                    aligned: 0,
                }),
                Step::Open(i) => {
                    if !seen.insert(i) {
                        continue;
                    }
                    let o = &site.objectives[i];
                    let children: Vec<ObjectiveIx> = o
                        .children
                        .iter()
                        .copied()
                        // Under its first parent only: one place in the tree.
                        .filter(|&c| site.objectives[c].parent == Some(i))
                        .filter(|&c| include(c) && !seen.contains(&c))
                        .collect();
                    items.push(TreeItem {
                        objective: Some(self.objective_card(o, root)),
                        aligned: children.len(),
                    });
                    if !children.is_empty() {
                        stack.push(Step::Close);
                        stack.extend(children.into_iter().rev().map(Step::Open));
                    }
                }
            }
        }
        items
    }
}

/// The alignment map of a tree's items.
fn map_of(items: &[TreeItem]) -> Option<crate::render::chart::map::Map> {
    use crate::render::chart::map::{MapEntry, map};
    let mut depth = 0;
    let mut entries = Vec::new();
    for item in items {
        match &item.objective {
            Some(o) => {
                entries.push(MapEntry {
                    depth,
                    title: o.title.clone(),
                    status: o.status.class,
                    score: o.score.as_ref().map(|_| f64::from(o.width) / 100.0),
                });
                if item.aligned > 0 {
                    depth += 1;
                }
            }
            None => depth = depth.saturating_sub(1),
        }
    }
    map(&entries)
}

/// One step of an alignment tree: an objective (with the number of
/// objectives aligned to it, listed next), or the end of a list of
/// aligned objectives.
#[derive(Serialize)]
pub(in crate::render) struct TreeItem {
    objective: Option<ObjectiveCard>,
    aligned: usize,
}

/// A period's page: its objectives, team by team.
pub(in crate::render) struct PeriodPage(pub(in crate::render) PeriodIx);

impl PageSpec for PeriodPage {
    fn template(&self) -> &'static str {
        "period.html"
    }
    fn path(&self, r: &Renderer<'_>) -> String {
        urls::period(&r.site.periods[self.0].id)
    }
    fn inputs(&self, r: &Renderer<'_>, inputs: &mut Inputs<'_>) {
        period_inputs(r, self.0, &r.by_period[self.0.0], inputs);
    }
    fn context(&self, r: &Renderer<'_>) -> anyhow::Result<Context> {
        r.period(self.0)
    }
}

/// A period's alignment tree.
pub(in crate::render) struct TreePage(pub(in crate::render) PeriodIx);

impl PageSpec for TreePage {
    fn template(&self) -> &'static str {
        "tree.html"
    }
    fn path(&self, r: &Renderer<'_>) -> String {
        urls::tree(&r.site.periods[self.0].id)
    }
    fn inputs(&self, r: &Renderer<'_>, inputs: &mut Inputs<'_>) {
        // A tree shows objectives of other periods too.
        period_inputs(r, self.0, &r.tree_members(self.0), inputs);
    }
    fn context(&self, r: &Renderer<'_>) -> anyhow::Result<Context> {
        r.tree(self.0)
    }
}

/// What a page of a period shows: the period, every team's place in the
/// cascade, the objectives `shown` and their owners.
fn period_inputs(r: &Renderer<'_>, i: PeriodIx, shown: &[ObjectiveIx], inputs: &mut Inputs<'_>) {
    inputs
        .period(i)
        .all_teams()
        .objectives(shown.iter().copied())
        .teams(shown.iter().filter_map(|&o| r.site.objectives[o].owner));
}
