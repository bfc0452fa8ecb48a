//! Traffic and security cameras: where they stand, where they look, what they stream, and
//! whether they answer. The source URL is a secret of the centre: it is never in a
//! [`CameraView`], so never in an event or a staff response; only admins read it.

mod fov;
mod source;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::code::code_newtype;
use super::{AreaCode, Location, ValidationErrors};

pub use fov::fov_cone;
pub use source::SourceUrl;

code_newtype!(
    /// A camera's code, e.g. `DN-CAM-001`: the only way browsers name a camera.
    CameraCode
);

/// Default reach of a camera's field-of-view cone on the map, in metres.
pub const DEFAULT_RANGE_M: f64 = 80.0;
/// Longest reach accepted, in metres.
pub const MAX_RANGE_M: f64 = 2_000.0;

/// What the source URL serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CameraKind {
    /// `multipart/x-mixed-replace` JPEG frames, passed through as they come.
    Mjpeg,
    /// An HLS playlist (`.m3u8`); playlists and segments are proxied.
    Hls,
    /// A still JPEG, fetched again for each request.
    Snapshot,
}

impl CameraKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mjpeg => "mjpeg",
            Self::Hls => "hls",
            Self::Snapshot => "snapshot",
        }
    }

    pub fn parse(s: &str, field: &str) -> Result<Self, ValidationErrors> {
        match s {
            "mjpeg" => Ok(Self::Mjpeg),
            "hls" => Ok(Self::Hls),
            "snapshot" => Ok(Self::Snapshot),
            _ => Err(ValidationErrors::single(field, "kind must be mjpeg, hls or snapshot")),
        }
    }
}

/// Whether the health checker reached the camera's source the last time it tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CameraStatus {
    Online,
    Offline,
    /// Not checked since it was added or its source changed.
    Unknown,
}

impl CameraStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::Offline => "offline",
            Self::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "online" => Some(Self::Online),
            "offline" => Some(Self::Offline),
            "unknown" => Some(Self::Unknown),
            _ => None,
        }
    }
}

/// A camera as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Camera {
    pub code: CameraCode,
    /// Vietnamese name, e.g. "Cầu Rồng — đầu Sơn Trà".
    pub name: String,
    /// English name, e.g. "Dragon Bridge — Son Tra end".
    pub name_en: String,
    pub location: Location,
    /// Where the camera looks: degrees clockwise from north, `[0, 360)`.
    pub heading: f64,
    /// Horizontal field of view in degrees, `(0, 360]`.
    pub fov: f64,
    /// How far the cone reaches on the map, in metres.
    pub range_m: f64,
    pub kind: CameraKind,
    pub source: SourceUrl,
    pub status: CameraStatus,
    /// When the health checker last tried the source.
    pub last_checked: Option<DateTime<Utc>>,
    /// When the source last answered.
    pub last_seen: Option<DateTime<Utc>>,
    /// The area the camera stands in (from the area index), if any.
    pub area: Option<AreaCode>,
    /// Increases with every change (edits and status changes); 1 when created.
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

/// A camera without its source URL: what staff, events and the wall see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CameraView {
    pub code: CameraCode,
    pub name: String,
    pub name_en: String,
    pub location: Location,
    pub heading: f64,
    pub fov: f64,
    pub range_m: f64,
    pub kind: CameraKind,
    pub status: CameraStatus,
    pub last_checked: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
    pub area: Option<AreaCode>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
    /// The field-of-view cone as a closed ring of `[lon, lat]` pairs ([`fov_cone`]).
    pub cone: Vec<[f64; 2]>,
}

/// Arc segments of the cones in views.
pub const CONE_STEPS: usize = 12;

impl Camera {
    /// The public view (no source URL).
    pub fn view(&self) -> CameraView {
        CameraView {
            code: self.code.clone(),
            name: self.name.clone(),
            name_en: self.name_en.clone(),
            location: self.location,
            heading: self.heading,
            fov: self.fov,
            range_m: self.range_m,
            kind: self.kind,
            status: self.status,
            last_checked: self.last_checked,
            last_seen: self.last_seen,
            area: self.area.clone(),
            version: self.version,
            updated_at: self.updated_at,
            cone: fov_cone(self.location, self.heading, self.fov, self.range_m, CONE_STEPS)
                .exterior()
                .coords()
                .map(|c| [c.x, c.y])
                .collect(),
        }
    }
}

/// A camera as an admin describes it (the JSON body of `POST`/`PUT /api/v1/cameras`, and the
/// properties of an imported GeoJSON feature). Parsed into a [`CameraSpec`].
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CameraInput {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    pub location: Location,
    pub heading: f64,
    pub fov: f64,
    #[serde(default)]
    pub range_m: Option<f64>,
    /// `mjpeg`, `hls` or `snapshot`.
    pub kind: String,
    /// `http://` or `https://` only.
    pub source: String,
}

