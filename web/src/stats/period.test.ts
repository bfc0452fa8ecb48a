import { describe, expect, it } from 'vitest';
import { apiQuery, days, isDay, parsePeriod, periodQuery, periodRange, vnToday } from './period';

describe('the periods of the public figures', () => {
  it('names the days of each period, as of today in Vietnam', () => {
    expect(periodRange('last_30_days', '2026-12-02')).toEqual({ from: '2026-11-03', to: '2026-12-02' });
    expect(days(periodRange('last_30_days', '2026-12-02'))).toBe(30);
    expect(periodRange('this_month', '2026-12-02')).toEqual({ from: '2026-12-01', to: '2026-12-02' });
    expect(periodRange('last_month', '2026-12-02')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(periodRange('last_month', '2026-01-15')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(periodRange('last_month', '2028-03-31')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(periodRange('this_year', '2026-12-02')).toEqual({ from: '2026-01-01', to: '2026-12-02' });
    expect(vnToday(new Date('2026-12-01T17:30:00Z'))).toBe('2026-12-02');
  });

  it('reads the URL: two days in order, else a named period, else the last 30 days', () => {
    const today = '2026-12-02';
    expect(parsePeriod('', today)).toEqual({ name: 'last_30_days', from: '2026-11-03', to: today });
    expect(parsePeriod('?period=last_month', today)).toEqual({ name: 'last_month', from: '2026-11-01', to: '2026-11-30' });
    expect(parsePeriod('?from=2026-10-01&to=2026-10-15', today)).toEqual({ name: 'custom', from: '2026-10-01', to: '2026-10-15' });
    expect(parsePeriod('?from=2026-10-15&to=2026-10-01', today).name).toBe('last_30_days');
    expect(parsePeriod('?from=2026-02-30&to=2026-03-01', today).name).toBe('last_30_days');
    expect(parsePeriod('?period=forever', today).name).toBe('last_30_days');
  });

  it('writes the URL back the way it reads it', () => {
    const today = '2026-12-02';
    for (const search of ['', 'period=this_year', 'from=2026-10-01&to=2026-10-15']) {
      expect(periodQuery(parsePeriod(`?${search}`, today))).toBe(search);
    }
  });

  it('always asks the API for two days, so the page and its CSV say the same', () => {
    expect(apiQuery({ name: 'this_month', from: '2026-12-01', to: '2026-12-02' })).toBe('from=2026-12-01&to=2026-12-02');
  });

  it('knows a real day', () => {
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2026-1-01')).toBe(false);
    expect(isDay(null)).toBe(false);
  });
});
