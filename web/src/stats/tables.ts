// The page's figures as HTML: the city's headline figures, one table per breakdown (district,
// unit, field) and the weekly table behind the trend chart. A figure the server suppressed (a
// group of fewer than 5 reports) is written "—" with the reason as its title; the note under the
// tables says it in full. Pure: strings out of the API's rows (tables.test.ts).

import { esc } from '../common/dom';
import type { I18n, Lang } from '../common/i18n';
import type { PublicRow, PublicWeek } from './api';
import { DASH, fmtCount, fmtDay, fmtIndex, fmtRate, fmtRating, ordered, rowName } from './format';
import type { TextKey } from './texts';

type T = I18n<TextKey>;
export type Figure = 'received' | 'resolved' | 'on_time_rate' | 'rating_mean' | 'satisfaction_index';

interface Column {
  key: Figure;
  /** Its header in a table, and its label as a headline figure. */
  short: TextKey;
  long: TextKey;
  fmt(x: number | null | undefined, lang: Lang): string;
}

export const COLUMNS: readonly Column[] = [
  { key: 'received', short: 'receivedShort', long: 'received', fmt: fmtCount },
  { key: 'resolved', short: 'resolvedShort', long: 'resolved', fmt: fmtCount },
  { key: 'on_time_rate', short: 'onTimeShort', long: 'on_time_rate', fmt: fmtRate },
  { key: 'rating_mean', short: 'ratingShort', long: 'rating_mean', fmt: fmtRating },
  { key: 'satisfaction_index', short: 'indexShort', long: 'satisfaction_index', fmt: fmtIndex },
];

/** A figure of a row, or "—" with why it is missing: suppressed, or nothing to compute it from. */
function figureHtml(r: { suppressed: boolean }, value: number | null | undefined, fmt: (x: number | null | undefined, lang: Lang) => string, i18n: T): string {
  if (r.suppressed) return `<abbr class="suppressed" title="${esc(i18n.t('suppressedCell'))}">${DASH}</abbr>`;
  const text = fmt(value, i18n.lang);
  return text === DASH ? `<span class="none" title="${esc(i18n.t('noFigure'))}">${DASH}</span>` : esc(text);
}

/** The city's headline figures, one card each. */
export function headlineHtml(city: PublicRow, i18n: T): string {
  return COLUMNS.map(
    (c) => `<div class="figure" data-figure="${c.key}"><div class="label">${esc(i18n.t(c.long))}</div><div class="value">${figureHtml(city, city[c.key], c.fmt, i18n)}</div></div>`,
  ).join('');
}

/**
 * One breakdown as a table: a row per group (published first, most reports first), the city
 * underneath when given; `without` leaves out columns the breakdown never has (fields have no
 * satisfaction index: it needs the residents of a place).
 */
export function breakdownHtml(rows: readonly PublicRow[], nameLabel: TextKey, caption: TextKey, i18n: T, o: { city?: PublicRow; without?: Figure[] } = {}): string {
  const cols = COLUMNS.filter((c) => !o.without?.includes(c.key));
  const city = o.city;
  const head = `<tr><th scope="col">${esc(i18n.t(nameLabel))}</th>${cols.map((c) => `<th scope="col" class="num">${esc(i18n.t(c.short))}</th>`).join('')}</tr>`;
  const line = (r: PublicRow, name: string, tag: 'th' | 'td' = 'th') =>
    `<tr data-code="${esc(r.code)}" data-suppressed="${r.suppressed}"><${tag} scope="row">${esc(name)}</${tag}>${cols.map(
      (c) => `<td class="num" data-col="${c.key}">${figureHtml(r, r[c.key], c.fmt, i18n)}</td>`,
    ).join('')}</tr>`;
  const body = ordered(rows, i18n.lang).map((r) => line(r, rowName(r, i18n.lang))).join('');
  const empty = `<tr><td colspan="${cols.length + 1}" class="empty">${esc(i18n.t('noRows'))}</td></tr>`;
  const foot = city ? `<tfoot>${line(city, i18n.t('city'))}</tfoot>` : '';
  return `<table><caption class="sr-only">${esc(i18n.t(caption))}</caption><thead>${head}</thead><tbody>${body || empty}</tbody>${foot}</table>`;
}

/** The weeks of the trend as a table (what the chart shows, for those who cannot see it). */
export function weeksHtml(weeks: readonly PublicWeek[], i18n: T): string {
  const cols: ['received' | 'resolved' | 'late', TextKey][] = [['received', 'receivedShort'], ['resolved', 'resolvedShort'], ['late', 'late']];
  const head = `<tr><th scope="col">${esc(i18n.t('week'))}</th>${cols.map(([, l]) => `<th scope="col" class="num">${esc(i18n.t(l))}</th>`).join('')}</tr>`;
  const body = weeks
    .map((w) => `<tr data-week="${esc(w.week)}" data-suppressed="${w.suppressed}"><th scope="row">${esc(fmtDay(w.week, i18n.lang))}</th>${cols
      .map(([k]) => `<td class="num" data-col="${k}">${figureHtml(w, w[k], fmtCount, i18n)}</td>`)
      .join('')}</tr>`)
    .join('');
  return `<table><caption class="sr-only">${esc(i18n.t('weekly'))}</caption><thead>${head}</thead><tbody>${body || `<tr><td colspan="4" class="empty">${esc(i18n.t('noRows'))}</td></tr>`}</tbody></table>`;
}
