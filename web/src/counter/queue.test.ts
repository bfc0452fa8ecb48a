import { describe, expect, it } from 'vitest';
import { current, currentHtml, queueHtml, transferredTo, waitingByKind, type NumberView } from './queue';

const n = (over: Partial<NumberView>): NumberView => ({
  id: crypto.randomUUID(), label: 'A001', kind: 'normal', office: 'DN-HCC', service: 'dat-dai', status: 'waiting',
  counter: null, position: 0, wait_minutes: 0, issued_at: '2026-12-07T01:00:00Z', called_at: null, ...over,
} as NumberView);

describe('the counter queue', () => {
  const list = [
    n({ label: 'A002', position: 2 }), n({ label: 'U001', kind: 'priority', priority: 'elderly', position: 1 }),
    n({ label: 'H001', kind: 'appointment', position: 0, name: 'Lê Văn Tám', booking_code: 'LH-7K2M9Q' }),
    n({ label: 'A001', status: 'called', counter: 2, called_at: '2026-12-07T01:05:00Z' }),
    n({ label: 'A000', status: 'served', counter: 2, called_at: '2026-12-07T01:01:00Z' }),
    n({ label: 'A003', position: 3, to_counter: 1 }),
  ];

  it('groups the waiting numbers in call order and finds the one at this counter', () => {
    const g = waitingByKind(list);
    expect([g.appointment, g.priority, g.normal].map((x) => x.map((y) => y.label))).toEqual([['H001'], ['U001'], ['A002', 'A003']]);
    expect(current(list, 2)?.label).toBe('A001');
    expect(current(list, 1)).toBeUndefined();
    expect(transferredTo(list, 1).map((x) => x.label)).toEqual(['A003']);
  });

  it('takes the latest call when a counter has two', () => {
    const two = [n({ label: 'A001', status: 'called', counter: 4, called_at: '2026-12-07T01:05:00Z' }), n({ label: 'A009', status: 'called', counter: 4, called_at: '2026-12-07T02:05:00Z' })];
    expect(current(two, 4)?.label).toBe('A009');
  });

  it('shows names, priorities, transfers, service names and today\'s counts', () => {
    const html = queueHtml(list, { 'dat-dai': 'Đất đai' });
    expect(html).toContain('người cao tuổi');
    expect(html).toContain('Lê Văn Tám');
    expect(html).toContain('→ quầy · counter 1');
    expect(html).toContain('Đất đai · 08:00');
    expect(html).toContain('đã phục vụ · served 1');
    const now = currentHtml(current(list, 2), { 'dat-dai': 'Đất đai' });
    expect(now).toContain('<p class="big">A001</p>');
    expect(now).toContain('gọi lúc · called 08:05');
    expect(currentHtml(undefined)).toContain('Nobody called');
  });

  it('escapes what it shows', () => {
    expect(queueHtml([n({ kind: 'appointment', name: '<b>x</b>' })])).not.toContain('<b>x</b>');
    expect(currentHtml(n({ status: 'called', name: '<img src=x>' }))).not.toContain('<img');
  });
});
