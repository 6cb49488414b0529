//! The lints' findings, attached to the documents they are about, so that
//! pages can show them as review notes.

use std::collections::HashMap;

use super::{CoachingNote, Site};
use crate::diagnostic::Diagnostic;
use crate::source::FileId;

/// Where a file's document is in the site.
enum Place {
    Team(usize),
    Objective(usize),
    Kpi(usize),
}

impl Site {
    /// Replaces every document's review notes with the lints among
    /// `diagnostics` that point into its file.
    pub fn note_lints(&mut self, diagnostics: &[Diagnostic]) {
        let mut places: HashMap<FileId, Place> = HashMap::new();
        for (i, team) in self.teams.iter_mut().enumerate() {
            team.coaching.clear();
            places.insert(team.doc.head.file, Place::Team(i));
        }
        for (i, objective) in self.objectives.iter_mut().enumerate() {
            objective.coaching.clear();
            places.insert(objective.doc.head.file, Place::Objective(i));
        }
        for (i, kpi) in self.kpis.iter_mut().enumerate() {
            kpi.coaching.clear();
            places.insert(kpi.doc.head.file, Place::Kpi(i));
        }
        for d in diagnostics.iter().filter(|d| d.code.is_lint()) {
            let Some(place) = d.file.and_then(|f| places.get(&f)) else {
                continue;
            };
            let note = CoachingNote {
                code: d.code.as_str(),
                message: d.message.clone(),
                hint: d.hint.clone(),
            };
            match *place {
                Place::Team(i) => self.teams[i].coaching.push(note),
                Place::Objective(i) => self.objectives[i].coaching.push(note),
                Place::Kpi(i) => self.kpis[i].coaching.push(note),
            }
        }
    }
}
