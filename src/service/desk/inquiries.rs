//! Inquiry calls (a question answered, passed on, or to be returned, without a ticket) and the
//! callback list.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Desk, operator};
use crate::domain::desk::{
    self, Callback, CallbackAction, CallbackError, CallbackSource, CallbackState, Inquiry, InquiryOutcome,
    MAX_ANSWER_CHARS, MAX_CALL_ID_CHARS, MAX_NAME_CHARS, MAX_TOPIC_CHARS,
};
use crate::domain::{CallRecord, Principal, ValidationErrors};
use crate::service::{ServiceError, ServiceResult};

/// Most inquiries or callbacks in one page.
pub const MAX_PAGE: i64 = 200;

/// An inquiry call as the console records it (`POST /api/v1/inquiries`).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InquiryInput {
    /// The phone system's id of the call (from the screen pop): the call's time, length,
    /// recording and caller's number are taken from it when not given, and its length and
    /// recording filled in when it ends.
    #[serde(default)]
    pub call_id: Option<String>,
    /// When the call began (RFC 3339); by default the PBX call's start, or now.
    #[serde(default)]
    pub started_at: Option<DateTime<Utc>>,
    /// 0 to 14 400.
    #[serde(default)]
    pub duration_seconds: Option<i64>,
    #[serde(default)]
    pub recording_ref: Option<String>,
    /// The caller's name and number: personal data, shown only to the centre.
    #[serde(default)]
    pub caller_name: Option<String>,
    #[serde(default)]
    pub caller_phone: Option<String>,
    /// What the caller asked about (by default the procedure's name).
    #[serde(default)]
    pub topic: Option<String>,
    /// The catalogue's procedure the answer came from (its code).
    #[serde(default)]
    pub procedure: Option<String>,
    /// What the caller was told (required when the outcome is `answered`).
    #[serde(default)]
    pub answer: Option<String>,
    pub outcome: InquiryOutcome,
    /// The department the call was put through to (required for `transferred`).
    #[serde(default)]
    pub transferred_to: Option<String>,
    /// The ticket filed in the call, its id or code (required for `ticket_filed`).
    #[serde(default)]
    pub ticket: Option<String>,
    /// For `callback`: when to call back (by default in two hours) and why.
    #[serde(default)]
    pub callback_due: Option<DateTime<Utc>>,
    #[serde(default)]
    pub callback_reason: Option<String>,
}

/// A recorded inquiry and the callback it opened.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RecordedInquiry {
    #[serde(flatten)]
    pub inquiry: Inquiry,
    pub callback: Option<Callback>,
    /// The same idempotency key was used before: this is what it recorded.
    #[serde(skip)]
    pub replayed: bool,
}

