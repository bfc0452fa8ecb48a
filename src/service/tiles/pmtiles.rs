//! The `pmtiles` source: a city's own offline basemap from a PMTiles v3 archive
//! (`serve --basemap-pmtiles FILE`), memory-mapped and served tile by tile as stored: gzip tiles
//! keep their gzip (sent with `Content-Encoding: gzip`), the TileJSON comes from the archive's
//! header and metadata (zooms, bounds, centre, `vector_layers`, attribution).

use std::path::Path;

use anyhow::Context as _;
use async_trait::async_trait;
use pmtiles::{AsyncPmTilesReader, Compression, MmapBackend, TileCoord, TileType};

use super::source::{Access, LayerInfo, SourceInfo, TileBody, TileError, TileFormat, TileSource};
use crate::spatial::tiles::TileId;

pub const ID: &str = "pmtiles";

/// A PMTiles archive as a tile source.
pub struct PmtilesSource {
    reader: AsyncPmTilesReader<MmapBackend>,
    info: SourceInfo,
    gzipped: bool,
}

impl PmtilesSource {
    /// Opens and checks the archive: vector (MVT) or raster (PNG, JPEG, WebP) tiles, stored
    /// uncompressed or gzip-compressed.
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
        let what = || format!("PMTiles archive {}", path.display());
        let reader = AsyncPmTilesReader::new_with_path(path).await.with_context(what)?;
        let header = reader.get_header();
        let format = match header.tile_type {
            TileType::Mvt => TileFormat::Mvt,
            TileType::Png => TileFormat::Png,
            TileType::Jpeg => TileFormat::Jpeg,
            TileType::Webp => TileFormat::Webp,
            other => anyhow::bail!("{}: tiles of type {other:?} are not served (MVT, PNG, JPEG or WebP)", what()),
        };
        let gzipped = match header.tile_compression {
            Compression::Gzip => true,
            Compression::None | Compression::Unknown => false,
            other => anyhow::bail!("{}: {other:?}-compressed tiles are not served (gzip or none)", what()),
        };
        let tj = reader.parse_tilejson(Vec::new()).await.with_context(what)?;
        let name = tj
            .name
            .clone()
            .unwrap_or_else(|| path.file_stem().map_or_else(|| "basemap".into(), |s| s.to_string_lossy().into_owned()));
        let info = SourceInfo {
            name,
            description: tj.description.clone().unwrap_or_else(|| "Bản đồ nền (PMTiles) / Basemap (PMTiles)".into()),
            attribution: tj.attribution.clone(),
            minzoom: tj.minzoom.unwrap_or(0),
            maxzoom: tj.maxzoom.unwrap_or(14).min(crate::spatial::tiles::MAX_ZOOM),
            bounds: tj.bounds.map(|b| [b.left, b.bottom, b.right, b.top]),
            center: tj.center.map(|c| [c.longitude, c.latitude, f64::from(c.zoom)]),
            layers: tj
                .vector_layers
                .unwrap_or_default()
                .into_iter()
                .map(|l| LayerInfo { id: l.id, description: l.description.unwrap_or_default(), fields: l.fields })
                .collect(),
            format,
            max_age: 86_400,
            access: Access::Public,
            cached: false,
        };
        Ok(Self { reader, info, gzipped })
    }
}

#[async_trait]
impl TileSource for PmtilesSource {
    fn id(&self) -> &str {
        ID
    }

    fn info(&self) -> &SourceInfo {
        &self.info
    }

    async fn get_tile(&self, tile: TileId) -> Result<TileBody, TileError> {
        let coord = TileCoord::new(tile.z, tile.x, tile.y).map_err(|e| TileError::new(ID, tile, e))?;
        match self.reader.get_tile(coord).await.map_err(|e| TileError::new(ID, tile, e))? {
            Some(bytes) => Ok(TileBody { bytes: bytes.to_vec(), gzipped: self.gzipped }),
            None => Ok(TileBody::default()),
        }
    }
}
