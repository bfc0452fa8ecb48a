//! [`Store`] on an embedded SQLite file, the default for a single server instance.
//!
//! - The file (and its directory) is created on first open. WAL journal with
//!   `synchronous=FULL`, so a committed ticket (a 201 sent to the client) survives a SIGKILL or
//!   power cut; `foreign_keys=ON`; a busy timeout instead of immediate `SQLITE_BUSY`.
//! - Write transactions start with `BEGIN IMMEDIATE`: they take the write lock up front, so two
//!   transactions never both read and then deadlock upgrading to write. SQLite has one writer
//!   at a time, which also makes `seq` (AUTOINCREMENT) order the commit order.
//! - Ids are hyphenated UUID text, timestamps fixed-width UTC text (see
//!   [`super::codec::ts_text`]), boundaries GeoJSON text, code lists JSON arrays.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context as _;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, SqliteConnection};
use uuid::Uuid;

use super::codec::{
    AreaRow, EventRow, TicketRow, UserRow, enum_str, event_data, geojson_text, in_order_of, json_list, micros,
    normalise_ticket, parse_code, parse_codes, parse_enum, parse_geojson, parse_json, parse_json_list, parse_opt_ts,
    parse_ts, parse_uuid, ts_text, unique_to_exists,
};
use super::{ApiKey, Backend, Created, IdempotencyKey, NewTicketRecord, NewUser, Store, StoreError, StoreResult};
use crate::domain::{
    Area, AreaCode, Category, CategoryCode, ReporterContact, Role, RoutingRule, Ticket, TicketCode, TicketEvent,
    TicketId, Unit, UnitCode, User,
};

macro_rules! ticket_cols {
    () => {
        "id, code, channel, category, description, lon, lat, address, area, priority, status, unit, \
         received_at, deadline, resolved_at, closed_at, updated_at, result, rating, rating_comment, \
         duplicate_of, version"
    };
}
const INSERT_TICKET: &str = concat!(
    "INSERT INTO tickets (",
    ticket_cols!(),
    ") VALUES (?22, ?21, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20) \
     RETURNING ",
    ticket_cols!()
);
/// Every column but `id` and `code`, which never change.
const UPDATE_TICKET: &str = concat!(
    "UPDATE tickets SET channel = ?1, category = ?2, description = ?3, lon = ?4, lat = ?5, address = ?6, \
     area = ?7, priority = ?8, status = ?9, unit = ?10, received_at = ?11, deadline = ?12, resolved_at = ?13, \
     closed_at = ?14, updated_at = ?15, result = ?16, rating = ?17, rating_comment = ?18, duplicate_of = ?19, \
     version = ?20 WHERE id = ?21 AND version = ?22 RETURNING ",
    ticket_cols!()
);

/// The SQLite store: a cheap-to-clone handle over a connection pool.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if missing, with its parent directory) the database at `url`
    /// (`sqlite:PATH`, or `sqlite::memory:` for a throwaway store) and runs the migrations in
    /// `migrations/sqlite`.
    pub async fn open(url: &str) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .with_context(|| format!("parsing SQLite URL {url:?}"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let mut pool_options = SqlitePoolOptions::new().max_connections(8);
        if in_memory {
            // The database lives as long as one connection to it: keep one open forever.
            pool_options = pool_options.min_connections(1).idle_timeout(None).max_lifetime(None);
        } else if let Some(dir) = options.get_filename().parent().filter(|d| !d.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(dir)
                .await
                .with_context(|| format!("creating the directory {} for the SQLite database", dir.display()))?;
        }
        let pool =
            pool_options.connect_with(options).await.with_context(|| format!("opening SQLite database {url:?}"))?;
        sqlx::migrate!("migrations/sqlite")
            .run(&pool)
            .await
            .with_context(|| format!("migrating SQLite database {url:?}"))?;
        Ok(Self { pool })
    }

    /// Wraps a pool whose database is already migrated (no migrations are run).
    pub fn from_pool(pool: SqlitePool) -> Self {
        Self { pool }
    }

    /// The pool, e.g. for maintenance (`PRAGMA wal_checkpoint`, backups).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// A write transaction holding SQLite's write lock from its first statement.
    async fn begin_write(&self) -> StoreResult<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }
}

