//! Working-day deadlines in Vietnam time (Asia/Ho_Chi_Minh): Monday–Friday, skipping public
//! holidays.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Asia::Ho_Chi_Minh;

/// The default allowance: 7 working days.
pub const DEFAULT_DEADLINE_DAYS: u32 = 7;

/// A set of non-working dates (besides Saturdays and Sundays).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HolidayCalendar {
    holidays: BTreeSet<NaiveDate>,
}

impl HolidayCalendar {
    pub fn new(holidays: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self { holidays: holidays.into_iter().collect() }
    }

    /// Monday–Friday and not a holiday.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&d)
    }

    /// The deadline for something received at `from` with `working_days` to settle it: the end
    /// (23:59:59 Vietnam time) of the `working_days`-th working day after the day of `from`.
    /// The day of receipt itself does not count. `working_days == 0` gives the end of the day
    /// of receipt.
    pub fn deadline(&self, from: DateTime<Utc>, working_days: u32) -> DateTime<Utc> {
        let mut day = from.with_timezone(&Ho_Chi_Minh).date_naive();
        let mut left = working_days;
        while left > 0 {
            day = day.succ_opt().expect("date in range");
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        end_of_day(day)
    }
}

/// 23:59:59 Vietnam time on `day`, in UTC. Vietnam has no daylight saving, so this is exact.
pub fn end_of_day(day: NaiveDate) -> DateTime<Utc> {
    let t = day.and_time(NaiveTime::from_hms_opt(23, 59, 59).expect("valid time"));
    Ho_Chi_Minh.from_local_datetime(&t).single().expect("no DST in Vietnam").with_timezone(&Utc)
}
