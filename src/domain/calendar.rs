//! Working-day deadlines in Vietnam time (Asia/Ho_Chi_Minh): Monday–Friday, skipping public
//! holidays, plus the official make-up working Saturdays.
//!
//! The built-in calendar ([`HolidayCalendar::vietnam`]) is `geodata/holidays-vn.json`, embedded at
//! compile time. Another calendar can be loaded from any file of the same format
//! ([`HolidayCalendar::load`], [`HolidayCalendar::from_json_str`]):
//!
//! ```json
//! {
//!   "name": "Vietnam public holidays",
//!   "holidays": [
//!     {"date": "2026-02-16", "name_vi": "Tết Nguyên Đán", "name_en": "Lunar New Year (Tết)"},
//!     {"date": "2027-02-10", "name_vi": "Nghỉ bù Tết Nguyên Đán", "name_en": "…", "estimate": true}
//!   ],
//!   "working_saturdays": [
//!     {"date": "2026-01-10", "replaces": "2026-01-02", "name_vi": "Làm bù …", "name_en": "Make-up …"}
//!   ]
//! }
//! ```
//!
//! `holidays` are the non-working dates besides ordinary Saturdays and Sundays; `estimate` (default
//! `false`) marks a date derived from the statutory rule before the government decreed that
//! year's plan. `working_saturdays` (optional) are weekend days declared working days, each
//! optionally naming the listed holiday it `replaces`. Other top-level keys (`description`,
//! `sources`) are allowed and ignored. Dates are `YYYY-MM-DD`.
//!
//! Beyond the listed years only weekends are skipped: see [`HolidayCalendar::coverage`].

use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Asia::Ho_Chi_Minh;
use serde::{Deserialize, Serialize};

/// The default allowance: 7 working days.
pub const DEFAULT_DEADLINE_DAYS: u32 = 7;

/// The built-in Vietnamese calendar as shipped in `geodata/holidays-vn.json`.
pub const VIETNAM_JSON: &str = include_str!("../../geodata/holidays-vn.json");

/// Parsed once; [`HolidayCalendar::vietnam`] hands out clones.
static VIETNAM: LazyLock<HolidayCalendar> = LazyLock::new(|| {
    HolidayCalendar::from_json_str(VIETNAM_JSON).expect("geodata/holidays-vn.json is valid (checked by tests)")
});

/// A day off, with its names for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Holiday {
    /// Vietnamese name, e.g. "Tết Nguyên Đán".
    pub name_vi: String,
    /// English name, e.g. "Lunar New Year (Tết)".
    pub name_en: String,
    /// Derived from the statutory rule because the year's plan was not yet decreed.
    pub estimate: bool,
}

/// An official make-up working day on a weekend (`ngày làm bù`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct WorkingSaturday {
    pub name_vi: String,
    pub name_en: String,
    /// The listed holiday this working day pays back, if given.
    pub replaces: Option<NaiveDate>,
}

/// Why a holiday calendar could not be loaded. Entry errors name the list and the position of
/// the entry at fault, e.g. `holidays[3]: date "2026-02-30" is not a valid YYYY-MM-DD date`.
#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    #[error("cannot read holiday calendar {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {source}", path.display())]
    InFile {
        path: PathBuf,
        #[source]
        source: Box<CalendarError>,
    },
    #[error("holiday calendar is not valid: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{list}[{index}]: {reason}")]
    Entry { list: &'static str, index: usize, reason: String },
}

/// Non-working dates (besides Saturdays and Sundays) and make-up working weekend days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HolidayCalendar {
    name: String,
    holidays: BTreeMap<NaiveDate, Holiday>,
    working_saturdays: BTreeMap<NaiveDate, WorkingSaturday>,
}

#[derive(Deserialize)]
struct RawCalendar {
    #[serde(default)]
    name: String,
    holidays: Vec<RawHoliday>,
    #[serde(default)]
    working_saturdays: Vec<RawWorkingSaturday>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    date: String,
    name_vi: String,
    name_en: String,
    #[serde(default)]
    estimate: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkingSaturday {
    date: String,
    #[serde(default)]
    replaces: Option<String>,
    #[serde(default)]
    name_vi: String,
    #[serde(default)]
    name_en: String,
}

fn parse_date(s: &str, what: &str, list: &'static str, index: usize) -> Result<NaiveDate, CalendarError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| CalendarError::Entry {
        list,
        index,
        reason: format!("{what} {s:?} is not a valid YYYY-MM-DD date"),
    })
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

