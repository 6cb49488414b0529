//! The home page: the current period at a glance, or, between periods, the
//! one just ended with its grades and the next one.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Context;

use crate::format::percent;
use crate::model::{KpiStatus, Objective, PeriodIx, TeamIx, TeamKind};
use crate::period::Phase;
use crate::render::Renderer;
use crate::render::pages::PageSpec;
use crate::render::pages::running::AttentionRow;
use crate::render::plan::Inputs;
use crate::render::urls;
use crate::render::views::*;

/// A period that is not running: the one just ended, or the next.
#[derive(Serialize)]
struct OtherPeriod {
    link: Link,
    start: String,
    end: String,
    /// Its objectives by status (grades, once ended).
    counts: Vec<StatusCount>,
    /// Its company objectives.
    company: Vec<ObjectiveCard>,
}

/// A department (or the company's other top-level teams) in one row.
#[derive(Serialize)]
struct DepartmentRow {
    team: Link,
    rollup: Rollup,
}

/// Objectives that need attention on the home page; the rest are a link away.
const ATTENTION_ON_HOME: usize = 6;
/// Reasons shown for each of them.
const REASONS_ON_HOME: usize = 2;
/// KPIs that need attention on the home page.
const KPIS_ON_HOME: usize = 5;

impl Renderer<'_> {
    pub(in crate::render) fn home(&self) -> anyhow::Result<Context> {
        let site = self.site;
        let root = "";
        let running: Vec<&Objective> = site
            .objectives
            .iter()
            .filter(|o| o.phase == Phase::Running)
            .collect();
        let company: Vec<ObjectiveCard> = running
            .iter()
            .filter(|o| self.is_company(o))
            .map(|o| self.objective_card(o, root))
            .collect();
        let overall = crate::score::average_progress(running.iter().copied());
        let expected = crate::score::average_expected(running.iter().copied());
        let mut attention: Vec<KpiCard> = site
            .kpis
            .iter()
            .filter(|k| {
                matches!(
                    k.status,
                    KpiStatus::Unhealthy | KpiStatus::Stale | KpiStatus::NoData
                )
            })
            .map(|k| self.kpi_card(k, root))
            .collect();
        let kpi_attention_total = attention.len();
        // Unhealthy first, then stale, then those without data.
        attention.sort_by_key(|card| match card.status.class {
            "unhealthy" => 0,
            "stale" => 1,
            _ => 2,
        });
        attention.truncate(KPIS_ON_HOME);
        let healthy = site
            .kpis
            .iter()
            .filter(|k| k.status == KpiStatus::Healthy)
            .count();
        let needs_attention = self.needs_attention();
        let attention_rows: Vec<AttentionRow> = needs_attention
            .iter()
            .filter(|r| !self.is_company(r.objective))
            .take(ATTENTION_ON_HOME)
            .map(|r| self.attention_row(r, root, REASONS_ON_HOME))
            .collect();
        let mut context = Context::new();
        if let Some((trend, trend_period)) = self.company_trend() {
            context.insert("trend", &trend);
            context.insert("trend_period", &trend_period);
        }
        context.insert("page", &self.page_info(root, None, "home"));
        context.insert(
            "period",
            &self.current_period.map(|p| self.period_link(p, root)),
        );
        context.insert("company", &company);
        context.insert("overall", &overall.map(percent));
        context.insert("overall_width", &(overall.unwrap_or(0.0) * 100.0).round());
        context.insert("expected", &expected.map(percent));
        context.insert("running", &running.len());
        context.insert(
            "mix",
            &self.mix(running.iter().copied(), |s| {
                Some(urls::running(s.as_str(), 0))
            }),
        );
        context.insert("departments", &self.departments());
        context.insert("attention", &attention_rows);
        context.insert("attention_total", &needs_attention.len());
        context.insert("attention_href", &urls::running("attention", 0));
        if running.is_empty() {
            context.insert("just_ended", &self.neighbour(Phase::Ended));
            context.insert("next", &self.neighbour(Phase::Upcoming));
        }
        context.insert("kpi_attention", &attention);
        context.insert("kpi_attention_total", &kpi_attention_total);
        context.insert("kpi_total", &site.kpis.len());
        context.insert("kpi_healthy", &healthy);
        Ok(context)
    }

    /// The progress of the running company objectives together, over the
    /// period most of them share (the year, when they are yearly).
    fn company_trend(&self) -> Option<(crate::render::chart::Progress, Link)> {
        let site = self.site;
        let company: Vec<&Objective> = site
            .objectives
            .iter()
            .filter(|o| o.phase == Phase::Running && !o.draft && self.is_company(o))
            .collect();
        let mut periods: BTreeMap<PeriodIx, usize> = BTreeMap::new();
        for p in company.iter().filter_map(|o| o.period) {
            *periods.entry(p).or_default() += 1;
        }
        let (&period, _) = periods
            .iter()
            .max_by_key(|(p, n)| (**n, std::cmp::Reverse(**p)))?;
        let histories: Vec<&[crate::score::history::Point]> = company
            .iter()
            .filter(|o| o.period == Some(period))
            .map(|o| self.objective_progress(o).points.as_slice())
            .collect();
        let points = crate::score::history::combined(&histories);
        let p = &site.periods[period];
        let chart = crate::render::chart::progress(
            "company",
            &points,
            (p.start, p.chart_end(site.as_of)),
            site.as_of,
            p.is_paced().then(|| p.elapsed(site.as_of)),
        );
        (!points.is_empty()).then(|| (chart, self.period_link(period, "")))
    }

    /// The departments, each with how its running objectives stand: the
    /// teams right under the top of the organisation, people aside (or
    /// the top-level teams, when there are several and none has any).
    fn departments(&self) -> Vec<DepartmentRow> {
        let site = self.site;
        let at_depth = |depth: usize| -> Vec<TeamIx> {
            self.team_order
                .iter()
                .filter(|&&(t, d)| d == depth && site.teams[t].kind != TeamKind::Person)
                .map(|&(t, _)| t)
                .collect()
        };
        let mut teams = at_depth(1);
        if teams.is_empty() {
            teams = at_depth(0);
            if teams.len() < 2 {
                teams.clear();
            }
        }
        teams
            .into_iter()
            .map(|t| DepartmentRow {
                team: self.team_link(t, ""),
                rollup: self.team_rollup(t),
            })
            .collect()
    }

    fn is_company(&self, o: &Objective) -> bool {
        o.owner.is_some_and(|t| self.site.teams[t].parent.is_none())
    }

    /// The period with objectives that ended last (for `Phase::Ended`) or
    /// begins next (for `Phase::Upcoming`), with its objectives' statuses.
    fn neighbour(&self, phase: Phase) -> Option<OtherPeriod> {
        let site = self.site;
        let mut candidates: Vec<PeriodIx> = site
            .objectives
            .iter()
            .filter(|o| o.phase == phase)
            .filter_map(|o| o.period)
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let period = match phase {
            Phase::Ended => candidates.into_iter().max_by_key(|&p| {
                (
                    site.periods[p].end,
                    std::cmp::Reverse(site.periods[p].days()),
                )
            }),
            _ => candidates.into_iter().min_by_key(|&p| {
                (
                    site.periods[p].start,
                    std::cmp::Reverse(site.periods[p].days()),
                )
            }),
        }?;
        let objectives = || {
            site.objectives
                .iter()
                .filter(move |o| o.period == Some(period))
        };
        Some(OtherPeriod {
            link: self.period_link(period, ""),
            start: site.periods[period].start.to_string(),
            end: site.periods[period].end_text(),
            counts: self.status_counts(objectives()),
            company: objectives()
                .filter(|o| self.is_company(o))
                .map(|o| self.objective_card(o, ""))
                .collect(),
        })
    }
}

/// The home page: the whole organisation at a glance.
pub(in crate::render) struct HomePage;

impl PageSpec for HomePage {
    fn template(&self) -> &'static str {
        "index.html"
    }
    fn path(&self, _: &Renderer<'_>) -> String {
        urls::HOME.into()
    }
    fn inputs(&self, _: &Renderer<'_>, inputs: &mut Inputs<'_>) {
        inputs.everything();
    }
    fn context(&self, r: &Renderer<'_>) -> anyhow::Result<Context> {
        r.home()
    }
}
