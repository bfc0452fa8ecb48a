// The kiosk's types: the server's own (api.gen.d.ts, generated from its OpenAPI document), named
// here so the page's modules import them from one place.

import type { components } from '../api.gen';

/** An office as GET /api/v1/public/offices lists it. */
export type PublicOffice = components['schemas']['PublicOffice'];
export type Service = components['schemas']['OfficeService'];
/** A queue number (POST /api/v1/public/offices/{office}/queue answers it with its `token`). */
export type QueueNumber = components['schemas']['NumberView'];
export type Priority = components['schemas']['PriorityReason'];

/** The body of POST /api/v1/public/offices/{office}/queue. */
export interface TakeNumber {
  service: string;
  priority?: Priority;
  kiosk: true;
}
