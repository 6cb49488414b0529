//! Parents must not form cycles, of teams or of objectives.

use std::collections::HashSet;

use super::Checker;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{ObjectiveIx, Site, TeamIx};
use crate::source::Span;

/// One objective of a depth-first walk: it, its parents with where each
/// is written, and the next of them to follow.
type Step = (ObjectiveIx, Vec<(ObjectiveIx, Span)>, usize);

impl Checker<'_> {
    /// Reports team cycles; returns the teams in one.
    pub(super) fn team_cycles(&mut self) -> HashSet<TeamIx> {
        let site = self.site;
        // As written: a team that names itself is a cycle too.
        let parents: Vec<Option<usize>> = site
            .teams
            .iter()
            .map(|t| {
                let parent = t.doc.parent.as_ref()?;
                site.index.teams.get(&parent.value).map(|p| p.0)
            })
            .collect();
        let mut members = HashSet::new();
        for cycle in find_cycles(&parents) {
            let ids: Vec<&str> = cycle.iter().map(|&i| site.teams[i].id.as_str()).collect();
            let spans: Vec<Span> = cycle
                .iter()
                .filter_map(|&i| site.teams[i].doc.parent.as_ref().map(|p| p.span))
                .collect();
            self.diagnostics
                .push(cycle_diagnostic(Code::TeamCycle, "team", &ids, &spans));
            members.extend(cycle.into_iter().map(TeamIx));
        }
        members
    }

    pub(super) fn objective_cycles(&mut self) -> HashSet<ObjectiveIx> {
        let site = self.site;
        let parents: Vec<Option<usize>> = site
            .objectives
            .iter()
            .map(|o| o.parent.map(|p| p.0))
            .collect();
        let mut members = HashSet::new();
        for cycle in find_cycles(&parents) {
            let cycle: Vec<ObjectiveIx> = cycle.into_iter().map(ObjectiveIx).collect();
            let spans: Vec<Span> = cycle
                .iter()
                .filter_map(|&i| site.objectives[i].doc.parent().map(|p| p.span))
                .collect();
            self.objective_cycle(&cycle, &spans);
            members.extend(cycle);
        }
        self.cycles_through_other_parents(&mut members);
        members
    }

    /// Reports objectives whose parents form a cycle, in parent order,
    /// with where each names the next.
    fn objective_cycle(&mut self, cycle: &[ObjectiveIx], spans: &[Span]) {
        let site = self.site;
        let ids: Vec<&str> = cycle
            .iter()
            .map(|&o| site.objectives[o].id.as_str())
            .collect();
        self.diagnostics.push(cycle_diagnostic(
            Code::ObjectiveCycle,
            "objective",
            &ids,
            spans,
        ));
    }

    /// Cycles that go through a parent named after the first
    /// (`parent = ["a", "b"]`), found in one depth-first walk over every
    /// parent edge, so that it stays linear in the site however the parents
    /// are drawn. The objectives of cycles already reported are left out.
    fn cycles_through_other_parents(&mut self, members: &mut HashSet<ObjectiveIx>) {
        const NEW: u8 = 0;
        const ON_PATH: u8 = 1;
        const DONE: u8 = 2;
        let site = self.site;
        if site
            .objectives
            .iter()
            .all(|o| o.doc.also_parents().is_empty())
        {
            return;
        }
        // Every parent an objective names, with where it is written.
        let edges = |o: ObjectiveIx| -> Vec<(ObjectiveIx, Span)> {
            let doc = &site.objectives[o].doc;
            doc.parents
                .iter()
                .filter_map(|p| Some((*site.index.objectives.get(&p.value)?, p.span)))
                .collect()
        };
        let mut state = vec![NEW; site.objectives.len()];
        for &m in members.iter() {
            state[m.0] = DONE;
        }
        for start in ObjectiveIx::all(site.objectives.len()) {
            if state[start.0] != NEW {
                continue;
            }
            state[start.0] = ON_PATH;
            // The path: each objective, its edges, the next to follow, and
            // the span of the edge followed from it.
            let mut path: Vec<Step> = vec![(start, edges(start), 0)];
            while let Some((node, out, next)) = path.last_mut() {
                let Some(&(to, span)) = out.get(*next) else {
                    state[node.0] = DONE;
                    path.pop();
                    continue;
                };
                *next += 1;
                match state[to.0] {
                    NEW => {
                        state[to.0] = ON_PATH;
                        let out = edges(to);
                        path.push((to, out, 0));
                    }
                    ON_PATH => {
                        // A back edge closes a cycle from `to` to here.
                        let from = path.iter().position(|(n, _, _)| *n == to).unwrap_or(0);
                        let cycle: Vec<ObjectiveIx> =
                            path[from..].iter().map(|(n, _, _)| *n).collect();
                        let mut spans: Vec<Span> = path[from..]
                            .iter()
                            .take(cycle.len() - 1)
                            .map(|(_, out, next)| out[*next - 1].1)
                            .collect();
                        spans.push(span);
                        self.objective_cycle(&cycle, &spans);
                        members.extend(cycle);
                    }
                    _ => {}
                }
            }
        }
    }
}

