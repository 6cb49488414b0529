//! The site as a build publishes it.

use super::build::positions;
use super::{Index, KeyResultIx, Kpi, KpiIx, KpiRole, Objective, ObjectiveIx, PeriodIx, Site};
use crate::period::Period;

impl Site {
    /// [`Site::published`] in place: the one publishing rule that every
    /// output and command applies, the site, `okra digest` and the exports
    /// alike.
    pub fn publish(&mut self, drafts: bool, include_private: bool) {
        let site = std::mem::replace(self, self.empty_like());
        *self = site.published(drafts, include_private);
    }

    /// A site with this one's settings and no documents.
    pub fn empty_like(&self) -> Site {
        Site::empty(self.as_of, self.grading, self.checkin_cadence)
    }

    /// A site measured at `as_of` with no title and no documents.
    pub fn empty(
        as_of: crate::Date,
        grading: super::Grading,
        checkin_cadence: crate::model::Cadence,
    ) -> Site {
        Site {
            title: String::new(),
            base_url: None,
            repository: None,
            as_of,
            grading,
            checkin_cadence,
            periods: Vec::new(),
            teams: Vec::new(),
            objectives: Vec::new(),
            kpis: Vec::new(),
            pages: Vec::new(),
            index: Index::default(),
            activity: Vec::new(),
            period_moves: Vec::new(),
        }
    }

    /// The site as a build publishes it: drafts only when `drafts`, private
    /// KPIs only when `include_private`. References to what is left out are
    /// dropped, so nothing published points at an unpublished document.
    pub fn published(mut self, drafts: bool, include_private: bool) -> Site {
        let objectives = std::mem::take(&mut self.objectives);
        let kpis = std::mem::take(&mut self.kpis);
        let periods = std::mem::take(&mut self.periods);
        let objective_map: Vec<Option<ObjectiveIx>> =
            remap(objectives.iter().map(|o| drafts || !o.draft));
        let kpi_map: Vec<Option<KpiIx>> =
            remap(kpis.iter().map(|k| include_private || !k.is_private()));
        // A period that only left-out drafts use leaves no trace; declared
        // periods (never native names) stay.
        let mut used = vec![false; periods.len()];
        for (o, objective) in objectives.iter().enumerate() {
            if let (Some(p), Some(_)) = (objective.period, objective_map[o]) {
                used[p.0] = true;
            }
        }
        let period_map: Vec<Option<PeriodIx>> = remap(
            periods
                .iter()
                .zip(&used)
                .map(|(p, &used)| used || Period::native(&p.id).is_none()),
        );

        let objectives: Vec<Objective> = keep(objectives, &objective_map)
            .map(|mut objective| {
                let kept = |o: ObjectiveIx| objective_map[o.0];
                objective.period = objective.period.and_then(|p| period_map[p.0]);
                objective.parent = objective.parent.and_then(kept);
                objective
                    .also_parents
                    .retain_mut(|p| kept(*p).map(|k| *p = k).is_some());
                objective.children = objective.children.iter().filter_map(|&c| kept(c)).collect();
                objective.cascade = objective.cascade.iter().filter_map(|&c| kept(c)).collect();
                for kr in &mut objective.key_results {
                    kr.kpi = kr.kpi.and_then(|k| kpi_map[k.0]);
                }
                objective
            })
            .collect();
        let kpis: Vec<Kpi> = keep(kpis, &kpi_map)
            .map(|mut kpi| {
                let kept = |r: &KeyResultIx| {
                    objective_map[r.objective.0].map(|objective| KeyResultIx { objective, ..*r })
                };
                kpi.focus = kpi.focus.iter().filter_map(kept).collect();
                kpi.of = kpi.of.iter().filter_map(|k| kpi_map[k.0]).collect();
                kpi.key_results = kpi.key_results.iter().filter_map(kept).collect();
                if kpi.focus.is_empty() {
                    kpi.role = KpiRole::HealthMetric;
                }
                kpi
            })
            .collect();
        let periods: Vec<Period> = keep(periods, &period_map).collect();
        let index = Index {
            objectives: positions(objectives.iter().map(|o| &o.id)),
            kpis: positions(kpis.iter().map(|k| &k.id)),
            periods: positions(periods.iter().map(|p| &p.id)),
            ..std::mem::take(&mut self.index)
        };
        // What git says happened to a document left out is left out too.
        self.activity.retain(|a| {
            a.objective
                .as_ref()
                .is_none_or(|id| index.objectives.contains_key(id))
                && a.kpi.as_ref().is_none_or(|id| index.kpis.contains_key(id))
        });
        Site {
            periods,
            objectives,
            kpis,
            index,
            ..self
        }
    }
}

/// Old index → new index, for the elements that are kept.
fn remap<Ix: From<usize>>(keep: impl Iterator<Item = bool>) -> Vec<Option<Ix>> {
    let mut next = 0;
    keep.map(|k| {
        k.then(|| {
            next += 1;
            Ix::from(next - 1)
        })
    })
    .collect()
}

/// The elements a map keeps, in order.
fn keep<'m, T: 'm, Ix>(items: Vec<T>, map: &'m [Option<Ix>]) -> impl Iterator<Item = T> + 'm {
    items
        .into_iter()
        .zip(map)
        .filter_map(|(item, kept)| kept.as_ref().map(|_| item))
}
