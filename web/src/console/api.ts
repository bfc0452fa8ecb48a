// The console's own API calls (same origin, session cookie); the shared ones are in common/api.ts.
// Errors are `ApiError`s (common/http.ts) that keep the problem document, so forms can show the
// message next to the field it names.

import { get, send, upload } from '../common/http';
import type { PlaceHit, Schemas, Ticket, TicketEvent, TicketPage, Unit } from '../common/types';
import type { Action } from './actions';
import type { DirectionView } from './directions';

export type CallRecord = Schemas['CallRecord'];
export type CallInput = Schemas['CallInput'];
export type NearbyTicket = Schemas['NearbyTicket'];

export const units = () => get<Unit[]>('/api/v1/units');

/** Every ticket of these statuses (or, with `overdue`, open past its deadline) in the caller's scope, up to `max`. */
export async function tickets(q: { status?: string[]; overdue?: boolean }, max = 2000): Promise<Ticket[]> {
  const out: Ticket[] = [];
  let cursor: string | null | undefined;
  do {
    const p = new URLSearchParams({ limit: '500' });
    if (q.status) p.set('status', q.status.join(','));
    if (q.overdue) p.set('overdue', 'true');
    if (cursor) p.set('cursor', cursor);
    const page = await get<TicketPage>(`/api/v1/tickets?${p}`);
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && out.length < max);
  return out;
}

export const events = (id: string) => get<TicketEvent[]>(`/api/v1/tickets/${encodeURIComponent(id)}/events`);
export const ticketCall = (id: string) => get<CallRecord>(`/api/v1/tickets/${encodeURIComponent(id)}/call`);

/** Takes an action; `version` (from the ticket shown) makes it fail with 409 if the ticket changed meanwhile. */
export async function act(id: string, action: Action, version: number): Promise<Ticket> {
  const path = `/api/v1/tickets/${encodeURIComponent(id)}/transitions`;
  return (await send<Schemas['TransitionResult']>('POST', path, action, { 'if-match': `"v${version}"` })).ticket;
}

export const places = (q: string, limit = 8) => get<PlaceHit[]>(`/api/v1/places?${new URLSearchParams({ q, limit: String(limit) })}`);

export const suggestRoute = (category: string, lon: number, lat: number) =>
  get<Schemas['RoutingSuggestion']>(`/api/v1/routing/suggest?${new URLSearchParams({ category, lon: String(lon), lat: String(lat) })}`);

/** Open tickets of `category` within 200 m of the point, filed in the last 7 days, nearest first. */
export const nearby = (category: string, lon: number, lat: number) =>
  get<NearbyTicket[]>(`/api/v1/tickets/nearby?${new URLSearchParams({ lon: String(lon), lat: String(lat), radius: '200', days: '7', category })}`);

/** Files a call; `key` is the call's Idempotency-Key, so a retry after a lost answer is the same ticket. */
export const takeCall = (input: CallInput, key: string) => send<Schemas['TakenCall']>('POST', '/api/v1/calls', input, { 'idempotency-key': key });

/** Uploads photos of a kind (multipart, field `photo`, repeated). */
export async function uploadPhotos(id: string, files: readonly File[], kind: 'result' | 'report'): Promise<void> {
  const form = new FormData();
  for (const f of files) form.append('photo', f, f.name);
  await upload(`/api/v1/tickets/${encodeURIComponent(id)}/photos?kind=${kind}`, form);
}

/** The directions to the caller's units still to act on (open or acknowledged), soonest due first. */
export const directionsToActOn = () => get<DirectionView[]>('/api/v1/directions?status=open,acknowledged');

/** The directions on a ticket, for its timeline. */
export const ticketDirections = (id: string) => get<DirectionView[]>(`/api/v1/tickets/${encodeURIComponent(id)}/directions`);

/** The unit acknowledges a direction (409 if it already has). */
export const acknowledgeDirection = (id: string) => send<DirectionView>('POST', `/api/v1/directions/${encodeURIComponent(id)}/acknowledge`);

/** The unit reports back (409 if it already has). */
export const reportDirection = (id: string, body: { report: string }) => send<DirectionView>('POST', `/api/v1/directions/${encodeURIComponent(id)}/report`, body);

/** Adds a caller's support ("me too") to an open ticket instead of filing it again; `key` counts it once. */
export const support = (id: string, body: Schemas['SupportInput'], key: string) =>
  send<Schemas['Supported']>('POST', `/api/v1/tickets/${encodeURIComponent(id)}/supporters`, body, { 'idempotency-key': key });

/** A ticket's supporters with their contacts (the centre and the unit handling it). */
export const supporters = (id: string) => get<Schemas['SupporterView'][]>(`/api/v1/tickets/${encodeURIComponent(id)}/supporters`);
