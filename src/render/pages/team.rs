//! A team's page.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Context;

use crate::model::{Objective, PeriodIx, TeamIx};
use crate::render::Renderer;
use crate::render::TEAM_PERIODS_IN_FULL;
use crate::render::pages::PageSpec;
use crate::render::plan::Inputs;
use crate::render::urls;
use crate::render::views::*;

/// A period's objectives, in full.
#[derive(Serialize)]
struct PeriodGroup {
    period: Link,
    objectives: Vec<ObjectiveCard>,
}

/// One lint's notes on a team's documents: how many, and where.
#[derive(Serialize)]
struct CoachingRow {
    code: &'static str,
    count: usize,
    places: Vec<Link>,
}

/// A team right under this one, with how its running objectives stand,
/// its own teams' included.
#[derive(Serialize)]
struct ChildRow {
    team: Link,
    kind: &'static str,
    rollup: Rollup,
}

/// An earlier period, in one line.
#[derive(Serialize)]
struct EarlierPeriod {
    period: Link,
    objectives: usize,
    score: String,
}

impl Renderer<'_> {
    pub(in crate::render) fn team(&self, index: TeamIx) -> anyhow::Result<Context> {
        let site = self.site;
        let team = &site.teams[index];
        let root = "../";
        let (groups, earlier) = self.team_periods(index, root);
        let mut children: Vec<ChildRow> = team
            .children
            .iter()
            .map(|&c| ChildRow {
                team: self.team_link(c, root),
                kind: site.teams[c].kind.as_str(),
                rollup: self.team_rollup(c),
            })
            .collect();
        children.sort_by(|a, b| a.team.text.cmp(&b.team.text));
        // The running objectives of every team under this one, worst first.
        let below: Vec<ObjectiveCard> = {
            let mut below: Vec<&Objective> = self
                .subtree(index)
                .into_iter()
                .skip(1)
                .flat_map(|t| &self.by_owner[t.0])
                .map(|&o| &site.objectives[o])
                .filter(|o| o.phase == crate::period::Phase::Running)
                .collect();
            below.sort_by(|a, b| {
                a.score
                    .unwrap_or(-1.0)
                    .total_cmp(&b.score.unwrap_or(-1.0))
                    .then(a.title.cmp(&b.title))
            });
            below
                .into_iter()
                .map(|o| self.objective_card(o, root))
                .collect()
        };
        let kpis: Vec<tera::Value> = self.kpis_by_owner[index.0]
            .iter()
            .map(|&k| self.kpi_card_value(k, root))
            .collect();
        let contributes: Vec<ObjectiveCard> = self.contributions[index.0]
            .iter()
            .rev()
            .map(|&o| self.objective_card(&site.objectives[o], root))
            .collect();
        let mut context = Context::new();
        context.insert(
            "page",
            &self.document_page_info(root, &team.name, "teams", &team.path),
        );
        context.insert("contributes", &contributes);
        context.insert("name", &team.name);
        context.insert("kind", team.kind.as_str());
        context.insert(
            "lead",
            &team.lead.as_deref().map(|l| self.driver_link(l, root)),
        );
        let members: Vec<Link> = team
            .members
            .iter()
            .map(|m| self.driver_link(m, root))
            .collect();
        context.insert("members", &members);
        context.insert("parent", &team.parent.map(|p| self.team_link(p, root)));
        context.insert("children", &children);
        context.insert("below", &below);
        context.insert("rollup", &self.team_rollup(index));
        context.insert("groups", &groups);
        context.insert("earlier", &earlier);
        context.insert_value("kpis", kpis.into());
        context.insert("coaching", &self.coaching_rows(index, root));
        context.insert("own_notes", &note_views(&team.coaching));
        context.insert(
            "body",
            &self.body_html(
                &team.body,
                team.doc.head.html.as_deref(),
                &team.path,
                root,
                2,
            )?,
        );
        Ok(context)
    }

    /// The review notes on a team, its objectives and its KPIs, a row per
    /// lint, the lint with the most notes first.
    fn coaching_rows(&self, index: TeamIx, root: &str) -> Vec<CoachingRow> {
        let site = self.site;
        let team = &site.teams[index];
        let objectives = self.by_owner[index.0].iter().map(|&o| {
            let o = &site.objectives[o];
            let link = Link {
                href: format!("{root}{}#review-notes", urls::objective(&o.id)),
                text: self.objective_name(o),
            };
            (&o.coaching, link)
        });
        let kpis = self.kpis_by_owner[index.0].iter().map(|&k| {
            let k = &site.kpis[k];
            let link = Link {
                href: format!("{root}{}#review-notes", urls::kpi(&k.id)),
                text: k.name.clone(),
            };
            (&k.coaching, link)
        });
        let own = Link {
            href: "#review-notes".to_string(),
            text: team.name.clone(),
        };
        let mut rows: BTreeMap<&'static str, CoachingRow> = BTreeMap::new();
        for (notes, link) in std::iter::once((&team.coaching, own))
            .chain(objectives)
            .chain(kpis)
        {
            for note in notes {
                let row = rows.entry(note.code).or_insert_with(|| CoachingRow {
                    code: note.code,
                    count: 0,
                    places: Vec::new(),
                });
                row.count += 1;
                if row.places.last().is_none_or(|l| l.href != link.href) {
                    row.places.push(link.clone());
                }
            }
        }
        let mut rows: Vec<CoachingRow> = rows.into_values().collect();
        rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
        rows
    }

    /// A team's objectives by period, latest first: the latest periods in
    /// full and a line for each earlier one, so that a long history does
    /// not make the page grow without bound.
    fn team_periods(&self, index: TeamIx, root: &str) -> (Vec<PeriodGroup>, Vec<EarlierPeriod>) {
        let site = self.site;
        let mut by_period: BTreeMap<PeriodIx, Vec<&Objective>> = BTreeMap::new();
        for &o in &self.by_owner[index.0] {
            if let Some(p) = site.objectives[o].period {
                by_period.entry(p).or_default().push(&site.objectives[o]);
            }
        }
        let mut groups = Vec::new();
        let mut earlier = Vec::new();
        for (n, (p, objectives)) in by_period.into_iter().rev().enumerate() {
            let period = self.period_link(p, root);
            if n < TEAM_PERIODS_IN_FULL {
                groups.push(PeriodGroup {
                    period,
                    objectives: objectives
                        .iter()
                        .map(|o| self.objective_card_with_key_results(o, root))
                        .collect(),
                });
            } else {
                let mean = crate::score::average_progress(objectives.iter().copied());
                earlier.push(EarlierPeriod {
                    period,
                    objectives: objectives.len(),
                    score: crate::format::score_text(mean),
                });
            }
        }
        (groups, earlier)
    }
}

/// A team's or person's page.
pub(in crate::render) struct TeamPage(pub(in crate::render) TeamIx);

impl PageSpec for TeamPage {
    fn template(&self) -> &'static str {
        "team.html"
    }
    fn path(&self, r: &Renderer<'_>) -> String {
        urls::team(&r.site.teams[self.0].id)
    }
    fn inputs(&self, r: &Renderer<'_>, inputs: &mut Inputs<'_>) {
        let (site, i) = (r.site, self.0);
        let team = &site.teams[i];
        let owned = &r.by_owner[i.0];
        inputs
            .teams([i])
            .teams(team.parent)
            .teams(r.subtree(i))
            .objectives(owned.iter().copied())
            .kpis(r.kpis_by_owner[i.0].iter().copied())
            .objectives(r.contributions[i.0].iter().copied());
        for &o in owned {
            if let Some(p) = site.objectives[o].period {
                inputs.period(p);
            }
        }
        // Its teams' roll-ups and their running objectives.
        for t in r.subtree(i).into_iter().skip(1) {
            inputs.objectives(r.by_owner[t.0].iter().copied());
        }
    }
    fn context(&self, r: &Renderer<'_>) -> anyhow::Result<Context> {
        r.team(self.0)
    }
}
