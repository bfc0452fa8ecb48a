//! Public offices where citizens book appointments and take queue numbers (`docs/appointments.md`):
//! an office with its counters, opening hours on the working-day calendar, booking rules and
//! services; the slots a day offers. Pure: the calendar and the instant come in as arguments.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};

use super::desk::text;
use super::schedule::{vietnam_date, vietnam_instant};
use super::{AreaCode, HolidayCalendar, ProcedureCode, ValidationErrors};

/// Most counters an office may have.
pub const MAX_COUNTERS: u16 = 99;
/// Most services an office may offer.
pub const MAX_SERVICES: usize = 40;
/// Most days ahead a booking may be made.
pub const MAX_DAYS_AHEAD: u16 = 60;

/// An office's code: `DN-HCC`, `DN-HC-MC` (upper-case letters, digits and dashes, 2–32).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct OfficeId(String);

impl OfficeId {
    pub fn parse(raw: &str, field: &str) -> Result<Self, ValidationErrors> {
        let s = raw.trim();
        let ok = (2..=32).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-');
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(ValidationErrors::single(field, "must be 2–32 upper-case letters, digits and dashes (DN-HCC)"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for OfficeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A service of an office: what people come for, with its slot length and how many people one
/// slot takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OfficeService {
    /// `dat-dai`, `cccd`: lower-case letters, digits and dashes, unique in the office.
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    /// Procedures of the catalogue this service handles.
    #[serde(default)]
    pub procedures: Vec<ProcedureCode>,
    /// Minutes a slot lasts (5–240).
    pub slot_minutes: u16,
    /// People one slot takes (1–500).
    pub capacity: u16,
}

/// Opening hours per weekday (Vietnam time): spans `[open, close)`; a day left out is closed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OpeningHours(pub BTreeMap<String, Vec<[String; 2]>>);

/// A period an office is closed (a storm, a power cut), `[from, to)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Closure {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub reason: String,
}

/// An office as admins edit it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Office {
    pub id: OfficeId,
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    #[serde(default)]
    pub area: Option<AreaCode>,
    /// Counters numbered 1..=counters.
    pub counters: u16,
    /// `{"mon": [["07:30", "11:30"], ["13:30", "17:00"]], …}`.
    #[schema(value_type = std::collections::BTreeMap<String, Vec<Vec<String>>>)]
    pub hours: OpeningHours,
    /// Bookings open for today and this many days after (0–60).
    pub days_ahead: u16,
    /// Bookings one person may hold for one day.
    pub per_person_per_day: u16,
    pub services: Vec<OfficeService>,
}

/// Why a day offers no slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClosedReason {
    Holiday,
    Closed,
    Closure,
    OutsideWindow,
}

/// A slot of a service: `[starts_at, ends_at)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Slot {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn weekday_key(d: Weekday) -> &'static str {
    WEEKDAYS[d.num_days_from_monday() as usize]
}

fn parse_hm(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").ok()
}

impl OpeningHours {
    /// The spans of a weekday, parsed (validated offices only hold valid ones).
    fn spans(&self, key: &str) -> Vec<(NaiveTime, NaiveTime)> {
        self.0
            .get(key)
            .map(|v| v.iter().filter_map(|[a, b]| Some((parse_hm(a)?, parse_hm(b)?))).collect())
            .unwrap_or_default()
    }

    fn validate(&self, errs: &mut ValidationErrors) {
        for (day, spans) in &self.0 {
            let field = format!("hours.{day}");
            if !WEEKDAYS.contains(&day.as_str()) {
                errs.push(&field, "must be a weekday: mon, tue, wed, thu, fri, sat or sun");
                continue;
            }
            let mut last: Option<NaiveTime> = None;
            for (i, [a, b]) in spans.iter().enumerate() {
                match (parse_hm(a), parse_hm(b)) {
                    (Some(a), Some(b)) if a < b && last.is_none_or(|l| l <= a) => last = Some(b),
                    (Some(_), Some(_)) => {
                        errs.push(format!("{field}[{i}]"), "must open before it closes, after the previous span")
                    }
                    _ => errs.push(format!("{field}[{i}]"), "must be two times HH:MM"),
                }
            }
        }
    }
}