impl HolidayCalendar {
    /// A calendar of unnamed days off and no make-up working days.
    pub fn new(holidays: impl IntoIterator<Item = NaiveDate>) -> Self {
        let unnamed = || Holiday { name_vi: "Ngày nghỉ".into(), name_en: "Day off".into(), estimate: false };
        Self {
            name: String::new(),
            holidays: holidays.into_iter().map(|d| (d, unnamed())).collect(),
            working_saturdays: BTreeMap::new(),
        }
    }

    /// Vietnam's official days off for 2025–2027 (see `geodata/holidays-vn.json`).
    pub fn vietnam() -> Self {
        VIETNAM.clone()
    }

    /// Parses a calendar in the format described in the module docs.
    pub fn from_json_str(json: &str) -> Result<Self, CalendarError> {
        let raw: RawCalendar = serde_json::from_str(json)?;
        let mut holidays = BTreeMap::new();
        for (index, h) in raw.holidays.into_iter().enumerate() {
            let entry = |reason: String| CalendarError::Entry { list: "holidays", index, reason };
            let date = parse_date(&h.date, "date", "holidays", index)?;
            if h.name_vi.trim().is_empty() || h.name_en.trim().is_empty() {
                return Err(entry(format!("{date}: name_vi and name_en must not be empty")));
            }
            let holiday = Holiday { name_vi: h.name_vi, name_en: h.name_en, estimate: h.estimate };
            if holidays.insert(date, holiday).is_some() {
                return Err(entry(format!("{date} is listed twice")));
            }
        }
        let mut working_saturdays = BTreeMap::new();
        for (index, w) in raw.working_saturdays.into_iter().enumerate() {
            let list = "working_saturdays";
            let entry = |reason: String| CalendarError::Entry { list, index, reason };
            let date = parse_date(&w.date, "date", list, index)?;
            if !is_weekend(date) {
                return Err(entry(format!("{date} is a {}; a make-up working day falls on a weekend", date.weekday())));
            }
            if holidays.contains_key(&date) {
                return Err(entry(format!("{date} is also listed as a holiday")));
            }
            let replaces = w.replaces.as_deref().map(|s| parse_date(s, "replaces", list, index)).transpose()?;
            if let Some(r) = replaces
                && !holidays.contains_key(&r)
            {
                return Err(entry(format!("replaces {r}, which is not a listed holiday")));
            }
            let day = WorkingSaturday { name_vi: w.name_vi, name_en: w.name_en, replaces };
            if working_saturdays.insert(date, day).is_some() {
                return Err(entry(format!("{date} is listed twice")));
            }
        }
        Ok(Self { name: raw.name, holidays, working_saturdays })
    }

    /// Reads and parses a calendar file; errors name the file.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, CalendarError> {
        let path = path.as_ref();
        let json =
            std::fs::read_to_string(path).map_err(|source| CalendarError::Io { path: path.to_path_buf(), source })?;
        Self::from_json_str(&json).map_err(|e| CalendarError::InFile { path: path.to_path_buf(), source: Box::new(e) })
    }

    /// The calendar's name, e.g. "Vietnam public holidays" (empty when built with [`Self::new`]).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The listed days off in date order.
    pub fn holidays(&self) -> impl Iterator<Item = (NaiveDate, &Holiday)> {
        self.holidays.iter().map(|(d, h)| (*d, h))
    }

    /// The make-up working weekend days in date order.
    pub fn working_saturdays(&self) -> impl Iterator<Item = (NaiveDate, &WorkingSaturday)> {
        self.working_saturdays.iter().map(|(d, w)| (*d, w))
    }

    /// The holiday on `d`, if `d` is listed.
    pub fn holiday(&self, d: NaiveDate) -> Option<&Holiday> {
        self.holidays.get(&d)
    }

    /// First and last listed date; outside this range only weekends are skipped, so deadlines
    /// there ignore holidays nobody has entered yet. `None` for an empty calendar.
    pub fn coverage(&self) -> Option<RangeInclusive<NaiveDate>> {
        let first = [self.holidays.keys().next(), self.working_saturdays.keys().next()].into_iter().flatten().min();
        let last =
            [self.holidays.keys().next_back(), self.working_saturdays.keys().next_back()].into_iter().flatten().max();
        Some(*first?..=*last?)
    }

    /// A make-up working day, or Monday–Friday and not a holiday.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if self.working_saturdays.contains_key(&d) {
            return true;
        }
        !is_weekend(d) && !self.holidays.contains_key(&d)
    }

    /// The deadline for something received at `from` with `working_days` to settle it: the end
    /// (23:59:59 Vietnam time) of the `working_days`-th working day after the day of `from`.
    /// The day of receipt itself does not count, and "the day of `from`" is its date in Vietnam
    /// time (a report at 00:30 on Friday in Vietnam is still Thursday in UTC).
    /// `working_days == 0` gives the end of the day of receipt.
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

