//! The tile cache: finished tiles (gzip bytes and ETag) per (source, scope, z, x, y), bounded by
//! bytes (quick_cache, CLOCK-Pro eviction), with exact invalidation by area.
//!
//! **One entry per scope.** A source cut to the reader's scope (ticket tiles: a leader sees
//! their areas, an agency its units) caches each scope's tile apart, under the scope's number
//! ([`super::scopes::ScopeNo`]; 0 is everything, and unscoped sources use 0 only). A tile is
//! only ever found under the scope it was encoded for.
//!
//! **No stale tile after a change.** Each source has a generation, bumped by every
//! invalidation. A tile is encoded after reading the generation and is cached only if the
//! generation is still the same, checked and inserted under the same lock that invalidation
//! holds while it bumps and evicts. So a tile encoded from data older than a change is never
//! cached after that change's eviction: it is served once and dropped.
//!
//! **Exact eviction.** [`TileCache::invalidate`] evicts, at each zoom the source has cached
//! tiles at, exactly the tiles whose buffered square touches the changed box (the tiles whose
//! content it can alter, [`crate::spatial::tiles::grid::covering`]); other tiles stay.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use geo::Rect;
use quick_cache::Weighter;
use quick_cache::sync::Cache;

use crate::spatial::tiles::grid::covering;
use crate::spatial::tiles::{BUFFER, EXTENT, TileId};

/// A finished tile.
#[derive(Debug)]
pub struct CachedTile {
    /// The body, gzip-compressed when `gzipped`.
    pub body: Bytes,
    pub gzipped: bool,
    /// Weak validator: a hash of the uncompressed bytes, the same for every encoding.
    pub etag: String,
}

/// (source number, scope number, tile).
type Key = (u32, u32, TileId);

#[derive(Clone)]
struct ByBytes;

impl Weighter<Key, Arc<CachedTile>> for ByBytes {
    fn weight(&self, _: &Key, v: &Arc<CachedTile>) -> u64 {
        // The body plus the entry's bookkeeping.
        v.body.len() as u64 + 128
    }
}

#[derive(Debug, Default, Clone)]
struct SourceState {
    generation: u64,
    /// Bit z set: a tile of zoom z may be in the cache.
    zooms: u32,
    /// The scopes that may have tiles in the cache (0 only, for an unscoped source).
    scopes: Vec<u32>,
}

/// The cache (disabled with a capacity of 0: every request encodes).
pub struct TileCache {
    tiles: Option<Cache<Key, Arc<CachedTile>, ByBytes>>,
    /// Held while checking-and-inserting and while invalidating (see the module doc).
    state: Mutex<HashMap<u32, SourceState>>,
}

impl TileCache {
    /// A cache of at most `capacity_bytes` of tiles.
    pub fn new(capacity_bytes: u64) -> Self {
        let tiles = (capacity_bytes > 0).then(|| {
            let estimated_items = (capacity_bytes / 4096).clamp(16, 1 << 22) as usize;
            Cache::with_weighter(estimated_items, capacity_bytes, ByBytes)
        });
        Self { tiles, state: Mutex::new(HashMap::new()) }
    }

    pub fn is_enabled(&self) -> bool {
        self.tiles.is_some()
    }

    /// The tile of `source` cached for `scope` (0 for everything, or for an unscoped source).
    pub fn get(&self, source: u32, scope: u32, tile: TileId) -> Option<Arc<CachedTile>> {
        self.tiles.as_ref()?.get(&(source, scope, tile))
    }

    /// The source's generation, to pass to [`Self::insert_if_current`] after encoding.
    pub fn generation(&self, source: u32) -> u64 {
        self.state.lock().expect("tile cache lock").get(&source).map_or(0, |s| s.generation)
    }

    /// Caches `value` as `scope`'s tile unless the source was invalidated since `generation`
    /// was read.
    pub fn insert_if_current(
        &self,
        source: u32,
        scope: u32,
        tile: TileId,
        generation: u64,
        value: Arc<CachedTile>,
    ) -> bool {
        let Some(tiles) = &self.tiles else { return false };
        let mut state = self.state.lock().expect("tile cache lock");
        let s = state.entry(source).or_default();
        if s.generation != generation {
            return false;
        }
        s.zooms |= 1 << tile.z;
        if !s.scopes.contains(&scope) {
            s.scopes.push(scope);
        }
        tiles.insert((source, scope, tile), value);
        true
    }

    /// Evicts every cached tile of `source` whose buffered square touches `world` (world units,
    /// see [`crate::spatial::tiles::grid`]), for every scope. Returns how many tiles were evicted.
    pub fn invalidate(&self, source: u32, world: Rect<f64>) -> usize {
        let mut state = self.state.lock().expect("tile cache lock");
        let s = state.entry(source).or_default();
        s.generation += 1;
        let Some(tiles) = &self.tiles else { return 0 };
        let buffer = f64::from(BUFFER) / f64::from(EXTENT);
        let mut evicted = 0;
        for z in (0..32u8).filter(|z| s.zooms & (1 << z) != 0) {
            let Some((xs, ys)) = covering(world, z, buffer) else { continue };
            let count = u64::from(xs.end() - xs.start() + 1) * u64::from(ys.end() - ys.start() + 1);
            if count * s.scopes.len() as u64 <= 256 {
                for &scope in &s.scopes {
                    for x in xs.clone() {
                        for y in ys.clone() {
                            evicted += usize::from(tiles.remove(&(source, scope, TileId { z, x, y })).is_some());
                        }
                    }
                }
            } else {
                // A large box at a deep zoom, or many scopes: walk the cache instead of the (many)
                // tile ids.
                let before = tiles.len();
                tiles.retain(|&(src, _, t), _| !(src == source && t.z == z && xs.contains(&t.x) && ys.contains(&t.y)));
                evicted += before - tiles.len();
            }
        }
        evicted
    }

