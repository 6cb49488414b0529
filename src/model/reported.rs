//! What a key result had reported by a day: its value, a milestone's
//! state, a hand score and its goalposts, from its check-ins, its KPI's
//! measurements and, with `--history`, its values written in place as git
//! remembers them. On the day it is measured at and after, these are the
//! values the model settled on.

use super::{KeyResult, Kpi, ValueSource};
use crate::date::Date;

impl KeyResult {
    /// Whether `day` is the day its values are taken at, or later: then
    /// the values written in place stand.
    fn settled_on(&self, day: Date) -> bool {
        day >= self.measured_at
    }

    /// The value (metric and health) it stood at on `day`.
    pub fn value_on(&self, kpis: &[Kpi], day: Date) -> Option<f64> {
        if self.settled_on(day) {
            return self.current;
        }
        match self.current_source {
            ValueSource::Kpi => self
                .kpi
                .and_then(|k| kpis[k.0].value_at(day))
                .map(|m| m.value),
            ValueSource::Current => self
                .past
                .iter()
                .rev()
                .find(|p| p.date <= day && p.current.is_some())
                .and_then(|p| p.current),
            ValueSource::Checkin | ValueSource::None => self
                .checkins
                .iter()
                .rev()
                .find(|c| c.date <= day && c.value.is_some())
                .and_then(|c| c.value),
        }
    }

    /// A milestone's `(done, progress)` on `day`; `None` before anything
    /// was reported.
    pub fn state_on(&self, day: Date) -> Option<(bool, Option<f64>)> {
        if self.settled_on(day) {
            return self.reported.then_some((self.done, self.progress));
        }
        if self.state_in_place {
            let p = self
                .past
                .iter()
                .rev()
                .find(|p| p.date <= day && (p.done.is_some() || p.progress.is_some()))?;
            return Some((p.done.unwrap_or(false), p.progress));
        }
        let c = self
            .checkins
            .iter()
            .rev()
            .find(|c| c.date <= day && (c.done.is_some() || c.value.is_some()))?;
        Some((
            c.done.unwrap_or(false),
            c.value.filter(|v| (0.0..=1.0).contains(v)),
        ))
    }

    /// The score set by hand on `day`: the latest check-in's by then.
    pub fn hand_score_on(&self, day: Date) -> Option<f64> {
        if self.settled_on(day) {
            return self.hand_score;
        }
        self.checkins
            .iter()
            .rev()
            .find(|c| c.date <= day && c.score.is_some())
            .and_then(|c| c.score)
    }

    /// A goalpost (`start`, `target`, `min` or `max`) as it stood on
    /// `day`: where the first later move took it from, else where it is.
    pub fn goalpost_on(&self, field: &str, day: Date, now: Option<f64>) -> Option<f64> {
        if self.settled_on(day) {
            return now;
        }
        self.goalposts
            .iter()
            .find(|g| g.field == field && g.date > day)
            .map_or(now, |g| match g.old {
                Some(super::Mark::Number(n)) => Some(n),
                _ => None,
            })
    }
}
