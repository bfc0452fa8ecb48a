// The public planning API (no session): layers and legend, zones at a point, place search.

import { HttpError } from '../common/api';

export interface LegendEntry {
  land_use: string;
  symbol: string;
  label_vi: string;
  label_en: string;
  colour: string;
}

export interface PlanLayer {
  code: string;
  name: string;
  name_en: string;
  decision_number: string;
  decision_date: string;
  zones: number;
  bbox?: [number, number, number, number] | null;
}

export interface Zone {
  id: string;
  layer: string;
  layer_name: string;
  layer_name_en: string;
  code: string;
  name?: string | null;
  land_use: string;
  symbol: string;
  land_use_vi: string;
  land_use_en: string;
  colour: string;
  max_height_m?: number | null;
  building_density_pct?: number | null;
  far?: number | null;
  decision_number: string;
  decision_date: string;
  on_boundary?: boolean;
}

export interface Place {
  name: string;
  name_en: string;
  kind: string;
  location: { lon: number; lat: number };
  area_name?: string | null;
}

async function get<T>(path: string): Promise<T> {
  const r = await fetch(path);
  if (!r.ok) throw new HttpError(r.status, r.statusText);
  return (await r.json()) as T;
}

export const layers = () => get<{ layers: PlanLayer[]; legend: LegendEntry[] }>('/api/v1/planning/layers');

export const zonesAt = (lon: number, lat: number) =>
  get<{ zones: Zone[] }>(`/api/v1/planning/at?lon=${lon.toFixed(6)}&lat=${lat.toFixed(6)}`);

export const searchPlaces = (q: string) => get<Place[]>(`/api/v1/public/places?q=${encodeURIComponent(q)}&limit=8`);
