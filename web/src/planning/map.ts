// The planning map's style: a plain background with the districts, the planning zones filled in
// their land-use colours, their outlines, a highlight for the chosen zone, and the zone symbols.
// Glyphs come from the page's own server; nothing from a CDN.
//
// The zones come from one source, set up only in `planningSource` (common/map/sources.ts, shared
// with the wall's planning overlay): the `planning` vector tiles (/tiles/planning/{z}/{x}/{y},
// layer `planning`), whose attributes are those of GET /api/v1/planning/zones, so the filters and
// labels work on either.

import type { ExpressionSpecification, FilterSpecification, StyleSpecification } from 'maplibre-gl';
import { FONT_BOLD, glyphsUrl } from '../common/map/fonts';
import {
  LYR_BACKGROUND, LYR_DISTRICT_FILL, LYR_DISTRICT_LINE, LYR_ZONE_FILL, LYR_ZONE_HIGHLIGHT, LYR_ZONE_LABEL, LYR_ZONE_LINE, SRC_DISTRICTS,
  SRC_PLANNING, TILE_LAYER_PLANNING,
} from '../common/map/ids';
import { planningSource } from '../common/map/sources';

/** The source layer within vector tiles; `undefined` for GeoJSON. */
const SOURCE_LAYER: string | undefined = TILE_LAYER_PLANNING;

const fromSource = () => ({ source: SRC_PLANNING, ...(SOURCE_LAYER ? { 'source-layer': SOURCE_LAYER } : {}) });

/** Only zones of these land uses and layers. */
export function zoneFilter(uses: string[], layers: string[]): FilterSpecification {
  return ['all', ['in', ['get', 'land_use'], ['literal', uses]], ['in', ['get', 'layer'], ['literal', layers]]];
}

/** The chosen zones (by `id`), or none. */
export function highlightFilter(ids: string[]): FilterSpecification {
  return ['in', ['get', 'id'], ['literal', ids]];
}

export function planningStyle(origin: string, opacity: number): StyleSpecification {
  const colour: ExpressionSpecification = ['get', 'colour'];
  return {
    version: 8,
    glyphs: glyphsUrl(origin),
    sources: {
      [SRC_DISTRICTS]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      [SRC_PLANNING]: planningSource(origin),
    },
    layers: [
      { id: LYR_BACKGROUND, type: 'background', paint: { 'background-color': '#a9c9e2' } },
      { id: LYR_DISTRICT_FILL, type: 'fill', source: SRC_DISTRICTS, paint: { 'fill-color': '#f4f1ea' } },
      { id: LYR_ZONE_FILL, type: 'fill', ...fromSource(), paint: { 'fill-color': colour, 'fill-opacity': opacity } },
      {
        id: LYR_ZONE_LINE, type: 'line', ...fromSource(),
        paint: { 'line-color': '#5f5a52', 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 0.2, 16, 1], 'line-opacity': Math.min(1, opacity + 0.2) },
      },
      { id: LYR_DISTRICT_LINE, type: 'line', source: SRC_DISTRICTS, paint: { 'line-color': '#39434d', 'line-width': 1.6, 'line-dasharray': [3, 2] } },
      { id: LYR_ZONE_HIGHLIGHT, type: 'line', ...fromSource(), filter: highlightFilter([]), paint: { 'line-color': '#0b1a2a', 'line-width': 3 } },
      {
        id: LYR_ZONE_LABEL, type: 'symbol', ...fromSource(), minzoom: 14.5,
        layout: { 'text-field': ['get', 'symbol'], 'text-font': [FONT_BOLD], 'text-size': 11 },
        paint: { 'text-color': '#2d2a26', 'text-halo-color': '#ffffff', 'text-halo-width': 1 },
      },
    ],
  };
}
