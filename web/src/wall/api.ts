// The wall's own API calls (same origin, session cookie); the shared ones are in common/api.ts.

import { get } from '../common/http';
import type { KpiView, Schemas, Ticket, TicketPage, WallConfig } from '../common/types';

/** A camera of GET /api/v1/cameras (never its source URL to the wall); `distance_m` comes with a `near` search. */
export type CameraOut = Schemas['CameraOut'];

/** The newest tickets (one page). */
export async function getLatest(limit: number): Promise<Ticket[]> {
  return (await get<TicketPage>(`/api/v1/tickets?limit=${limit}`)).items;
}

/** The overdue tickets of an area (newest first). */
export async function getOverdue(area: string, limit: number): Promise<Ticket[]> {
  const q = new URLSearchParams({ area, overdue: 'true', limit: String(limit) });
  return (await get<TicketPage>(`/api/v1/tickets?${q}`)).items;
}

/**
 * Open tickets of an area in the caller's scope by one dimension (`category`, `unit`), most
 * first: the district panel's breakdowns (GET /api/v1/stats, every ticket ever received).
 */
export async function getOpenBy(area: string, by: 'category' | 'unit'): Promise<{ name: string; open: number }[]> {
  const q = new URLSearchParams({ area, group: by });
  const r = await get<Schemas['StatsReport']>(`/api/v1/stats?${q}`);
  return r.rows
    .map((row) => ({ name: row.key[0]?.name ?? '', open: row.measures.open }))
    .filter((x) => x.open > 0)
    .sort((a, b) => b.open - a.open);
}

export const getKpis = () => get<KpiView>('/api/v1/kpis');

export const getWallConfig = () => get<WallConfig>('/api/v1/wall/config');

/** The camera registry, or (with `near`) the cameras around a point, nearest first. */
export async function getCameras(near?: { lon: number; lat: number; radius: number; limit: number }): Promise<CameraOut[]> {
  const q = near ? `?${new URLSearchParams({ near: `${near.lon},${near.lat}`, radius: String(near.radius), limit: String(near.limit) })}` : '';
  return (await get<Schemas['CameraList']>(`/api/v1/cameras${q}`)).cameras;
}
