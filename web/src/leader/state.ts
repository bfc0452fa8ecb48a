// What the leaders' page shows, as one value kept in the URL's query string so that a view can be
// shared, reloaded, and walked back and forth with the browser's buttons: the period, the basis,
// the filters (named as the statistics API names them), the map's measure, and where the
// drill-down stands (district → ward → unit → ticket). Defaults are left out of the URL.
// Pure functions, so the round trip is tested (state.test.ts).

export const PERIODS = [
  'this_week', 'last_week', 'this_month', 'last_month', 'this_quarter', 'last_quarter', 'this_year', 'last_year', 'last_7_days', 'last_30_days',
] as const;
export type PeriodName = (typeof PERIODS)[number];

export const MEASURES = ['on_time_rate', 'lateness_rate', 'overdue', 'per_10k', 'satisfaction'] as const;
export type MeasureId = (typeof MEASURES)[number];

export type Basis = 'received' | 'resolved';

export interface LeaderState {
  /** A named period, or null with `from`/`to` (a custom period). */
  period: PeriodName | null;
  from: string | null;
  to: string | null;
  basis: Basis;
  /** Filters: lists, as the API takes them (comma-separated). */
  field: string[];
  channel: string[];
  priority: string[];
  unit: string[];
  /** What colours the map. */
  measure: MeasureId;
  /** The drill-down: a district, a ward in it, a unit there, one of its tickets. */
  district: string | null;
  ward: string | null;
  drillUnit: string | null;
  ticket: string | null;
}

export const DEFAULT_PERIOD: PeriodName = 'this_month';

export const DEFAULT_STATE: Readonly<LeaderState> = Object.freeze({
  period: DEFAULT_PERIOD, from: null, to: null, basis: 'received' as Basis,
  field: [], channel: [], priority: [], unit: [],
  measure: 'on_time_rate' as MeasureId,
  district: null, ward: null, drillUnit: null, ticket: null,
});

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Codes and ids as the server writes them; anything else in a URL is dropped. */
const CODE = /^[A-Za-z0-9_.:-]{1,100}$/;

const list = (s: string | null) => (s ?? '').split(',').map((x) => x.trim()).filter((x) => CODE.test(x));
const code = (s: string | null) => (s && CODE.test(s) ? s : null);
const date = (s: string | null) => (s && DATE.test(s) ? s : null);

/** The state a query string describes (unknown or malformed values fall back to the defaults). */
export function parseState(search: string): LeaderState {
  const q = new URLSearchParams(search);
  const from = date(q.get('from'));
  const to = date(q.get('to'));
  const named = (PERIODS as readonly string[]).includes(q.get('period') ?? '') ? (q.get('period') as PeriodName) : null;
  // A custom period needs both ends in order; otherwise the named one (or the default).
  const custom = !named && from && to && from <= to;
  const district = code(q.get('district'));
  const ward = district ? code(q.get('ward')) : null;
  const drillUnit = code(q.get('drill_unit'));
  return {
    period: custom ? null : named ?? DEFAULT_PERIOD,
    from: custom ? from : null,
    to: custom ? to : null,
    basis: q.get('basis') === 'resolved' ? 'resolved' : 'received',
    field: list(q.get('field')),
    channel: list(q.get('channel')),
    priority: list(q.get('priority')),
    unit: list(q.get('unit')),
    measure: (MEASURES as readonly string[]).includes(q.get('measure') ?? '') ? (q.get('measure') as MeasureId) : DEFAULT_STATE.measure,
    district,
    ward,
    drillUnit,
    ticket: drillUnit ? code(q.get('ticket')) : null,
  };
}

/** The query string of a state (no leading `?`), defaults left out, in a fixed order. */
export function stateQuery(s: LeaderState): string {
  const q = new URLSearchParams();
  if (s.period === null && s.from && s.to) {
    q.set('from', s.from);
    q.set('to', s.to);
  } else if (s.period && s.period !== DEFAULT_PERIOD) q.set('period', s.period);
  if (s.basis !== 'received') q.set('basis', s.basis);
  for (const k of ['field', 'channel', 'priority', 'unit'] as const) if (s[k].length) q.set(k, s[k].join(','));
  if (s.measure !== DEFAULT_STATE.measure) q.set('measure', s.measure);
  if (s.district) q.set('district', s.district);
  if (s.district && s.ward) q.set('ward', s.ward);
  if (s.drillUnit) q.set('drill_unit', s.drillUnit);
  if (s.drillUnit && s.ticket) q.set('ticket', s.ticket);
  return q.toString();
}

