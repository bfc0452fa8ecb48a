import { describe, expect, it } from 'vitest';
import { bookableDays, groupSlots, isToday, longDay, span, vnDay, vnTime } from './calendar';

describe('days and times in Vietnam time', () => {
  it('reads an instant as a Vietnam date and time, whatever the zone it is written in', () => {
    expect(vnTime('2026-12-07T00:30:00Z')).toBe('07:30');
    expect(vnTime('2026-12-07T07:30:00+07:00')).toBe('07:30');
    // 17:30 UTC on the 6th is already the 7th in Đà Nẵng.
    expect(vnDay('2026-12-06T17:30:00Z')).toBe('2026-12-07');
    expect(vnDay('2026-12-06T16:59:00Z')).toBe('2026-12-06');
  });

  it('names the weekdays as people say them', () => {
    expect(longDay('2026-12-07', 'vi')).toBe('Thứ Hai, 07/12/2026');
    expect(longDay('2026-12-13', 'vi')).toBe('Chủ nhật, 13/12/2026');
    expect(longDay('2026-12-12', 'en')).toBe('Saturday 12 Dec 2026');
    expect(span('2026-12-07T00:30:00Z', '2026-12-07T00:45:00Z', 'vi')).toBe('07:30–07:45, Thứ Hai, 07/12/2026');
  });

  it('offers today and the days ahead, counted from the Vietnam date', () => {
    // Saturday 5 Dec 2026, 23:00 in Đà Nẵng (16:00 UTC).
    const days = bookableDays(new Date('2026-12-05T16:00:00Z'), 3, 'vi');
    expect(days.map((d) => d.day)).toEqual(['2026-12-05', '2026-12-06', '2026-12-07', '2026-12-08']);
    expect(days.map((d) => d.weekday)).toEqual(['Thứ Bảy', 'Chủ nhật', 'Thứ Hai', 'Thứ Ba']);
    expect(days[2]).toMatchObject({ short: '07/12', offset: 2 });
    // 17:00 UTC is already Sunday in Vietnam.
    expect(bookableDays(new Date('2026-12-05T17:00:00Z'), 0, 'en')).toEqual([{ day: '2026-12-06', weekday: 'Sunday', short: '6 Dec', offset: 0 }]);
    // Across the end of the month and year.
    expect(bookableDays(new Date('2026-12-30T03:00:00Z'), 2, 'vi').map((d) => d.day)).toEqual(['2026-12-30', '2026-12-31', '2027-01-01']);
  });

  it('splits a day into morning and afternoon, in time order', () => {
    const s = (t: string) => ({ starts_at: t, ends_at: t, free: 1 });
    const g = groupSlots([s('2026-12-07T06:30:00Z'), s('2026-12-07T00:30:00Z'), s('2026-12-07T04:45:00Z'), s('2026-12-07T05:00:00Z')]);
    expect(g.morning.map((x) => vnTime(x.starts_at))).toEqual(['07:30', '11:45']);
    expect(g.afternoon.map((x) => vnTime(x.starts_at))).toEqual(['12:00', '13:30']);
  });

  it('knows today', () => {
    expect(isToday('2026-12-05T01:00:00Z', new Date('2026-12-05T16:59:00Z'))).toBe(true);
    expect(isToday('2026-12-05T01:00:00Z', new Date('2026-12-05T17:00:00Z'))).toBe(false);
  });
});
