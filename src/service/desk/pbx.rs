//! The phone system's side of the desk: call events from the PBX webhook, the operators'
//! extensions, the screen pop an operator's console waits for, and a caller's history (their
//! earlier tickets, inquiries and open callbacks, found by the keyed hash of their number).

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::{Desk, operator};
use crate::domain::desk::{
    self, CallEvent, CallEventKind, Callback, CallbackSource, CallbackState, Inquiry, MAX_EXTENSION_CHARS, PbxCall,
};
use crate::domain::{Principal, Status, TicketId, ValidationErrors};
use crate::service::ServiceResult;

/// How many earlier tickets and inquiries a caller's history shows.
pub const HISTORY: i64 = 10;
/// How long after its last event a call still shows on the operator's console.
const POP_WINDOW: chrono::Duration = chrono::Duration::minutes(15);
/// Contacts keyed per pass.
const KEY_BATCH: i64 = 500;

/// What became of one event of the webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CallEventResult {
    pub call_id: String,
    pub event: CallEventKind,
    /// `recorded`, or `duplicate` when this event of the call was recorded before.
    pub outcome: String,
}

/// One of the caller's earlier tickets.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HistoryTicket {
    pub id: TicketId,
    pub code: String,
    pub status: Status,
    pub category: String,
    pub category_name: String,
    pub received_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
    pub overdue: bool,
    /// The first 200 characters of the description.
    pub description: String,
    pub address: Option<String>,
}

/// What the centre knows of a caller: personal data, for the centre only.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct CallerHistory {
    /// Their tickets, newest first (at most 10).
    pub tickets: Vec<HistoryTicket>,
    /// Their inquiry calls, newest first (at most 10).
    pub inquiries: Vec<Inquiry>,
    /// Callbacks still owed to them.
    pub callbacks: Vec<Callback>,
}

/// A call on the operator's extension, with its caller's history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PoppedCall {
    #[serde(flatten)]
    pub call: PbxCall,
    pub history: CallerHistory,
}

/// The operator's calls of the last quarter hour, the latest first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScreenPop {
    /// The operator's extension, if they are on one.
    pub extension: Option<String>,
    /// When the latest call last changed: send it back as `after` to wait for the next change.
    pub revision: Option<DateTime<Utc>>,
    pub calls: Vec<PoppedCall>,
}

impl Desk {
    /// Records the PBX's call events in order, each once. A missed call opens a callback (or
    /// counts on the caller's open one).
    pub async fn receive_call_events(&self, events: Vec<CallEvent>) -> ServiceResult<Vec<CallEventResult>> {
        let now = Utc::now();
        let mut results = Vec::with_capacity(events.len());
        for e in events {
            // A missed call's number may have come with its ringing only.
            let caller = match (&e.caller, e.kind) {
                (None, CallEventKind::Missed) => self.store().pbx_call(&e.call_id).await?.and_then(|c| c.caller_phone),
                (c, _) => c.clone(),
            };
            let caller_key = caller.as_deref().and_then(|n| self.key_of(n));
            let operator = match &e.extension {
                Some(ext) => self.store().operator_at(ext).await?,
                None => None,
            };
            let missed = match (&e.kind, &caller) {
                (CallEventKind::Missed, Some(phone)) => Some(Callback {
                    id: Uuid::now_v7(),
                    source: CallbackSource::MissedCall,
                    inquiry: None,
                    call_id: Some(e.call_id.clone()),
                    caller_name: None,
                    caller_phone: phone.clone(),
                    reason: "Cuộc gọi nhỡ / Missed call".into(),
                    due_at: now + chrono::Duration::from_std(self.settings().callback_due).expect("hours"),
                    owner: None,
                    state: CallbackState::Open,
                    attempts: 0,
                    missed_calls: 0,
                    note: None,
                    created_at: now,
                    updated_at: now,
                    closed_at: None,
                    closed_by: None,
                    version: 1,
                }),
                _ => None,
            };
            let recorded = self
                .store()
                .record_call_event(&e, caller_key.as_deref(), operator.as_deref(), missed.as_ref(), now)
                .await?;
            results.push(CallEventResult {
                call_id: e.call_id,
                event: e.kind,
                outcome: if recorded.is_some() { "recorded" } else { "duplicate" }.into(),
            });
        }
        self.inner.changed.send_modify(|n| *n += 1);
        Ok(results)
    }

