import { describe, expect, it } from 'vitest';
import { clock, officeFromPath } from '../common/offices';
import { announce, backoffMs, boardUrl, newCalls, recentHtml, servingHtml, vnDate, waitingHtml, waitingText, type Board } from './board';

const board = (recent: Board['recent'], serving: Board['serving'] = recent.slice(0, 1), version = 1): Board => ({
  version, office: { id: 'DN-HCC', name: 'Trung tâm', name_en: null }, counters: 3, serving, recent,
  waiting: { normal: 2, priority: 1, appointment: 0 },
});
const a = { counter: 1, label: 'A001', called_at: '2026-12-07T01:00:00Z' };
const b = { counter: 2, label: 'U001', called_at: '2026-12-07T01:01:00Z' };

describe('the display board', () => {
  it('chimes only for calls it had not shown, never on the first board', () => {
    expect(newCalls(null, board([a]))).toEqual([]);
    expect(newCalls(board([a]), board([a]))).toEqual([]);
    expect(newCalls(board([a]), board([b, a]))).toEqual([b]);
    // The same number called again at another counter is a new call.
    const again = { ...a, counter: 3, called_at: '2026-12-07T01:02:00Z' };
    expect(newCalls(board([b, a]), board([again, b, a]))).toEqual([again]);
    // Called again at the same counter: a new called_at, a new call.
    const recall = { ...a, called_at: '2026-12-07T01:03:00Z' };
    expect(newCalls(board([b, a]), board([recall, b, a]))).toEqual([recall]);
  });

  it('finds a new call that is only in serving, once, and lists several newest first', () => {
    const c = { counter: 3, label: 'H001', called_at: '2026-12-07T01:05:00Z' };
    expect(newCalls(board([a]), board([a], [a, c]))).toEqual([c]);
    expect(newCalls(board([]), board([b, a], [a, b]))).toEqual([b, a]);
  });

  it('waits longer after each failure, at most ten seconds', () => {
    expect([1, 2, 3, 4, 5, 9].map(backoffMs)).toEqual([1000, 2000, 4000, 8000, 10000, 10000]);
  });

  it('asks without since first, then long-polls from the version it has', () => {
    expect(boardUrl('DN-HCC', null)).toBe('/api/v1/public/offices/DN-HCC/display');
    expect(boardUrl('DN-HC-MC', 17)).toBe('/api/v1/public/offices/DN-HC-MC/display?since=17');
  });

  it('draws the counters in order, blinks the new call, and escapes labels', () => {
    const html = servingHtml(board([b, a], [b, a]), [b]);
    expect(html.indexOf('A001')).toBeLessThan(html.indexOf('U001'));
    expect(html).toContain('<tr class="new" data-counter="2">');
    expect(html).toContain('<tr class="" data-counter="1">');
    expect(servingHtml(board([], []), [])).toContain('Chưa gọi số');
    expect(recentHtml(board([{ ...a, label: '<i>' }]), [])).not.toContain('<i>');
    expect(recentHtml(board([b, a]), [b])).toMatch(/^<li class="new"><b>U001<\/b>/);
  });

  it('counts who waits, in both languages', () => {
    const w = { normal: 5, priority: 1, appointment: 2 };
    expect(waitingText(w)).toBe('8 người · people (ưu tiên · priority 1, có hẹn · booked 2)');
    const html = waitingHtml(w);
    expect(html).toContain('<b>8</b><span>Tổng</span>');
    expect(html).toContain('<b>2</b><span>Có hẹn (H)</span>');
    expect(announce(b)).toBe('Mời số U001 đến quầy 2 · Number U001 to counter 2');
  });

  it('reads the office from the path and shows Vietnam time and date', () => {
    expect(officeFromPath('/display/DN-HCC')).toBe('DN-HCC');
    expect(officeFromPath('/kiosk/DN-HC-MC/')).toBe('DN-HC-MC');
    expect(officeFromPath('/display/../x')).toBeNull();
    expect(clock(new Date('2026-12-07T01:02:03Z'))).toBe('08:02:03');
    // 20:00 UTC on the 6th is already Monday the 7th in Vietnam.
    expect(vnDate(new Date('2026-12-06T20:00:00Z'))).toBe('Thứ Hai, 07/12/2026');
  });
});