impl Desk {
    /// Records an inquiry call (admins and operators), with the callback it opens for
    /// `callback`. A retry with the same idempotency key records nothing more and answers the
    /// first one (a retry with another body is refused).
    pub async fn record_inquiry(
        &self,
        p: &Principal,
        input: InquiryInput,
        key: Option<&str>,
    ) -> ServiceResult<RecordedInquiry> {
        let operator = operator(p)?;
        let now = Utc::now();
        let mut errs = ValidationErrors::new();
        let call_id = desk::token(input.call_id.as_deref(), "call_id", MAX_CALL_ID_CHARS, false, &mut errs);
        let pbx = match &call_id {
            Some(id) => match self.store().pbx_call(id).await? {
                Some(c) => Some(c),
                None => {
                    errs.push("call_id", format!("the phone system has told of no call {id}"));
                    None
                }
            },
            None => None,
        };
        let started = input.started_at.or(pbx.as_ref().and_then(|c| c.started_at())).unwrap_or(now);
        let duration = input.duration_seconds.or(pbx.as_ref().and_then(|c| c.duration_seconds.map(i64::from)));
        let recording = input.recording_ref.clone().or(pbx.as_ref().and_then(|c| c.recording_ref.clone()));
        let call = errs.take(CallRecord::new(started, duration, recording.as_deref(), now, ""));
        let caller_name = desk::text(input.caller_name.as_deref(), "caller_name", MAX_NAME_CHARS, false, &mut errs);
        let caller_phone = desk::phone(input.caller_phone.as_deref(), "caller_phone", false, &mut errs)
            .or(pbx.as_ref().and_then(|c| c.caller_phone.clone()));
        let procedure = match input.procedure.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => None,
            Some(code) => match self.inner.procedures.get(code).await {
                Ok(d) => Some(d.procedure),
                Err(_) => {
                    errs.push("procedure", format!("no procedure {code:?} in the catalogue"));
                    None
                }
            },
        };
        let topic = desk::text(input.topic.as_deref(), "topic", MAX_TOPIC_CHARS, procedure.is_none(), &mut errs)
            .or(procedure.as_ref().map(|p| p.name.chars().take(MAX_TOPIC_CHARS).collect()));
        let outcome = input.outcome;
        let answer = desk::text(
            input.answer.as_deref(),
            "answer",
            MAX_ANSWER_CHARS,
            outcome == InquiryOutcome::Answered,
            &mut errs,
        );
        let transferred_to = desk::text(
            input.transferred_to.as_deref(),
            "transferred_to",
            MAX_NAME_CHARS,
            outcome == InquiryOutcome::Transferred,
            &mut errs,
        );
        let ticket = match input.ticket.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None if outcome == InquiryOutcome::TicketFiled => {
                errs.push("ticket", "is required when a ticket was filed");
                None
            }
            None => None,
            Some(raw) => match self.inner.tickets.resolve(raw).await {
                Ok(id) => Some(id),
                Err(_) => {
                    errs.push("ticket", format!("no ticket {raw:?}"));
                    None
                }
            },
        };
        let reason = desk::text(input.callback_reason.as_deref(), "callback_reason", MAX_NAME_CHARS, false, &mut errs);
        let due = input.callback_due.unwrap_or(now + Duration::from_std(self.settings().callback_due).expect("hours"));
        if outcome == InquiryOutcome::Callback {
            desk::check_due(due, now, "callback_due", &mut errs);
            if caller_phone.is_none() {
                errs.push("caller_phone", "is required to call the caller back");
            }
        } else if input.callback_due.is_some() || input.callback_reason.is_some() {
            errs.push("callback_due", "is only for the outcome callback");
        }
        errs.into_result()?;
        let inquiry = Inquiry {
            id: Uuid::now_v7(),
            call: call.expect("validated"),
            call_id,
            caller_name,
            caller_phone,
            topic: topic.expect("validated"),
            field: procedure.as_ref().map(|p| p.field.clone()),
            procedure: procedure.map(|p| p.code.as_str().to_owned()),
            answer: answer.unwrap_or_default(),
            outcome,
            transferred_to,
            ticket,
            operator: operator.clone(),
            created_at: now,
        };
        let caller_key = inquiry.caller_phone.as_deref().and_then(|n| self.key_of(n));
        let callback = (outcome == InquiryOutcome::Callback).then(|| Callback {
            id: Uuid::now_v7(),
            source: CallbackSource::Inquiry,
            inquiry: Some(inquiry.id),
            call_id: None,
            caller_name: inquiry.caller_name.clone(),
            caller_phone: inquiry.caller_phone.clone().expect("validated"),
            reason: reason.unwrap_or_else(|| inquiry.topic.clone()),
            due_at: due,
            owner: Some(operator),
            state: CallbackState::Open,
            attempts: 0,
            missed_calls: 0,
            note: None,
            created_at: now,
            updated_at: now,
            closed_at: None,
            closed_by: None,
            version: 1,
        });
        let (stored, replayed) =
            self.store().insert_inquiry(&inquiry, caller_key.as_deref(), key, callback.as_ref()).await?;
        if replayed && !same_inquiry(&stored, &inquiry) {
            return Err(ServiceError::IdempotencyMismatch);
        }
        let callback = match (replayed, callback) {
            (false, c) => c,
            (true, _) => self.store().callback_of_inquiry(stored.id).await?,
        };
        Ok(RecordedInquiry { inquiry: stored, callback, replayed })
    }

    /// One inquiry (admins and operators).
    pub async fn inquiry(&self, p: &Principal, id: Uuid) -> ServiceResult<Inquiry> {
        operator(p)?;
        self.store().inquiry(id).await?.ok_or_else(|| ServiceError::NotFound(format!("inquiry {id}")))
    }

    /// The latest inquiries begun before `before`, newest first (admins and operators).
    pub async fn inquiries(
        &self,
        p: &Principal,
        before: Option<DateTime<Utc>>,
        limit: i64,
    ) -> ServiceResult<Vec<Inquiry>> {
        operator(p)?;
        Ok(self.store().inquiries(before, limit.clamp(1, MAX_PAGE)).await?)
    }

    /// Callbacks in `state` (admins and operators): open ones soonest due first.
    pub async fn callbacks(&self, p: &Principal, state: CallbackState, limit: i64) -> ServiceResult<Vec<Callback>> {
        operator(p)?;
        Ok(self.store().callbacks(state, limit.clamp(1, MAX_PAGE)).await?)
    }

    /// Takes, releases, retries, settles or cancels a callback. `version`, when given, must be
    /// the callback's (else 409: someone else changed it).
    pub async fn act_on_callback(
        &self,
        p: &Principal,
        id: Uuid,
        action: CallbackAction,
        version: Option<i64>,
    ) -> ServiceResult<Callback> {
        let operator = operator(p)?;
        let current =
            self.store().callback(id).await?.ok_or_else(|| ServiceError::NotFound(format!("callback {id}")))?;
        if version.is_some_and(|v| v != current.version) {
            return Err(ServiceError::Conflict(format!(
                "the callback is at version {} now; reload it and try again",
                current.version
            )));
        }
        let next = current.apply(&action, &operator, Utc::now()).map_err(|e| match e {
            CallbackError::Invalid(v) => ServiceError::Validation(v),
            other => ServiceError::Conflict(other.to_string()),
        })?;
        if !self.store().update_callback(&next).await? {
            return Err(ServiceError::Conflict("someone else changed the callback at the same time; reload it".into()));
        }
        Ok(next)
    }
}

/// A retry's inquiry is the first one if it says the same (ids and times aside).
fn same_inquiry(a: &Inquiry, b: &Inquiry) -> bool {
    (a.call_id.as_deref(), a.caller_phone.as_deref(), a.topic.as_str(), a.procedure.as_deref(), a.outcome)
        == (b.call_id.as_deref(), b.caller_phone.as_deref(), b.topic.as_str(), b.procedure.as_deref(), b.outcome)
        && (a.answer.as_str(), a.transferred_to.as_deref(), a.ticket)
            == (b.answer.as_str(), b.transferred_to.as_deref(), b.ticket)
}