export type Level = 'city' | 'district' | 'ward' | 'unit' | 'ticket';

/** How deep the drill-down stands. */
export function level(s: LeaderState): Level {
  if (s.ticket) return 'ticket';
  if (s.drillUnit) return 'unit';
  if (s.ward) return 'ward';
  if (s.district) return 'district';
  return 'city';
}

/** The area the figures are about: the ward, else the district, else none (the viewer's whole scope). */
export const selectedArea = (s: LeaderState): string | null => s.ward ?? s.district;

/** A state moved to another place of the drill-down: what lies below the changed place is dropped. */
export function drill(s: LeaderState, to: { district?: string | null; ward?: string | null; unit?: string | null; ticket?: string | null }): LeaderState {
  const district = to.district !== undefined ? to.district : s.district;
  const ward = !district ? null : to.ward !== undefined ? to.ward : district !== s.district ? null : s.ward;
  const areaChanged = district !== s.district || ward !== s.ward;
  const drillUnit = to.unit !== undefined ? to.unit : areaChanged ? null : s.drillUnit;
  const ticket = !drillUnit ? null : to.ticket !== undefined ? to.ticket : areaChanged || drillUnit !== s.drillUnit ? null : s.ticket;
  return { ...s, district, ward, drillUnit, ticket };
}

// ---- the API's query strings -------------------------------------------------------------------

export interface ApiExtra {
  area?: string | null;
  /** The unit to count: overrides the unit filter (the drill-down's unit). */
  unit?: string | null;
  group?: string;
  compare?: boolean;
}

/**
 * The query string of `GET /api/v1/stats` (and of its trends and exports) for a state: the
 * period, the basis and the filters, then `extra` (an area, the drill-down's unit, a grouping).
 */
export function apiQuery(s: LeaderState, extra: ApiExtra = {}): string {
  const q = new URLSearchParams();
  if (s.period === null && s.from && s.to) {
    q.set('from', s.from);
    q.set('to', s.to);
  } else q.set('period', s.period ?? DEFAULT_PERIOD);
  if (s.basis !== 'received') q.set('basis', s.basis);
  for (const k of ['field', 'channel', 'priority'] as const) if (s[k].length) q.set(k, s[k].join(','));
  const unit = extra.unit ? [extra.unit] : s.unit;
  if (unit.length) q.set('unit', unit.join(','));
  if (extra.area) q.set('area', extra.area);
  if (extra.group) q.set('group', extra.group);
  if (extra.compare) q.set('compare', 'true');
  return q.toString();
}

/** The number of days of a custom period, both ends included (null for a named period). */
export function customDays(s: LeaderState): number | null {
  if (s.period !== null || !s.from || !s.to) return null;
  return Math.round((Date.parse(`${s.to}T00:00:00Z`) - Date.parse(`${s.from}T00:00:00Z`)) / 86_400_000) + 1;
}

const SHORT_PERIODS: readonly PeriodName[] = ['this_week', 'last_week', 'last_7_days', 'this_month', 'last_month', 'last_30_days'];

/** `YYYY-MM-DD` + `days`. */
export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The query string of the weekly trends: the state's period when it spans a quarter or more,
 * else the 12 weeks ending with it (a trend of one or four points says little).
 * `to` is the last day of the period as the server resolved it (its `StatsReport.to`).
 */
export function trendQuery(s: LeaderState, to: string | null, extra: ApiExtra = {}): string {
  const short = s.period !== null ? SHORT_PERIODS.includes(s.period) : (customDays(s) ?? 0) < 28;
  if (!short) return apiQuery(s, extra);
  const q = new URLSearchParams(apiQuery(s, extra));
  q.delete('period');
  q.delete('from');
  q.delete('to');
  const end = to ?? s.to;
  if (end) {
    q.set('from', addDays(end, -83));
    q.set('to', end);
  }
  return q.toString();
}
