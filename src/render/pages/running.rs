//! Lists of running objectives, worst first: those that need attention,
//! and those of one status, each split into pages. The home page shows the
//! head of the first and links to the rest.

use serde::Serialize;
use tera::Context;

use crate::format::{percent, with_unit};
use crate::model::{KeyResult, Objective, Status, ValueSource};
use crate::period::Phase;
use crate::render::Renderer;
use crate::render::pages::PageSpec;
use crate::render::plan::Inputs;
use crate::render::urls;
use crate::render::views::*;

/// Objectives on one page of a list.
pub(in crate::render) const RUNNING_PER_PAGE: usize = 50;

/// Which running objectives a list holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::render) enum RunningList {
    /// Those behind, or with a key result overdue, out of its band or not
    /// updated (see [`Renderer::needs_attention`]).
    Attention,
    Status(Status),
}

impl RunningList {
    /// Its name in addresses.
    pub(in crate::render) fn slug(self) -> &'static str {
        match self {
            RunningList::Attention => "attention",
            RunningList::Status(s) => s.as_str(),
        }
    }
}

/// Why a key result (or its objective as a whole) needs attention.
#[derive(Serialize)]
pub(in crate::render) struct Reason {
    /// The key result, or `None` for the objective as a whole.
    pub(in crate::render) key_result: Option<Link>,
    pub(in crate::render) status: StatusView,
    /// `behind`, `overdue`, `breach`, `stale`, `no-data` or `objective`.
    pub(in crate::render) reason: &'static str,
    /// The day its value was last reported, for `stale`.
    pub(in crate::render) updated: Option<String>,
    pub(in crate::render) score: Option<String>,
    pub(in crate::render) expected: String,
    /// How many points of progress short of the expected pace.
    pub(in crate::render) points: Option<i64>,
    pub(in crate::render) due: Option<String>,
    /// Whether a milestone's state was reported at all.
    pub(in crate::render) reported: bool,
    pub(in crate::render) value: Option<String>,
    pub(in crate::render) band: Option<BandView>,
}

/// A running objective in a list, with why it needs attention.
#[derive(Serialize)]
pub(in crate::render) struct AttentionRow {
    pub(in crate::render) objective: ObjectiveCard,
    pub(in crate::render) reasons: Vec<Reason>,
    /// Reasons left out of a short list.
    pub(in crate::render) more: usize,
}

/// A running objective's reasons, worked out before it is shown.
pub(in crate::render) struct Ranked<'a> {
    pub(in crate::render) objective: &'a Objective,
    /// Its key results that need attention, and why.
    reasons: Vec<(Option<&'a KeyResult>, &'static str)>,
}

