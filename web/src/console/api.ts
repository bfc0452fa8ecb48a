// REST calls of the console (same origin, session cookie). Errors keep the problem document, so
// forms can show the message next to the field it names.

import type { components } from '../api.gen';
import type { Action } from './actions';

type Schemas = components['schemas'];
export type Ticket = Schemas['TicketView'];
export type TicketEvent = Schemas['TicketEvent'];
export type Unit = Schemas['Unit'];
export type Category = Schemas['Category'];
export type User = Schemas['User'];
export type PlaceHit = Schemas['PlaceHit'];
export type RoutingSuggestion = Schemas['RoutingSuggestion'];
export type NearbyTicket = Schemas['NearbyTicket'];
export type CallRecord = Schemas['CallRecord'];
export type CallInput = Schemas['CallInput'];
export type TakenCall = Schemas['TakenCall'];
export type Problem = Schemas['Problem'];

export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Partial<Problem>) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }

  /** The message for `field` (exact, or a sub-field such as `location.lon`), if the problem names it. */
  field(name: string): string | undefined {
    return this.problem.errors?.find((e) => e.field === name || e.field.startsWith(`${name}.`))?.message;
  }
}

async function call<T>(path: string, init?: RequestInit): Promise<{ body: T; headers: Headers }> {
  const r = await fetch(path, { credentials: 'same-origin', ...init });
  if (!r.ok) {
    let problem: Partial<Problem> = { title: r.statusText };
    try {
      problem = (await r.json()) as Problem;
    } catch {
      /* not JSON */
    }
    throw new ApiError(r.status, problem);
  }
  const body = (r.status === 204 ? null : await r.json()) as T;
  return { body, headers: r.headers };
}

const get = async <T>(path: string) => (await call<T>(path)).body;
const jsonInit = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export const session = () => get<User>('/api/v1/session');
export const signIn = (name: string, password: string) => call('/api/v1/session', jsonInit('POST', { name, password }));
export const signOut = () => call('/api/v1/session', { method: 'DELETE' });

export const categories = async () => (await get<{ categories: Category[] }>('/api/v1/categories')).categories;
export const units = () => get<Unit[]>('/api/v1/units');
export const areas = (level: 'district' | 'ward') => get<GeoJSON.FeatureCollection>(`/api/v1/areas?level=${level}`);

/** Every ticket of these statuses (or, with `overdue`, open past its deadline) in the caller's scope, up to `max`. */
export async function tickets(q: { status?: string[]; overdue?: boolean }, max = 2000): Promise<Ticket[]> {
  const out: Ticket[] = [];
  let cursor: string | null | undefined;
  do {
    const p = new URLSearchParams({ limit: '500' });
    if (q.status) p.set('status', q.status.join(','));
    if (q.overdue) p.set('overdue', 'true');
    if (cursor) p.set('cursor', cursor);
    const page = await get<{ items: Ticket[]; next_cursor?: string | null }>(`/api/v1/tickets?${p}`);
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && out.length < max);
  return out;
}

export const ticket = (idOrCode: string) => get<Ticket>(`/api/v1/tickets/${encodeURIComponent(idOrCode)}`);
export const events = (id: string) => get<TicketEvent[]>(`/api/v1/tickets/${encodeURIComponent(id)}/events`);
export const ticketCall = (id: string) => get<CallRecord>(`/api/v1/tickets/${encodeURIComponent(id)}/call`);

/** Takes an action; `version` (from the ticket shown) makes it fail with 409 if the ticket changed meanwhile. */
export async function act(id: string, action: Action, version: number): Promise<Ticket> {
  const init = jsonInit('POST', action, { 'if-match': `"v${version}"` });
  return (await call<{ ticket: Ticket }>(`/api/v1/tickets/${encodeURIComponent(id)}/transitions`, init)).body.ticket;
}

export const places = (q: string, limit = 8) => get<PlaceHit[]>(`/api/v1/places?${new URLSearchParams({ q, limit: String(limit) })}`);

export const suggestRoute = (category: string, lon: number, lat: number) =>
  get<RoutingSuggestion>(`/api/v1/routing/suggest?${new URLSearchParams({ category, lon: String(lon), lat: String(lat) })}`);

/** Open tickets of `category` within 200 m of the point, filed in the last 7 days, nearest first. */
export const nearby = (category: string, lon: number, lat: number) =>
  get<NearbyTicket[]>(`/api/v1/tickets/nearby?${new URLSearchParams({ lon: String(lon), lat: String(lat), radius: '200', days: '7', category })}`);

/** Files a call; `key` is the call's Idempotency-Key, so a retry after a lost answer is the same ticket. */
export const takeCall = async (input: CallInput, key: string) =>
  (await call<TakenCall>('/api/v1/calls', jsonInit('POST', input, { 'idempotency-key': key }))).body;

/**
 * Whether the server takes photos (POST /api/v1/tickets/{id}/photos, from the media work): a GET
 * on the path is 404 when no such route exists, 405 or 200 when it does.
 */
/** Uploads photos of a kind (multipart, field `photo`, repeated). */
export async function uploadPhotos(id: string, files: readonly File[], kind: 'result' | 'report'): Promise<void> {
  const form = new FormData();
  for (const f of files) form.append('photo', f, f.name);
  await call(`/api/v1/tickets/${encodeURIComponent(id)}/photos?kind=${kind}`, { method: 'POST', body: form });
}
