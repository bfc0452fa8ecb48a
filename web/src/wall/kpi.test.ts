import { describe, expect, it } from 'vitest';
import { formatHours, formatRate, kpiCells } from './kpi';

describe('KPI strip', () => {
  it('shows the server figures in Vietnamese number style', () => {
    const cells = kpiCells({ received_today: 1234, resolved_today: 17, open: 98765, overdue: 321, resolved_30d: 40, on_time_rate: 0.875, median_handling_hours: 30 });
    expect(cells.map((c) => c[2])).toEqual(['1.234', '17', '98.765', '321', '87,5 %', '30,0 giờ']);
    expect(cells[3][3]).toBe('bad');
    expect(cells[0][0]).toBe('Tiếp nhận hôm nay');
  });

  it('shows dashes before the first figures and when nothing was resolved', () => {
    expect(kpiCells(null).map((c) => c[2])).toEqual(['—', '—', '—', '—', '—', '—']);
    expect(formatRate(null)).toBe('—');
    expect(formatHours(null)).toBe('—');
  });

  it('formats durations in hours, then days', () => {
    expect(formatRate(0.875)).toBe('87,5 %');
    expect(formatHours(5.25)).toBe('5,3 giờ');
    expect(formatHours(72)).toBe('3,0 ngày');
  });
});
