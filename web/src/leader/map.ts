// The leaders' map: the districts (or the wards of the chosen district) filled with the colour of
// the chosen measure, each labelled with its name and value; a click drills down. Nothing comes
// from a CDN: the basemap (water, roads) is the server's own /tiles (common/map/basemap.ts), the
// areas are GeoJSON from /api/v1/areas, the glyphs come from the server (common/map/fonts.ts).
// Source and layer ids are the shared ones of the districts and wards (common/map/ids.ts): this
// map draws the same things as the wall, coloured by other figures.
//
// The colours are computed here (scale.ts) and set as feature properties, so the style only
// reads `colour`, `opacity`, `selected` and `label`; each update is one setData per source.

import maplibregl, { type StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { esc } from '../common/dom';
import { LAND_COLOUR, basemapLayers, roadLabelLayer } from '../common/map/basemap';
import { FONT_BOLD, glyphsUrl } from '../common/map/fonts';
import { bbox, labelPoint } from '../common/map/geometry';
import {
  LYR_BACKGROUND, LYR_DISTRICT_FILL, LYR_DISTRICT_LABEL, LYR_DISTRICT_LINE, LYR_DISTRICT_SELECTED, LYR_WARD_FILL, LYR_WARD_LABEL, LYR_WARD_LINE,
  SRC_BASEMAP, SRC_DISTRICT_LABELS, SRC_DISTRICTS, SRC_WARD_LABELS, SRC_WARDS, TILES_BASEMAP,
} from '../common/map/ids';
import { tileSource } from '../common/map/sources';
import type { AreaCollection, AreaFeature } from '../common/types';
import type { Scale } from './scale';

/** How one area is drawn. */
export interface AreaPaint {
  colour: string;
  /** Two lines: the name, then the value. */
  label: string;
  selected: boolean;
  /** 0–1; areas outside the current view are dimmed. */
  opacity: number;
}

const empty: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
const get = (k: string) => ['get', k] as unknown as string;

export function leaderStyle(origin: string, scale: number): StyleSpecification {
  return {
    version: 8,
    glyphs: glyphsUrl(origin),
    sources: {
      [SRC_DISTRICTS]: { type: 'geojson', data: empty },
      [SRC_WARDS]: { type: 'geojson', data: empty },
      [SRC_DISTRICT_LABELS]: { type: 'geojson', data: empty },
      [SRC_WARD_LABELS]: { type: 'geojson', data: empty },
      [SRC_BASEMAP]: tileSource(origin, TILES_BASEMAP),
    },
    layers: [
      { id: LYR_BACKGROUND, type: 'background', paint: { 'background-color': LAND_COLOUR } },
      { id: LYR_DISTRICT_FILL, type: 'fill', source: SRC_DISTRICTS, paint: { 'fill-color': get('colour'), 'fill-opacity': get('opacity') as unknown as number } },
      { id: LYR_WARD_FILL, type: 'fill', source: SRC_WARDS, paint: { 'fill-color': get('colour'), 'fill-opacity': get('opacity') as unknown as number } },
      ...basemapLayers(scale).map((l) => (l.type === 'line' ? { ...l, paint: { ...l.paint, 'line-opacity': 0.55 } } : l)),
      {
        id: LYR_WARD_LINE, type: 'line', source: SRC_WARDS,
        paint: {
          'line-color': ['case', ['get', 'selected'], '#0b1a2a', '#ffffff'] as unknown as string,
          'line-width': ['case', ['get', 'selected'], 4 * scale, 1.2 * scale] as unknown as number,
        },
      },
      { id: LYR_DISTRICT_LINE, type: 'line', source: SRC_DISTRICTS, paint: { 'line-color': '#ffffff', 'line-width': 2.5 * scale } },
      { id: LYR_DISTRICT_SELECTED, type: 'line', source: SRC_DISTRICTS, filter: ['==', ['get', 'selected'], true], paint: { 'line-color': '#0b1a2a', 'line-width': 3.5 * scale } },
      roadLabelLayer(scale),
      {
        id: LYR_DISTRICT_LABEL, type: 'symbol', source: SRC_DISTRICT_LABELS,
        layout: {
          'text-field': get('label'), 'text-font': [FONT_BOLD], 'text-size': 15 * scale, 'text-max-width': 20, 'text-line-height': 1.2,
          // Beside its point rather than left out when two districts' labels would collide.
          'text-variable-anchor': ['center', 'top', 'bottom', 'left', 'right'], 'text-radial-offset': 0.8, 'text-justify': 'auto', 'text-padding': 1,
        },
        paint: { 'text-color': '#0b1a2a', 'text-halo-color': '#ffffff', 'text-halo-width': 2 * scale },
      },
      {
        id: LYR_WARD_LABEL, type: 'symbol', source: SRC_WARD_LABELS,
        layout: {
          'text-field': get('label'), 'text-font': [FONT_BOLD], 'text-size': 12 * scale, 'text-max-width': 14, 'text-line-height': 1.15,
          'text-variable-anchor': ['center', 'top', 'bottom', 'left', 'right'], 'text-radial-offset': 0.6, 'text-justify': 'auto', 'text-padding': 1,
        },
        paint: { 'text-color': '#0b1a2a', 'text-halo-color': '#ffffff', 'text-halo-width': 1.6 * scale },
      },
    ],
  };
}

/** The areas with their paint as properties (areas without paint are left out). */
export function paintedAreas(areas: readonly AreaFeature[], paint: ReadonlyMap<string, AreaPaint>): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: areas.flatMap((f) => {
      const p = paint.get(f.properties.code);
      return p ? [{ type: 'Feature' as const, geometry: f.geometry, properties: { code: f.properties.code, level: f.properties.level, ...p } }] : [];
    }),
  };
}

