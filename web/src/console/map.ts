// The console's map: where a caller is (click, or drag the pin), the 200 m around it where the
// duplicate check looks, the open tickets found there, the queue's tickets coloured by their
// deadline, and the ticket open in the detail panel. No external tiles: the districts and wards
// from the API on a plain background, labels from the glyphs the server serves (as the wall).

import maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { FONT_BOLD, glyphsUrl } from '../common/map/fonts';
import { bbox, labelPoint } from '../common/map/geometry';
import {
  LYR_C_BACKGROUND, LYR_C_DISTRICT_FILL, LYR_C_DISTRICT_LINE, LYR_C_LABELS, LYR_C_NEARBY, LYR_C_QUEUE, LYR_C_RING_FILL, LYR_C_RING_LINE,
  LYR_C_SELECTED, LYR_C_WARD_LINE, SRC_C_DISTRICTS, SRC_C_LABELS, SRC_C_NEARBY, SRC_C_QUEUE, SRC_C_RING, SRC_C_SELECTED, SRC_C_WARDS,
} from '../common/map/ids';
import type { AreaCollection } from '../common/types';
import type { Countdown } from './format';

/** How far the duplicate check looks, in metres (GET /api/v1/tickets/nearby?radius=200). */
export const DUPLICATE_RADIUS_M = 200;

export const URGENCY_COLOURS: Record<Countdown['level'], string> = { ok: '#2e9e5b', soon: '#e8a317', overdue: '#d64545' };

type FC = GeoJSON.FeatureCollection;
const empty: FC = { type: 'FeatureCollection', features: [] };
const point = (lon: number, lat: number, properties: Record<string, unknown> = {}): GeoJSON.Feature => ({
  type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties,
});

/** A polygon approximating the circle of `radiusM` metres around a point (64 vertices). */
export function ring(lon: number, lat: number, radiusM: number): GeoJSON.Feature<GeoJSON.Polygon> {
  const dLat = radiusM / 111_320;
  const dLon = radiusM / (111_320 * Math.cos((lat * Math.PI) / 180));
  const coords = Array.from({ length: 65 }, (_, i) => {
    const a = (2 * Math.PI * (i % 64)) / 64;
    return [lon + dLon * Math.cos(a), lat + dLat * Math.sin(a)];
  });
  return { type: 'Feature', geometry: { type: 'Polygon', coordinates: [coords] }, properties: {} };
}

export interface MapTicketPoint {
  id: string;
  code: string;
  lon: number;
  lat: number;
  level: Countdown['level'];
}

export class ConsoleMap {
  readonly map: maplibregl.Map;
  readonly ready: Promise<void>;
  private pin: maplibregl.Marker | null = null;