fn ts(row: &SqliteRow, table: &str, column: &str) -> StoreResult<DateTime<Utc>> {
    let s: &str = row.try_get(column)?;
    parse_ts(s, &format!("{table}.{column}"))
}

fn opt_ts(row: &SqliteRow, table: &str, column: &str) -> StoreResult<Option<DateTime<Utc>>> {
    let s: Option<&str> = row.try_get(column)?;
    parse_opt_ts(s, &format!("{table}.{column}"))
}

fn uuid(row: &SqliteRow, table: &str, column: &str) -> StoreResult<Uuid> {
    let s: &str = row.try_get(column)?;
    parse_uuid(s, &format!("{table}.{column}"))
}

fn ticket_from_row(row: &SqliteRow) -> StoreResult<Ticket> {
    let duplicate_of: Option<&str> = row.try_get("duplicate_of")?;
    TicketRow {
        id: uuid(row, "tickets", "id")?,
        code: row.try_get("code")?,
        channel: row.try_get("channel")?,
        category: row.try_get("category")?,
        description: row.try_get("description")?,
        lon: row.try_get("lon")?,
        lat: row.try_get("lat")?,
        address: row.try_get("address")?,
        area: row.try_get("area")?,
        priority: row.try_get("priority")?,
        status: row.try_get("status")?,
        unit: row.try_get("unit")?,
        received_at: ts(row, "tickets", "received_at")?,
        deadline: ts(row, "tickets", "deadline")?,
        resolved_at: opt_ts(row, "tickets", "resolved_at")?,
        closed_at: opt_ts(row, "tickets", "closed_at")?,
        updated_at: ts(row, "tickets", "updated_at")?,
        result: row.try_get("result")?,
        rating: row.try_get("rating")?,
        rating_comment: row.try_get("rating_comment")?,
        duplicate_of: duplicate_of.map(|d| parse_uuid(d, "tickets.duplicate_of")).transpose()?,
        version: row.try_get("version")?,
    }
    .into_ticket()
}

fn event_from_row(row: &SqliteRow) -> StoreResult<TicketEvent> {
    EventRow {
        seq: row.try_get("seq")?,
        ticket_id: uuid(row, "events", "ticket_id")?,
        kind: row.try_get("kind")?,
        actor: row.try_get("actor")?,
        at: ts(row, "events", "at")?,
        note: row.try_get("note")?,
        data: parse_json(row.try_get("data")?, "events.data")?,
    }
    .into_event()
}

fn user_from_row(row: &SqliteRow) -> StoreResult<User> {
    UserRow {
        id: uuid(row, "users", "id")?,
        name: row.try_get("name")?,
        display_name: row.try_get("display_name")?,
        role: row.try_get("role")?,
        areas: parse_json_list(row.try_get("areas")?, "users.areas")?,
        units: parse_json_list(row.try_get("units")?, "users.units")?,
    }
    .into_user()
}

type SqliteQuery<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments>;

/// Binds every ticket column but `id` and `code` as `?1..?20`, in [`ticket_cols!`] order.
fn bind_ticket_fields<'q>(q: SqliteQuery<'q>, t: &'q Ticket) -> SqliteQuery<'q> {
    q.bind(enum_str(&t.channel))
        .bind(t.category.as_str())
        .bind(t.description.as_str())
        .bind(t.location.lon)
        .bind(t.location.lat)
        .bind(t.address.as_deref())
        .bind(t.area.as_ref().map(AreaCode::as_str))
        .bind(enum_str(&t.priority))
        .bind(t.status.as_str())
        .bind(t.unit.as_ref().map(UnitCode::as_str))
        .bind(ts_text(t.received_at))
        .bind(ts_text(t.deadline))
        .bind(t.resolved_at.map(ts_text))
        .bind(t.closed_at.map(ts_text))
        .bind(ts_text(t.updated_at))
        .bind(t.result.as_deref())
        .bind(t.rating.map(|r| i64::from(r.get())))
        .bind(t.rating_comment.as_deref())
        .bind(t.duplicate_of.map(|d| d.0.to_string()))
        .bind(t.version)
}

