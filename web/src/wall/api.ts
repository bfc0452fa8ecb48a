// The wall's own API calls (same origin, session cookie); the shared ones are in common/api.ts.

import { get } from '../common/http';
import type { KpiView, MapTickets, Schemas, Ticket, TicketPage, WallConfig } from '../common/types';

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

/** Every open ticket in scope and those of the last 24 h, with the seq to follow from. */
export const getMapTickets = () => get<MapTickets>('/api/v1/map/tickets');

export const getKpis = () => get<KpiView>('/api/v1/kpis');

export const getWallConfig = () => get<WallConfig>('/api/v1/wall/config');

/** The camera registry, or (with `near`) the cameras around a point, nearest first. */
export async function getCameras(near?: { lon: number; lat: number; radius: number; limit: number }): Promise<CameraOut[]> {
  const q = near ? `?${new URLSearchParams({ near: `${near.lon},${near.lat}`, radius: String(near.radius), limit: String(near.limit) })}` : '';
  return (await get<Schemas['CameraList']>(`/api/v1/cameras${q}`)).cameras;
}