  constructor(container: HTMLElement, private readonly onPick: (lon: number, lat: number) => void, onTicket: (id: string) => void) {
    this.map = new maplibregl.Map({
      container,
      style: {
        version: 8,
        glyphs: glyphsUrl(location.origin),
        sources: Object.fromEntries([SRC_C_DISTRICTS, SRC_C_WARDS, SRC_C_LABELS, SRC_C_QUEUE, SRC_C_NEARBY, SRC_C_RING, SRC_C_SELECTED].map((s) => [s, { type: 'geojson', data: empty }])),
        layers: [
          { id: LYR_C_BACKGROUND, type: 'background', paint: { 'background-color': '#dfe8ef' } },
          { id: LYR_C_DISTRICT_FILL, type: 'fill', source: SRC_C_DISTRICTS, paint: { 'fill-color': '#f8fafc', 'fill-opacity': 0.9 } },
          { id: LYR_C_WARD_LINE, type: 'line', source: SRC_C_WARDS, minzoom: 12, paint: { 'line-color': '#9aa9b8', 'line-width': 1, 'line-dasharray': [3, 2] } },
          { id: LYR_C_DISTRICT_LINE, type: 'line', source: SRC_C_DISTRICTS, paint: { 'line-color': '#6b7f93', 'line-width': 1.6 } },
          { id: LYR_C_RING_FILL, type: 'fill', source: SRC_C_RING, paint: { 'fill-color': '#2563eb', 'fill-opacity': 0.08 } },
          { id: LYR_C_RING_LINE, type: 'line', source: SRC_C_RING, paint: { 'line-color': '#2563eb', 'line-width': 1.5, 'line-dasharray': [2, 2] } },
          {
            id: LYR_C_QUEUE, type: 'circle', source: SRC_C_QUEUE,
            paint: {
              'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 3.5, 15, 7],
              'circle-color': ['match', ['get', 'level'], 'overdue', URGENCY_COLOURS.overdue, 'soon', URGENCY_COLOURS.soon, URGENCY_COLOURS.ok],
              'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1,
            },
          },
          {
            id: LYR_C_NEARBY, type: 'circle', source: SRC_C_NEARBY,
            paint: { 'circle-radius': 8, 'circle-color': '#f97316', 'circle-stroke-color': '#7c2d12', 'circle-stroke-width': 2 },
          },
          { id: LYR_C_SELECTED, type: 'circle', source: SRC_C_SELECTED, paint: { 'circle-radius': 12, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#111827', 'circle-stroke-width': 3 } },
          {
            id: LYR_C_LABELS, type: 'symbol', source: SRC_C_LABELS,
            layout: { 'text-field': ['get', 'name'], 'text-font': [FONT_BOLD], 'text-size': 13 },
            paint: { 'text-color': '#334155', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
          },
        ],
      },
      center: [108.2062, 16.0471],
      zoom: 11,
      attributionControl: false,
    });
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
    this.ready = new Promise((r) => this.map.once('load', () => r()));
    this.map.on('click', (e) => {
      const hit = this.map.queryRenderedFeatures(e.point, { layers: [LYR_C_NEARBY, LYR_C_QUEUE] })[0];
      if (hit?.properties?.id) onTicket(String(hit.properties.id));
      else this.onPick(e.lngLat.lng, e.lngLat.lat);
    });
    for (const layer of [LYR_C_QUEUE, LYR_C_NEARBY]) {
      this.map.on('mouseenter', layer, () => (this.map.getCanvas().style.cursor = 'pointer'));
      this.map.on('mouseleave', layer, () => (this.map.getCanvas().style.cursor = ''));
    }
  }

  private set(id: string, data: FC): void {
    (this.map.getSource(id) as maplibregl.GeoJSONSource | undefined)?.setData(data);
  }

  /** Districts (filled, labelled) and wards (dashed, from zoom 12); the view fits the city. */
  setAreas(districts: AreaCollection, wards: AreaCollection): void {
    this.set(SRC_C_DISTRICTS, districts);
    this.set(SRC_C_WARDS, wards);
    const labels = districts.features.map((f) => point(...labelPoint(f.geometry), { name: f.properties.name ?? '' }));
    this.set(SRC_C_LABELS, { type: 'FeatureCollection', features: labels });
    if (districts.features.length) {
      const boxes = districts.features.map((f) => bbox(f.geometry));
      const [w, s, e, n] = [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
      this.map.fitBounds([[w, s], [e, n]], { padding: 20, duration: 0 });
    }
  }

  /** The new call's point (a draggable pin) and the ring the duplicate check covers; null clears. */
  setPick(at: { lon: number; lat: number } | null, fly = false): void {
    if (!at) {
      this.pin?.remove();
      this.pin = null;
      this.set(SRC_C_RING, empty);
      return;
    }
    if (!this.pin) {
      this.pin = new maplibregl.Marker({ color: '#2563eb', draggable: true }).setLngLat([at.lon, at.lat]).addTo(this.map);
      this.pin.on('dragend', () => {
        const p = this.pin?.getLngLat();
        if (p) this.onPick(p.lng, p.lat);
      });
    } else {
      this.pin.setLngLat([at.lon, at.lat]);
    }
    this.set(SRC_C_RING, { type: 'FeatureCollection', features: [ring(at.lon, at.lat, DUPLICATE_RADIUS_M)] });
    if (fly) this.map.flyTo({ center: [at.lon, at.lat], zoom: Math.max(this.map.getZoom(), 15.5), duration: 600 });
  }

  setNearby(points: readonly MapTicketPoint[]): void {
    this.set(SRC_C_NEARBY, { type: 'FeatureCollection', features: points.map((p) => point(p.lon, p.lat, { id: p.id, code: p.code })) });
  }

  setQueue(points: readonly MapTicketPoint[]): void {
    this.set(SRC_C_QUEUE, { type: 'FeatureCollection', features: points.map((p) => point(p.lon, p.lat, { id: p.id, code: p.code, level: p.level })) });
  }

  /** Rings the ticket open in the detail panel and brings it into view. */
  setSelected(at: { lon: number; lat: number } | null): void {
    this.set(SRC_C_SELECTED, { type: 'FeatureCollection', features: at ? [point(at.lon, at.lat)] : [] });
    if (at) this.map.easeTo({ center: [at.lon, at.lat], zoom: Math.max(this.map.getZoom(), 14), duration: 500 });
  }
}