/// The team and every team above it, nearest first.
pub(crate) fn team_chain(site: &Site, team: TeamIx) -> Vec<TeamIx> {
    let mut chain = vec![team];
    let mut current = site.teams[team].parent;
    while let Some(p) = current {
        if chain.contains(&p) {
            break;
        }
        chain.push(p);
        current = site.teams[p].parent;
    }
    chain
}

/// The cycles of a graph where each node has at most one parent, found
/// iteratively (a deep chain cannot overflow the stack). Each cycle is
/// listed once, starting at the node first reached.
pub(super) fn find_cycles(parents: &[Option<usize>]) -> Vec<Vec<usize>> {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; parents.len()];
    let mut cycles = Vec::new();
    for start in 0..parents.len() {
        if state[start] != NEW {
            continue;
        }
        let mut path = Vec::new();
        let mut current = Some(start);
        while let Some(node) = current {
            match state[node] {
                NEW => {
                    state[node] = ON_PATH;
                    path.push(node);
                    current = parents[node];
                }
                ON_PATH => {
                    let from = path.iter().position(|&n| n == node).unwrap_or(0);
                    cycles.push(path[from..].to_vec());
                    break;
                }
                _ => break,
            }
        }
        for node in path {
            state[node] = DONE;
        }
    }
    cycles
}

fn cycle_diagnostic(code: Code, noun: &str, ids: &[&str], spans: &[Span]) -> Diagnostic {
    let mut shown: Vec<&str> = ids.to_vec();
    shown.push(ids[0]);
    let message = if ids.len() == 1 {
        format!("{noun} `{}` is its own parent", ids[0])
    } else {
        format!("{} {noun}s form a parent cycle", ids.len())
    };
    let mut diagnostic = Diagnostic::new(code, message)
        .note(format!("cycle: {}", shown.join(" → ")))
        .hint("a parent must be above its child; remove or change one `parent` to break the cycle");
    if let Some((first, rest)) = spans.split_first() {
        diagnostic = diagnostic.at(*first).label("parent here");
        for span in rest.iter().take(4) {
            diagnostic = diagnostic.related(*span, "then here");
        }
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_in_parent_graphs() {
        // 0 → 1 → 2 → 0, 3 → 0, 4 → 4, 5 alone.
        let parents = [Some(1), Some(2), Some(0), Some(0), Some(4), None];
        assert_eq!(find_cycles(&parents), vec![vec![0, 1, 2], vec![4]]);
        assert!(find_cycles(&[None, Some(0), Some(1)]).is_empty());
    }

    #[test]
    fn a_deep_chain_does_not_overflow() {
        let mut parents: Vec<Option<usize>> = (0..200_000).map(|i| Some(i + 1)).collect();
        parents.push(Some(0));
        assert_eq!(find_cycles(&parents)[0].len(), 200_001);
    }
}
