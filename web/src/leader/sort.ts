// Sorting the breakdown tables by any column: numbers by value, text in Vietnamese order
// ("Ân" after "An", "Đ" after "D"), rows without a value last whichever way the column is
// sorted, ties kept in their previous order. Pure (sort.test.ts).

export type SortValue = number | string | null | undefined;
export type SortDir = 'asc' | 'desc';

export interface SortState {
  key: string;
  dir: SortDir;
}

const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

/** -1, 0, 1 for two present values. */
function compare(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  return collator.compare(String(a), String(b));
}

const missing = (v: SortValue) => v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v)) || v === '';

/** A new array of `rows` sorted by `value` in `dir`; rows without a value go last; stable. */
export function sortRows<T>(rows: readonly T[], value: (row: T) => SortValue, dir: SortDir): T[] {
  const sign = dir === 'asc' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i, v: value(row) }))
    .sort((a, b) => {
      const ma = missing(a.v);
      const mb = missing(b.v);
      if (ma || mb) return ma === mb ? a.i - b.i : ma ? 1 : -1;
      return sign * compare(a.v as number | string, b.v as number | string) || a.i - b.i;
    })
    .map((x) => x.row);
}

/**
 * The sort after a click on the header of `key`: the same column flips its direction; another
 * column starts with its own first direction (names A→Z, figures from the largest).
 */
export function nextSort(current: SortState | null, key: string, firstDir: SortDir = 'desc'): SortState {
  if (current?.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: firstDir };
}

/**
 * The best and the worst row by `value` among rows with at least `min` of `weight` (a unit with
 * two tickets does not top a league table), or null when none qualifies. `higherIsBetter` says
 * which end is best.
 */
export function bestAndWorst<T>(rows: readonly T[], value: (row: T) => SortValue, higherIsBetter: boolean, weight: (row: T) => number, min: number): { best: T; worst: T } | null {
  const ranked = sortRows(rows.filter((r) => weight(r) >= min && !missing(value(r))), value, higherIsBetter ? 'desc' : 'asc');
  return ranked.length ? { best: ranked[0], worst: ranked[ranked.length - 1] } : null;
}
