// API types used by the wall. Tickets and categories come from api.gen.d.ts, generated from the
// server's /api/v1/openapi.json (`npm run gen:types` with a server on SWITCHBOARD_URL, default
// http://127.0.0.1:8080), so the wall can't drift from the server. The area GeoJSON properties
// are not in the OpenAPI document (a FeatureCollection), so they are written out here.
// It is a .d.ts so skipLibCheck skips it: the document repeats operationIds (`list`, `create`),
// which openapi-typescript turns into duplicate keys of its `operations` interface.

import type { components } from '../api.gen';

type Schemas = components['schemas'];

export type Status = Schemas['Status'];

export interface AreaStats {
  counts: Partial<Record<Status, number>>;
  total: number;
  open: number;
  overdue: number;
}

export interface AreaProps {
  code: string;
  name: string;
  name_en?: string | null;
  level: 'district' | 'ward' | string;
  parent?: string | null;
  stats: AreaStats;
}

export interface AreaFeature {
  type: 'Feature';
  geometry: GeoJSON.Geometry;
  properties: AreaProps;
}

export interface AreaCollection {
  type: 'FeatureCollection';
  features: AreaFeature[];
}

/** A ticket as the wall holds it: the server's TicketView. Live events carry a subset. */
export type Ticket = Schemas['TicketView'];
export type TicketPage = Schemas['TicketPage'];
export type Category = Schemas['Category'];
export type Categories = Schemas['Categories'];

/**
 * A ticket as the wall's map holds it: a row of GET /api/v1/map/tickets, kept up to date by live
 * events. Instants are epoch milliseconds. `code` is known once an event or the REST API named it.
 */
export interface MapTicket {
  id: string;
  status: Status;
  category: string;
  lon: number;
  lat: number;
  area: string | null;
  unit: string | null;
  priority: string;
  received_at: number;
  deadline: number;
  resolved_at: number | null;
  version: number;
  code?: string;
}

/** GET /api/v1/map/tickets. */
export interface MapTickets {
  seq: number;
  at: string;
  columns: string[];
  rows: unknown[][];
}

/** The key figures of a scope (server `Kpis`). */
export interface Kpis {
  received_today: number;
  resolved_today: number;
  open: number;
  overdue: number;
  resolved_30d: number;
  on_time_rate: number | null;
  median_handling_hours: number | null;
}

/** GET /api/v1/kpis and the `kpis` live frames. */
export interface KpiView {
  seq: number;
  at: string;
  total: Kpis;
  areas: Record<string, Kpis>;
}
