//! KPIs rolled up from others (`rollup = "sum"`, `of = [...]`): on each day
//! one of them is measured, the roll-up's value is their values then,
//! combined. A company's sign-ups are its regions' sign-ups summed.

use super::{KpiIx, Measurement, Site, Visibility};
use crate::diagnostic::{Code, Diagnostic, suggestion};

/// Resolves each roll-up's KPIs and makes its measurements. A roll-up of
/// a private KPI is private too: its value would tell the private one's.
pub(super) fn roll_up_kpis(site: &mut Site, diagnostics: &mut Vec<Diagnostic>) {
    for k in KpiIx::all(site.kpis.len()) {
        let kpi = &site.kpis[k];
        let doc = std::sync::Arc::clone(&kpi.doc);
        let Some(rollup) = doc.rollup.as_ref() else {
            if let Some(first) = doc.of.first().filter(|_| !doc.rollup_written) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::MissingKey,
                        format!("KPI `{}` names KPIs to roll up but no `rollup`", kpi.id),
                    )
                    .at(first.span)
                    .hint(
                        "add `rollup = \"sum\"` or `rollup = \"mean\"`: how their values combine",
                    ),
                );
            }
            continue;
        };
        if doc.of.is_empty() {
            diagnostics.push(
                Diagnostic::new(
                    Code::MissingKey,
                    format!("KPI `{}` is a roll-up of no KPIs", kpi.id),
                )
                .at(rollup.span)
                .hint("add `of = [\"kpi-id\", \"other-kpi-id\"]`: the KPIs it combines"),
            );
            continue;
        }
        if let Some(first) = doc.measurements.first() {
            diagnostics.push(
                Diagnostic::new(
                    Code::BadValue,
                    format!(
                        "KPI `{}` is rolled up from other KPIs and has measurements of its own",
                        kpi.id
                    ),
                )
                .at(first.span)
                .related(rollup.span, "rolled up here")
                .hint("a roll-up's values come from the KPIs in `of`: measure those, or remove `rollup`"),
            );
            continue;
        }
        let mut of = Vec::new();
        for written in &doc.of {
            match site.index.kpis.get(&written.value) {
                Some(&other) if other == k => diagnostics.push(
                    Diagnostic::new(
                        Code::BadValue,
                        format!("KPI `{}` is rolled up from itself", kpi.id),
                    )
                    .at(written.span),
                ),
                Some(&other) if site.kpis[other].doc.rollup.is_some() => diagnostics.push(
                    Diagnostic::new(
                        Code::BadValue,
                        format!(
                            "KPI `{}` is rolled up from `{}`, which is a roll-up itself",
                            kpi.id, written.value
                        ),
                    )
                    .at(written.span)
                    .hint(format!(
                        "name the KPIs `{}` is rolled up from instead",
                        written.value
                    )),
                ),
                Some(&other) if !of.contains(&other) => of.push(other),
                Some(_) => {}
                None => {
                    let ids = site.kpis.iter().map(|k| k.id.as_str());
                    diagnostics.push(
                        Diagnostic::new(
                            Code::UnknownKpi,
                            format!(
                                "KPI `{}` is rolled up from unknown KPI `{}`",
                                kpi.id, written.value
                            ),
                        )
                        .at(written.span)
                        .maybe_hint(suggestion(&written.value, ids)),
                    );
                }
            }
        }
        let measurements = combined(site, &of, rollup.value);
        let private = of.iter().any(|&o| site.kpis[o].is_private());
        let common_unit = of
            .first()
            .and_then(|&o| site.kpis[o].unit.clone())
            .filter(|u| of.iter().all(|&o| site.kpis[o].unit.as_ref() == Some(u)));
        let kpi = &mut site.kpis[k];
        kpi.measurements = measurements;
        if private {
            kpi.visibility = Visibility::Private;
        }
        if kpi.unit.is_none() {
            kpi.unit = common_unit;
        }
        kpi.of = of;
    }
}

/// One measurement on each day one of `of` was measured, once every one
/// of them has a value: their values then, combined.
fn combined(site: &Site, of: &[KpiIx], rollup: super::Rollup) -> Vec<Measurement> {
    let mut days: Vec<crate::Date> = of
        .iter()
        .flat_map(|&k| site.kpis[k].measurements.iter().map(|m| m.date))
        .collect();
    days.sort_unstable();
    days.dedup();
    days.into_iter()
        .filter_map(|day| {
            let values: Option<Vec<f64>> = of
                .iter()
                .map(|&k| site.kpis[k].value_at(day).map(|m| m.value))
                .collect();
            Some(Measurement {
                date: day,
                value: rollup.combine(&values?),
                note: None,
                reported: None,
            })
        })
        .collect()
}
