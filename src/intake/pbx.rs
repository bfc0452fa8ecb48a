//! The phone system's call events (`POST /webhooks/pbx`, `docs/pbx.md`): the generic JSON form
//! every adapter sends (the Asterisk relay in `scripts/pbx/` among them), parsed into
//! [`CallEvent`]s with every fault named by its path (`events[2].caller`).
//!
//! ```json
//! {"call_id": "1733389200.42", "event": "answered", "at": "2026-12-05T08:00:00Z",
//!  "caller": "0905123456", "extension": "101"}
//! ```
//! or `{"events": [ … ]}` with 1 to [`MAX_EVENTS`] of them.

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use crate::domain::ValidationErrors;
use crate::domain::call::{MAX_CALL_AGE_DAYS, MAX_CALL_SECONDS, MAX_CLOCK_SKEW_MINUTES, MAX_RECORDING_REF_CHARS};
use crate::domain::desk::{self, CallEvent, CallEventKind, MAX_CALL_ID_CHARS, MAX_EXTENSION_CHARS};

/// Most events in one call of the webhook.
pub const MAX_EVENTS: usize = 100;

const FIELDS: [&str; 7] = ["call_id", "event", "at", "caller", "extension", "duration_seconds", "recording_ref"];

/// Parses a webhook body received at `now`. All or nothing: one bad event refuses the body,
/// each fault named (`events[i].field`, or `field` for a single event).
pub fn parse(body: &[u8], now: DateTime<Utc>) -> Result<Vec<CallEvent>, ValidationErrors> {
    let json: Value = serde_json::from_slice(body)
        .map_err(|e| ValidationErrors::single("body", format!("must be a JSON object: {e}")))?;
    let Value::Object(top) = json else {
        return Err(ValidationErrors::single("body", "must be a JSON object (one event, or {\"events\": [...]})"));
    };
    if let Some(list) = top.get("events") {
        if let Some(other) = top.keys().find(|k| *k != "events") {
            return Err(ValidationErrors::single(other.as_str(), "unknown field beside \"events\""));
        }
        let Value::Array(list) = list else {
            return Err(ValidationErrors::single("events", "must be an array of events"));
        };
        if list.is_empty() || list.len() > MAX_EVENTS {
            return Err(ValidationErrors::single("events", format!("must hold 1 to {MAX_EVENTS} events")));
        }
        let mut errs = ValidationErrors::new();
        let events: Vec<_> =
            list.iter().enumerate().filter_map(|(i, v)| event(v, &format!("events[{i}]."), now, &mut errs)).collect();
        errs.into_result()?;
        return Ok(events);
    }
    let mut errs = ValidationErrors::new();
    let one = event(&Value::Object(top), "", now, &mut errs);
    errs.into_result()?;
    Ok(one.into_iter().collect())
}

/// A string, or a number written as one (PBXs send extensions and numbers either way).
fn string<'a>(v: Option<&'a Value>, field: &str, errs: &mut ValidationErrors) -> Option<std::borrow::Cow<'a, str>> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str().into()),
        Some(Value::Number(n)) if n.is_u64() => Some(n.to_string().into()),
        Some(_) => {
            errs.push(field, "must be a string");
            None
        }
    }
}

