import { describe, expect, it } from 'vitest';
import { ago, clock, countdown, formatDuration, parseDuration } from './format';
import { inQueue, queue, type QueueTicket } from './queue';

const now = new Date('2026-11-20T03:00:00Z');
const h = (n: number) => new Date(now.getTime() + n * 3600_000).toISOString();

function t(code: string, status: QueueTicket['status'], receivedH: number, deadlineH: number, resolvedH?: number): QueueTicket {
  return { id: code, code, status, received_at: h(receivedH), deadline: h(deadlineH), resolved_at: resolvedH === undefined ? null : h(resolvedH) };
}

describe('triage queue', () => {
  const held = [
    t('new-recent', 'received', -1, 100),
    t('new-old', 'received', -30, 100),
    t('returned', 'returned', -2, 100),
    t('late-at-unit', 'in_progress', -200, -5),
    t('late-new', 'received', -100, -1),
    t('at-unit', 'assigned', -50, 10),
    t('done', 'resolved', -80, -60, -70),
    t('dup', 'duplicate', -3, -1),
  ];

  it('puts overdue first, then returned, then received, oldest first within each', () => {
    expect(queue(held, 'triage', now).map((x) => x.code)).toEqual(['late-at-unit', 'late-new', 'returned', 'new-old', 'new-recent']);
  });

  it('leaves out tickets on time with a unit and tickets no longer open', () => {
    expect(inQueue(held[5], 'triage', now)).toBe(false);
    expect(inQueue(held[7], 'triage', now)).toBe(false);
    // The same ticket joins the queue once its deadline passes.
    expect(inQueue(held[5], 'triage', new Date(h(11)))).toBe(true);
  });

  it('lists resolved tickets to publish, longest waiting first', () => {
    const done = [t('b', 'resolved', -10, 50, -2), t('a', 'resolved', -5, 50, -4), t('c', 'closed', -10, 50, -9)];
    expect(queue(done, 'publish', now).map((x) => x.code)).toEqual(['a', 'b']);
  });
});

describe('unit queue', () => {
  it("holds the unit's open work, nearest deadline first, so overdue first", () => {
    const held = [
      t('later', 'accepted', -1, 48),
      t('soon', 'assigned', -20, 2),
      t('late', 'in_progress', -90, -3),
      t('back', 'returned', -5, 10),
      t('done', 'resolved', -5, 10, -1),
    ];
    expect(queue(held, 'unit', now).map((x) => x.code)).toEqual(['late', 'soon', 'later']);
  });
});

describe('countdown', () => {
  it('counts days and hh:mm down to the deadline', () => {
    expect(countdown(h(2 * 24 + 3.25), now)).toEqual({ vi: 'Còn 2 ngày 03:15', en: '2 d 03:15 left', level: 'ok' });
    expect(countdown(h(25), now).level).toBe('ok');
    expect(countdown(h(4 + 5 / 60), now)).toEqual({ vi: 'Còn 04:05', en: '04:05 left', level: 'soon' });
    expect(countdown(now, now)).toEqual({ vi: 'Còn 00:00', en: '00:00 left', level: 'soon' });
  });

  it('turns red and counts up once the deadline has passed', () => {
    expect(countdown(h(-0.5), now)).toEqual({ vi: 'Quá hạn 00:30', en: '00:30 overdue', level: 'overdue' });
    expect(countdown(h(-(3 * 24 + 1)), now)).toEqual({ vi: 'Quá hạn 3 ngày 01:00', en: '3 d 01:00 overdue', level: 'overdue' });
  });
});

describe('times', () => {
  it('says how long ago', () => {
    expect(ago(now, now).vi).toBe('vừa xong');
    expect(ago(h(-0.5), now)).toEqual({ vi: '30 phút trước', en: '30 min ago' });
    expect(ago(h(-49), now).vi).toBe('2 ngày trước');
  });

  it('formats and parses call lengths', () => {
    expect(formatDuration(185)).toBe('3:05');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(parseDuration('185')).toBe(185);
    expect(parseDuration(' 3:05 ')).toBe(185);
    expect(parseDuration('1:02:03')).toBe(3723);
    for (const bad of ['', '3:5', '3:65', '1:60:00', 'ba phút', '-5']) expect(parseDuration(bad)).toBeNull();
  });

  it('shows instants in Vietnam time', () => {
    expect(clock('2026-11-20T01:30:00Z')).toBe('20/11 08:30');
    expect(clock('2026-12-31T17:05:00Z')).toBe('01/01 00:05');
  });
});

describe('needs triage', () => {
  it('is a ticket still under the triage category', async () => {
    const { needsCategory } = await import('./queue');
    expect(needsCategory({ category: 'other' })).toBe(true);
    expect(needsCategory({ category: 'garbage-uncollected' })).toBe(false);
  });
});
