// Times as the console shows them: deadlines counting down (red when overdue), how long ago a
// ticket came in, and call lengths. Pure functions of the instants they are given.

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export type Urgency = 'ok' | 'soon' | 'overdue';

export interface Countdown {
  vi: string;
  en: string;
  /** `overdue` past the deadline, `soon` within 24 hours of it, else `ok`. */
  level: Urgency;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2 ngày 03:15" / "2 d 03:15", or "03:15" under a day: whole minutes, rounded down. */
function span(ms: number): { vi: string; en: string } {
  const days = Math.floor(ms / DAY);
  const hm = `${pad(Math.floor((ms % DAY) / HOUR))}:${pad(Math.floor((ms % HOUR) / MIN))}`;
  return days > 0 ? { vi: `${days} ngày ${hm}`, en: `${days} d ${hm}` } : { vi: hm, en: hm };
}

const instant = (t: string | number | Date) => (t instanceof Date ? t.getTime() : new Date(t).getTime());

/** The time left until `deadline` at `now`, or how long it is overdue (past the deadline). */
export function countdown(deadline: string | number | Date, now: Date): Countdown {
  const left = instant(deadline) - now.getTime();
  if (left < 0) {
    const s = span(-left);
    return { vi: `Quá hạn ${s.vi}`, en: `${s.en} overdue`, level: 'overdue' };
  }
  const s = span(left);
  return { vi: `Còn ${s.vi}`, en: `${s.en} left`, level: left < DAY ? 'soon' : 'ok' };
}

/** How long ago `t` was: "vừa xong", "12 phút", "3 giờ", "2 ngày" (and English). */
export function ago(t: string | number | Date, now: Date): { vi: string; en: string } {
  const ms = Math.max(0, now.getTime() - instant(t));
  if (ms < MIN) return { vi: 'vừa xong', en: 'just now' };
  if (ms < HOUR) return { vi: `${Math.floor(ms / MIN)} phút trước`, en: `${Math.floor(ms / MIN)} min ago` };
  if (ms < DAY) return { vi: `${Math.floor(ms / HOUR)} giờ trước`, en: `${Math.floor(ms / HOUR)} h ago` };
  return { vi: `${Math.floor(ms / DAY)} ngày trước`, en: `${Math.floor(ms / DAY)} d ago` };
}

/** A call length as m:ss ("3:05"), or h:mm:ss from an hour. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** Parses what an operator types for a call length: "185", "3:05" or "1:02:03"; null if it is not one. */
export function parseDuration(text: string): number | null {
  const t = text.trim();
  if (/^\d{1,5}$/.test(t)) return Number(t);
  const m = /^(?:(\d{1,2}):)?(\d{1,3}):(\d{2})$/.exec(t);
  if (!m) return null;
  const [h, mm, ss] = [Number(m[1] ?? 0), Number(m[2]), Number(m[3])];
  if (ss > 59 || (m[1] !== undefined && mm > 59)) return null;
  return h * 3600 + mm * 60 + ss;
}

/** A date-and-time in Vietnam time: "20/11 08:30". */
export function clock(t: string | number | Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(instant(t)));
  const p = (type: string) => parts.find((x) => x.type === type)?.value ?? '';
  return `${p('day')}/${p('month')} ${p('hour')}:${p('minute')}`;
}
