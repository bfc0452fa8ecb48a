//! Durable storage behind one interface: PostGIS ([`postgres::PgStore`]) for production and
//! embedded SQLite ([`sqlite::SqliteStore`]) for a single instance. Both pass the same
//! conformance suite (`tests/store_conformance.rs`).
//!
//! [`open`] picks the store from a database URL and migrates its schema.
//!
//! Rules every implementation keeps:
//! - A ticket change and its event commit in one transaction; the event's `seq` strictly
//!   increases in commit order of the events table (bigserial / AUTOINCREMENT).
//! - The event's `data` is the ticket as stored (`serde_json::to_value(&ticket)`), never the
//!   reporter's contact, which lives in its own table and is returned only by
//!   [`Store::contact`] (the tracking-token hash likewise only by [`Store::token_hash`]).
//! - Timestamps are kept to the microsecond (finer instants are truncated), so both backends
//!   return identical values; `create_ticket`/`update_ticket` return what was stored.
//! - Ticket codes are numbered per prefix inside the insert transaction (`code_counters`).
//! - Spatial queries over tickets are answered by the in-memory R-tree, not here; the store
//!   fetches tickets by id ([`Store::tickets_by_ids`]) in the order asked for.
//! - Lists of reference data and users come back sorted by code / name (bytewise).

pub mod cameras;
pub mod channels;
pub(crate) mod codec;
mod delegate;
pub mod planning;
pub mod postgres;
pub mod sqlite;

use std::sync::Arc;

use anyhow::Context as _;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::{
    Area, Category, EventKind, ReporterContact, Role, RoutingRule, Ticket, TicketCode, TicketEvent, TicketExtras,
    TicketId, Unit, User,
};

use crate::domain::Medium;
pub use channels::{Accepted, ChannelMessage, DeliveryOutcome, InboundMessage, NewNotification, Notification};
pub use planning::{PlanningRevision, PlanningStore};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Optimistic concurrency: the ticket changed since it was read.
    #[error("ticket {0} was changed by someone else; reload and retry")]
    VersionConflict(TicketId),
    /// The same idempotency key was used with a different request.
    #[error("idempotency key was already used for a different request")]
    IdempotencyMismatch,
    /// A unique name is taken (user names, API key names).
    #[error("{0} already exists")]
    AlreadyExists(String),
    #[error("not found: {0}")]
    NotFound(String),
    /// The caller broke a precondition of the call (e.g. an event for another ticket, or a
    /// ticket whose `version` is not `expected_version + 1`): a bug, not bad user input.
    #[error("invalid store request: {0}")]
    Invalid(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Called by a store's event watcher ([`Store::watch_events`]) to wake the outbox follower.
pub type EventWake = std::sync::Arc<dyn Fn() + Send + Sync>;

/// Where the store lives when no database URL is given: an SQLite file, created on first run.
pub const DEFAULT_DATABASE_URL: &str = "sqlite:./data/switchboard.db";

/// Opens the store a database URL names and brings its schema up to date:
/// `postgres://…` or `postgresql://…` → [`postgres::PgStore`]; `sqlite:…` →
/// [`sqlite::SqliteStore`]; `None` → [`DEFAULT_DATABASE_URL`]. Any other scheme is an error.
pub async fn open(database_url: Option<&str>) -> anyhow::Result<Arc<dyn Store>> {
    let url = database_url.unwrap_or(DEFAULT_DATABASE_URL);
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(postgres::PgStore::connect(url).await?))
    } else if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::SqliteStore::open(url).await?))
    } else {
        let scheme = url.split_once(':').map_or(url, |(s, _)| s);
        Err(anyhow::anyhow!(
            "unsupported database URL scheme {scheme:?}: use postgres://USER@HOST/DB (PostGIS) or sqlite:PATH"
        ))
        .context("opening the store")
    }
}

/// `url` with any password replaced by `***`, for error messages and logs.
pub(crate) fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// An `Idempotency-Key` with the hash of the request it was first used for.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    /// The client's key, scoped by the caller (e.g. `"{actor}:{key}"`).
    pub key: String,
    /// SHA-256 of the canonical request body.
    pub request_hash: Vec<u8>,
}

