// Directions (chỉ đạo), the pure parts: the due date a new direction starts with (the coming
// Thursday, Vietnam time), the body POSTed for a unit's backlog or for one ticket, the panel's
// groups (waiting, overdue, reported) and the steps a ticket's directions add to its timeline.
// Tested in directions.test.ts; the DOM is in directionsView.ts.

import type { Schemas } from '../common/types';

export type DirectionView = Schemas['DirectionView'];
export type NewDirection = Schemas['NewDirection'];
export type DirectionStatus = Schemas['DirectionStatus'];

const DAY_MS = 86_400_000;
/** Vietnam is UTC+7 all year (no daylight saving). */
const VN_OFFSET_MS = 7 * 3_600_000;

/** Today's date in Vietnam (`YYYY-MM-DD`) at `now`. */
export function vnToday(now: Date): string {
  return new Date(now.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The coming Thursday after `today` (`YYYY-MM-DD`): this week's when today is Monday to
 * Wednesday, next week's from Thursday on (a direction given on a Thursday gets a week).
 */
export function comingThursday(today: string): string {
  const t = Date.parse(`${today}T00:00:00Z`);
  const weekday = new Date(t).getUTCDay(); // 0 Sunday … 4 Thursday … 6 Saturday
  const ahead = (4 - weekday + 7) % 7 || 7;
  return new Date(t + ahead * DAY_MS).toISOString().slice(0, 10);
}

/** What a direction is about: a unit's backlog (in an area, optionally a field), or one ticket. */
export type Target =
  | { kind: 'unit'; unit: string; area: string | null }
  | { kind: 'ticket'; ticket: string; code: string; unit: string | null };

/** The form's values: the text, the due date and (for a backlog) the field and the area. */
export interface DirectionForm {
  text: string;
  due: string;
  field?: string;
  area?: string;
}

/** The body of `POST /api/v1/directions` (a ticket takes no area or field: its unit is the ticket's). */
export function directionBody(target: Target, form: DirectionForm): NewDirection {
  if (target.kind === 'ticket') return { ticket: target.ticket, text: form.text.trim(), due: form.due };
  const body: NewDirection = { unit: target.unit, text: form.text.trim(), due: form.due };
  const area = form.area?.trim() || target.area;
  if (area) body.area = area;
  if (form.field?.trim()) body.field = form.field.trim();
  return body;
}

/** The fields a form shows an error beside; any other field's error goes above the buttons. */
export const FORM_FIELDS = ['text', 'due', 'field', 'area'] as const;

/** The panel's groups: waiting (open or acknowledged, soonest due first), overdue among them, and reported (latest first). */
export function groups(all: readonly DirectionView[]): { waiting: DirectionView[]; overdue: DirectionView[]; reported: DirectionView[] } {
  const byDue = (a: DirectionView, b: DirectionView) => a.due_at.localeCompare(b.due_at) || a.issued_at.localeCompare(b.issued_at);
  const waiting = all.filter((d) => d.status !== 'reported').sort(byDue);
  const reported = all
    .filter((d) => d.status === 'reported')
    .sort((a, b) => (b.reported_at ?? '').localeCompare(a.reported_at ?? '') || byDue(a, b));
  return { waiting, overdue: waiting.filter((d) => d.overdue), reported };
}

/** The list with `d` in it (replacing the one of the same id), as the panel shows it after a change. */
export function upsert(all: readonly DirectionView[], d: DirectionView): DirectionView[] {
  const out = all.filter((x) => x.id !== d.id);
  out.push(d);
  return out;
}

export { directionSteps, mergeTimeline, type DirectionStep } from '../common/directions';
