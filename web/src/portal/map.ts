// The portal's map: the server's own vector tiles (/tiles): water, main roads and their names
// from `basemap`, district outlines and names from `areas`; glyphs from the page's own server
// (nothing from a CDN).

import type { StyleSpecification } from 'maplibre-gl';
import { LAND_COLOUR, SRC_AREA_TILES, SRC_BASEMAP, areaTileLayers, basemapLayers, roadLabelLayer, tileSource } from '../common/map/basemap';

export function portalStyle(origin: string): StyleSpecification {
  return {
    version: 8,
    glyphs: `${origin}/fonts/{fontstack}/{range}.pbf`,
    sources: { [SRC_BASEMAP]: tileSource(origin, 'basemap'), [SRC_AREA_TILES]: tileSource(origin, 'areas') },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': LAND_COLOUR } },
      ...basemapLayers(1),
      ...areaTileLayers(),
      roadLabelLayer(1),
    ],
  };
}
