import { describe, expect, it } from 'vitest';
import { change, fmtDay, fmtNum, fmtRange, fmtRate, fmtValue } from './format';

describe('figures as each language writes them', () => {
  it('writes rates as percentages with one decimal', () => {
    expect(fmtRate(0.9234, 'vi')).toBe('92,3%');
    expect(fmtRate(0.9234, 'en')).toBe('92.3%');
    expect(fmtRate(1, 'vi')).toBe('100,0%');
    expect(fmtRate(null, 'vi')).toBe('—');
  });

  it('writes counts, days, ratings and the index', () => {
    expect(fmtNum(12345, 'vi')).toBe('12.345');
    expect(fmtNum(12345, 'en')).toBe('12,345');
    expect(fmtValue(3.5, 'days', 'vi')).toBe('3,5');
    expect(fmtValue(4.123, 'rating', 'en')).toBe('4.12★');
    expect(fmtValue(null, 'index', 'en')).toBe('—');
    expect(fmtValue(Number.NaN, 'count', 'en')).toBe('—');
  });

  it('writes dates and periods', () => {
    expect(fmtDay('2026-11-02', 'vi')).toBe('02/11/2026');
    expect(fmtDay('2026-11-02', 'en')).toBe('2 Nov 2026');
    expect(fmtRange('2026-11-01', '2026-11-30', 'vi')).toBe('01/11/2026 – 30/11/2026');
    expect(fmtRange('2026-11-01', '2026-11-01', 'vi')).toBe('01/11/2026');
  });
});

describe('the change against the previous period', () => {
  it('is relative for counts and in points for rates', () => {
    expect(change(112, 100, 'count', 'neutral', 'vi')).toEqual({ text: '+12%', arrow: '▲', tone: 'neutral' });
    expect(change(5, 0, 'count', 'down', 'en')).toEqual({ text: '+5', arrow: '▲', tone: 'worse' });
    expect(change(0.9, 0.921, 'rate', 'up', 'vi')).toEqual({ text: '−2,1 điểm %', arrow: '▼', tone: 'worse' });
    expect(change(0.9, 0.921, 'rate', 'up', 'en')).toEqual({ text: '−2.1 pp', arrow: '▼', tone: 'worse' });
    expect(change(0.1, 0.2, 'rate', 'down', 'en')).toMatchObject({ arrow: '▼', tone: 'better' });
    expect(change(3, 4.5, 'days', 'down', 'en')).toEqual({ text: '−1.5', arrow: '▼', tone: 'better' });
    expect(change(4.25, 4, 'rating', 'up', 'vi')).toEqual({ text: '+0,25', arrow: '▲', tone: 'better' });
  });

  it('says when nothing changed or nothing can be compared', () => {
    expect(change(7, 7, 'count', 'up', 'vi')).toEqual({ text: '0%', arrow: '▬', tone: 'same' });
    expect(change(0.5, null, 'rate', 'up', 'vi')).toEqual({ text: '', arrow: '', tone: 'none' });
    expect(change(undefined, 1, 'rate', 'up', 'vi').tone).toBe('none');
  });
});
