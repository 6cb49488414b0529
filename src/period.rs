//! Periods: the time frames objectives are set for.
//!
//! `2026`, `2026-H2`, `2026-Q3` and `2026-07` are understood natively; any
//! other period (a fiscal quarter, say) is declared in `okra.toml` with start
//! and end dates. One period contains another when its dates enclose the
//! other's. Pacing — the share of a period that has elapsed — lives here too.

use serde::Serialize;

use crate::date::{Date, days_in_month};

/// A named, inclusive range of days.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Period {
    pub id: String,
    /// What people call it (`Personal goals, spring 2019`), where its id
    /// (`personal-q2-19`) is not what they would read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub start: Date,
    /// Its last day; [`Period::UNKNOWN_END`] for a period tied to an event
    /// whose date is not known yet (see [`Period::ends_with`]).
    #[serde(skip_serializing_if = "is_unknown_end")]
    pub end: Date,
    /// The event the period ends with (`"the 2.0 release"`), written
    /// instead of an end date or beside it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ends_with: Option<String>,
}

/// `data.json` leaves out an end that is not known yet.
fn is_unknown_end(end: &Date) -> bool {
    *end == Period::UNKNOWN_END
}

impl Period {
    /// The end of a period whose end is not known yet: later than any day
    /// okra reads, so that it runs on and contains what starts in it.
    pub const UNKNOWN_END: Date = Date::LAST;

    /// Its last day, when it is known.
    pub fn known_end(&self) -> Option<Date> {
        (self.end != Period::UNKNOWN_END).then_some(self.end)
    }

    /// Whether progress in it can be paced: only against a known end.
    pub fn is_paced(&self) -> bool {
        self.known_end().is_some()
    }

    /// Its end as people read it: the date, else the event it ends with.
    pub fn end_text(&self) -> String {
        match (self.known_end(), &self.ends_with) {
            (Some(end), _) => end.to_string(),
            (None, Some(event)) => event.clone(),
            (None, None) => "an end not known yet".to_string(),
        }
    }

    /// The last day a chart of the period shows: its end, or while that
    /// is not known, the as-of date (a week after the start at least).
    pub fn chart_end(&self, as_of: Date) -> Date {
        self.known_end()
            .unwrap_or_else(|| as_of.max(self.start.add_days(7)))
    }

    /// The period as pages name it: its `name`, else its id.
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }

    /// A period whose dates follow from its name, or `None` when the name is
    /// not one of the native forms.
    pub fn native(id: &str) -> Option<Period> {
        let (year, rest) = match id.split_once('-') {
            Some((year, rest)) => (year, Some(rest)),
            None => (id, None),
        };
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let (first_month, months) = match rest {
            None => (1, 12),
            Some(rest) => match rest.as_bytes() {
                [b'H', h @ b'1'..=b'2'] => (u32::from(h - b'1') * 6 + 1, 6),
                [b'Q', q @ b'1'..=b'4'] => (u32::from(q - b'1') * 3 + 1, 3),
                [a @ b'0'..=b'1', b @ b'0'..=b'9'] => {
                    let month = u32::from(a - b'0') * 10 + u32::from(b - b'0');
                    if !(1..=12).contains(&month) {
                        return None;
                    }
                    (month, 1)
                }
                _ => return None,
            },
        };
        let last_month = first_month + months - 1;
        Some(Period {
            name: None,
            id: id.to_string(),
            start: Date::from_ymd(year, first_month, 1)?,
            end: Date::from_ymd(year, last_month, days_in_month(year, last_month))?,
            ends_with: None,
        })
    }

    /// Whether `other` lies within this period (a period contains itself).
    pub fn contains(&self, other: &Period) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether `date` falls on one of this period's days.
    pub fn includes(&self, date: Date) -> bool {
        self.start <= date && date <= self.end
    }

    /// The share of the period that has elapsed at `as_of`: 0 on its first
    /// day, 1 on its last day and after; 0 throughout while its end is not
    /// known, so that nothing in it is behind pace.
    pub fn elapsed(&self, as_of: Date) -> f64 {
        if as_of < self.start {
            return 0.0;
        }
        if !self.is_paced() {
            return 0.0;
        }
        let length = self.end.days_since(self.start);
        if length <= 0 || as_of >= self.end {
            return 1.0;
        }
        f64::from(as_of.days_since(self.start)) / f64::from(length)
    }

    /// The phase of the period at `as_of`.
    pub fn phase(&self, as_of: Date) -> Phase {
        if as_of < self.start {
            Phase::Upcoming
        } else if as_of > self.end {
            Phase::Ended
        } else {
            Phase::Running
        }
    }

    /// Number of days in the period.
    pub fn days(&self) -> i32 {
        self.end.days_since(self.start) + 1
    }
}

