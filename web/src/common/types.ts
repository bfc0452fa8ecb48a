// The server's types, as every page uses them. They come from api.gen.d.ts, generated from the
// server's /api/v1/openapi.json (`npm run gen:types` with a server on SWITCHBOARD_URL, default
// http://127.0.0.1:8080), so no page can drift from the server: this file only names them.
// api.gen.d.ts is a .d.ts so skipLibCheck skips it: the document repeats operationIds (`list`,
// `create`), which openapi-typescript turns into duplicate keys of its `operations` interface.
//
// Only what the OpenAPI document cannot describe is written out here: the properties of the area
// GeoJSON (GET /api/v1/areas answers a FeatureCollection, `unknown` in the document).

import type { components } from '../api.gen';

export type Schemas = components['schemas'];

/**
 * The generated schema `K` once the server's document has it, else `Fallback`: for a page written
 * before its routes' types are regenerated. The day `npm run gen:types` brings `K`, the page is
 * checked against the server's own type (and the fallback can go).
 */
export type SchemaOr<K extends string, Fallback> = Schemas extends { [k in K]: infer S } ? S : Fallback;

export type Status = Schemas['Status'];
export type Role = Schemas['Role'];
export type User = Schemas['User'];
export type Location = Schemas['Location'];

/** A ticket as staff see it (GET /api/v1/tickets/{id}). Live events carry a subset. */
export type Ticket = Schemas['TicketView'];
export type TicketPage = Schemas['TicketPage'];
export type TicketEvent = Schemas['TicketEvent'];
export type Category = Schemas['Category'];
export type Categories = Schemas['Categories'];
export type Unit = Schemas['Unit'];
export type PlaceHit = Schemas['PlaceHit'];

export type Kpis = Schemas['Kpis'];
/** GET /api/v1/kpis, and the body of the live `kpis` frames. */
export type KpiView = Schemas['KpiView'];
export type MapTickets = Schemas['MapTickets'];
export type WallConfig = Schemas['WallConfig'];
export type WallRule = Schemas['WallRule'];

export type CameraView = Schemas['CameraView'];
export type CameraStatus = Schemas['CameraStatus'];

/** An area's live counters (the `stats` of GET /api/v1/areas, the `counters` of live events). */
export type AreaStats = {
  counts: Partial<Record<Status, number>>;
  total: number;
  open: number;
  overdue: number;
};

export type AreaProps = {
  code: string;
  name: string;
  name_en?: string | null;
  level: 'district' | 'ward' | string;
  parent?: string | null;
  stats: AreaStats;
};

export type AreaFeature = {
  type: 'Feature';
  geometry: GeoJSON.Geometry;
  properties: AreaProps;
};

/** GET /api/v1/areas?level=… (types, not interfaces, so they are GeoJSON.FeatureCollections too). */
export type AreaCollection = {
  type: 'FeatureCollection';
  features: AreaFeature[];
};
