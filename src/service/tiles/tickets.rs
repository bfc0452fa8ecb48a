//! The `tickets` source: every ticket from the R-tree as a point with its public, non-personal
//! fields only (id, code, category, status, area, unit, priority, received/deadline/resolved
//! as Unix seconds, open and overdue flags) — never a description, an address, a result text
//! or anything of the reporter. For the staff who may open the map wall (admin, operator,
//! leader, agency), each reading the tickets of its scope: the centre everything, a leader the
//! tickets filed in their areas, an agency those assigned to its units
//! ([`Access::Scoped`]: the tile is cut here, cached and tagged per scope by [`super::Tiles`]).

use async_trait::async_trait;
use chrono::Utc;
use geo::{Coord, Geometry, Point};

use super::source::{Access, LayerInfo, SourceInfo, TileBody, TileError, TileFormat, TileSource};
use crate::domain::{BBox, Role, Scope};
use crate::spatial::tiles::grid::{lon_lat_to_world, world_to_lon_lat};
use crate::spatial::tiles::{LayerBuilder, TileFrame, TileId, Value, tile_bytes};
use crate::spatial::{Region, TicketEntry, TicketFilter, TicketIndex};
use std::sync::{Arc, RwLock};

pub const ID: &str = "tickets";

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

const FIELDS: [(&str, &str); 12] = [
    ("id", "String"),
    ("code", "String"),
    ("category", "String"),
    ("status", "String"),
    ("area", "String"),
    ("unit", "String"),
    ("priority", "String"),
    ("received_at", "Number"),
    ("deadline", "Number"),
    ("resolved_at", "Number"),
    ("open", "Boolean"),
    ("overdue", "Boolean"),
];

impl TicketsSource {
    pub fn new(index: Arc<RwLock<TicketIndex>>) -> Self {
        let info = SourceInfo {
            name: "Phản ánh / Tickets".into(),
            description: "Phản ánh trong phạm vi của người xem, chỉ các trường công khai / Every ticket in the reader's scope, public fields only".into(),
            attribution: None,
            minzoom: 0,
            maxzoom: 20,
            bounds: None,
            center: None,
            layers: vec![LayerInfo {
                id: ID.into(),
                description: "Phản ánh (status, overdue) / Tickets".into(),
                fields: FIELDS.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            }],
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

/// The tile's buffered square as a lon/lat box (clamped to valid degrees).
fn lon_lat_box(frame: &TileFrame) -> BBox {
    let r = frame.buffered_world();
    let (w, n) = world_to_lon_lat(r.min().x, r.min().y.max(0.0));
    let (e, s) = world_to_lon_lat(r.max().x, r.max().y.min(1.0));
    BBox { min_lon: w.max(-180.0), min_lat: s, max_lon: e.min(180.0), max_lat: n }
}

fn encode(entries: &[TicketEntry], frame: &TileFrame) -> Vec<u8> {
    let now = Utc::now();
    let mut layer = LayerBuilder::new(ID);
    for e in entries {
        let (x, y) = lon_lat_to_world(e.location.lon, e.location.lat);
        let Some(g) = frame.encode(&Geometry::Point(Point(Coord { x, y })), 0.0) else { continue };
        let attributes = [
            ("id", Some(Value::Str(e.id.0.to_string()))),
            ("code", Some(Value::Str(e.code.as_str().to_owned()))),
            ("category", Some(Value::Str(e.category.to_string()))),
            ("status", Some(Value::Str(e.status.as_str().to_owned()))),
            ("area", e.area.as_ref().map(|a| Value::Str(a.to_string()))),
            ("unit", e.unit.as_ref().map(|u| Value::Str(u.to_string()))),
            ("priority", serde_json::to_value(e.priority).ok().and_then(|v| v.as_str().map(|s| Value::Str(s.into())))),
            ("received_at", Some(Value::Int(e.received_at.timestamp()))),
            ("deadline", Some(Value::Int(e.deadline.timestamp()))),
            ("resolved_at", e.resolved_at.map(|t| Value::Int(t.timestamp()))),
            ("open", Some(Value::Bool(e.status.is_open()))),
            ("overdue", Some(Value::Bool(e.is_overdue(now)))),
        ];
        layer.push(g, None, attributes);
    }
    tile_bytes(layer.finish().into_iter().collect())
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
        let region = Region::BBox(lon_lat_box(&frame));
        // A tile of a few tickets is encoded here: the hop to the blocking pool and back costs
        // more than encoding it.
        let few = !index.read().expect("index lock").more_than(&region, INLINE_TICKETS);
        let render = move || {
            // Copied out so the index lock is held for the look-up only.
            let mut entries: Vec<TicketEntry> = {
                let index = index.read().expect("index lock");
                index.query(&region, &filter).into_iter().map(|e| e.to_entry()).collect()
            };
            // Same tickets, same bytes (and ETag), whatever the tree's layout.
            entries.sort_unstable_by_key(|e| e.id.0);
            encode(&entries, &frame)
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
