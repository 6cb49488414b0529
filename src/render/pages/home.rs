//! The home page: the current period at a glance, or, between periods, the
//! one just ended with its grades and the next one.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Context;

use crate::format::{percent, with_unit};
use crate::model::{KpiStatus, Objective, PeriodIx, ValueSource};
use crate::period::Phase;
use crate::render::Renderer;
use crate::render::pages::PageSpec;
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

/// A key result that puts a running objective at risk, and why.
#[derive(Serialize)]
struct Behind {
    objective: Link,
    key_result: Option<String>,
    href: String,
    status: StatusView,
    /// `behind`, `overdue`, `breach`, `stale`, `no-data` or `objective`.
    reason: &'static str,
    /// The day its value was last reported, for `stale`.
    updated: Option<String>,
    score: Option<String>,
    expected: String,
    /// How many points of progress short of the expected pace.
    points: Option<i64>,
    due: Option<String>,
    value: Option<String>,
    band: Option<BandView>,
}

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
        let at_risk: Vec<ObjectiveCard> = running
            .iter()
            .filter(|o| o.status.is_behind())
            .map(|o| self.objective_card(o, root))
            .collect();
        let attention: Vec<KpiCard> = site
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
        let healthy = site
            .kpis
            .iter()
            .filter(|k| k.status == KpiStatus::Healthy)
            .count();
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
        context.insert("counts", &self.status_counts(running.iter().copied()));
        context.insert("at_risk", &at_risk);
        context.insert("behind", &self.behind(&running));
        if running.is_empty() {
            context.insert("just_ended", &self.neighbour(Phase::Ended));
            context.insert("next", &self.neighbour(Phase::Upcoming));
        }
        context.insert("kpi_attention", &attention);
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

    /// The key results that need attention and why: those behind pace in
    /// running objectives at risk or off track, and in any running
    /// objective, overdue milestones, guardrails out of their band and
    /// values not updated within `[lint] checkin_cadence` (a month unless
    /// set).
    fn behind(&self, running: &[&Objective]) -> Vec<Behind> {
        let site = self.site;
        let mut rows = Vec::new();
        for o in running {
            let objective = Link {
                href: urls::objective(&o.id),
                text: self.objective_name(o),
            };
            let row = |kr: Option<&crate::model::KeyResult>, reason| Behind {
                objective: objective.clone(),
                key_result: kr.map(|k| k.title.clone()),
                href: kr.map_or_else(
                    || objective.href.clone(),
                    |k| format!("{}#kr-{}", objective.href, k.id),
                ),
                status: self.status_view(kr.map_or(o.status, |k| k.status)),
                reason,
                score: kr.map_or(o.score, |k| k.score).map(percent),
                expected: percent(o.expected),
                points: kr
                    .map_or(o.score, |k| k.score)
                    .map(|s| ((o.expected - s) * 100.0).round() as i64),
                due: kr.and_then(|k| k.due).map(|d| d.to_string()),
                value: kr.and_then(|k| k.current.map(|v| with_unit(v, k.unit.as_deref()))),
                band: kr.and_then(|k| band_view(k.min, k.max, k.unit.as_deref())),
                updated: kr.and_then(|k| self.updated(k)).map(|d| d.to_string()),
            };
            let before = rows.len();
            for kr in o.key_results.iter().filter(|k| k.dropped.is_none()) {
                let overdue = kr.is_overdue(site.as_of);
                // Values reported by check-in (or edited in place, with
                // git's dates) go stale; KPIs have cadences of their own.
                let stale = matches!(
                    kr.current_source,
                    ValueSource::Checkin | ValueSource::Current
                ) && self
                    .updated(kr)
                    .is_some_and(|d| site.as_of.days_since(d) > site.checkin_cadence.days());
                // A learning key result does not count, so is never why
                // an objective is behind.
                let counts = kr.commitment != crate::model::Commitment::Learning;
                let reason = match kr.status {
                    _ if overdue => "overdue",
                    _ if kr.in_band == Some(false) => "breach",
                    _ if stale => "stale",
                    s if counts && s.is_behind() && o.status.is_behind() && kr.score.is_none() => {
                        "no-data"
                    }
                    s if counts && s.is_behind() && o.status.is_behind() => "behind",
                    _ => continue,
                };
                rows.push(row(Some(kr), reason));
            }
            if rows.len() == before && o.status.is_behind() {
                rows.push(row(None, "objective"));
            }
        }
        rows
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
