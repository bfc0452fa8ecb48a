import { describe, expect, it } from 'vitest';
import { bestAndWorst, nextSort, sortRows } from './sort';

type R = { name: string; rate: number | null; n: number };
const rows: R[] = [
  { name: 'Thanh Khê', rate: 0.8, n: 40 },
  { name: 'Hải Châu', rate: null, n: 0 },
  { name: 'Sơn Trà', rate: 0.95, n: 2 },
  { name: 'Đà Nẵng', rate: 0.8, n: 10 },
  { name: 'Cẩm Lệ', rate: 0.6, n: 25 },
];

describe('sorting a breakdown', () => {
  it('sorts figures either way, rows without a value last, ties in their order', () => {
    expect(sortRows(rows, (r) => r.rate, 'desc').map((r) => r.name)).toEqual(['Sơn Trà', 'Thanh Khê', 'Đà Nẵng', 'Cẩm Lệ', 'Hải Châu']);
    expect(sortRows(rows, (r) => r.rate, 'asc').map((r) => r.name)).toEqual(['Cẩm Lệ', 'Thanh Khê', 'Đà Nẵng', 'Sơn Trà', 'Hải Châu']);
  });

  it('sorts names in Vietnamese order', () => {
    expect(sortRows(rows, (r) => r.name, 'asc').map((r) => r.name)).toEqual(['Cẩm Lệ', 'Đà Nẵng', 'Hải Châu', 'Sơn Trà', 'Thanh Khê']);
  });

  it('does not change the rows it is given', () => {
    const before = rows.map((r) => r.name);
    sortRows(rows, (r) => r.n, 'asc');
    expect(rows.map((r) => r.name)).toEqual(before);
  });

  it('flips the direction on a second click, and starts a new column with its own', () => {
    expect(nextSort(null, 'rate')).toEqual({ key: 'rate', dir: 'desc' });
    expect(nextSort({ key: 'rate', dir: 'desc' }, 'rate')).toEqual({ key: 'rate', dir: 'asc' });
    expect(nextSort({ key: 'rate', dir: 'asc' }, 'name', 'asc')).toEqual({ key: 'name', dir: 'asc' });
  });

  it('names the best and the worst with enough tickets to count', () => {
    const bw = bestAndWorst(rows, (r) => r.rate, true, (r) => r.n, 5);
    expect(bw?.best.name).toBe('Thanh Khê');
    expect(bw?.worst.name).toBe('Cẩm Lệ');
    expect(bestAndWorst(rows, (r) => r.rate, true, (r) => r.n, 100)).toBeNull();
  });
});
