// How the leaders' page writes its figures, in either language: counts, rates, days, ratings, the
// index, and the change against the previous period with whether it is better or worse.
// Pure functions (format.test.ts).

import type { Lang } from '../common/i18n';

/** What a figure is, which decides how it is written and how a change is measured. */
export type Kind = 'count' | 'rate' | 'days' | 'rating' | 'index' | 'per10k';
/** Which way is better: up, down, or neither (more reports are neither good nor bad). */
export type Direction = 'up' | 'down' | 'neutral';

const locale = (lang: Lang) => (lang === 'vi' ? 'vi-VN' : 'en-GB');

/** A number with at most `digits` decimals, as the language writes it (1.234,5 · 1,234.5). */
export function fmtNum(x: number | null | undefined, lang: Lang, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return x.toLocaleString(locale(lang), { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** A rate 0–1 as a percentage with one decimal: `0.9234` → `92,3%` (vi), `92.3%` (en). */
export function fmtRate(x: number | null | undefined, lang: Lang): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${(x * 100).toLocaleString(locale(lang), { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;
}

/** A figure of `kind`. */
export function fmtValue(x: number | null | undefined, kind: Kind, lang: Lang): string {
  switch (kind) {
    case 'rate':
      return fmtRate(x, lang);
    case 'days':
      return fmtNum(x, lang, 1);
    case 'rating':
      return x === null || x === undefined ? '—' : `${fmtNum(x, lang, 2)}★`;
    case 'index':
      return fmtNum(x, lang, 1);
    case 'per10k':
      return fmtNum(x, lang, 1);
    default:
      return fmtNum(x, lang);
  }
}

export interface Change {
  /** `+12%`, `−2,1 điểm %`, `+0,5`; '' when there is nothing to compare. */
  text: string;
  arrow: '▲' | '▼' | '▬' | '';
  /** For the colour: better, worse, same, or neutral (a change that is neither), none (no comparison). */
  tone: 'better' | 'worse' | 'same' | 'neutral' | 'none';
}

const MINUS = '−';

function signed(x: number, lang: Lang, digits: number): string {
  const s = Math.abs(x).toLocaleString(locale(lang), { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return `${x < 0 ? MINUS : '+'}${s}`;
}

/**
 * The change from `prev` to `cur`: counts as a relative change (`+12%`, or the difference when
 * the previous period had none), rates in percentage points (`+2,1 điểm %` · `+2.1 pp`), the
 * others as a difference in their own unit.
 */
export function change(cur: number | null | undefined, prev: number | null | undefined, kind: Kind, dir: Direction, lang: Lang): Change {
  if (cur === null || cur === undefined || prev === null || prev === undefined || !Number.isFinite(cur) || !Number.isFinite(prev)) {
    return { text: '', arrow: '', tone: 'none' };
  }
  const delta = cur - prev;
  if (Math.abs(delta) < 1e-9) return { text: kind === 'count' ? '0%' : '0', arrow: '▬', tone: 'same' };
  let text: string;
  if (kind === 'count') text = prev === 0 ? signed(delta, lang, 0) : `${signed((delta / prev) * 100, lang, 0)}%`;
  else if (kind === 'rate') text = `${signed(delta * 100, lang, 1)} ${lang === 'vi' ? 'điểm %' : 'pp'}`;
  else text = signed(delta, lang, kind === 'rating' ? 2 : 1);
  const up = delta > 0;
  const tone = dir === 'neutral' ? 'neutral' : up === (dir === 'up') ? 'better' : 'worse';
  return { text, arrow: up ? '▲' : '▼', tone };
}

/** `2026-11-02` → `02/11/2026` (vi) or `2 Nov 2026` (en). */
export function fmtDay(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  if (!y || !m || !d) return iso;
  if (lang === 'vi') return `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
}

/** An instant in Vietnam time, short (`02/11/2026 08:05`). */
export function fmtWhen(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(locale(lang), { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' });
}

/** The period as a range of days: `01/11/2026 – 30/11/2026`. */
export function fmtRange(from: string | null | undefined, to: string | null | undefined, lang: Lang): string {
  if (!from || !to) return '';
  return from === to ? fmtDay(from, lang) : `${fmtDay(from, lang)} – ${fmtDay(to, lang)}`;
}
