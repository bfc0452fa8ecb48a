//! Conversions between domain values and column values, shared by both stores: bad stored data
//! is reported as [`StoreError::Corrupt`] naming the table and column.

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};
use geo::MultiPolygon;
use serde::{Serialize, de::DeserializeOwned};
use uuid::Uuid;

use super::{StoreError, StoreResult};
use crate::domain::{Ticket, TicketEvent, TicketId};

/// The snake_case serde name of a unit-like enum (`Channel::Open311` → `"open311"`).
pub(crate) fn enum_str<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        // Only called with fieldless enums, which always serialise to a string.
        other => unreachable!("enum did not serialise to a string: {other:?}"),
    }
}

/// Parses a snake_case serde name back into its enum; `column` names where it came from.
pub(crate) fn parse_enum<T: DeserializeOwned>(s: &str, column: &str) -> StoreResult<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|e| StoreError::Corrupt(format!("{column}: unknown value {s:?} ({e})")))
}

/// Timestamps are kept to the microsecond (PostgreSQL's `timestamptz` resolution): the
/// stores truncate finer instants so both backends return the same values.
pub(crate) fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

/// Fixed-width UTC text (`2026-11-05T08:30:00.123456Z`) for SQLite: it sorts and compares as
/// text in time order.
pub(crate) fn ts_text(t: DateTime<Utc>) -> String {
    // The same text as the format `%Y-%m-%dT%H:%M:%S%.6fZ` (for years 0–9999), without
    // interpreting a format string for every value.
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// Parses [`ts_text`] output; `column` names where it came from.
/// (RFC 3339's parser first: it reads the fixed-width text without interpreting a format string,
/// several times faster, which counts when a million rows are read at start-up.)
pub(crate) fn parse_ts(s: &str, column: &str) -> StoreResult<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.to_utc());
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.fZ")
        .map(|n| n.and_utc())
        .map_err(|e| StoreError::Corrupt(format!("{column}: bad timestamp {s:?} ({e})")))
}

pub(crate) fn parse_uuid(s: &str, column: &str) -> StoreResult<Uuid> {
    Uuid::parse_str(s).map_err(|e| StoreError::Corrupt(format!("{column}: bad UUID {s:?} ({e})")))
}

/// A list of codes as a JSON array (SQLite's stand-in for `text[]`).
pub(crate) fn json_list<T: AsRef<str>>(items: &[T]) -> String {
    serde_json::Value::from(items.iter().map(|s| s.as_ref()).collect::<Vec<_>>()).to_string()
}

pub(crate) fn parse_json_list(s: &str, column: &str) -> StoreResult<Vec<String>> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("{column}: bad JSON list {s:?} ({e})")))
}

pub(crate) fn parse_json(s: &str, column: &str) -> StoreResult<serde_json::Value> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("{column}: bad JSON ({e})")))
}

/// Parses stored codes with a domain `parse` function, naming the column on failure.
pub(crate) fn parse_code<T, E: std::fmt::Display>(
    s: &str,
    column: &str,
    parse: impl Fn(&str, &str) -> Result<T, E>,
) -> StoreResult<T> {
    parse(s, column).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
}

pub(crate) fn parse_codes<T, E: std::fmt::Display>(
    items: &[String],
    column: &str,
    parse: impl Fn(&str, &str) -> Result<T, E>,
) -> StoreResult<Vec<T>> {
    items.iter().map(|s| parse_code(s, column, &parse)).collect()
}

/// A boundary as GeoJSON geometry text (SQLite). serde_json writes the shortest text that
/// reads back to the same `f64`, so the round trip is exact.
pub(crate) fn geojson_text(geometry: &MultiPolygon<f64>) -> String {
    geojson::Geometry::new(geojson::Value::from(geometry)).to_string()
}

/// Reads a boundary written by [`geojson_text`] (a `Polygon` is accepted as a one-part
/// MultiPolygon).
pub(crate) fn parse_geojson(s: &str, column: &str) -> StoreResult<MultiPolygon<f64>> {
    let bad = |e: &dyn std::fmt::Display| StoreError::Corrupt(format!("{column}: bad GeoJSON geometry ({e})"));
    let geometry: geojson::Geometry = s.parse().map_err(|e| bad(&e))?;
    match geometry.value {
        v @ geojson::Value::Polygon(_) => geo::Polygon::try_from(v).map(|p| MultiPolygon(vec![p])).map_err(|e| bad(&e)),
        v => MultiPolygon::try_from(v).map_err(|e| bad(&e)),
    }
}

