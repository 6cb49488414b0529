//! A period's page and its alignment tree.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;
use tera::Context;

use crate::model::Objective;
use crate::period::Phase;
use crate::render::format::{escape, percent};
use crate::render::views::*;
use crate::render::{OutputFile, Renderer};

impl Renderer<'_> {
    pub(in crate::render) fn period(&self, index: usize) -> anyhow::Result<OutputFile> {
        #[derive(Serialize)]
        struct Group {
            team: Link,
            objectives: Vec<ObjectiveCard>,
        }
        let site = self.site;
        let period = &site.periods[index];
        let root = "../";
        let mut groups = Vec::new();
        let mut by_team: BTreeMap<usize, Vec<ObjectiveCard>> = BTreeMap::new();
        for &o in &self.by_period[index] {
            if let Some(team) = site.objectives[o].owner_index {
                by_team
                    .entry(team)
                    .or_default()
                    .push(self.objective_card(&site.objectives[o], root));
            }
        }
        for &(team, _) in &self.team_order {
            if let Some(objectives) = by_team.remove(&team) {
                groups.push(Group {
                    team: self.team_link(&site.teams[team].id, root),
                    objectives,
                });
            }
        }
        let mut context = Context::new();
        context.insert(
            "page",
            &self.page_info(root, &format!("Period {}", period.id), "periods"),
        );
        context.insert("id", &period.id);
        context.insert("start", &period.start.to_string());
        context.insert("end", &period.end.to_string());
        context.insert("expected", &percent(period.elapsed(site.as_of)));
        context.insert(
            "phase",
            match period.phase(site.as_of) {
                Phase::Upcoming => "upcoming",
                Phase::Running => "running",
                Phase::Ended => "ended",
            },
        );
        context.insert("tree", &format!("{root}tree/{}.html", period.id));
        context.insert("groups", &groups);
        self.render(
            "period.html",
            format!("periods/{}.html", period.id),
            &context,
        )
    }

    pub(in crate::render) fn tree(&self, index: usize) -> anyhow::Result<OutputFile> {
        let site = self.site;
        let period = &site.periods[index];
        let root = "../";
        let in_period = |o: &Objective| o.period_index == Some(index);
        // Roots: objectives of this period whose parent is not in it.
        let roots: Vec<usize> = self.by_period[index]
            .iter()
            .copied()
            .filter(|&i| {
                site.objectives[i]
                    .parent_index
                    .is_none_or(|p| !in_period(&site.objectives[p]))
            })
            .collect();
        let mut html = String::new();
        let mut seen = vec![false; site.objectives.len()];
        self.tree_list(&roots, root, &in_period, &mut seen, &mut html);
        let mut context = Context::new();
        context.insert(
            "page",
            &self.page_info(root, &format!("Alignment tree {}", period.id), "tree"),
        );
        context.insert("id", &period.id);
        context.insert("period", &self.period_link(&period.id, root));
        context.insert("tree", &html);
        self.render("tree.html", format!("tree/{}.html", period.id), &context)
    }

    /// Writes nested lists of objectives, iteratively so deep cascades
    /// cannot overflow the stack.
    pub(in crate::render) fn tree_list(
        &self,
        roots: &[usize],
        root: &str,
        include: &dyn Fn(&Objective) -> bool,
        seen: &mut [bool],
        html: &mut String,
    ) {
        enum Step {
            Open(usize),
            Close,
        }
        let site = self.site;
        html.push_str("<ul class=\"tree\">");
        let mut stack: Vec<Step> = roots.iter().rev().map(|&r| Step::Open(r)).collect();
        while let Some(step) = stack.pop() {
            match step {
                Step::Close => html.push_str("</ul></details></li>"),
                Step::Open(i) => {
                    if std::mem::replace(&mut seen[i], true) {
                        continue;
                    }
                    let o = &site.objectives[i];
                    let card = self.objective_card(o, root);
                    let children: Vec<usize> = o
                        .children
                        .iter()
                        .filter_map(|c| site.index.objectives.get(c).copied())
                        .filter(|&c| include(&site.objectives[c]) && !seen[c])
                        .collect();
                    let node = format!(
                        "<a href=\"{}\">{}</a> <span class=\"owner\">{}</span> <span class=\"score\">{}</span> <span class=\"status status-{}\">{}</span>",
                        escape(&card.href),
                        escape(&card.title),
                        escape(&card.owner.text),
                        card.score,
                        card.status.class,
                        card.status.label
                    );
                    html.push_str("<li>");
                    html.push_str(&node);
                    if children.is_empty() {
                        html.push_str("</li>");
                    } else {
                        let _ = write!(
                            html,
                            "<details open><summary>{} aligned</summary><ul>",
                            children.len()
                        );
                        stack.push(Step::Close);
                        stack.extend(children.into_iter().rev().map(Step::Open));
                    }
                }
            }
        }
        html.push_str("</ul>");
    }
}
