//! An objective's page.

use tera::Context;

use crate::format::percent;
use crate::model::{KeyResultIx, Objective, ObjectiveIx};
use crate::render::Renderer;
use crate::render::chart;
use crate::render::pages::PageSpec;
use crate::render::plan::Inputs;
use crate::render::urls;
use crate::render::views::*;
use crate::score::history;

impl Renderer<'_> {
    /// An objective's key results as its page shows them: each with its
    /// progress chart and the objectives that serve it.
    fn objective_key_results(&self, index: ObjectiveIx, root: &str) -> Vec<KeyResultView> {
        let site = self.site;
        let o = &site.objectives[index];
        o.key_results
            .iter()
            .enumerate()
            .map(|(k, kr)| {
                let mut view = self.key_result_view(kr, root);
                let at = KeyResultIx {
                    objective: index,
                    key_result: k,
                };
                view.served_by = site
                    .serving(at)
                    .map(|c| Link {
                        href: format!("{root}{}", urls::objective(&c.id)),
                        text: self.objective_name(c),
                    })
                    .collect();
                let points = history::key_result(site, o, kr);
                view.chart = self.progress_chart(o, &format!("kr-{}", kr.id), &points);
                view
            })
            .collect()
    }

    /// A progress chart over an objective's period, when it has a period
    /// and something was reported in it on two days or more.
    fn progress_chart(
        &self,
        o: &Objective,
        id: &str,
        points: &[(crate::Date, f64)],
    ) -> Option<chart::Progress> {
        let period = &self.site.periods[o.period?];
        // One point is today's score, which the page says already.
        if points.len() < 2 {
            return None;
        }
        let as_of = self.site.as_of;
        let expected = history::expected_on(self.site, o, as_of);
        Some(chart::progress(
            id,
            points,
            (period.start, period.chart_end(as_of)),
            as_of,
            period.is_paced().then_some(expected),
        ))
    }

    pub(in crate::render) fn objective(&self, index: ObjectiveIx) -> anyhow::Result<Context> {
        let site = self.site;
        let o = &site.objectives[index];
        let root = "../";
        let links = |objectives: &[ObjectiveIx]| -> Vec<Link> {
            objectives
                .iter()
                .map(|&p| Link {
                    href: format!("{root}{}", urls::objective(&site.objectives[p].id)),
                    text: self.objective_name(&site.objectives[p]),
                })
                .collect()
        };
        let breadcrumb = links(&o.cascade);
        let children: Vec<ObjectiveCard> = o
            .children
            .iter()
            .map(|&c| self.objective_card(&site.objectives[c], root))
            .collect();
        let mut seen = std::collections::HashSet::new();
        let kpis: Vec<tera::Value> = o
            .key_results
            .iter()
            .filter_map(|kr| kr.kpi)
            .filter(|&k| seen.insert(k))
            .map(|k| self.kpi_card_value(k, root))
            .collect();
        let mut context = Context::new();
        context.insert(
            "page",
            &self.document_page_info(root, &o.title, "objective", &o.path),
        );
        context.insert("objective", &self.objective_card(o, root));
        context.insert("breadcrumb", &breadcrumb);
        context.insert(
            "serves",
            &self.served_key_result(o).zip(o.parent).map(|(kr, p)| Link {
                href: format!(
                    "{root}{}#kr-{}",
                    urls::objective(&site.objectives[p].id),
                    kr.id
                ),
                text: kr.title.clone(),
            }),
        );
        context.insert("also_serves", &links(&o.also_parents));
        context.insert("skipped", &o.cascade_skipped);
        let key_results = self.objective_key_results(index, root);
        context.insert("key_results", &key_results);
        let points = &self.objective_progress(o).points;
        context.insert("chart", &self.progress_chart(o, "objective", points));
        context.insert("children", &children);
        let grades = site.grading.of(o.commitment);
        context.insert(
            "grades",
            &std::collections::BTreeMap::from([
                ("achieved", percent(grades.achieved)),
                ("partial", percent(grades.partial)),
            ]),
        );
        // Written in Markdown, often Good / Bad / Try lists, sanitised as a
        // body is.
        let retrospective = o
            .retrospective
            .as_deref()
            .map(|text| crate::markdown::html(text, &o.path, 3).finish(&o.path, root, &self.pages));
        context.insert("retrospective", &retrospective);
        context.insert("links", &o.links);
        context.insert(
            "contributors",
            &o.contributors
                .iter()
                .map(|&t| self.team_link(t, root))
                .collect::<Vec<_>>(),
        );
        context.insert("children_score", &o.children_score.map(percent));
        context.insert("from_children", &o.from_children);
        context.insert_value("kpis", kpis.into());
        context.insert("coaching", &note_views(&o.coaching));
        context.insert(
            "body",
            &self.body_html(&o.body, o.doc.head.html.as_deref(), &o.path, root, 3)?,
        );
        Ok(context)
    }
}

/// An objective's page.
pub(in crate::render) struct ObjectivePage(pub(in crate::render) ObjectiveIx);

impl PageSpec for ObjectivePage {
    fn template(&self) -> &'static str {
        "objective.html"
    }
    fn path(&self, r: &Renderer<'_>) -> String {
        urls::objective(&r.site.objectives[self.0].id)
    }
    fn inputs(&self, r: &Renderer<'_>, inputs: &mut Inputs<'_>) {
        let site = r.site;
        let o = &site.objectives[self.0];
        inputs
            .objectives([self.0])
            .objectives(o.cascade.iter().copied())
            .objectives(o.also_parents.iter().copied())
            .objectives(o.children.iter().copied())
            .teams(o.owner)
            .teams(o.children.iter().filter_map(|&c| site.objectives[c].owner))
            .kpis(o.key_results.iter().filter_map(|kr| kr.kpi));
    }
    fn context(&self, r: &Renderer<'_>) -> anyhow::Result<Context> {
        r.objective(self.0)
    }
}
