//! Photos of tickets: who may add which kind, storing them (files first, then rows), who sees
//! which, and publishing report photos. Decoding and the files are [`crate::media`]'s.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::{ServiceError, ServiceResult, Tickets};
use crate::domain::{
    EventKind, PhotoHash, PhotoKind, Principal, Role, Status, Ticket, TicketEvent, TicketId, TicketPhoto,
    TrackingToken, ValidationErrors,
};
use crate::media::{MediaError, MediaStore, Processed, Variant};
use crate::store::{AddedPhotos, NewTicketPhoto};

/// How long after filing the citizen may still add report photos once the centre has moved
/// the ticket on (while it is `received` they always may).
pub const CITIZEN_WINDOW: Duration = Duration::hours(1);

/// A photo as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PhotoView {
    /// SHA-256 of the stored JPEG.
    pub hash: PhotoHash,
    pub kind: PhotoKind,
    /// `/media/{hash}.jpg`: at most 2560 pixels on the longest edge.
    pub url: String,
    /// `/media/{hash}.thumb.jpg`: at most 320 pixels.
    pub thumb_url: String,
    pub width: u32,
    pub height: u32,
    /// Size of the stored JPEG in bytes.
    pub bytes: u64,
    /// Whether the public sees it now (a published report photo, or a result photo of a
    /// resolved or closed ticket).
    pub public: bool,
    pub created_at: DateTime<Utc>,
}

impl PhotoView {
    fn new(p: &TicketPhoto, status: Status) -> Self {
        Self {
            url: format!("/media/{}", Variant::Full.file_name(&p.hash)),
            thumb_url: format!("/media/{}", Variant::Thumb.file_name(&p.hash)),
            hash: p.hash.clone(),
            kind: p.kind,
            width: p.width,
            height: p.height,
            bytes: p.bytes,
            public: p.is_public(status),
            created_at: p.created_at,
        }
    }
}

/// Permission to add photos of one kind to one ticket, checked before the upload is read.
#[derive(Debug, Clone)]
pub struct UploadGrant {
    pub ticket: TicketId,
    pub kind: PhotoKind,
    uploaded_by: Option<Uuid>,
    /// Who adds them, as the event names them (`user:NAME`, `public`).
    actor: String,
    /// How many more photos the ticket may take.
    pub room: usize,
}

/// Who may fetch a photo file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoAccess {
    /// Anyone: shared caches may keep it.
    Public,
    /// Only this signed-in caller (staff who can see a ticket with this photo).
    Staff,
}

impl Tickets {
    pub(super) async fn ticket_or_404(&self, id: TicketId) -> ServiceResult<Ticket> {
        self.store.ticket(id).await?.ok_or_else(|| ServiceError::NotFound(format!("ticket {id}")))
    }

    /// The photos of `t` for staff who may see it: all of them, by position.
    pub async fn staff_photos(&self, t: &Ticket) -> ServiceResult<Vec<PhotoView>> {
        Ok(self.store.ticket_photos(t.id).await?.iter().map(|p| PhotoView::new(p, t.status)).collect())
    }

    /// The photos of ticket `id` that the public may see (for the public tracking page and
    /// Open311's `media_url`): published report photos, and the result photos once the ticket
    /// is resolved or closed.
    pub async fn photos_of(&self, id: TicketId) -> ServiceResult<Vec<PhotoView>> {
        let t = self.ticket_or_404(id).await?;
        let photos = self.store.ticket_photos(id).await?;
        Ok(photos.iter().filter(|p| p.is_public(t.status)).map(|p| PhotoView::new(p, t.status)).collect())
    }
}

/// Photos of tickets: the files (through [`MediaStore`]) and who may add or see them. Cheap to clone.
#[derive(Clone)]
pub struct Photos {
    tickets: Tickets,
    media: MediaStore,
}

impl Photos {
    pub fn new(tickets: Tickets, media: MediaStore) -> Self {
        Self { tickets, media }
    }

    /// The photo files on disk (where they are kept, their limits).
    pub fn media(&self) -> &MediaStore {
        &self.media
    }

