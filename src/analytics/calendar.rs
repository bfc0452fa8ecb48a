//! Days in Vietnam time for the statistics: an instant's date, hour and weekday without
//! time-zone arithmetic (Vietnam is UTC+7 all year), and working days counted through a
//! prefix table, so that a query over a million tickets does no calendar walk per ticket.

use chrono::{Datelike, NaiveDate};

use crate::domain::HolidayCalendar;

const MICROS_PER_DAY: i64 = 86_400_000_000;
const MICROS_PER_HOUR: i64 = 3_600_000_000;
/// Vietnam's offset from UTC.
const OFFSET: i64 = 7 * MICROS_PER_HOUR;

/// Days since 1970-01-01 of the Vietnam date of instant `t` (µs since the epoch, UTC).
pub fn day_of(t: i64) -> i64 {
    (t + OFFSET).div_euclid(MICROS_PER_DAY)
}

/// Hour of day (0–23) in Vietnam time.
pub fn hour_of(t: i64) -> u32 {
    ((t + OFFSET).rem_euclid(MICROS_PER_DAY) / MICROS_PER_HOUR) as u32
}

/// Weekday of a day number, Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday).
pub fn weekday_of_day(day: i64) -> u32 {
    (day + 3).rem_euclid(7) as u32
}

/// The first instant (µs) of a Vietnam day.
pub fn start_of_day(day: i64) -> i64 {
    day * MICROS_PER_DAY - OFFSET
}

/// The day number of a date.
pub fn day_number(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce()) - 719_163
}

/// The date of a day number.
pub fn date_of(day: i64) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt((day + 719_163) as i32).unwrap_or(NaiveDate::MIN)
}

/// Working days between days, from a prefix table over a range of days.
#[derive(Debug, Clone)]
pub struct WorkingDays {
    first: i64,
    /// `cum[i]`: working days among `first ..= first + i`.
    cum: Vec<u32>,
}

impl WorkingDays {
    /// A table for the days `first ..= last` (outside it, every weekday counts as working).
    pub fn new(calendar: &HolidayCalendar, first: i64, last: i64) -> Self {
        let mut cum = Vec::with_capacity((last - first + 1).max(0) as usize);
        let mut n = 0u32;
        for day in first..=last {
            n += u32::from(calendar.is_working_day(date_of(day)));
            cum.push(n);
        }
        Self { first, cum }
    }

    /// Working days among `first ..= day`, extrapolated by weekdays outside the table.
    fn upto(&self, day: i64) -> i64 {
        let i = day - self.first;
        if i < 0 {
            return -weekdays_between(day, self.first - 1);
        }
        match self.cum.get(i as usize) {
            Some(&n) => i64::from(n),
            None => {
                let last = self.first + self.cum.len() as i64 - 1;
                i64::from(self.cum.last().copied().unwrap_or(0)) + weekdays_between(last, day)
            }
        }
    }

    /// Working days `d` with `from < d <= to` (0 when `to <= from`): the handling time of a
    /// ticket received on day `from` and resolved on day `to`, counted as deadlines are.
    pub fn between(&self, from: i64, to: i64) -> u32 {
        if to <= from {
            return 0;
        }
        (self.upto(to) - self.upto(from)).max(0) as u32
    }
}

/// Weekdays (Monday–Friday) `d` with `a < d <= b`.
fn weekdays_between(a: i64, b: i64) -> i64 {
    (a + 1..=b).filter(|&d| weekday_of_day(d) < 5).count() as i64
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use chrono_tz::Asia::Ho_Chi_Minh;

    use super::*;

    #[test]
    fn days_hours_and_weekdays_are_those_of_vietnam() {
        // 2026-12-03 00:30 in Vietnam is still 2026-12-02 in UTC.
        let t = Ho_Chi_Minh.with_ymd_and_hms(2026, 12, 3, 0, 30, 0).unwrap().with_timezone(&Utc).timestamp_micros();
        assert_eq!(date_of(day_of(t)), NaiveDate::from_ymd_opt(2026, 12, 3).unwrap());
        assert_eq!(hour_of(t), 0);
        assert_eq!(weekday_of_day(day_of(t)), 3, "a Thursday");
        assert_eq!(day_of(start_of_day(day_of(t))), day_of(t));
        assert_eq!(day_of(start_of_day(day_of(t)) - 1), day_of(t) - 1);
    }

    #[test]
    fn working_days_skip_weekends_and_holidays_like_deadlines_do() {
        let cal = HolidayCalendar::vietnam();
        let d = |y, m, dd| day_number(NaiveDate::from_ymd_opt(y, m, dd).unwrap());
        let table = WorkingDays::new(&cal, d(2026, 1, 1), d(2026, 12, 31));
        // Friday → next Monday: one working day.
        assert_eq!(table.between(d(2026, 11, 27), d(2026, 11, 30)), 1);
        assert_eq!(table.between(d(2026, 11, 30), d(2026, 11, 30)), 0);
        // Every deadline of the calendar is `n` working days after receipt.
        for (from, n) in [(d(2026, 2, 10), 7u32), (d(2026, 4, 24), 7), (d(2026, 8, 28), 5)] {
            let received = start_of_day(from) + 3_600_000_000;
            let at = Utc.timestamp_micros(received).unwrap();
            let deadline = day_of(cal.deadline(at, n).timestamp_micros());
            assert_eq!(table.between(from, deadline), n, "from day {from}");
        }
        // Outside the table, weekdays count.
        assert_eq!(table.between(d(2027, 1, 1), d(2027, 1, 8)), 5);
    }
}
