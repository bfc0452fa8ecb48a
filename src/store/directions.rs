//! [`DirectionStore`]: leaders' directions to units, with optimistic updates.

use async_trait::async_trait;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use super::codec::{enum_str, parse_code, parse_enum};
use super::sql::{Bind, Dialect, Get, RowsAffected, SqlStore};
use super::{StoreError, StoreResult};
use crate::domain::{AreaCode, Direction, DirectionStatus, TicketId, UnitCode};

/// Which directions to list. Empty lists do not filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DirectionFilter {
    /// Directed to one of these units.
    pub units: Vec<UnitCode>,
    /// About one of these tickets.
    pub tickets: Vec<TicketId>,
    /// In one of these statuses.
    pub statuses: Vec<DirectionStatus>,
    /// At most this many (0: 1000).
    pub limit: i64,
}

#[async_trait]
pub trait DirectionStore: Send + Sync {
    async fn insert_direction(&self, d: &Direction) -> StoreResult<()>;
    async fn direction(&self, id: Uuid) -> StoreResult<Option<Direction>>;
    /// Directions matching `filter`, soonest due first.
    async fn directions(&self, filter: &DirectionFilter) -> StoreResult<Vec<Direction>>;
    /// Stores `d` if the stored version is `expected_version`; [`StoreError::Invalid`] (a
    /// conflict) otherwise, [`StoreError::NotFound`] if there is no such direction.
    async fn update_direction(&self, d: &Direction, expected_version: i64) -> StoreResult<()>;
}

const COLS: &str = "id, unit, ticket_id, area, field, text, due_at, issued_by, issued_at, status, acknowledged_by, \
                    acknowledged_at, report, reported_by, reported_at, version";

fn from_row<R: Get>(row: &R) -> StoreResult<Direction> {
    let ticket: Option<Uuid> = row.col("directions.ticket_id")?;
    let area: Option<String> = row.col("area")?;
    let field: Option<String> = row.col("field")?;
    let status: String = row.col("status")?;
    Ok(Direction {
        id: row.col("directions.id")?,
        unit: parse_code(&row.col::<String>("unit")?, "directions.unit", UnitCode::parse)?,
        ticket: ticket.map(TicketId),
        area: area.map(|a| parse_code(&a, "directions.area", AreaCode::parse)).transpose()?,
        field: field.map(|f| parse_enum(&f, "directions.field")).transpose()?,
        text: row.col("text")?,
        due_at: row.col("directions.due_at")?,
        issued_by: row.col("issued_by")?,
        issued_at: row.col("directions.issued_at")?,
        status: DirectionStatus::parse(&status, "directions.status")
            .map_err(|_| StoreError::Corrupt(format!("directions.status: {status}")))?,
        acknowledged_by: row.col("acknowledged_by")?,
        acknowledged_at: row.col("directions.acknowledged_at")?,
        report: row.col("report")?,
        reported_by: row.col("reported_by")?,
        reported_at: row.col("directions.reported_at")?,
        version: row.col("version")?,
    })
}

#[async_trait]
impl<D: Dialect> DirectionStore for SqlStore<D> {
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, id = %d.id))]
    async fn insert_direction(&self, d: &Direction) -> StoreResult<()> {
        self.execute_write(D::query(AssertSqlSafe(format!(
            "INSERT INTO directions ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
        )))
        .arg(d.id)
        .arg(d.unit.as_str())
        .arg(d.ticket)
        .arg(d.area.as_ref().map(AreaCode::as_str))
        .arg(d.field.as_ref().map(enum_str))
        .arg(d.text.as_str())
        .arg(d.due_at)
        .arg(d.issued_by.as_str())
        .arg(d.issued_at)
        .arg(d.status.as_str())
        .arg(d.acknowledged_by.as_deref())
        .arg(d.acknowledged_at)
        .arg(d.report.as_deref())
        .arg(d.reported_by.as_deref())
        .arg(d.reported_at)
        .arg(d.version))
        .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %id))]
    async fn direction(&self, id: Uuid) -> StoreResult<Option<Direction>> {
        let row = D::query(AssertSqlSafe(format!("SELECT {COLS} FROM directions WHERE id = $1")))
            .arg(id)
            .fetch_optional(self.db())
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn directions(&self, f: &DirectionFilter) -> StoreResult<Vec<Direction>> {
        let mut clauses = Vec::new();
        let mut n = 0;
        let mut next = || {
            n += 1;
            n
        };
        if !f.units.is_empty() {
            clauses.push(D::in_list("unit", next()));
        }
        if !f.tickets.is_empty() {
            clauses.push(D::in_list("ticket_id", next()));
        }
        if !f.statuses.is_empty() {
            clauses.push(D::in_list("status", next()));
        }
        let limit = next();
        let filter = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
        let sql = format!("SELECT {COLS} FROM directions {filter} ORDER BY due_at, id LIMIT ${limit}");
        let mut q = D::query(AssertSqlSafe(sql));
        if !f.units.is_empty() {
            q = q.arg(f.units.iter().map(|u| u.as_str().to_owned()).collect::<Vec<String>>());
        }
        if !f.tickets.is_empty() {
            q = q.arg(f.tickets.iter().map(|t| t.0).collect::<Vec<Uuid>>());
        }
        if !f.statuses.is_empty() {
            q = q.arg(f.statuses.iter().map(|s| s.as_str().to_owned()).collect::<Vec<String>>());
        }
        let rows = q.arg(if f.limit > 0 { f.limit } else { 1000 }).fetch_all(self.db()).await?;
        rows.iter().map(from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, id = %d.id))]
    async fn update_direction(&self, d: &Direction, expected_version: i64) -> StoreResult<()> {
        let done = self
            .execute_write(
                D::query(
                    "UPDATE directions SET status = $2, acknowledged_by = $3, acknowledged_at = $4, report = $5, \
             reported_by = $6, reported_at = $7, version = $8 WHERE id = $1 AND version = $9",
                )
                .arg(d.id)
                .arg(d.status.as_str())
                .arg(d.acknowledged_by.as_deref())
                .arg(d.acknowledged_at)
                .arg(d.report.as_deref())
                .arg(d.reported_by.as_deref())
                .arg(d.reported_at)
                .arg(d.version)
                .arg(expected_version),
            )
            .await?;
        if done.rows() == 1 {
            return Ok(());
        }
        match self.direction(d.id).await? {
            None => Err(StoreError::NotFound(format!("direction {}", d.id))),
            Some(_) => Err(StoreError::Invalid(format!("direction {} was changed by someone else; reload it", d.id))),
        }
    }
}
