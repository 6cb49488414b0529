//! The cascade: a child objective's period lies within its parent's. (That
//! it aligns within its team's chain is a lint.)

use std::collections::HashSet;

use super::Checker;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::ObjectiveIx;

impl Checker<'_> {
    /// Period containment.
    pub(super) fn cascade(&mut self, objective_cycles: &HashSet<ObjectiveIx>) {
        let site = self.site;
        for (i, objective) in site.objectives.iter().enumerate() {
            let i = ObjectiveIx(i);
            let (Some(p), Some(parent_span)) = (objective.parent, objective.doc.parent.as_ref())
            else {
                continue;
            };
            if objective_cycles.contains(&i) {
                continue;
            }
            let parent = &site.objectives[p];
            if let (Some(own), Some(theirs)) = (objective.period, parent.period) {
                let (own, theirs) = (&site.periods[own], &site.periods[theirs]);
                if !theirs.contains(own) {
                    let mut diagnostic = Diagnostic::new(
                        Code::PeriodNotWithinParent,
                        format!(
                            "objective `{}` ({}) aligns to `{}` ({}), but {} is not within {}",
                            objective.id, own.id, parent.id, theirs.id, own.id, theirs.id
                        ),
                    )
                    .at(objective
                        .doc
                        .period
                        .as_ref()
                        .map_or(parent_span.span, |s| s.span))
                    .note(format!(
                        "{} runs {} to {}; {} runs {} to {}",
                        own.id, own.start, own.end, theirs.id, theirs.start, theirs.end
                    ));
                    if let Some(their_span) = parent.doc.period.as_ref() {
                        diagnostic = diagnostic.related(their_span.span, "parent's period");
                    }
                    self.diagnostics.push(
                        diagnostic.hint("align to an objective of the same or an enclosing period"),
                    );
                }
            }
        }
    }
}
