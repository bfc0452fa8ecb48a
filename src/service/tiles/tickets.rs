//! The `tickets` source: the tickets the map wall shows (open ones, and those received or
//! closed in the last 24 hours, as `GET /api/v1/map/tickets`) from the R-tree, with the fields
//! the wall draws by and nothing else — never a code, a description, an address, a result text
//! or anything of the reporter (a click fetches the ticket from the API, scope-checked there).
//! For the staff who may open the map wall (admin, operator, leader, agency), each reading the
//! tickets of its scope: the centre everything, a leader the tickets filed in their areas, an
//! agency those assigned to its units ([`Access::Scoped`]: the tile is cut here, cached and
//! tagged per scope by [`super::Tiles`]).
//!
//! Few features at the city's zoom: each tile is cut into a grid of cells
//! ([`ClusterGrid`]); below [`POINT_ZOOM`] a cell of two or more tickets is one feature of the
//! `ticket_clusters` layer (its count, open and overdue tickets, at their centroid), from
//! [`POINT_ZOOM`] only a cell of more than [`DENSE_CELL`] tickets is, and from [`ALL_POINTS_ZOOM`]
//! none. The other tickets are points of the `tickets` layer. Every ticket is in exactly one
//! tile of a zoom (no buffer), so the counts of the tiles on screen add up to the tickets.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};

use super::source::{Access, LayerInfo, SourceInfo, TileBody, TileError, TileFormat, TileSource};
use crate::domain::{BBox, Role, Scope};
use crate::spatial::tiles::grid::lon_lat_to_world;
use crate::spatial::tiles::{ClusterGrid, LayerBuilder, TileFrame, TileId, Value, tile_bytes};
use crate::spatial::{EntryRef, Region, TicketFilter, TicketIndex};
use std::sync::{Arc, RwLock};

pub const ID: &str = "tickets";
/// The layer of grid clusters.
pub const CLUSTERS: &str = "ticket_clusters";

/// From this zoom, cells of at most [`DENSE_CELL`] tickets are drawn as points (below it, every
/// cell of two or more is a cluster). The wall's wards appear at the same zoom.
pub const POINT_ZOOM: u8 = 13;
/// From [`POINT_ZOOM`], a cell (64 screen pixels) of more tickets than this is still a cluster.
pub const DENSE_CELL: u32 = 48;
/// From this zoom every ticket is a point.
pub const ALL_POINTS_ZOOM: u8 = 16;
/// Closed tickets stay on the wall this long after they were received or closed.
pub const RECENT_HOURS: i64 = 24;

/// Tiles of at most this many tickets are encoded on the runtime thread (well under a
/// millisecond); bigger ones on the blocking pool.
pub const INLINE_TICKETS: usize = 256;

/// The tickets source.
pub struct TicketsSource {
    info: SourceInfo,
    /// The instance's ticket index (written by the projection).
    index: Arc<RwLock<TicketIndex>>,
}

/// The roles that read ticket tiles (the wall's).
pub const ROLES: &[Role] = &[Role::Admin, Role::Operator, Role::Leader, Role::Agency];

const POINT_FIELDS: [(&str, &str); 7] = [
    ("id", "String"),
    ("status", "String"),
    ("open", "Boolean"),
    ("overdue", "Boolean"),
    ("deadline", "Number"),
    ("received_at", "Number"),
    ("resolved_at", "Number"),
];

const CLUSTER_FIELDS: [(&str, &str); 3] = [("count", "Number"), ("open", "Number"), ("overdue", "Number")];

