//! The `datetime` parameter of OGC API – Features: an RFC 3339 instant, or an interval
//! `start/end` whose ends may be open (`..` or empty). A bare date stands for its whole day (UTC).

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::domain::ValidationErrors;

/// A closed time interval; `None` ends are open (unbounded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Interval {
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
}

impl Interval {
    /// One instant.
    pub fn instant(t: DateTime<Utc>) -> Self {
        Self { start: Some(t), end: Some(t) }
    }

    /// From `start` to `end` (open when `None`).
    pub fn between(start: Option<DateTime<Utc>>, end: Option<DateTime<Utc>>) -> Self {
        Self { start, end }
    }

    /// A whole day, UTC.
    pub fn day(d: NaiveDate) -> Self {
        let start = d.and_time(NaiveTime::MIN).and_utc();
        let end = d.and_hms_micro_opt(23, 59, 59, 999_999).map(|t| t.and_utc());
        Self { start: Some(start), end }
    }

    /// Parses the `datetime` parameter; errors name `field`.
    pub fn parse(s: &str, field: &str) -> Result<Self, ValidationErrors> {
        let bad = || {
            ValidationErrors::single(
                field,
                "an RFC 3339 date-time (2026-11-05T08:30:00Z), a date, or an interval start/end with `..` for an open end",
            )
        };
        let s = s.trim();
        match s.split_once('/') {
            None => match parse_point(s).ok_or_else(bad)? {
                Point::Instant(t) => Ok(Self::instant(t)),
                Point::Day(d) => Ok(Self::day(d)),
            },
            Some((a, b)) => {
                let open = |x: &str| x.is_empty() || x == "..";
                if open(a) && open(b) {
                    return Err(bad());
                }
                let start = if open(a) { None } else { Some(parse_point(a).ok_or_else(bad)?.start()) };
                let end = if open(b) { None } else { Some(parse_point(b).ok_or_else(bad)?.end()) };
                if let (Some(x), Some(y)) = (start, end)
                    && x > y
                {
                    return Err(ValidationErrors::single(field, "the interval's start is after its end"));
                }
                Ok(Self { start, end })
            }
        }
    }

    /// Whether the two intervals share an instant (ends included).
    pub fn intersects(&self, other: &Interval) -> bool {
        let starts_before_other_ends = match (self.start, other.end) {
            (Some(s), Some(e)) => s <= e,
            _ => true,
        };
        let ends_after_other_starts = match (self.end, other.start) {
            (Some(e), Some(s)) => e >= s,
            _ => true,
        };
        starts_before_other_ends && ends_after_other_starts
    }

    /// `[start, end]` as RFC 3339 texts or `null`, as an extent's `interval` writes it.
    pub fn to_json(self) -> serde_json::Value {
        let t = |x: Option<DateTime<Utc>>| x.map_or(serde_json::Value::Null, |t| rfc3339(t).into());
        serde_json::json!([t(self.start), t(self.end)])
    }
}

/// `2026-11-05T08:30:00Z` (seconds, or microseconds when there are any).
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

enum Point {
    Instant(DateTime<Utc>),
    Day(NaiveDate),
}

impl Point {
    fn start(&self) -> DateTime<Utc> {
        match self {
            Point::Instant(t) => *t,
            Point::Day(d) => Interval::day(*d).start.expect("a day has a start"),
        }
    }

    fn end(&self) -> DateTime<Utc> {
        match self {
            Point::Instant(t) => *t,
            Point::Day(d) => Interval::day(*d).end.expect("a day has an end"),
        }
    }
}

fn parse_point(s: &str) -> Option<Point> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(Point::Instant(t.with_timezone(&Utc)));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(Point::Day)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn t(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap()
    }

    #[test]
    fn instants_intervals_open_ends_and_days_parse() {
        assert_eq!(Interval::parse("2026-01-02T00:00:00Z", "datetime").unwrap(), Interval::instant(t(2026, 1, 2)));
        assert_eq!(Interval::parse("2026-01-02T07:00:00+07:00", "datetime").unwrap(), Interval::instant(t(2026, 1, 2)));
        let i = Interval::parse("2026-01-01T00:00:00Z/..", "datetime").unwrap();
        assert_eq!((i.start, i.end), (Some(t(2026, 1, 1)), None));
        let i = Interval::parse("../2026-01-01T00:00:00Z", "datetime").unwrap();
        assert_eq!((i.start, i.end), (None, Some(t(2026, 1, 1))));
        let i = Interval::parse("/2026-01-01T00:00:00Z", "datetime").unwrap();
        assert_eq!(i.start, None);
        let day = Interval::parse("2023-04-14", "datetime").unwrap();
        assert_eq!(day.start, Some(t(2023, 4, 14)));
        assert!(day.end.unwrap() < t(2023, 4, 15));
        let span = Interval::parse("2023-01-01/2023-12-31", "datetime").unwrap();
        assert!(span.end.unwrap() > Utc.with_ymd_and_hms(2023, 12, 31, 23, 0, 0).unwrap());
    }

    #[test]
    fn nonsense_and_backwards_intervals_are_refused_naming_the_field() {
        for bad in ["", "yesterday", "../..", "/", "2026-13-01", "2026-01-02T00:00:00Z/2026-01-01T00:00:00Z"] {
            assert_eq!(Interval::parse(bad, "datetime").unwrap_err().0[0].field, "datetime", "{bad:?}");
        }
    }

    #[test]
    fn intersection_includes_the_ends_and_open_sides() {
        let jan = Interval::between(Some(t(2026, 1, 1)), Some(t(2026, 2, 1)));
        assert!(jan.intersects(&Interval::instant(t(2026, 2, 1))));
        assert!(!jan.intersects(&Interval::instant(t(2026, 2, 2))));
        assert!(jan.intersects(&Interval::between(None, Some(t(2026, 1, 1)))));
        assert!(!jan.intersects(&Interval::between(Some(t(2026, 3, 1)), None)));
        let open = Interval::between(Some(t(2025, 1, 1)), None);
        assert!(open.intersects(&Interval::instant(t(2030, 1, 1))));
    }
}
