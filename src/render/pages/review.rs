//! A period's review, for the quarterly (or yearly) review meeting: how the
//! grades fell, each team across the recent periods of the same length,
//! the teams without OKRs, and how commitment met the grade.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Context;

use crate::format::percent;
use crate::model::{Objective, PeriodIx, Status, TeamIx};
use crate::render::Renderer;
use crate::render::pages::PageSpec;
use crate::render::plan::Inputs;
use crate::render::urls;
use crate::render::views::*;

/// Earlier periods of the same length shown beside the reviewed one.
const HEATMAP_PERIODS: usize = 6;

/// A bucket of scores, `0–10 %` to `90–100 %` and `100 %`.
#[derive(Serialize)]
struct Bucket {
    /// The lower bound, as a whole percentage.
    from: u32,
    count: usize,
    /// The bar's width: the count against the fullest bucket.
    width: u32,
}

#[derive(Serialize)]
struct Cell {
    score: Option<String>,
    /// The worst status among the team's objectives of the period, which
    /// colours the cell: a team with one objective at risk is not green.
    status: Option<StatusView>,
    objectives: usize,
}

/// An objective of the reviewed period as the review reads it: its grade
/// (or progress), commitment and retrospective.
#[derive(Serialize)]
struct GradeRow {
    objective: ObjectiveCard,
    retrospective: Option<String>,
}

#[derive(Serialize)]
struct HeatRow {
    team: Link,
    depth: usize,
    cells: Vec<Cell>,
}

#[derive(Serialize)]
struct CommitmentRow {
    commitment: &'static str,
    counts: Vec<StatusCount>,
    average: Option<String>,
}

impl Renderer<'_> {
    pub(in crate::render) fn review(&self, index: PeriodIx) -> anyhow::Result<Context> {
        let site = self.site;
        let period = &site.periods[index];
        let root = "../";
        let objectives: Vec<&Objective> = self.by_period[index.0]
            .iter()
            .map(|&o| &site.objectives[o])
            .collect();
        let mut context = Context::new();
        context.insert("page", &self.page_info(root, None, "periods"));
        context.insert("period", &self.period_link(index, root));
        context.insert("start", &period.start.to_string());
        context.insert("end", &period.end_text());
        context.insert("count", &objectives.len());
        context.insert(
            "average",
            &crate::score::average_grade(objectives.iter().copied()).map(percent),
        );
        context.insert("statuses", &self.status_counts(objectives.iter().copied()));
        context.insert("buckets", &buckets(&objectives));
        let (columns, rows) = self.heatmap(index, root);
        context.insert("columns", &columns);
        context.insert("rows", &rows);
        context.insert("without", &self.teams_without_objectives(&objectives, root));
        context.insert("commitments", &self.commitment_rows(&objectives));
        let grades: Vec<GradeRow> = objectives
            .iter()
            .map(|o| GradeRow {
                objective: self.objective_card(o, root),
                retrospective: o.retrospective.as_deref().map(|text| {
                    crate::markdown::html(text, &o.path, 3).finish(&o.path, root, &self.pages)
                }),
            })
            .collect();
        context.insert("grades", &grades);
        Ok(context)
    }

    /// The periods of the heatmap: the reviewed one and the earlier ones of
    /// the same length that have objectives, oldest first.
    pub(in crate::render) fn heatmap_periods(&self, index: PeriodIx) -> Vec<PeriodIx> {
        let site = self.site;
        let days = site.periods[index].days();
        let mut periods: Vec<PeriodIx> = PeriodIx::all(site.periods.len())
            .filter(|&p| !self.by_period[p.0].is_empty())
            .filter(|&p| site.periods[p].days().abs_diff(days) * 10 <= days.unsigned_abs())
            .filter(|&p| site.periods[p].start <= site.periods[index].start)
            .collect();
        periods.sort_by_key(|&p| site.periods[p].start);
        let skip = periods.len().saturating_sub(HEATMAP_PERIODS);
        periods.split_off(skip)
    }

    /// Each team's average progress (or grade) in each heatmap period.
    fn heatmap(&self, index: PeriodIx, root: &str) -> (Vec<Link>, Vec<HeatRow>) {
        let site = self.site;
        let periods = self.heatmap_periods(index);
        let mut scores: BTreeMap<(TeamIx, PeriodIx), Vec<&Objective>> = BTreeMap::new();
        for &p in &periods {
            for &o in &self.by_period[p.0] {
                let o = &site.objectives[o];
                if let Some(team) = o.owner {
                    scores.entry((team, p)).or_default().push(o);
                }
            }
        }
        // Every team, those without objectives too, so that each sits
        // under its own parent.
        let rows = self
            .team_order
            .iter()
            .filter(|&&(team, _)| {
                site.teams[team].kind != crate::model::TeamKind::Person
                    || periods.iter().any(|&p| scores.contains_key(&(team, p)))
            })
            .map(|&(team, depth)| HeatRow {
                team: self.team_link(team, root),
                depth,
                cells: periods
                    .iter()
                    .map(|&p| {
                        let listed = scores.get(&(team, p)).map_or(&[][..], Vec::as_slice);
                        let average = crate::score::average_grade(listed.iter().copied());
                        Cell {
                            score: average.map(percent),
                            status: worst(listed).map(|s| self.status_view(s)),
                            objectives: listed.len(),
                        }
                    })
                    .collect(),
            })
            .collect();
        let columns = periods.iter().map(|&p| self.period_link(p, root)).collect();
        (columns, rows)
    }

    /// Teams (not people) with no objective of their own in the period.
    fn teams_without_objectives(&self, objectives: &[&Objective], root: &str) -> Vec<Link> {
        let site = self.site;
        let owners: std::collections::HashSet<TeamIx> =
            objectives.iter().filter_map(|o| o.owner).collect();
        self.team_order
            .iter()
            .map(|&(t, _)| t)
            .filter(|&t| site.teams[t].kind != crate::model::TeamKind::Person)
            .filter(|t| !owners.contains(t))
            .map(|t| self.team_link(t, root))
            .collect()
    }
}

