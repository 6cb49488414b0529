//! The view of a key result on its objective's page: its values, its
//! check-ins and its goalposts as they moved.

use serde::Serialize;

use super::{BandView, Link, MilestoneView, StatusView, band_view, bar_width};
use crate::format::{format_number, percent, with_unit};
use crate::model::{KeyResult, ValueSource};
use crate::render::Renderer;
use crate::render::urls;

/// A goalpost a commit moved.
#[derive(Serialize)]
pub(in crate::render) struct GoalpostView {
    pub(in crate::render) date: String,
    pub(in crate::render) commit: String,
    pub(in crate::render) author: String,
    pub(in crate::render) field: &'static str,
    pub(in crate::render) old: String,
    pub(in crate::render) new: String,
}

/// Work planned under a key result.
#[derive(Serialize)]
pub(in crate::render) struct InitiativeView {
    pub(in crate::render) title: String,
    pub(in crate::render) owner: Option<Link>,
    pub(in crate::render) link: Option<String>,
    pub(in crate::render) status: Option<&'static str>,
}

#[derive(Serialize)]
pub(in crate::render) struct CheckinView {
    pub(in crate::render) date: String,
    pub(in crate::render) value: String,
    /// A milestone's check-in: done or not.
    pub(in crate::render) done: Option<bool>,
    /// A hand-scored key result's score at this check-in.
    pub(in crate::render) score: Option<String>,
    pub(in crate::render) forecast: Option<String>,
    pub(in crate::render) confidence: String,
    /// The owner's judgement at this check-in.
    pub(in crate::render) status: Option<&'static str>,
    pub(in crate::render) note: String,
    /// "Li Wei on 2026-08-10", from git history.
    pub(in crate::render) reported: Option<String>,
}

#[derive(Serialize)]
pub(in crate::render) struct KeyResultView {
    pub(in crate::render) id: String,
    pub(in crate::render) title: String,
    pub(in crate::render) kind: &'static str,
    /// `committed`, `aspirational` or `learning`: its own or its objective's.
    pub(in crate::render) commitment: &'static str,
    /// `None` for no data and for health key results.
    pub(in crate::render) score: Option<String>,
    /// A metric's achievement when past its target ("144 %").
    pub(in crate::render) beyond: Option<String>,
    pub(in crate::render) width: u32,
    pub(in crate::render) status: StatusView,
    pub(in crate::render) start: String,
    pub(in crate::render) current: String,
    pub(in crate::render) target: String,
    pub(in crate::render) band: Option<BandView>,
    /// A guardrail: shown in or out of its band rather than with a score.
    pub(in crate::render) guardrail: bool,
    /// Whether it has a score: a key result followed by its status has
    /// none, and shows its owner's judgement instead.
    pub(in crate::render) scored: bool,
    /// Where it stands in its owner's judgement (`needs attention`).
    pub(in crate::render) reported_status: Option<&'static str>,
    pub(in crate::render) milestone: Option<MilestoneView>,
    pub(in crate::render) due: String,
    pub(in crate::render) confidence: String,
    pub(in crate::render) weight: String,
    /// Who drives it: a link to the team's or person's page when the
    /// owner is written as one's id or name.
    pub(in crate::render) owners: Vec<Link>,
    pub(in crate::render) kpi: Option<Link>,
    /// Why it was dropped; a dropped key result is shown struck through.
    pub(in crate::render) dropped: Option<String>,
    pub(in crate::render) links: Vec<String>,
    pub(in crate::render) priority: Option<String>,
    pub(in crate::render) checkins: Vec<CheckinView>,
    /// The work planned under it, never counted in its progress.
    pub(in crate::render) initiatives: Vec<InitiativeView>,
    /// Its progress over the period, on its objective's page.
    pub(in crate::render) chart: Option<crate::render::chart::Progress>,
    /// Where its value comes from: `checkin`, `kpi`, `file`, `git` (a
    /// value written in place, dated by the commit that wrote it) or
    /// `none`.
    pub(in crate::render) source: &'static str,
    /// Its targets, starts and bounds as they moved in git.
    /// Who reported the value shown: "Li Wei on 2026-08-10".
    pub(in crate::render) reported: Option<String>,
    /// Whether git history told who reported any of its check-ins.
    pub(in crate::render) reporters: bool,
    pub(in crate::render) goalposts: Vec<GoalpostView>,
    /// The objectives that serve it, on its objective's page.
    pub(in crate::render) served_by: Vec<Link>,
    /// The day of that check-in or measurement.
    pub(in crate::render) updated: Option<String>,
}

