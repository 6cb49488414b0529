//! The pages that list every period, team and KPI.

use serde::Serialize;
use tera::Context;

use crate::format::percent;
use crate::model::{Objective, PeriodIx};
use crate::period::Phase;
use crate::render::pages::PageSpec;
use crate::render::plan::Inputs;
use crate::render::urls;
use crate::render::views::*;
use crate::render::{KPIS_PER_PAGE, Renderer};

impl Renderer<'_> {
    pub(in crate::render) fn periods_index(&self) -> anyhow::Result<Context> {
        #[derive(Serialize)]
        struct Row {
            link: Link,
            start: String,
            end: String,
            phase: &'static str,
            objectives: usize,
            score: String,
        }
        let site = self.site;
        let rows: Vec<Row> = site
            .periods
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let objectives: Vec<&Objective> = self.by_period[i]
                    .iter()
                    .map(|&o| &site.objectives[o])
                    .collect();
                if objectives.is_empty() {
                    return None;
                }
                let mean = crate::score::average_progress(objectives.iter().copied());
                Some(Row {
                    link: self.period_link(PeriodIx(i), ""),
                    start: p.start.to_string(),
                    end: p.end_text(),
                    phase: match p.phase(site.as_of) {
                        Phase::Upcoming => "upcoming",
                        Phase::Running => "running",
                        Phase::Ended => "ended",
                    },
                    objectives: objectives.len(),
                    score: mean.map(percent).unwrap_or_default(),
                })
            })
            .collect();
        let mut context = Context::new();
        context.insert("page", &self.page_info("", None, "periods"));
        context.insert("periods", &rows);
        Ok(context)
    }

    pub(in crate::render) fn teams_index(&self) -> anyhow::Result<Context> {
        #[derive(Serialize)]
        struct Row {
            link: Link,
            depth: usize,
            kind: &'static str,
            lead: String,
            /// How its running objectives stand, its teams' included.
            rollup: Rollup,
        }
        let site = self.site;
        let rows: Vec<Row> = self
            .team_order
            .iter()
            .copied()
            .map(|(i, depth)| {
                let t = &site.teams[i];
                Row {
                    link: self.team_link(i, ""),
                    depth: depth.min(6),
                    kind: t.kind.as_str(),
                    lead: t.lead.clone().unwrap_or_default(),
                    rollup: self.team_rollup(i),
                }
            })
            .collect();
        let mut context = Context::new();
        context.insert("page", &self.page_info("", None, "teams"));
        context.insert("teams", &rows);
        Ok(context)
    }

    /// One page of the KPIs by name, with links to the other pages.
    pub(in crate::render) fn kpis_index(&self, page: usize) -> anyhow::Result<Context> {
        let kpis = &self.kpis_by_name;
        let (first, shown, links) = one_page(kpis, page, KPIS_PER_PAGE, urls::kpis_page);
        let cards: Vec<KpiCard> = shown
            .iter()
            .map(|&k| self.kpi_card(&self.site.kpis[k], ""))
            .collect();
        let mut context = Context::new();
        context.insert("page", &self.page_info("", None, "kpis"));
        context.insert("kpis", &cards);
        context.insert("pages", &links);
        context.insert(
            "range",
            &format!(
                "{}–{} of {}",
                (first + 1).min(kpis.len()),
                first + shown.len(),
                kpis.len()
            ),
        );
        Ok(context)
    }
}

/// The list of periods.
pub(in crate::render) struct PeriodsPage;

impl PageSpec for PeriodsPage {
    fn template(&self) -> &'static str {
        "periods.html"
    }
    fn path(&self, _: &Renderer<'_>) -> String {
        urls::PERIODS.into()
    }
    fn inputs(&self, _: &Renderer<'_>, inputs: &mut Inputs<'_>) {
        inputs.everything();
    }
    fn context(&self, r: &Renderer<'_>) -> anyhow::Result<Context> {
        r.periods_index()
    }
}

/// The list of teams, as a tree.
pub(in crate::render) struct TeamsPage;

impl PageSpec for TeamsPage {
    fn template(&self) -> &'static str {
        "teams.html"
    }
    fn path(&self, _: &Renderer<'_>) -> String {
        urls::TEAMS.into()
    }
    fn inputs(&self, _: &Renderer<'_>, inputs: &mut Inputs<'_>) {
        inputs.everything();
    }
    fn context(&self, r: &Renderer<'_>) -> anyhow::Result<Context> {
        r.teams_index()
    }
}

/// One page of the list of KPIs, from 0.
pub(in crate::render) struct KpisPage(pub(in crate::render) usize);

impl PageSpec for KpisPage {
    fn template(&self) -> &'static str {
        "kpis.html"
    }
    fn path(&self, _: &Renderer<'_>) -> String {
        urls::kpis_page(self.0)
    }
    fn inputs(&self, _: &Renderer<'_>, inputs: &mut Inputs<'_>) {
        inputs.everything();
    }
    fn context(&self, r: &Renderer<'_>) -> anyhow::Result<Context> {
        r.kpis_index(self.0)
    }
}
