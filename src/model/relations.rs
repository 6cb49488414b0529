//! What follows from the structure alone: children (of every parent an
//! objective names, the first and the others alike), each
//! objective's cascade and pacing, and which key results use each KPI.

use super::{KeyResultIx, KpiRole, ObjectiveIx, Site, TeamIx};
use crate::period::Phase;

/// Ancestors an objective's cascade names besides the top one.
pub const CASCADE_NEAREST: usize = 10;

pub(super) fn derive(site: &mut Site) {
    set_children(site);
    set_parent_key_results(site);
    set_cascades(site);
    set_pacing(site);
    set_kpi_uses(site);
}

/// Resolves the key result of its parent each objective serves.
fn set_parent_key_results(site: &mut Site) {
    for i in ObjectiveIx::all(site.objectives.len()) {
        let o = &site.objectives[i];
        let (Some(p), Some(key)) = (o.parent, o.doc.parent_key_result.as_ref()) else {
            continue;
        };
        let found = site.objectives[p]
            .key_results
            .iter()
            .position(|kr| kr.id == key.value);
        site.objectives[i].parent_key_result = found;
    }
}

fn set_children(site: &mut Site) {
    for i in TeamIx::all(site.teams.len()) {
        if let Some(p) = site.teams[i].parent {
            site.teams[p].children.push(i);
        }
    }
    for i in ObjectiveIx::all(site.objectives.len()) {
        let o = &site.objectives[i];
        let mut also: Vec<ObjectiveIx> = Vec::new();
        for id in o.doc.also_parents() {
            let Some(&p) = site.index.objectives.get(&id.value) else {
                continue;
            };
            if p != i && Some(p) != o.parent && !also.contains(&p) {
                also.push(p);
            }
        }
        site.objectives[i].also_parents = also;
    }
    for i in ObjectiveIx::all(site.objectives.len()) {
        let o = &site.objectives[i];
        let parents: Vec<ObjectiveIx> = o.parents().filter(|&p| p != i).collect();
        for p in parents {
            site.objectives[p].children.push(i);
        }
    }
}

/// Sets each objective's cascade: its ancestors from the top down, or for
/// a chain longer than [`CASCADE_NEAREST`] + 1, the top one and the nearest
/// ones, counting those left out. Linear in the number of objectives
/// however deep the chains are, and it ends on cycles (reported by
/// validation).
fn set_cascades(site: &mut Site) {
    let parents: Vec<Option<ObjectiveIx>> = site.objectives.iter().map(|o| o.parent).collect();
    let n = parents.len();
    // Depth (ancestors) and top-most ancestor, resolved parents first.
    let mut depth: Vec<Option<usize>> = vec![None; n];
    let mut top: Vec<ObjectiveIx> = ObjectiveIx::all(n).collect();
    let mut on_path = vec![false; n];
    for start in ObjectiveIx::all(n) {
        let mut path = Vec::new();
        let mut current = Some(start);
        while let Some(i) = current {
            if depth[i.0].is_some() || on_path[i.0] {
                break;
            }
            on_path[i.0] = true;
            path.push(i);
            current = parents[i.0];
        }
        for &i in path.iter().rev() {
            on_path[i.0] = false;
            match parents[i.0].filter(|&p| depth[p.0].is_some()) {
                Some(p) => {
                    depth[i.0] = depth[p.0].map(|d| d + 1);
                    top[i.0] = top[p.0];
                }
                None => depth[i.0] = Some(0),
            }
        }
    }
    for i in 0..n {
        let depth = depth[i].unwrap_or(0);
        let mut nearest = Vec::new();
        let mut current = parents[i];
        while let Some(p) = current.filter(|_| nearest.len() < depth.min(CASCADE_NEAREST)) {
            nearest.push(p);
            current = parents[p.0];
        }
        let skipped = depth.saturating_sub(nearest.len() + 1);
        if depth > nearest.len() {
            nearest.push(top[i]);
        }
        nearest.reverse();
        site.objectives[i].cascade = nearest;
        site.objectives[i].cascade_skipped = skipped;
    }
}

/// Each objective's phase and the share of its period elapsed at the as-of
/// date. An objective without a period counts as upcoming.
fn set_pacing(site: &mut Site) {
    let as_of = site.as_of;
    for objective in &mut site.objectives {
        let period = objective.period.map(|i| &site.periods[i]);
        (objective.expected, objective.phase) = period.map_or((0.0, Phase::Upcoming), |p| {
            (p.elapsed(as_of), p.phase(as_of))
        });
        objective.paced = period.is_none_or(|p| p.is_paced());
    }
}

/// Which key results name each KPI, and which of them make it a focus: the
/// metric and milestone key results of published objectives in running
/// periods.
fn set_kpi_uses(site: &mut Site) {
    for (o, objective) in site.objectives.iter().enumerate() {
        let running = objective.phase == Phase::Running && !objective.draft;
        for (k, kr) in objective.key_results.iter().enumerate() {
            let Some(kpi) = kr.kpi else { continue };
            let at = KeyResultIx {
                objective: ObjectiveIx(o),
                key_result: k,
            };
            if running && !kr.kind.traits().guardrail {
                site.kpis[kpi].focus.push(at);
            }
            site.kpis[kpi].key_results.push(at);
        }
    }
    for kpi in &mut site.kpis {
        kpi.role = if kpi.focus.is_empty() {
            KpiRole::HealthMetric
        } else {
            KpiRole::Focus
        };
    }
}
