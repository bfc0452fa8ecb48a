import { describe, expect, it } from 'vitest';
import type { PublicRow } from './api';
import { charted, fmtCount, fmtDay, fmtIndex, fmtRate, fmtRating, ordered } from './format';

const row = (code: string, name: string, received: number | null, over: Partial<PublicRow> = {}): PublicRow => ({
  code, name, name_en: name, suppressed: received === null, received, resolved: received, on_time_rate: received === null ? null : 0.5, ...over,
});

describe('the public figures as written', () => {
  it('writes numbers the way each language does, and "—" for a figure left out', () => {
    expect(fmtCount(12345, 'vi')).toBe('12.345');
    expect(fmtCount(12345, 'en')).toBe('12,345');
    expect(fmtRate(0.9234, 'vi')).toBe('92,3%');
    expect(fmtRate(1, 'en')).toBe('100.0%');
    expect(fmtRating(4.256, 'vi')).toBe('4,26 / 5');
    expect(fmtIndex(71.25, 'en')).toBe('71.3');
    for (const f of [fmtCount, fmtRate, fmtRating, fmtIndex]) {
      expect(f(null, 'vi')).toBe('—');
      expect(f(undefined, 'en')).toBe('—');
    }
    expect(fmtDay('2026-11-02', 'vi')).toBe('02/11/2026');
    expect(fmtDay('2026-11-02', 'en')).toBe('2 Nov 2026');
  });

  it('lists the published groups first, most reports first, then the suppressed ones by name', () => {
    const rows = [row('b', 'Bình', null), row('a', 'Ánh', 10), row('c', 'Cẩm Lệ', 30), row('d', 'An', null), row('e', 'Đông', 10)];
    expect(ordered(rows, 'vi').map((r) => r.code)).toEqual(['c', 'a', 'e', 'd', 'b']);
  });

  it('charts only the groups with a figure', () => {
    const rows = [row('a', 'A', 10), row('b', 'B', null), row('c', 'C', 8, { on_time_rate: null })];
    expect(charted(rows, (r) => r.on_time_rate).map((r) => r.code)).toEqual(['a']);
    expect(charted(rows, (r) => r.received).map((r) => r.code)).toEqual(['a', 'c']);
  });
});
