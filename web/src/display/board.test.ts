import { describe, expect, it } from 'vitest';
import { clock, officeFromPath } from '../common/offices';
import { backoffMs, newCalls, type Board } from './board';

const board = (recent: Board['recent']): Board => ({
  version: 1, office: { id: 'DN-HCC', name: 'Trung tâm', name_en: null }, counters: 3, serving: recent.slice(0, 1), recent,
  waiting: { normal: 2, priority: 1, appointment: 0 },
});

describe('the display board', () => {
  it('chimes only for calls it had not shown, never on the first board', () => {
    const a = { counter: 1, label: 'A001', called_at: '2026-12-07T01:00:00Z' };
    const b = { counter: 2, label: 'U001', called_at: '2026-12-07T01:01:00Z' };
    expect(newCalls(null, board([a]))).toEqual([]);
    expect(newCalls(board([a]), board([b, a]))).toEqual([b]);
    // The same number called again at another counter is a new call.
    const again = { ...a, counter: 3, called_at: '2026-12-07T01:02:00Z' };
    expect(newCalls(board([b, a]), board([again, b, a]))).toEqual([again]);
  });

  it('waits longer after each failure, at most ten seconds', () => {
    expect([1, 2, 3, 4, 5, 9].map(backoffMs)).toEqual([1000, 2000, 4000, 8000, 10000, 10000]);
  });

  it('reads the office from the path and shows Vietnam time', () => {
    expect(officeFromPath('/display/DN-HCC')).toBe('DN-HCC');
    expect(officeFromPath('/kiosk/DN-HC-MC/')).toBe('DN-HC-MC');
    expect(officeFromPath('/display/../x')).toBeNull();
    expect(clock(new Date('2026-12-07T01:02:03Z'))).toBe('08:02:03');
  });
});