/// A ticket to insert. `ticket.code` is ignored: the store numbers the ticket within
/// `code_prefix` (see [`TicketCode::compose`]) inside the insert transaction.
#[derive(Debug, Clone)]
pub struct NewTicketRecord {
    pub ticket: Ticket,
    pub code_prefix: String,
    pub contact: ReporterContact,
    /// SHA-256 of the citizen's tracking token.
    pub token_hash: Vec<u8>,
    /// The `created` event (its `seq` and `data` are filled in by the store: `data` is the
    /// ticket as stored, serialised with serde_json).
    pub event: TicketEvent,
    /// A media URL and attribute answers, stored in the same transaction when not empty
    /// (read back with [`Store::ticket_extras`]).
    pub extras: TicketExtras,
}

/// What [`Store::create_ticket`] did.
#[derive(Debug, Clone)]
pub enum Created {
    /// A new ticket was committed, with its `created` event.
    New { ticket: Ticket, event: TicketEvent },
    /// The idempotency key was seen before with the same request: the ticket it made.
    Replayed { ticket: Ticket },
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub user: User,
    /// argon2id PHC string.
    pub password_hash: String,
}

/// An API key as stored (its secret only as a hash).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiKey {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

#[async_trait]
pub trait Store: planning::PlanningStore + cameras::CameraStore + Send + Sync + 'static {
    fn backend(&self) -> Backend;

    /// Cheap round trip to the database (for `/readyz`).
    async fn ping(&self) -> StoreResult<()>;

    // ---- reference data -------------------------------------------------------------------

    /// Inserts or replaces area versions, keyed by `(code, valid_from)`.
    async fn upsert_areas(&self, areas: &[Area]) -> StoreResult<()>;
    /// Every stored area version.
    async fn areas(&self) -> StoreResult<Vec<Area>>;
    /// Inserts or replaces categories by code.
    async fn upsert_categories(&self, categories: &[Category]) -> StoreResult<()>;
    async fn categories(&self) -> StoreResult<Vec<Category>>;
    /// Inserts or replaces units by code.
    async fn upsert_units(&self, units: &[Unit]) -> StoreResult<()>;
    async fn units(&self) -> StoreResult<Vec<Unit>>;
    /// Replaces the whole rule list (order is kept).
    async fn replace_routing_rules(&self, rules: &[RoutingRule]) -> StoreResult<()>;
    async fn routing_rules(&self) -> StoreResult<Vec<RoutingRule>>;

    // ---- tickets --------------------------------------------------------------------------

    /// Commits a new ticket, its contact, its token hash, its `created` event and (if given)
    /// the idempotency key, in one transaction. A key seen before with the same
    /// `request_hash` returns [`Created::Replayed`]; with another hash,
    /// [`StoreError::IdempotencyMismatch`]. Safe under concurrent retries with one key.
    async fn create_ticket(&self, new: NewTicketRecord, idem: Option<IdempotencyKey>) -> StoreResult<Created>;
    async fn ticket(&self, id: TicketId) -> StoreResult<Option<Ticket>>;
    async fn ticket_by_code(&self, code: &TicketCode) -> StoreResult<Option<Ticket>>;
    /// Tickets with these ids, in the order of `ids` (missing ids are skipped).
    async fn tickets_by_ids(&self, ids: &[TicketId]) -> StoreResult<Vec<Ticket>>;
    /// Every ticket (to bulk-load the index at start-up).
    async fn all_tickets(&self) -> StoreResult<Vec<Ticket>>;
    async fn contact(&self, id: TicketId) -> StoreResult<Option<ReporterContact>>;
    async fn token_hash(&self, id: TicketId) -> StoreResult<Option<Vec<u8>>>;
    /// Replaces a ticket's tracking-token hash (a replayed intake hands out a fresh token);
    /// [`StoreError::NotFound`] if the ticket has none.
    async fn replace_token_hash(&self, id: TicketId, token_hash: &[u8]) -> StoreResult<()>;
    /// Stores `ticket` (whose `version` must be `expected_version + 1`) and `event` in one
    /// transaction; [`StoreError::VersionConflict`] if the stored version is not
    /// `expected_version`, [`StoreError::NotFound`] if there is no such ticket,
    /// [`StoreError::Invalid`] if `ticket.version` or `event.ticket_id` do not fit. `id` and
    /// `code` never change. Returns the event with its `seq` and `data` filled in.
    async fn update_ticket(
        &self,
        ticket: &Ticket,
        expected_version: i64,
        event: TicketEvent,
    ) -> StoreResult<TicketEvent>;
    /// Events with `seq > after`, ascending, at most `limit`.
    async fn events_after(&self, after: i64, limit: i64) -> StoreResult<Vec<TicketEvent>>;
    /// One ticket's events, oldest first.
    async fn ticket_events(&self, id: TicketId) -> StoreResult<Vec<TicketEvent>>;
    /// The highest committed `seq` (0 when there are no events).
    async fn last_seq(&self) -> StoreResult<i64>;
    /// The wake-up source for events other instances commit: a task that calls `wake` after
    /// each such commit and after every (re)connect (calls sent while disconnected are lost).
    /// `None` where no other instance can write (SQLite). Wake-up calls carry no data: the
    /// caller reads the outbox with [`Store::events_after`].
    fn watch_events(&self, wake: EventWake) -> Option<tokio::task::JoinHandle<()>>;

    // ---- users, sessions, API keys --------------------------------------------------------

    /// [`StoreError::AlreadyExists`] if the name is taken.
    async fn create_user(&self, new: NewUser) -> StoreResult<()>;
    /// The user and their password hash.
    async fn user_by_name(&self, name: &str) -> StoreResult<Option<(User, String)>>;
    async fn users(&self) -> StoreResult<Vec<User>>;
    async fn create_session(&self, token_hash: &[u8], user_id: Uuid, expires_at: DateTime<Utc>) -> StoreResult<()>;
    /// The user of a session that is unexpired at `now` (`now < expires_at`).
    async fn session_user(&self, token_hash: &[u8], now: DateTime<Utc>) -> StoreResult<Option<User>>;
    async fn delete_session(&self, token_hash: &[u8]) -> StoreResult<()>;
    /// [`StoreError::AlreadyExists`] if the name is taken.
    async fn create_api_key(&self, key: &ApiKey, key_hash: &[u8]) -> StoreResult<()>;
    async fn api_key(&self, key_hash: &[u8]) -> StoreResult<Option<ApiKey>>;

    // ---- Open311 --------------------------------------------------------------------------

    /// The extras of those of `ids` that have any, in the order of `ids`.
    async fn ticket_extras(&self, ids: &[TicketId]) -> StoreResult<Vec<(TicketId, TicketExtras)>>;
    /// Events of the given kinds with `from <= at <= to`, by `seq`, skipping the first
    /// `offset`, at most `limit`.
    async fn events_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        kinds: &[EventKind],
        offset: i64,
        limit: i64,
    ) -> StoreResult<Vec<TicketEvent>>;

    // ---- photos ---------------------------------------------------------------------------

    /// Adds photos to a ticket in one transaction, after their files are durable. A hash the
    /// ticket already has (or that comes twice) is not added again: its stored row is returned
    /// in its place. New photos take the next positions. If the ticket would end up with more
    /// than `max_per_ticket` photos, nothing is added ([`AddedPhotos::TooMany`]). Concurrent
    /// calls for one ticket are serialised. [`StoreError::NotFound`] if there is no such ticket.
    /// When any photo is new, `event` (a `photo_added`) is appended in the same transaction, with
    /// the ticket as its data; the ticket's version does not change.
    async fn add_ticket_photos(
        &self,
        ticket: TicketId,
        photos: &[NewTicketPhoto],
        max_per_ticket: usize,
        event: TicketEvent,
    ) -> StoreResult<AddedPhotos>;
    /// A ticket's photos by position.
    async fn ticket_photos(&self, ticket: TicketId) -> StoreResult<Vec<crate::domain::TicketPhoto>>;
    /// Every ticket's photo with this hash (a file may be shared), oldest first.
    async fn photos_with_hash(&self, hash: &crate::domain::PhotoHash) -> StoreResult<Vec<crate::domain::TicketPhoto>>;
    /// Publishes or withdraws one photo of a ticket; [`StoreError::NotFound`] if the ticket has
    /// no photo with this hash. Returns the photo as stored.
    async fn set_photo_public(
        &self,
        ticket: TicketId,
        hash: &crate::domain::PhotoHash,
        public: bool,
    ) -> StoreResult<crate::domain::TicketPhoto>;

    // ---- channels and notifications (chat/SMS webhooks, the notifier) -----------------------

    /// Records a webhook message once per (medium, message id): a message seen before is
    /// [`Accepted::Seen`] as stored then. A new one is merged with its sender's draft (texts
    /// joined by a newline, a later location replacing an earlier one; a draft last touched
    /// before `draft_since` is forgotten); if the result has both text and location, the draft
    /// is consumed and the message stored `complete` with the merged report, else the draft
    /// keeps the merge. One transaction; safe under concurrent messages of one sender.
    async fn accept_message(&self, msg: InboundMessage, draft_since: DateTime<Utc>) -> StoreResult<Accepted>;
    /// Notes the ticket filed from a message.
    async fn link_message(&self, medium: Medium, message_id: &str, ticket: TicketId) -> StoreResult<()>;
    /// The medium and sender of the message a ticket was filed from, if any (personal data).
    async fn message_sender(&self, ticket: TicketId) -> StoreResult<Option<(Medium, String)>>;
    /// Inserts notifications whose `dedup_key` is new (others are skipped), due at `now`.
    /// Returns how many were inserted.
    async fn enqueue_notifications(&self, items: &[NewNotification], now: DateTime<Utc>) -> StoreResult<u64>;
    /// Claims up to `limit` notifications due at `now` (oldest due first): each gets one more
    /// attempt and is due again at `lease_until` unless finished before. Concurrent claimers
    /// never get the same row (`FOR UPDATE SKIP LOCKED` on PostgreSQL).
    async fn claim_notifications(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<Notification>>;
    /// Records how an attempt ended.
    async fn finish_notification(&self, id: Uuid, outcome: DeliveryOutcome) -> StoreResult<()>;
    /// A ticket's notifications, oldest first.
    async fn ticket_notifications(&self, ticket: TicketId) -> StoreResult<Vec<Notification>>;
    /// Notifications to one recipient, oldest first.
    async fn recipient_notifications(&self, medium: Medium, recipient: &str) -> StoreResult<Vec<Notification>>;
    /// The last event `seq` the notifier has planned notifications for.
    async fn notify_cursor(&self) -> StoreResult<i64>;
    /// Moves the notifier's cursor forward to `seq` (never back).
    async fn advance_notify_cursor(&self, seq: i64) -> StoreResult<()>;

    // ---- phone calls (the console's intake) -----------------------------------------------

    /// Stores, or replaces, the details of the call ticket `id` was taken from: personal data,
    /// kept apart from the ticket like its contact and never put in an event.
    /// [`StoreError::NotFound`] if there is no such ticket. `started_at` is kept to the
    /// microsecond.
    async fn put_call(&self, id: TicketId, call: &crate::domain::CallRecord) -> StoreResult<()>;
    /// The details of the call ticket `id` was taken from, if it came by phone.
    async fn call(&self, id: TicketId) -> StoreResult<Option<crate::domain::CallRecord>>;
}

