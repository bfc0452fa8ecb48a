//! The [`TileSource`] trait (Martin's shape: an id, a TileJSON description and `get_tile`), and
//! what a source says about itself.

use std::collections::BTreeMap;

use async_trait::async_trait;

use crate::domain::{Role, Scope};
use crate::spatial::tiles::TileId;

/// What a source's tiles are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TileFormat {
    Mvt,
    Png,
    Jpeg,
    Webp,
}

impl TileFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            TileFormat::Mvt => "application/vnd.mapbox-vector-tile",
            TileFormat::Png => "image/png",
            TileFormat::Jpeg => "image/jpeg",
            TileFormat::Webp => "image/webp",
        }
    }

    /// TileJSON's `format` (and the tile URL's extension).
    pub fn extension(self) -> &'static str {
        match self {
            TileFormat::Mvt => "pbf",
            TileFormat::Png => "png",
            TileFormat::Jpeg => "jpg",
            TileFormat::Webp => "webp",
        }
    }
}

/// Who may read a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Everyone, signed in or not.
    Public,
    /// Only these roles (the public gets 401, other roles 403).
    Roles(&'static [Role]),
    /// Only these roles, each reading the tiles cut to its scope
    /// ([`TileSource::get_scoped_tile`]; a leader their areas, an agency its units). Cached per
    /// scope.
    Scoped(&'static [Role]),
}

impl Access {
    /// The roles of a role-bound source (`None`: public).
    pub fn roles(self) -> Option<&'static [Role]> {
        match self {
            Access::Public => None,
            Access::Roles(r) | Access::Scoped(r) => Some(r),
        }
    }
}

/// One layer of a vector source, for TileJSON's `vector_layers`.
#[derive(Debug, Clone)]
pub struct LayerInfo {
    pub id: String,
    pub description: String,
    /// Attribute name → `String`, `Number` or `Boolean`.
    pub fields: BTreeMap<String, String>,
}

/// What a source says about itself (the stuff of its TileJSON and of its HTTP headers).
#[derive(Debug, Clone)]
pub struct SourceInfo {
    pub name: String,
    pub description: String,
    pub attribution: Option<String>,
    pub minzoom: u8,
    pub maxzoom: u8,
    /// `[west, south, east, north]`, lon/lat degrees.
    pub bounds: Option<[f64; 4]>,
    /// `[lon, lat, zoom]`.
    pub center: Option<[f64; 3]>,
    pub layers: Vec<LayerInfo>,
    pub format: TileFormat,
    /// `Cache-Control: max-age` for clients, in seconds.
    pub max_age: u32,
    pub access: Access,
    /// Whether tiles go through the server's tile cache (encoded sources); a PMTiles archive is
    /// already a cache of finished tiles and is read straight from its memory map.
    pub cached: bool,
}

/// A tile as a source returns it.
#[derive(Debug, Clone, Default)]
pub struct TileBody {
    pub bytes: Vec<u8>,
    /// Whether `bytes` are gzip-compressed already (PMTiles archives usually are).
    pub gzipped: bool,
}

/// Why a source could not produce a tile; carries the source and tile so a log line explains itself.
#[derive(Debug, thiserror::Error)]
#[error("tile source {source_id}: tile {tile}: {message}")]
pub struct TileError {
    pub source_id: String,
    pub tile: TileId,
    pub message: String,
}

impl TileError {
    pub fn new(source_id: &str, tile: TileId, message: impl std::fmt::Display) -> Self {
        Self { source_id: source_id.to_owned(), tile, message: message.to_string() }
    }
}

/// A source of map tiles. Implementations hold no HTTP code; `services` gives them the
/// current index and reference data (the encoded sources read them, fixed ones ignore them).
#[async_trait]
pub trait TileSource: Send + Sync {
    /// The URL segment: `/tiles/{id}`.
    fn id(&self) -> &str;

    fn info(&self) -> &SourceInfo;

    /// The tile's bytes (empty for a tile with nothing in it). Only called for tiles within
    /// the source's zoom range.
    async fn get_tile(&self, tile: TileId) -> Result<TileBody, TileError>;

    /// The tile as a reader of `scope` may see it; asked instead of [`Self::get_tile`] when the
    /// source's access is [`Access::Scoped`]. The default ignores the scope: a source that
    /// declares itself scoped must override it.
    async fn get_scoped_tile(&self, tile: TileId, scope: &Scope) -> Result<TileBody, TileError> {
        let _ = scope;
        self.get_tile(tile).await
    }
}
