import { describe, expect, it } from 'vitest';
import { bookingCode, current, currentHtml, queueHtml, waitingByKind, type NumberView } from './queue';

const n = (over: Partial<NumberView>): NumberView => ({
  id: crypto.randomUUID(), label: 'A001', kind: 'normal', office: 'DN-HCC', service: 'dat-dai', status: 'waiting',
  counter: null, position: 0, wait_minutes: 0, issued_at: '2026-12-07T01:00:00Z', called_at: null, ...over,
} as NumberView);

describe('the counter page', () => {
  it('reads booking codes typed loosely or scanned, and nothing else', () => {
    expect(bookingCode(' lh 7k2m9q ')).toBe('LH-7K2M9Q');
    expect(bookingCode('LH-7K2M9Q')).toBe('LH-7K2M9Q');
    expect(bookingCode('LH-0O1IL2')).toBeNull();
    expect(bookingCode('DN-2026-000001')).toBeNull();
  });

  it('groups the waiting numbers in call order and finds the one at this counter', () => {
    const list = [
      n({ label: 'A002', position: 2 }), n({ label: 'U001', kind: 'priority', priority: 'elderly', position: 1 }),
      n({ label: 'H001', kind: 'appointment', position: 0, name: 'Lê Văn Tám', booking_code: 'LH-7K2M9Q' }),
      n({ label: 'A001', status: 'called', counter: 2, called_at: '2026-12-07T01:05:00Z' }),
    ];
    const g = waitingByKind(list);
    expect([g.appointment, g.priority, g.normal].map((x) => x.map((y) => y.label))).toEqual([['H001'], ['U001'], ['A002']]);
    expect(current(list, 2)?.label).toBe('A001');
    expect(current(list, 1)).toBeUndefined();
    const html = queueHtml(list);
    expect(html).toContain('người cao tuổi');
    expect(html).toContain('Lê Văn Tám');
    expect(currentHtml(current(list, 2))).toContain('A001');
  });

  it('escapes what it shows', () => {
    expect(queueHtml([n({ kind: 'appointment', name: '<b>x</b>' })])).not.toContain('<b>x</b>');
  });
});