    /// Checks that `p` may add `kind` photos (default: `result` for agency staff, `report`
    /// otherwise) to ticket `id`, before anything is read:
    /// - the public: `report` photos with the ticket's tracking token, while the ticket is
    ///   `received` or within [`CITIZEN_WINDOW`] of filing while it is open;
    /// - admins and operators: either kind, any ticket;
    /// - agency staff: `result` photos of tickets with their units (assigned, accepted, in
    ///   progress or resolved);
    /// - leaders and Open311 clients: no.
    pub async fn authorize_photo_upload(
        &self,
        id: TicketId,
        kind: Option<PhotoKind>,
        p: &Principal,
        token: Option<&str>,
    ) -> ServiceResult<UploadGrant> {
        let reference = self.tickets.reference();
        let (kind, uploaded_by) = match p.role() {
            None => (kind.unwrap_or(PhotoKind::Report), None),
            Some(Role::Admin | Role::Operator) => (kind.unwrap_or(PhotoKind::Report), user_id(p)),
            Some(Role::Agency) => (kind.unwrap_or(PhotoKind::Result), user_id(p)),
            Some(r) => return Err(ServiceError::Forbidden(format!("the {} role cannot add photos", r.as_str()))),
        };
        let t = match p.role() {
            None => {
                let token = token.filter(|t| !t.is_empty()).ok_or(ServiceError::Unauthenticated)?;
                let t = self.tickets.ticket_or_404(id).await?;
                let stored = self.tickets.store.token_hash(id).await?;
                let token = TrackingToken(token.to_owned());
                // A supporter ("me too") adds photos with the token their support gave them.
                let supporter = !stored.as_deref().is_some_and(|h| token.matches(h))
                    && self.tickets.store.supporter_token_matches(id, &token.hash()).await?;
                if !stored.is_some_and(|h| token.matches(&h)) && !supporter {
                    return Err(ServiceError::Forbidden("the tracking token does not match this ticket".into()));
                }
                if kind != PhotoKind::Report {
                    return Err(ServiceError::Forbidden("the citizen adds report photos only".into()));
                }
                let recent = self.tickets.now() - t.received_at < CITIZEN_WINDOW && t.status.is_open();
                if !(t.status == Status::Received || recent || supporter && t.status.is_open()) {
                    return Err(ServiceError::Conflict(format!(
                        "the ticket is {}: photos are added while it waits at the centre",
                        t.status.as_str()
                    )));
                }
                t
            }
            Some(Role::Agency) => {
                let t = self.tickets.ticket_or_404(id).await?;
                if !self.tickets.scope(p, &reference).is_some_and(|s| s.allows(&t)) {
                    return Err(ServiceError::OutOfScope("this ticket is not assigned to your unit".into()));
                }
                if kind != PhotoKind::Result {
                    return Err(ServiceError::Forbidden("agency staff add result photos only".into()));
                }
                if !matches!(t.status, Status::Assigned | Status::Accepted | Status::InProgress | Status::Resolved) {
                    return Err(ServiceError::Conflict(format!(
                        "the ticket is {}: result photos are added while it is with your unit",
                        t.status.as_str()
                    )));
                }
                t
            }
            Some(_) => self.tickets.ticket_or_404(id).await?,
        };
        let have = self.tickets.store.ticket_photos(t.id).await?.len();
        let room = self.media.limits().max_per_ticket.saturating_sub(have);
        Ok(UploadGrant { ticket: t.id, kind, uploaded_by, actor: p.actor_name(), room })
    }

    /// Stores checked photos: their files first (durable), then their rows in one
    /// transaction. A photo the ticket already has is returned as it is.
    pub async fn add_photos(&self, grant: &UploadGrant, photos: &[Processed]) -> ServiceResult<Vec<PhotoView>> {
        for photo in photos {
            self.media.save(photo).await.map_err(saving_error)?;
        }
        let now = self.tickets.now();
        let rows: Vec<NewTicketPhoto> = photos
            .iter()
            .map(|p| NewTicketPhoto {
                hash: p.hash.clone(),
                kind: grant.kind,
                width: p.width,
                height: p.height,
                bytes: p.jpeg.len() as u64,
                uploaded_by: grant.uploaded_by,
                created_at: now,
            })
            .collect();
        let max = self.media.limits().max_per_ticket;
        let event = TicketEvent {
            seq: 0,
            ticket_id: grant.ticket,
            kind: EventKind::PhotoAdded,
            actor: grant.actor.clone(),
            at: now,
            // "2 result": how many distinct photos of which kind this upload brought.
            note: Some(format!(
                "{} {}",
                photos.iter().map(|p| &p.hash).collect::<std::collections::HashSet<_>>().len(),
                grant.kind.as_str()
            )),
            data: serde_json::Value::Null,
        };
        match self.tickets.store.add_ticket_photos(grant.ticket, &rows, max, event).await? {
            AddedPhotos::Added { photos: stored, event } => {
                let t = self.tickets.ticket_or_404(grant.ticket).await?;
                if let Some(ev) = event {
                    self.tickets.committed(ev.seq).await;
                }
                Ok(stored.iter().map(|p| PhotoView::new(p, t.status)).collect())
            }
            AddedPhotos::TooMany { existing } => Err(too_many_for_ticket(existing, max).into()),
        }
    }

