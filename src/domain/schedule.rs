//! When the timed messages go out: the Friday report (a weekday and a time, Vietnam time,
//! `--report-schedule "fri 17:00"`) and the daily digest (a time on working days,
//! `--digest-at 07:30`). A schedule gives its latest moment at or before an instant, so a
//! server that was down at that moment still finds it when it comes back.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Asia::Ho_Chi_Minh;

use super::HolidayCalendar;

/// A weekday and a time of day, Vietnam time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklySchedule {
    pub weekday: Weekday,
    pub at: NaiveTime,
}

impl Default for WeeklySchedule {
    /// Friday 17:00, as Ho Chi Minh City's statistics SMS.
    fn default() -> Self {
        Self { weekday: Weekday::Fri, at: NaiveTime::from_hms_opt(17, 0, 0).expect("17:00") }
    }
}

impl std::str::FromStr for WeeklySchedule {
    type Err = String;

    /// `fri 17:00`, `Friday 17:00`, `thu 08:30`.
    fn from_str(s: &str) -> Result<Self, String> {
        let (day, time) = s.trim().split_once(char::is_whitespace).ok_or("expected a weekday and a time: fri 17:00")?;
        let weekday: Weekday = day.parse().map_err(|_| format!("{day:?} is not a weekday (mon … sun)"))?;
        Ok(Self { weekday, at: parse_time(time.trim())? })
    }
}

/// `HH:MM`.
pub fn parse_time(s: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(s, "%H:%M").map_err(|_| format!("{s:?} is not a time of day (HH:MM)"))
}

/// `date` at `time` in Vietnam, as an instant.
pub fn vietnam_instant(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    // Vietnam has no daylight saving time: every local time exists exactly once.
    Ho_Chi_Minh.from_local_datetime(&date.and_time(time)).single().expect("Vietnam has no DST").with_timezone(&Utc)
}

/// The Vietnam date of `t`.
pub fn vietnam_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&Ho_Chi_Minh).date_naive()
}

impl WeeklySchedule {
    /// The latest moment of the schedule at or before `now`.
    pub fn last_tick(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let today = vietnam_date(now);
        let back = (7 + today.weekday().num_days_from_monday() - self.weekday.num_days_from_monday()) % 7;
        let tick = vietnam_instant(today - Duration::days(i64::from(back)), self.at);
        if tick <= now { tick } else { tick - Duration::days(7) }
    }

    /// The first moment of the schedule after `now`.
    pub fn next_tick(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.last_tick(now) + Duration::days(7)
    }
}

/// The latest working day's `at` at or before `now`, if it is today's (a digest missed on an
/// earlier day is not sent late: the next one covers it).
pub fn todays_tick(at: NaiveTime, now: DateTime<Utc>, calendar: &HolidayCalendar) -> Option<DateTime<Utc>> {
    let today = vietnam_date(now);
    let tick = vietnam_instant(today, at);
    (calendar.is_working_day(today) && tick <= now).then_some(tick)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vn(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        vietnam_instant(NaiveDate::from_ymd_opt(y, m, d).unwrap(), NaiveTime::from_hms_opt(h, min, 0).unwrap())
    }

    #[test]
    fn the_last_friday_at_five_is_found_from_any_moment() {
        let s: WeeklySchedule = "fri 17:00".parse().unwrap();
        assert_eq!(s, WeeklySchedule::default());
        // Friday 4 Dec 2026 at 17:00 exactly, and just before.
        assert_eq!(s.last_tick(vn(2026, 12, 4, 17, 0)), vn(2026, 12, 4, 17, 0));
        assert_eq!(s.last_tick(vn(2026, 12, 4, 16, 59)), vn(2026, 11, 27, 17, 0));
        // Monday morning after a weekend's downtime: still last Friday's.
        assert_eq!(s.last_tick(vn(2026, 12, 7, 8, 0)), vn(2026, 12, 4, 17, 0));
        assert_eq!(s.next_tick(vn(2026, 12, 7, 8, 0)), vn(2026, 12, 11, 17, 0));
        // 17:00 in Vietnam is 10:00 UTC.
        assert_eq!(vn(2026, 12, 4, 17, 0), Utc.with_ymd_and_hms(2026, 12, 4, 10, 0, 0).unwrap());
        let t: WeeklySchedule = "Thursday 08:30".parse().unwrap();
        assert_eq!(t.last_tick(vn(2026, 12, 4, 17, 0)), vn(2026, 12, 3, 8, 30));
        assert!("fri".parse::<WeeklySchedule>().is_err());
        assert!("fry 17:00".parse::<WeeklySchedule>().is_err());
        assert!("fri 25:00".parse::<WeeklySchedule>().is_err());
    }

    #[test]
    fn the_digest_goes_out_on_working_days_only_from_its_time() {
        let cal = HolidayCalendar::vietnam();
        let at = parse_time("07:30").unwrap();
        assert_eq!(todays_tick(at, vn(2026, 12, 2, 7, 29), &cal), None);
        assert_eq!(todays_tick(at, vn(2026, 12, 2, 9, 0), &cal), Some(vn(2026, 12, 2, 7, 30)));
        // Sunday.
        assert_eq!(todays_tick(at, vn(2026, 12, 6, 9, 0), &cal), None);
        // National Day, 2 September 2026.
        assert_eq!(todays_tick(at, vn(2026, 9, 2, 9, 0), &cal), None);
    }
}
