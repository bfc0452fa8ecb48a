import { describe, expect, it } from 'vitest';
import { actionsFor, directionSteps, dueDay, mergeTimeline, reportBody, toActOn, type DirectionView } from './directions';

const d = (over: Partial<DirectionView>): DirectionView => ({
  id: 'd', unit: 'DN-HC-UBND', text: 'Giải quyết dứt điểm', due_at: '2026-12-03T16:59:59Z', issued_by: 'user:leader',
  issued_at: '2026-11-30T02:00:00Z', status: 'open', version: 1, overdue: false, ...over,
});

describe('the directions a unit acts on', () => {
  it('leaves out the reported ones and puts the overdue first, then the soonest due', () => {
    const list = toActOn([
      d({ id: 'later', due_at: '2026-12-10T16:59:59Z' }),
      d({ id: 'soon' }),
      d({ id: 'late', due_at: '2026-12-20T16:59:59Z', overdue: true, status: 'acknowledged' }),
      d({ id: 'done', status: 'reported' }),
    ]);
    expect(list.map((x) => x.id)).toEqual(['late', 'soon', 'later']);
  });

  it('acknowledges once, reports back until reported', () => {
    expect(actionsFor(d({ status: 'open' }))).toEqual({ acknowledge: true, report: true });
    expect(actionsFor(d({ status: 'acknowledged' }))).toEqual({ acknowledge: false, report: true });
    expect(actionsFor(d({ status: 'reported' }))).toEqual({ acknowledge: false, report: false });
  });

  it('sends a report only with a text', () => {
    expect(reportBody('  Đã xử lý 12 phiếu quá hạn ')).toEqual({ ok: true, body: { report: 'Đã xử lý 12 phiếu quá hạn' } });
    expect(reportBody('   ').ok).toBe(false);
    expect(reportBody('ă'.repeat(2001)).ok).toBe(false);
  });

  it('writes the due day in Vietnam time', () => {
    expect(dueDay('2026-12-03T16:59:59Z')).toBe('03/12/2026');
    expect(dueDay('2026-12-03T17:00:00Z')).toBe('04/12/2026');
  });
});

describe('a ticket’s timeline', () => {
  it('shows each direction’s steps among the events, in time order', () => {
    const steps = directionSteps([d({ status: 'reported', acknowledged_at: '2026-11-30T03:00:00Z', acknowledged_by: 'user:agency', reported_at: '2026-11-30T05:00:00Z', reported_by: 'user:agency', report: 'Xong' })]);
    const merged = mergeTimeline([{ at: '2026-11-30T01:00:00Z', kind: 'created' }, { at: '2026-11-30T04:00:00Z', kind: 'accepted' }], steps);
    expect(merged.map((x) => ('event' in x ? x.event.kind : x.step.kind))).toEqual(['created', 'direction.issued', 'direction.acknowledged', 'accepted', 'direction.reported']);
    expect(steps[2]).toMatchObject({ who: 'agency', note: 'Xong' });
  });
});
