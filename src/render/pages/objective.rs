//! An objective's page.

use tera::Context;

use crate::model::ObjectiveIx;
use crate::render::format::percent;
use crate::render::views::*;
use crate::render::{OutputFile, Renderer};

impl Renderer<'_> {
    pub(in crate::render) fn objective(&self, index: ObjectiveIx) -> anyhow::Result<OutputFile> {
        let site = self.site;
        let o = &site.objectives[index];
        let root = "../";
        let breadcrumb: Vec<Link> = o
            .cascade
            .iter()
            .map(|&p| Link {
                href: format!("{root}objectives/{}.html", site.objectives[p].id),
                text: self.objective_name(&site.objectives[p]),
            })
            .collect();
        let children: Vec<ObjectiveCard> = o
            .children
            .iter()
            .map(|&c| self.objective_card(&site.objectives[c], root))
            .collect();
        let mut seen = std::collections::HashSet::new();
        let kpis: Vec<KpiCard> = o
            .key_results
            .iter()
            .filter_map(|kr| kr.kpi)
            .filter(|&k| seen.insert(k))
            .map(|k| self.kpi_card(&site.kpis[k], root))
            .collect();
        let mut context = Context::new();
        context.insert("page", &self.page_info(root, Some(&o.title), "objective"));
        context.insert("objective", &self.objective_card(o, root));
        context.insert("breadcrumb", &breadcrumb);
        context.insert("skipped", &o.cascade_skipped);
        context.insert(
            "key_results",
            &o.key_results
                .iter()
                .map(|kr| self.key_result_view(kr, root))
                .collect::<Vec<_>>(),
        );
        context.insert("children", &children);
        let grades = site.grading.of(o.commitment);
        context.insert(
            "grades",
            &std::collections::BTreeMap::from([
                ("achieved", percent(grades.achieved)),
                ("partial", percent(grades.partial)),
            ]),
        );
        context.insert("retrospective", &o.retrospective);
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
        context.insert("kpis", &kpis);
        context.insert(
            "body",
            &self.body_html(&o.body, o.doc.head.html.as_deref(), &o.path, root, 3),
        );
        self.render(
            "objective.html",
            format!("objectives/{}.html", o.id),
            &context,
        )
    }
}
