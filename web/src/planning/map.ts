// The planning map's style: a plain background with the districts, the planning zones filled in
// their land-use colours, their outlines, a highlight for the chosen zone, and the zone symbols.
// Glyphs come from the page's own server; nothing from a CDN.
//
// The zones come from one source, set up only in `planningSource`: the `planning` vector tiles
// (/tiles/planning/{z}/{x}/{y}, layer `planning`), whose attributes are those of
// GET /api/v1/planning/zones, so the filters and labels work on either.

import type { ExpressionSpecification, FilterSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import { FONT_BOLD } from '../common/map/fonts';

export const SOURCE = 'planning';
/** The source layer within vector tiles; `undefined` for GeoJSON. */
export const SOURCE_LAYER: string | undefined = 'planning';
export const FILL = 'zone-fill';
export const LINE = 'zone-line';
export const HIGHLIGHT = 'zone-highlight';
export const LABEL = 'zone-label';

/** Where the zones come from. */
export function planningSource(origin: string): SourceSpecification {
  return { type: 'vector', tiles: [`${origin}/tiles/planning/{z}/{x}/{y}`], minzoom: 0, maxzoom: 18 };
}

const fromSource = () => ({ source: SOURCE, ...(SOURCE_LAYER ? { 'source-layer': SOURCE_LAYER } : {}) });

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
    glyphs: `${origin}/fonts/{fontstack}/{range}.pbf`,
    sources: {
      districts: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      [SOURCE]: planningSource(origin),
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#a9c9e2' } },
      { id: 'district-fill', type: 'fill', source: 'districts', paint: { 'fill-color': '#f4f1ea' } },
      { id: FILL, type: 'fill', ...fromSource(), paint: { 'fill-color': colour, 'fill-opacity': opacity } },
      {
        id: LINE, type: 'line', ...fromSource(),
        paint: { 'line-color': '#5f5a52', 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 0.2, 16, 1], 'line-opacity': Math.min(1, opacity + 0.2) },
      },
      { id: 'district-line', type: 'line', source: 'districts', paint: { 'line-color': '#39434d', 'line-width': 1.6, 'line-dasharray': [3, 2] } },
      { id: HIGHLIGHT, type: 'line', ...fromSource(), filter: highlightFilter([]), paint: { 'line-color': '#0b1a2a', 'line-width': 3 } },
      {
        id: LABEL, type: 'symbol', ...fromSource(), minzoom: 14.5,
        layout: { 'text-field': ['get', 'symbol'], 'text-font': [FONT_BOLD], 'text-size': 11 },
        paint: { 'text-color': '#2d2a26', 'text-halo-color': '#ffffff', 'text-halo-width': 1 },
      },
    ],
  };
}
