//! The cascade: a child objective's period lies within its parent's. (That
//! it aligns within its team's chain is a lint.)

use std::collections::HashSet;

use super::Checker;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Objective, ObjectiveIx};
use crate::source::Span;

impl Checker<'_> {
    /// Period containment, for every parent an objective names.
    pub(super) fn cascade(&mut self, objective_cycles: &HashSet<ObjectiveIx>) {
        let site = self.site;
        for (i, objective) in site.objectives.iter().enumerate() {
            if objective_cycles.contains(&ObjectiveIx(i)) {
                continue;
            }
            let doc = &objective.doc;
            for written in &doc.parents {
                if let Some(&p) = site.index.objectives.get(&written.value) {
                    self.period_within(objective, &site.objectives[p], written.span);
                }
            }
        }
    }

    fn period_within(&mut self, objective: &Objective, parent: &Objective, parent_span: Span) {
        let site = self.site;
        let (Some(own), Some(theirs)) = (objective.period, parent.period) else {
            return;
        };
        let (own, theirs) = (&site.periods[own], &site.periods[theirs]);
        if theirs.contains(own) {
            return;
        }
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
            .map_or(parent_span, |s| s.span))
        .note(format!(
            "{} runs {} to {}; {} runs {} to {}",
            own.id,
            own.start,
            own.end_text(),
            theirs.id,
            theirs.start,
            theirs.end_text()
        ));
        if let Some(their_span) = parent.doc.period.as_ref() {
            diagnostic = diagnostic.related(their_span.span, "parent's period");
        }
        self.diagnostics
            .push(diagnostic.hint("align to an objective of the same or an enclosing period"));
    }
}
