//! Calendar dates: the only notion of time okra needs.
//!
//! A [`Date`] is a day in the proleptic Gregorian calendar, stored as a count
//! of days since 1970-01-01 so that differences and comparisons are integer
//! arithmetic. Periods, pacing, staleness and check-ins all build on it.

use std::fmt;

use serde::{Serialize, Serializer};

/// A calendar day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    days: i32,
}

impl Date {
    /// 9999-12-31: the last day a date may name.
    pub const LAST: Date = Date { days: 2_932_896 };

    /// The date for a year, month (1–12) and day (1–31), or `None` when the
    /// day does not exist (2026-02-30).
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        if !(1..=9999).contains(&year) {
            return None;
        }
        Some(Date {
            days: days_from_civil(year, month, day),
        })
    }

    /// The day (UTC) of a time in seconds since 1970.
    pub fn from_unix_seconds(seconds: i64) -> Date {
        Date {
            days: seconds.div_euclid(86_400) as i32,
        }
    }

    /// Today's date in UTC.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Date {
            days: (secs / 86_400) as i32,
        }
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = &text[range];
            if part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        Date::from_ymd(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
    }

    /// `YYYY-MM-DD`, or a month `YYYY-MM` as its first day (for
    /// measurements taken monthly).
    pub fn parse_day_or_month(text: &str) -> Option<Date> {
        if text.len() == 7 {
            return Date::parse(&format!("{text}-01"));
        }
        Date::parse(text)
    }

    pub fn year(self) -> i32 {
        civil_from_days(self.days).0
    }

    pub fn month(self) -> u32 {
        civil_from_days(self.days).1
    }

    pub fn day(self) -> u32 {
        civil_from_days(self.days).2
    }

    /// The date `n` days later (earlier when negative).
    pub fn add_days(self, n: i32) -> Date {
        Date {
            days: self.days + n,
        }
    }

    /// Whole days from `earlier` to `self`.
    pub fn days_since(self, earlier: Date) -> i32 {
        self.days - earlier.days
    }

    /// The last day of this date's month.
    pub fn end_of_month(self) -> Date {
        let (y, m, _) = civil_from_days(self.days);
        Date {
            days: days_from_civil(y, m, days_in_month(y, m)),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = civil_from_days(self.days);
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in a month of a year.
pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's `days_from_civil` and `civil_from_days`.
fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i32) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i32::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_last_day_is_the_last_of_year_9999() {
        assert_eq!(Some(Date::LAST), Date::from_ymd(9999, 12, 31));
    }

    use super::*;

    #[test]
    fn round_trips_through_day_counts() {
        for text in [
            "1970-01-01",
            "2000-02-29",
            "2026-08-15",
            "2026-12-31",
            "9999-12-31",
        ] {
            let date = Date::parse(text).unwrap();
            assert_eq!(date.to_string(), text);
        }
        assert_eq!(Date::parse("1970-01-01").unwrap().days, 0);
    }

    #[test]
    fn rejects_days_that_do_not_exist() {
        assert_eq!(Date::parse("2026-02-29"), None);
        assert_eq!(Date::parse("2026-13-01"), None);
        assert_eq!(Date::parse("2026-04-31"), None);
        assert_eq!(Date::parse("2026-4-1"), None);
        assert_eq!(Date::parse("+026-04-01"), None);
        assert!(Date::parse("2028-02-29").is_some());
    }

    #[test]
    fn counts_days_across_years() {
        let a = Date::parse("2025-12-31").unwrap();
        let b = Date::parse("2026-03-01").unwrap();
        assert_eq!(b.days_since(a), 60);
        assert_eq!(a.add_days(60), b);
        assert_eq!(
            Date::parse("2028-02-10")
                .unwrap()
                .end_of_month()
                .to_string(),
            "2028-02-29"
        );
    }
}
