import { describe, expect, it } from 'vitest';
import { computeKpis, formatHours, formatRate, median, vnDay } from './kpi';
import { ticket } from './fixtures';
import type { Ticket } from './types';

const t = (p: Partial<Ticket>): Ticket => ticket({ received_at: '2026-11-22T01:00:00Z', deadline: '2026-12-01T16:59:59Z', ...p });

describe('KPIs', () => {
  // 2026-11-22 10:00 in Vietnam.
  const now = new Date('2026-11-22T03:00:00Z');

  it('counts days in Vietnam time, not UTC', () => {
    expect(vnDay('2026-11-21T17:30:00Z')).toBe('2026-11-22');
    expect(vnDay('2026-11-21T16:59:00Z')).toBe('2026-11-21');
  });

  it('counts what was received and resolved today', () => {
    const k = computeKpis(
      [
        t({ received_at: '2026-11-21T18:00:00Z' }), // today 01:00 VN
        t({ received_at: '2026-11-21T16:00:00Z' }), // yesterday 23:00 VN
        t({ received_at: '2026-11-20T01:00:00Z', status: 'resolved', resolved_at: '2026-11-22T02:00:00Z' }),
      ],
      [],
      now,
    );
    expect(k.receivedToday).toBe(1);
    expect(k.resolvedToday).toBe(1);
  });

  it('sums open and overdue over the districts', () => {
    const k = computeKpis([], [{ counts: {}, total: 9, open: 5, overdue: 2 }, { counts: {}, total: 3, open: 1, overdue: 0 }], now);
    expect(k.open).toBe(6);
    expect(k.overdue).toBe(2);
  });

  it('computes the on-time rate and median handling time of resolved tickets', () => {
    const k = computeKpis(
      [
        t({ received_at: '2026-11-20T00:00:00Z', resolved_at: '2026-11-20T10:00:00Z', deadline: '2026-11-25T00:00:00Z', status: 'resolved' }),
        t({ received_at: '2026-11-20T00:00:00Z', resolved_at: '2026-11-21T00:00:00Z', deadline: '2026-11-20T12:00:00Z', status: 'closed' }),
        t({ received_at: '2026-11-20T00:00:00Z', resolved_at: '2026-11-20T02:00:00Z', deadline: '2026-11-25T00:00:00Z', status: 'closed' }),
        t({}),
      ],
      [],
      now,
    );
    expect(k.onTimeRate).toBeCloseTo(2 / 3);
    expect(k.medianHandlingHours).toBe(10);
  });

  it('shows a dash when nothing was resolved', () => {
    const k = computeKpis([t({})], [], now);
    expect(k.onTimeRate).toBeNull();
    expect(formatRate(k.onTimeRate)).toBe('—');
    expect(formatHours(null)).toBe('—');
  });

  it('formats in Vietnamese style', () => {
    expect(formatRate(0.875)).toBe('87,5 %');
    expect(formatHours(5.25)).toBe('5,3 giờ');
    expect(formatHours(72)).toBe('3,0 ngày');
    expect(median([3, 1, 2, 10])).toBe(2.5);
  });
});