/// A photo to attach to a ticket (see [`Store::add_ticket_photos`]); its files are stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTicketPhoto {
    pub hash: crate::domain::PhotoHash,
    pub kind: crate::domain::PhotoKind,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    pub uploaded_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl NewTicketPhoto {
    /// How many distinct hashes of `new` a ticket with `stored` photos does not have yet.
    pub(crate) fn count_fresh(stored: &[crate::domain::TicketPhoto], new: &[Self]) -> usize {
        let mut seen: Vec<&crate::domain::PhotoHash> = stored.iter().map(|p| &p.hash).collect();
        let before = seen.len();
        for p in new {
            if !seen.contains(&&p.hash) {
                seen.push(&p.hash);
            }
        }
        seen.len() - before
    }
}

/// What [`Store::add_ticket_photos`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum AddedPhotos {
    /// One stored photo per photo asked for, in the same order (new or already there), and
    /// the event appended when any was new.
    Added { photos: Vec<crate::domain::TicketPhoto>, event: Option<TicketEvent> },
    /// Nothing was added: the ticket has `existing` photos and the new ones would exceed the limit.
    TooMany { existing: usize },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_url_hides_only_the_password() {
        assert_eq!(redact_url("postgres://sb:s3cret@db:5432/sb?x=1"), "postgres://sb:***@db:5432/sb?x=1");
        assert_eq!(redact_url("postgres://postgres@127.0.0.1/sb"), "postgres://postgres@127.0.0.1/sb");
        assert_eq!(redact_url("sqlite:./data/switchboard.db"), "sqlite:./data/switchboard.db");
    }

    #[tokio::test]
    async fn open_refuses_an_unknown_scheme_naming_it() {
        let err = open(Some("mysql://localhost/sb")).await.err().expect("mysql is not supported");
        assert!(format!("{err:#}").contains("\"mysql\""), "{err:#}");
    }
}