fn fields(f: &[(&str, &str)]) -> std::collections::BTreeMap<String, String> {
    f.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

impl TicketsSource {
    pub fn new(index: Arc<RwLock<TicketIndex>>) -> Self {
        let info = SourceInfo {
            name: "Phản ánh / Tickets".into(),
            description: "Phản ánh đang xử lý và mới đóng trong phạm vi của người xem, gom theo ô ở mức thu phóng thấp / Open and recently closed tickets in the reader's scope, in grid clusters at low zoom".into(),
            attribution: None,
            minzoom: 0,
            maxzoom: 20,
            bounds: None,
            center: None,
            layers: vec![
                LayerInfo {
                    id: ID.into(),
                    description: "Phản ánh (trạng thái, hạn) / Tickets (status, deadline; Unix seconds)".into(),
                    fields: fields(&POINT_FIELDS),
                },
                LayerInfo {
                    id: CLUSTERS.into(),
                    description: "Cụm phản ánh theo ô lưới / Tickets counted per grid cell (all, open, overdue)".into(),
                    fields: fields(&CLUSTER_FIELDS),
                },
            ],
            format: TileFormat::Mvt,
            // Revalidated on every use (an unchanged tile is a 304 from the cache): the wall folds
            // its live overlay into freshly reloaded tiles, which must not come from a browser
            // cache older than the changes it folds.
            max_age: 0,
            access: Access::Scoped(ROLES),
            cached: true,
        };
        Self { info, index }
    }
}

/// The most tickets a cell may hold and still be drawn as points at zoom `z`.
pub fn points_per_cell(z: u8) -> u32 {
    match z {
        z if z < POINT_ZOOM => 1,
        z if z < ALL_POINTS_ZOOM => DENSE_CELL,
        _ => u32::MAX,
    }
}

/// The tile itself (no buffer) as a lon/lat box.
fn lon_lat_box(tile: TileId) -> BBox {
    let [w, s, e, n] = tile.lon_lat_bounds();
    BBox { min_lon: w.max(-180.0), min_lat: s, max_lon: e.min(180.0), max_lat: n }
}

/// The tile of `entries` (those of the reader's scope in the tile's box) at `now`.
fn encode(entries: &[EntryRef<'_>], frame: &TileFrame, now: DateTime<Utc>) -> Vec<u8> {
    let since = now - Duration::hours(RECENT_HOURS);
    let mut grid = ClusterGrid::new(*frame);
    // (cell, entry) of every ticket on the wall inside the tile.
    let mut placed: Vec<(u32, &EntryRef<'_>)> = Vec::with_capacity(entries.len());
    for e in entries.iter().filter(|e| e.open_or_since(since)) {
        let l = e.location();
        if let Some(cell) = grid.add(lon_lat_to_world(l.lon, l.lat), e.status().is_open(), e.is_overdue(now)) {
            placed.push((cell, e));
        }
    }
    let limit = points_per_cell(frame.tile.z);
    let mut clusters = LayerBuilder::new(CLUSTERS);
    for c in grid.cells().filter(|c| c.count > limit) {
        let Some(g) = grid.encode(c) else { continue };
        let n = |v: u32| Some(Value::Uint(u64::from(v)));
        clusters.push(
            g,
            Some(u64::from(c.key)),
            [("count", n(c.count)), ("open", n(c.open)), ("overdue", n(c.overdue))],
        );
    }
    // Same tickets, same bytes (and ETag), whatever the tree's layout.
    placed.retain(|(cell, _)| grid.count(*cell) <= limit);
    placed.sort_unstable_by_key(|(_, e)| e.id().0);
    let mut points = LayerBuilder::new(ID);
    for (_, e) in placed {
        let l = e.location();
        let (x, y) = lon_lat_to_world(l.lon, l.lat);
        let Some(g) = frame.encode(&geo::Geometry::Point(geo::Point::new(x, y)), 0.0) else { continue };
        let attributes = [
            ("id", Some(Value::Str(e.id().0.to_string()))),
            ("status", Some(Value::Str(e.status().as_str().to_owned()))),
            ("open", Some(Value::Bool(e.status().is_open()))),
            ("overdue", Some(Value::Bool(e.is_overdue(now)))),
            ("deadline", Some(Value::Int(e.deadline().timestamp()))),
            ("received_at", Some(Value::Int(e.received_at().timestamp()))),
            ("resolved_at", e.resolved_at().map(|t| Value::Int(t.timestamp()))),
        ];
        points.push(g, None, attributes);
    }
    tile_bytes(points.finish().into_iter().chain(clusters.finish()).collect())
}

#[async_trait]
impl TileSource for TicketsSource {
    fn id(&self) -> &str {
        ID
    }

    fn info(&self) -> &SourceInfo {
        &self.info
    }

    /// Every ticket (the centre's tile).
    async fn get_tile(&self, tile: TileId) -> Result<TileBody, TileError> {
        self.tile_of(tile, TicketFilter::default()).await
    }

    /// The tickets `scope` may read: filed in its areas, or assigned to its units.
    async fn get_scoped_tile(&self, tile: TileId, scope: &Scope) -> Result<TileBody, TileError> {
        let filter = match scope {
            Scope::All => TicketFilter::default(),
            Scope::Areas(a) => TicketFilter { areas: Some(a.clone()), ..TicketFilter::default() },
            Scope::Units(u) => TicketFilter { units: Some(u.clone()), ..TicketFilter::default() },
        };
        self.tile_of(tile, filter).await
    }
}

impl TicketsSource {
    /// The tile of the tickets matching `filter`.
    async fn tile_of(&self, tile: TileId, filter: TicketFilter) -> Result<TileBody, TileError> {
        let index = self.index.clone();
        let frame = TileFrame::new(tile);
        let region = Region::BBox(lon_lat_box(tile));
        // A tile of a few tickets is encoded here: the hop to the blocking pool and back costs
        // more than encoding it.
        let few = !index.read().expect("index lock").more_than(&region, INLINE_TICKETS);
        let render = move || {
            // Counted under the read lock: a cluster tile of the city reads every ticket of it
            // (hundreds of thousands at a million), and copying them out would cost more.
            let index = index.read().expect("index lock");
            encode(&index.query(&region, &filter), &frame, Utc::now())
        };
        if few {
            return Ok(TileBody { bytes: render(), gzipped: false });
        }
        tokio::task::spawn_blocking(render)
            .await
            .map(|bytes| TileBody { bytes, gzipped: false })
            .map_err(|e| TileError::new(ID, tile, e))
    }
}
