// The controls above the figures: the period (named, or two dates), the basis, the filters and
// the map's measure. They show the state (`show`), and a change makes a new state (`read`) that
// the page navigates to, so the URL always says what is on screen.

import { $, esc } from '../common/dom';
import type { I18n } from '../common/i18n';
import type { Categories, Unit } from '../common/types';
import { MEASURES, PERIODS, type LeaderState, type PeriodName } from './state';
import { CHANNELS, PRIORITIES, type TEXTS } from './texts';

type T = I18n<keyof typeof TEXTS>;

export interface Choices {
  fields: Categories['fields'];
  units: Unit[];
}

const FILTERS = ['field', 'channel', 'priority', 'unit'] as const;
type Filter = (typeof FILTERS)[number];

const select = (id: string) => $<HTMLSelectElement>(id);

/** The options of a filter: "all", then each value, in the page's language. */
function filterOptions(k: Filter, c: Choices, i18n: T): [string, string][] {
  const vi = i18n.lang === 'vi';
  switch (k) {
    case 'field':
      return c.fields.map((f) => [f.code, vi ? f.name_vi : f.name_en]);
    case 'channel':
      return Object.entries(CHANNELS).map(([code, t]) => [code, i18n.pick(t)]);
    case 'priority':
      return Object.entries(PRIORITIES).map(([code, t]) => [code, i18n.pick(t)]);
    case 'unit':
      // Agencies first, their stations indented under them.
      return orderUnits(c.units).map(([u, depth]) => [u.code, `${'\u00a0\u00a0'.repeat(depth)}${vi ? u.name_vi : u.name_en}`]);
  }
}

/** Units as a tree, depth first, each with its depth. */
export function orderUnits(units: readonly Unit[]): [Unit, number][] {
  const known = new Set(units.map((u) => u.code));
  const children = new Map<string | null, Unit[]>();
  for (const u of units) {
    const p = u.parent && known.has(u.parent) ? u.parent : null;
    children.set(p, [...(children.get(p) ?? []), u]);
  }
  const out: [Unit, number][] = [];
  const walk = (p: string | null, depth: number) => {
    for (const u of (children.get(p) ?? []).sort((a, b) => a.name_vi.localeCompare(b.name_vi, 'vi'))) {
      out.push([u, depth]);
      walk(u.code, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** Fills the filter lists (again, after a language switch). */
export function buildOptions(c: Choices, i18n: T): void {
  for (const k of FILTERS) {
    const opts = filterOptions(k, c, i18n);
    select(`f-${k}`).innerHTML = `<option value="">${esc(i18n.t('all'))}</option>` + opts.map(([v, name]) => `<option value="${esc(v)}">${esc(name)}</option>`).join('');
  }
  select('measure').innerHTML = MEASURES.map((m) => `<option value="${m}">${esc(i18n.t(m))}</option>`).join('');
}

/** Shows `s` in the controls. */
export function show(s: LeaderState): void {
  select('period').value = s.period ?? 'custom';
  $('custom').hidden = s.period !== null;
  $<HTMLInputElement>('from').value = s.from ?? '';
  $<HTMLInputElement>('to').value = s.to ?? '';
  select('basis').value = s.basis;
  select('measure').value = s.measure;
  for (const k of FILTERS) {
    const el = select(`f-${k}`);
    const v = s[k].join(',');
    // Several values (from a shared URL): an option of their own, so they show as chosen.
    el.querySelector('option[data-several]')?.remove();
    if (s[k].length > 1) el.insertAdjacentHTML('beforeend', `<option data-several value="${esc(v)}">${esc(s[k].join(', '))}</option>`);
    el.value = v;
  }
}

/** The state the controls now say, from `s`; null while a custom period is incomplete. */
export function read(s: LeaderState): LeaderState | null {
  const p = select('period').value;
  const period: PeriodName | null = (PERIODS as readonly string[]).includes(p) ? (p as PeriodName) : null;
  let from: string | null = null;
  let to: string | null = null;
  if (period === null) {
    from = $<HTMLInputElement>('from').value || null;
    to = $<HTMLInputElement>('to').value || null;
    if (!from || !to || from > to) return null;
  }
  const lists = Object.fromEntries(FILTERS.map((k) => [k, select(`f-${k}`).value.split(',').filter(Boolean)])) as Record<Filter, string[]>;
  return {
    ...s,
    period,
    from,
    to,
    basis: select('basis').value === 'resolved' ? 'resolved' : 'received',
    measure: (MEASURES as readonly string[]).includes(select('measure').value) ? (select('measure').value as LeaderState['measure']) : s.measure,
    ...lists,
  };
}
