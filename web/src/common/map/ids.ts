// Every source and layer id of every page's map, in one place: code finds layers by these names
// (clicks, filters, paint changes), and so do the browser tests (web/tests/e2e), so they must not
// drift or collide. Pages share a name where they draw the same thing (the districts, the
// planning tiles); the console's map has its own `c-` names.

// ---- the server's vector tiles (GET /tiles/{id} is the TileJSON, docs/tiles.md) -----------------

export const TILES_BASEMAP = 'basemap';
export const TILES_AREAS = 'areas';
export const TILES_PLANNING = 'planning';
/** The wall's tickets, cut to the viewer's scope (staff only). */
export const TILES_TICKETS = 'tickets';

/** Layers inside those tiles (`source-layer`). */
export const TILE_LAYER_WATER = 'water';
export const TILE_LAYER_ROADS = 'roads';
export const TILE_LAYER_AREAS = 'areas';
export const TILE_LAYER_AREA_LABELS = 'area_labels';
export const TILE_LAYER_PLANNING = 'planning';
/** Ticket points, and grid clusters (count, open, overdue) at low zoom (docs/tiles.md). */
export const TILE_LAYER_TICKETS = 'tickets';
export const TILE_LAYER_TICKET_CLUSTERS = 'ticket_clusters';

// ---- the basemap (wall, portal) ---------------------------------------------------------------

export const SRC_BASEMAP = 'basemap';
export const SRC_AREA_TILES = 'area-tiles';

export const LYR_BACKGROUND = 'background';
export const LYR_WATER = 'basemap-water';
export const LYR_ROAD_CASING = 'basemap-road-casing';
export const LYR_ROADS = 'basemap-roads';
export const LYR_ROAD_LABEL = 'basemap-road-label';
export const LYR_AREA_OUTLINE = 'area-tiles-outline';
export const LYR_AREA_LABEL = 'area-tiles-label';

// ---- areas from GET /api/v1/areas (wall, planning) ----------------------------------------------

export const SRC_DISTRICTS = 'districts';
export const SRC_WARDS = 'wards';
/** One point per area (labelFeatures in wall/geojson.ts), so multi-part areas get one label. */
export const SRC_DISTRICT_LABELS = 'district-labels';
export const SRC_WARD_LABELS = 'ward-labels';

export const LYR_DISTRICT_FILL = 'district-fill';
export const LYR_DISTRICT_LINE = 'district-line';
export const LYR_DISTRICT_SELECTED = 'district-selected';
export const LYR_WARD_FILL = 'ward-fill';
export const LYR_WARD_LINE = 'ward-line';
export const LYR_WARD_LABEL = 'ward-label';
export const LYR_DISTRICT_LABEL = 'district-label';

// ---- the wall's tickets, cameras and planning overlay -------------------------------------------

export const SRC_TICKETS = 'tickets';
export const LYR_CLUSTERS = 'ticket-clusters';
export const LYR_TICKETS = 'ticket-points';
/** Tickets changed since the ticket tiles were loaded (wall/overlay.ts), on top. */
export const SRC_TICKETS_LIVE = 'tickets-live';
export const LYR_TICKETS_LIVE = 'ticket-points-live';
export const LYR_CLUSTER_COUNT = 'ticket-cluster-count';

export const SRC_CAMERAS = 'cameras';
export const SRC_CAMERA_CONES = 'camera-cones';
export const LYR_CAMERA_CONES = 'camera-cones';
export const LYR_CAMERA_CONE_LINE = 'camera-cone-line';
export const LYR_CAMERAS = 'camera-points';

/** The planning zones, from the `planning` tiles (the wall's overlay and the planning page). */
export const SRC_PLANNING = 'planning';
export const LYR_PLANNING = 'planning-zones';

// ---- the planning page --------------------------------------------------------------------------

export const LYR_ZONE_FILL = 'zone-fill';
export const LYR_ZONE_LINE = 'zone-line';
export const LYR_ZONE_HIGHLIGHT = 'zone-highlight';
export const LYR_ZONE_LABEL = 'zone-label';

// ---- the console ----------------------------------------------------------------------------------

export const SRC_C_DISTRICTS = 'c-districts';
export const SRC_C_WARDS = 'c-wards';
export const SRC_C_LABELS = 'c-labels';
export const SRC_C_QUEUE = 'c-queue';
export const SRC_C_NEARBY = 'c-nearby';
export const SRC_C_RING = 'c-ring';
export const SRC_C_SELECTED = 'c-selected';

export const LYR_C_BACKGROUND = 'c-bg';
export const LYR_C_DISTRICT_FILL = 'c-district-fill';
export const LYR_C_WARD_LINE = 'c-ward-line';
export const LYR_C_DISTRICT_LINE = 'c-district-line';
export const LYR_C_RING_FILL = 'c-ring-fill';
export const LYR_C_RING_LINE = 'c-ring-line';
export const LYR_C_QUEUE = 'c-queue-points';
export const LYR_C_NEARBY = 'c-nearby-points';
export const LYR_C_SELECTED = 'c-selected';
export const LYR_C_LABELS = 'c-labels';