impl Renderer<'_> {
    /// The running objectives, worst first: off track before at risk, then
    /// by how many points of progress they are short of the expected pace,
    /// then by how many of their key results need attention.
    pub(in crate::render) fn ranked_running(&self) -> Vec<Ranked<'_>> {
        let mut ranked: Vec<Ranked<'_>> = self
            .site
            .objectives
            .iter()
            .filter(|o| o.phase == Phase::Running)
            .map(|o| Ranked {
                objective: o,
                reasons: self.reasons(o),
            })
            .collect();
        let severity = |s: Status| match s {
            Status::OffTrack => 2,
            Status::AtRisk => 1,
            _ => 0,
        };
        let behind = |o: &Objective| {
            o.score
                .filter(|_| o.paced)
                .map_or(0, |s| ((o.expected - s) * 100.0).round() as i64)
        };
        ranked.sort_by(|a, b| {
            let (x, y) = (a.objective, b.objective);
            severity(y.status)
                .cmp(&severity(x.status))
                .then(behind(y).cmp(&behind(x)))
                .then(b.reasons.len().cmp(&a.reasons.len()))
                .then(x.title.cmp(&y.title))
                .then(x.id.cmp(&y.id))
        });
        ranked
    }

    /// The running objectives that need attention, worst first.
    pub(in crate::render) fn needs_attention(&self) -> Vec<Ranked<'_>> {
        self.ranked_running()
            .into_iter()
            .filter(|r| !r.reasons.is_empty())
            .collect()
    }

    /// The key results of a running objective that need attention and why:
    /// overdue milestones, guardrails out of their band and values not
    /// updated within `[lint] checkin_cadence` (a month unless set) in any
    /// objective, and key results behind pace in an objective at risk or
    /// off track. An objective behind with none of these is behind as a
    /// whole.
    fn reasons<'a>(&self, o: &'a Objective) -> Vec<(Option<&'a KeyResult>, &'static str)> {
        let site = self.site;
        let mut reasons = Vec::new();
        for kr in o.key_results.iter().filter(|k| k.dropped.is_none()) {
            let overdue = kr.is_overdue(site.as_of);
            // Values reported by check-in (or edited in place, with git's
            // dates) go stale; KPIs have cadences of their own.
            let stale = matches!(
                kr.current_source,
                ValueSource::Checkin | ValueSource::Current
            ) && self
                .updated(kr)
                .is_some_and(|d| site.as_of.days_since(d) > site.checkin_cadence.days());
            // A learning key result does not count, so is never why an
            // objective is behind.
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
            reasons.push((Some(kr), reason));
        }
        if reasons.is_empty() && o.status.is_behind() {
            reasons.push((None, "objective"));
        }
        reasons
    }

    /// A ranked objective as a list shows it, with at most `limit` reasons.
    pub(in crate::render) fn attention_row(
        &self,
        ranked: &Ranked<'_>,
        root: &str,
        limit: usize,
    ) -> AttentionRow {
        let o = ranked.objective;
        let card = self.objective_card(o, root);
        let reasons = ranked
            .reasons
            .iter()
            .take(limit)
            .map(|&(kr, reason)| Reason {
                key_result: kr.map(|k| Link {
                    href: format!("{}#kr-{}", card.href, k.id),
                    text: k.title.clone(),
                }),
                status: self.status_view(kr.map_or(o.status, |k| k.status)),
                reason,
                score: kr.map_or(o.score, |k| k.score).map(percent),
                expected: percent(o.expected),
                points: kr
                    .map_or(o.score, |k| k.score)
                    .map(|s| ((o.expected - s) * 100.0).round() as i64),
                due: kr.and_then(|k| k.due).map(|d| d.to_string()),
                reported: kr.is_some_and(|k| k.reported),
                value: kr.and_then(|k| k.current.map(|v| with_unit(v, k.unit.as_deref()))),
                band: kr.and_then(|k| band_view(k.min, k.max, k.unit.as_deref())),
                updated: kr.and_then(|k| self.updated(k)).map(|d| d.to_string()),
            })
            .collect();
        AttentionRow {
            objective: card,
            reasons,
            more: ranked.reasons.len().saturating_sub(limit),
        }
    }

    /// The objectives of one list, worst first.
    pub(in crate::render) fn running_list(&self, list: RunningList) -> Vec<Ranked<'_>> {
        match list {
            RunningList::Attention => self.needs_attention(),
            RunningList::Status(status) => self
                .ranked_running()
                .into_iter()
                .filter(|r| r.objective.status == status)
                .collect(),
        }
    }

    /// The lists that have objectives, each with its number of pages.
    pub(in crate::render) fn running_lists(&self) -> Vec<(RunningList, usize)> {
        let ranked = self.ranked_running();
        let mut by_status: std::collections::BTreeMap<&'static str, (Status, usize)> =
            Default::default();
        for r in &ranked {
            let status = r.objective.status;
            by_status.entry(status.as_str()).or_insert((status, 0)).1 += 1;
        }
        let pages = |n: usize| n.div_ceil(RUNNING_PER_PAGE);
        let attention = ranked.iter().filter(|r| !r.reasons.is_empty()).count();
        std::iter::once((RunningList::Attention, pages(attention)))
            .chain(
                by_status
                    .into_values()
                    .map(|(s, n)| (RunningList::Status(s), pages(n))),
            )
            .filter(|&(_, pages)| pages > 0)
            .collect()
    }

    fn running_page(&self, list: RunningList, page: usize) -> anyhow::Result<Context> {
        let root = "../";
        let all = self.running_list(list);
        let (first, shown, links) = one_page(&all, page, RUNNING_PER_PAGE, |p| {
            format!("{root}{}", urls::running(list.slug(), p))
        });
        let rows: Vec<AttentionRow> = shown
            .iter()
            .map(|r| self.attention_row(r, root, usize::MAX))
            .collect();
        let mut context = Context::new();
        context.insert("page", &self.page_info(root, None, "home"));
        context.insert("list", list.slug());
        context.insert(
            "status",
            &match list {
                RunningList::Status(s) => Some(self.status_view(s)),
                RunningList::Attention => None,
            },
        );
        context.insert("rows", &rows);
        context.insert("pages", &links);
        context.insert("first", &(first + 1));
        context.insert("last", &(first + shown.len()));
        context.insert("total", &all.len());
        context.insert(
            "period",
            &self.current_period.map(|p| self.period_link(p, root)),
        );
        Ok(context)
    }
}

/// One page of a list of running objectives, from 0.
pub(in crate::render) struct RunningPage(
    pub(in crate::render) RunningList,
    pub(in crate::render) usize,
);

impl PageSpec for RunningPage {
    fn template(&self) -> &'static str {
        "running.html"
    }
    fn path(&self, _: &Renderer<'_>) -> String {
        urls::running(self.0.slug(), self.1)
    }
    /// The running objectives, which it ranks, and every team, whose
    /// names it shows.
    fn inputs(&self, r: &Renderer<'_>, inputs: &mut Inputs<'_>) {
        let running = r.site.objectives.iter().enumerate();
        inputs.all_teams().objectives(
            running
                .filter(|(_, o)| o.phase == Phase::Running)
                .map(|(i, _)| crate::model::ObjectiveIx(i)),
        );
        if let Some(p) = r.current_period {
            inputs.period(p);
        }
    }
    fn context(&self, r: &Renderer<'_>) -> anyhow::Result<Context> {
        r.running_page(self.0, self.1)
    }
}