/** One label point per painted area. */
export function labelPoints(areas: readonly AreaFeature[], paint: ReadonlyMap<string, AreaPaint>): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: areas.flatMap((f) => {
      const p = paint.get(f.properties.code);
      if (!p || !p.label) return [];
      return [{ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: labelPoint(f.geometry) }, properties: { code: f.properties.code, label: p.label } }];
    }),
  };
}

/** The bounding box of some areas. */
export function areasBbox(areas: readonly AreaFeature[]): [number, number, number, number] | null {
  if (!areas.length) return null;
  const boxes = areas.map((f) => bbox(f.geometry));
  return [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
}

/** The legend of a scale: a colour bar from the low to the high end, with both ends written. */
export function legendHtml(title: string, s: Scale, fmt: (v: number) => string, noData: string): string {
  return `<div class="legend-title">${esc(title)}</div>
    <div class="legend-bar" style="background:linear-gradient(to right, ${s.stops.join(', ')})"></div>
    <div class="legend-ends"><span>${esc(fmt(s.domain[0]))}</span><span>${esc(fmt(s.domain[1]))}</span></div>
    <div class="legend-none"><span class="sw"></span>${esc(noData)}</div>`;
}

export class LeaderMap {
  readonly map: maplibregl.Map;
  readonly ready: Promise<void>;

  constructor(container: HTMLElement, onPick: (level: 'district' | 'ward', code: string) => void) {
    const scale = Math.max(1, window.innerWidth / 1920);
    this.map = new maplibregl.Map({
      container, style: leaderStyle(location.origin, scale), center: [108.2, 16.05], zoom: 10.5, attributionControl: false,
      // So that the map prints (the canvas keeps its picture after drawing).
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
    this.ready = new Promise((resolve) => this.map.once('load', () => resolve()));
    this.map.on('click', (e) => {
      const hits = this.map.queryRenderedFeatures(e.point, { layers: [LYR_WARD_FILL, LYR_DISTRICT_FILL] });
      const ward = hits.find((f) => f.layer.id === LYR_WARD_FILL);
      const hit = ward ?? hits.find((f) => f.layer.id === LYR_DISTRICT_FILL);
      const code = hit?.properties?.code as string | undefined;
      if (code) onPick(ward ? 'ward' : 'district', code);
    });
    for (const l of [LYR_WARD_FILL, LYR_DISTRICT_FILL]) {
      this.map.on('mouseenter', l, () => (this.map.getCanvas().style.cursor = 'pointer'));
      this.map.on('mouseleave', l, () => (this.map.getCanvas().style.cursor = ''));
    }
  }

  private set(id: string, data: GeoJSON.FeatureCollection): void {
    (this.map.getSource(id) as maplibregl.GeoJSONSource | undefined)?.setData(data);
  }

  /** Draws the districts and the wards shown, each with its paint. */
  show(districts: readonly AreaFeature[], districtPaint: ReadonlyMap<string, AreaPaint>, wards: readonly AreaFeature[], wardPaint: ReadonlyMap<string, AreaPaint>): void {
    this.set(SRC_DISTRICTS, paintedAreas(districts, districtPaint));
    this.set(SRC_WARDS, paintedAreas(wards, wardPaint));
    this.set(SRC_DISTRICT_LABELS, labelPoints(districts, districtPaint));
    this.set(SRC_WARD_LABELS, labelPoints(wards, wardPaint));
  }

  /** Frames these areas (animated unless `instant`). */
  fit(areas: AreaCollection['features'], instant = false): void {
    const b = areasBbox(areas);
    if (b) this.map.fitBounds(b, { padding: 30, duration: instant ? 0 : 600 });
  }

  resize(): void {
    this.map.resize();
  }
}
