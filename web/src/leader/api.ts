// The leaders' page's API calls (same origin, session cookie, through common/http.ts); the
// shared ones (session, categories, areas, a ticket) are in common/api.ts. Query strings come
// from state.ts, so the figures, the charts and the exports ask for the same thing.

import { get, send } from '../common/http';
import type { Schemas, Ticket, TicketEvent, TicketPage, Unit } from '../common/types';
import type { DirectionView, NewDirection } from './directions';
import type { ContactInput, StaffContact, WeeklyReport } from './weekly';

export type StatsReport = Schemas['StatsReport'];
export type StatsRow = Schemas['StatsRow'];
export type KeyLabel = Schemas['KeyLabel'];
export type Measures = Schemas['Measures'];
export type Satisfaction = Schemas['Satisfaction'];
export type Weights = Schemas['Weights'];
export type TrendReport = Schemas['TrendReport'];
export type Week = Schemas['Week'];

/** `GET /api/v1/stats?…` (docs/metrics.md). */
export const stats = (query: string) => get<StatsReport>(`/api/v1/stats?${query}`);

/** `GET /api/v1/stats/trends?…`: received, resolved, late and backlog per ISO week. */
export const trends = (query: string) => get<TrendReport>(`/api/v1/stats/trends?${query}`);

/** Where the breakdown of `query` downloads, as CSV or XLSX (a plain link: the browser saves it). */
export const exportUrl = (query: string, format: 'csv' | 'xlsx') => `/api/v1/stats/export.${format}?${query}`;

export const units = () => get<Unit[]>('/api/v1/units');

export interface TicketQuery {
  area?: string | null;
  /** Units, each exactly (the list does not add sub-units: pass them too). */
  units?: string[];
  category?: string[];
  /** RFC 3339 instants, received in [from, to). */
  receivedFrom?: string;
  receivedTo?: string;
}

/** The list API's parameters for `q`. */
function ticketParams(q: TicketQuery): URLSearchParams {
  const p = new URLSearchParams();
  if (q.area) p.set('area', q.area);
  if (q.units?.length) p.set('unit', q.units.join(','));
  if (q.category?.length) p.set('category', q.category.join(','));
  if (q.receivedFrom) p.set('received_from', q.receivedFrom);
  if (q.receivedTo) p.set('received_to', q.receivedTo);
  return p;
}

/** Every ticket `q` selects (no page limit), as a CSV or XLSX file the server streams. */
export const ticketExportUrl = (q: TicketQuery, format: 'csv' | 'xlsx') => `/api/v1/tickets/export.${format}?${ticketParams(q)}`;

/** The tickets matching `q` in the caller's scope, newest first, up to `max` (pages of 500). */
export async function tickets(q: TicketQuery, max = 1000): Promise<{ items: Ticket[]; more: boolean }> {
  const items: Ticket[] = [];
  let cursor: string | null | undefined;
  do {
    const p = ticketParams(q);
    p.set('limit', '500');
    if (cursor) p.set('cursor', cursor);
    const page = await get<TicketPage>(`/api/v1/tickets?${p}`);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && items.length < max);
  return { items, more: Boolean(cursor) };
}

export const events = (id: string) => get<TicketEvent[]>(`/api/v1/tickets/${encodeURIComponent(id)}/events`);

/** `GET /api/v1/directions`: every direction in the viewer's scope (soonest due first). */
export const directions = () => get<DirectionView[]>('/api/v1/directions');

/** `POST /api/v1/directions`: a direction to a unit (on its backlog) or on a ticket (to the ticket's unit). */
export const issueDirection = (body: NewDirection) => send<DirectionView>('POST', '/api/v1/directions', body);

/** The directions on one ticket, for its timeline. */
export const ticketDirections = (id: string) => get<DirectionView[]>(`/api/v1/tickets/${encodeURIComponent(id)}/directions`);

/** `GET /api/v1/me/contact`: the signed-in user's work contact and weekly report subscription. */
export const myContact = () => get<StaffContact>('/api/v1/me/contact');

/** `PUT /api/v1/me/contact` (422 naming `phone`, `email`, `fields` or `weekly_report`); the contact as stored (`unit_head` is kept unless an admin sets it). */
export const saveMyContact = (body: ContactInput) => send<StaffContact>('PUT', '/api/v1/me/contact', body);

/** `GET /api/v1/reports/preview`: the next weekly report, as it would go now (`id: null`). */
export const reportPreview = () => get<WeeklyReport>('/api/v1/reports/preview');

/** `GET /api/v1/reports`: the weekly reports sent (a leader's own, an admin's everyone's). */
export const sentReports = () => get<WeeklyReport[]>('/api/v1/reports');
