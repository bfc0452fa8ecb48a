//! Phone calls taken into tickets at the console: when the call began, how long it lasted and
//! where the phone system keeps its recording.
//!
//! Personal data, like the caller's name and number (the ticket's [`super::ReporterContact`]):
//! stored apart from the public ticket and shown only to those who may see the contact.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

use super::ValidationErrors;

/// Longest call accepted, in seconds (4 hours).
pub const MAX_CALL_SECONDS: i64 = 4 * 3600;
/// Longest recording reference accepted, in characters.
pub const MAX_RECORDING_REF_CHARS: usize = 300;
/// How far in the future a call may start: the phone system's clock and ours may differ a little.
pub const MAX_CLOCK_SKEW_MINUTES: i64 = 5;
/// How old a call may be when it is logged, in days.
pub const MAX_CALL_AGE_DAYS: i64 = 30;

/// The details of the call a ticket was taken from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CallRecord {
    /// When the call began (whole seconds).
    pub started_at: DateTime<Utc>,
    /// Length of the call in seconds, when known.
    pub duration_seconds: Option<u32>,
    /// Where the phone system keeps the recording: its id or URL, when there is one.
    pub recording_ref: Option<String>,
}

impl CallRecord {
    /// Validates a call logged at `now`; errors name `{prefix}started_at`,
    /// `{prefix}duration_seconds` and `{prefix}recording_ref`. The start is kept to the second
    /// (what phone systems log), the reference trimmed, an empty one dropped.
    pub fn new(
        started_at: DateTime<Utc>,
        duration_seconds: Option<i64>,
        recording_ref: Option<&str>,
        now: DateTime<Utc>,
        prefix: &str,
    ) -> Result<Self, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        if started_at > now + Duration::minutes(MAX_CLOCK_SKEW_MINUTES) {
            errs.push(format!("{prefix}started_at"), "the call cannot start in the future");
        } else if started_at < now - Duration::days(MAX_CALL_AGE_DAYS) {
            errs.push(format!("{prefix}started_at"), format!("a call must be logged within {MAX_CALL_AGE_DAYS} days"));
        }
        let duration = match duration_seconds {
            None => None,
            Some(d) if (0..=MAX_CALL_SECONDS).contains(&d) => Some(d as u32),
            Some(_) => {
                errs.push(
                    format!("{prefix}duration_seconds"),
                    format!("must be a whole number of seconds from 0 to {MAX_CALL_SECONDS}"),
                );
                None
            }
        };
        let recording_ref = recording_ref.map(str::trim).filter(|r| !r.is_empty());
        if let Some(r) = recording_ref {
            if r.chars().count() > MAX_RECORDING_REF_CHARS {
                errs.push(
                    format!("{prefix}recording_ref"),
                    format!("must be at most {MAX_RECORDING_REF_CHARS} characters"),
                );
            } else if r.chars().any(char::is_control) {
                errs.push(format!("{prefix}recording_ref"), "must not contain control characters");
            }
        }
        errs.into_result()?;
        Ok(Self {
            started_at: started_at.trunc_subsecs(0),
            duration_seconds: duration,
            recording_ref: recording_ref.map(str::to_owned),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 5, 8, 30, 0).unwrap()
    }

    fn fields(e: ValidationErrors) -> Vec<String> {
        e.0.into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn a_call_is_kept_to_the_second_with_its_reference_trimmed() {
        let start = now() - Duration::seconds(95) + Duration::milliseconds(250);
        let c =
            CallRecord::new(start, Some(95), Some("  pbx/2026/11/05/0830-0905123456.wav "), now(), "call.").unwrap();
        assert_eq!(c.started_at, now() - Duration::seconds(95));
        assert_eq!(c.duration_seconds, Some(95));
        assert_eq!(c.recording_ref.as_deref(), Some("pbx/2026/11/05/0830-0905123456.wav"));
        let bare = CallRecord::new(now(), None, Some("   "), now(), "call.").unwrap();
        assert_eq!((bare.duration_seconds, bare.recording_ref), (None, None));
    }

    #[test]
    fn every_bad_field_is_named() {
        let e =
            CallRecord::new(now() + Duration::hours(1), Some(-1), Some(&"x".repeat(301)), now(), "call.").unwrap_err();
        assert_eq!(fields(e), ["call.started_at", "call.duration_seconds", "call.recording_ref"]);
        let e = CallRecord::new(now() - Duration::days(31), Some(MAX_CALL_SECONDS + 1), Some("a\u{7}b"), now(), "")
            .unwrap_err();
        assert_eq!(fields(e), ["started_at", "duration_seconds", "recording_ref"]);
    }

    #[test]
    fn a_little_clock_skew_is_tolerated() {
        assert!(CallRecord::new(now() + Duration::minutes(4), Some(0), None, now(), "").is_ok());
        assert!(CallRecord::new(now() - Duration::days(29), Some(MAX_CALL_SECONDS), None, now(), "").is_ok());
    }
}
