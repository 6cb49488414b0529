//! Roll-ups: how a set of objectives stands, as one bar of statuses and an
//! average, for the home page, a department's teams and the list of teams.

use serde::Serialize;

use crate::format::percent;
use crate::model::{Objective, Status, TeamIx};
use crate::period::Phase;
use crate::render::Renderer;

use super::{StatusView, bar_width};

/// Statuses from best to worst, the order a status bar shows them in.
const MIX_ORDER: [Status; 9] = [
    Status::Achieved,
    Status::OnTrack,
    Status::Partial,
    Status::AtRisk,
    Status::Missed,
    Status::OffTrack,
    Status::NotStarted,
    Status::NoData,
    Status::Dropped,
];

/// One status's share of a status bar.
#[derive(Serialize)]
pub(in crate::render) struct MixPart {
    pub(in crate::render) status: StatusView,
    pub(in crate::render) count: usize,
    /// Where its segment starts and how wide it is, in percent of the bar.
    pub(in crate::render) x: String,
    pub(in crate::render) width: String,
    /// The list of the objectives with this status, where there is one.
    pub(in crate::render) href: Option<String>,
}

/// How a set of objectives stands: how many, their average progress
/// against the time elapsed, and their statuses.
#[derive(Serialize)]
pub(in crate::render) struct Rollup {
    pub(in crate::render) objectives: usize,
    pub(in crate::render) score: Option<String>,
    pub(in crate::render) width: u32,
    /// The expected progress, for the bar's mark; `None` when not paced.
    pub(in crate::render) expected: Option<String>,
    pub(in crate::render) expected_width: i64,
    pub(in crate::render) mix: Vec<MixPart>,
    /// How many are at risk or off track.
    pub(in crate::render) behind: usize,
}

impl Renderer<'_> {
    /// The status bar of `objectives`, best first; `href` gives each
    /// status's list, when it has one.
    pub(in crate::render) fn mix<'o>(
        &self,
        objectives: impl Iterator<Item = &'o Objective>,
        href: impl Fn(Status) -> Option<String>,
    ) -> Vec<MixPart> {
        let mut counts = [0usize; MIX_ORDER.len()];
        for o in objectives {
            if let Some(i) = MIX_ORDER.iter().position(|&s| s == o.status) {
                counts[i] += 1;
            }
        }
        let total: usize = counts.iter().sum();
        let mut before = 0;
        MIX_ORDER
            .iter()
            .zip(counts)
            .filter(|(_, count)| *count > 0)
            .map(|(&status, count)| {
                let share = |n: usize| format!("{:.2}", n as f64 * 100.0 / total as f64);
                let part = MixPart {
                    status: self.status_view(status),
                    count,
                    x: share(before),
                    width: share(count),
                    href: href(status),
                };
                before += count;
                part
            })
            .collect()
    }

    /// How the running objectives of `team` and every team under it stand.
    pub(in crate::render) fn team_rollup(&self, team: TeamIx) -> Rollup {
        let site = self.site;
        let running: Vec<&Objective> = self
            .subtree(team)
            .into_iter()
            .flat_map(|t| &self.by_owner[t.0])
            .map(|&o| &site.objectives[o])
            .filter(|o| o.phase == Phase::Running && !o.draft)
            .collect();
        self.rollup(&running, |_| None)
    }

    /// How `objectives` stand together.
    pub(in crate::render) fn rollup(
        &self,
        objectives: &[&Objective],
        href: impl Fn(Status) -> Option<String>,
    ) -> Rollup {
        let score = crate::score::average_progress(objectives.iter().copied());
        let expected = crate::score::average_expected(objectives.iter().copied());
        Rollup {
            objectives: objectives.len(),
            score: score.map(percent),
            width: bar_width(score),
            expected: expected.map(percent),
            expected_width: expected.map_or(-1, |e| i64::from(bar_width(Some(e)))),
            mix: self.mix(objectives.iter().copied(), href),
            behind: objectives.iter().filter(|o| o.status.is_behind()).count(),
        }
    }

    /// `team` and every team under it, in tree order.
    pub(in crate::render) fn subtree(&self, team: TeamIx) -> Vec<TeamIx> {
        let Some(at) = self.team_order.iter().position(|&(t, _)| t == team) else {
            return vec![team];
        };
        let depth = self.team_order[at].1;
        std::iter::once(team)
            .chain(
                self.team_order[at + 1..]
                    .iter()
                    .take_while(|&&(_, d)| d > depth)
                    .map(|&(t, _)| t),
            )
            .collect()
    }
}
