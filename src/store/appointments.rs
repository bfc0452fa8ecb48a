//! [`AppointmentStore`]: offices, their closures, and bookings (`docs/appointments.md`).
//!
//! A booking takes a place in its slot and in its person's day with conditional `UPDATE`s
//! (`booked < capacity`) in the booking's transaction: on PostgreSQL the row lock makes
//! concurrent requests for the last place wait and then see it taken, on any number of
//! instances; on SQLite the one writer runs them one after the other. Either way exactly one
//! gets the place.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::types::Json;
use uuid::Uuid;

use super::sql::{Bind, Dialect, Get, RowsAffected, SqlStore, WriteTransaction};
use super::{StoreError, StoreResult};
use crate::domain::Medium;
use crate::domain::appointment::BookingStatus;
use crate::domain::office::{Closure, Office, OfficeId};
use crate::domain::schedule::vietnam_date;

/// A booking as stored (personal data: name, phone, email, recipient).
#[derive(Debug, Clone, PartialEq)]
pub struct Booking {
    pub id: Uuid,
    pub code: String,
    pub office: OfficeId,
    pub service: String,
    pub procedure: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: BookingStatus,
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
    pub medium: Medium,
    pub recipient: String,
    pub lang: String,
    pub channel: String,
    pub created_by: String,
    pub moved_from: Option<DateTime<Utc>>,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A booking to make, with what its places are checked against.
#[derive(Debug, Clone)]
pub struct NewBooking {
    pub booking: Booking,
    /// SHA-256 of the normalised phone number.
    pub person_key: Vec<u8>,
    pub token_hash: Vec<u8>,
    pub idem_key: Option<String>,
    /// Places in the slot.
    pub capacity: u16,
    /// Bookings one person may hold at the office that day.
    pub per_person: u16,
}

/// How taking a place ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Taken {
    Booked(Booking),
    /// The idempotency key was used before: its booking, unchanged.
    Replayed(Booking),
    SlotFull,
    PersonLimit,
}

