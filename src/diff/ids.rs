//! The `key-result-ids` lint: key results without ids are named by their
//! place, so inserting, removing or reordering them gives their ids
//! (`kr2`), and the links and history that use them, to other key results.

use super::matching::pair;
use crate::Checked;
use crate::diagnostic::{Code, Diagnostic};

/// One warning for each objective of `head` whose key results without ids
/// changed place since `base`, with `[lint]` of the head applied.
pub(super) fn shifted(base: &Checked, head: &Checked) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for new in &head.site.objectives {
        let Some(&old) = base.site.index.objectives.get(&new.id) else {
            continue;
        };
        let old = &base.site.objectives[old];
        let moved = pair(&old.key_results, &new.key_results)
            .into_iter()
            .filter_map(|p| p.old.zip(p.new))
            .find(|(before, after)| !after.has_explicit_id() && before.id != after.id);
        let Some((before, after)) = moved else {
            continue;
        };
        found.push(
            Diagnostic::new(
                Code::KeyResultIds,
                format!(
                    "key results of `{}` without ids changed place: `{}` now names “{}”, which was `{}`",
                    new.id, after.id, after.title, before.id
                ),
            )
            .at(after.doc().span)
            .label("named by its place")
            .hint("give each key result an `id = \"…\"` so that links to it and its history follow it"),
        );
    }
    head.levels.apply(found, &head.sources)
}
