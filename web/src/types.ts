// API types used by the wall. Tickets and categories come from api.gen.d.ts, generated from the
// server's /api/v1/openapi.json (`npm run gen:types` with a server on SWITCHBOARD_URL, default
// http://127.0.0.1:8080), so the wall can't drift from the server. The area GeoJSON properties
// are not in the OpenAPI document (a FeatureCollection), so they are written out here.
// It is a .d.ts so skipLibCheck skips it: the document repeats operationIds (`list`, `create`),
// which openapi-typescript turns into duplicate keys of its `operations` interface.

import type { components } from './api.gen';

type Schemas = components['schemas'];

export type Status = Schemas['Status'];

/** Statuses in which a ticket is still being handled (domain `Status::is_open`). */
export const OPEN_STATUSES: readonly Status[] = ['received', 'assigned', 'accepted', 'in_progress', 'returned'];

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
