//! The tile server's command-line flags (and environment variables), flattened into
//! `switchboard serve`.

use std::path::PathBuf;

use crate::service::tiles::TileSettings;

/// Vector tiles (`docs/tiles.md`).
#[derive(Debug, clap::Args)]
pub struct TileFlags {
    /// A PMTiles v3 archive to serve as the `pmtiles` tile source (the city's own offline basemap).
    #[arg(long, env = "SWITCHBOARD_BASEMAP_PMTILES")]
    pub basemap_pmtiles: Option<PathBuf>,
    /// Megabytes of finished tiles kept in memory (0 turns the tile cache off).
    #[arg(long, env = "SWITCHBOARD_TILE_CACHE_MB", default_value_t = 256)]
    pub tile_cache_mb: u64,
}

impl TileFlags {
    /// The tile server's settings.
    pub fn settings(&self) -> anyhow::Result<TileSettings> {
        if let Some(p) = &self.basemap_pmtiles {
            anyhow::ensure!(p.is_file(), "--basemap-pmtiles: no such file {}", p.display());
        }
        anyhow::ensure!(self.tile_cache_mb <= 1 << 20, "--tile-cache-mb must be at most 1048576");
        Ok(TileSettings { basemap_pmtiles: self.basemap_pmtiles.clone(), cache_bytes: self.tile_cache_mb << 20 })
    }
}
