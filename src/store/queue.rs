//! [`QueueStore`]: queue numbers at offices, check-ins, counters' calls, display boards' versions
//! and visit surveys (`docs/appointments.md`). Every change to an office's queue moves its
//! board's version in the same transaction, so boards on any instance see it.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::appointments::Booking;
use super::sql::{Bind, Dialect, Get, RowsAffected, SqlStore, WriteTransaction};
use super::{StoreError, StoreResult};
use crate::domain::appointment::{PriorityReason, QueueKind, QueueStatus, SurveyScores, VisitOutcome};
use crate::domain::office::OfficeId;

/// A queue number as stored (`phone` is personal data).
#[derive(Debug, Clone, PartialEq)]
pub struct QueueNumber {
    pub id: Uuid,
    pub office: OfficeId,
    pub day: NaiveDate,
    pub kind: QueueKind,
    pub label: String,
    pub service: String,
    pub priority: Option<PriorityReason>,
    pub booking: Option<Uuid>,
    pub slot_at: Option<DateTime<Utc>>,
    pub status: QueueStatus,
    pub counter: Option<i32>,
    pub to_counter: Option<i32>,
    pub phone: Option<String>,
    pub channel: String,
    pub near_sent: bool,
    pub issued_at: DateTime<Utc>,
    pub called_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// A number to give: its label is made from the next number of its kind that day.
#[derive(Debug, Clone)]
pub struct NewNumber {
    pub id: Uuid,
    pub office: OfficeId,
    pub day: NaiveDate,
    pub kind: QueueKind,
    pub service: String,
    pub priority: Option<PriorityReason>,
    pub phone: Option<String>,
    pub channel: String,
    pub token_hash: Vec<u8>,
    pub idem_key: Option<String>,
    pub issued_at: DateTime<Utc>,
}

/// A visit survey's answers.
#[derive(Debug, Clone)]
pub struct SurveyRecord {
    pub subject: String,
    pub office: OfficeId,
    pub service: String,
    pub scores: SurveyScores,
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
}

#[async_trait]
pub trait QueueStore: Send + Sync {
    /// Gives a number (replaying the one given under the same idempotency key).
    async fn take_number(&self, n: &NewNumber) -> StoreResult<QueueNumber>;
    /// Checks a booked booking in: its status moves to `checked_in` and it gets an `H` number,
    /// once (a second check-in answers the same number). `None` when it is not booked or
    /// checked in.
    async fn check_in(&self, booking: &Booking, n: &NewNumber) -> StoreResult<Option<QueueNumber>>;
    /// An office's numbers of a day, oldest first.
    async fn day_numbers(&self, office: &OfficeId, day: NaiveDate) -> StoreResult<Vec<QueueNumber>>;
    /// Every number of the days in `[from, to]` (the statistics).
    async fn numbers_between(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<QueueNumber>>;
    async fn number(&self, id: Uuid) -> StoreResult<Option<(QueueNumber, Vec<u8>)>>;
    /// Calls a waiting number to a counter; false when someone else called it first.
    async fn call_number(&self, id: Uuid, counter: i32, now: DateTime<Utc>) -> StoreResult<bool>;
    /// Ends a called number's turn (a transfer puts it back to wait for `to_counter`); its
    /// booking follows (served, no-show). `None` when it was not called.
    async fn finish_number(
        &self,
        id: Uuid,
        outcome: VisitOutcome,
        to_counter: Option<i32>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<QueueNumber>>;
    /// Claims the "nearly up" message of a number; false when it was claimed before.
    async fn claim_near(&self, id: Uuid) -> StoreResult<bool>;
    /// The version of an office's board (0 if nothing happened yet).
    async fn board_version(&self, office: &OfficeId) -> StoreResult<i64>;
    /// Records a survey; false when the subject answered before.
    async fn add_survey(&self, s: &SurveyRecord) -> StoreResult<bool>;
    /// Surveys in `[from, to)`.
    async fn surveys_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<SurveyRecord>>;
}

const COLS: &str = "id, office_id, day, kind, label, service_id, priority, booking_id, slot_at, status, counter, \
                    to_counter, phone, channel, near_sent, issued_at, called_at, finished_at";

fn number_from_row(r: &impl Get) -> StoreResult<QueueNumber> {
    let corrupt = |c: &str, v: &str| StoreError::Corrupt(format!("queue_numbers.{c} = {v}"));
    let kind: String = r.col("kind")?;
    let status: String = r.col("status")?;
    let priority: Option<String> = r.col("priority")?;
    let office: String = r.col("office_id")?;
    Ok(QueueNumber {
        id: r.col("queue_numbers.id")?,
        office: OfficeId::parse(&office, "office_id").map_err(|_| corrupt("office_id", &office))?,
        day: r.col("day")?,
        kind: QueueKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
        label: r.col("label")?,
        service: r.col("service_id")?,
        priority: match priority {
            Some(p) => Some(PriorityReason::parse(&p).ok_or_else(|| corrupt("priority", &p))?),
            None => None,
        },
        booking: r.col("booking_id")?,
        slot_at: r.col("slot_at")?,
        status: QueueStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        counter: r.col::<Option<i64>>("counter")?.map(|c| c as i32),
        to_counter: r.col::<Option<i64>>("to_counter")?.map(|c| c as i32),
        phone: r.col("phone")?,
        channel: r.col("channel")?,
        near_sent: r.col("near_sent")?,
        issued_at: r.col("issued_at")?,
        called_at: r.col("called_at")?,
        finished_at: r.col("queue_numbers.finished_at")?,
    })
}

async fn bump_board<D: Dialect>(tx: &mut D::WriteTx, office: &OfficeId) -> StoreResult<()> {
    D::query(
        "INSERT INTO office_boards (office_id, version) VALUES ($1, 1) \
         ON CONFLICT (office_id) DO UPDATE SET version = office_boards.version + 1",
    )
    .arg(office.as_str())
    .execute(D::conn(tx))
    .await?;
    Ok(())
}

/// Inserts a number with the next label of its kind that day.
async fn insert_number<D: Dialect>(
    tx: &mut D::WriteTx,
    n: &NewNumber,
    booking: Option<(Uuid, DateTime<Utc>)>,
) -> StoreResult<QueueNumber> {
    D::query(
        "INSERT INTO queue_seq (office_id, day, kind, last) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (office_id, day, kind) DO UPDATE SET last = queue_seq.last + 1",
    )
    .arg(n.office.as_str())
    .arg(n.day)
    .arg(n.kind.as_str())
    .execute(D::conn(tx))
    .await?;
    let row = D::query("SELECT last FROM queue_seq WHERE office_id = $1 AND day = $2 AND kind = $3")
        .arg(n.office.as_str())
        .arg(n.day)
        .arg(n.kind.as_str())
        .fetch_one(D::conn(tx))
        .await?;
    let number: i64 = row.col("last")?;
    let label = n.kind.label(number);
    D::query(
        "INSERT INTO queue_numbers (id, office_id, day, kind, number, label, service_id, priority, booking_id, slot_at, \
         status, phone, token_hash, idem_key, channel, issued_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'waiting', $11, $12, $13, $14, $15)",
    )
    .arg(n.id)
    .arg(n.office.as_str())
    .arg(n.day)
    .arg(n.kind.as_str())
    .arg(number)
    .arg(label.as_str())
    .arg(n.service.as_str())
    .arg(n.priority.map(PriorityReason::as_str))
    .arg(booking.map(|b| b.0))
    .arg(booking.map(|b| b.1))
    .arg(n.phone.as_deref())
    .arg(n.token_hash.as_slice())
    .arg(n.idem_key.as_deref())
    .arg(n.channel.as_str())
    .arg(n.issued_at)
    .execute(D::conn(tx))
    .await?;
    bump_board::<D>(tx, &n.office).await?;
    Ok(QueueNumber {
        id: n.id,
        office: n.office.clone(),
        day: n.day,
        kind: n.kind,
        label,
        service: n.service.clone(),
        priority: n.priority,
        booking: booking.map(|b| b.0),
        slot_at: booking.map(|b| b.1),
        status: QueueStatus::Waiting,
        counter: None,
        to_counter: None,
        phone: n.phone.clone(),
        channel: n.channel.clone(),
        near_sent: false,
        issued_at: n.issued_at,
        called_at: None,
        finished_at: None,
    })
}

#[async_trait]
impl<D: Dialect> QueueStore for SqlStore<D> {
    async fn take_number(&self, n: &NewNumber) -> StoreResult<QueueNumber> {
        let mut tx = self.begin_write().await?;
        if let Some(key) = &n.idem_key {
            let row = D::query(sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM queue_numbers WHERE idem_key = $1")))
                .arg(key.as_str())
                .fetch_optional(D::conn(&mut tx))
                .await?;
            if let Some(r) = row {
                tx.rollback().await?;
                return number_from_row(&r);
            }
        }
        let made = insert_number::<D>(&mut tx, n, None).await?;
        tx.commit().await?;
        Ok(made)
    }

    async fn check_in(&self, booking: &Booking, n: &NewNumber) -> StoreResult<Option<QueueNumber>> {
        let mut tx = self.begin_write().await?;
        let row = D::query(sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM queue_numbers WHERE booking_id = $1")))
            .arg(booking.id)
            .fetch_optional(D::conn(&mut tx))
            .await?;
        if let Some(r) = row {
            tx.rollback().await?;
            return number_from_row(&r).map(Some);
        }
        let moved = D::query("UPDATE bookings SET status = 'checked_in', checked_in_at = $2, updated_at = $2 WHERE id = $1 AND status = 'booked'")
            .arg(booking.id)
            .arg(n.issued_at)
            .execute(D::conn(&mut tx))
            .await?;
        if moved.rows() == 0 {
            tx.rollback().await?;
            return Ok(None);
        }
        let made = insert_number::<D>(&mut tx, n, Some((booking.id, booking.starts_at))).await?;
        tx.commit().await?;
        Ok(Some(made))
    }

    async fn day_numbers(&self, office: &OfficeId, day: NaiveDate) -> StoreResult<Vec<QueueNumber>> {
        let rows = D::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM queue_numbers WHERE office_id = $1 AND day = $2 ORDER BY issued_at, label"
        )))
        .arg(office.as_str())
        .arg(day)
        .fetch_all(self.db())
        .await?;
        rows.iter().map(number_from_row).collect()
    }

    async fn numbers_between(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<QueueNumber>> {
        let rows =
            D::query(sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM queue_numbers WHERE day >= $1 AND day <= $2")))
                .arg(from)
                .arg(to)
                .fetch_all(self.db())
                .await?;
        rows.iter().map(number_from_row).collect()
    }

    async fn number(&self, id: Uuid) -> StoreResult<Option<(QueueNumber, Vec<u8>)>> {
        let row = D::query(sqlx::AssertSqlSafe(format!("SELECT {COLS}, token_hash FROM queue_numbers WHERE id = $1")))
            .arg(id)
            .fetch_optional(self.db())
            .await?;
        row.map(|r| Ok((number_from_row(&r)?, r.col("token_hash")?))).transpose()
    }

    async fn call_number(&self, id: Uuid, counter: i32, now: DateTime<Utc>) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let row = D::query(
            "UPDATE queue_numbers SET status = 'called', counter = $2, to_counter = NULL, called_at = $3 \
             WHERE id = $1 AND status = 'waiting' RETURNING office_id",
        )
        .arg(id)
        .arg(counter)
        .arg(now)
        .fetch_optional(D::conn(&mut tx))
        .await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Ok(false);
        };
        let office: String = row.col("office_id")?;
        let office =
            OfficeId::parse(&office, "office_id").map_err(|_| StoreError::Corrupt(format!("office_id {office}")))?;
        bump_board::<D>(&mut tx, &office).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn finish_number(
        &self,
        id: Uuid,
        outcome: VisitOutcome,
        to_counter: Option<i32>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<QueueNumber>> {
        let mut tx = self.begin_write().await?;
        let q = match outcome {
            VisitOutcome::Transferred => D::query(
                "UPDATE queue_numbers SET status = 'waiting', to_counter = $2, finished_at = NULL WHERE id = $1 AND status = 'called'",
            )
            .arg(id)
            .arg(to_counter),
            VisitOutcome::Served => {
                D::query("UPDATE queue_numbers SET status = 'served', finished_at = $2 WHERE id = $1 AND status = 'called'").arg(id).arg(now)
            }
            VisitOutcome::NoShow => {
                D::query("UPDATE queue_numbers SET status = 'no_show', finished_at = $2 WHERE id = $1 AND status = 'called'").arg(id).arg(now)
            }
        };
        let done = q.execute(D::conn(&mut tx)).await?;
        if done.rows() == 0 {
            tx.rollback().await?;
            return Ok(None);
        }
        let row = D::query(sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM queue_numbers WHERE id = $1")))
            .arg(id)
            .fetch_one(D::conn(&mut tx))
            .await?;
        let n = number_from_row(&row)?;
        if let (Some(b), Some(status)) = (
            n.booking,
            match outcome {
                VisitOutcome::Served => Some("served"),
                VisitOutcome::NoShow => Some("no_show"),
                VisitOutcome::Transferred => None,
            },
        ) {
            D::query("UPDATE bookings SET status = $2, finished_at = $3, updated_at = $3 WHERE id = $1")
                .arg(b)
                .arg(status)
                .arg(now)
                .execute(D::conn(&mut tx))
                .await?;
        }
        bump_board::<D>(&mut tx, &n.office).await?;
        tx.commit().await?;
        Ok(Some(n))
    }

    async fn claim_near(&self, id: Uuid) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let done = D::query("UPDATE queue_numbers SET near_sent = $2 WHERE id = $1 AND near_sent = $3")
            .arg(id)
            .arg(true)
            .arg(false)
            .execute(D::conn(&mut tx))
            .await?;
        tx.commit().await?;
        Ok(done.rows() == 1)
    }

    async fn board_version(&self, office: &OfficeId) -> StoreResult<i64> {
        let row = D::query("SELECT version FROM office_boards WHERE office_id = $1")
            .arg(office.as_str())
            .fetch_optional(self.db())
            .await?;
        row.map(|r| r.col("version")).transpose().map(Option::unwrap_or_default)
    }

    async fn add_survey(&self, s: &SurveyRecord) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let done = D::query(
            "INSERT INTO visit_surveys (id, subject, office_id, service_id, access, procedure, staff, timeliness, overall, \
             comment, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (subject) DO NOTHING",
        )
        .arg(Uuid::now_v7())
        .arg(s.subject.as_str())
        .arg(s.office.as_str())
        .arg(s.service.as_str())
        .arg(i16::from(s.scores.access))
        .arg(i16::from(s.scores.procedure))
        .arg(i16::from(s.scores.staff))
        .arg(i16::from(s.scores.timeliness))
        .arg(i16::from(s.scores.overall))
        .arg(s.comment.as_deref())
        .arg(s.at)
        .execute(D::conn(&mut tx))
        .await?;
        tx.commit().await?;
        Ok(done.rows() == 1)
    }

    async fn surveys_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<SurveyRecord>> {
        let rows = D::query(
            "SELECT subject, office_id, service_id, access, procedure, staff, timeliness, overall, comment, created_at \
             FROM visit_surveys WHERE created_at >= $1 AND created_at < $2",
        )
        .arg(from)
        .arg(to)
        .fetch_all(self.db())
        .await?;
        let score = |r: &D::Row, c: &str| -> StoreResult<u8> { Ok(r.col::<i64>(c)?.clamp(0, 5) as u8) };
        rows.iter()
            .map(|r| {
                let office: String = r.col("office_id")?;
                Ok(SurveyRecord {
                    subject: r.col("subject")?,
                    office: OfficeId::parse(&office, "office_id")
                        .map_err(|_| StoreError::Corrupt(format!("visit_surveys.office_id {office}")))?,
                    service: r.col("service_id")?,
                    scores: SurveyScores {
                        access: score(r, "access")?,
                        procedure: score(r, "procedure")?,
                        staff: score(r, "staff")?,
                        timeliness: score(r, "timeliness")?,
                        overall: score(r, "overall")?,
                    },
                    comment: r.col("comment")?,
                    at: r.col("created_at")?,
                })
            })
            .collect()
    }
}
