//! Impact: the parent objectives whose progress or status a change moves.

use super::Impact;
use super::collect::{ancestors, score_moved};
use crate::Checked;
use crate::model::Objective;

/// The ancestors of `o` (an objective of `head`, or of `base` when it was
/// removed) whose progress or status differs between the revisions,
/// nearest first. Nothing is said of objectives that draw on a private
/// KPI unless the report is private: their moves would tell its values.
pub(super) fn of(
    base: &Checked,
    head: &Checked,
    o: &Objective,
    include_private: bool,
) -> Vec<Impact> {
    let in_head = head.site.index.objectives.contains_key(&o.id);
    let from = if in_head { head } else { base };
    let draws_on_private = |checked: &Checked, o: &Objective| {
        o.key_results
            .iter()
            .any(|kr| checked.site.uses_private_kpi(kr))
    };
    if !include_private && draws_on_private(from, o) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for a in ancestors(&from.site, o) {
        let id = &from.site.objectives[a].id;
        let (Some(&old), Some(&new)) = (
            base.site.index.objectives.get(id),
            head.site.index.objectives.get(id),
        ) else {
            continue;
        };
        let (old, new) = (&base.site.objectives[old], &head.site.objectives[new]);
        let hidden =
            !include_private && (draws_on_private(base, old) || draws_on_private(head, new));
        if hidden || !(score_moved(old.score, new.score) || old.status != new.status) {
            continue;
        }
        out.push(Impact {
            id: new.id.clone(),
            title: new.title.clone(),
            old_progress: old.score,
            new_progress: new.score,
            old_status: old.status.label(),
            new_status: new.status.label(),
        });
    }
    out
}
