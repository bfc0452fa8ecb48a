// The weekly report (báo cáo tuần), the pure parts: the signed-in user's subscription (work phone
// and email, the fields covered, SMS without diacritics) checked as the server checks it and the
// body PUT to /api/v1/me/contact; the sent reports as the list shows them, newest first; how an
// SMS is described (characters, segments). Tested in weekly.test.ts; the DOM is weeklyView.ts.

import type { Lang } from '../common/i18n';
import type { SchemaOr, Schemas } from '../common/types';
import { fmtDay, fmtNum, fmtRange } from './format';

type Field = Schemas['Field'];

/** `GET /api/v1/me/contact` (the generated type once the server's document has it). */
export type StaffContact = SchemaOr<'StaffContact', {
  phone: string | null;
  email: string | null;
  /** Gets the Friday report of their areas and fields. */
  weekly_report: boolean;
  /** The fields the report covers; empty: every field. */
  fields: Field[];
  /** The SMS without diacritics (for phones or gateways without Unicode). */
  unaccented_sms: boolean;
  /** Heads their units (told when a ticket goes overdue); only admins set it. */
  unit_head: boolean;
}>;

/**
 * The body of `PUT /api/v1/me/contact`. `unit_head` is only an admin's to set: the server keeps
 * the stored one for anyone else, but takes an admin's body as it is — so the form sends back
 * the value it was given, and an admin saving their own subscription doesn't clear it.
 */
export type ContactInput = StaffContact;

/** One week's report to one leader (`GET /api/v1/reports`, `…/preview` with `id: null`). */
export type WeeklyReport = SchemaOr<'WeeklyReport', {
  id: string | null;
  /** The schedule's moment (Friday 17:00 Vietnam time), RFC 3339 UTC. */
  tick: string;
  from: string;
  to: string;
  user: string;
  display_name: string;
  areas: string[];
  fields: Field[];
  sms: string;
  sms_unaccented: string;
  sms_segments: number;
  sms_unaccented_segments: number;
  email_subject: string;
  email_text: string;
  /** As `GET /api/v1/stats?group=unit&compare=true`: the units' league table, the total, the previous period. */
  figures: Schemas['StatsReport'];
  created_at: string | null;
}>;

/** Where a sent report's spreadsheet downloads (a plain link: the browser saves it). */
export const reportXlsxUrl = (id: string) => `/api/v1/reports/${encodeURIComponent(id)}/report.xlsx`;

// ---- the subscription ---------------------------------------------------------------------------

/** What the form holds. */
export interface ContactForm {
  phone: string;
  email: string;
  weekly_report: boolean;
  fields: string[];
  unaccented_sms: boolean;
}

