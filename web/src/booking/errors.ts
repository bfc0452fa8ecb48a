// What a failed request means for the form that sent it: which field to mark and with which
// words, and whether the slots must be reloaded. Pure: the page only draws the result.

import { ApiError } from '../common/http';
import type { Lang, Text } from '../common/i18n';
import { FIELD_TEXT, fill } from './texts';

export interface Failure {
  /** Message per field (`name`, `phone`, `email`, `starts_at`, …); `form` for the form as a whole. */
  fields: Record<string, string>;
  /** The slot was just taken: reload the day's slots. */
  reloadSlots: boolean;
  /** A network failure: the same request (same idempotency key) may be sent again. */
  retry: boolean;
}

const say = (t: Text, lang: Lang) => t[lang];

/** The failure of a booking (or reschedule) request, in `lang`. */
export function bookingFailure(e: unknown, lang: Lang, perPersonPerDay?: number): Failure {
  if (!(e instanceof ApiError)) return { fields: { form: say(FIELD_TEXT.network, lang) }, reloadSlots: false, retry: true };
  if (e.code === 'slot_full') return { fields: { starts_at: say(FIELD_TEXT.slotFull, lang) }, reloadSlots: true, retry: false };
  if (e.code === 'person_limit') {
    const n = perPersonPerDay ?? Number((e.problem as Record<string, unknown>).limit);
    const text = Number.isFinite(n) ? fill(say(FIELD_TEXT.personLimit, lang), { n }) : e.message;
    return { fields: { phone: text }, reloadSlots: false, retry: false };
  }
  const fields: Record<string, string> = {};
  for (const err of e.errors) {
    const name = err.field.split('.')[0];
    const known = FIELD_TEXT[name];
    fields[name] = known ? say(known, lang) : err.message;
  }
  if (fields.starts_at && e.status === 409) return { fields, reloadSlots: true, retry: false };
  if (!Object.keys(fields).length) fields.form = e.status >= 500 ? say(FIELD_TEXT.network, lang) : e.message;
  return { fields, reloadSlots: Boolean(fields.starts_at), retry: e.status >= 500 };
}

/** A light check before sending: the fields that are surely wrong (the server decides the rest). */
export function checkPerson(input: { name: string; phone: string | null; phoneTyped: string; email: string }, lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  if (input.name.trim().length < 2) out.name = say(FIELD_TEXT.name, lang);
  if (!input.phone) out.phone = say(FIELD_TEXT.phone, lang);
  if (input.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email.trim())) out.email = say(FIELD_TEXT.email, lang);
  return out;
}