fn event(v: &Value, prefix: &str, now: DateTime<Utc>, errs: &mut ValidationErrors) -> Option<CallEvent> {
    let f = |name: &str| format!("{prefix}{name}");
    let Value::Object(o) = v else {
        errs.push(prefix.trim_end_matches('.').to_owned(), "must be an object");
        return None;
    };
    let before = errs.0.len();
    if let Some(k) = o.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        errs.push(f(k), format!("unknown field; an event has {}", FIELDS.join(", ")));
    }
    let call_id = string(o.get("call_id"), &f("call_id"), errs);
    let call_id = desk::token(call_id.as_deref(), &f("call_id"), MAX_CALL_ID_CHARS, true, errs);
    let kind = match string(o.get("event"), &f("event"), errs).as_deref() {
        Some("ringing") => Some(CallEventKind::Ringing),
        Some("answered") => Some(CallEventKind::Answered),
        Some("ended") => Some(CallEventKind::Ended),
        Some("missed") => Some(CallEventKind::Missed),
        Some(_) => {
            errs.push(f("event"), "must be one of ringing, answered, ended, missed");
            None
        }
        None => {
            errs.push(f("event"), "is required");
            None
        }
    };
    let at = match string(o.get("at"), &f("at"), errs) {
        None => Some(now),
        Some(s) => match DateTime::parse_from_rfc3339(&s) {
            Ok(t) => {
                let t = t.to_utc();
                if t > now + Duration::minutes(MAX_CLOCK_SKEW_MINUTES) {
                    errs.push(f("at"), "must not be in the future");
                    None
                } else if t < now - Duration::days(MAX_CALL_AGE_DAYS) {
                    errs.push(f("at"), format!("must be within the last {MAX_CALL_AGE_DAYS} days"));
                    None
                } else {
                    Some(t)
                }
            }
            Err(_) => {
                errs.push(f("at"), "must be an RFC 3339 time, e.g. 2026-12-05T08:00:00Z");
                None
            }
        },
    };
    let caller = string(o.get("caller"), &f("caller"), errs);
    // A withheld number is no number.
    let withheld = |c: &str| {
        ["anonymous", "unknown", "private", "restricted", "withheld"].contains(&c.to_ascii_lowercase().as_str())
    };
    let caller = match caller.as_deref().map(str::trim).filter(|c| !c.is_empty() && !withheld(c)) {
        None => None,
        Some(c) => match desk::normalise_phone(c) {
            Some(n) => Some(n),
            None => {
                errs.push(f("caller"), "must be a phone number of 3 to 15 digits");
                None
            }
        },
    };
    let extension = string(o.get("extension"), &f("extension"), errs);
    let extension = desk::token(extension.as_deref(), &f("extension"), MAX_EXTENSION_CHARS, false, errs);
    let duration = match o.get("duration_seconds") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_i64() {
            Some(d) if (0..=MAX_CALL_SECONDS).contains(&d) => Some(d as u32),
            _ => {
                errs.push(f("duration_seconds"), format!("must be a whole number from 0 to {MAX_CALL_SECONDS}"));
                None
            }
        },
        Some(_) => {
            errs.push(f("duration_seconds"), "must be a number");
            None
        }
    };
    let recording = string(o.get("recording_ref"), &f("recording_ref"), errs);
    let recording = desk::text(recording.as_deref(), &f("recording_ref"), MAX_RECORDING_REF_CHARS, false, errs);
    match kind {
        Some(CallEventKind::Answered) if extension.is_none() && o.get("extension").is_none() => {
            errs.push(f("extension"), "is required when a call is answered");
        }
        _ => {}
    }
    if errs.0.len() > before {
        return None;
    }
    Some(CallEvent {
        call_id: call_id?,
        kind: kind?,
        at: at?,
        caller,
        extension,
        duration_seconds: duration,
        recording_ref: recording,
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 5, 2, 0, 0).unwrap()
    }

    fn fields(e: ValidationErrors) -> Vec<String> {
        e.0.into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn one_event_or_a_list_is_read_with_the_number_normalised() {
        let one = br#"{"call_id":"1733389200.42","event":"ringing","at":"2026-12-05T01:59:58Z","caller":"+84 905 123 456","extension":101}"#;
        let e = parse(one, now()).unwrap();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].caller.as_deref(), Some("0905123456"));
        assert_eq!(e[0].extension.as_deref(), Some("101"));
        assert_eq!(e[0].at, now() - Duration::seconds(2));
        let list = br#"{"events":[
            {"call_id":"c1","event":"answered","extension":"101"},
            {"call_id":"c1","event":"ended","duration_seconds":95,"recording_ref":"2026/12/05/c1.wav"}]}"#;
        let e = parse(list, now()).unwrap();
        assert_eq!(e[1].kind, CallEventKind::Ended);
        assert_eq!((e[1].duration_seconds, e[1].recording_ref.as_deref()), (Some(95), Some("2026/12/05/c1.wav")));
        assert_eq!(e[0].at, now(), "an event without a time is taken as received now");
    }

    #[test]
    fn every_fault_is_named_by_its_path() {
        let bad = br#"{"events":[
            {"call_id":"c1","event":"hung up","caller":"abc"},
            {"call_id":"has space","event":"answered"},
            {"call_id":"c3","event":"ended","duration_seconds":-4,"at":"yesterday","colour":"red"},
            {"call_id":"c4","event":"missed","caller":"anonymous"}]}"#;
        let e = parse(bad, now()).unwrap_err();
        assert_eq!(
            fields(e),
            [
                "events[0].event",
                "events[0].caller",
                "events[1].call_id",
                "events[1].extension",
                "events[2].colour",
                "events[2].at",
                "events[2].duration_seconds",
            ]
        );
        assert_eq!(fields(parse(b"[1,2]", now()).unwrap_err()), ["body"]);
        assert_eq!(fields(parse(b"{\"events\":[]}", now()).unwrap_err()), ["events"]);
        assert_eq!(fields(parse(b"{\"events\":[], \"x\":1}", now()).unwrap_err()), ["x"]);
        assert_eq!(fields(parse(b"not json", now()).unwrap_err()), ["body"]);
        let future = br#"{"call_id":"c","event":"ringing","caller":"0905123456","at":"2026-12-05T03:00:00Z"}"#;
        assert_eq!(fields(parse(future, now()).unwrap_err()), ["at"]);
    }

    #[test]
    fn too_many_events_are_refused_whole() {
        let many = format!("{{\"events\":[{}]}}", vec![r#"{"call_id":"c","event":"ended"}"#; MAX_EVENTS + 1].join(","));
        assert_eq!(fields(parse(many.as_bytes(), now()).unwrap_err()), ["events"]);
    }
}
