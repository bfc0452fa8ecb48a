//! Vector tiles: the sources behind `/tiles` (Martin's shape: a [`TileSource`] trait, no HTTP
//! here), the finished-tile [`cache`] with exact invalidation, and TileJSON.
//!
//! Sources: [`areas`] (administrative areas), [`tickets`] (ticket points, staff, each cut to
//! the reader's scope: [`Access::Scoped`], cached per scope, [`scopes`]),
//! `basemap` (the demo city's water and roads, [`basemap`]), `pmtiles` (a city's own PMTiles
//! archive, [`pmtiles`]) and any [`FeatureSource`] registered later (planning zones).
//!
//! Invalidation: the outbox follower calls [`Tiles::ticket_moved`] for every applied ticket
//! event (old and new position), and [`Services::reload_reference`] calls
//! [`Tiles::areas_changed`] with the boxes of the areas whose boundary or names changed.

pub mod areas;
pub mod basemap;
pub mod cache;
pub mod features;
pub mod finish;
pub mod flight;
pub mod pmtiles;
pub mod scopes;
pub mod source;
pub mod tickets;
pub mod tilejson;

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use geo::{BoundingRect, Coord, Rect};

use super::{ReferenceData, ServiceError, ServiceResult};
use crate::domain::{Location, Principal, Scope};
use crate::spatial::tiles::TileId;
use crate::spatial::tiles::grid::{lon_lat_rect_to_world, lon_lat_to_world};
use crate::spatial::{AreaIndex, TicketIndex};
pub use cache::{CachedTile, TileCache};
pub use features::FeatureSource;
pub use scopes::ScopeNo;
pub use source::{Access, SourceInfo, TileBody, TileError, TileFormat, TileSource};

/// Settings of the tile server.
#[derive(Debug, Clone)]
pub struct TileSettings {
    /// A PMTiles archive served as the `pmtiles` source (a city's own offline basemap).
    pub basemap_pmtiles: Option<PathBuf>,
    /// Bytes of finished tiles kept in memory; 0 turns the cache off.
    pub cache_bytes: u64,
}

impl Default for TileSettings {
    fn default() -> Self {
        Self { basemap_pmtiles: None, cache_bytes: 256 << 20 }
    }
}

/// Whether a tile came from the cache (`X-Tile-Cache: hit|miss`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheStatus {
    Hit,
    Miss,
}

struct Registered {
    no: u32,
    source: Arc<dyn TileSource>,
}

/// The registered sources and the tile cache. Cheap to clone.
#[derive(Clone)]
pub struct Tiles {
    sources: Arc<RwLock<Vec<Registered>>>,
    cache: Arc<TileCache>,
    /// The encodings in progress, so that concurrent misses of one tile encode it once.
    flights: Arc<flight::Flights>,
    /// The numbers of the scopes scoped sources are read with.
    scopes: Arc<scopes::Scopes>,
    /// Tiles encoded (cache misses of cached sources), for tests and metrics.
    encoded: Arc<std::sync::atomic::AtomicU64>,
}

impl Tiles {
    /// The built-in sources (areas from `reference`, tickets from `index`, the demo basemap)
    /// and, if configured, the PMTiles archive.
    pub async fn open(
        settings: &TileSettings,
        reference: &ReferenceData,
        index: Arc<RwLock<TicketIndex>>,
    ) -> anyhow::Result<Self> {
        let tiles = Self {
            sources: Arc::default(),
            cache: Arc::new(TileCache::new(settings.cache_bytes)),
            flights: Arc::default(),
            scopes: Arc::default(),
            encoded: Arc::default(),
        };
        tiles.register(Arc::new(areas::AreasSource::new(reference.clone())));
        tiles.register(Arc::new(tickets::TicketsSource::new(index)));
        tiles.register(Arc::new(basemap::demo_basemap()?));
        if let Some(path) = &settings.basemap_pmtiles {
            tiles.register(Arc::new(pmtiles::PmtilesSource::open(path).await?));
        }
        Ok(tiles)
    }

