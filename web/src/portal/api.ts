// The public API the portal uses (no session; the tracking token proves a citizen's report).

import { HttpError } from '../common/api';

export interface Created {
  id: string;
  code: string;
  tracking_token: string;
}

export interface PublicEvent {
  kind: string;
  at: string;
  note?: string | null;
}

export interface PublicTicket {
  code: string;
  status: string;
  category_name: string;
  category_name_en: string;
  area_name?: string | null;
  location: { lon: number; lat: number };
  received_at: string;
  deadline: string;
  overdue: boolean;
  resolved_at?: string | null;
  result?: string | null;
  rating?: number | null;
  can_rate: boolean;
  timeline: PublicEvent[];
  photos?: { url: string; thumb_url: string; kind: string }[];
}

export interface PublicResult {
  code: string;
  category_name: string;
  category_name_en: string;
  area_name?: string | null;
  location: { lon: number; lat: number };
  resolved_at?: string | null;
  result?: string | null;
  rating?: number | null;
  distance_m: number;
}

/** A problem+json answer: its detail and the fields at fault. */
export class Problem extends HttpError {
  constructor(status: number, message: string, readonly fields: string[]) {
    super(status, message);
  }
}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const r = await fetch(path, init);
  if (!r.ok) {
    let body: { detail?: string; errors?: { field: string; message: string }[] } = {};
    try {
      body = await r.json();
    } catch {
      /* not JSON */
    }
    const fields = (body.errors ?? []).map((e) => e.field);
    const detail = body.errors?.map((e) => `${e.field}: ${e.message}`).join('; ') || body.detail || r.statusText;
    throw new Problem(r.status, detail, fields);
  }
  return (await r.json()) as T;
}

const post = (body: unknown, key?: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
  body: JSON.stringify(body),
});

/** Files a report; `key` makes a retry (e.g. after a network error) return the same report. */
export const fileReport = (body: unknown, key: string) => call<Created>('/api/v1/tickets', post(body, key));

export const track = (code: string, token: string) =>
  call<PublicTicket>(`/api/v1/track/${encodeURIComponent(code)}?token=${encodeURIComponent(token)}`);

export const rate = (code: string, token: string, rating: number, comment: string) =>
  call<PublicTicket>(`/api/v1/track/${encodeURIComponent(code)}/rating`, post({ token, rating, comment: comment || null }));

export const results = (lon: number, lat: number) =>
  call<PublicResult[]>(`/api/v1/results?near=${lon.toFixed(6)},${lat.toFixed(6)}&radius=3000&limit=30`);
