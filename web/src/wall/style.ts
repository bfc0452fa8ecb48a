// The wall's map: no external tiles or sprites. The basemap (water, main roads and their names)
// comes from the server's own vector tiles (common/map/basemap.ts, /tiles/basemap); the districts and
// wards stay GeoJSON from the API, because the wall colours them by handling status and labels
// them with live counts, updated in place on every event (feature-state on tiles would have to
// be re-applied whenever a tile reloads); MapLibre symbol layers draw the area labels and the
// ticket cluster counts. Tickets come from the server's ticket tiles (common/map/sources.ts
// `ticketSource`): the tiles decide what is a cluster (a grid cell of many tickets, with its
// count and its open and overdue tickets) and what is a point; the live overlay draws changed
// tickets on top and hides their points in the tiles by feature state.
//
// Glyphs: from the page's own server (common/map/fonts.ts).

import type { CircleLayerSpecification, FilterSpecification, StyleSpecification } from 'maplibre-gl';
import { LAND_COLOUR, basemapLayers, roadLabelLayer } from '../common/map/basemap';
import { FONT_BOLD, FONT_REGULAR, glyphsUrl } from '../common/map/fonts';
import {
  LYR_BACKGROUND, LYR_CLUSTER_COUNT, LYR_CLUSTERS, LYR_DISTRICT_FILL, LYR_DISTRICT_LABEL, LYR_DISTRICT_LINE, LYR_DISTRICT_SELECTED,
  LYR_TICKETS, LYR_TICKETS_LIVE, LYR_WARD_FILL, LYR_WARD_LABEL, LYR_WARD_LINE, SRC_BASEMAP, SRC_DISTRICT_LABELS, SRC_DISTRICTS, SRC_TICKETS,
  SRC_TICKETS_LIVE, SRC_WARD_LABELS, SRC_WARDS, TILE_LAYER_TICKET_CLUSTERS, TILE_LAYER_TICKETS, TILES_BASEMAP,
} from '../common/map/ids';
import { ticketSource, tileSource } from '../common/map/sources';
import { HEALTH_COLOURS, STATUS_COLOURS } from './health';

type CirclePaint = NonNullable<CircleLayerSpecification['paint']>;

/** Zoom at which wards replace districts (and ticket tiles start to hold points, docs/tiles.md). */
export const WARD_ZOOM = 13;

/** Feature state of a tile point the live overlay draws instead (its tile is out of date). */
export const LIVE_STATE = 'live';

/** A cluster's count as drawn: 1 234 → "1.2k", 12 345 → "12k". */
export const clusterCountText = [
  'case',
  ['>=', ['get', 'count'], 10000], ['concat', ['to-string', ['round', ['/', ['get', 'count'], 1000]]], 'k'],
  ['>=', ['get', 'count'], 1000], ['concat', ['to-string', ['/', ['round', ['/', ['get', 'count'], 100]], 10]], 'k'],
  ['to-string', ['get', 'count']],
];

const empty: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

const healthColour = [
  'match', ['get', 'health'],
  'good', HEALTH_COLOURS.good,
  'warn', HEALTH_COLOURS.warn,
  'bad', HEALTH_COLOURS.bad,
  HEALTH_COLOURS.none,
] as unknown as string;

const LABEL_DARK = '#0b1a2a';
const OVERDUE_TEXT = '#fca5a5';

/** District label: the name in bold, then "12 đang xử lý · 3 quá hạn" with the overdue part in red. */
export const districtLabelText = [
  'format',
  ['get', 'name'], { 'text-font': ['literal', [FONT_BOLD]] },
  '\n', {},
  ['concat', ['to-string', ['get', 'open']], ' đang xử lý · '], { 'text-font': ['literal', [FONT_REGULAR]], 'font-scale': 0.8, 'text-color': '#e2ecf5' },
  ['concat', ['to-string', ['get', 'overdue']], ' quá hạn'], { 'text-font': ['literal', [FONT_REGULAR]], 'font-scale': 0.8, 'text-color': OVERDUE_TEXT },
];

/** Ward label: the name, and its overdue count in red when there is one. */
export const wardLabelText = [
  'format',
  ['get', 'name'], {},
  ['case', ['>', ['get', 'overdue'], 0], ['concat', ' ', ['to-string', ['get', 'overdue']]], ''], { 'text-color': '#b91c1c' },
];