#[async_trait]
pub trait AppointmentStore: Send + Sync {
    /// Creates or replaces an office.
    async fn put_office(&self, office: &Office, now: DateTime<Utc>) -> StoreResult<()>;
    /// Every office, by id.
    async fn offices(&self) -> StoreResult<Vec<Office>>;
    /// Records a closure.
    async fn add_closure(&self, office: &OfficeId, c: &Closure, by: &str, now: DateTime<Utc>) -> StoreResult<Uuid>;
    /// An office's closures that end after `after`, earliest first.
    async fn closures(&self, office: &OfficeId, after: DateTime<Utc>) -> StoreResult<Vec<Closure>>;
    /// Places taken per slot start of a service in `[from, to)`.
    async fn slot_loads(
        &self,
        office: &OfficeId,
        service: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<(DateTime<Utc>, i64)>>;
    /// Takes a place in the slot and in the person's day and stores the booking, all or none.
    async fn book(&self, b: &NewBooking) -> StoreResult<Taken>;
    /// Moves a booked (not yet checked-in) booking to another slot of its service, freeing the
    /// old place in the same transaction. `closed` records that a closure moved it.
    async fn move_booking(
        &self,
        id: Uuid,
        to: (DateTime<Utc>, DateTime<Utc>),
        capacity: u16,
        per_person: u16,
        closed: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<Taken>;
    /// Cancels a booked booking and frees its places; `None` when it is not `booked`.
    async fn cancel_booking(&self, id: Uuid, now: DateTime<Utc>) -> StoreResult<Option<Booking>>;
    /// A booking by code, with its token's hash.
    async fn booking_by_code(&self, code: &str) -> StoreResult<Option<(Booking, Vec<u8>)>>;
    async fn booking(&self, id: Uuid) -> StoreResult<Option<Booking>>;
    /// An office's bookings starting in `[from, to)`, by time.
    async fn office_bookings(
        &self,
        office: &OfficeId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<Booking>>;
    /// Every booking starting in `[from, to)` (the statistics).
    async fn bookings_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<Booking>>;
    /// Booked bookings whose reminder (`day`: the day before; else an hour before) is due at
    /// `now` and not yet sent; [`AppointmentStore::mark_reminded`] claims one once.
    async fn due_reminders(&self, day: bool, now: DateTime<Utc>) -> StoreResult<Vec<Booking>>;
    /// Marks a reminder sent; false when it already was.
    async fn mark_reminded(&self, id: Uuid, day: bool) -> StoreResult<bool>;
    /// Keeps the slots the chatbot offered in a conversation (replacing the last offer).
    async fn put_chat_offer(
        &self,
        conversation: Uuid,
        offer: &serde_json::Value,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// The chatbot's last offer in a conversation, and when it was made.
    async fn chat_offer(&self, conversation: Uuid) -> StoreResult<Option<(serde_json::Value, DateTime<Utc>)>>;
}

const COLS: &str = "id, code, office_id, service_id, procedure, starts_at, ends_at, status, name, phone, email, medium, \
                    recipient, lang, channel, created_by, moved_from, checked_in_at, finished_at, created_at";

pub(super) fn booking_from_row(r: &impl Get) -> StoreResult<Booking> {
    let status: String = r.col("bookings.status")?;
    let medium: String = r.col("bookings.medium")?;
    Ok(Booking {
        id: r.col("bookings.id")?,
        code: r.col("code")?,
        office: OfficeId::parse(&r.col::<String>("office_id")?, "office_id")
            .map_err(|e| StoreError::Corrupt(format!("bookings.office_id: {e}")))?,
        service: r.col("service_id")?,
        procedure: r.col("procedure")?,
        starts_at: r.col("bookings.starts_at")?,
        ends_at: r.col("bookings.ends_at")?,
        status: BookingStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("bookings.status = {status}")))?,
        name: r.col("name")?,
        phone: r.col("phone")?,
        email: r.col("email")?,
        medium: Medium::parse(&medium).ok_or_else(|| StoreError::Corrupt(format!("bookings.medium = {medium}")))?,
        recipient: r.col("recipient")?,
        lang: r.col("lang")?,
        channel: r.col("channel")?,
        created_by: r.col("created_by")?,
        moved_from: r.col("moved_from")?,
        checked_in_at: r.col("checked_in_at")?,
        finished_at: r.col("bookings.finished_at")?,
        created_at: r.col("bookings.created_at")?,
    })
}

const SLOT_INSERT: &str =
    "INSERT INTO slot_loads (office_id, service_id, starts_at, booked) VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING";
const SLOT_TAKE: &str = "UPDATE slot_loads SET booked = booked + 1 WHERE office_id = $1 AND service_id = $2 AND starts_at = $3 AND booked < $4";
const SLOT_FREE: &str = "UPDATE slot_loads SET booked = booked - 1 WHERE office_id = $1 AND service_id = $2 AND starts_at = $3 AND booked > 0";
const DAY_INSERT: &str =
    "INSERT INTO person_day_loads (office_id, person_key, day, booked) VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING";
const DAY_TAKE: &str = "UPDATE person_day_loads SET booked = booked + 1 WHERE office_id = $1 AND person_key = $2 AND day = $3 AND booked < $4";
const DAY_FREE: &str = "UPDATE person_day_loads SET booked = booked - 1 WHERE office_id = $1 AND person_key = $2 AND day = $3 AND booked > 0";

/// Takes a place in the slot and in the person's day; `Err(Taken::…)` says which was full.
async fn take_places<D: Dialect>(
    tx: &mut D::WriteTx,
    office: &OfficeId,
    service: &str,
    starts_at: DateTime<Utc>,
    person_key: &[u8],
    capacity: u16,
    per_person: u16,
) -> StoreResult<Result<(), Taken>> {
    let day: NaiveDate = vietnam_date(starts_at);
    let (o, s) = (office.as_str(), service);
    D::query(SLOT_INSERT).arg(o).arg(s).arg(starts_at).execute(D::conn(tx)).await?;
    let took = D::query(SLOT_TAKE).arg(o).arg(s).arg(starts_at).arg(i64::from(capacity)).execute(D::conn(tx)).await?;
    if took.rows() != 1 {
        return Ok(Err(Taken::SlotFull));
    }
    D::query(DAY_INSERT).arg(o).arg(person_key).arg(day).execute(D::conn(tx)).await?;
    let took =
        D::query(DAY_TAKE).arg(o).arg(person_key).arg(day).arg(i64::from(per_person)).execute(D::conn(tx)).await?;
    if took.rows() != 1 {
        return Ok(Err(Taken::PersonLimit));
    }
    Ok(Ok(()))
}

async fn free_places<D: Dialect>(tx: &mut D::WriteTx, b: &Booking, person_key: &[u8]) -> StoreResult<()> {
    D::query(SLOT_FREE).arg(b.office.as_str()).arg(b.service.as_str()).arg(b.starts_at).execute(D::conn(tx)).await?;
    D::query(DAY_FREE)
        .arg(b.office.as_str())
        .arg(person_key)
        .arg(vietnam_date(b.starts_at))
        .execute(D::conn(tx))
        .await?;
    Ok(())
}

async fn booking_for_update<D: Dialect>(tx: &mut D::WriteTx, id: Uuid) -> StoreResult<Option<(Booking, Vec<u8>)>> {
    let row = D::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS}, person_key FROM bookings WHERE id = $1{}",
        D::FOR_UPDATE
    )))
    .arg(id)
    .fetch_optional(D::conn(tx))
    .await?;
    row.map(|r| Ok((booking_from_row(&r)?, r.col("person_key")?))).transpose()
}