    /// Empties the cache (all sources).
    pub fn clear(&self) {
        let mut state = self.state.lock().expect("tile cache lock");
        for s in state.values_mut() {
            s.generation += 1;
        }
        if let Some(tiles) = &self.tiles {
            tiles.clear();
        }
    }

    /// Tiles cached now.
    pub fn len(&self) -> usize {
        self.tiles.as_ref().map_or(0, Cache::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use geo::Coord;

    use super::*;
    use crate::spatial::tiles::grid::lon_lat_to_world;

    fn tile(body: &str) -> Arc<CachedTile> {
        Arc::new(CachedTile { body: Bytes::from(body.to_owned()), gzipped: false, etag: body.into() })
    }

    fn point(lon: f64, lat: f64) -> Rect<f64> {
        let (x, y) = lon_lat_to_world(lon, lat);
        Rect::new(Coord { x, y }, Coord { x, y })
    }

    #[test]
    fn invalidation_evicts_the_touched_tiles_only() {
        let cache = TileCache::new(1 << 20);
        let here = TileId::new(14, 13117, 7450).unwrap(); // holds 108.2208, 16.0678
        let there = TileId::new(14, 13100, 7440).unwrap();
        let other_source = here;
        let g = cache.generation(1);
        assert!(cache.insert_if_current(1, 0, here, g, tile("a")));
        assert!(cache.insert_if_current(1, 0, there, g, tile("b")));
        assert!(cache.insert_if_current(2, 0, other_source, cache.generation(2), tile("c")));
        assert_eq!(cache.invalidate(1, point(108.2208, 16.0678)), 1);
        assert!(cache.get(1, 0, here).is_none());
        assert!(cache.get(1, 0, there).is_some());
        assert!(cache.get(2, 0, other_source).is_some());
    }

    #[test]
    fn a_tile_encoded_before_an_invalidation_is_not_cached() {
        let cache = TileCache::new(1 << 20);
        let t = TileId::new(10, 1, 1).unwrap();
        let g = cache.generation(7);
        cache.invalidate(7, point(0.0, 0.0));
        assert!(!cache.insert_if_current(7, 0, t, g, tile("stale")));
        assert!(cache.get(7, 0, t).is_none());
    }

    #[test]
    fn a_large_box_at_a_deep_zoom_is_swept() {
        let cache = TileCache::new(1 << 20);
        let inside = TileId::new(18, 209_875, 119_215).unwrap();
        let outside = TileId::new(18, 1, 1).unwrap();
        for t in [inside, outside] {
            for scope in [0, 4] {
                cache.insert_if_current(3, scope, t, cache.generation(3), tile("x"));
            }
        }
        let (x0, y0) = lon_lat_to_world(108.15, 16.10);
        let (x1, y1) = lon_lat_to_world(108.30, 16.00);
        assert_eq!(cache.invalidate(3, Rect::new(Coord { x: x0, y: y0 }, Coord { x: x1, y: y1 })), 2);
        assert!(cache.get(3, 0, outside).is_some() && cache.get(3, 4, outside).is_some());
        assert!(cache.get(3, 0, inside).is_none() && cache.get(3, 4, inside).is_none());
    }

    #[test]
    fn a_disabled_cache_keeps_nothing() {
        let cache = TileCache::new(0);
        let t = TileId::new(1, 0, 0).unwrap();
        assert!(!cache.insert_if_current(0, 0, t, cache.generation(0), tile("x")));
        assert!(cache.get(0, 0, t).is_none());
    }

    #[test]
    fn each_scope_has_its_own_entry_and_a_change_evicts_it_for_every_scope() {
        let cache = TileCache::new(1 << 20);
        let here = TileId::new(14, 13117, 7450).unwrap(); // holds 108.2208, 16.0678
        let g = cache.generation(1);
        assert!(cache.insert_if_current(1, 0, here, g, tile("everything")));
        assert!(cache.insert_if_current(1, 5, here, g, tile("areas of a leader")));
        assert_eq!(&cache.get(1, 0, here).unwrap().body[..], b"everything");
        assert_eq!(&cache.get(1, 5, here).unwrap().body[..], b"areas of a leader");
        assert!(cache.get(1, 6, here).is_none(), "another scope finds nothing");
        assert_eq!(cache.invalidate(1, point(108.2208, 16.0678)), 2);
        assert!(cache.get(1, 0, here).is_none() && cache.get(1, 5, here).is_none());
    }
}