/// The ticket as it will be stored: timestamps truncated to the microsecond.
pub(crate) fn normalise_ticket(mut t: Ticket) -> Ticket {
    t.received_at = micros(t.received_at);
    t.deadline = micros(t.deadline);
    t.resolved_at = t.resolved_at.map(micros);
    t.closed_at = t.closed_at.map(micros);
    t.updated_at = micros(t.updated_at);
    t
}

/// Checks that an event belongs to the ticket it is stored with.
pub(crate) fn check_ticket(ticket: &Ticket, event: &TicketEvent) -> StoreResult<()> {
    if event.ticket_id != ticket.id {
        return Err(StoreError::Invalid(format!(
            "event for ticket {} stored with ticket {}",
            event.ticket_id, ticket.id
        )));
    }
    Ok(())
}

/// Checks that an event belongs to the ticket it is stored with, and serialises the stored
/// ticket as the event's `data`.
pub(crate) fn event_data(ticket: &Ticket, event: &TicketEvent) -> StoreResult<serde_json::Value> {
    check_ticket(ticket, event)?;
    serde_json::to_value(ticket).map_err(|e| StoreError::Corrupt(format!("ticket {} as JSON: {e}", ticket.id)))
}

/// Maps a unique-constraint violation to [`StoreError::AlreadyExists`] naming `what`;
/// other errors pass through.
pub(crate) fn unique_to_exists(e: sqlx::Error, what: impl FnOnce() -> String) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::AlreadyExists(what()),
        _ => StoreError::Db(e),
    }
}

/// Puts rows fetched in any order back into the order of `ids` (ids not found are skipped,
/// repeated ids repeat their row).
pub(crate) fn in_order_of(ids: &[TicketId], tickets: Vec<Ticket>) -> Vec<Ticket> {
    let by_id: std::collections::HashMap<TicketId, Ticket> = tickets.into_iter().map(|t| (t.id, t)).collect();
    ids.iter().filter_map(|id| by_id.get(id).cloned()).collect()
}

/// `(id, value)` pairs put in the order of `ids` (ids without a pair are skipped).
pub(crate) fn in_order_of_keyed<T: Clone>(ids: &[TicketId], found: Vec<(TicketId, T)>) -> Vec<(TicketId, T)> {
    let by_id: std::collections::HashMap<TicketId, T> = found.into_iter().collect();
    ids.iter().filter_map(|id| by_id.get(id).map(|v| (*id, v.clone()))).collect()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::domain::{Channel, EventKind, Priority};

    #[test]
    fn timestamp_text_sorts_in_time_order_and_reads_back() {
        let a = Utc.with_ymd_and_hms(2026, 11, 5, 8, 30, 0).unwrap();
        let b = a + chrono::Duration::microseconds(1);
        let c = a + chrono::Duration::days(400);
        let (ta, tb, tc) = (ts_text(a), ts_text(b), ts_text(c));
        assert_eq!(ta, "2026-11-05T08:30:00.000000Z");
        // What the text always was: the format string's output, nanoseconds cut to micros.
        let odd = Utc.timestamp_opt(1_700_000_000, 123_456_789).unwrap();
        assert_eq!(ts_text(odd), odd.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string());
        assert_eq!(ts_text(odd), "2023-11-14T22:13:20.123456Z");
        assert!(ta < tb && tb < tc);
        assert_eq!(parse_ts(&tb, "x").unwrap(), b);
        assert!(matches!(parse_ts("yesterday", "t.c"), Err(StoreError::Corrupt(m)) if m.contains("t.c")));
    }

    #[test]
    fn micros_truncates_nanoseconds() {
        let t = Utc.timestamp_opt(1_700_000_000, 123_456_789).unwrap();
        assert_eq!(micros(t).timestamp_subsec_nanos(), 123_456_000);
    }

    #[test]
    fn enums_use_their_serde_names() {
        assert_eq!(enum_str(&Channel::Open311), "open311");
        assert_eq!(enum_str(&Priority::Urgent), "urgent");
        assert_eq!(parse_enum::<EventKind>("reopened", "events.kind").unwrap(), EventKind::Reopened);
        assert!(matches!(parse_enum::<Channel>("fax", "tickets.channel"), Err(StoreError::Corrupt(_))));
    }

    #[test]
    fn geojson_round_trip_is_exact() {
        // Coordinates whose shortest decimal form needs all 17 significant digits.
        let (x, y) = (108.0 + 1.0 / 3.0, 16.0 + 2f64.sqrt() / 10.0);
        let outer = geo::LineString::from(vec![(x, y), (108.5, 16.06), (108.5, 16.5), (x, y)]);
        let mp = MultiPolygon(vec![geo::Polygon::new(outer, vec![])]);
        assert_eq!(parse_geojson(&geojson_text(&mp), "g").unwrap(), mp);
    }
}