impl Office {
    /// Checks every field, naming each one at fault; trims the texts.
    pub fn validate(mut self) -> Result<Self, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        self.name = text(Some(&self.name), "name", 200, true, &mut errs).unwrap_or_default();
        self.address = text(Some(&self.address), "address", 300, false, &mut errs).unwrap_or_default();
        self.name_en = text(self.name_en.as_deref(), "name_en", 200, false, &mut errs);
        if !(-180.0..=180.0).contains(&self.lon) || !(-90.0..=90.0).contains(&self.lat) {
            errs.push("lon", "lon/lat must be WGS84 degrees");
        }
        if self.counters == 0 || self.counters > MAX_COUNTERS {
            errs.push("counters", format!("must be 1–{MAX_COUNTERS}"));
        }
        if self.days_ahead > MAX_DAYS_AHEAD {
            errs.push("days_ahead", format!("must be 0–{MAX_DAYS_AHEAD}"));
        }
        if self.per_person_per_day == 0 || self.per_person_per_day > 20 {
            errs.push("per_person_per_day", "must be 1–20");
        }
        self.hours.validate(&mut errs);
        if self.services.is_empty() || self.services.len() > MAX_SERVICES {
            errs.push("services", format!("must list 1–{MAX_SERVICES} services"));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, s) in self.services.iter_mut().enumerate() {
            let f = |n: &str| format!("services[{i}].{n}");
            s.name = text(Some(&s.name), &f("name"), 200, true, &mut errs).unwrap_or_default();
            s.name_en = text(s.name_en.as_deref(), &f("name_en"), 200, false, &mut errs);
            let id_ok = (1..=40).contains(&s.id.len())
                && s.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !id_ok {
                errs.push(f("id"), "must be 1–40 lower-case letters, digits and dashes");
            } else if !seen.insert(s.id.clone()) {
                errs.push(f("id"), "is used twice");
            }
            if !(5..=240).contains(&s.slot_minutes) {
                errs.push(f("slot_minutes"), "must be 5–240");
            }
            if !(1..=500).contains(&s.capacity) {
                errs.push(f("capacity"), "must be 1–500");
            }
            if s.procedures.len() > 200 {
                errs.push(f("procedures"), "at most 200");
            }
        }
        errs.into_result()?;
        Ok(self)
    }

    pub fn service(&self, id: &str) -> Option<&OfficeService> {
        self.services.iter().find(|s| s.id == id)
    }

    /// The first day that may not be booked any more: today + `days_ahead` + 1.
    pub fn window(&self, now: DateTime<Utc>) -> (NaiveDate, NaiveDate) {
        let today = vietnam_date(now);
        (today, today + Duration::days(i64::from(self.days_ahead)))
    }

    /// The opening spans of a day (Vietnam time): none on a holiday; Monday's on a make-up
    /// Saturday; otherwise the weekday's own.
    pub fn spans_on(
        &self,
        day: NaiveDate,
        calendar: &HolidayCalendar,
    ) -> Result<Vec<(NaiveTime, NaiveTime)>, ClosedReason> {
        if calendar.holiday(day).is_some() {
            return Err(ClosedReason::Holiday);
        }
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        let key = if weekend && calendar.is_working_day(day) { "mon" } else { weekday_key(day.weekday()) };
        let spans = self.hours.spans(key);
        if spans.is_empty() { Err(ClosedReason::Closed) } else { Ok(spans) }
    }

    /// Every slot of `service` on `day` by the hours and the calendar, closures not applied.
    pub fn slots_on(
        &self,
        service: &OfficeService,
        day: NaiveDate,
        calendar: &HolidayCalendar,
    ) -> Result<Vec<Slot>, ClosedReason> {
        let step = Duration::minutes(i64::from(service.slot_minutes));
        let mut out = Vec::new();
        for (open, close) in self.spans_on(day, calendar)? {
            let (mut at, end) = (vietnam_instant(day, open), vietnam_instant(day, close));
            while at + step <= end {
                out.push(Slot { starts_at: at, ends_at: at + step });
                at += step;
            }
        }
        Ok(out)
    }

    /// The slots of `service` on `day` a citizen may book at `now`: inside the booking window,
    /// starting after `now`, not overlapping a closure. `Err` says why there is none at all.
    pub fn bookable_slots(
        &self,
        service: &OfficeService,
        day: NaiveDate,
        calendar: &HolidayCalendar,
        closures: &[Closure],
        now: DateTime<Utc>,
    ) -> Result<Vec<Slot>, ClosedReason> {
        let (first, last) = self.window(now);
        if day < first || day > last {
            return Err(ClosedReason::OutsideWindow);
        }
        let all = self.slots_on(service, day, calendar)?;
        let open: Vec<Slot> = all
            .iter()
            .copied()
            .filter(|s| !closures.iter().any(|c| c.from < s.ends_at && s.starts_at < c.to))
            .collect();
        if open.is_empty() && !all.is_empty() {
            return Err(ClosedReason::Closure);
        }
        Ok(open.into_iter().filter(|s| s.starts_at > now).collect())
    }

    /// Whether `starts_at` is the start of a slot of `service` a citizen may book at `now`;
    /// the slot if so, else why not.
    pub fn bookable(
        &self,
        service: &OfficeService,
        starts_at: DateTime<Utc>,
        calendar: &HolidayCalendar,
        closures: &[Closure],
        now: DateTime<Utc>,
    ) -> Result<Slot, ClosedReason> {
        let day = vietnam_date(starts_at);
        let slots = self.bookable_slots(service, day, calendar, closures, now)?;
        slots.into_iter().find(|s| s.starts_at == starts_at).ok_or(ClosedReason::Closed)
    }
}

#[cfg(test)]
#[path = "office/tests.rs"]
mod tests;