/** The form's fields an error can be shown beside; any other goes above the button. */
export const CONTACT_FIELDS = ['phone', 'email', 'weekly_report', 'fields', 'unaccented_sms'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

/** A phone number without its separators (spaces, dots, dashes, brackets), if it has 9 to 12 digits after an optional `+`; as the server normalises it. */
export function normalisePhone(p: string): string | null {
  const t = p.trim();
  const plus = t.startsWith('+') ? '+' : '';
  const digits = t.slice(plus.length).replace(/[\s.\-()]/g, '');
  return /^\d{9,12}$/.test(digits) ? `${plus}${digits}` : null;
}

/** Looks like an email address (the server's test: something@domain.tld, no blanks or `<>,;"`). */
export function looksLikeEmail(e: string): boolean {
  const at = e.lastIndexOf('@');
  if (at <= 0 || e.length > 254) return false;
  const domain = e.slice(at + 1);
  return domain.includes('.') && !domain.startsWith('.') && !domain.endsWith('.') && !/[\s<>,;"\p{Cc}]/u.test(e);
}

/** Why the form can't be saved yet, each beside its field (the server says the same, in English). */
export function contactProblems(f: ContactForm): { field: ContactField; text: 'wPhoneBad' | 'wEmailBad' | 'wNeedContact' }[] {
  const out: { field: ContactField; text: 'wPhoneBad' | 'wEmailBad' | 'wNeedContact' }[] = [];
  const phone = f.phone.trim();
  const email = f.email.trim();
  if (phone && !normalisePhone(phone)) out.push({ field: 'phone', text: 'wPhoneBad' });
  if (email && !looksLikeEmail(email)) out.push({ field: 'email', text: 'wEmailBad' });
  if (f.weekly_report && !phone && !email) out.push({ field: 'weekly_report', text: 'wNeedContact' });
  return out;
}

/** The body of the PUT: blanks are none, the fields each once and sorted; `unit_head` as stored. */
export function contactBody(f: ContactForm, unitHead: boolean): ContactInput {
  return {
    phone: f.phone.trim() || null,
    email: f.email.trim() || null,
    weekly_report: f.weekly_report,
    fields: [...new Set(f.fields)].sort() as Field[],
    unaccented_sms: f.unaccented_sms,
    unit_head: unitHead,
  };
}

/** The form filled from a stored contact. */
export function contactForm(c: StaffContact): ContactForm {
  // Every field may be left out of the stored contact (the server's defaults: none, off).
  return { phone: c.phone ?? '', email: c.email ?? '', weekly_report: c.weekly_report ?? false, fields: [...(c.fields ?? [])], unaccented_sms: c.unaccented_sms ?? false };
}

// ---- the reports -----------------------------------------------------------------------------------

/** One row of the sent reports' list. */
export interface ReportItem {
  id: string;
  /** `27/11/2026 – 03/12/2026`. */
  period: string;
  /** When it went (Vietnam time): the row's creation, else its schedule's moment. */
  sent: string;
  /** Whose it is (an admin sees everyone's): `Lãnh đạo Hải Châu (leader)`. */
  who: string;
  xlsx: string;
}

/** Newest first: by schedule moment, then by when it was made, then by recipient. */
export function newestFirst<R extends Pick<WeeklyReport, 'tick' | 'created_at' | 'display_name' | 'user'>>(reports: readonly R[]): R[] {
  return [...reports].sort(
    (a, b) =>
      Date.parse(b.tick) - Date.parse(a.tick) ||
      (b.created_at ?? '').localeCompare(a.created_at ?? '') ||
      (a.display_name || a.user).localeCompare(b.display_name || b.user, 'vi'),
  );
}

/** The list's rows (reports without an id — a preview — are left out). */
export function reportItems(reports: readonly WeeklyReport[], lang: Lang): ReportItem[] {
  return newestFirst(reports)
    .filter((r): r is WeeklyReport & { id: string } => typeof r.id === 'string' && r.id !== '')
    .map((r) => ({
      id: r.id,
      period: fmtRange(r.from, r.to, lang),
      sent: tickText(r.created_at ?? r.tick, lang),
      who: r.display_name && r.display_name !== r.user ? `${r.display_name} (${r.user})` : r.user,
      xlsx: reportXlsxUrl(r.id),
    }));
}

/** `162 ký tự · 2 tin nhắn` · `162 characters · 2 segments` (characters as a phone counts them). */
export function smsFacts(text: string, segments: number, lang: Lang): string {
  const n = [...text].length;
  if (lang === 'vi') return `${fmtNum(n, lang)} ký tự · ${fmtNum(segments, lang)} tin nhắn`;
  return `${fmtNum(n, lang)} characters · ${fmtNum(segments, lang)} ${segments === 1 ? 'segment' : 'segments'}`;
}

/** The day a report goes (or went): `thứ Sáu 04/12/2026 17:00` · `Fri 4 Dec 2026 17:00`, Vietnam time. */
export function tickText(iso: string, lang: Lang): string {
  const vn = new Date(Date.parse(iso) + 7 * 3_600_000);
  const date = vn.toISOString().slice(0, 10);
  const time = vn.toISOString().slice(11, 16);
  const weekday = vn.getUTCDay(); // 0 Sunday
  const vi = ['Chủ nhật', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy'][weekday];
  const en = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][weekday];
  return `${lang === 'vi' ? vi : en} ${fmtDay(date, lang)} ${time}`;
}
