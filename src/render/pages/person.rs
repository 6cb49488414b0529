//! A person's page, for someone named as a team's lead or member who is
//! not a person of the site: the teams they lead and belong to, the
//! running objectives of the teams they lead, and every key result they
//! drive, latest period first ("my OKRs").

use serde::Serialize;
use tera::Context;

use crate::period::Phase;
use crate::render::Renderer;
use crate::render::pages::PageSpec;
use crate::render::plan::Inputs;
use crate::render::urls;
use crate::render::views::*;

/// A key result someone drives, in one row.
#[derive(Serialize)]
struct Driven {
    objective: Link,
    key_result: Link,
    period: Link,
    status: StatusView,
    figure: Option<String>,
}

impl Renderer<'_> {
    fn person(&self, index: usize) -> anyhow::Result<Context> {
        let site = self.site;
        let person = &self.people[index];
        let root = "../";
        let key = person.name.to_lowercase();
        let mut driven: Vec<(Option<crate::Date>, Driven)> = Vec::new();
        for o in &site.objectives {
            for kr in &o.key_results {
                if !drives(kr, &key) {
                    continue;
                }
                let objective = Link {
                    href: format!("{root}{}", urls::objective(&o.id)),
                    text: self.objective_name(o),
                };
                let start = o.period.map(|p| site.periods[p].start);
                driven.push((
                    start,
                    Driven {
                        key_result: Link {
                            href: format!("{}#kr-{}", objective.href, kr.id),
                            text: kr.title.clone(),
                        },
                        objective,
                        period: o.period.map_or_else(
                            || Link::text(o.period_id()),
                            |p| self.period_link(p, root),
                        ),
                        status: self.status_view(kr.status),
                        figure: kr.score.map(crate::format::percent),
                    },
                ));
            }
        }
        driven.sort_by_key(|d| std::cmp::Reverse(d.0));
        let led: Vec<ObjectiveCard> = person
            .leads
            .iter()
            .flat_map(|t| &self.by_owner[t.0])
            .map(|&o| &site.objectives[o])
            .filter(|o| o.phase == Phase::Running)
            .map(|o| self.objective_card(o, root))
            .collect();
        let links = |teams: &[crate::model::TeamIx]| -> Vec<Link> {
            teams.iter().map(|&t| self.team_link(t, root)).collect()
        };
        let mut context = Context::new();
        context.insert("page", &self.page_info(root, Some(&person.name), "teams"));
        context.insert("name", &person.name);
        context.insert("leads", &links(&person.leads));
        context.insert("member_of", &links(&person.member_of));
        context.insert("led", &led);
        context.insert(
            "driven",
            &driven.into_iter().map(|(_, d)| d).collect::<Vec<_>>(),
        );
        Ok(context)
    }
}

/// Whether `kr` has the person named `key` (in lower case) among its owners.
fn drives(kr: &crate::model::KeyResult, key: &str) -> bool {
    kr.owners.iter().any(|w| w.trim().to_lowercase() == key)
}

/// A person's page, by their place among the people.
pub(in crate::render) struct PersonPage(pub(in crate::render) usize);

impl PageSpec for PersonPage {
    fn template(&self) -> &'static str {
        "person.html"
    }
    fn path(&self, r: &Renderer<'_>) -> String {
        urls::person(&r.people[self.0].slug)
    }
    /// The objectives with key results they drive, the teams they lead
    /// and belong to, and those teams' objectives.
    fn inputs(&self, r: &Renderer<'_>, inputs: &mut Inputs<'_>) {
        let person = &r.people[self.0];
        let key = person.name.to_lowercase();
        let driven: Vec<crate::model::ObjectiveIx> = r
            .site
            .objectives
            .iter()
            .enumerate()
            .filter(|(_, o)| o.key_results.iter().any(|kr| drives(kr, &key)))
            .map(|(i, _)| crate::model::ObjectiveIx(i))
            .collect();
        for &o in &driven {
            if let Some(p) = r.site.objectives[o].period {
                inputs.period(p);
            }
        }
        inputs
            .objectives(driven)
            .teams(person.leads.iter().chain(&person.member_of).copied());
        for t in &person.leads {
            inputs.objectives(r.by_owner[t.0].iter().copied());
        }
    }
    fn context(&self, r: &Renderer<'_>) -> anyhow::Result<Context> {
        r.person(self.0)
    }
}
