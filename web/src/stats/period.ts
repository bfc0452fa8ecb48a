// The period of the public figures: a named one (the last 30 days — the default, as the server's
// — this month, last month, this year) or two days, kept in the page's URL (`?period=this_month`,
// `?from=2026-10-01&to=2026-10-31`) so that a view can be shared. Days are Vietnam dates.
// Pure functions (period.test.ts).

export const PERIODS = ['last_30_days', 'this_month', 'last_month', 'this_year'] as const;
export type PeriodName = (typeof PERIODS)[number];
export const DEFAULT_PERIOD: PeriodName = 'last_30_days';

/** A named period, or `custom` with its two days (both included). */
export interface Period {
  name: PeriodName | 'custom';
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Today in Vietnam (UTC+7, no daylight saving). */
export const vnToday = (now: Date): string => new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

export const addDays = (iso: string, days: number): string => new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** A real calendar day written `YYYY-MM-DD`. */
export const isDay = (s: string | null | undefined): s is string => !!s && DATE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

/** The days of a named period as of `today`. */
export function periodRange(name: PeriodName, today: string): { from: string; to: string } {
  const [y, m] = today.split('-');
  switch (name) {
    case 'this_month':
      return { from: `${y}-${m}-01`, to: today };
    case 'last_month': {
      const end = addDays(`${y}-${m}-01`, -1);
      return { from: `${end.slice(0, 7)}-01`, to: end };
    }
    case 'this_year':
      return { from: `${y}-01-01`, to: today };
    default:
      // The 30 days ending today, both included (the server's default).
      return { from: addDays(today, -29), to: today };
  }
}

/** The period a query string asks for: two days in order, else a named period, else the default. */
export function parsePeriod(search: string, today: string): Period {
  const q = new URLSearchParams(search);
  const from = q.get('from');
  const to = q.get('to');
  if (isDay(from) && isDay(to) && from <= to) return { name: 'custom', from, to };
  const named = (PERIODS as readonly string[]).includes(q.get('period') ?? '') ? (q.get('period') as PeriodName) : DEFAULT_PERIOD;
  return { name: named, ...periodRange(named, today) };
}

/** The page's query string for a period (no leading `?`; '' for the default). */
export function periodQuery(p: Period): string {
  if (p.name === 'custom') return new URLSearchParams({ from: p.from, to: p.to }).toString();
  return p.name === DEFAULT_PERIOD ? '' : new URLSearchParams({ period: p.name }).toString();
}

/** The query of `/api/v1/public/stats` and of its CSV: always the two days, so both say the same. */
export const apiQuery = (p: Period): string => new URLSearchParams({ from: p.from, to: p.to }).toString();

/** The number of days of a period, both ends included. */
export const days = (p: { from: string; to: string }): number => Math.round((Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`)) / DAY_MS) + 1;
