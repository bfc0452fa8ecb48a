//! Photos of tickets (the files are in the media directory; these are their rows).

use sqlx::Row;
use sqlx::sqlite::{SqlitePool, SqliteRow};

use super::{begin_write, ts, uuid};
use crate::domain::{PhotoHash, PhotoKind, TicketEvent, TicketId, TicketPhoto};
use crate::store::codec::{micros, parse_code, parse_uuid, ts_text};
use crate::store::{AddedPhotos, NewTicketPhoto, StoreError, StoreResult};

macro_rules! cols {
    () => {
        "ticket_id, hash, kind, width, height, bytes, uploaded_by, public, created_at, position"
    };
}
const OF_TICKET: &str = concat!("SELECT ", cols!(), " FROM ticket_photos WHERE ticket_id = ?1 ORDER BY position");
const INSERT: &str = concat!(
    "INSERT INTO ticket_photos (",
    cols!(),
    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?9) RETURNING ",
    cols!()
);
const WITH_HASH: &str =
    concat!("SELECT ", cols!(), " FROM ticket_photos WHERE hash = ?1 ORDER BY created_at, ticket_id");
const SET_PUBLIC: &str =
    concat!("UPDATE ticket_photos SET public = ?3 WHERE ticket_id = ?1 AND hash = ?2 RETURNING ", cols!());

fn photo_from_row(row: &SqliteRow) -> StoreResult<TicketPhoto> {
    let non_negative = |column: &str| -> StoreResult<u64> {
        let v: i64 = row.try_get(column)?;
        u64::try_from(v).map_err(|_| StoreError::Corrupt(format!("ticket_photos.{column} = {v}")))
    };
    let dimension = |column: &str| -> StoreResult<u32> {
        let v = non_negative(column)?;
        u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("ticket_photos.{column} = {v}")))
    };
    let uploaded_by: Option<&str> = row.try_get("uploaded_by")?;
    Ok(TicketPhoto {
        ticket_id: TicketId(uuid(row, "ticket_photos", "ticket_id")?),
        hash: parse_code(row.try_get("hash")?, "ticket_photos.hash", PhotoHash::parse)?,
        kind: parse_code(row.try_get("kind")?, "ticket_photos.kind", PhotoKind::parse)?,
        width: dimension("width")?,
        height: dimension("height")?,
        bytes: non_negative("bytes")?,
        uploaded_by: uploaded_by.map(|u| parse_uuid(u, "ticket_photos.uploaded_by")).transpose()?,
        public: row.try_get::<i64, _>("public")? != 0,
        created_at: ts(row, "ticket_photos", "created_at")?,
        position: row.try_get("position")?,
    })
}

/// Inside one `BEGIN IMMEDIATE` transaction (SQLite's single writer serialises concurrent
/// additions): checks the ticket, counts its photos, inserts what is new.
#[tracing::instrument(skip_all, fields(backend = "sqlite", %ticket, photos = photos.len()))]
pub(super) async fn add_ticket_photos(
    pool: &SqlitePool,
    ticket: TicketId,
    photos: &[NewTicketPhoto],
    max_per_ticket: usize,
    event: TicketEvent,
) -> StoreResult<AddedPhotos> {
    let mut tx = begin_write(pool).await?;
    let id = ticket.to_string();
    let Some(current) = super::tickets::ticket_in(&mut tx, ticket).await? else {
        return Err(StoreError::NotFound(format!("ticket {ticket}")));
    };
    let rows = sqlx::query(OF_TICKET).bind(&id).fetch_all(&mut *tx).await?;
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
        let row = sqlx::query(INSERT)
            .bind(&id)
            .bind(p.hash.as_str())
            .bind(p.kind.as_str())
            .bind(i64::from(p.width))
            .bind(i64::from(p.height))
            .bind(i64::try_from(p.bytes).map_err(|_| StoreError::Invalid(format!("bytes {}", p.bytes)))?)
            .bind(p.uploaded_by.map(|u| u.to_string()))
            .bind(ts_text(micros(p.created_at)))
            .bind(next)
            .fetch_one(&mut *tx)
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
        _ => Some(super::outbox::append_event(&mut tx, &current, event).await?),
    };
    tx.commit().await?;
    Ok(AddedPhotos::Added { photos: out, event })
}

#[tracing::instrument(skip_all, fields(backend = "sqlite", %ticket))]
pub(super) async fn ticket_photos(pool: &SqlitePool, ticket: TicketId) -> StoreResult<Vec<TicketPhoto>> {
    let rows = sqlx::query(OF_TICKET).bind(ticket.to_string()).fetch_all(pool).await?;
    rows.iter().map(photo_from_row).collect()
}

#[tracing::instrument(skip_all, fields(backend = "sqlite", %hash))]
pub(super) async fn photos_with_hash(pool: &SqlitePool, hash: &PhotoHash) -> StoreResult<Vec<TicketPhoto>> {
    let rows = sqlx::query(WITH_HASH).bind(hash.as_str()).fetch_all(pool).await?;
    rows.iter().map(photo_from_row).collect()
}

#[tracing::instrument(skip_all, fields(backend = "sqlite", %ticket, %hash, public))]
pub(super) async fn set_photo_public(
    pool: &SqlitePool,
    ticket: TicketId,
    hash: &PhotoHash,
    public: bool,
) -> StoreResult<TicketPhoto> {
    let row = sqlx::query(SET_PUBLIC)
        .bind(ticket.to_string())
        .bind(hash.as_str())
        .bind(i64::from(public))
        .fetch_optional(pool)
        .await?;
    row.as_ref()
        .map(photo_from_row)
        .transpose()?
        .ok_or_else(|| StoreError::NotFound(format!("photo {hash} of ticket {ticket}")))
}
