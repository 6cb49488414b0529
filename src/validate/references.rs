//! References between documents must resolve: owners, parents, periods
//! and KPIs.

use super::Checker;
use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::load::{DocKind, Sp};
use crate::model::{KeyResult, Objective};

impl Checker<'_> {
    pub(super) fn unknown_team(&mut self, reference: &Sp<String>, what: &str) {
        if self.site.index.teams.contains_key(&reference.value)
            || self.is_broken(DocKind::Team, &reference.value)
        {
            return;
        }
        let hint = suggestion(
            &reference.value,
            self.site.teams.iter().map(|t| t.id.as_str()),
        )
        .unwrap_or_else(|| {
            "teams are the files in `teams/`; a team's id is its `id` or file name".to_string()
        });
        self.diagnostics.push(
            Diagnostic::new(
                Code::UnknownTeam,
                format!("{what} names unknown team `{}`", reference.value),
            )
            .at(reference.span)
            .label("no such team")
            .hint(hint),
        );
    }

    pub(super) fn team_references(&mut self) {
        for team in &self.site.teams {
            if let Some(parent) = &team.doc.parent {
                self.unknown_team(parent, &format!("team `{}`", team.id));
            }
        }
    }

    pub(super) fn kpi_references(&mut self) {
        for kpi in &self.site.kpis {
            if let Some(owner) = &kpi.doc.owner {
                self.unknown_team(owner, &format!("KPI `{}`", kpi.id));
            }
        }
    }

    pub(super) fn objective_references(&mut self) {
        let site = self.site;
        for objective in &site.objectives {
            let doc = &objective.doc;
            if let Some(owner) = &doc.owner {
                self.unknown_team(owner, &format!("objective `{}`", objective.id));
            }
            for contributor in &doc.contributors {
                self.unknown_team(contributor, &format!("objective `{}`", objective.id));
            }
            if let (Some(period), None) = (&doc.period, objective.period) {
                self.unknown_period(period);
            }
            for parent in &doc.parents {
                if site.index.objectives.contains_key(&parent.value) {
                    continue;
                }
                if !self.is_broken(DocKind::Objective, &parent.value) {
                    let others = site.objectives.iter().filter(|o| o.id != objective.id);
                    let hint = suggestion(&parent.value, others.map(|o| o.id.as_str()));
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::UnknownParent,
                            format!(
                                "objective `{}` aligns to unknown objective `{}`",
                                objective.id, parent.value
                            ),
                        )
                        .at(parent.span)
                        .maybe_hint(hint),
                    );
                }
            }
            self.parent_key_result(objective);
            for kr in &objective.key_results {
                self.key_result_kpi(objective, kr);
            }
        }
    }

    /// `parent_key_result` names a key result of the parent, and needs a
    /// parent to name one of.
    fn parent_key_result(&mut self, objective: &crate::model::Objective) {
        let Some(key) = &objective.doc.parent_key_result else {
            return;
        };
        if objective.parent_key_result.is_some() {
            return;
        }
        let Some(parent) = objective.parent.map(|p| &self.site.objectives[p]) else {
            if objective.doc.parents.is_empty() {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::MissingKey,
                        format!(
                            "objective `{}` names a key result to serve but no `parent`",
                            objective.id
                        ),
                    )
                    .at(key.span)
                    .hint(
                        "add `parent = \"objective-id\"`: the objective whose key result this is",
                    ),
                );
            }
            return;
        };
        let ids = parent.key_results.iter().map(|kr| kr.id.as_str());
        let hint = suggestion(&key.value, ids.clone()).or_else(|| {
            let all: Vec<&str> = ids.collect();
            (!all.is_empty()).then(|| {
                format!(
                    "`{}` has {}",
                    parent.id,
                    all.iter()
                        .map(|i| format!("`{i}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
        });
        self.diagnostics.push(
            Diagnostic::new(
                Code::UnknownParent,
                format!(
                    "objective `{}` serves unknown key result `{}` of `{}`",
                    objective.id, key.value, parent.id
                ),
            )
            .at(key.span)
            .maybe_hint(hint),
        );
    }

    fn unknown_period(&mut self, period: &Sp<String>) {
        let declared = self.site.periods.iter().map(|p| p.id.as_str());
        let upper = period.value.to_uppercase();
        let hint = if crate::period::Period::native(&upper).is_some() && upper != period.value {
            format!("did you mean `{upper}`?")
        } else {
            suggestion(&period.value, declared).unwrap_or_else(|| {
                "periods are `2026`, `2026-H2`, `2026-Q3`, `2026-07`, or declared in okra.toml under `[periods.ID]`"
                    .to_string()
            })
        };
        self.diagnostics.push(
            Diagnostic::new(
                Code::UnknownPeriod,
                format!("unknown period `{}`", period.value),
            )
            .at(period.span)
            .label("not a period")
            .hint(hint),
        );
    }

    /// A key result's `kpi` must name a KPI, and not a private one.
    fn key_result_kpi(&mut self, objective: &Objective, kr: &KeyResult) {
        let site = self.site;
        let Some(kpi_ref) = &kr.doc().kpi else { return };
        match kr.kpi {
            None if !self.is_broken(DocKind::Kpi, &kpi_ref.value) => {
                // A hint never names a private KPI the author did not
                // write: check output may be read by anyone.
                let public = site
                    .kpis
                    .iter()
                    .filter(|k| !k.is_private())
                    .map(|k| k.id.as_str());
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::UnknownKpi,
                        format!(
                            "key result `{}` names unknown KPI `{}`",
                            kr.id, kpi_ref.value
                        ),
                    )
                    .at(kpi_ref.span)
                    .label("no such KPI")
                    .maybe_hint(suggestion(&kpi_ref.value, public)),
                );
            }
            Some(k) if site.kpis[k].is_private() => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::PrivateKpiExposed,
                        format!(
                            "objective `{}` is visible to everyone, but its key result `{}` uses private KPI `{}`",
                            objective.id, kr.id, kpi_ref.value
                        ),
                    )
                    .at(kpi_ref.span)
                    .hint("remove `kpi` and state the values in the key result, or make the KPI public"),
                );
            }
            _ => {}
        }
    }
}
