// The public figures page's API calls: open to everyone, no session needed (same origin,
// through common/http.ts). The CSV is a plain link: the browser downloads it.

import { get } from '../common/http';
import type { Schemas } from '../common/types';

export type PublicStats = Schemas['PublicStats'];
export type PublicRow = Schemas['PublicRow'];
export type PublicWeek = Schemas['PublicWeek'];

/** `GET /api/v1/public/stats?from=&to=`: the city, its districts, units, fields and weeks. */
export const publicStats = (query: string) => get<PublicStats>(`/api/v1/public/stats?${query}`);

/** Where the same figures download as CSV (UTF-8 with a byte-order mark). */
export const csvUrl = (query: string) => `/api/v1/public/stats.csv?${query}`;
