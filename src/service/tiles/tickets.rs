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
use crate::spatial::{EntryRef, Region, TicketFilter, TicketIndex, WALL_RECENT_HOURS};
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

const POINT_FIELDS: [(&str, &str); 8] = [
    ("id", "String"),
    ("status", "String"),
    ("open", "Boolean"),
    ("overdue", "Boolean"),
    ("deadline", "Number"),
    ("received_at", "Number"),
    ("resolved_at", "Number"),
    ("supporters", "Number"),
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

/// A tile as a lon/lat box to look in, a little wider than the tile itself (about a
/// centimetre): which tile and cell a ticket belongs to is decided by
/// [`ClusterGrid::cell_of`], so one on an edge is found by both neighbours and kept by one.
fn lon_lat_box(tile: TileId) -> BBox {
    const PAD: f64 = 1e-7;
    let [w, s, e, n] = tile.lon_lat_bounds();
    BBox { min_lon: (w - PAD).max(-180.0), min_lat: s - PAD, max_lon: (e + PAD).min(180.0), max_lat: n + PAD }
}

/// The tile of the tickets of `index` matching `filter` (the reader's scope) at `now`.
///
/// Below [`POINT_ZOOM`], with no filter (the centre's scope), the cells' counts come from the
/// index's figures kept per cell ([`TicketIndex::wall_cells`]) and only the cells of a single
/// ticket are read, to draw it as a point; otherwise every ticket in the tile is read and
/// counted here. Both give the same tile.
fn encode(index: &TicketIndex, tile: TileId, filter: &TicketFilter, now: DateTime<Utc>) -> Vec<u8> {
    // To the microsecond, as the index keeps instants: the cells and the tickets agree on
    // which are on the wall and overdue.
    let now = DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now);
    let frame = TileFrame::new(tile);
    let limit = points_per_cell(tile.z);
    let mut grid = ClusterGrid::new(frame);
    let counted = limit == 1 && filter.is_match_all() && index.wall_cells(&mut grid, now);
    // (cell, entry) of every ticket drawn as a point.
    let mut placed: Vec<(u32, EntryRef<'_>)> = Vec::new();
    if counted {
        for key in grid.cells().filter(|c| c.count <= limit).map(|c| c.key).collect::<Vec<_>>() {
            let region = Region::BBox(lon_lat_box(grid.cell_tile(key)));
            for e in index.query(&region, filter) {
                if on_wall(&e, now) && grid.cell_of(world(&e)) == Some(key) {
                    placed.push((key, e));
                }
            }
        }
    } else {
        let entries = index.query(&Region::BBox(lon_lat_box(tile)), filter);
        placed.reserve(entries.len());
        for e in entries.into_iter().filter(|e| on_wall(e, now)) {
            if let Some(cell) = grid.add(world(&e), e.status().is_open(), e.is_overdue(now)) {
                placed.push((cell, e));
            }
        }
        placed.retain(|(cell, _)| grid.count(*cell) <= limit);
    }
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
    placed.sort_unstable_by_key(|(_, e)| e.id().0);
    let mut points = LayerBuilder::new(ID);
    for (_, e) in placed {
        let Some(g) = frame.encode(&geo::Geometry::Point(geo::Point::from(world(&e))), 0.0) else { continue };
        let attributes = [
            ("id", Some(Value::Str(e.id().0.to_string()))),
            ("status", Some(Value::Str(e.status().as_str().to_owned()))),
            ("open", Some(Value::Bool(e.status().is_open()))),
            ("overdue", Some(Value::Bool(e.is_overdue(now)))),
            ("deadline", Some(Value::Int(e.deadline().timestamp()))),
            ("received_at", Some(Value::Int(e.received_at().timestamp()))),
            ("resolved_at", e.resolved_at().map(|t| Value::Int(t.timestamp()))),
            // "Me too": a count (up to 63), for the wall's larger markers; never who.
            ("supporters", Some(Value::Int(i64::from(e.supporters())))),
        ];
        points.push(g, None, attributes);
    }
    tile_bytes(points.finish().into_iter().chain(clusters.finish()).collect())
}

/// Whether the wall shows the ticket at `now`: open, or received or closed in the last
/// [`WALL_RECENT_HOURS`].
fn on_wall(e: &EntryRef<'_>, now: DateTime<Utc>) -> bool {
    e.open_or_since(now - Duration::hours(WALL_RECENT_HOURS))
}

/// The ticket's position in world units.
fn world(e: &EntryRef<'_>) -> (f64, f64) {
    let l = e.location();
    lon_lat_to_world(l.lon, l.lat)
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
        // A tile of a few tickets is encoded here: the hop to the blocking pool and back costs
        // more than encoding it.
        let few = !index.read().expect("index lock").more_than(&Region::BBox(lon_lat_box(tile)), INLINE_TICKETS);
        let render = move || {
            // Counted under the read lock: a cluster tile of the city read by a scoped reader
            // reads every ticket of it (hundreds of thousands at a million), and copying them
            // out would cost more.
            encode(&index.read().expect("index lock"), tile, &filter, Utc::now())
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
