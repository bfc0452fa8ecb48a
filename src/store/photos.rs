//! [`PhotoStore`]: photos of tickets (the files are in the media directory; these are their
//! rows).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::codec::parse_code;
use super::outbox::append_event;
use super::sql::{Bind, Dialect, Get, SqlStore, WriteTransaction};
use super::tickets::ticket_for_update;
use super::{StoreError, StoreResult};
use crate::domain::{PhotoHash, PhotoKind, TicketEvent, TicketId, TicketPhoto};

#[async_trait]
pub trait PhotoStore: Send + Sync {
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
    async fn ticket_photos(&self, ticket: TicketId) -> StoreResult<Vec<TicketPhoto>>;
    /// Every ticket's photo with this hash (a file may be shared), oldest first.
    async fn photos_with_hash(&self, hash: &PhotoHash) -> StoreResult<Vec<TicketPhoto>>;
    /// Publishes or withdraws one photo of a ticket; [`StoreError::NotFound`] if the ticket has
    /// no photo with this hash. Returns the photo as stored.
    async fn set_photo_public(&self, ticket: TicketId, hash: &PhotoHash, public: bool) -> StoreResult<TicketPhoto>;
}

/// A photo to attach to a ticket (see [`PhotoStore::add_ticket_photos`]); its files are stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTicketPhoto {
    pub hash: PhotoHash,
    pub kind: PhotoKind,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    pub uploaded_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl NewTicketPhoto {
    /// How many distinct hashes of `new` a ticket with `stored` photos does not have yet.
    pub(crate) fn count_fresh(stored: &[TicketPhoto], new: &[Self]) -> usize {
        let mut seen: Vec<&PhotoHash> = stored.iter().map(|p| &p.hash).collect();
        let before = seen.len();
        for p in new {
            if !seen.contains(&&p.hash) {
                seen.push(&p.hash);
            }
        }
        seen.len() - before
    }
}

/// What [`PhotoStore::add_ticket_photos`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum AddedPhotos {
    /// One stored photo per photo asked for, in the same order (new or already there), and
    /// the event appended when any was new.
    Added { photos: Vec<TicketPhoto>, event: Option<TicketEvent> },
    /// Nothing was added: the ticket has `existing` photos and the new ones would exceed the limit.
    TooMany { existing: usize },
}

macro_rules! cols {
    () => {
        "ticket_id, hash, kind, width, height, bytes, uploaded_by, public, created_at, position"
    };
}
const OF_TICKET: &str = concat!("SELECT ", cols!(), " FROM ticket_photos WHERE ticket_id = $1 ORDER BY position");
const INSERT: &str = concat!(
    "INSERT INTO ticket_photos (",
    cols!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, false, $8, $9) RETURNING ",
    cols!()
);
const WITH_HASH: &str =
    concat!("SELECT ", cols!(), " FROM ticket_photos WHERE hash = $1 ORDER BY created_at, ticket_id");
const SET_PUBLIC: &str =
    concat!("UPDATE ticket_photos SET public = $3 WHERE ticket_id = $1 AND hash = $2 RETURNING ", cols!());

fn photo_from_row(row: &impl Get) -> StoreResult<TicketPhoto> {
    let non_negative = |column: &str| -> StoreResult<u64> {
        let v: i64 = row.col(column)?;
        u64::try_from(v).map_err(|_| StoreError::Corrupt(format!("ticket_photos.{column} = {v}")))
    };
    let dimension = |column: &str| -> StoreResult<u32> {
        let v = non_negative(column)?;
        u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("ticket_photos.{column} = {v}")))
    };
    Ok(TicketPhoto {
        ticket_id: TicketId(row.col("ticket_photos.ticket_id")?),
        hash: parse_code(&row.col::<String>("hash")?, "ticket_photos.hash", PhotoHash::parse)?,
        kind: parse_code(&row.col::<String>("kind")?, "ticket_photos.kind", PhotoKind::parse)?,
        width: dimension("width")?,
        height: dimension("height")?,
        bytes: non_negative("bytes")?,
        uploaded_by: row.col("ticket_photos.uploaded_by")?,
        public: row.col("public")?,
        created_at: row.col("ticket_photos.created_at")?,
        position: row.col("position")?,
    })
}

#[async_trait]
impl<D: Dialect> PhotoStore for SqlStore<D> {
    /// In one write transaction that reads the ticket for update (PostgreSQL locks its row;
    /// SQLite's single writer serialises): counts its photos, inserts what is new.
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %ticket, photos = photos.len()))]
    async fn add_ticket_photos(
        &self,
        ticket: TicketId,
        photos: &[NewTicketPhoto],
        max_per_ticket: usize,
        event: TicketEvent,
    ) -> StoreResult<AddedPhotos> {
        let mut tx = self.begin_write().await?;
        let Some(current) = ticket_for_update::<D>(&mut tx, ticket).await? else {
            return Err(StoreError::NotFound(format!("ticket {ticket}")));
        };
        let rows = D::query(OF_TICKET).arg(ticket).fetch_all(D::conn(&mut tx)).await?;
        let mut stored = rows.iter().map(photo_from_row).collect::<StoreResult<Vec<_>>>()?;
        let existing = stored.len();
        if existing + NewTicketPhoto::count_fresh(&stored, photos) > max_per_ticket {
            return Ok(AddedPhotos::TooMany { existing });
        }
        let mut next = stored.iter().map(|p| p.position).max().unwrap_or(0) + 1;
        let mut out = Vec::with_capacity(photos.len());
        let mut fresh = 0;
        for p in photos {
            if let Some(same) = stored.iter().find(|s| s.hash == p.hash) {
                out.push(same.clone());
                continue;
            }
            let row = D::query(INSERT)
                .arg(ticket)
                .arg(p.hash.as_str())
                .arg(p.kind.as_str())
                .arg(i64::from(p.width))
                .arg(i64::from(p.height))
                .arg(i64::try_from(p.bytes).map_err(|_| StoreError::Invalid(format!("bytes {}", p.bytes)))?)
                .arg(p.uploaded_by)
                .arg(p.created_at)
                .arg(next)
                .fetch_one(D::conn(&mut tx))
                .await?;
            let photo = photo_from_row(&row)?;
            next += 1;
            fresh += 1;
            stored.push(photo.clone());
            out.push(photo);
        }
        // One event for the photos that are new: the timeline and the live feed show them.
        let event = match fresh {
            0 => None,
            _ => Some(append_event::<D>(&mut tx, &current, event).await?),
        };
        tx.commit().await?;
        Ok(AddedPhotos::Added { photos: out, event })
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %ticket))]
    async fn ticket_photos(&self, ticket: TicketId) -> StoreResult<Vec<TicketPhoto>> {
        let rows = D::query(OF_TICKET).arg(ticket).fetch_all(self.db()).await?;
        rows.iter().map(photo_from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %hash))]
    async fn photos_with_hash(&self, hash: &PhotoHash) -> StoreResult<Vec<TicketPhoto>> {
        let rows = D::query(WITH_HASH).arg(hash.as_str()).fetch_all(self.db()).await?;
        rows.iter().map(photo_from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %ticket, %hash, public))]
    async fn set_photo_public(&self, ticket: TicketId, hash: &PhotoHash, public: bool) -> StoreResult<TicketPhoto> {
        let row = D::query(SET_PUBLIC).arg(ticket).arg(hash.as_str()).arg(public).fetch_optional(self.db()).await?;
        row.as_ref()
            .map(photo_from_row)
            .transpose()?
            .ok_or_else(|| StoreError::NotFound(format!("photo {hash} of ticket {ticket}")))
    }
}