#[async_trait]
impl<D: Dialect> AppointmentStore for SqlStore<D> {
    async fn put_office(&self, office: &Office, now: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        D::query(
            "INSERT INTO offices (id, config, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at",
        )
        .arg(office.id.as_str())
        .arg(Json(office))
        .arg(now)
        .execute(D::conn(&mut tx))
        .await?;
        D::query("INSERT INTO office_boards (office_id, version) VALUES ($1, 0) ON CONFLICT DO NOTHING")
            .arg(office.id.as_str())
            .execute(D::conn(&mut tx))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn offices(&self) -> StoreResult<Vec<Office>> {
        let rows = D::query("SELECT id, config FROM offices ORDER BY id").fetch_all(self.db()).await?;
        rows.iter()
            .map(|r| {
                let v: serde_json::Value = r.col("config")?;
                serde_json::from_value(v).map_err(|e| StoreError::Corrupt(format!("offices.config: {e}")))
            })
            .collect()
    }

    async fn add_closure(&self, office: &OfficeId, c: &Closure, by: &str, now: DateTime<Utc>) -> StoreResult<Uuid> {
        let id = Uuid::now_v7();
        let mut tx = self.begin_write().await?;
        D::query(
            "INSERT INTO office_closures (id, office_id, starts_at, ends_at, reason, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .arg(id)
        .arg(office.as_str())
        .arg(c.from)
        .arg(c.to)
        .arg(c.reason.as_str())
        .arg(by)
        .arg(now)
        .execute(D::conn(&mut tx))
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn closures(&self, office: &OfficeId, after: DateTime<Utc>) -> StoreResult<Vec<Closure>> {
        let rows = D::query(
            "SELECT starts_at, ends_at, reason FROM office_closures WHERE office_id = $1 AND ends_at > $2 ORDER BY starts_at",
        )
        .arg(office.as_str())
        .arg(after)
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| Ok(Closure { from: r.col("starts_at")?, to: r.col("ends_at")?, reason: r.col("reason")? }))
            .collect()
    }

    async fn slot_loads(
        &self,
        office: &OfficeId,
        service: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<(DateTime<Utc>, i64)>> {
        let rows = D::query(
            "SELECT starts_at, booked FROM slot_loads WHERE office_id = $1 AND service_id = $2 \
             AND starts_at >= $3 AND starts_at < $4",
        )
        .arg(office.as_str())
        .arg(service)
        .arg(from)
        .arg(to)
        .fetch_all(self.db())
        .await?;
        rows.iter().map(|r| Ok((r.col("starts_at")?, r.col("booked")?))).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, office = %b.booking.office))]
    async fn book(&self, b: &NewBooking) -> StoreResult<Taken> {
        let mut tx = self.begin_write().await?;
        if let Some(key) = &b.idem_key {
            let row = D::query(sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM bookings WHERE idem_key = $1")))
                .arg(key.as_str())
                .fetch_optional(D::conn(&mut tx))
                .await?;
            if let Some(r) = row {
                tx.rollback().await?;
                return Ok(Taken::Replayed(booking_from_row(&r)?));
            }
        }
        let k = &b.booking;
        if let Err(full) =
            take_places::<D>(&mut tx, &k.office, &k.service, k.starts_at, &b.person_key, b.capacity, b.per_person)
                .await?
        {
            tx.rollback().await?;
            return Ok(full);
        }
        D::query(
            "INSERT INTO bookings (id, code, office_id, service_id, procedure, starts_at, ends_at, status, name, phone, email, \
             medium, recipient, lang, person_key, token_hash, channel, idem_key, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20)",
        )
        .arg(k.id)
        .arg(k.code.as_str())
        .arg(k.office.as_str())
        .arg(k.service.as_str())
        .arg(k.procedure.as_deref())
        .arg(k.starts_at)
        .arg(k.ends_at)
        .arg(k.status.as_str())
        .arg(k.name.as_str())
        .arg(k.phone.as_str())
        .arg(k.email.as_deref())
        .arg(k.medium.as_str())
        .arg(k.recipient.as_str())
        .arg(k.lang.as_str())
        .arg(b.person_key.as_slice())
        .arg(b.token_hash.as_slice())
        .arg(k.channel.as_str())
        .arg(b.idem_key.as_deref())
        .arg(k.created_by.as_str())
        .arg(k.created_at)
        .execute(D::conn(&mut tx))
        .await?;
        tx.commit().await?;
        Ok(Taken::Booked(k.clone()))
    }

    async fn move_booking(
        &self,
        id: Uuid,
        to: (DateTime<Utc>, DateTime<Utc>),
        capacity: u16,
        per_person: u16,
        closed: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<Taken> {
        let mut tx = self.begin_write().await?;
        let Some((old, person_key)) = booking_for_update::<D>(&mut tx, id).await? else {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("booking {id}")));
        };
        if old.status != BookingStatus::Booked {
            tx.rollback().await?;
            return Err(StoreError::Invalid(format!("booking {} is {}", old.code, old.status.as_str())));
        }
        free_places::<D>(&mut tx, &old, &person_key).await?;
        if let Err(full) =
            take_places::<D>(&mut tx, &old.office, &old.service, to.0, &person_key, capacity, per_person).await?
        {
            tx.rollback().await?;
            return Ok(full);
        }
        let moved_from = if closed { Some(old.moved_from.unwrap_or(old.starts_at)) } else { old.moved_from };
        D::query(
            "UPDATE bookings SET starts_at = $2, ends_at = $3, moved_from = $4, reminded_day = $5, reminded_hour = $5, \
             updated_at = $6 WHERE id = $1",
        )
        .arg(id)
        .arg(to.0)
        .arg(to.1)
        .arg(moved_from)
        .arg(false)
        .arg(now)
        .execute(D::conn(&mut tx))
        .await?;
        tx.commit().await?;
        Ok(Taken::Booked(Booking { starts_at: to.0, ends_at: to.1, moved_from, ..old }))
    }

    async fn cancel_booking(&self, id: Uuid, now: DateTime<Utc>) -> StoreResult<Option<Booking>> {
        let mut tx = self.begin_write().await?;
        let Some((old, person_key)) = booking_for_update::<D>(&mut tx, id).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        if old.status != BookingStatus::Booked {
            tx.rollback().await?;
            return Ok(None);
        }
        free_places::<D>(&mut tx, &old, &person_key).await?;
        D::query("UPDATE bookings SET status = 'cancelled', updated_at = $2 WHERE id = $1")
            .arg(id)
            .arg(now)
            .execute(D::conn(&mut tx))
            .await?;
        tx.commit().await?;
        Ok(Some(Booking { status: BookingStatus::Cancelled, ..old }))
    }

    async fn booking_by_code(&self, code: &str) -> StoreResult<Option<(Booking, Vec<u8>)>> {
        let row = D::query(sqlx::AssertSqlSafe(format!("SELECT {COLS}, token_hash FROM bookings WHERE code = $1")))
            .arg(code)
            .fetch_optional(self.db())
            .await?;
        row.map(|r| Ok((booking_from_row(&r)?, r.col("token_hash")?))).transpose()
    }

    async fn booking(&self, id: Uuid) -> StoreResult<Option<Booking>> {
        let row = D::query(sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM bookings WHERE id = $1")))
            .arg(id)
            .fetch_optional(self.db())
            .await?;
        row.map(|r| booking_from_row(&r)).transpose()
    }

    async fn office_bookings(
        &self,
        office: &OfficeId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<Booking>> {
        let rows = D::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM bookings WHERE office_id = $1 AND starts_at >= $2 AND starts_at < $3 ORDER BY starts_at, code"
        )))
        .arg(office.as_str())
        .arg(from)
        .arg(to)
        .fetch_all(self.db())
        .await?;
        rows.iter().map(booking_from_row).collect()
    }

