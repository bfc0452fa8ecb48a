// The KPI strip, computed from what the page holds: the tickets loaded for the city (the newest
// up to the page limit, kept up to date by live events) and the areas' counters.
//
//  received today  tickets whose received_at falls on today's date in Vietnam (UTC+7)
//  resolved today  tickets whose resolved_at falls on today (Vietnam)
//  open            sum of the districts' `open` counters (whole city, not just loaded tickets)
//  overdue         sum of the districts' `overdue` counters
//  on-time rate    of loaded tickets with a resolved_at: share resolved at or before deadline
//  median handling median of (resolved_at − received_at) over those same tickets, in hours

import type { AreaStats, Ticket } from './types';

export interface Kpis {
  receivedToday: number;
  resolvedToday: number;
  open: number;
  overdue: number;
  onTimeRate: number | null;
  medianHandlingHours: number | null;
}

const VN_OFFSET_MS = 7 * 3600 * 1000;

/** The Vietnam calendar day (YYYY-MM-DD) of an instant. Vietnam has no daylight saving time. */
export function vnDay(t: Date | string): string {
  const ms = (typeof t === 'string' ? Date.parse(t) : t.getTime()) + VN_OFFSET_MS;
  return new Date(ms).toISOString().slice(0, 10);
}

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function computeKpis(tickets: Iterable<Ticket>, districts: Iterable<AreaStats>, now: Date): Kpis {
  const today = vnDay(now);
  let receivedToday = 0;
  let resolvedToday = 0;
  let onTime = 0;
  const handling: number[] = [];
  for (const t of tickets) {
    if (vnDay(t.received_at) === today) receivedToday++;
    if (t.resolved_at) {
      if (vnDay(t.resolved_at) === today) resolvedToday++;
      const resolved = Date.parse(t.resolved_at);
      if (resolved <= Date.parse(t.deadline)) onTime++;
      handling.push((resolved - Date.parse(t.received_at)) / 3600_000);
    }
  }
  let open = 0;
  let overdue = 0;
  for (const s of districts) {
    open += s.open;
    overdue += s.overdue;
  }
  return {
    receivedToday,
    resolvedToday,
    open,
    overdue,
    onTimeRate: handling.length ? onTime / handling.length : null,
    medianHandlingHours: median(handling),
  };
}

export function formatRate(r: number | null): string {
  return r === null ? '—' : `${(r * 100).toFixed(1).replace('.', ',')} %`;
}

export function formatHours(h: number | null): string {
  if (h === null) return '—';
  if (h < 48) return `${h.toFixed(1).replace('.', ',')} giờ`;
  return `${(h / 24).toFixed(1).replace('.', ',')} ngày`;
}