/**
 * A ticket point's colour: red when it is open and its `deadline` (Unix seconds) is before `now`,
 * else its status colour. The wall re-sets it with a new `now` as time passes, so a ticket turns
 * red at its deadline without its data (100 000 points, re-clustered) being sent again.
 */
export function ticketColour(nowMs: number): string {
  return [
    'case',
    ['all', ['get', 'open'], ['<', ['get', 'deadline'], Math.floor(nowMs / 1000)]], STATUS_COLOURS.overdue,
    ['match', ['get', 'status'], ...Object.entries(STATUS_COLOURS).filter(([k]) => k !== 'overdue').flat(), '#888888'],
  ] as unknown as string;
}

/**
 * The tiles' points the wall shows: open, or received or closed since `sinceMs`. The tiles hold
 * the last 24 hours as of when they were encoded; this moves the window on without a reload.
 */
export function recentFilter(sinceMs: number): unknown[] {
  const since = Math.floor(sinceMs / 1000);
  return ['any', ['get', 'open'], ['>=', ['get', 'received_at'], since], ['>=', ['coalesce', ['get', 'resolved_at'], 0], since]];
}

/** A ticket point's paint, the same for the tiles' points and the live overlay. */
/** How much larger a ticket's marker is drawn for its "me too" supporters: 1× alone, 1.4× from
 * three (when its priority rises), 1.9× from ten (urgent), 2.3× from 30. */
export const supportScale = ['interpolate', ['linear'], ['coalesce', ['get', 'supporters'], 0], 0, 1, 3, 1.4, 10, 1.9, 30, 2.3];

function ticketPaint(scale: number, hideable = false): CirclePaint {
  // A tile point the overlay draws instead is hidden (feature state: no new layout of the tile).
  const shown = hideable ? (['case', ['boolean', ['feature-state', LIVE_STATE], false], 0, 1] as unknown as number) : 1;
  return {
    'circle-color': ticketColour(Date.now()),
    'circle-radius': ['interpolate', ['linear'], ['zoom'],
      11, ['*', supportScale, ['case', ['get', 'open'], 6 * scale, 3.5 * scale]],
      16, ['*', supportScale, ['case', ['get', 'open'], 11 * scale, 6 * scale]]] as unknown as number,
    'circle-stroke-color': '#ffffff',
    'circle-stroke-width': 1.5 * scale,
    'circle-opacity': shown,
    'circle-stroke-opacity': shown,
  };
}

/** The areas' GeoJSON the wall draws, when it has them before the map is made (its first frame then holds them). */
export interface AreaData {
  districts: GeoJSON.FeatureCollection;
  wards: GeoJSON.FeatureCollection;
  districtLabels: GeoJSON.FeatureCollection;
  wardLabels: GeoJSON.FeatureCollection;
}

/**
 * The style; `scale` enlarges points, lines and text on big screens (1 at 1920 px wide);
 * `origin` is where the page (and so the glyphs) is served from.
 */
