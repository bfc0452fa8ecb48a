// The counter page's logic without the DOM, apart from the queue itself (queue.ts): booking
// codes typed or scanned, the offices a user may work at, the counter kept on this device, the
// bodies and addresses of the clerk's requests, and the words of the API's problems.

import { ApiError } from '../common/http';
import { vnTime } from '../common/vntime';
import type { CheckedIn, Finish, Office, Outcome, User } from './types';

/** The characters of booking codes (no 0/O, 1/I/L), as the server makes them. */
const CODE = '[2-9A-HJKMNP-Z]{6}';

/** `lh 7k2m9q`, `LH7K2M9Q`, `LH-7K2M9Q` → `LH-7K2M9Q`; null when it is not a code. */
export function bookingCode(raw: string): string | null {
  const s = raw.trim().toUpperCase().replace(/[\s-]/g, '');
  const m = new RegExp(`^LH(${CODE})$`).exec(s);
  return m ? `LH-${m[1]}` : null;
}

/** The code in a QR code's text: the code itself, or a link that holds one (`…/dat-lich/LH-7K2M9Q?token=…`). */
export function scannedCode(text: string): string | null {
  const whole = bookingCode(text);
  if (whole) return whole;
  const m = new RegExp(`(?:^|[^A-Z0-9])LH-?(${CODE})(?![A-Z0-9])`).exec(text.toUpperCase());
  return m ? `LH-${m[1]}` : null;
}

/** The offices `user` works at: any for an admin, else those of `user.offices` (in the list's order). */
export function officesFor(user: Pick<User, 'role' | 'offices'>, all: readonly Office[]): Office[] {
  if (user.role === 'admin') return [...all];
  const mine = new Set(user.offices ?? []);
  return all.filter((o) => mine.has(o.id));
}

/** The office to show: the one kept on this device if the user still works there, else the first. */
export function pickOffice(offices: readonly Office[], saved: string | null): string {
  return offices.some((o) => o.id === saved) ? saved! : (offices[0]?.id ?? '');
}

/** The counter to show (1..counters): the one kept on this device when the office has it, else 1. */
export function pickCounter(saved: string | null, counters: number): number {
  const n = Number(saved);
  return Number.isInteger(n) && n >= 1 && n <= counters ? n : 1;
}

/** Where this device keeps the counter it was at, per office. */
export const counterKey = (office: string) => `counter.counter.${office}`;
export const OFFICE_KEY = 'counter.office';

/** The counters a number may be sent to from `counter`: every other one. */
export function transferTargets(counters: number, counter: number): number[] {
  return Array.from({ length: counters }, (_, i) => i + 1).filter((c) => c !== counter);
}

/** The body of "finish" (`to_counter` only for a transfer). */
export function finishBody(outcome: Outcome, toCounter?: number): Finish {
  return outcome === 'transferred' ? { outcome, to_counter: toCounter } : { outcome };
}

export const paths = {
  queue: (office: string) => `/api/v1/offices/${encodeURIComponent(office)}/queue`,
  next: (office: string, counter: number) => `/api/v1/offices/${encodeURIComponent(office)}/counters/${counter}/next`,
  finish: (office: string, id: string) => `/api/v1/offices/${encodeURIComponent(office)}/queue/${encodeURIComponent(id)}/finish`,
  checkin: (office: string) => `/api/v1/offices/${encodeURIComponent(office)}/checkin`,
};

/** `08:30`, Vietnam time. */
export const hhmm = (iso: string): string => vnTime(iso);

/** What the check-in line says: the number given, who, what and when. */
export function checkedInText(r: CheckedIn): string {
  const b = r.booking;
  return `${r.number.label} — ${b.name} · ${b.service_name} · ${hhmm(b.starts_at)}–${hhmm(b.ends_at)} (${b.code})`;
}

/** The words of a failed request: the problem's title, its detail and each field at fault. */
export function problemText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 403) return `Không có quyền tại văn phòng này · Not allowed at this office${e.detail ? ` — ${e.detail}` : ''}`;
    const fields = e.errors.map((x) => `${x.field}: ${x.message}`).join('; ');
    const words = [...new Set([e.title, e.detail ?? '', fields].filter(Boolean))];
    return words.length ? words.join(' — ') : `HTTP ${e.status}`;
  }
  return 'Lỗi kết nối, xin thử lại · Connection error, please try again';
}