/// A validated camera description: what an admin may set.
#[derive(Debug, Clone, PartialEq)]
pub struct CameraSpec {
    pub code: CameraCode,
    pub name: String,
    pub name_en: String,
    pub location: Location,
    pub heading: f64,
    pub fov: f64,
    pub range_m: f64,
    pub kind: CameraKind,
    pub source: SourceUrl,
}

impl CameraInput {
    /// Checks every field, naming each one at fault. A heading of 360 becomes 0.
    pub fn parse(&self) -> Result<CameraSpec, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let code = errs.take(CameraCode::parse(&self.code, "code").and_then(|c| {
            if c.as_str().bytes().all(|b| b == b'.') {
                Err(ValidationErrors::single("code", "a code cannot be only dots"))
            } else {
                Ok(c)
            }
        }));
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            errs.push("name", "name must be 1-200 characters");
        }
        let name_en = self.name_en.as_deref().map(str::trim).filter(|n| !n.is_empty()).unwrap_or(name);
        if name_en.chars().count() > 200 {
            errs.push("name_en", "name_en must be at most 200 characters");
        }
        let location = errs.take(Location::parse(self.location.lon, self.location.lat, "location."));
        if !(self.heading.is_finite() && (0.0..=360.0).contains(&self.heading)) {
            errs.push("heading", "heading must be degrees from north, 0 to 360");
        }
        if !(self.fov.is_finite() && self.fov > 0.0 && self.fov <= 360.0) {
            errs.push("fov", "fov must be degrees, more than 0 and at most 360");
        }
        let range_m = self.range_m.unwrap_or(DEFAULT_RANGE_M);
        if !(range_m.is_finite() && range_m > 0.0 && range_m <= MAX_RANGE_M) {
            errs.push("range_m", format!("range_m must be metres, more than 0 and at most {MAX_RANGE_M}"));
        }
        let kind = errs.take(CameraKind::parse(&self.kind, "kind"));
        let source = errs.take(SourceUrl::parse(&self.source, "source"));
        errs.into_result()?;
        let (Some(code), Some(location), Some(kind), Some(source)) = (code, location, kind, source) else {
            unreachable!("no errors means every field parsed")
        };
        Ok(CameraSpec {
            code,
            name: name.to_owned(),
            name_en: name_en.to_owned(),
            location,
            heading: self.heading % 360.0,
            fov: self.fov,
            range_m,
            kind,
            source,
        })
    }
}

impl CameraSpec {
    /// The camera this spec describes, replacing `old` (if any). A new camera, or one whose
    /// kind or source changed, starts `unknown` until the health checker tries it.
    pub fn into_camera(self, old: Option<&Camera>, area: Option<AreaCode>, now: DateTime<Utc>) -> Camera {
        let same_source = old.is_some_and(|o| o.kind == self.kind && o.source == self.source);
        let (status, last_checked, last_seen) = match old {
            Some(o) if same_source => (o.status, o.last_checked, o.last_seen),
            _ => (CameraStatus::Unknown, None, None),
        };
        Camera {
            code: self.code,
            name: self.name,
            name_en: self.name_en,
            location: self.location,
            heading: self.heading,
            fov: self.fov,
            range_m: self.range_m,
            kind: self.kind,
            source: self.source,
            status,
            last_checked,
            last_seen,
            area,
            version: old.map_or(1, |o| o.version + 1),
            updated_at: now,
        }
    }
}

/// What a camera event says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CameraEventKind {
    /// The health checker found the camera online or offline (a change).
    #[serde(rename = "camera.status")]
    Status,
    /// An admin (or an import) created or edited the camera.
    #[serde(rename = "camera.updated")]
    Updated,
    /// An admin deleted the camera.
    #[serde(rename = "camera.deleted")]
    Deleted,
}

impl CameraEventKind {
    pub fn wire_name(self) -> &'static str {
        match self {
            Self::Status => "camera.status",
            Self::Updated => "camera.updated",
            Self::Deleted => "camera.deleted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "camera.status" => Some(Self::Status),
            "camera.updated" => Some(Self::Updated),
            "camera.deleted" => Some(Self::Deleted),
            _ => None,
        }
    }
}

/// One row of the cameras' outbox: `data` is the [`CameraView`] after the change (for a
/// deletion, the last view), never the source URL.
#[derive(Debug, Clone, PartialEq)]
pub struct CameraEvent {
    /// Increases in commit order (its own sequence, apart from the tickets' `seq`).
    pub seq: i64,
    pub camera: CameraCode,
    pub kind: CameraEventKind,
    pub at: DateTime<Utc>,
    pub data: serde_json::Value,
}
