//! What each key of a document means, in one line: shown beside a key as
//! it is completed and when the cursor rests on it. The full rules are in
//! `docs/format.md`.

use crate::load::DocKind;

/// The meaning of `key` in a document of `kind`, in `table` (empty at the
/// top of the front matter), when okra knows the key there.
pub(super) fn key_doc(kind: DocKind, table: &str, key: &str) -> Option<&'static str> {
    let text = match (kind, table, key) {
        (_, "", "id") => "The document's id, a lower-case slug; the file name when left out.",
        (DocKind::Objective, "", "title") => "What the objective is: the qualitative aim.",
        (DocKind::Objective, "", "owner") => "The team or person who owns the objective (an id).",
        (DocKind::Objective, "", "period") => {
            "The period it is set for: `2026`, `2026-H2`, `2026-Q3`, `2026-07` or a declared period."
        }
        (DocKind::Objective, "", "parent") => {
            "The objective this one aligns to, or a list of them: the first places it in the tree, each counts it beside its score."
        }
        (DocKind::Objective, "", "parent_key_result") => {
            "The id of the first parent's key result this objective serves."
        }
        (DocKind::Objective, "", "draft") => {
            "`true` keeps the objective out of a build unless `--drafts`."
        }
        (DocKind::Objective, "", "commitment") => {
            "`committed` or `aspirational` (the default): which `[grading]` thresholds grade it."
        }
        (DocKind::Objective, "", "grade") => {
            "The final grade set at the review, 0–1 or \"70%\"; the page leads with it."
        }
        (DocKind::Objective, "", "retrospective") => {
            "What the team learnt, written at the review, in Markdown (a multi-line `\"\"\"` string for lists)."
        }
        (DocKind::Objective, "", "contributors") => {
            "Teams and people who share the objective; it is listed on their pages."
        }
        (DocKind::Objective, "", "links") | (DocKind::Objective, "key_results", "links") => {
            "Work items: `http`/`https` URLs of issues, epics, documents."
        }
        (DocKind::Objective, "", "priority") | (DocKind::Objective, "key_results", "priority") => {
            "A label such as `P0`, shown beside the title."
        }
        (DocKind::Objective, "", "tags") => "Free labels, shown, searched and in `data.json`.",
        (DocKind::Objective, "", "include_children") => {
            "`true` counts each aligned child in the score as one key result."
        }
        (DocKind::Objective, "", "key_results") => "The key results: one to five, by default.",
        (DocKind::Objective, "", "checkins") => {
            "Check-ins of the key results, each naming one with `key_result`: safer than `[[key_results.checkins]]`, which TOML attaches to the last key result."
        }
        (DocKind::Objective, "key_results", "id") => {
            "The key result's id, a slug: `kr1`, `kr2`, … by position when left out, so give one before reordering."
        }
        (DocKind::Objective, "key_results", "title") => "What the key result measures or delivers.",
        (DocKind::Objective, "key_results", "kind") => {
            "`metric`, `milestone`, `health`, `scored`, `status` or `rollup`; inferred from its keys when left out."
        }
        (DocKind::Objective, "key_results", "start") => {
            "A metric's value at the period's start; by default its KPI's value then."
        }
        (DocKind::Objective, "key_results", "target") => "The value a metric moves to.",
        (DocKind::Objective, "key_results", "current") => {
            "The value now, written in place (not together with check-ins that carry values)."
        }
        (DocKind::Objective, "key_results", "unit") | (DocKind::Kpi, "", "unit") => {
            "The unit values are shown in (`%`, `days`, `EUR`)."
        }
        (DocKind::Objective, "key_results", "kpi") => {
            "The KPI this key result moves or watches: its values come from the KPI."
        }
        (DocKind::Objective, "key_results", "done") => "`true` when a milestone is delivered.",
        (DocKind::Objective, "key_results", "progress") => {
            "A milestone's partial progress, 0–1 or \"40%\"."
        }
        (DocKind::Objective, "key_results", "due") => {
            "The date a milestone is due; after it an open milestone is overdue."
        }
        (DocKind::Objective, "key_results", "min") | (DocKind::Kpi, "healthy", "min") => {
            "The lowest healthy value."
        }
        (DocKind::Objective, "key_results", "max") | (DocKind::Kpi, "healthy", "max") => {
            "The highest healthy value."
        }
        (DocKind::Objective, "key_results", "weight") => {
            "The key result's share in its objective's score; 1 by default."
        }
        (DocKind::Objective, "key_results", "confidence") => {
            "How sure the team is of reaching it, 0–1 or \"70%\"."
        }
        (DocKind::Objective, "key_results", "owner") => {
            "Who drives it: a name, a team's or person's id, or a list of several."
        }
        (DocKind::Objective, "key_results", "score") => {
            "The score set by hand, 0–1 or \"70%\"; none yet is no data."
        }
        (DocKind::Objective, "key_results", "status")
        | (DocKind::Objective, "key_results.checkins" | "checkins", "status") => {
            "The owner's judgement: `not-started`, `in-progress`, `on-track`, `needs-attention`, `at-risk`, `off-track`, `blocked` or `done`."
        }
        (DocKind::Objective, "key_results", "commitment") => {
            "`committed`, `aspirational` or `learning`; its objective's by default. A learning key result is graded but never counted."
        }
        (DocKind::Objective, "key_results", "dropped") => {
            "Why it was dropped: it is struck through and no longer counts."
        }
        (DocKind::Objective, "key_results", "checkins") => {
            "Check-ins of this key result, dated, with a value, state, score or judgement."
        }
        (DocKind::Objective, "key_results", "initiatives") => {
            "The work planned under it, shown and searched but never counted."
        }
        (DocKind::Objective, "checkins", "key_result") => "The id of the key result checked in.",
        (DocKind::Objective, "key_results.checkins" | "checkins", "date") => {
            "The day of the check-in; a score within `[grading] window_days` after the period is its grade."
        }
        (DocKind::Objective, "key_results.checkins" | "checkins", "value") => {
            "The value on that day (a metric's or a guardrail's)."
        }
        (DocKind::Objective, "key_results.checkins" | "checkins", "done") => {
            "Whether the milestone was done on that day."
        }
        (DocKind::Objective, "key_results.checkins" | "checkins", "score") => {
            "A hand score on that day, 0–1 or \"70%\"."
        }
        (DocKind::Objective, "key_results.checkins" | "checkins", "forecast") => {
            "The value the team expects to reach by the end."
        }
        (DocKind::Objective, "key_results.checkins" | "checkins", "confidence") => {
            "How sure the team was that day, 0–1 or \"70%\"."
        }
        (DocKind::Objective, "key_results.checkins" | "checkins", "note") => {
            "What happened, shown beside the check-in."
        }
        (DocKind::Objective, "key_results.initiatives", "title") => "The piece of work.",
        (DocKind::Objective, "key_results.initiatives", "owner") => "Who does it.",
        (DocKind::Objective, "key_results.initiatives", "link") => {
            "Its issue or document, an `http`/`https` URL."
        }
        (DocKind::Objective, "key_results.initiatives", "status") => {
            "Where it stands: a judgement such as `in-progress` or `done`."
        }
        (DocKind::Kpi, "", "name") => "What the KPI measures.",
        (DocKind::Kpi, "", "owner") => "The team that owns the KPI (an id).",
        (DocKind::Kpi, "", "direction") => {
            "`higher` (the default) or `lower`: which way is better."
        }
        (DocKind::Kpi, "", "cadence") => {
            "How often it is measured: `weekly`, `fortnightly`, `monthly`, `quarterly` or `yearly`."
        }
        (DocKind::Kpi, "", "visibility") => {
            "`private` keeps the KPI, and everything that would tell its values, out of a default build."
        }
        (DocKind::Kpi, "", "healthy") => "The healthy band: `{ min = …, max = … }`.",
        (DocKind::Kpi, "", "data") => "A CSV file of `date,value` rows, relative to this file.",
        (DocKind::Kpi, "", "measurements") => "Measurements: `date`, `value` and a `note`.",
        (DocKind::Kpi, "", "rollup") => {
            "`sum` or `mean`: the KPI's values are those of the KPIs in `of`, combined on each day."
        }
        (DocKind::Kpi, "", "of") => "The KPIs a roll-up combines (ids).",
        (DocKind::Kpi, "measurements", "date") => "The day measured, or a month (`2026-07`).",
        (DocKind::Kpi, "measurements", "value") => "The value measured.",
        (DocKind::Kpi, "measurements", "note") => "What happened, shown beside the value.",
        (DocKind::Team, "", "name") => "The team's or person's name.",
        (DocKind::Team, "", "parent") => {
            "The enclosing team (an id); only root teams leave it out."
        }
        (DocKind::Team, "", "kind") => {
            "`company`, `department`, `team` or `person`: its level in the cascade."
        }
        (DocKind::Team, "", "lead") => "Who leads the team.",
        (DocKind::Team, "", "members") => "Who is in the team.",
        (DocKind::Page, "", "title") => "The page's title.",
        (DocKind::Page, "", "weight") => "Where the page sorts among the others: lower first.",
        _ => return None,
    };
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::keys;

    /// Every key okra reads has its line, in every table it is read in.
    #[test]
    fn every_key_is_explained() {
        let tables: [(DocKind, &str, &[&str]); 10] = [
            (DocKind::Objective, "", keys::OBJECTIVE),
            (DocKind::Objective, "key_results", keys::KEY_RESULT),
            (DocKind::Objective, "key_results.checkins", keys::CHECKIN),
            (DocKind::Objective, "checkins", keys::OBJECTIVE_CHECKIN),
            (
                DocKind::Objective,
                "key_results.initiatives",
                keys::INITIATIVE,
            ),
            (DocKind::Kpi, "", keys::KPI),
            (DocKind::Kpi, "healthy", keys::BAND),
            (DocKind::Kpi, "measurements", keys::MEASUREMENT),
            (DocKind::Team, "", keys::TEAM),
            (DocKind::Page, "", keys::PAGE),
        ];
        for (kind, table, keys) in tables {
            for key in keys {
                assert!(
                    key_doc(kind, table, key).is_some(),
                    "{kind:?} [{table}] {key}"
                );
            }
        }
        assert_eq!(key_doc(DocKind::Team, "", "target"), None);
    }
}