    /// Adds an image a citizen sent on a chat platform to their report, as a `report` photo
    /// (checked and re-encoded like an upload; `actor` names the channel, `channel:zalo`).
    pub async fn add_channel_photo(&self, ticket: TicketId, actor: &str, bytes: Vec<u8>) -> ServiceResult<()> {
        let processed = self
            .media
            .process(bytes)
            .await
            .map_err(|e| ServiceError::Validation(ValidationErrors::single("photo", e.to_string())))?;
        let have = self.tickets.store.ticket_photos(ticket).await?.len();
        let room = self.media.limits().max_per_ticket.saturating_sub(have);
        let grant = UploadGrant { ticket, kind: PhotoKind::Report, uploaded_by: None, actor: actor.to_owned(), room };
        self.add_photos(&grant, &[processed]).await.map(|_| ())
    }

    /// Publishes (or withdraws) a photo of ticket `id`. Roles: admin, operator.
    pub async fn set_photo_public(
        &self,
        id: TicketId,
        hash: &PhotoHash,
        public: bool,
        p: &Principal,
    ) -> ServiceResult<PhotoView> {
        if !p.role().is_some_and(Role::is_centre) {
            return Err(ServiceError::Forbidden("only the centre publishes photos".into()));
        }
        let t = self.tickets.ticket_or_404(id).await?;
        let photo = self.tickets.store.set_photo_public(id, hash, public).await?;
        Ok(PhotoView::new(&photo, t.status))
    }

    /// Whether `p` may fetch the file of `hash`: `None` when nobody may (or there is no such
    /// photo), so a private photo is indistinguishable from a missing one.
    pub async fn photo_access(&self, hash: &PhotoHash, p: &Principal) -> ServiceResult<Option<PhotoAccess>> {
        let photos = self.tickets.store.photos_with_hash(hash).await?;
        if photos.is_empty() {
            return Ok(None);
        }
        let mut ids: Vec<TicketId> = photos.iter().map(|ph| ph.ticket_id).collect();
        ids.sort_by_key(|id| id.0);
        ids.dedup();
        let tickets = self.tickets.store.tickets_by_ids(&ids).await?;
        let status_of = |id: TicketId| tickets.iter().find(|t| t.id == id).map(|t| t.status);
        if photos.iter().any(|ph| status_of(ph.ticket_id).is_some_and(|s| ph.is_public(s))) {
            return Ok(Some(PhotoAccess::Public));
        }
        let reference = self.tickets.reference();
        // An analyst's key reads figures and lists, not the citizens' unpublished photos.
        let staff = p.role() != Some(Role::Analyst)
            && self.tickets.scope(p, &reference).is_some_and(|scope| tickets.iter().any(|t| scope.allows(t)));
        Ok(staff.then_some(PhotoAccess::Staff))
    }
}

fn user_id(p: &Principal) -> Option<Uuid> {
    match p {
        Principal::User(u) => Some(u.id),
        _ => None,
    }
}

/// The problem when a ticket is full.
pub fn too_many_for_ticket(existing: usize, max: usize) -> ValidationErrors {
    ValidationErrors::single(
        "photo",
        format!("a ticket has at most {max} photos and this one has {existing}; fewer photos would fit"),
    )
}

/// A photo's file could not be written. Out of space (or a file system turned read-only):
/// nothing was kept, and the upload may succeed later (503 with `Retry-After`); anything else
/// is a fault of the server.
fn saving_error(e: MediaError) -> ServiceError {
    use std::io::ErrorKind::{QuotaExceeded, ReadOnlyFilesystem, StorageFull};
    match &e {
        MediaError::Io(io) if matches!(io.kind(), StorageFull | QuotaExceeded | ReadOnlyFilesystem) => {
            ServiceError::Unavailable {
                wait: std::time::Duration::from_secs(60),
                detail: format!("photos cannot be stored for now: {io}"),
            }
        }
        _ => ServiceError::Internal(e.into()),
    }
}
