//! [`StaffStore`]: staff contacts (work phone, email, unit head, the weekly report's
//! subscription) and the weekly reports as sent, one per schedule tick and recipient.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;
use sqlx::types::Json;
use uuid::Uuid;

use super::accounts::user_from_row;
use super::codec::{enum_str, parse_enum};
use super::sql::{Bind, Dialect, Get, RowsAffected, SqlStore};
use super::{StoreError, StoreResult};
use crate::domain::{StaffContact, StaffMember};

/// A weekly report as stored: its rendered body (JSON) and its workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredReport {
    pub id: Uuid,
    /// The schedule's moment it is for.
    pub tick: DateTime<Utc>,
    pub user_id: Uuid,
    pub body: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait StaffStore: Send + Sync {
    /// Creates or replaces `user`'s contact; [`StoreError::NotFound`] if there is no such user.
    async fn set_staff_contact(&self, user: Uuid, contact: &StaffContact, now: DateTime<Utc>) -> StoreResult<()>;
    async fn staff_contact(&self, user: Uuid) -> StoreResult<Option<StaffContact>>;
    /// Every user with a contact, by login name.
    async fn staff(&self) -> StoreResult<Vec<StaffMember>>;
    /// Keeps the report of `report.tick` for `report.user_id` unless one is kept already;
    /// returns whether this one was.
    async fn insert_weekly_report(&self, report: &StoredReport, xlsx: &[u8]) -> StoreResult<bool>;
    async fn weekly_report(&self, id: Uuid) -> StoreResult<Option<StoredReport>>;
    async fn weekly_report_at(&self, tick: DateTime<Utc>, user: Uuid) -> StoreResult<Option<StoredReport>>;
    /// Kept reports, newest first: one user's, or everyone's.
    async fn weekly_reports(&self, user: Option<Uuid>, limit: i64) -> StoreResult<Vec<StoredReport>>;
    async fn weekly_report_xlsx(&self, id: Uuid) -> StoreResult<Option<Vec<u8>>>;
}

fn contact_from_row(row: &impl Get) -> StoreResult<StaffContact> {
    let fields: Vec<String> = row.col("fields")?;
    Ok(StaffContact {
        phone: row.col("phone")?,
        email: row.col("email")?,
        unit_head: row.col("unit_head")?,
        weekly_report: row.col("weekly_report")?,
        fields: fields.iter().map(|f| parse_enum(f, "staff_contacts.fields")).collect::<StoreResult<_>>()?,
        unaccented_sms: row.col("unaccented_sms")?,
    })
}

const CONTACT_COLS: &str = "phone, email, unit_head, weekly_report, fields, unaccented_sms";
const REPORT_COLS: &str = "id, tick, user_id, body, created_at";

fn report_from_row(row: &impl Get) -> StoreResult<StoredReport> {
    Ok(StoredReport {
        id: row.col("weekly_reports.id")?,
        tick: row.col("weekly_reports.tick")?,
        user_id: row.col("weekly_reports.user_id")?,
        body: row.col("weekly_reports.body")?,
        created_at: row.col("weekly_reports.created_at")?,
    })
}

