import { describe, expect, it } from 'vitest';
import { DIVERGING, MEASURE_DEFS, NO_DATA, SEQUENTIAL, colourScale, ramp, textOn, type RowLike } from './scale';

const row = (on_time_rate: number | null, overdue: number, index: number | null = null, per_10k: number | null = null): RowLike => ({
  measures: { on_time_rate, lateness_rate: on_time_rate === null ? null : 1 - on_time_rate, overdue },
  satisfaction: { index, per_10k },
});

describe('the colour scale', () => {
  it('interpolates between its stops', () => {
    expect(ramp(['#000000', '#ffffff'], 0)).toBe('#000000');
    expect(ramp(['#000000', '#ffffff'], 0.5)).toBe('#808080');
    expect(ramp(['#000000', '#ffffff'], 2)).toBe('#ffffff');
    expect(ramp(DIVERGING, 0.5)).toBe(DIVERGING[2]);
  });

  it('colours a better on-time rate greener, and clamps to its fixed domain', () => {
    const s = colourScale(MEASURE_DEFS.on_time_rate, []);
    expect(s.domain).toEqual([0.5, 1]);
    expect(s.colour(1)).toBe(DIVERGING[4]);
    expect(s.colour(0.5)).toBe(DIVERGING[0]);
    expect(s.colour(0.2)).toBe(DIVERGING[0]);
    expect(s.colour(null)).toBe(NO_DATA);
  });

  it('turns the scale round where less is better', () => {
    const late = colourScale(MEASURE_DEFS.lateness_rate, []);
    expect(late.colour(0)).toBe(DIVERGING[4]);
    expect(late.colour(0.5)).toBe(DIVERGING[0]);
    const overdue = colourScale(MEASURE_DEFS.overdue, [row(0.9, 4), row(0.8, 20), row(null, 0)].map((r) => MEASURE_DEFS.overdue.value(r)));
    expect(overdue.domain).toEqual([0, 20]);
    expect(overdue.colour(0)).toBe(DIVERGING[4]);
    expect(overdue.colour(20)).toBe(DIVERGING[0]);
  });

  it('colours the volume of reports in blues, neither good nor bad', () => {
    const s = colourScale(MEASURE_DEFS.per_10k, [2, 8, null]);
    expect(s.stops).toBe(SEQUENTIAL);
    expect(s.colour(8)).toBe(SEQUENTIAL[4]);
    expect(s.colour(0)).toBe(SEQUENTIAL[0]);
  });

  it('reads each measure from its place in a row', () => {
    const r = row(0.75, 3, 81.5, 12.4);
    expect(MEASURE_DEFS.on_time_rate.value(r)).toBe(0.75);
    expect(MEASURE_DEFS.lateness_rate.value(r)).toBe(0.25);
    expect(MEASURE_DEFS.overdue.value(r)).toBe(3);
    expect(MEASURE_DEFS.satisfaction.value(r)).toBe(81.5);
    expect(MEASURE_DEFS.per_10k.value(r)).toBe(12.4);
    expect(MEASURE_DEFS.satisfaction.value({ measures: { overdue: 0 }, satisfaction: null })).toBeNull();
  });

  it('picks text that reads on the colour', () => {
    expect(textOn('#ffffff')).toBe('#0b1a2a');
    expect(textOn('#08519c')).toBe('#ffffff');
  });
});
