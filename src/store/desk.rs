//! [`DeskStore`]: the hotline desk's inquiries, callbacks, the PBX's calls and the operators'
//! extensions (personal data: never in events). Callers are matched by a keyed hash of their
//! number (`caller_key`), tickets' contacts too (`ticket_contacts.phone_key`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::codec::{enum_str, parse_enum};
use super::sql::{Bind, Dialect, Get, Query, RowsAffected, SqlStore, WriteTransaction};
use super::{StoreError, StoreResult};
use crate::domain::desk::{CallEvent, CallEventKind, Callback, CallbackState, Inquiry, PbxCall};
use crate::domain::{CallRecord, TicketId};

#[async_trait]
pub trait DeskStore: Send + Sync {
    /// The key callers' numbers are hashed with: `candidate` is stored by the first caller, and
    /// every caller gets the stored one.
    async fn desk_key(&self, candidate: &[u8]) -> StoreResult<Vec<u8>>;
    /// Puts `operator` on `extension` (whoever held it before loses it, and the operator's
    /// previous extension is freed); `None` takes the operator off any extension.
    async fn set_extension(&self, operator: &str, extension: Option<&str>, now: DateTime<Utc>) -> StoreResult<()>;
    async fn extension_of(&self, operator: &str) -> StoreResult<Option<String>>;
    async fn operator_at(&self, extension: &str) -> StoreResult<Option<String>>;
    /// Records a call event once and merges it into its call; `Ok(None)` when this
    /// (call, event) was recorded before (nothing changes). `operator` is who holds the
    /// event's extension. On `ended`, the length and recording go into the inquiry and the
    /// ticket taken in that call. With `missed`, a missed call opens that callback, unless the
    /// caller (same `caller_key`) has one open already, which then counts one more missed
    /// call; nothing is opened for a call that was answered.
    async fn record_call_event(
        &self,
        event: &CallEvent,
        caller_key: Option<&[u8]>,
        operator: Option<&str>,
        missed: Option<&Callback>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<PbxCall>>;
    async fn pbx_call(&self, call_id: &str) -> StoreResult<Option<PbxCall>>;
    /// The calls of `operator` changed at or after `since`, the latest first (at most 5).
    async fn operator_calls(&self, operator: &str, since: DateTime<Utc>) -> StoreResult<Vec<PbxCall>>;
    /// The calls that began (rang, or were answered) in `from..to`.
    async fn pbx_calls_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<PbxCall>>;
    /// Stores an inquiry, and the callback it opens, in one transaction. With an idempotency
    /// key used before, nothing is written and the stored inquiry comes back with `true`.
    /// [`StoreError::AlreadyExists`] when another inquiry holds the same PBX call. A call the
    /// PBX has ended already gives the inquiry its length and recording.
    async fn insert_inquiry(
        &self,
        inquiry: &Inquiry,
        caller_key: Option<&[u8]>,
        key: Option<&str>,
        callback: Option<&Callback>,
    ) -> StoreResult<(Inquiry, bool)>;
    async fn inquiry(&self, id: Uuid) -> StoreResult<Option<Inquiry>>;
    /// The latest inquiries begun before `before` (all with `None`), newest first.
    async fn inquiries(&self, before: Option<DateTime<Utc>>, limit: i64) -> StoreResult<Vec<Inquiry>>;
    async fn inquiries_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<Inquiry>>;
    async fn inquiries_of_caller(&self, caller_key: &[u8], limit: i64) -> StoreResult<Vec<Inquiry>>;
    async fn callback(&self, id: Uuid) -> StoreResult<Option<Callback>>;
    /// Callbacks in `state`: open ones soonest due first, closed ones latest closed first.
    async fn callbacks(&self, state: CallbackState, limit: i64) -> StoreResult<Vec<Callback>>;
    /// The callback an inquiry opened.
    async fn callback_of_inquiry(&self, inquiry: Uuid) -> StoreResult<Option<Callback>>;
    /// Gives the ticket taken at the console the PBX call it came from (its length and
    /// recording, if the call has ended, too).
    async fn link_ticket_call(&self, ticket: TicketId, call_id: &str) -> StoreResult<()>;
    /// The caller's open callbacks.
    async fn callbacks_of_caller(&self, caller_key: &[u8]) -> StoreResult<Vec<Callback>>;
    /// The callbacks opened in `from..to`.
    async fn callbacks_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<Callback>>;
    /// Writes `callback` if the stored one is still at `callback.version - 1`; `false` if
    /// someone changed it first.
    async fn update_callback(&self, callback: &Callback) -> StoreResult<bool>;
    /// Tickets' contacts with a number not keyed yet (at most `limit`).
    async fn unkeyed_contacts(&self, limit: i64) -> StoreResult<Vec<(TicketId, String)>>;
    /// Keys tickets' contacts (`None`: a number that is not one, marked so it is not read again).
    async fn key_contacts(&self, keys: &[(TicketId, Option<Vec<u8>>)]) -> StoreResult<()>;
    /// The tickets whose reporter has this number, newest first.
    async fn tickets_of_caller(&self, caller_key: &[u8], limit: i64) -> StoreResult<Vec<TicketId>>;
}

const CALL_COLS: &str = "call_id, state, caller_phone, extension, operator, ringing_at, answered_at, ended_at, \
                         duration_seconds, recording_ref, updated_at";
const INQUIRY_COLS: &str = "id, started_at, duration_seconds, recording_ref, call_id, caller_name, caller_phone, \
                            topic, procedure_code, field, answer, outcome, transferred_to, ticket_id, operator, \
                            created_at";
const CALLBACK_COLS: &str = "id, source, inquiry_id, call_id, caller_name, caller_phone, reason, due_at, owner, \
                             state, attempts, missed_calls, note, created_at, updated_at, closed_at, closed_by, \
                             version";
/// A marker key for a contact's "number" that is not one, so it is not read again.
const NOT_A_NUMBER: &[u8] = b"-";

fn seconds(v: Option<i64>, column: &str) -> StoreResult<Option<u32>> {
    v.map(|d| u32::try_from(d).map_err(|_| StoreError::Corrupt(format!("{column}: {d}")))).transpose()
}

fn call_from_row(r: &impl Get) -> StoreResult<PbxCall> {
    Ok(PbxCall {
        call_id: r.col("call_id")?,
        state: parse_enum(&r.col::<String>("state")?, "pbx_calls.state")?,
        caller_phone: r.col("caller_phone")?,
        extension: r.col("extension")?,
        operator: r.col("operator")?,
        ringing_at: r.col("pbx_calls.ringing_at")?,
        answered_at: r.col("pbx_calls.answered_at")?,
        ended_at: r.col("pbx_calls.ended_at")?,
        duration_seconds: seconds(r.col("duration_seconds")?, "pbx_calls.duration_seconds")?,
        recording_ref: r.col("recording_ref")?,
        updated_at: r.col("pbx_calls.updated_at")?,
    })
}

fn inquiry_from_row(r: &impl Get) -> StoreResult<Inquiry> {
    Ok(Inquiry {
        id: r.col("inquiries.id")?,
        call: CallRecord {
            started_at: r.col("inquiries.started_at")?,
            duration_seconds: seconds(r.col("duration_seconds")?, "inquiries.duration_seconds")?,
            recording_ref: r.col("recording_ref")?,
        },
        call_id: r.col("call_id")?,
        caller_name: r.col("caller_name")?,
        caller_phone: r.col("caller_phone")?,
        topic: r.col("topic")?,
        procedure: r.col("procedure_code")?,
        field: r.col("field")?,
        answer: r.col("answer")?,
        outcome: parse_enum(&r.col::<String>("outcome")?, "inquiries.outcome")?,
        transferred_to: r.col("transferred_to")?,
        ticket: r.col::<Option<Uuid>>("inquiries.ticket_id")?.map(TicketId),
        operator: r.col("operator")?,
        created_at: r.col("inquiries.created_at")?,
    })
}

fn callback_from_row(r: &impl Get) -> StoreResult<Callback> {
    let int = |c: &str| -> StoreResult<i32> {
        let v: i64 = r.col(c)?;
        i32::try_from(v).map_err(|_| StoreError::Corrupt(format!("callbacks.{c}: {v}")))
    };
    Ok(Callback {
        id: r.col("callbacks.id")?,
        source: parse_enum(&r.col::<String>("source")?, "callbacks.source")?,
        inquiry: r.col("callbacks.inquiry_id")?,
        call_id: r.col("call_id")?,
        caller_name: r.col("caller_name")?,
        caller_phone: r.col("caller_phone")?,
        reason: r.col("reason")?,
        due_at: r.col("callbacks.due_at")?,
        owner: r.col("owner")?,
        state: parse_enum(&r.col::<String>("state")?, "callbacks.state")?,
        attempts: int("attempts")?,
        missed_calls: int("missed_calls")?,
        note: r.col("note")?,
        created_at: r.col("callbacks.created_at")?,
        updated_at: r.col("callbacks.updated_at")?,
        closed_at: r.col("callbacks.closed_at")?,
        closed_by: r.col("closed_by")?,
        version: r.col("version")?,
    })
}

fn insert_callback<'a, D: Dialect>(c: &'a Callback, caller_key: Option<&'a [u8]>) -> Query<'a, D> {
    D::query(
        "INSERT INTO callbacks (id, source, inquiry_id, call_id, caller_name, caller_phone, caller_key, reason, \
         due_at, owner, state, attempts, missed_calls, note, created_at, updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
         ON CONFLICT DO NOTHING",
    )
    .arg(c.id)
    .arg(enum_str(&c.source))
    .arg(c.inquiry)
    .arg(c.call_id.as_deref())
    .arg(c.caller_name.as_deref())
    .arg(c.caller_phone.as_str())
    .arg(caller_key)
    .arg(c.reason.as_str())
    .arg(c.due_at)
    .arg(c.owner.as_deref())
    .arg(enum_str(&c.state))
    .arg(i64::from(c.attempts))
    .arg(i64::from(c.missed_calls))
    .arg(c.note.as_deref())
    .arg(c.created_at)
    .arg(c.updated_at)
    .arg(c.version)
}

#[async_trait]
impl<D: Dialect> DeskStore for SqlStore<D> {
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn desk_key(&self, candidate: &[u8]) -> StoreResult<Vec<u8>> {
        self.execute_write(
            D::query("INSERT INTO desk_keys (name, value) VALUES ('caller', $1) ON CONFLICT (name) DO NOTHING")
                .arg(candidate),
        )
        .await?;
        let row = D::query("SELECT value FROM desk_keys WHERE name = 'caller'").fetch_one(self.db()).await?;
        row.col("value")
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn set_extension(&self, operator: &str, extension: Option<&str>, now: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        D::query("DELETE FROM desk_extensions WHERE operator = $1 OR extension = $2")
            .arg(operator)
            .arg(extension)
            .execute(D::conn(&mut tx))
            .await?;
        if let Some(ext) = extension {
            D::query("INSERT INTO desk_extensions (extension, operator, updated_at) VALUES ($1, $2, $3)")
                .arg(ext)
                .arg(operator)
                .arg(now)
                .execute(D::conn(&mut tx))
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn extension_of(&self, operator: &str) -> StoreResult<Option<String>> {
        let row = D::query("SELECT extension FROM desk_extensions WHERE operator = $1")
            .arg(operator)
            .fetch_optional(self.db())
            .await?;
        row.map(|r| r.col("extension")).transpose()
    }

    async fn operator_at(&self, extension: &str) -> StoreResult<Option<String>> {
        let row = D::query("SELECT operator FROM desk_extensions WHERE extension = $1")
            .arg(extension)
            .fetch_optional(self.db())
            .await?;
        row.map(|r| r.col("operator")).transpose()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, event = event.kind.as_str()))]
    async fn record_call_event(
        &self,
        event: &CallEvent,
        caller_key: Option<&[u8]>,
        operator: Option<&str>,
        missed: Option<&Callback>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<PbxCall>> {
        let id = event.call_id.as_str();
        let mut tx = self.begin_write().await?;
        let fresh = D::query(
            "INSERT INTO pbx_call_events (call_id, event, at, received_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (call_id, event) DO NOTHING",
        )
        .arg(id)
        .arg(event.kind.as_str())
        .arg(event.at)
        .arg(now)
        .execute(D::conn(&mut tx))
        .await?;
        if fresh.rows() == 0 {
            tx.rollback().await?;
            return Ok(None);
        }
        let at = |k: CallEventKind| (event.kind == k).then_some(event.at);
        // The answering extension wins over the one that rang (a queue's, or a colleague's).
        let (ext, op) = if event.kind == CallEventKind::Answered {
            ("COALESCE(excluded.extension, pbx_calls.extension)", "COALESCE(excluded.operator, pbx_calls.operator)")
        } else {
            ("COALESCE(pbx_calls.extension, excluded.extension)", "COALESCE(pbx_calls.operator, excluded.operator)")
        };
        let sql = format!(
            "INSERT INTO pbx_calls (call_id, state, caller_phone, caller_key, extension, operator, ringing_at, \
             answered_at, ended_at, missed_at, duration_seconds, recording_ref, updated_at) \
             VALUES ($1, 'ringing', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (call_id) DO UPDATE SET \
             caller_phone = COALESCE(pbx_calls.caller_phone, excluded.caller_phone), \
             caller_key = COALESCE(pbx_calls.caller_key, excluded.caller_key), \
             extension = {ext}, operator = {op}, \
             ringing_at = COALESCE(pbx_calls.ringing_at, excluded.ringing_at), \
             answered_at = COALESCE(pbx_calls.answered_at, excluded.answered_at), \
             ended_at = COALESCE(pbx_calls.ended_at, excluded.ended_at), \
             missed_at = COALESCE(pbx_calls.missed_at, excluded.missed_at), \
             duration_seconds = COALESCE(excluded.duration_seconds, pbx_calls.duration_seconds), \
             recording_ref = COALESCE(excluded.recording_ref, pbx_calls.recording_ref), \
             updated_at = excluded.updated_at"
        );
        D::query(sqlx::AssertSqlSafe(sql))
            .arg(id)
            .arg(event.caller.as_deref())
            .arg(caller_key)
            .arg(event.extension.as_deref())
            .arg(operator)
            .arg(at(CallEventKind::Ringing))
            .arg(at(CallEventKind::Answered))
            .arg(at(CallEventKind::Ended))
            .arg(at(CallEventKind::Missed))
            .arg(event.duration_seconds.map(i64::from))
            .arg(event.recording_ref.as_deref())
            .arg(now)
            .execute(D::conn(&mut tx))
            .await?;
        // The state from what is known now, as `domain::desk::call_state` says.
        let sql = format!(
            "UPDATE pbx_calls SET state = CASE \
             WHEN answered_at IS NOT NULL AND ended_at IS NOT NULL THEN 'ended' \
             WHEN answered_at IS NOT NULL THEN 'answered' \
             WHEN missed_at IS NOT NULL THEN 'missed' \
             WHEN ended_at IS NOT NULL THEN 'ended' ELSE 'ringing' END \
             WHERE call_id = $1 RETURNING {CALL_COLS}"
        );
        let row = D::query(sqlx::AssertSqlSafe(sql)).arg(id).fetch_one(D::conn(&mut tx)).await?;
        let call = call_from_row(&row)?;
        if event.kind == CallEventKind::Ended && (event.duration_seconds.is_some() || event.recording_ref.is_some()) {
            for table in ["inquiries", "ticket_calls"] {
                let sql = format!(
                    "UPDATE {table} SET duration_seconds = COALESCE($2, duration_seconds), \
                     recording_ref = COALESCE($3, recording_ref) WHERE call_id = $1"
                );
                D::query(sqlx::AssertSqlSafe(sql))
                    .arg(id)
                    .arg(event.duration_seconds.map(i64::from))
                    .arg(event.recording_ref.as_deref())
                    .execute(D::conn(&mut tx))
                    .await?;
            }
        }
        if let Some(cb) = missed.filter(|_| call.state == CallEventKind::Missed) {
            let counted = match caller_key {
                Some(k) => D::query(
                    "UPDATE callbacks SET missed_calls = missed_calls + 1, updated_at = $2, version = version + 1 \
                     WHERE state = 'open' AND caller_key = $1",
                )
                .arg(k)
                .arg(now)
                .execute(D::conn(&mut tx))
                .await?
                .rows(),
                None => 0,
            };
            if counted == 0 {
                insert_callback::<D>(cb, caller_key).execute(D::conn(&mut tx)).await?;
            }
        }
        tx.commit().await?;
        Ok(Some(call))
    }

    async fn pbx_call(&self, call_id: &str) -> StoreResult<Option<PbxCall>> {
        let sql = format!("SELECT {CALL_COLS} FROM pbx_calls WHERE call_id = $1");
        let row = D::query(sqlx::AssertSqlSafe(sql)).arg(call_id).fetch_optional(self.db()).await?;
        row.as_ref().map(call_from_row).transpose()
    }

    async fn operator_calls(&self, operator: &str, since: DateTime<Utc>) -> StoreResult<Vec<PbxCall>> {
        let sql = format!(
            "SELECT {CALL_COLS} FROM pbx_calls WHERE operator = $1 AND updated_at >= $2 \
             ORDER BY updated_at DESC LIMIT 5"
        );
        let rows = D::query(sqlx::AssertSqlSafe(sql)).arg(operator).arg(since).fetch_all(self.db()).await?;
        rows.iter().map(call_from_row).collect()
    }

    async fn pbx_calls_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<PbxCall>> {
        let sql = format!(
            "SELECT {CALL_COLS} FROM pbx_calls WHERE COALESCE(ringing_at, answered_at, missed_at, ended_at) >= $1 \
             AND COALESCE(ringing_at, answered_at, missed_at, ended_at) < $2"
        );
        let rows = D::query(sqlx::AssertSqlSafe(sql)).arg(from).arg(to).fetch_all(self.db()).await?;
        rows.iter().map(call_from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn insert_inquiry(
        &self,
        q: &Inquiry,
        caller_key: Option<&[u8]>,
        key: Option<&str>,
        callback: Option<&Callback>,
    ) -> StoreResult<(Inquiry, bool)> {
        let mut tx = self.begin_write().await?;
        let select = format!("SELECT {INQUIRY_COLS} FROM inquiries WHERE idempotency_key = $1");
        if let Some(k) = key
            && let Some(row) =
                D::query(sqlx::AssertSqlSafe(select.clone())).arg(k).fetch_optional(D::conn(&mut tx)).await?
        {
            let stored = inquiry_from_row(&row)?;
            tx.rollback().await?;
            return Ok((stored, true));
        }
        let done = D::query(
            "INSERT INTO inquiries (id, started_at, duration_seconds, recording_ref, call_id, caller_name, \
             caller_phone, caller_key, topic, procedure_code, field, answer, outcome, transferred_to, ticket_id, \
             operator, created_at, idempotency_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
             ON CONFLICT DO NOTHING",
        )
        .arg(q.id)
        .arg(q.call.started_at)
        .arg(q.call.duration_seconds.map(i64::from))
        .arg(q.call.recording_ref.as_deref())
        .arg(q.call_id.as_deref())
        .arg(q.caller_name.as_deref())
        .arg(q.caller_phone.as_deref())
        .arg(caller_key)
        .arg(q.topic.as_str())
        .arg(q.procedure.as_deref())
        .arg(q.field.as_deref())
        .arg(q.answer.as_str())
        .arg(q.outcome.as_str())
        .arg(q.transferred_to.as_deref())
        .arg(q.ticket)
        .arg(q.operator.as_str())
        .arg(q.created_at)
        .arg(key)
        .execute(D::conn(&mut tx))
        .await?;
        if done.rows() == 0 {
            // A concurrent request with the same key won, or the call has its inquiry.
            if let Some(k) = key
                && let Some(row) = D::query(sqlx::AssertSqlSafe(select)).arg(k).fetch_optional(D::conn(&mut tx)).await?
            {
                let stored = inquiry_from_row(&row)?;
                tx.rollback().await?;
                return Ok((stored, true));
            }
            tx.rollback().await?;
            return Err(StoreError::AlreadyExists(format!(
                "an inquiry for call {}",
                q.call_id.as_deref().unwrap_or("?")
            )));
        }
        if let Some(call_id) = q.call_id.as_deref() {
            D::query(
                "UPDATE inquiries SET \
                 duration_seconds = COALESCE((SELECT duration_seconds FROM pbx_calls WHERE call_id = $1), duration_seconds), \
                 recording_ref = COALESCE((SELECT recording_ref FROM pbx_calls WHERE call_id = $1), recording_ref) \
                 WHERE id = $2",
            )
            .arg(call_id)
            .arg(q.id)
            .execute(D::conn(&mut tx))
            .await?;
        }
        if let Some(cb) = callback {
            insert_callback::<D>(cb, caller_key).execute(D::conn(&mut tx)).await?;
        }
        let sql = format!("SELECT {INQUIRY_COLS} FROM inquiries WHERE id = $1");
        let row = D::query(sqlx::AssertSqlSafe(sql)).arg(q.id).fetch_one(D::conn(&mut tx)).await?;
        let stored = inquiry_from_row(&row)?;
        tx.commit().await?;
        Ok((stored, false))
    }

    async fn inquiry(&self, id: Uuid) -> StoreResult<Option<Inquiry>> {
        let sql = format!("SELECT {INQUIRY_COLS} FROM inquiries WHERE id = $1");
        let row = D::query(sqlx::AssertSqlSafe(sql)).arg(id).fetch_optional(self.db()).await?;
        row.as_ref().map(inquiry_from_row).transpose()
    }

    async fn inquiries(&self, before: Option<DateTime<Utc>>, limit: i64) -> StoreResult<Vec<Inquiry>> {
        let sql = format!(
            "SELECT {INQUIRY_COLS} FROM inquiries WHERE ($1 IS NULL OR started_at < $1) \
             ORDER BY started_at DESC, id DESC LIMIT $2"
        );
        let rows = D::query(sqlx::AssertSqlSafe(sql)).arg(before).arg(limit).fetch_all(self.db()).await?;
        rows.iter().map(inquiry_from_row).collect()
    }

    async fn inquiries_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<Inquiry>> {
        let sql = format!("SELECT {INQUIRY_COLS} FROM inquiries WHERE started_at >= $1 AND started_at < $2");
        let rows = D::query(sqlx::AssertSqlSafe(sql)).arg(from).arg(to).fetch_all(self.db()).await?;
        rows.iter().map(inquiry_from_row).collect()
    }

    async fn inquiries_of_caller(&self, caller_key: &[u8], limit: i64) -> StoreResult<Vec<Inquiry>> {
        let sql =
            format!("SELECT {INQUIRY_COLS} FROM inquiries WHERE caller_key = $1 ORDER BY started_at DESC LIMIT $2");
        let rows = D::query(sqlx::AssertSqlSafe(sql)).arg(caller_key).arg(limit).fetch_all(self.db()).await?;
        rows.iter().map(inquiry_from_row).collect()
    }

    async fn callback(&self, id: Uuid) -> StoreResult<Option<Callback>> {
        let sql = format!("SELECT {CALLBACK_COLS} FROM callbacks WHERE id = $1");
        let row = D::query(sqlx::AssertSqlSafe(sql)).arg(id).fetch_optional(self.db()).await?;
        row.as_ref().map(callback_from_row).transpose()
    }

    async fn callbacks(&self, state: CallbackState, limit: i64) -> StoreResult<Vec<Callback>> {
        let order = if state == CallbackState::Open { "due_at ASC, id" } else { "closed_at DESC, id" };
        let sql = format!("SELECT {CALLBACK_COLS} FROM callbacks WHERE state = $1 ORDER BY {order} LIMIT $2");
        let rows = D::query(sqlx::AssertSqlSafe(sql)).arg(enum_str(&state)).arg(limit).fetch_all(self.db()).await?;
        rows.iter().map(callback_from_row).collect()
    }

    async fn callback_of_inquiry(&self, inquiry: Uuid) -> StoreResult<Option<Callback>> {
        let sql = format!("SELECT {CALLBACK_COLS} FROM callbacks WHERE inquiry_id = $1");
        let row = D::query(sqlx::AssertSqlSafe(sql)).arg(inquiry).fetch_optional(self.db()).await?;
        row.as_ref().map(callback_from_row).transpose()
    }

    async fn link_ticket_call(&self, ticket: TicketId, call_id: &str) -> StoreResult<()> {
        self.execute_write(
            D::query(
                "UPDATE ticket_calls SET call_id = $2, \
                 duration_seconds = COALESCE((SELECT duration_seconds FROM pbx_calls WHERE call_id = $2), duration_seconds), \
                 recording_ref = COALESCE((SELECT recording_ref FROM pbx_calls WHERE call_id = $2), recording_ref) \
                 WHERE ticket_id = $1",
            )
            .arg(ticket)
            .arg(call_id),
        )
        .await?;
        Ok(())
    }

    async fn callbacks_of_caller(&self, caller_key: &[u8]) -> StoreResult<Vec<Callback>> {
        let sql =
            format!("SELECT {CALLBACK_COLS} FROM callbacks WHERE state = 'open' AND caller_key = $1 ORDER BY due_at");
        let rows = D::query(sqlx::AssertSqlSafe(sql)).arg(caller_key).fetch_all(self.db()).await?;
        rows.iter().map(callback_from_row).collect()
    }

    async fn callbacks_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<Callback>> {
        let sql = format!("SELECT {CALLBACK_COLS} FROM callbacks WHERE created_at >= $1 AND created_at < $2");
        let rows = D::query(sqlx::AssertSqlSafe(sql)).arg(from).arg(to).fetch_all(self.db()).await?;
        rows.iter().map(callback_from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, id = %c.id))]
    async fn update_callback(&self, c: &Callback) -> StoreResult<bool> {
        let done = self
            .execute_write(
                D::query(
                    "UPDATE callbacks SET due_at = $3, owner = $4, state = $5, attempts = $6, missed_calls = $7, \
                     note = $8, updated_at = $9, closed_at = $10, closed_by = $11, version = $2 \
                     WHERE id = $1 AND version = $2 - 1",
                )
                .arg(c.id)
                .arg(c.version)
                .arg(c.due_at)
                .arg(c.owner.as_deref())
                .arg(enum_str(&c.state))
                .arg(i64::from(c.attempts))
                .arg(i64::from(c.missed_calls))
                .arg(c.note.as_deref())
                .arg(c.updated_at)
                .arg(c.closed_at)
                .arg(c.closed_by.as_deref()),
            )
            .await?;
        Ok(done.rows() == 1)
    }

    async fn unkeyed_contacts(&self, limit: i64) -> StoreResult<Vec<(TicketId, String)>> {
        let rows = D::query(
            "SELECT ticket_id, phone FROM ticket_contacts WHERE phone_key IS NULL AND phone IS NOT NULL LIMIT $1",
        )
        .arg(limit)
        .fetch_all(self.db())
        .await?;
        rows.iter().map(|r| Ok((TicketId(r.col("ticket_contacts.ticket_id")?), r.col("phone")?))).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, n = keys.len()))]
    async fn key_contacts(&self, keys: &[(TicketId, Option<Vec<u8>>)]) -> StoreResult<()> {
        if keys.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for (id, key) in keys {
            D::query("UPDATE ticket_contacts SET phone_key = $2 WHERE ticket_id = $1")
                .arg(*id)
                .arg(key.as_deref().unwrap_or(NOT_A_NUMBER))
                .execute(D::conn(&mut tx))
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn tickets_of_caller(&self, caller_key: &[u8], limit: i64) -> StoreResult<Vec<TicketId>> {
        let rows = D::query(
            "SELECT c.ticket_id FROM ticket_contacts c JOIN tickets t ON t.id = c.ticket_id \
             WHERE c.phone_key = $1 ORDER BY t.received_at DESC LIMIT $2",
        )
        .arg(caller_key)
        .arg(limit)
        .fetch_all(self.db())
        .await?;
        rows.iter().map(|r| Ok(TicketId(r.col("ticket_contacts.ticket_id")?))).collect()
    }
}