#[async_trait]
impl<D: Dialect> StaffStore for SqlStore<D> {
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %user))]
    async fn set_staff_contact(&self, user: Uuid, c: &StaffContact, now: DateTime<Utc>) -> StoreResult<()> {
        let exists = D::query("SELECT id FROM users WHERE id = $1").arg(user).fetch_optional(self.db()).await?;
        if exists.is_none() {
            return Err(StoreError::NotFound(format!("user {user}")));
        }
        self.execute_write(
            D::query(
                "INSERT INTO staff_contacts (user_id, phone, email, unit_head, weekly_report, fields, unaccented_sms, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (user_id) DO UPDATE SET phone = excluded.phone, email = excluded.email, \
             unit_head = excluded.unit_head, weekly_report = excluded.weekly_report, fields = excluded.fields, \
             unaccented_sms = excluded.unaccented_sms, updated_at = excluded.updated_at",
            )
            .arg(user)
            .arg(c.phone.as_deref())
            .arg(c.email.as_deref())
            .arg(c.unit_head)
            .arg(c.weekly_report)
            .arg(c.fields.iter().map(enum_str).collect::<Vec<String>>())
            .arg(c.unaccented_sms)
            .arg(now),
        )
        .await?;
        Ok(())
    }

    async fn staff_contact(&self, user: Uuid) -> StoreResult<Option<StaffContact>> {
        let sql = format!("SELECT {CONTACT_COLS} FROM staff_contacts WHERE user_id = $1");
        let row = D::query(AssertSqlSafe(sql)).arg(user).fetch_optional(self.db()).await?;
        row.map(|r| contact_from_row(&r)).transpose()
    }

    async fn staff(&self) -> StoreResult<Vec<StaffMember>> {
        let sql = format!(
            "SELECT users.id, name, display_name, role, areas, units, offices, {CONTACT_COLS} FROM users \
             JOIN staff_contacts ON staff_contacts.user_id = users.id ORDER BY name{}",
            D::BYTEWISE
        );
        let rows = D::query(AssertSqlSafe(sql)).fetch_all(self.db()).await?;
        rows.iter().map(|r| Ok(StaffMember { user: user_from_row(r)?, contact: contact_from_row(r)? })).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, user = %r.user_id, tick = %r.tick))]
    async fn insert_weekly_report(&self, r: &StoredReport, xlsx: &[u8]) -> StoreResult<bool> {
        let inserted = self.execute_write(D::query(
            "INSERT INTO weekly_reports (id, tick, user_id, body, xlsx, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (tick, user_id) DO NOTHING",
        )
        .arg(r.id)
        .arg(r.tick)
        .arg(r.user_id)
        .arg(Json(&r.body))
        .arg(xlsx)
        .arg(r.created_at))
        .await?
        .rows();
        Ok(inserted == 1)
    }

    async fn weekly_report(&self, id: Uuid) -> StoreResult<Option<StoredReport>> {
        let sql = format!("SELECT {REPORT_COLS} FROM weekly_reports WHERE id = $1");
        let row = D::query(AssertSqlSafe(sql)).arg(id).fetch_optional(self.db()).await?;
        row.map(|r| report_from_row(&r)).transpose()
    }

    async fn weekly_report_at(&self, tick: DateTime<Utc>, user: Uuid) -> StoreResult<Option<StoredReport>> {
        let sql = format!("SELECT {REPORT_COLS} FROM weekly_reports WHERE tick = $1 AND user_id = $2");
        let row = D::query(AssertSqlSafe(sql)).arg(tick).arg(user).fetch_optional(self.db()).await?;
        row.map(|r| report_from_row(&r)).transpose()
    }

    async fn weekly_reports(&self, user: Option<Uuid>, limit: i64) -> StoreResult<Vec<StoredReport>> {
        let rows = match user {
            Some(u) => {
                let sql = format!(
                    "SELECT {REPORT_COLS} FROM weekly_reports WHERE user_id = $1 ORDER BY tick DESC, id LIMIT $2"
                );
                D::query(AssertSqlSafe(sql)).arg(u).arg(limit.clamp(1, 1000)).fetch_all(self.db()).await?
            }
            None => {
                let sql = format!("SELECT {REPORT_COLS} FROM weekly_reports ORDER BY tick DESC, id LIMIT $1");
                D::query(AssertSqlSafe(sql)).arg(limit.clamp(1, 1000)).fetch_all(self.db()).await?
            }
        };
        rows.iter().map(report_from_row).collect()
    }

    async fn weekly_report_xlsx(&self, id: Uuid) -> StoreResult<Option<Vec<u8>>> {
        let row = D::query("SELECT xlsx FROM weekly_reports WHERE id = $1").arg(id).fetch_optional(self.db()).await?;
        row.map(|r| r.col("xlsx")).transpose()
    }
}