    async fn bookings_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<Booking>> {
        let rows = D::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM bookings WHERE starts_at >= $1 AND starts_at < $2"
        )))
        .arg(from)
        .arg(to)
        .fetch_all(self.db())
        .await?;
        rows.iter().map(booking_from_row).collect()
    }

    async fn due_reminders(&self, day: bool, now: DateTime<Utc>) -> StoreResult<Vec<Booking>> {
        // The day before from 17:00 Vietnam time covers anything starting before the end of
        // tomorrow; the hour before covers anything starting within the hour.
        let (flag, until) = if day {
            let tomorrow = vietnam_date(now) + chrono::Duration::days(2);
            ("reminded_day", crate::domain::schedule::vietnam_instant(tomorrow, chrono::NaiveTime::MIN))
        } else {
            ("reminded_hour", now + chrono::Duration::hours(1))
        };
        let rows = D::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM bookings WHERE status = 'booked' AND {flag} = $1 AND starts_at > $2 AND starts_at <= $3 \
             ORDER BY starts_at LIMIT 500"
        )))
        .arg(false)
        .arg(now)
        .arg(until)
        .fetch_all(self.db())
        .await?;
        rows.iter().map(booking_from_row).collect()
    }

    async fn mark_reminded(&self, id: Uuid, day: bool) -> StoreResult<bool> {
        let flag = if day { "reminded_day" } else { "reminded_hour" };
        let mut tx = self.begin_write().await?;
        let done =
            D::query(sqlx::AssertSqlSafe(format!("UPDATE bookings SET {flag} = $2 WHERE id = $1 AND {flag} = $3")))
                .arg(id)
                .arg(true)
                .arg(false)
                .execute(D::conn(&mut tx))
                .await?;
        tx.commit().await?;
        Ok(done.rows() == 1)
    }

    async fn put_chat_offer(
        &self,
        conversation: Uuid,
        offer: &serde_json::Value,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        D::query(
            "INSERT INTO chat_booking_offers (conversation_id, offer, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (conversation_id) DO UPDATE SET offer = excluded.offer, created_at = excluded.created_at",
        )
        .arg(conversation)
        .arg(Json(offer))
        .arg(now)
        .execute(D::conn(&mut tx))
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn chat_offer(&self, conversation: Uuid) -> StoreResult<Option<(serde_json::Value, DateTime<Utc>)>> {
        let row = D::query("SELECT offer, created_at FROM chat_booking_offers WHERE conversation_id = $1")
            .arg(conversation)
            .fetch_optional(self.db())
            .await?;
        row.map(|r| Ok((r.col("offer")?, r.col("created_at")?))).transpose()
    }
}