/// The worst status among `objectives`, `None` for none.
fn worst(objectives: &[&Objective]) -> Option<Status> {
    let rank = |s: Status| match s {
        Status::OffTrack | Status::Missed => 4,
        Status::AtRisk | Status::Partial => 3,
        Status::NoData | Status::NotStarted => 2,
        Status::OnTrack | Status::Achieved => 1,
        Status::Dropped => 0,
    };
    objectives.iter().map(|o| o.status).max_by_key(|&s| rank(s))
}

/// The distribution of grades (or scores while the period runs) in steps
/// of ten points.
fn buckets(objectives: &[&Objective]) -> Vec<Bucket> {
    let mut counts = [0usize; 11];
    for o in objectives {
        if let Some(score) = o.grade.or(o.score) {
            counts[((score.clamp(0.0, 1.0) * 10.0).floor() as usize).min(10)] += 1;
        }
    }
    let most = counts.iter().copied().max().unwrap_or(0).max(1);
    counts
        .iter()
        .enumerate()
        .map(|(i, &count)| Bucket {
            from: i as u32 * 10,
            count,
            width: (count * 100 / most) as u32,
        })
        .collect()
}

impl Renderer<'_> {
    /// Committed and aspirational objectives by status, with their average.
    fn commitment_rows(&self, objectives: &[&Objective]) -> Vec<CommitmentRow> {
        [
            crate::model::Commitment::Committed,
            crate::model::Commitment::Aspirational,
        ]
        .into_iter()
        .filter_map(|c| {
            let these: Vec<&Objective> = objectives
                .iter()
                .copied()
                .filter(|o| o.commitment == c)
                .collect();
            (!these.is_empty()).then(|| CommitmentRow {
                commitment: c.as_str(),
                counts: self
                    .status_counts(these.iter().copied())
                    .into_iter()
                    .filter(|c| c.status.class != Status::Dropped.as_str())
                    .collect(),
                average: crate::score::average_grade(these.iter().copied()).map(percent),
            })
        })
        .collect()
    }
}

/// A period's review: grades, the heatmap and what is left to grade.
pub(in crate::render) struct ReviewPage(pub(in crate::render) PeriodIx);

impl PageSpec for ReviewPage {
    fn template(&self) -> &'static str {
        "review.html"
    }
    fn path(&self, r: &Renderer<'_>) -> String {
        urls::review(&r.site.periods[self.0].id)
    }
    /// Its period and the earlier ones of its length in the heatmap, and
    /// every team (those without objectives too).
    fn inputs(&self, r: &Renderer<'_>, inputs: &mut Inputs<'_>) {
        inputs.all_teams();
        for p in r.heatmap_periods(self.0) {
            inputs
                .period(p)
                .objectives(r.by_period[p.0].iter().copied());
        }
    }
    fn context(&self, r: &Renderer<'_>) -> anyhow::Result<Context> {
        r.review(self.0)
    }
}