impl Renderer<'_> {
    pub(in crate::render) fn key_result_view(&self, kr: &KeyResult, root: &str) -> KeyResultView {
        let unit = kr.unit.as_deref();
        let opt = |v: Option<f64>| v.map_or_else(String::new, |v| with_unit(v, unit));
        KeyResultView {
            id: kr.id.clone(),
            title: kr.title.clone(),
            kind: kr.kind.as_str(),
            commitment: kr.commitment.as_str(),
            score: kr.score.map(percent),
            beyond: kr.achievement.filter(|&a| a > 1.0).map(percent),
            width: bar_width(kr.score),
            status: self.status_view(kr.status),
            start: opt(kr.start),
            current: if kr.kind.traits().task {
                String::new()
            } else {
                opt(kr.current)
            },
            target: opt(kr.target),
            band: band_view(kr.min, kr.max, unit),
            guardrail: kr.kind.traits().guardrail,
            scored: kr.kind.traits().scored,
            reported_status: kr.reported_status.map(|j| j.label()),
            milestone: kr.kind.traits().task.then(|| MilestoneView {
                done: kr.done,
                reported: kr.reported,
                progress: kr.progress.filter(|_| !kr.done).map(percent),
            }),
            due: kr.due.map(|d| d.to_string()).unwrap_or_default(),
            confidence: kr.confidence.map(percent).unwrap_or_default(),
            weight: if kr.weight == 1.0 {
                String::new()
            } else {
                format_number(kr.weight)
            },
            owners: kr
                .owners
                .iter()
                .map(|owner| self.driver_link(owner, root))
                .collect(),
            kpi: kr.kpi.map(|k| Link {
                href: format!("{root}{}", urls::kpi(&self.site.kpis[k].id)),
                text: self.site.kpis[k].name.clone(),
            }),
            // Its sentence ends on the page, after the reason's own words.
            dropped: kr
                .dropped
                .as_deref()
                .map(|d| d.trim_end().trim_end_matches('.').to_string()),
            links: kr.links.clone(),
            priority: kr.priority.clone(),
            checkins: kr
                .checkins
                .iter()
                .filter(|c| c.date <= self.site.as_of)
                .map(|c| CheckinView {
                    date: c.date.to_string(),
                    value: match c.value {
                        Some(v) if kr.kind.traits().task => percent(v),
                        Some(v) => with_unit(v, unit),
                        None => String::new(),
                    },
                    done: c.done,
                    score: c.score.map(percent),
                    forecast: c.forecast.map(|f| with_unit(f, unit)),
                    confidence: c.confidence.map(percent).unwrap_or_default(),
                    status: c.status.map(|j| j.label()),
                    note: c.note.clone().unwrap_or_default(),
                    reported: c.reported.as_ref().map(reported_text),
                })
                .collect(),
            initiatives: kr
                .initiatives
                .iter()
                .map(|i| InitiativeView {
                    title: i.title.clone(),
                    owner: i.owner.as_deref().map(|o| self.driver_link(o, root)),
                    link: i.link.clone(),
                    status: i.status.map(|j| j.label()),
                })
                .collect(),
            chart: None,
            source: match kr.current_source {
                ValueSource::Checkin => "checkin",
                ValueSource::Kpi => "kpi",
                ValueSource::Current if !kr.past.is_empty() => "git",
                ValueSource::Current => "file",
                ValueSource::None => "none",
            },
            updated: self.updated(kr).map(|d| d.to_string()),
            reported: self.reported(kr).map(reported_text),
            reporters: kr.checkins.iter().any(|c| c.reported.is_some()),
            goalposts: goalpost_views(kr),
            served_by: Vec::new(),
        }
    }

    /// Who reported the check-in or measurement a key result's value
    /// comes from, when git history tells.
    fn reported<'k>(&'k self, kr: &'k KeyResult) -> Option<&'k crate::model::Reported> {
        let as_of = kr.measured_at;
        match kr.current_source {
            ValueSource::Kpi => kr
                .kpi
                .and_then(|k| self.site.kpis[k].value_at(as_of))
                .and_then(|m| m.reported.as_ref()),
            ValueSource::Checkin => kr
                .checkins
                .iter()
                .rev()
                .find(|c| {
                    c.date <= as_of && (c.value.is_some() || c.done.is_some() || c.score.is_some())
                })
                .and_then(|c| c.reported.as_ref()),
            _ => None,
        }
    }

    /// The day a key result's value was last reported: its latest check-in
    /// or its KPI's latest measurement by the day it is measured at (the
    /// end of a closed period), the one its value comes from.
    pub(in crate::render) fn updated(&self, kr: &KeyResult) -> Option<crate::Date> {
        let as_of = kr.measured_at;
        match kr.current_source {
            ValueSource::Kpi => kr
                .kpi
                .and_then(|k| self.site.kpis[k].value_at(as_of))
                .map(|m| m.date),
            ValueSource::Current => kr.past.last().map(|p| p.date),
            _ => kr
                .checkins
                .iter()
                .rev()
                .find(|c| c.date <= as_of)
                .map(|c| c.date),
        }
    }
}

/// "Li Wei on 2026-08-10": who reported something, and when.
pub(in crate::render) fn reported_text(r: &crate::model::Reported) -> String {
    format!("{} on {}", r.author, r.date)
}

/// A key result's goalposts as they moved in git.
fn goalpost_views(kr: &KeyResult) -> Vec<GoalpostView> {
    let unit = kr.unit.as_deref();
    kr.goalposts
        .iter()
        .map(|g| GoalpostView {
            date: g.date.to_string(),
            commit: g.commit.clone(),
            author: g.author.clone(),
            field: g.field,
            old: g.old_text(unit),
            new: g.new_text(unit),
        })
        .collect()
}
