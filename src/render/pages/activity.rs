//! What git says happened to the site, newest first: check-ins and KPI
//! measurements with who reported them, grades given and changed, and
//! goalposts moved. The page is made when a build reads the history
//! (`--history`).

use serde::Serialize;
use tera::Context;

use crate::model::{Activity, ActivityKind};
use crate::render::Renderer;
use crate::render::pages::PageSpec;
use crate::render::plan::Inputs;
use crate::render::urls;
use crate::render::views::*;

/// Entries shown; `data.json` has them all.
const SHOWN: usize = 300;

#[derive(Serialize)]
struct Entry {
    date: String,
    author: String,
    commit: String,
    /// `check-in`, `measurement`, `grade` or `goalpost`.
    kind: &'static str,
    /// The objective, KPI or period it is about.
    item: Option<Link>,
    /// The key result's title.
    about: Option<String>,
    what: String,
}

impl Renderer<'_> {
    fn activity_entry(&self, a: &Activity) -> Entry {
        let site = self.site;
        let item = if let Some(&o) = a
            .objective
            .as_ref()
            .and_then(|id| site.index.objectives.get(id))
        {
            let o = &site.objectives[o.0];
            Some(Link {
                href: urls::objective(&o.id),
                text: o.title.clone(),
            })
        } else if let Some(&k) = a.kpi.as_ref().and_then(|id| site.index.kpis.get(id)) {
            let k = &site.kpis[k.0];
            Some(Link {
                href: urls::kpi(&k.id),
                text: k.name.clone(),
            })
        } else {
            a.about.as_ref().map(|id| Link {
                href: match site.index.periods.get(id) {
                    Some(_) => urls::period(id),
                    None => urls::PERIODS.to_string(),
                },
                text: format!("period {id}"),
            })
        };
        Entry {
            date: a.date.to_string(),
            author: a.author.clone(),
            commit: a.commit.clone(),
            kind: match a.kind {
                ActivityKind::Checkin => "check-in",
                ActivityKind::Measurement => "measurement",
                ActivityKind::Grade => "grade",
                ActivityKind::Goalpost => "goalpost",
            },
            item,
            about: a.about.clone().filter(|_| a.objective.is_some()),
            what: a.what.clone(),
        }
    }

    pub(in crate::render) fn activity(&self) -> anyhow::Result<Context> {
        let activity = &self.site.activity;
        let entries: Vec<Entry> = activity
            .iter()
            .take(SHOWN)
            .map(|a| self.activity_entry(a))
            .collect();
        let mut context = Context::new();
        context.insert("page", &self.page_info("", Some("Activity"), "activity"));
        context.insert("entries", &entries);
        context.insert("total", &activity.len());
        Ok(context)
    }
}

/// The activity page.
pub(in crate::render) struct ActivityPage;

impl PageSpec for ActivityPage {
    fn template(&self) -> &'static str {
        "activity.html"
    }
    fn path(&self, _: &Renderer<'_>) -> String {
        urls::ACTIVITY.into()
    }
    /// The titles of what it names, and the history.
    fn inputs(&self, r: &Renderer<'_>, inputs: &mut Inputs<'_>) {
        inputs.everything();
        inputs.activity(r.site);
    }
    fn context(&self, r: &Renderer<'_>) -> anyhow::Result<Context> {
        r.activity()
    }
}
