import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, addDays, apiQuery, drill, level, parseState, selectedArea, stateQuery, trendQuery, type LeaderState } from './state';

const state = (over: Partial<LeaderState> = {}): LeaderState => ({ ...DEFAULT_STATE, ...over });

describe('the page state in the URL', () => {
  it('leaves the defaults out, so the plain page has a plain URL', () => {
    expect(stateQuery(state())).toBe('');
    expect(parseState('')).toEqual(DEFAULT_STATE);
  });

  it('goes to the query string and back unchanged', () => {
    const views: LeaderState[] = [
      state({ period: 'last_quarter', basis: 'resolved', measure: 'satisfaction' }),
      state({ period: null, from: '2026-10-01', to: '2026-11-15', field: ['noise', 'environment'], channel: ['hotline'], priority: ['urgent'] }),
      state({ district: 'DN-HC', ward: 'DN-HC-THACHTHANG', drillUnit: 'DN-HC-THACHTHANG-UBND', ticket: '0190a0b1-2c3d-7e4f-8a9b-0c1d2e3f4a5b', unit: ['DN-HC-UBND'] }),
      state({ drillUnit: 'DN-MT-SO-TNMT', measure: 'per_10k' }),
    ];
    for (const s of views) {
      const q = stateQuery(s);
      expect(parseState(`?${q}`)).toEqual(s);
      expect(stateQuery(parseState(q))).toBe(q);
    }
    expect(stateQuery(views[1])).toBe('from=2026-10-01&to=2026-11-15&field=noise%2Cenvironment&channel=hotline&priority=urgent');
  });

  it('drops what it cannot use rather than send it to the API', () => {
    const s = parseState('?period=someday&basis=filed&measure=colour&field=noise,<script>,&ward=DN-HC-THACHTHANG&ticket=x');
    expect(s.period).toBe('this_month');
    expect(s.basis).toBe('received');
    expect(s.measure).toBe('on_time_rate');
    expect(s.field).toEqual(['noise']);
    expect(s.ward).toBeNull(); // a ward needs its district
    expect(s.ticket).toBeNull(); // a ticket needs its unit
    // A custom period needs both ends, in order; otherwise the default period.
    expect(parseState('?from=2026-11-30&to=2026-11-01').period).toBe('this_month');
    expect(parseState('?from=2026-11-01').from).toBeNull();
    // A named period wins over stray dates.
    expect(parseState('?period=last_week&from=2026-11-01&to=2026-11-02')).toMatchObject({ period: 'last_week', from: null, to: null });
  });
});

describe('the drill-down', () => {
  it('drops what lies below the place that changed', () => {
    const deep = state({ district: 'DN-HC', ward: 'DN-HC-THACHTHANG', drillUnit: 'U1', ticket: 'T1' });
    expect(level(deep)).toBe('ticket');
    expect(drill(deep, { ticket: null })).toMatchObject({ drillUnit: 'U1', ticket: null });
    expect(drill(deep, { unit: null })).toMatchObject({ ward: 'DN-HC-THACHTHANG', drillUnit: null, ticket: null });
    expect(drill(deep, { ward: 'DN-HC-BINHHIEN' })).toMatchObject({ district: 'DN-HC', ward: 'DN-HC-BINHHIEN', drillUnit: null, ticket: null });
    expect(drill(deep, { district: 'DN-ST' })).toMatchObject({ district: 'DN-ST', ward: null, drillUnit: null, ticket: null });
    expect(drill(deep, { district: null })).toMatchObject({ district: null, ward: null, drillUnit: null, ticket: null });
    expect(level(drill(deep, { district: null }))).toBe('city');
    expect(drill(state({ district: 'DN-HC' }), { district: 'DN-HC', ward: 'DN-HC-BINHHIEN' })).toMatchObject({ ward: 'DN-HC-BINHHIEN' });
    expect(selectedArea(deep)).toBe('DN-HC-THACHTHANG');
    expect(selectedArea(state({ district: 'DN-HC' }))).toBe('DN-HC');
  });
});

describe('the API queries', () => {
  it('carry the period, the basis and the filters, then the area, the unit and the grouping', () => {
    const s = state({ basis: 'resolved', field: ['noise'], unit: ['DN-HC-UBND'] });
    expect(apiQuery(s, { area: 'DN-HC', group: 'area:ward', compare: true })).toBe(
      'period=this_month&basis=resolved&field=noise&unit=DN-HC-UBND&area=DN-HC&group=area%3Award&compare=true',
    );
    // The drill-down's unit replaces the unit filter.
    expect(apiQuery(s, { unit: 'DN-HC-BINHHIEN-UBND' })).toContain('unit=DN-HC-BINHHIEN-UBND');
    expect(apiQuery(state({ period: null, from: '2026-01-01', to: '2026-03-31' }))).toBe('from=2026-01-01&to=2026-03-31');
  });

  it('ask for 12 weeks of trends when the period is too short to show one', () => {
    expect(addDays('2026-11-30', -83)).toBe('2026-09-08');
    expect(trendQuery(state({ period: 'this_week' }), '2026-12-02')).toBe('from=2026-09-10&to=2026-12-02');
    expect(trendQuery(state({ period: 'this_year' }), '2026-12-02')).toBe('period=this_year');
    expect(trendQuery(state({ period: null, from: '2026-01-01', to: '2026-06-30' }), '2026-06-30')).toBe('from=2026-01-01&to=2026-06-30');
    expect(trendQuery(state({ period: null, from: '2026-06-20', to: '2026-06-30' }), null)).toBe('from=2026-04-08&to=2026-06-30');
  });
});
