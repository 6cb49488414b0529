//! A KPI's page.

use serde::Serialize;
use tera::Context;

use crate::format::with_unit;
use crate::model::{KeyResultIx, Kpi, KpiIx};
use crate::render::Renderer;
use crate::render::chart;
use crate::render::pages::PageSpec;
use crate::render::plan::Inputs;
use crate::render::urls;
use crate::render::views::*;

#[derive(Serialize)]
struct Row {
    date: String,
    value: String,
    note: Option<String>,
    future: bool,
    /// "Li Wei on 2026-08-10", from git history.
    reported: Option<String>,
}

/// A key result that uses the KPI.
#[derive(Serialize)]
struct Use {
    objective: Link,
    key_result: String,
    status: StatusView,
    target: String,
}

impl Renderer<'_> {
    pub(in crate::render) fn kpi(&self, index: KpiIx) -> anyhow::Result<Context> {
        let site = self.site;
        let kpi = &site.kpis[index];
        let root = "../";
        let unit = kpi.unit.as_deref();
        let points: Vec<_> = kpi
            .measurements
            .iter()
            .filter(|m| m.date <= site.as_of)
            .map(|m| (m.date, m.value))
            .collect();
        let targets: Vec<chart::TargetLine> = kpi
            .focus
            .iter()
            .filter_map(|&r| {
                let (o, kr) = site.key_result(r);
                Some(chart::TargetLine {
                    period: o.period_id().to_string(),
                    value: kr.target?,
                })
            })
            .collect();
        let rows: Vec<Row> = kpi
            .measurements
            .iter()
            .rev()
            .map(|m| Row {
                date: m.date.to_string(),
                value: with_unit(m.value, unit),
                note: m.note.clone(),
                future: m.date > site.as_of,
                reported: m.reported.as_ref().map(reported_text),
            })
            .collect();
        let mut context = Context::new();
        context.insert(
            "page",
            &self.document_page_info(root, &kpi.name, "kpis", &kpi.path),
        );
        context.insert_value("kpi", self.kpi_card_value(index, root));
        context.insert(
            "chart",
            &chart::history(
                &kpi.id,
                chart::summary(&kpi.name, &points, unit.unwrap_or("")),
                &points,
                (kpi.healthy_min, kpi.healthy_max),
                &targets,
            ),
        );
        let of: Vec<Link> = kpi
            .of
            .iter()
            .map(|&k| Link {
                href: format!("{root}{}", urls::kpi(&site.kpis[k].id)),
                text: site.kpis[k].name.clone(),
            })
            .collect();
        context.insert("rollup", &kpi.rollup.map(|r| r.as_str()));
        context.insert("rolled_up_from", &of);
        context.insert("notes", &rows.iter().any(|r| r.note.is_some()));
        context.insert("reporters", &rows.iter().any(|r| r.reported.is_some()));
        context.insert("rows", &rows);
        context.insert("coaching", &note_views(&kpi.coaching));
        context.insert("direction", &kpi.direction);
        context.insert("cadence", &kpi.cadence);
        context.insert("band", &band_view(kpi.healthy_min, kpi.healthy_max, unit));
        context.insert(
            "last_measured",
            &kpi.latest.as_ref().map(|m| m.date.to_string()),
        );
        context.insert(
            "age",
            &kpi.latest.as_ref().map(|m| site.as_of.days_since(m.date)),
        );
        context.insert("focus", &self.uses(kpi, kpi.focus.iter(), root));
        let others = kpi.key_results.iter().filter(|r| !kpi.focus.contains(r));
        context.insert("others", &self.uses(kpi, others, root));
        context.insert(
            "body",
            &self.body_html(&kpi.body, kpi.doc.head.html.as_deref(), &kpi.path, root, 3)?,
        );
        Ok(context)
    }

    fn uses<'k>(
        &self,
        kpi: &Kpi,
        refs: impl Iterator<Item = &'k KeyResultIx>,
        root: &str,
    ) -> Vec<Use> {
        refs.map(|&r| {
            let (o, kr) = self.site.key_result(r);
            Use {
                objective: Link {
                    href: format!("{root}{}", urls::objective(&o.id)),
                    text: self.objective_name(o),
                },
                key_result: kr.title.clone(),
                status: self.status_view(kr.status),
                target: kr
                    .target
                    .map(|t| with_unit(t, kpi.unit.as_deref()))
                    .unwrap_or_default(),
            }
        })
        .collect()
    }
}

/// A KPI's page.
pub(in crate::render) struct KpiPage(pub(in crate::render) KpiIx);

impl PageSpec for KpiPage {
    fn template(&self) -> &'static str {
        "kpi.html"
    }
    fn path(&self, r: &Renderer<'_>) -> String {
        urls::kpi(&r.site.kpis[self.0].id)
    }
    fn inputs(&self, r: &Renderer<'_>, inputs: &mut Inputs<'_>) {
        let kpi = &r.site.kpis[self.0];
        let users = kpi.key_results.iter().map(|r| r.objective);
        inputs
            .kpis([self.0])
            .kpis(kpi.of.iter().copied())
            .teams(kpi.owner)
            .objectives(users);
    }
    fn context(&self, r: &Renderer<'_>) -> anyhow::Result<Context> {
        r.kpi(self.0)
    }
}
