//! `sandbagging`: a team whose aspirational objectives always score full
//! marks, or whose periods always open near certain, sets its sights too
//! low.

use std::collections::BTreeMap;

use super::Context;
use super::coaching::in_words;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Commitment;
use crate::model::Site;
use crate::period::Phase;

/// A team's aspirational objectives scored 100% or more, or its key
/// results opened at 90% confidence or more, two periods in a row or
/// more.
pub(super) fn sandbagging(cx: &Context) -> Vec<Diagnostic> {
    let site = cx.site;
    let mut out = Vec::new();
    for (t, team) in site.teams.iter().enumerate() {
        let t = crate::model::TeamIx(t);
        let at = team
            .doc
            .name
            .as_ref()
            .map_or(team.doc.head.fence, |n| n.span);
        let graded = streak(&full_marks(site, t));
        if graded.len() >= 2 {
            out.push(
                Diagnostic::new(
                    Code::Sandbagging,
                    format!(
                        "team `{}` scored 100% or more on its aspirational objectives in {}",
                        team.id,
                        in_words(&graded)
                    ),
                )
                .at(at)
                .hint("aspirational objectives are set so that about 70% is success: if they are always met, aim higher, or mark them `commitment = \"committed\"`"),
            );
        }
        let sure = streak(&sure_openings(site, t));
        if sure.len() >= 2 {
            out.push(
                Diagnostic::new(
                    Code::Sandbagging,
                    format!(
                        "team `{}` opened {} at 90% confidence or more",
                        team.id,
                        in_words(&sure)
                    ),
                )
                .at(at)
                .hint("a period that opens near certain was planned to be met: stretch the targets until confidence at the start is nearer 50%"),
            );
        }
    }
    out
}

/// The longest run of consecutive `true` periods, by id, ending with the
/// latest such run.
fn streak<'s>(periods: &[(&'s str, bool)]) -> Vec<&'s str> {
    let mut best: Vec<&str> = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    for &(id, hit) in periods {
        if hit {
            run.push(id);
            if run.len() >= best.len() {
                best.clone_from(&run);
            }
        } else {
            run.clear();
        }
    }
    best
}

/// Each ended period in which a team had graded aspirational objectives,
/// oldest first, and whether their average was 100% or more.
fn full_marks(site: &Site, team: crate::model::TeamIx) -> Vec<(&str, bool)> {
    let mut by_period: BTreeMap<usize, Vec<f64>> = BTreeMap::new();
    for o in site.objectives.iter().filter(|o| {
        o.owner == Some(team)
            && o.phase == Phase::Ended
            && !o.draft
            && o.commitment == Commitment::Aspirational
    }) {
        if let (Some(p), Some(grade)) = (o.period, o.grade.or(o.score)) {
            by_period.entry(p.0).or_default().push(grade);
        }
    }
    averages_reach(site, by_period, 1.0)
}

/// Each period of `by_period`, oldest first, and whether the average of
/// its values reaches `threshold`.
fn averages_reach(
    site: &Site,
    by_period: BTreeMap<usize, Vec<f64>>,
    threshold: f64,
) -> Vec<(&str, bool)> {
    by_period
        .into_iter()
        .map(|(p, values)| {
            let average = values.iter().sum::<f64>() / values.len() as f64;
            (site.periods[p].id.as_str(), average >= threshold - 1e-9)
        })
        .collect()
}

/// Each period in which a team's key results reported a confidence,
/// oldest first, and whether the first confidence each reported averaged
/// 90% or more.
fn sure_openings(site: &Site, team: crate::model::TeamIx) -> Vec<(&str, bool)> {
    let mut by_period: BTreeMap<usize, Vec<f64>> = BTreeMap::new();
    for o in site
        .objectives
        .iter()
        .filter(|o| o.owner == Some(team) && !o.draft)
    {
        let Some(p) = o.period else {
            continue;
        };
        for kr in &o.key_results {
            let opening = kr
                .checkins
                .iter()
                .filter(|c| c.date <= site.as_of)
                .find_map(|c| c.confidence);
            if let Some(confidence) = opening {
                by_period.entry(p.0).or_default().push(confidence);
            }
        }
    }
    averages_reach(site, by_period, 0.9)
}
