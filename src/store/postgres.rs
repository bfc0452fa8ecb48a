//! [`Store`] on PostgreSQL + PostGIS, for production and several server instances.
//!
//! - Geometry columns are EPSG:4326 with GiST indexes (`areas.geom` MultiPolygon,
//!   `tickets.geom` Point generated from `lon`/`lat`), so QGIS opens the tables directly.
//!   Boundaries travel as WKB, which round-trips every `f64` exactly.
//! - Every ticket change and its event commit in one transaction. Event inserts take a
//!   transaction-scoped advisory lock, so `seq` order is also commit order: a follower reading
//!   `seq > N` never misses an event that commits later with a smaller `seq`.
//! - Each event is announced with `pg_notify('switchboard_events', seq)` inside its
//!   transaction (delivered on commit). NOTIFY is only a wake-up call; followers read the
//!   outbox after their last `seq`.
//! - Timestamps are `timestamptz`, kept to the microsecond.

use std::time::Duration;

use anyhow::Context as _;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use super::boundary;
use super::codec::{
    AreaRow, EventRow, TicketRow, UserRow, enum_str, event_data, in_order_of, micros, normalise_ticket, parse_code,
    parse_codes, parse_enum, unique_to_exists,
};
use super::{
    ApiKey, Backend, Created, IdempotencyKey, NewTicketRecord, NewUser, Store, StoreError, StoreResult, redact_url,
};
use crate::domain::{
    Area, AreaCode, Category, CategoryCode, ReporterContact, Role, RoutingRule, Ticket, TicketCode, TicketEvent,
    TicketId, Unit, UnitCode, User,
};

/// The channel every committed event is announced on; the payload is its `seq` as text.
pub const EVENTS_CHANNEL: &str = "switchboard_events";

/// Key of the transaction-scoped advisory lock that serialises event inserts ("SWBOARD1").
const OUTBOX_LOCK: i64 = 0x5357_424F_4152_4431;

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
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) \
     RETURNING ",
    ticket_cols!()
);
/// Every column but `id` and `code`, which never change (bound by [`bind_ticket_fields`]).
const UPDATE_TICKET: &str = concat!(
    "UPDATE tickets SET channel = $1, category = $2, description = $3, lon = $4, lat = $5, address = $6, \
     area = $7, priority = $8, status = $9, unit = $10, received_at = $11, deadline = $12, resolved_at = $13, \
     closed_at = $14, updated_at = $15, result = $16, rating = $17, rating_comment = $18, duplicate_of = $19, \
     version = $20 WHERE id = $21 AND version = $22 RETURNING ",
    ticket_cols!()
);

/// The PostGIS store: a cheap-to-clone handle over a connection pool.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to `url` (`postgres://…`) and runs the migrations in `migrations/postgres`
    /// (the first one creates the `postgis` extension, which needs the right to do so).
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .with_context(|| format!("connecting to PostgreSQL at {}", redact_url(url)))?;
        sqlx::migrate!("migrations/postgres")
            .run(&pool)
            .await
            .with_context(|| format!("migrating PostgreSQL database {}", redact_url(url)))?;
        Ok(Self { pool })
    }

    /// Wraps a pool whose database is already migrated (no migrations are run).
    pub fn from_pool(pool: PgPool) -> Self {
        Self { pool }
    }

    /// The pool, e.g. for a `PgListener` on [`EVENTS_CHANNEL`].
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Reads the idempotency key claimed by another transaction (which has committed by now:
    /// our `ON CONFLICT DO NOTHING` waited for it) and answers for it.
    async fn replay(&self, idem: &IdempotencyKey) -> StoreResult<Created> {
        let (hash, ticket_id): (Vec<u8>, Uuid) =
            sqlx::query_as("SELECT request_hash, ticket_id FROM idempotency_keys WHERE key = $1")
                .bind(&idem.key)
                .fetch_one(&self.pool)
                .await?;
        if hash != idem.request_hash {
            return Err(StoreError::IdempotencyMismatch);
        }
        let ticket = self.ticket(TicketId(ticket_id)).await?.ok_or_else(|| {
            StoreError::Corrupt(format!("idempotency key {:?} names missing ticket {ticket_id}", idem.key))
        })?;
        Ok(Created::Replayed { ticket })
    }
}

