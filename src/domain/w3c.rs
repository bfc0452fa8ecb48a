//! W3C date-time (the ISO 8601 profile of <https://www.w3.org/TR/NOTE-datetime>), as Open311
//! clients send it: `2026-11-05T08:30:00+07:00`, `2026-11-05T01:30:00Z`, with or without
//! seconds and fractions, or a bare date `2026-11-05`.
//!
//! A value without a time zone (a bare date, or a date-time some clients send without one) is
//! read in Vietnam time (Asia/Ho_Chi_Minh, UTC+7), the time the city works in.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// Whether a bare date stands for the first or the last instant of its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayEdge {
    Start,
    End,
}

/// Parses a W3C date-time; `None` if it is not one. A `+` that a client forgot to
/// percent-encode arrives as a space (`…T08:30:00 07:00`) and is read as the `+` it was.
pub fn parse(raw: &str, edge: DayEdge) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    let repaired;
    let s = match s.char_indices().rev().find(|&(_, c)| c == ' ') {
        Some((i, _)) if i > 10 => {
            repaired = format!("{}+{}", &s[..i], &s[i + 1..]);
            repaired.as_str()
        }
        _ => s,
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    // Hours and minutes without seconds, which the W3C profile allows.
    let zoned = s.strip_suffix('Z').map(|p| format!("{p}+00:00"));
    if let Ok(t) = DateTime::parse_from_str(zoned.as_deref().unwrap_or(s), "%Y-%m-%dT%H:%M%:z") {
        return Some(t.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, f) {
            return local(n);
        }
    }
    let day = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    match edge {
        DayEdge::Start => local(day.and_time(NaiveTime::MIN)),
        DayEdge::End => local(day.succ_opt()?.and_time(NaiveTime::MIN)).map(|t| t - chrono::Duration::microseconds(1)),
    }
}

fn local(n: NaiveDateTime) -> Option<DateTime<Utc>> {
    chrono_tz::Asia::Ho_Chi_Minh.from_local_datetime(&n).single().map(|t| t.with_timezone(&Utc))
}

/// Formats an instant the way Open311 shows times: Vietnam time with its offset, to the
/// second (`2026-11-05T15:30:00+07:00`).
pub fn format(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn reads_every_w3c_form_open311_clients_send() {
        let t = utc("2026-11-05T01:30:00Z");
        for s in [
            "2026-11-05T01:30:00Z",
            "2026-11-05T08:30:00+07:00",
            "2026-11-05T08:30:00 07:00",
            "2026-11-05T08:30+07:00",
            "2026-11-05T01:30Z",
            "2026-11-05T08:30:00",
            " 2026-11-05T08:30:00.000+07:00 ",
        ] {
            assert_eq!(parse(s, DayEdge::Start), Some(t), "{s}");
        }
        assert_eq!(parse("2026-11-05", DayEdge::Start), Some(utc("2026-11-04T17:00:00Z")));
        assert_eq!(parse("2026-11-05", DayEdge::End), Some(utc("2026-11-05T16:59:59.999999Z")));
        for bad in ["", "yesterday", "2026-13-01", "05/11/2026", "2026-11-05T25:00:00Z"] {
            assert_eq!(parse(bad, DayEdge::Start), None, "{bad}");
        }
    }

    #[test]
    fn formats_in_vietnam_time_with_the_offset() {
        assert_eq!(format(utc("2026-11-05T01:30:00.123Z")), "2026-11-05T08:30:00+07:00");
    }
}
