import { describe, expect, it } from 'vitest';
import { comingThursday, directionBody, directionSteps, groups, mergeTimeline, upsert, vnToday, type DirectionView } from './directions';

const d = (over: Partial<DirectionView>): DirectionView => ({
  id: 'd1', unit: 'DN-HC-UBND', text: 'Giải quyết dứt điểm', due_at: '2026-12-03T16:59:59Z', issued_by: 'user:leader',
  issued_at: '2026-11-30T02:00:00Z', status: 'open', version: 1, overdue: false, ...over,
});

describe('the due date of a new direction', () => {
  it('is the coming Thursday: this week’s until Wednesday, next week’s from Thursday on', () => {
    expect(comingThursday('2026-11-30')).toBe('2026-12-03'); // Monday
    expect(comingThursday('2026-12-02')).toBe('2026-12-03'); // Wednesday
    expect(comingThursday('2026-12-03')).toBe('2026-12-10'); // Thursday
    expect(comingThursday('2026-12-05')).toBe('2026-12-10'); // Saturday
    expect(comingThursday('2026-12-06')).toBe('2026-12-10'); // Sunday
    expect(comingThursday('2026-12-31')).toBe('2027-01-07'); // across the year
  });

  it('counts from today in Vietnam, not in UTC', () => {
    expect(vnToday(new Date('2026-11-30T16:59:00Z'))).toBe('2026-11-30'); // 23:59 in Đà Nẵng
    expect(vnToday(new Date('2026-11-30T17:00:00Z'))).toBe('2026-12-01'); // 00:00 the next day
  });
});

describe('the body of POST /api/v1/directions', () => {
  it('names the unit, the area and the field for a backlog', () => {
    expect(directionBody({ kind: 'unit', unit: 'DN-HC-UBND', area: 'DN-HC' }, { text: '  Xử lý tồn đọng ', due: '2026-12-03', field: 'environment' }))
      .toEqual({ unit: 'DN-HC-UBND', area: 'DN-HC', field: 'environment', text: 'Xử lý tồn đọng', due: '2026-12-03' });
    // An admin at the city level names no area; an empty field is left out.
    expect(directionBody({ kind: 'unit', unit: 'DN-SO-XD', area: null }, { text: 'x', due: '2026-12-03', field: '' }))
      .toEqual({ unit: 'DN-SO-XD', text: 'x', due: '2026-12-03' });
    // An area chosen in the form wins over the place shown.
    expect(directionBody({ kind: 'unit', unit: 'U', area: null }, { text: 'x', due: '2026-12-03', area: 'DN-TK' }).area).toBe('DN-TK');
  });

  it('names only the ticket for a ticket (the server sends it to the ticket’s unit)', () => {
    expect(directionBody({ kind: 'ticket', ticket: 'id-1', code: 'DN-2611-000001', unit: 'U' }, { text: 'Gấp', due: '2026-12-03', field: 'noise', area: 'DN-HC' }))
      .toEqual({ ticket: 'id-1', text: 'Gấp', due: '2026-12-03' });
  });
});

describe('the directions panel', () => {
  it('keeps the waiting ones soonest due first, the overdue among them, and the reported ones latest first', () => {
    const all = [
      d({ id: 'a', due_at: '2026-12-10T16:59:59Z' }),
      d({ id: 'b', due_at: '2026-11-20T16:59:59Z', overdue: true, status: 'acknowledged' }),
      d({ id: 'c', status: 'reported', reported_at: '2026-11-29T01:00:00Z' }),
      d({ id: 'e', status: 'reported', reported_at: '2026-11-30T01:00:00Z' }),
    ];
    const g = groups(all);
    expect(g.waiting.map((x) => x.id)).toEqual(['b', 'a']);
    expect(g.overdue.map((x) => x.id)).toEqual(['b']);
    expect(g.reported.map((x) => x.id)).toEqual(['e', 'c']);
  });

  it('replaces a direction that changed', () => {
    const all = [d({ id: 'a' }), d({ id: 'b' })];
    const next = upsert(all, d({ id: 'a', status: 'acknowledged', version: 2 }));
    expect(next.map((x) => `${x.id}:${x.status}`).sort()).toEqual(['a:acknowledged', 'b:open']);
  });
});

describe('a ticket’s timeline', () => {
  it('adds each direction’s issue, acknowledgement and report, in time order with the events', () => {
    const steps = directionSteps([d({ acknowledged_at: '2026-11-30T03:00:00Z', acknowledged_by: 'user:agency', reported_at: '2026-11-30T05:00:00Z', reported_by: 'user:agency', report: 'Đã xong', status: 'reported' })]);
    expect(steps.map((s) => [s.kind, s.who, s.note])).toEqual([
      ['direction.issued', 'leader', 'Giải quyết dứt điểm'],
      ['direction.acknowledged', 'agency', ''],
      ['direction.reported', 'agency', 'Đã xong'],
    ]);
    const events = [{ at: '2026-11-30T01:00:00Z', kind: 'created' }, { at: '2026-11-30T04:00:00Z', kind: 'accepted' }];
    const merged = mergeTimeline(events, steps).map((x) => ('event' in x ? x.event.kind : x.step.kind));
    expect(merged).toEqual(['created', 'direction.issued', 'direction.acknowledged', 'accepted', 'direction.reported']);
  });

  it('puts an event before a step at the same instant', () => {
    const steps = directionSteps([d({ issued_at: '2026-11-30T01:00:00Z' })]);
    const merged = mergeTimeline([{ at: '2026-11-30T01:00:00.000Z', kind: 'created' }], steps);
    expect('event' in merged[0]).toBe(true);
  });
});