#[cfg(test)]
mod tests {
    use chrono::{Duration, Timelike};
    use proptest::prelude::*;

    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// An instant given in Vietnam local time, e.g. `vn("2026-02-13 10:00")`.
    fn vn(s: &str) -> DateTime<Utc> {
        let t = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        Ho_Chi_Minh.from_local_datetime(&t).single().unwrap().with_timezone(&Utc)
    }

    fn local_date(t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&Ho_Chi_Minh).date_naive()
    }

    #[test]
    fn a_ticket_received_the_friday_before_tet_2026_is_due_on_3_march() {
        let cal = HolidayCalendar::vietnam();
        // Tết Bính Ngọ: Mon 16 – Fri 20 Feb off; working days 23–27 Feb, 2 and 3 Mar.
        assert_eq!(cal.deadline(vn("2026-02-13 10:00"), 7), end_of_day(date("2026-03-03")));
        assert_eq!(cal.deadline(vn("2026-02-13 10:00"), 1), end_of_day(date("2026-02-23")));
        // Without holidays the same ticket would be due on Tuesday 24 February.
        let plain = HolidayCalendar::default();
        assert_eq!(plain.deadline(vn("2026-02-13 10:00"), 7), end_of_day(date("2026-02-24")));
    }

    #[test]
    fn a_ticket_received_on_a_weekend_counts_from_the_next_working_day() {
        let cal = HolidayCalendar::vietnam();
        assert_eq!(cal.deadline(vn("2026-03-07 09:00"), 7), end_of_day(date("2026-03-17")));
        assert_eq!(cal.deadline(vn("2026-03-08 21:00"), 1), end_of_day(date("2026-03-09")));
        // Saturday 14 February 2026 starts the Tết break: the same deadline as Friday's ticket.
        assert_eq!(cal.deadline(vn("2026-02-14 09:00"), 7), end_of_day(date("2026-03-03")));
    }

    #[test]
    fn the_day_of_receipt_is_the_date_in_vietnam_not_in_utc() {
        let cal = HolidayCalendar::vietnam();
        let late_thursday = vn("2026-02-12 23:30");
        let early_friday = vn("2026-02-13 00:30");
        // Both instants fall on Thursday 12 February in UTC.
        assert_eq!(late_thursday.date_naive(), early_friday.date_naive());
        assert_eq!(cal.deadline(late_thursday, 1), end_of_day(date("2026-02-13")));
        assert_eq!(cal.deadline(early_friday, 1), end_of_day(date("2026-02-23")));
        assert_eq!(cal.deadline(late_thursday, 7), end_of_day(date("2026-03-02")));
        assert_eq!(cal.deadline(early_friday, 7), end_of_day(date("2026-03-03")));
        // 23:59:59 in Vietnam is 16:59:59 UTC.
        assert_eq!(cal.deadline(early_friday, 7).to_rfc3339(), "2026-03-03T16:59:59+00:00");
    }

    #[test]
    fn a_make_up_saturday_is_a_working_day_and_its_swapped_friday_is_not() {
        let cal = HolidayCalendar::vietnam();
        assert!(cal.is_working_day(date("2026-01-10")));
        assert!(!cal.is_working_day(date("2026-01-02")));
        assert!(!cal.is_working_day(date("2026-01-17")));
        assert_eq!(cal.deadline(vn("2026-01-09 15:00"), 1), end_of_day(date("2026-01-10")));
        // New Year 2026: Thu 1 and Fri 2 Jan off, then the weekend.
        assert_eq!(cal.deadline(vn("2025-12-31 08:00"), 1), end_of_day(date("2026-01-05")));
        // 30 April – 1 May 2025: Fri 2 May swapped for Sat 26 April.
        assert_eq!(cal.deadline(vn("2025-04-25 08:00"), 1), end_of_day(date("2025-04-26")));
        assert_eq!(cal.deadline(vn("2025-04-29 08:00"), 1), end_of_day(date("2025-05-05")));
    }

    #[test]
    fn hung_kings_day_on_a_sunday_is_compensated_on_monday() {
        let cal = HolidayCalendar::vietnam();
        assert!(!cal.is_working_day(date("2026-04-27")));
        // Fri 24 Apr → Mon 27 (off), Tue 28, Wed 29, Thu 30 and Fri 1 May (off), Mon 4 May.
        assert_eq!(cal.deadline(vn("2026-04-24 16:00"), 3), end_of_day(date("2026-05-04")));
    }

    #[test]
    fn national_day_2026_closes_offices_from_29_august_to_2_september() {
        let cal = HolidayCalendar::vietnam();
        assert_eq!(cal.deadline(vn("2026-08-28 10:00"), 1), end_of_day(date("2026-09-03")));
        assert_eq!(cal.deadline(vn("2026-08-21 10:00"), 1), end_of_day(date("2026-08-22")));
    }

    #[test]
    fn zero_days_gives_the_end_of_the_day_of_receipt_even_on_a_holiday() {
        let cal = HolidayCalendar::vietnam();
        assert_eq!(cal.deadline(vn("2026-02-17 08:00"), 0), end_of_day(date("2026-02-17")));
    }

    #[test]
    fn each_year_has_at_least_the_eleven_statutory_days_off_on_weekdays() {
        let cal = HolidayCalendar::vietnam();
        for year in 2025..=2027 {
            let mut d = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
            let mut off = 0;
            while d.year() == year {
                if !is_weekend(d) && !cal.is_working_day(d) {
                    off += 1;
                }
                d = d.succ_opt().unwrap();
            }
            assert!(off >= 11, "{year}: only {off} weekday holidays");
            assert!(off <= 14, "{year}: {off} weekday holidays is more than any plan gives");
        }
    }

    #[test]
    fn the_built_in_calendar_names_its_holidays_and_flags_estimates() {
        let cal = HolidayCalendar::vietnam();
        assert_eq!(cal.name(), "Vietnam public holidays");
        let tet = cal.holiday(date("2026-02-17")).unwrap();
        assert_eq!(tet.name_vi, "Tết Nguyên Đán");
        assert!(!tet.estimate);
        assert!(cal.holiday(date("2027-02-08")).unwrap().estimate);
        assert_eq!(cal.holiday(date("2026-04-26")).unwrap().name_vi, "Giỗ Tổ Hùng Vương");
        for fixed in ["2025-01-01", "2025-04-30", "2025-05-01", "2025-09-02", "2026-09-02", "2027-04-16"] {
            assert!(cal.holiday(date(fixed)).is_some(), "{fixed} missing");
        }
        let coverage = cal.coverage().unwrap();
        assert_eq!(coverage, date("2025-01-01")..=date("2027-09-03"));
        let swaps: Vec<_> = cal.working_saturdays().map(|(d, w)| (d, w.replaces)).collect();
        assert!(swaps.contains(&(date("2026-08-22"), Some(date("2026-08-31")))));
        // Dates are listed in order.
        let dates: Vec<_> = cal.holidays().map(|(d, _)| d).collect();
        assert!(dates.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn the_built_in_calendar_is_the_shipped_file() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/geodata/holidays-vn.json");
        assert_eq!(HolidayCalendar::load(path).unwrap(), HolidayCalendar::vietnam());
    }

    fn entry_error(json: &str) -> (&'static str, usize, String) {
        match HolidayCalendar::from_json_str(json) {
            Err(CalendarError::Entry { list, index, reason }) => (list, index, reason),
            other => panic!("expected an entry error, got {other:?}"),
        }
    }

    #[test]
    fn a_bad_entry_is_named_with_its_position() {
        let json = r#"{"holidays":[
            {"date":"2026-02-16","name_vi":"Tết","name_en":"Tet"},
            {"date":"2026-02-30","name_vi":"Tết","name_en":"Tet"}]}"#;
        let (list, index, reason) = entry_error(json);
        assert_eq!((list, index), ("holidays", 1));
        assert!(reason.contains("2026-02-30"), "{reason}");
        let err = HolidayCalendar::from_json_str(json).unwrap_err().to_string();
        assert!(err.starts_with("holidays[1]: date \"2026-02-30\""), "{err}");

        let dup = r#"{"holidays":[{"date":"2026-02-16","name_vi":"a","name_en":"a"},
                                  {"date":"2026-02-16","name_vi":"b","name_en":"b"}]}"#;
        assert_eq!(entry_error(dup).1, 1);
        let unnamed = r#"{"holidays":[{"date":"2026-02-16","name_vi":" ","name_en":"a"}]}"#;
        assert_eq!(entry_error(unnamed).0, "holidays");
    }

    #[test]
    fn make_up_days_must_be_weekend_days_that_pay_back_a_listed_holiday() {
        let holidays = r#""holidays":[{"date":"2026-01-02","name_vi":"Nghỉ","name_en":"Off"}]"#;
        let weekday = format!(r#"{{{holidays},"working_saturdays":[{{"date":"2026-01-09"}}]}}"#);
        let (list, index, reason) = entry_error(&weekday);
        assert_eq!((list, index), ("working_saturdays", 0));
        assert!(reason.contains("Fri"), "{reason}");
        let unknown =
            format!(r#"{{{holidays},"working_saturdays":[{{"date":"2026-01-10","replaces":"2026-01-05"}}]}}"#);
        assert!(entry_error(&unknown).2.contains("2026-01-05"));
        let clash = format!(r#"{{{holidays},"working_saturdays":[{{"date":"2026-01-02"}}]}}"#);
        assert_eq!(entry_error(&clash).0, "working_saturdays");
        let ok = format!(r#"{{{holidays},"working_saturdays":[{{"date":"2026-01-10","replaces":"2026-01-02"}}]}}"#);
        let cal = HolidayCalendar::from_json_str(&ok).unwrap();
        assert!(cal.is_working_day(date("2026-01-10")) && !cal.is_working_day(date("2026-01-02")));
    }

    #[test]
    fn malformed_files_are_rejected_with_the_file_named() {
        assert!(matches!(HolidayCalendar::from_json_str("{"), Err(CalendarError::Json(_))));
        // A misspelt key is an error, not a silently ignored flag.
        let typo = r#"{"holidays":[{"date":"2027-02-08","name_vi":"a","name_en":"a","estimated":true}]}"#;
        assert!(matches!(HolidayCalendar::from_json_str(typo), Err(CalendarError::Json(_))));

        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.json");
        let err = HolidayCalendar::load(&missing).unwrap_err();
        assert!(matches!(err, CalendarError::Io { .. }));
        assert!(err.to_string().contains("nope.json"), "{err}");

        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, r#"{"holidays":[{"date":"1/1/2026","name_vi":"a","name_en":"a"}]}"#).unwrap();
        let err = HolidayCalendar::load(&bad).unwrap_err().to_string();
        assert!(err.contains("bad.json") && err.contains("holidays[0]") && err.contains("1/1/2026"), "{err}");

        let good = dir.path().join("good.json");
        std::fs::write(&good, r#"{"name":"Test","holidays":[{"date":"2026-03-09","name_vi":"a","name_en":"a"}]}"#)
            .unwrap();
        let cal = HolidayCalendar::load(&good).unwrap();
        assert_eq!(cal.name(), "Test");
        assert!(!cal.is_working_day(date("2026-03-09")));
    }

    /// Instants from 2025-01-01 to 2027-12-31 (UTC), to the second.
    fn instant() -> impl Strategy<Value = DateTime<Utc>> {
        let start = date("2025-01-01").and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp();
        let end = date("2027-12-31").and_hms_opt(23, 59, 59).unwrap().and_utc().timestamp();
        (start..=end).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap())
    }

    proptest! {
        #[test]
        fn the_deadline_falls_at_the_end_of_a_working_day(from in instant(), n in 1u32..=30) {
            let cal = HolidayCalendar::vietnam();
            let d = cal.deadline(from, n);
            let local = d.with_timezone(&Ho_Chi_Minh);
            prop_assert!(cal.is_working_day(local.date_naive()), "{local} is not a working day");
            prop_assert_eq!((local.hour(), local.minute(), local.second()), (23, 59, 59));
            prop_assert!(d > from);
        }

        #[test]
        fn exactly_n_working_days_lie_after_the_day_of_receipt(from in instant(), n in 0u32..=30) {
            let cal = HolidayCalendar::vietnam();
            let (first, last) = (local_date(from), local_date(cal.deadline(from, n)));
            let mut count = 0;
            let mut d = first;
            while d < last {
                d += Duration::days(1);
                count += u32::from(cal.is_working_day(d));
            }
            prop_assert_eq!(count, n);
            prop_assert_eq!(cal.deadline(from, n).with_timezone(&Ho_Chi_Minh).second(), 59);
        }

        #[test]
        fn one_more_day_always_gives_a_later_deadline(from in instant(), n in 0u32..=30) {
            let cal = HolidayCalendar::vietnam();
            prop_assert!(cal.deadline(from, n + 1) > cal.deadline(from, n));
        }

        #[test]
        fn receiving_later_never_gives_an_earlier_deadline(
            a in instant(), b in instant(), n in 0u32..=30,
        ) {
            let cal = HolidayCalendar::vietnam();
            let (early, late) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(cal.deadline(early, n) <= cal.deadline(late, n));
            // A second later in the same Vietnamese day changes nothing.
            let next = early + Duration::seconds(1);
            if local_date(next) == local_date(early) {
                prop_assert_eq!(cal.deadline(next, n), cal.deadline(early, n));
            }
        }
    }
}
