// The display board's types: the server's own (api.gen.d.ts, generated from its OpenAPI
// document), named here so the page's modules import them from one place.

import type { components } from '../api.gen';

/** GET /api/v1/public/offices/{office}/display: labels and counters only, no personal data. */
export type Board = components['schemas']['Board'];
/** One call on the board: `{ counter, label, called_at }`. */
export type BoardCall = components['schemas']['BoardCall'];
/** How many wait, by kind: `{ normal, priority, appointment }`. */
export type Waiting = Board['waiting'];