    /// Puts the operator on an extension (or, with `None`, off it); answers the extension.
    pub async fn set_extension(&self, p: &Principal, extension: Option<&str>) -> ServiceResult<Option<String>> {
        let operator = operator(p)?;
        let mut errs = ValidationErrors::new();
        let ext = desk::token(extension, "extension", MAX_EXTENSION_CHARS, false, &mut errs);
        errs.into_result()?;
        self.store().set_extension(&operator, ext.as_deref(), Utc::now()).await?;
        Ok(ext)
    }

    /// The operator's extension.
    pub async fn extension(&self, p: &Principal) -> ServiceResult<Option<String>> {
        Ok(self.store().extension_of(&operator(p)?).await?)
    }

    /// The operator's calls of the last quarter hour with their callers' histories. With
    /// `after` (a `revision` answered before), waits up to `wait` for a call to change first.
    pub async fn screen_pop(
        &self,
        p: &Principal,
        after: Option<DateTime<Utc>>,
        wait: Duration,
    ) -> ServiceResult<ScreenPop> {
        let operator = operator(p)?;
        let deadline = tokio::time::Instant::now() + wait;
        let mut changed = self.inner.changed.subscribe();
        loop {
            let calls = self.store().operator_calls(&operator, Utc::now() - POP_WINDOW).await?;
            let revision = calls.first().map(|c| c.updated_at);
            let moved = after.is_none() || revision.is_some_and(|r| Some(r) > after);
            if moved || tokio::time::Instant::now() >= deadline {
                if calls.iter().any(|c| c.caller_phone.is_some()) {
                    self.key_contacts_pass().await?;
                }
                let extension = self.store().extension_of(&operator).await?;
                let mut popped = Vec::with_capacity(calls.len());
                for call in calls {
                    let history = match call.caller_phone.as_deref().and_then(|n| self.key_of(n)) {
                        Some(k) => self.history_of(&k).await?,
                        None => CallerHistory::default(),
                    };
                    popped.push(PoppedCall { call, history });
                }
                return Ok(ScreenPop { extension, revision, calls: popped });
            }
            // Woken by this instance's events at once, by other instances' within a second.
            let _ = tokio::time::timeout_at(
                deadline.min(tokio::time::Instant::now() + Duration::from_secs(1)),
                changed.changed(),
            )
            .await;
        }
    }

    /// A caller's history by their number (the console's look-up while typing a caller in).
    pub async fn caller_history(&self, p: &Principal, phone: &str) -> ServiceResult<CallerHistory> {
        operator(p)?;
        let key = self
            .key_of(phone)
            .ok_or_else(|| ValidationErrors::single("phone", "must be a phone number of 3 to 15 digits"))?;
        self.key_contacts_pass().await?;
        self.history_of(&key).await
    }

    /// The history of the caller with this key. The caller keys the contacts of tickets filed
    /// since the worker's last pass first ([`Desk::key_contacts_pass`]), once per request.
    async fn history_of(&self, key: &[u8]) -> ServiceResult<CallerHistory> {
        let ids = self.store().tickets_of_caller(key, HISTORY).await?;
        let mut tickets = self.store().tickets_by_ids(&ids).await?;
        tickets.sort_by_key(|t| std::cmp::Reverse(t.received_at));
        let reference = self.inner.tickets.reference();
        let now = Utc::now();
        let tickets = tickets
            .into_iter()
            .map(|t| HistoryTicket {
                id: t.id,
                code: t.code.as_str().to_owned(),
                status: t.status,
                category_name: reference.category(&t.category).map(|c| c.name_vi.clone()).unwrap_or_default(),
                category: t.category.as_str().to_owned(),
                received_at: t.received_at,
                deadline: t.deadline,
                overdue: t.is_overdue(now),
                description: t.description.chars().take(200).collect(),
                address: t.address.clone(),
            })
            .collect();
        Ok(CallerHistory {
            tickets,
            inquiries: self.store().inquiries_of_caller(key, HISTORY).await?,
            callbacks: self.store().callbacks_of_caller(key).await?,
        })
    }

    /// Keys the numbers of tickets' contacts not keyed yet, one batch; answers how many.
    pub async fn key_contacts_pass(&self) -> ServiceResult<usize> {
        let pending = self.store().unkeyed_contacts(KEY_BATCH).await?;
        let keys: Vec<_> = pending.iter().map(|(id, phone)| (*id, self.key_of(phone))).collect();
        self.store().key_contacts(&keys).await?;
        Ok(keys.len())
    }

    /// The PBX webhook's secret, if one is set.
    pub fn pbx_secret(&self) -> Option<&crate::config::Secret> {
        self.settings().pbx_secret.as_ref()
    }
}