fn ticket_from_row(row: &PgRow) -> StoreResult<Ticket> {
    TicketRow {
        id: row.try_get("id")?,
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
        received_at: row.try_get("received_at")?,
        deadline: row.try_get("deadline")?,
        resolved_at: row.try_get("resolved_at")?,
        closed_at: row.try_get("closed_at")?,
        updated_at: row.try_get("updated_at")?,
        result: row.try_get("result")?,
        rating: row.try_get::<Option<i16>, _>("rating")?.map(i64::from),
        rating_comment: row.try_get("rating_comment")?,
        duplicate_of: row.try_get("duplicate_of")?,
        version: row.try_get("version")?,
    }
    .into_ticket()
}

fn event_from_row(row: &PgRow) -> StoreResult<TicketEvent> {
    EventRow {
        seq: row.try_get("seq")?,
        ticket_id: row.try_get("ticket_id")?,
        kind: row.try_get("kind")?,
        actor: row.try_get("actor")?,
        at: row.try_get("at")?,
        note: row.try_get("note")?,
        data: row.try_get("data")?,
    }
    .into_event()
}

fn user_from_row(row: &PgRow) -> StoreResult<User> {
    UserRow {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        display_name: row.try_get("display_name")?,
        role: row.try_get("role")?,
        areas: row.try_get("areas")?,
        units: row.try_get("units")?,
    }
    .into_user()
}

type PgQuery<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

/// Binds every ticket column but `id` and `code` (20 values), in [`ticket_cols!`] order.
fn bind_ticket_fields<'q>(q: PgQuery<'q>, t: &'q Ticket) -> PgQuery<'q> {
    q.bind(enum_str(&t.channel))
        .bind(t.category.as_str())
        .bind(&t.description)
        .bind(t.location.lon)
        .bind(t.location.lat)
        .bind(t.address.as_deref())
        .bind(t.area.as_ref().map(AreaCode::as_str))
        .bind(enum_str(&t.priority))
        .bind(t.status.as_str())
        .bind(t.unit.as_ref().map(UnitCode::as_str))
        .bind(t.received_at)
        .bind(t.deadline)
        .bind(t.resolved_at)
        .bind(t.closed_at)
        .bind(t.updated_at)
        .bind(t.result.as_deref())
        .bind(t.rating.map(|r| i16::from(r.get())))
        .bind(t.rating_comment.as_deref())
        .bind(t.duplicate_of.map(|d| d.0))
        .bind(t.version)
}