/// Appends `event` (with `data` = the stored ticket) to the outbox.
async fn append_event(conn: &mut SqliteConnection, stored: &Ticket, event: TicketEvent) -> StoreResult<TicketEvent> {
    let data = event_data(stored, &event)?;
    let row = sqlx::query(
        "INSERT INTO events (ticket_id, kind, actor, at, note, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         RETURNING seq, ticket_id, kind, actor, at, note, data",
    )
    .bind(event.ticket_id.0.to_string())
    .bind(enum_str(&event.kind))
    .bind(&event.actor)
    .bind(ts_text(event.at))
    .bind(&event.note)
    .bind(data.to_string())
    .fetch_one(&mut *conn)
    .await?;
    event_from_row(&row)
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite"))]
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    // ---- reference data -------------------------------------------------------------------

    /// Inserts or replaces area versions keyed by `(code, valid_from)`, in one transaction.
    #[tracing::instrument(skip_all, fields(backend = "sqlite", count = areas.len()))]
    async fn upsert_areas(&self, areas: &[Area]) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for a in areas {
            sqlx::query(
                "INSERT INTO areas (code, valid_from, valid_to, name, name_en, level, parent, geometry) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
                 ON CONFLICT (code, valid_from) DO UPDATE SET valid_to = excluded.valid_to, name = excluded.name, \
                 name_en = excluded.name_en, level = excluded.level, parent = excluded.parent, \
                 geometry = excluded.geometry",
            )
            .bind(a.code.as_str())
            .bind(ts_text(a.valid_from))
            .bind(a.valid_to.map(ts_text))
            .bind(&a.name)
            .bind(&a.name_en)
            .bind(&a.level)
            .bind(a.parent.as_ref().map(AreaCode::as_str))
            .bind(geojson_text(&a.geometry))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every area version, by code then `valid_from`.
    #[tracing::instrument(skip_all, fields(backend = "sqlite"))]
    async fn areas(&self) -> StoreResult<Vec<Area>> {
        let rows = sqlx::query(
            "SELECT code, valid_from, valid_to, name, name_en, level, parent, geometry FROM areas \
             ORDER BY code, valid_from",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let code: String = row.try_get("code")?;
                let geometry = parse_geojson(row.try_get("geometry")?, &format!("areas.geometry of {code}"))?;
                AreaRow {
                    code,
                    name: row.try_get("name")?,
                    name_en: row.try_get("name_en")?,
                    level: row.try_get("level")?,
                    parent: row.try_get("parent")?,
                    geometry,
                    valid_from: ts(row, "areas", "valid_from")?,
                    valid_to: opt_ts(row, "areas", "valid_to")?,
                }
                .into_area()
            })
            .collect()
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite", count = categories.len()))]
    async fn upsert_categories(&self, categories: &[Category]) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for c in categories {
            sqlx::query(
                "INSERT INTO categories (code, field, name_vi, name_en, deadline_days) VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT (code) DO UPDATE SET field = excluded.field, name_vi = excluded.name_vi, \
                 name_en = excluded.name_en, deadline_days = excluded.deadline_days",
            )
            .bind(c.code.as_str())
            .bind(enum_str(&c.field))
            .bind(&c.name_vi)
            .bind(&c.name_en)
            .bind(c.deadline_days.map(i64::from))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every category, by code.
    #[tracing::instrument(skip_all, fields(backend = "sqlite"))]
    async fn categories(&self) -> StoreResult<Vec<Category>> {
        let rows = sqlx::query("SELECT code, field, name_vi, name_en, deadline_days FROM categories ORDER BY code")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let days: Option<i64> = row.try_get("deadline_days")?;
                Ok(Category {
                    code: parse_code(row.try_get("code")?, "categories.code", CategoryCode::parse)?,
                    field: parse_enum(row.try_get("field")?, "categories.field")?,
                    name_vi: row.try_get("name_vi")?,
                    name_en: row.try_get("name_en")?,
                    deadline_days: days
                        .map(|d| {
                            u32::try_from(d).map_err(|e| StoreError::Corrupt(format!("categories.deadline_days: {e}")))
                        })
                        .transpose()?,
                })
            })
            .collect()
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite", count = units.len()))]
    async fn upsert_units(&self, units: &[Unit]) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for u in units {
            sqlx::query(
                "INSERT INTO units (code, name_vi, name_en, parent, kind, areas) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                 ON CONFLICT (code) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en, \
                 parent = excluded.parent, kind = excluded.kind, areas = excluded.areas",
            )
            .bind(u.code.as_str())
            .bind(&u.name_vi)
            .bind(&u.name_en)
            .bind(u.parent.as_ref().map(UnitCode::as_str))
            .bind(&u.kind)
            .bind(json_list(&u.areas.iter().map(AreaCode::as_str).collect::<Vec<_>>()))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every unit, by code.
    #[tracing::instrument(skip_all, fields(backend = "sqlite"))]
    async fn units(&self) -> StoreResult<Vec<Unit>> {
        let rows = sqlx::query("SELECT code, name_vi, name_en, parent, kind, areas FROM units ORDER BY code")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let parent: Option<&str> = row.try_get("parent")?;
                let areas = parse_json_list(row.try_get("areas")?, "units.areas")?;
                Ok(Unit {
                    code: parse_code(row.try_get("code")?, "units.code", UnitCode::parse)?,
                    name_vi: row.try_get("name_vi")?,
                    name_en: row.try_get("name_en")?,
                    parent: parent.map(|p| parse_code(p, "units.parent", UnitCode::parse)).transpose()?,
                    kind: row.try_get("kind")?,
                    areas: parse_codes(&areas, "units.areas", AreaCode::parse)?,
                })
            })
            .collect()
    }

    /// Deletes every rule and inserts `rules` with `position` 0, 1, 2, … in one transaction.
    #[tracing::instrument(skip_all, fields(backend = "sqlite", count = rules.len()))]
    async fn replace_routing_rules(&self, rules: &[RoutingRule]) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM routing_rules").execute(&mut *tx).await?;
        for (position, r) in rules.iter().enumerate() {
            sqlx::query("INSERT INTO routing_rules (position, category, area, unit) VALUES (?1, ?2, ?3, ?4)")
                .bind(i64::try_from(position).map_err(|_| StoreError::Invalid("too many routing rules".into()))?)
                .bind(r.category.as_ref().map(CategoryCode::as_str))
                .bind(r.area.as_ref().map(AreaCode::as_str))
                .bind(r.unit.as_str())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The rules in the order they were given.
    #[tracing::instrument(skip_all, fields(backend = "sqlite"))]
    async fn routing_rules(&self) -> StoreResult<Vec<RoutingRule>> {
        let rows = sqlx::query("SELECT category, area, unit FROM routing_rules ORDER BY position")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let category: Option<&str> = row.try_get("category")?;
                let area: Option<&str> = row.try_get("area")?;
                Ok(RoutingRule {
                    category: category
                        .map(|c| parse_code(c, "routing_rules.category", CategoryCode::parse))
                        .transpose()?,
                    area: area.map(|a| parse_code(a, "routing_rules.area", AreaCode::parse)).transpose()?,
                    unit: parse_code(row.try_get("unit")?, "routing_rules.unit", UnitCode::parse)?,
                })
            })
            .collect()
    }

    // ---- tickets --------------------------------------------------------------------------

    /// One `BEGIN IMMEDIATE` transaction (so concurrent retries run one after the other):
    /// look up the idempotency key (same hash → [`Created::Replayed`], another hash →
    /// [`StoreError::IdempotencyMismatch`]), number the ticket in `code_counters`, insert the
    /// ticket, its contact, its token hash, its `created` event and the key.
    #[tracing::instrument(skip_all, fields(backend = "sqlite", id = %new.ticket.id, prefix = %new.code_prefix))]
    async fn create_ticket(&self, new: NewTicketRecord, idem: Option<IdempotencyKey>) -> StoreResult<Created> {
        let mut tx = self.begin_write().await?;
        if let Some(idem) = &idem {
            let seen: Option<(Vec<u8>, String)> =
                sqlx::query_as("SELECT request_hash, ticket_id FROM idempotency_keys WHERE key = ?1")
                    .bind(&idem.key)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some((hash, ticket_id)) = seen {
                let replay = if hash != idem.request_hash {
                    Err(StoreError::IdempotencyMismatch)
                } else {
                    let row = sqlx::query(concat!("SELECT ", ticket_cols!(), " FROM tickets WHERE id = ?1"))
                        .bind(&ticket_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    match row {
                        Some(row) => ticket_from_row(&row).map(|ticket| Created::Replayed { ticket }),
                        None => Err(StoreError::Corrupt(format!(
                            "idempotency key {:?} names missing ticket {ticket_id}",
                            idem.key
                        ))),
                    }
                };
                // Release the write lock now rather than whenever the dropped transaction is
                // rolled back.
                tx.rollback().await?;
                return replay;
            }
        }
        let n: i64 = sqlx::query_scalar(
            "INSERT INTO code_counters (prefix, last_value) VALUES (?1, 1) \
             ON CONFLICT (prefix) DO UPDATE SET last_value = last_value + 1 RETURNING last_value",
        )
        .bind(&new.code_prefix)
        .fetch_one(&mut *tx)
        .await?;
        let mut ticket = normalise_ticket(new.ticket);
        ticket.code = TicketCode::compose(&new.code_prefix, n);
        let id = ticket.id.0.to_string();
        let insert = bind_ticket_fields(sqlx::query(INSERT_TICKET), &ticket).bind(ticket.code.as_str()).bind(&id);
        let stored = ticket_from_row(&insert.fetch_one(&mut *tx).await?)?;
        sqlx::query("INSERT INTO ticket_contacts (ticket_id, name, phone, email) VALUES (?1, ?2, ?3, ?4)")
            .bind(&id)
            .bind(&new.contact.name)
            .bind(&new.contact.phone)
            .bind(&new.contact.email)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO ticket_secrets (ticket_id, token_hash) VALUES (?1, ?2)")
            .bind(&id)
            .bind(&new.token_hash)
            .execute(&mut *tx)
            .await?;
        if let Some(idem) = &idem {
            sqlx::query(
                "INSERT INTO idempotency_keys (key, request_hash, ticket_id, created_at) VALUES (?1, ?2, ?3, ?4)",
            )
            .bind(&idem.key)
            .bind(&idem.request_hash)
            .bind(&id)
            .bind(ts_text(Utc::now()))
            .execute(&mut *tx)
            .await?;
        }
        let event = append_event(&mut tx, &stored, new.event).await?;
        tx.commit().await?;
        Ok(Created::New { ticket: stored, event })
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite", %id))]
    async fn ticket(&self, id: TicketId) -> StoreResult<Option<Ticket>> {
        let row = sqlx::query(concat!("SELECT ", ticket_cols!(), " FROM tickets WHERE id = ?1"))
            .bind(id.0.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(ticket_from_row).transpose()
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite", code = code.as_str()))]
    async fn ticket_by_code(&self, code: &TicketCode) -> StoreResult<Option<Ticket>> {
        let row = sqlx::query(concat!("SELECT ", ticket_cols!(), " FROM tickets WHERE code = ?1"))
            .bind(code.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(ticket_from_row).transpose()
    }

    /// One query with the ids as a single JSON array parameter (`json_each`), so any number of
    /// ids fits within SQLite's parameter limit; then put back in the order of `ids`.
    #[tracing::instrument(skip_all, fields(backend = "sqlite", count = ids.len()))]
    async fn tickets_by_ids(&self, ids: &[TicketId]) -> StoreResult<Vec<Ticket>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = json_list(&ids.iter().map(|id| id.0.to_string()).collect::<Vec<_>>());
        let rows = sqlx::query(concat!(
            "SELECT ",
            ticket_cols!(),
            " FROM tickets WHERE id IN (SELECT value FROM json_each(?1))"
        ))
        .bind(list)
        .fetch_all(&self.pool)
        .await?;
        let tickets = rows.iter().map(ticket_from_row).collect::<StoreResult<Vec<_>>>()?;
        Ok(in_order_of(ids, tickets))
    }

    /// Every ticket, oldest id (UUIDv7: creation time) first.
    #[tracing::instrument(skip_all, fields(backend = "sqlite"))]
    async fn all_tickets(&self) -> StoreResult<Vec<Ticket>> {
        let rows =
            sqlx::query(concat!("SELECT ", ticket_cols!(), " FROM tickets ORDER BY id")).fetch_all(&self.pool).await?;
        rows.iter().map(ticket_from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite", %id))]
    async fn contact(&self, id: TicketId) -> StoreResult<Option<ReporterContact>> {
        let row: Option<(Option<String>, Option<String>, Option<String>)> =
            sqlx::query_as("SELECT name, phone, email FROM ticket_contacts WHERE ticket_id = ?1")
                .bind(id.0.to_string())
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(name, phone, email)| ReporterContact { name, phone, email }))
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite", %id))]
    async fn token_hash(&self, id: TicketId) -> StoreResult<Option<Vec<u8>>> {
        Ok(sqlx::query_scalar("SELECT token_hash FROM ticket_secrets WHERE ticket_id = ?1")
            .bind(id.0.to_string())
            .fetch_optional(&self.pool)
            .await?)
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite", %id))]
    async fn replace_token_hash(&self, id: TicketId, token_hash: &[u8]) -> StoreResult<()> {
        let done = sqlx::query("UPDATE ticket_secrets SET token_hash = ?2 WHERE ticket_id = ?1")
            .bind(id.0.to_string())
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("ticket {id}")));
        }
        Ok(())
    }

    /// `UPDATE … WHERE id = ? AND version = ?expected` (every column but `id` and `code`), then
    /// the event, in one transaction. No row updated → [`StoreError::VersionConflict`] (or
    /// [`StoreError::NotFound`] if there is no such ticket).
    #[tracing::instrument(skip_all, fields(backend = "sqlite", id = %ticket.id, expected_version = expected_version))]
    async fn update_ticket(
        &self,
        ticket: &Ticket,
        expected_version: i64,
        event: TicketEvent,
    ) -> StoreResult<TicketEvent> {
        if ticket.version != expected_version + 1 {
            return Err(StoreError::Invalid(format!(
                "ticket {} has version {}, expected {}",
                ticket.id,
                ticket.version,
                expected_version + 1
            )));
        }
        let ticket = normalise_ticket(ticket.clone());
        let id = ticket.id.0.to_string();
        let mut tx = self.begin_write().await?;
        let row = bind_ticket_fields(sqlx::query(UPDATE_TICKET), &ticket)
            .bind(&id)
            .bind(expected_version)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else {
            let exists: i64 = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM tickets WHERE id = ?1)")
                .bind(&id)
                .fetch_one(&mut *tx)
                .await?;
            tx.rollback().await?;
            return Err(if exists == 1 {
                StoreError::VersionConflict(ticket.id)
            } else {
                StoreError::NotFound(format!("ticket {}", ticket.id))
            });
        };
        let stored = ticket_from_row(&row)?;
        let event = append_event(&mut tx, &stored, event).await?;
        tx.commit().await?;
        Ok(event)
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite", after = after, limit = limit))]
    async fn events_after(&self, after: i64, limit: i64) -> StoreResult<Vec<TicketEvent>> {
        let rows = sqlx::query(
            "SELECT seq, ticket_id, kind, actor, at, note, data FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )
        .bind(after)
        .bind(limit.max(0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite", %id))]
    async fn ticket_events(&self, id: TicketId) -> StoreResult<Vec<TicketEvent>> {
        let rows = sqlx::query(
            "SELECT seq, ticket_id, kind, actor, at, note, data FROM events WHERE ticket_id = ?1 ORDER BY seq",
        )
        .bind(id.0.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite"))]
    async fn last_seq(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM events").fetch_one(&self.pool).await?)
    }

    // ---- users, sessions, API keys --------------------------------------------------------

    #[tracing::instrument(skip_all, fields(backend = "sqlite", name = %new.user.name))]
    async fn create_user(&self, new: NewUser) -> StoreResult<()> {
        let u = &new.user;
        sqlx::query(
            "INSERT INTO users (id, name, display_name, role, areas, units, password_hash, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .bind(u.id.to_string())
        .bind(&u.name)
        .bind(&u.display_name)
        .bind(u.role.as_str())
        .bind(json_list(&u.areas.iter().map(AreaCode::as_str).collect::<Vec<_>>()))
        .bind(json_list(&u.units.iter().map(UnitCode::as_str).collect::<Vec<_>>()))
        .bind(&new.password_hash)
        .bind(ts_text(Utc::now()))
        .execute(&self.pool)
        .await
        .map_err(|e| unique_to_exists(e, || format!("user {:?}", u.name)))?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite", name = name))]
    async fn user_by_name(&self, name: &str) -> StoreResult<Option<(User, String)>> {
        let row =
            sqlx::query("SELECT id, name, display_name, role, areas, units, password_hash FROM users WHERE name = ?1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|row| Ok((user_from_row(&row)?, row.try_get("password_hash")?))).transpose()
    }

    /// Every user, by name.
    #[tracing::instrument(skip_all, fields(backend = "sqlite"))]
    async fn users(&self) -> StoreResult<Vec<User>> {
        let rows = sqlx::query("SELECT id, name, display_name, role, areas, units FROM users ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user_from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite", %user_id))]
    async fn create_session(&self, token_hash: &[u8], user_id: Uuid, expires_at: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, expires_at, created_at) VALUES (?1, ?2, ?3, ?4)")
            .bind(token_hash)
            .bind(user_id.to_string())
            .bind(ts_text(expires_at))
            .bind(ts_text(Utc::now()))
            .execute(&self.pool)
            .await
            .map_err(|e| unique_to_exists(e, || "session".to_owned()))?;
        Ok(())
    }

    /// The session's user if `now < expires_at`.
    #[tracing::instrument(skip_all, fields(backend = "sqlite"))]
    async fn session_user(&self, token_hash: &[u8], now: DateTime<Utc>) -> StoreResult<Option<User>> {
        let row = sqlx::query(
            "SELECT u.id, u.name, u.display_name, u.role, u.areas, u.units FROM sessions s \
             JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1 AND s.expires_at > ?2",
        )
        .bind(token_hash)
        .bind(ts_text(micros(now)))
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite"))]
    async fn delete_session(&self, token_hash: &[u8]) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?1").bind(token_hash).execute(&self.pool).await?;
        Ok(())
    }

    /// A taken name or key hash → [`StoreError::AlreadyExists`].
    #[tracing::instrument(skip_all, fields(backend = "sqlite", name = %key.name))]
    async fn create_api_key(&self, key: &ApiKey, key_hash: &[u8]) -> StoreResult<()> {
        sqlx::query("INSERT INTO api_keys (id, name, role, key_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
            .bind(key.id.to_string())
            .bind(&key.name)
            .bind(key.role.as_str())
            .bind(key_hash)
            .bind(ts_text(key.created_at))
            .execute(&self.pool)
            .await
            .map_err(|e| unique_to_exists(e, || format!("API key {:?}", key.name)))?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite"))]
    async fn api_key(&self, key_hash: &[u8]) -> StoreResult<Option<ApiKey>> {
        let row = sqlx::query("SELECT id, name, role, created_at FROM api_keys WHERE key_hash = ?1")
            .bind(key_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            Ok(ApiKey {
                id: uuid(&row, "api_keys", "id")?,
                name: row.try_get("name")?,
                role: parse_code(row.try_get("role")?, "api_keys.role", Role::parse)?,
                created_at: ts(&row, "api_keys", "created_at")?,
            })
        })
        .transpose()
    }
}
