// The public planning API (no session): layers and legend, zones at a point, place search.

import { get } from '../common/http';
import type { PlaceHit, Schemas } from '../common/types';

export type LegendEntry = Schemas['LegendEntry'];
/** A plan (đồ án quy hoạch): one layer of zones. */
export type PlanLayer = Schemas['LayerView'];
/** A zone holding the picked point, and whether the point is on its edge. */
export type Zone = Schemas['ZoneAt'];

export const layers = () => get<Schemas['PlanningLayers']>('/api/v1/planning/layers');

export const zonesAt = (lon: number, lat: number) =>
  get<Schemas['ZonesAt']>(`/api/v1/planning/at?lon=${lon.toFixed(6)}&lat=${lat.toFixed(6)}`);

export const searchPlaces = (q: string) => get<PlaceHit[]>(`/api/v1/public/places?q=${encodeURIComponent(q)}&limit=8`);
