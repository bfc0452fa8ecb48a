// REST calls of the wall (same origin, session cookie).

import type { WallConfig } from '../wall/health';
import type { AreaCollection, Categories, KpiView, MapTickets, Ticket, TicketPage } from './types';

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  const r = await fetch(path, { credentials: 'same-origin', ...init });
  if (!r.ok) {
    let detail = r.statusText;
    try {
      detail = ((await r.json()) as { detail?: string }).detail ?? detail;
    } catch {
      /* not JSON */
    }
    throw new HttpError(r.status, detail);
  }
  return (await r.json()) as T;
}

export const getSession = () => json<{ name: string; role: string }>('/api/v1/session');

export const signIn = (name: string, password: string) =>
  json<unknown>('/api/v1/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });

export const getAreas = (level: 'district' | 'ward') => json<AreaCollection>(`/api/v1/areas?level=${level}`);

export const getCategories = () => json<Categories>('/api/v1/categories');

/** The newest tickets (one page). */
export async function getLatest(limit: number): Promise<Ticket[]> {
  return (await json<TicketPage>(`/api/v1/tickets?limit=${limit}`)).items;
}

/** Every open ticket in scope and those of the last 24 h, with the seq to follow from. */
/** The overdue tickets of an area (newest first). */
export async function getOverdue(area: string, limit: number): Promise<Ticket[]> {
  const q = new URLSearchParams({ area, overdue: 'true', limit: String(limit) });
  return (await json<TicketPage>(`/api/v1/tickets?${q}`)).items;
}

export const getMapTickets = () => json<MapTickets>('/api/v1/map/tickets');

export const getKpis = () => json<KpiView>('/api/v1/kpis');

export const getWallConfig = () => json<WallConfig>('/api/v1/wall/config');

export const getTicket = (id: string) => json<Ticket>(`/api/v1/tickets/${encodeURIComponent(id)}`);