export function wallStyle(scale: number, origin: string, areas: Partial<AreaData> = {}): StyleSpecification {
  const data = (x: GeoJSON.FeatureCollection | undefined) => ({ type: 'geojson' as const, data: x ?? empty });
  return {
    version: 8,
    glyphs: glyphsUrl(origin),
    sources: {
      [SRC_DISTRICTS]: data(areas.districts),
      [SRC_WARDS]: data(areas.wards),
      [SRC_TICKETS]: ticketSource(origin),
      [SRC_TICKETS_LIVE]: { type: 'geojson', data: empty },
      [SRC_DISTRICT_LABELS]: data(areas.districtLabels),
      [SRC_WARD_LABELS]: data(areas.wardLabels),
      [SRC_BASEMAP]: tileSource(origin, TILES_BASEMAP),
    },
    layers: [
      { id: LYR_BACKGROUND, type: 'background', paint: { 'background-color': LAND_COLOUR } },
      {
        id: LYR_DISTRICT_FILL, type: 'fill', source: SRC_DISTRICTS,
        paint: { 'fill-color': healthColour, 'fill-opacity': ['interpolate', ['linear'], ['zoom'], WARD_ZOOM - 1, 0.75, WARD_ZOOM, 0.15] as unknown as number },
      },
      {
        id: LYR_WARD_FILL, type: 'fill', source: SRC_WARDS, minzoom: WARD_ZOOM - 1,
        paint: { 'fill-color': healthColour, 'fill-opacity': ['interpolate', ['linear'], ['zoom'], WARD_ZOOM - 1, 0, WARD_ZOOM, 0.7] as unknown as number },
      },
      // Rivers over the (translucent) area colours; the sea meets the districts edge to edge.
      ...basemapLayers(scale),
      { id: LYR_WARD_LINE, type: 'line', source: SRC_WARDS, minzoom: WARD_ZOOM - 1, paint: { 'line-color': '#ffffff', 'line-width': scale, 'line-opacity': 0.8 } },
      { id: LYR_DISTRICT_LINE, type: 'line', source: SRC_DISTRICTS, paint: { 'line-color': '#ffffff', 'line-width': 2.5 * scale } },
      {
        id: LYR_DISTRICT_SELECTED, type: 'line', source: SRC_DISTRICTS, filter: ['==', ['get', 'code'], ''],
        paint: { 'line-color': '#0b1a2a', 'line-width': 5 * scale },
      },
      {
        // A ring in the overdue colour when some of the cell's tickets are overdue.
        id: LYR_CLUSTERS, type: 'circle', source: SRC_TICKETS, 'source-layer': TILE_LAYER_TICKET_CLUSTERS,
        paint: {
          'circle-color': '#1d3557',
          'circle-opacity': 0.85,
          'circle-stroke-color': ['case', ['>', ['get', 'overdue'], 0], STATUS_COLOURS.overdue, '#ffffff'] as unknown as string,
          'circle-stroke-width': ['case', ['>', ['get', 'overdue'], 0], 3 * scale, 2 * scale] as unknown as number,
          'circle-radius': ['interpolate', ['linear'], ['get', 'count'], 2, 8 * scale, 50, 18 * scale, 500, 32 * scale] as unknown as number,
        },
      },
      {
        id: LYR_TICKETS, type: 'circle', source: SRC_TICKETS, 'source-layer': TILE_LAYER_TICKETS,
        filter: recentFilter(Date.now() - 24 * 3600_000) as FilterSpecification, paint: ticketPaint(scale, true),
      },
      // Changed since the ticket tiles were loaded: drawn at every zoom, above the clusters.
      { id: LYR_TICKETS_LIVE, type: 'circle', source: SRC_TICKETS_LIVE, paint: ticketPaint(scale) },
      {
        // Always drawn, and never pushes an area label away.
        id: LYR_CLUSTER_COUNT, type: 'symbol', source: SRC_TICKETS, 'source-layer': TILE_LAYER_TICKET_CLUSTERS,
        layout: {
          'text-field': clusterCountText as unknown as string,
          'text-font': [FONT_BOLD],
          'text-size': ['interpolate', ['linear'], ['get', 'count'], 2, 11 * scale, 500, 16 * scale] as unknown as number,
          'text-allow-overlap': true,
          'text-ignore-placement': true,
        },
        paint: { 'text-color': '#ffffff' },
      },
      roadLabelLayer(scale),
      {
        id: LYR_DISTRICT_LABEL, type: 'symbol', source: SRC_DISTRICT_LABELS,
        layout: {
          'text-field': districtLabelText as unknown as string,
          'text-font': [FONT_BOLD],
          'text-size': 18 * scale,
          'text-line-height': 1.2,
          'text-max-width': 30,
          'text-padding': 2,
          // Beside its point rather than left out when two districts' labels would collide.
          'text-variable-anchor': ['center', 'top', 'bottom', 'left', 'right'],
          'text-radial-offset': 1,
          'text-justify': 'auto',
        },
        paint: {
          'text-color': '#ffffff',
          'text-halo-color': LABEL_DARK,
          'text-halo-width': 2.5 * scale,
          'text-halo-blur': 0.5,
          // Dimmed once wards are drawn.
          'text-opacity': ['step', ['zoom'], 1, WARD_ZOOM, 0.55] as unknown as number,
        },
      },
      {
        // Above the district labels: MapLibre places symbols top layer first, so where a ward's
        // label and the (dimmed) district label collide, the ward's is kept.
        id: LYR_WARD_LABEL, type: 'symbol', source: SRC_WARD_LABELS, minzoom: WARD_ZOOM,
        layout: {
          'text-field': wardLabelText as unknown as string,
          'text-font': [FONT_BOLD],
          'text-size': 13 * scale,
          'text-max-width': 30,
          'text-padding': 2,
        },
        paint: { 'text-color': LABEL_DARK, 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 * scale, 'text-halo-blur': 0.5 },
      },
    ],
  };
}
