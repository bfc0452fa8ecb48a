// REST calls of the wall (same origin, session cookie).

import type { AreaCollection, Categories, Ticket, TicketPage } from './types';

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

/** The newest tickets in a bbox (up to `pages` pages of 500). */
export async function getTickets(bbox: number[], pages = 2, status?: string): Promise<Ticket[]> {
  const out: Ticket[] = [];
  let cursor: string | null | undefined;
  for (let i = 0; i < pages; i++) {
    const q = new URLSearchParams({ bbox: bbox.join(','), limit: '500' });
    if (status) q.set('status', status);
    if (cursor) q.set('cursor', cursor);
    const page = await json<TicketPage>(`/api/v1/tickets?${q}`);
    out.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return out;
}

export const getTicket = (id: string) => json<Ticket>(`/api/v1/tickets/${encodeURIComponent(id)}`);
