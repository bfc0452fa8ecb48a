// The basemap drawn from the server's own vector tiles (/tiles, docs/tiles.md): water (the sea
// and the rivers) and main roads with their names from the `basemap` source, and, for pages
// that do not colour areas themselves, area outlines and names from the `areas` source.
// Nothing comes from a CDN: the tiles and the glyphs are served by the page's own server.

import type { LayerSpecification } from 'maplibre-gl';
import { FONT_BOLD, FONT_REGULAR } from './fonts';
import {
  LYR_AREA_LABEL, LYR_AREA_OUTLINE, LYR_ROAD_CASING, LYR_ROAD_LABEL, LYR_ROADS, LYR_WATER, SRC_AREA_TILES, SRC_BASEMAP,
  TILE_LAYER_AREA_LABELS, TILE_LAYER_AREAS, TILE_LAYER_ROADS, TILE_LAYER_WATER,
} from './ids';

export const LAND_COLOUR = '#ece8df';
export const WATER_COLOUR = '#a9c9e2';

/** Water, roads (primary from the city view, secondary from z 12) and road names. */
export function basemapLayers(scale: number): LayerSpecification[] {
  const width = (primary: number, secondary: number) =>
    [
      'interpolate', ['exponential', 1.6], ['zoom'],
      10, ['match', ['get', 'kind'], 'secondary', 0.4 * secondary * scale, 0.8 * primary * scale],
      16, ['match', ['get', 'kind'], 'secondary', 6 * secondary * scale, 9 * primary * scale],
    ] as unknown as number;
  return [
    { id: LYR_WATER, type: 'fill', source: SRC_BASEMAP, 'source-layer': TILE_LAYER_WATER, paint: { 'fill-color': WATER_COLOUR } },
    {
      id: LYR_ROAD_CASING, type: 'line', source: SRC_BASEMAP, 'source-layer': TILE_LAYER_ROADS, minzoom: 10,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': ['match', ['get', 'kind'], 'secondary', '#b9b2a3', '#c79a3e'] as unknown as string, 'line-width': width(1.6, 1.5), 'line-opacity': 0.9 },
    },
    {
      id: LYR_ROADS, type: 'line', source: SRC_BASEMAP, 'source-layer': TILE_LAYER_ROADS,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': ['match', ['get', 'kind'], 'secondary', '#ffffff', '#f7d27e'] as unknown as string, 'line-width': width(1, 1) },
    },
  ];
}

/** Road names along the roads (above everything else but the page's own labels). */
export function roadLabelLayer(scale: number): LayerSpecification {
  return {
    id: LYR_ROAD_LABEL, type: 'symbol', source: SRC_BASEMAP, 'source-layer': TILE_LAYER_ROADS, minzoom: 13,
    layout: {
      'symbol-placement': 'line',
      'text-field': ['get', 'name'] as unknown as string,
      'text-font': [FONT_REGULAR],
      'text-size': 11 * scale,
    },
    paint: { 'text-color': '#4a4136', 'text-halo-color': '#ffffff', 'text-halo-width': 1.2 * scale },
  };
}

/** District outlines and names from the `areas` tiles (wards' outlines from z 13). */
export function areaTileLayers(): LayerSpecification[] {
  return [
    {
      id: LYR_AREA_OUTLINE, type: 'line', source: SRC_AREA_TILES, 'source-layer': TILE_LAYER_AREAS,
      filter: ['any', ['==', ['get', 'level'], 'district'], ['all', ['==', ['get', 'level'], 'ward'], ['>=', ['zoom'], 13]]],
      paint: { 'line-color': '#8a949e', 'line-width': ['match', ['get', 'level'], 'district', 1.4, 0.6] as unknown as number },
    },
    {
      id: LYR_AREA_LABEL, type: 'symbol', source: SRC_AREA_TILES, 'source-layer': TILE_LAYER_AREA_LABELS,
      filter: ['==', ['get', 'level'], 'district'],
      layout: { 'text-field': ['get', 'name'] as unknown as string, 'text-font': [FONT_BOLD], 'text-size': 13 },
      paint: { 'text-color': '#33424f', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
    },
  ];
}
