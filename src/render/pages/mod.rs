//! One module a page type. Each defines its page's [`PageSpec`]: where the
//! page goes, the template it is made with, what it is made from and its
//! context; the context's views are built in the same module.

mod activity;
mod body;
mod free;
mod home;
mod kpi;
mod listings;
mod objective;
mod period;
mod person;
mod review;
mod running;
mod team;

use tera::Context;

pub(super) use activity::ActivityPage;
pub(super) use free::{FreePage, NotFoundPage, SearchPage};
pub(super) use home::HomePage;
pub(super) use kpi::KpiPage;
pub(super) use listings::{KpisPage, PeriodsPage, TeamsPage};
pub(super) use objective::ObjectivePage;
pub(super) use period::{PeriodPage, TreePage};
pub(super) use person::PersonPage;
pub(super) use review::ReviewPage;
pub(super) use running::RunningPage;
pub(super) use team::TeamPage;

use super::Renderer;
use super::plan::Inputs;

/// One page of the site, by its type: all a render needs to know of it.
pub(super) trait PageSpec: Send + Sync {
    /// The template it is made with, from `templates/`.
    fn template(&self) -> &'static str;
    /// Its path in the output, as [`super::urls`] spells it.
    fn path(&self, r: &Renderer<'_>) -> String;
    /// What it shows, for its hash: when these are as they were, so is
    /// the page.
    fn inputs(&self, r: &Renderer<'_>, inputs: &mut Inputs<'_>);
    /// The template's context.
    fn context(&self, r: &Renderer<'_>) -> anyhow::Result<Context>;
}