/// Where the as-of date stands relative to a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    Upcoming,
    Running,
    Ended,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn p(id: &str) -> Period {
        Period::native(id).unwrap()
    }

    #[test]
    fn native_periods_have_their_calendar_dates() {
        let cases = [
            ("2026", "2026-01-01", "2026-12-31"),
            ("2026-H1", "2026-01-01", "2026-06-30"),
            ("2026-H2", "2026-07-01", "2026-12-31"),
            ("2026-Q1", "2026-01-01", "2026-03-31"),
            ("2026-Q3", "2026-07-01", "2026-09-30"),
            ("2026-Q4", "2026-10-01", "2026-12-31"),
            ("2028-02", "2028-02-01", "2028-02-29"),
            ("2026-12", "2026-12-01", "2026-12-31"),
        ];
        for (id, start, end) in cases {
            let period = p(id);
            assert_eq!((period.start, period.end), (d(start), d(end)), "{id}");
        }
    }

    #[test]
    fn malformed_names_are_not_periods() {
        for id in [
            "26", "2026-Q5", "2026-Q0", "2026-H3", "2026-13", "2026-00", "2026-q3", "2026-",
            "FY27", "2026-Q3x", "+026", "",
        ] {
            assert_eq!(Period::native(id), None, "{id}");
        }
    }

    #[test]
    fn containment_is_by_dates() {
        assert!(p("2026").contains(&p("2026-Q3")));
        assert!(p("2026-H2").contains(&p("2026-Q3")));
        assert!(p("2026-Q3").contains(&p("2026-08")));
        assert!(p("2026-Q3").contains(&p("2026-Q3")));
        assert!(!p("2026-H1").contains(&p("2026-Q3")));
        assert!(!p("2026-Q3").contains(&p("2026")));
        let fiscal = Period {
            id: "FY27-Q1".into(),
            name: None,
            start: d("2026-10-01"),
            end: d("2026-12-31"),
            ends_with: None,
        };
        assert!(p("2026-H2").contains(&fiscal));
        assert!(fiscal.contains(&p("2026-11")));
    }

    #[test]
    fn elapsed_share_at_period_edges() {
        let q3 = p("2026-Q3");
        assert_eq!(q3.elapsed(d("2026-06-30")), 0.0);
        assert_eq!(q3.elapsed(d("2026-07-01")), 0.0);
        assert_eq!(q3.elapsed(d("2026-09-30")), 1.0);
        assert_eq!(q3.elapsed(d("2027-01-01")), 1.0);
        let half = q3.elapsed(d("2026-08-15"));
        assert!((half - 45.0 / 91.0).abs() < 1e-12, "{half}");
        assert_eq!(q3.phase(d("2026-06-30")), Phase::Upcoming);
        assert_eq!(q3.phase(d("2026-09-30")), Phase::Running);
        assert_eq!(q3.phase(d("2026-10-01")), Phase::Ended);
        assert_eq!(q3.days(), 92);
    }

    #[test]
    fn a_period_that_ends_with_an_event_runs_on_unpaced_until_its_end_is_known() {
        let release = Period {
            id: "until-2-0".into(),
            name: None,
            start: d("2026-07-01"),
            end: Period::UNKNOWN_END,
            ends_with: Some("the 2.0 release".into()),
        };
        assert_eq!(release.phase(d("2031-01-01")), Phase::Running);
        assert_eq!(release.elapsed(d("2026-12-01")), 0.0, "no pace");
        assert!(!release.is_paced());
        assert_eq!(release.end_text(), "the 2.0 release");
        assert!(release.contains(&p("2026-Q4")));
        assert!(!p("2026").contains(&release));
        assert_eq!(release.chart_end(d("2026-07-02")), d("2026-07-08"));
        let known = Period {
            end: d("2026-12-15"),
            ..release
        };
        assert!(known.is_paced() && known.elapsed(d("2026-12-15")) == 1.0);
        assert_eq!(known.end_text(), "2026-12-15");
    }

    #[test]
    fn a_one_day_period_is_all_elapsed_on_its_day() {
        let day = Period {
            id: "launch".into(),
            name: None,
            start: d("2026-08-15"),
            end: d("2026-08-15"),
            ends_with: None,
        };
        assert_eq!(day.elapsed(d("2026-08-14")), 0.0);
        assert_eq!(day.elapsed(d("2026-08-15")), 1.0);
    }
}
