// The portal's map: the city's districts with their Vietnamese names on a plain background,
// glyphs from the page's own server (no tiles, nothing from a CDN).

import type { StyleSpecification } from 'maplibre-gl';
import { FONT_BOLD } from '../style';

export function portalStyle(origin: string): StyleSpecification {
  return {
    version: 8,
    glyphs: `${origin}/fonts/{fontstack}/{range}.pbf`,
    sources: { districts: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } } },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#a9c9e2' } },
      { id: 'district-fill', type: 'fill', source: 'districts', paint: { 'fill-color': '#f4f1ea' } },
      { id: 'district-line', type: 'line', source: 'districts', paint: { 'line-color': '#8a949e', 'line-width': 1.2 } },
      {
        id: 'district-label', type: 'symbol', source: 'districts',
        layout: { 'text-field': ['get', 'name'], 'text-font': [FONT_BOLD], 'text-size': 13 },
        paint: { 'text-color': '#33424f', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
      },
    ],
  };
}
