// Test data: a complete TicketView as the server sends it (tests override what they check).

import type { Ticket } from '../common/types';
import type { MapTicket } from './geojson';

let n = 0;

export function ticket(p: Partial<Ticket> = {}): Ticket {
  n++;
  return {
    id: `t${n}`, code: `DN-2611-${String(n).padStart(6, '0')}`, channel: 'hotline', status: 'received', category: 'noise',
    description: 'Tiếng ồn', location: { lon: 108.1, lat: 16.05 }, priority: 'normal',
    received_at: '2026-11-20T00:00:00Z', deadline: '2026-11-30T00:00:00Z', updated_at: '2026-11-20T00:00:00Z',
    version: 1, overdue: false, late: false, allowed_actions: [], ...p,
  };
}

/** A map-layer ticket (a row of GET /api/v1/map/tickets). */
export function mapTicket(p: Partial<MapTicket> = {}): MapTicket {
  n++;
  return {
    id: `m${n}`, status: 'received', category: 'noise', lon: 108.1, lat: 16.05, area: 'HC-01', unit: null,
    priority: 'normal', received_at: Date.parse('2026-11-20T00:00:00Z'), deadline: Date.parse('2026-11-30T00:00:00Z'),
    resolved_at: null, version: 1, supporters: 0, ...p,
  };
}
