// Days and times in Vietnam time (Asia/Ho_Chi_Minh: UTC+7 all year, no daylight saving), as
// pure functions: the days a citizen may book, the weekday names, slot times, and the slots of
// a day split into morning and afternoon. Nothing here reads the clock: `now` is passed in.

import type { Lang } from '../common/i18n';
import { vnDay, vnTime } from '../common/vntime';
import type { Slot } from './types';

/** Weekday names, Sunday first (as `Date#getUTCDay`). */
export const WEEKDAYS: Record<Lang, readonly string[]> = {
  vi: ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number) => String(n).padStart(2, '0');

export { vnDay, vnTime };

/** The weekday (0 = Sunday) of a `YYYY-MM-DD` date. */
export function weekdayOf(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** A date as a person says it: `Thứ Hai, 07/12/2026` / `Monday 7 Dec 2026`. */
export function longDay(day: string, lang: Lang): string {
  const [y, m, d] = day.split('-').map(Number);
  const wd = WEEKDAYS[lang][weekdayOf(day)];
  return lang === 'vi' ? `${wd}, ${pad(d)}/${pad(m)}/${y}` : `${wd} ${d} ${MONTHS_EN[m - 1]} ${y}`;
}

/** A slot's or booking's time: `07:30–07:45, Thứ Hai, 07/12/2026` (Vietnam time). */
export function span(startsAt: string, endsAt: string | null, lang: Lang): string {
  const hours = endsAt ? `${vnTime(startsAt)}–${vnTime(endsAt)}` : vnTime(startsAt);
  return `${hours}, ${longDay(vnDay(startsAt), lang)}`;
}

export interface DayChoice {
  /** `YYYY-MM-DD`, Vietnam date. */
  day: string;
  weekday: string;
  /** `07/12` or `7 Dec`. */
  short: string;
  /** 0 today, 1 tomorrow, … */
  offset: number;
}

/** Today (Vietnam date at `now`) and the `daysAhead` days after it. */
export function bookableDays(now: Date, daysAhead: number, lang: Lang): DayChoice[] {
  const [y, m, d] = vnDay(now).split('-').map(Number);
  const out: DayChoice[] = [];
  for (let i = 0; i <= Math.max(0, Math.min(60, daysAhead)); i++) {
    const date = new Date(Date.UTC(y, m - 1, d + i));
    const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
    const short = lang === 'vi' ? `${pad(date.getUTCDate())}/${pad(date.getUTCMonth() + 1)}` : `${date.getUTCDate()} ${MONTHS_EN[date.getUTCMonth()]}`;
    out.push({ day, weekday: WEEKDAYS[lang][date.getUTCDay()], short, offset: i });
  }
  return out;
}

export interface SlotGroups { morning: Slot[]; afternoon: Slot[] }

/** The slots of a day in time order, those starting before noon (Vietnam time) in the morning. */
export function groupSlots(slots: readonly Slot[]): SlotGroups {
  const sorted = [...slots].sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at));
  const morning = sorted.filter((s) => vnTime(s.starts_at) < '12:00');
  return { morning, afternoon: sorted.filter((s) => !morning.includes(s)) };
}

/** Whether an instant falls on today's Vietnam date. */
export const isToday = (instant: string, now: Date) => vnDay(instant) === vnDay(now);
