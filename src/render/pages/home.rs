//! The home page: the current period at a glance.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Context;

use crate::model::{KpiStatus, Objective, Status};
use crate::period::Phase;
use crate::render::format::percent;
use crate::render::views::*;
use crate::render::{OutputFile, Renderer};

impl Renderer<'_> {
    pub(in crate::render) fn home(&self) -> anyhow::Result<OutputFile> {
        let site = self.site;
        let root = "";
        let running: Vec<&Objective> = site
            .objectives
            .iter()
            .filter(|o| o.phase == Phase::Running)
            .collect();
        let company: Vec<ObjectiveCard> = running
            .iter()
            .filter(|o| o.owner.is_some_and(|t| site.teams[t].parent.is_none()))
            .map(|o| self.objective_card(o, root))
            .collect();
        let scores: Vec<f64> = running.iter().filter_map(|o| o.score).collect();
        let overall = crate::score::weighted_mean(scores.iter().map(|&s| (s, 1.0)));
        let expected = crate::score::weighted_mean(running.iter().map(|o| (o.expected, 1.0)));
        let at_risk: Vec<ObjectiveCard> = running
            .iter()
            .filter(|o| matches!(o.status, Status::AtRisk | Status::OffTrack))
            .map(|o| self.objective_card(o, root))
            .collect();
        #[derive(Serialize)]
        struct StatusCount {
            status: StatusView,
            count: usize,
        }
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for o in &running {
            *counts.entry(o.status.as_str()).or_default() += 1;
        }
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
            "counts",
            &counts
                .into_iter()
                .map(|(class, count)| StatusCount {
                    status: StatusView { class },
                    count,
                })
                .collect::<Vec<_>>(),
        );
        context.insert("at_risk", &at_risk);
        context.insert("kpi_attention", &attention);
        context.insert("kpi_total", &site.kpis.len());
        context.insert("kpi_healthy", &healthy);
        self.render("index.html", "index.html".into(), &context)
    }
}
