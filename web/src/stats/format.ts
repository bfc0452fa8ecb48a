// How the public page writes its figures, in either language, and in what order it lists the
// groups. A figure the server left out (a group of fewer than 5 reports, or a rate with nothing
// to divide by) is written "—". Pure functions (format.test.ts).

import type { Lang } from '../common/i18n';
import type { PublicRow } from './api';

export const DASH = '—';

const locale = (lang: Lang) => (lang === 'vi' ? 'vi-VN' : 'en-GB');
const missing = (x: number | null | undefined): x is null | undefined => x === null || x === undefined || !Number.isFinite(x);

/** A count: `1.234` (vi), `1,234` (en). */
export function fmtCount(x: number | null | undefined, lang: Lang): string {
  return missing(x) ? DASH : x.toLocaleString(locale(lang), { maximumFractionDigits: 0 });
}

/** A rate 0–1 as a percentage with one decimal: `92,3%` (vi), `92.3%` (en). */
export function fmtRate(x: number | null | undefined, lang: Lang): string {
  return missing(x) ? DASH : `${(x * 100).toLocaleString(locale(lang), { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;
}

/** A mean rating out of 5, two decimals at most: `4,25 / 5`. */
export function fmtRating(x: number | null | undefined, lang: Lang): string {
  return missing(x) ? DASH : `${x.toLocaleString(locale(lang), { maximumFractionDigits: 2 })} / 5`;
}

/** The satisfaction index 0–100, one decimal. */
export function fmtIndex(x: number | null | undefined, lang: Lang): string {
  return missing(x) ? DASH : x.toLocaleString(locale(lang), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/** `2026-11-02` → `02/11/2026` (vi) or `2 Nov 2026` (en). */
export function fmtDay(iso: string, lang: Lang): string {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  if (!y || !m || !d) return iso;
  if (lang === 'vi') return `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
}

/** A group's name in the page's language. */
export const rowName = (r: PublicRow, lang: Lang): string => (lang === 'en' && r.name_en ? r.name_en : r.name);

/** Published groups first, most reports first (then by name); suppressed ones after them, by name. */
export function ordered(rows: readonly PublicRow[], lang: Lang): PublicRow[] {
  const byName = (a: PublicRow, b: PublicRow) => rowName(a, lang).localeCompare(rowName(b, lang), locale(lang));
  return [...rows].sort((a, b) => Number(a.suppressed) - Number(b.suppressed) || (b.received ?? 0) - (a.received ?? 0) || byName(a, b));
}

/** The published groups with a figure for `value`, for a chart (suppressed ones have none). */
export function charted(rows: readonly PublicRow[], value: (r: PublicRow) => number | null | undefined): PublicRow[] {
  return rows.filter((r) => !r.suppressed && !missing(value(r)));
}