    /// Adds (or replaces, by id) a source.
    pub fn register(&self, source: Arc<dyn TileSource>) {
        let mut sources = self.sources.write().expect("tile sources lock");
        let no = match sources.iter().position(|r| r.source.id() == source.id()) {
            Some(i) => {
                let no = sources[i].no;
                sources.remove(i);
                no
            }
            None => sources.iter().map(|r| r.no + 1).max().unwrap_or(0),
        };
        sources.push(Registered { no, source });
        sources.sort_by(|a, b| a.source.id().cmp(b.source.id()));
        drop(sources);
        // A replaced source's old tiles must go.
        self.cache.invalidate(no, Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 1.0, y: 1.0 }));
    }

    fn lookup(&self, id: &str) -> Option<(u32, Arc<dyn TileSource>)> {
        let sources = self.sources.read().expect("tile sources lock");
        sources.iter().find(|r| r.source.id() == id).map(|r| (r.no, r.source.clone()))
    }

    /// Every source, by id.
    pub fn sources(&self) -> Vec<Arc<dyn TileSource>> {
        self.sources.read().expect("tile sources lock").iter().map(|r| r.source.clone()).collect()
    }

    /// Evicts the tiles of `id` that a change inside `bbox` (`[west, south, east, north]`) touches.
    pub fn invalidate(&self, id: &str, bbox: [f64; 4]) -> usize {
        match self.lookup(id) {
            Some((no, _)) => self.cache.invalidate(no, lon_lat_rect_to_world(bbox)),
            None => 0,
        }
    }

    /// A ticket was created, changed or moved: evicts the ticket tiles holding its old and its
    /// new position (the same tiles when it did not move), for every scope.
    pub fn ticket_moved(&self, old: Option<Location>, new: Location) {
        let Some((no, _)) = self.lookup(tickets::ID) else { return };
        let point = |l: Location| {
            let (x, y) = lon_lat_to_world(l.lon, l.lat);
            Rect::new(Coord { x, y }, Coord { x, y })
        };
        if let Some(old) = old.filter(|o| *o != new) {
            self.cache.invalidate(no, point(old));
        }
        self.cache.invalidate(no, point(new));
    }

    /// The areas were reloaded: evicts the area tiles touching every area (any version) whose
    /// boundary, names, level or parent differ between `old` and `new`, or that exists in one only.
    pub fn areas_changed(&self, old: &AreaIndex, new: &AreaIndex) {
        let Some((no, _)) = self.lookup(areas::ID) else { return };
        let now = chrono::Utc::now();
        let (a, b) = (old.all(now), new.all(now));
        let same = |x: &crate::domain::Area, y: &crate::domain::Area| {
            x.geometry == y.geometry
                && x.name == y.name
                && x.name_en == y.name_en
                && x.level == y.level
                && x.parent == y.parent
        };
        let changed = a
            .iter()
            .filter(|x| !b.iter().any(|y| y.code == x.code && same(x, y)))
            .chain(b.iter().filter(|y| !a.iter().any(|x| x.code == y.code && same(x, y))));
        for area in changed {
            if let Some(r) = area.geometry.bounding_rect() {
                self.cache.invalidate(no, lon_lat_rect_to_world([r.min().x, r.min().y, r.max().x, r.max().y]));
            }
        }
    }

    /// Empties the cache.
    pub fn clear_cache(&self) {
        self.cache.clear();
    }

    /// Tiles encoded so far (cache misses of cached sources).
    pub fn encoded(&self) -> u64 {
        self.encoded.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Whether `principal` may read a source: `Unauthenticated` / `Forbidden` otherwise.
pub fn check_access(info: &SourceInfo, id: &str, principal: &Principal) -> ServiceResult<()> {
    match info.access.roles() {
        None => Ok(()),
        Some(roles) => match principal.role() {
            None => Err(ServiceError::Unauthenticated),
            Some(r) if roles.contains(&r) => Ok(()),
            Some(r) => Err(ServiceError::Forbidden(format!("the {} role cannot read the {id} tiles", r.as_str()))),
        },
    }
}

impl Tiles {
    /// A source's description, if `principal` may read it (`NotFound` for an unknown id).
    pub fn tile_source(&self, principal: &Principal, id: &str) -> ServiceResult<Arc<dyn TileSource>> {
        let (_, source) = self.lookup(id).ok_or_else(|| ServiceError::NotFound(format!("tile source {id:?}")))?;
        check_access(source.info(), id, principal)?;
        Ok(source)
    }

    /// One tile, from the cache or freshly encoded (and then cached). `NotFound` for an unknown
    /// source or a tile outside the grid or the source's zoom range.
    ///
    /// `scope` gives the principal's ticket scope; it is called only for a scoped source
    /// ([`Access::Scoped`]), whose tile is then cut to that scope, cached under it and tagged
    /// for it (a principal with no scope is refused).
    ///
    /// A cached tile costs a look-up and a reference count: no task, no copy, no hashing.
    /// A missing one is encoded once however many requests of the same scope ask for it
    /// meanwhile ([`flight`]); the status is [`CacheStatus::Miss`] for all of them.
    pub async fn tile(
        &self,
        principal: &Principal,
        scope: impl FnOnce() -> Option<Scope>,
        id: &str,
        (z, x, y): (u8, u32, u32),
    ) -> ServiceResult<(Arc<CachedTile>, CacheStatus, Arc<dyn TileSource>)> {
        let (no, source) = self.lookup(id).ok_or_else(|| ServiceError::NotFound(format!("tile source {id:?}")))?;
        let info = source.info();
        check_access(info, id, principal)?;
        let tile = TileId::new(z, x, y).filter(|t| (info.minzoom..=info.maxzoom).contains(&t.z)).ok_or_else(|| {
            ServiceError::NotFound(format!("tile {z}/{x}/{y} of {id} (zooms {}–{})", info.minzoom, info.maxzoom))
        })?;
        let scope = match info.access {
            Access::Scoped(_) => Some(
                scope().ok_or_else(|| ServiceError::Forbidden(format!("this role has no scope to read {id} with")))?,
            ),
            Access::Public | Access::Roles(_) => None,
        };
        let scope_no = scope.as_ref().map_or(ScopeNo::ALL, |s| self.scopes.number(s));
        if let Some(hit) = self.cache.get(no, scope_no.no, tile) {
            return Ok((hit, CacheStatus::Hit, source));
        }
        if !info.cached {
            let finished =
                render(source.as_ref(), tile, scope.as_ref(), scope_no).await.map_err(ServiceError::Internal)?;
            return Ok((Arc::new(finished), CacheStatus::Miss, source));
        }
        let generation = self.cache.generation(no);
        let (outcome, _) = self
            .flights
            .run(no, scope_no.no, tile, generation, || async {
                let finished =
                    Arc::new(render(source.as_ref(), tile, scope.as_ref(), scope_no).await.map_err(Arc::new)?);
                self.encoded.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                self.cache.insert_if_current(no, scope_no.no, tile, generation, finished.clone());
                Ok(finished)
            })
            .await;
        let finished = outcome.map_err(|e| ServiceError::Internal(anyhow::anyhow!("{e:#}")))?;
        Ok((finished, CacheStatus::Miss, source))
    }
}

/// The source's tile (cut to `scope` when one is given), compressed and tagged for that scope:
/// on this thread when it is small ([`finish::INLINE_BYTES`]), else on the blocking pool.
#[tracing::instrument(skip(source, scope), fields(source = source.id(), tile = %tile, scope = scope_no.no))]
async fn render(
    source: &dyn TileSource,
    tile: TileId,
    scope: Option<&Scope>,
    scope_no: ScopeNo,
) -> anyhow::Result<CachedTile> {
    let body = match scope {
        Some(scope) => source.get_scoped_tile(tile, scope).await?,
        None => source.get_tile(tile).await?,
    };
    if body.bytes.len() <= finish::INLINE_BYTES {
        return Ok(finish::finish(body, scope_no.seed));
    }
    tokio::task::spawn_blocking(move || finish::finish(body, scope_no.seed))
        .await
        .map_err(|e| anyhow::anyhow!("compressing tile {tile} of {}: {e}", source.id()))
}
