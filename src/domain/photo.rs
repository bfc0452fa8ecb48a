//! Photos attached to tickets: the content hash that names a stored photo, what a photo shows
//! (the citizen's report or the unit's result) and the stored record.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{TicketId, ValidationErrors};

/// SHA-256 of a stored (re-encoded) JPEG, as 64 lower-case hex digits. It names the file
/// (`{hash}.jpg`, `{hash}.thumb.jpg`), so parsing it is also the guard against path traversal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
pub struct PhotoHash(String);

impl PhotoHash {
    /// Accepts exactly 64 hex digits (either case; kept lower-case).
    pub fn parse(s: &str, field: &str) -> Result<Self, ValidationErrors> {
        if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Self(s.to_ascii_lowercase()))
        } else {
            Err(ValidationErrors::single(field, "must be a photo hash: 64 hexadecimal digits"))
        }
    }

    /// The hash of `digest` (32 bytes of SHA-256).
    pub fn from_digest(digest: &[u8]) -> Self {
        Self(hex::encode(digest))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for PhotoHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PhotoHash {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s, "hash").map_err(|e| e.to_string())
    }
}

impl From<PhotoHash> for String {
    fn from(h: PhotoHash) -> String {
        h.0
    }
}

/// What a photo shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PhotoKind {
    /// Taken by the citizen (or the operator on their behalf) when reporting.
    Report,
    /// Taken by the unit to show the problem settled.
    Result,
}

impl PhotoKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PhotoKind::Report => "report",
            PhotoKind::Result => "result",
        }
    }

    pub fn parse(s: &str, field: &str) -> Result<Self, ValidationErrors> {
        match s {
            "report" => Ok(PhotoKind::Report),
            "result" => Ok(PhotoKind::Result),
            _ => Err(ValidationErrors::single(field, "must be report or result")),
        }
    }
}

/// A photo of a ticket as stored. The same file (hash) may belong to several tickets; a ticket
/// has each hash at most once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketPhoto {
    pub ticket_id: TicketId,
    pub hash: PhotoHash,
    pub kind: PhotoKind,
    /// Of the stored JPEG, in pixels (after orientation and down-scaling).
    pub width: u32,
    pub height: u32,
    /// Size of the stored JPEG.
    pub bytes: u64,
    /// The user who added it; `None` for the citizen (tracking token) or an API key.
    pub uploaded_by: Option<Uuid>,
    /// Published by the centre: a report photo the public may see.
    pub public: bool,
    pub created_at: DateTime<Utc>,
    /// 1, 2, 3, … in the order the ticket's photos were added.
    pub position: i64,
}

impl TicketPhoto {
    /// Whether the public may see this photo of a ticket in `status`: a report photo once the
    /// centre has published it; a result photo while the ticket is resolved or closed.
    pub fn is_public(&self, status: super::Status) -> bool {
        self.public
            || (self.kind == PhotoKind::Result && matches!(status, super::Status::Resolved | super::Status::Closed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_exactly_64_hex_digits() {
        let h = PhotoHash::parse(&"AB".repeat(32), "hash").unwrap();
        assert_eq!(h.as_str(), "ab".repeat(32));
        for bad in ["", "../../etc/passwd", &"a".repeat(63), &"a".repeat(65), &format!("{}g", "a".repeat(63))] {
            let err = PhotoHash::parse(bad, "hash").unwrap_err();
            assert_eq!(err.0[0].field, "hash", "{bad:?}");
        }
    }
}