/// Appends `event` (with `data` = the stored ticket) to the outbox and announces it. Must
/// run last in its transaction: the advisory lock it takes is held until commit.
async fn append_event(conn: &mut PgConnection, stored: &Ticket, event: TicketEvent) -> StoreResult<TicketEvent> {
    let data = event_data(stored, &event)?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(OUTBOX_LOCK).execute(&mut *conn).await?;
    let row = sqlx::query(
        "INSERT INTO events (ticket_id, kind, actor, at, note, data) VALUES ($1, $2, $3, $4, $5, $6) \
         RETURNING seq, ticket_id, kind, actor, at, note, data",
    )
    .bind(event.ticket_id.0)
    .bind(enum_str(&event.kind))
    .bind(&event.actor)
    .bind(micros(event.at))
    .bind(&event.note)
    .bind(&data)
    .fetch_one(&mut *conn)
    .await?;
    let stored_event = event_from_row(&row)?;
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(EVENTS_CHANNEL)
        .bind(stored_event.seq.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(stored_event)
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    #[tracing::instrument(skip_all, fields(backend = "postgres"))]
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    // ---- reference data -------------------------------------------------------------------

    /// Inserts or replaces area versions keyed by `(code, valid_from)`, in one transaction.
    #[tracing::instrument(skip_all, fields(backend = "postgres", count = areas.len()))]
    async fn upsert_areas(&self, areas: &[Area]) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        for a in areas {
            sqlx::query(
                "INSERT INTO areas (code, valid_from, valid_to, name, name_en, level, parent, geom) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, ST_GeomFromWKB($8, 4326)) \
                 ON CONFLICT (code, valid_from) DO UPDATE SET valid_to = EXCLUDED.valid_to, name = EXCLUDED.name, \
                 name_en = EXCLUDED.name_en, level = EXCLUDED.level, parent = EXCLUDED.parent, geom = EXCLUDED.geom",
            )
            .bind(a.code.as_str())
            .bind(micros(a.valid_from))
            .bind(a.valid_to.map(micros))
            .bind(&a.name)
            .bind(&a.name_en)
            .bind(&a.level)
            .bind(a.parent.as_ref().map(AreaCode::as_str))
            .bind(boundary::encode_multipolygon(&a.geometry))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every area version, by code then `valid_from`.
    #[tracing::instrument(skip_all, fields(backend = "postgres"))]
    async fn areas(&self) -> StoreResult<Vec<Area>> {
        let rows = sqlx::query(
            "SELECT code, valid_from, valid_to, name, name_en, level, parent, ST_AsBinary(geom) AS wkb \
             FROM areas ORDER BY code COLLATE \"C\", valid_from",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let code: String = row.try_get("code")?;
                let wkb: Vec<u8> = row.try_get("wkb")?;
                let geometry = boundary::decode_multipolygon(&wkb)
                    .map_err(|e| StoreError::Corrupt(format!("areas.geom of {code}: {e}")))?;
                AreaRow {
                    code,
                    name: row.try_get("name")?,
                    name_en: row.try_get("name_en")?,
                    level: row.try_get("level")?,
                    parent: row.try_get("parent")?,
                    geometry,
                    valid_from: row.try_get("valid_from")?,
                    valid_to: row.try_get("valid_to")?,
                }
                .into_area()
            })
            .collect()
    }

    #[tracing::instrument(skip_all, fields(backend = "postgres", count = categories.len()))]
    async fn upsert_categories(&self, categories: &[Category]) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        for c in categories {
            sqlx::query(
                "INSERT INTO categories (code, field, name_vi, name_en, deadline_days) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (code) DO UPDATE SET field = EXCLUDED.field, name_vi = EXCLUDED.name_vi, \
                 name_en = EXCLUDED.name_en, deadline_days = EXCLUDED.deadline_days",
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
    #[tracing::instrument(skip_all, fields(backend = "postgres"))]
    async fn categories(&self) -> StoreResult<Vec<Category>> {
        let rows = sqlx::query(
            "SELECT code, field, name_vi, name_en, deadline_days FROM categories ORDER BY code COLLATE \"C\"",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let days: Option<i32> = row.try_get("deadline_days")?;
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

    #[tracing::instrument(skip_all, fields(backend = "postgres", count = units.len()))]
    async fn upsert_units(&self, units: &[Unit]) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        for u in units {
            let areas: Vec<&str> = u.areas.iter().map(AreaCode::as_str).collect();
            sqlx::query(
                "INSERT INTO units (code, name_vi, name_en, parent, kind, areas) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (code) DO UPDATE SET name_vi = EXCLUDED.name_vi, name_en = EXCLUDED.name_en, \
                 parent = EXCLUDED.parent, kind = EXCLUDED.kind, areas = EXCLUDED.areas",
            )
            .bind(u.code.as_str())
            .bind(&u.name_vi)
            .bind(&u.name_en)
            .bind(u.parent.as_ref().map(UnitCode::as_str))
            .bind(&u.kind)
            .bind(&areas)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every unit, by code.
    #[tracing::instrument(skip_all, fields(backend = "postgres"))]
    async fn units(&self) -> StoreResult<Vec<Unit>> {
        let rows =
            sqlx::query("SELECT code, name_vi, name_en, parent, kind, areas FROM units ORDER BY code COLLATE \"C\"")
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|row| {
                let parent: Option<&str> = row.try_get("parent")?;
                let areas: Vec<String> = row.try_get("areas")?;
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
    #[tracing::instrument(skip_all, fields(backend = "postgres", count = rules.len()))]
    async fn replace_routing_rules(&self, rules: &[RoutingRule]) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM routing_rules").execute(&mut *tx).await?;
        for (position, r) in rules.iter().enumerate() {
            sqlx::query("INSERT INTO routing_rules (position, category, area, unit) VALUES ($1, $2, $3, $4)")
                .bind(i32::try_from(position).map_err(|_| StoreError::Invalid("too many routing rules".into()))?)
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
    #[tracing::instrument(skip_all, fields(backend = "postgres"))]
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

    /// One transaction: claim the idempotency key (`INSERT … ON CONFLICT DO NOTHING`, which
    /// waits for a concurrent claimant to finish), number the ticket in `code_counters`,
    /// insert the ticket, its contact, its token hash and its `created` event. A key already
    /// claimed is answered from the committed claim: same hash → [`Created::Replayed`],
    /// another hash → [`StoreError::IdempotencyMismatch`].
    #[tracing::instrument(skip_all, fields(backend = "postgres", id = %new.ticket.id, prefix = %new.code_prefix))]
    async fn create_ticket(&self, new: NewTicketRecord, idem: Option<IdempotencyKey>) -> StoreResult<Created> {
        let mut tx = self.pool.begin().await?;
        if let Some(idem) = &idem {
            let claimed = sqlx::query(
                "INSERT INTO idempotency_keys (key, request_hash, ticket_id) VALUES ($1, $2, $3) \
                 ON CONFLICT (key) DO NOTHING",
            )
            .bind(&idem.key)
            .bind(&idem.request_hash)
            .bind(new.ticket.id.0)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if !claimed {
                tx.rollback().await?;
                return self.replay(idem).await;
            }
        }
        let n: i64 = sqlx::query_scalar(
            "INSERT INTO code_counters (prefix, last_value) VALUES ($1, 1) \
             ON CONFLICT (prefix) DO UPDATE SET last_value = code_counters.last_value + 1 RETURNING last_value",
        )
        .bind(&new.code_prefix)
        .fetch_one(&mut *tx)
        .await?;
        let mut ticket = normalise_ticket(new.ticket);
        ticket.code = TicketCode::compose(&new.code_prefix, n);
        let insert = sqlx::query(INSERT_TICKET).bind(ticket.id.0).bind(ticket.code.as_str());
        let row = bind_ticket_fields(insert, &ticket).fetch_one(&mut *tx).await?;
        let stored = ticket_from_row(&row)?;
        sqlx::query("INSERT INTO ticket_contacts (ticket_id, name, phone, email) VALUES ($1, $2, $3, $4)")
            .bind(stored.id.0)
            .bind(&new.contact.name)
            .bind(&new.contact.phone)
            .bind(&new.contact.email)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO ticket_secrets (ticket_id, token_hash) VALUES ($1, $2)")
            .bind(stored.id.0)
            .bind(&new.token_hash)
            .execute(&mut *tx)
            .await?;
        let event = append_event(&mut tx, &stored, new.event).await?;
        tx.commit().await?;
        Ok(Created::New { ticket: stored, event })
    }

    #[tracing::instrument(skip_all, fields(backend = "postgres", %id))]
    async fn ticket(&self, id: TicketId) -> StoreResult<Option<Ticket>> {
        let row = sqlx::query(concat!("SELECT ", ticket_cols!(), " FROM tickets WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(ticket_from_row).transpose()
    }

    #[tracing::instrument(skip_all, fields(backend = "postgres", code = code.as_str()))]
    async fn ticket_by_code(&self, code: &TicketCode) -> StoreResult<Option<Ticket>> {
        let row = sqlx::query(concat!("SELECT ", ticket_cols!(), " FROM tickets WHERE code = $1"))
            .bind(code.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(ticket_from_row).transpose()
    }

    /// One query (`id = ANY($1)`), then put back in the order of `ids`.
    #[tracing::instrument(skip_all, fields(backend = "postgres", count = ids.len()))]
    async fn tickets_by_ids(&self, ids: &[TicketId]) -> StoreResult<Vec<Ticket>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let uuids: Vec<Uuid> = ids.iter().map(|id| id.0).collect();
        let rows = sqlx::query(concat!("SELECT ", ticket_cols!(), " FROM tickets WHERE id = ANY($1)"))
            .bind(&uuids)
            .fetch_all(&self.pool)
            .await?;
        let tickets = rows.iter().map(ticket_from_row).collect::<StoreResult<Vec<_>>>()?;
        Ok(in_order_of(ids, tickets))
    }

    /// Every ticket, oldest id (UUIDv7: creation time) first.
    #[tracing::instrument(skip_all, fields(backend = "postgres"))]
    async fn all_tickets(&self) -> StoreResult<Vec<Ticket>> {
        let rows =
            sqlx::query(concat!("SELECT ", ticket_cols!(), " FROM tickets ORDER BY id")).fetch_all(&self.pool).await?;
        rows.iter().map(ticket_from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = "postgres", %id))]
    async fn contact(&self, id: TicketId) -> StoreResult<Option<ReporterContact>> {
        let row: Option<(Option<String>, Option<String>, Option<String>)> =
            sqlx::query_as("SELECT name, phone, email FROM ticket_contacts WHERE ticket_id = $1")
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(name, phone, email)| ReporterContact { name, phone, email }))
    }

    #[tracing::instrument(skip_all, fields(backend = "postgres", %id))]
    async fn token_hash(&self, id: TicketId) -> StoreResult<Option<Vec<u8>>> {
        Ok(sqlx::query_scalar("SELECT token_hash FROM ticket_secrets WHERE ticket_id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?)
    }

    #[tracing::instrument(skip_all, fields(backend = "postgres", %id))]
    async fn replace_token_hash(&self, id: TicketId, token_hash: &[u8]) -> StoreResult<()> {
        let done = sqlx::query("UPDATE ticket_secrets SET token_hash = $2 WHERE ticket_id = $1")
            .bind(id.0)
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("ticket {id}")));
        }
        Ok(())
    }

    /// `UPDATE … WHERE id = $1 AND version = $expected` (every column but `id` and `code`),
    /// then the event, in one transaction. No row updated → [`StoreError::VersionConflict`]
    /// (or [`StoreError::NotFound`] if there is no such ticket).
    #[tracing::instrument(skip_all, fields(backend = "postgres", id = %ticket.id, expected_version = expected_version))]
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
        let mut tx = self.pool.begin().await?;
        let row = bind_ticket_fields(sqlx::query(UPDATE_TICKET), &ticket)
            .bind(ticket.id.0)
            .bind(expected_version)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else {
            let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM tickets WHERE id = $1)")
                .bind(ticket.id.0)
                .fetch_one(&mut *tx)
                .await?;
            tx.rollback().await?;
            return Err(if exists {
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

    #[tracing::instrument(skip_all, fields(backend = "postgres", after = after, limit = limit))]
    async fn events_after(&self, after: i64, limit: i64) -> StoreResult<Vec<TicketEvent>> {
        let rows = sqlx::query(
            "SELECT seq, ticket_id, kind, actor, at, note, data FROM events WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(limit.max(0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = "postgres", %id))]
    async fn ticket_events(&self, id: TicketId) -> StoreResult<Vec<TicketEvent>> {
        let rows = sqlx::query(
            "SELECT seq, ticket_id, kind, actor, at, note, data FROM events WHERE ticket_id = $1 ORDER BY seq",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = "postgres"))]
    async fn last_seq(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0)::bigint FROM events").fetch_one(&self.pool).await?)
    }

    // ---- users, sessions, API keys --------------------------------------------------------

    #[tracing::instrument(skip_all, fields(backend = "postgres", name = %new.user.name))]
    async fn create_user(&self, new: NewUser) -> StoreResult<()> {
        let u = &new.user;
        let areas: Vec<&str> = u.areas.iter().map(AreaCode::as_str).collect();
        let units: Vec<&str> = u.units.iter().map(UnitCode::as_str).collect();
        sqlx::query(
            "INSERT INTO users (id, name, display_name, role, areas, units, password_hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(u.id)
        .bind(&u.name)
        .bind(&u.display_name)
        .bind(u.role.as_str())
        .bind(&areas)
        .bind(&units)
        .bind(&new.password_hash)
        .execute(&self.pool)
        .await
        .map_err(|e| unique_to_exists(e, || format!("user {:?}", u.name)))?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(backend = "postgres", name = name))]
    async fn user_by_name(&self, name: &str) -> StoreResult<Option<(User, String)>> {
        let row =
            sqlx::query("SELECT id, name, display_name, role, areas, units, password_hash FROM users WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|row| Ok((user_from_row(&row)?, row.try_get("password_hash")?))).transpose()
    }

    /// Every user, by name.
    #[tracing::instrument(skip_all, fields(backend = "postgres"))]
    async fn users(&self) -> StoreResult<Vec<User>> {
        let rows =
            sqlx::query("SELECT id, name, display_name, role, areas, units FROM users ORDER BY name COLLATE \"C\"")
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(user_from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = "postgres", %user_id))]
    async fn create_session(&self, token_hash: &[u8], user_id: Uuid, expires_at: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
            .bind(token_hash)
            .bind(user_id)
            .bind(micros(expires_at))
            .execute(&self.pool)
            .await
            .map_err(|e| unique_to_exists(e, || "session".to_owned()))?;
        Ok(())
    }

    /// The session's user if `now < expires_at`.
    #[tracing::instrument(skip_all, fields(backend = "postgres"))]
    async fn session_user(&self, token_hash: &[u8], now: DateTime<Utc>) -> StoreResult<Option<User>> {
        let row = sqlx::query(
            "SELECT u.id, u.name, u.display_name, u.role, u.areas, u.units FROM sessions s \
             JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    #[tracing::instrument(skip_all, fields(backend = "postgres"))]
    async fn delete_session(&self, token_hash: &[u8]) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
        Ok(())
    }

    /// A taken name or key hash → [`StoreError::AlreadyExists`].
    #[tracing::instrument(skip_all, fields(backend = "postgres", name = %key.name))]
    async fn create_api_key(&self, key: &ApiKey, key_hash: &[u8]) -> StoreResult<()> {
        sqlx::query("INSERT INTO api_keys (id, name, role, key_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(key.id)
            .bind(&key.name)
            .bind(key.role.as_str())
            .bind(key_hash)
            .bind(micros(key.created_at))
            .execute(&self.pool)
            .await
            .map_err(|e| unique_to_exists(e, || format!("API key {:?}", key.name)))?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(backend = "postgres"))]
    async fn api_key(&self, key_hash: &[u8]) -> StoreResult<Option<ApiKey>> {
        let row: Option<(Uuid, String, String, DateTime<Utc>)> =
            sqlx::query_as("SELECT id, name, role, created_at FROM api_keys WHERE key_hash = $1")
                .bind(key_hash)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|(id, name, role, created_at)| {
            Ok(ApiKey { id, name, role: parse_code(&role, "api_keys.role", Role::parse)?, created_at })
        })
        .transpose()
    }
}
