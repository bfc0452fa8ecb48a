// The counter page's types: the server's own (api.gen.d.ts, generated from its OpenAPI
// document), named here so the page's modules import them from one place.

import type { components } from '../api.gen';

/** An office with its settings (GET /api/v1/offices). */
export type Office = components['schemas']['Office'];
/** A queue number; for the office's staff an appointment's also carries `name` and `booking_code`. */
export type NumberView = components['schemas']['NumberView'];
/** POST /api/v1/offices/{office}/checkin → the booking and the `H` number it got. */
export type CheckedIn = components['schemas']['CheckedIn'];
export type Booking = components['schemas']['BookingView'];
export type User = components['schemas']['User'];

export type Outcome = 'served' | 'no_show' | 'transferred';

/** The body of POST /api/v1/offices/{office}/queue/{id}/finish. */
export interface Finish {
  outcome: Outcome;
  to_counter?: number;
}
