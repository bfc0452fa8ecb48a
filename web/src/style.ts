// The wall's base map: no external tiles, glyphs or sprites. A water-coloured background and the
// city's districts and wards from the API. Labels are HTML markers (see wall.ts), so the style
// needs no glyph server.

import type { StyleSpecification } from 'maplibre-gl';
import { HEALTH_COLOURS, STATUS_COLOURS } from './health';

export const SRC_DISTRICTS = 'districts';
export const SRC_WARDS = 'wards';
export const SRC_TICKETS = 'tickets';

export const LYR_BACKGROUND = 'background';
export const LYR_DISTRICT_FILL = 'district-fill';
export const LYR_DISTRICT_LINE = 'district-line';
export const LYR_DISTRICT_SELECTED = 'district-selected';
export const LYR_WARD_FILL = 'ward-fill';
export const LYR_WARD_LINE = 'ward-line';
export const LYR_CLUSTERS = 'ticket-clusters';
export const LYR_TICKETS = 'ticket-points';

/** Zoom at which wards replace districts. */
export const WARD_ZOOM = 13;
/** Tickets are clustered below this zoom. */
export const CLUSTER_MAX_ZOOM = 13;

const empty: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

const healthColour = [
  'match', ['get', 'health'],
  'good', HEALTH_COLOURS.good,
  'warn', HEALTH_COLOURS.warn,
  'bad', HEALTH_COLOURS.bad,
  HEALTH_COLOURS.none,
] as unknown as string;

const statusColour = [
  'match', ['get', 'colour_key'],
  ...Object.entries(STATUS_COLOURS).flat(),
  '#888888',
] as unknown as string;

/** The style; `scale` enlarges points and lines on big screens (1 at 1920 px wide). */
export function wallStyle(scale = 1): StyleSpecification {
  return {
    version: 8,
    sources: {
      [SRC_DISTRICTS]: { type: 'geojson', data: empty },
      [SRC_WARDS]: { type: 'geojson', data: empty },
      [SRC_TICKETS]: { type: 'geojson', data: empty, cluster: true, clusterMaxZoom: CLUSTER_MAX_ZOOM - 1, clusterRadius: 40 },
    },
    layers: [
      { id: LYR_BACKGROUND, type: 'background', paint: { 'background-color': '#a9c9e2' } },
      {
        id: LYR_DISTRICT_FILL, type: 'fill', source: SRC_DISTRICTS,
        paint: { 'fill-color': healthColour, 'fill-opacity': ['interpolate', ['linear'], ['zoom'], WARD_ZOOM - 1, 0.75, WARD_ZOOM, 0.15] as unknown as number },
      },
      {
        id: LYR_WARD_FILL, type: 'fill', source: SRC_WARDS, minzoom: WARD_ZOOM - 1,
        paint: { 'fill-color': healthColour, 'fill-opacity': ['interpolate', ['linear'], ['zoom'], WARD_ZOOM - 1, 0, WARD_ZOOM, 0.7] as unknown as number },
      },
      { id: LYR_WARD_LINE, type: 'line', source: SRC_WARDS, minzoom: WARD_ZOOM - 1, paint: { 'line-color': '#ffffff', 'line-width': scale, 'line-opacity': 0.8 } },
      { id: LYR_DISTRICT_LINE, type: 'line', source: SRC_DISTRICTS, paint: { 'line-color': '#ffffff', 'line-width': 2.5 * scale } },
      {
        id: LYR_DISTRICT_SELECTED, type: 'line', source: SRC_DISTRICTS, filter: ['==', ['get', 'code'], ''],
        paint: { 'line-color': '#0b1a2a', 'line-width': 5 * scale },
      },
      {
        id: LYR_CLUSTERS, type: 'circle', source: SRC_TICKETS, filter: ['has', 'point_count'],
        paint: {
          'circle-color': '#1d3557',
          'circle-opacity': 0.85,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 2,
          'circle-radius': ['interpolate', ['linear'], ['get', 'point_count'], 2, 8 * scale, 50, 18 * scale, 500, 32 * scale] as unknown as number,
        },
      },
      {
        id: LYR_TICKETS, type: 'circle', source: SRC_TICKETS, filter: ['!', ['has', 'point_count']],
        paint: {
          'circle-color': statusColour,
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, ['case', ['get', 'open'], 6 * scale, 3.5 * scale], 16, ['case', ['get', 'open'], 11 * scale, 6 * scale]] as unknown as number,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1.5 * scale,
        },
      },
    ],
  };
}
