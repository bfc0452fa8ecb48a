// The portal's map: the server's own vector tiles (/tiles): water, main roads and their names
// from `basemap`, district outlines and names from `areas`; glyphs from the page's own server
// (nothing from a CDN).

import type { StyleSpecification } from 'maplibre-gl';
import { LAND_COLOUR, areaTileLayers, basemapLayers, roadLabelLayer } from '../common/map/basemap';
import { glyphsUrl } from '../common/map/fonts';
import { LYR_BACKGROUND, SRC_AREA_TILES, SRC_BASEMAP, TILES_AREAS, TILES_BASEMAP } from '../common/map/ids';
import { tileSource } from '../common/map/sources';

export function portalStyle(origin: string): StyleSpecification {
  return {
    version: 8,
    glyphs: glyphsUrl(origin),
    sources: { [SRC_BASEMAP]: tileSource(origin, TILES_BASEMAP), [SRC_AREA_TILES]: tileSource(origin, TILES_AREAS) },
    layers: [
      { id: LYR_BACKGROUND, type: 'background', paint: { 'background-color': LAND_COLOUR } },
      ...basemapLayers(1),
      ...areaTileLayers(),
      roadLabelLayer(1),
    ],
  };
}
