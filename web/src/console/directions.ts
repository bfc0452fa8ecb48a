// Directions (chỉ đạo) on the unit's desk, the pure parts: which directions wait for the unit
// and in what order (overdue first, then soonest due), what the unit may do with each
// (acknowledge while open; report back until reported — a report acknowledges too), the
// report's body, and the steps a ticket's directions add to its timeline. Tested in
// directions.test.ts; the DOM is in directionsView.ts and detail.ts.

import type { Schemas } from '../common/types';

export type DirectionView = Schemas['DirectionView'];

/** Vietnam is UTC+7 all year. */
const VN_OFFSET_MS = 7 * 3_600_000;

/** The day (`dd/mm/yyyy`) a due instant falls on in Vietnam. */
export function dueDay(iso: string): string {
  const [y, m, d] = new Date(Date.parse(iso) + VN_OFFSET_MS).toISOString().slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

/** The directions still to act on (not reported): overdue first, then soonest due. */
export function toActOn(all: readonly DirectionView[]): DirectionView[] {
  return all
    .filter((d) => d.status !== 'reported')
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.due_at.localeCompare(b.due_at) || a.issued_at.localeCompare(b.issued_at));
}

/** What the unit may do with a direction now. */
export function actionsFor(d: DirectionView): { acknowledge: boolean; report: boolean } {
  return { acknowledge: d.status === 'open', report: d.status !== 'reported' };
}

/** The body of `POST /api/v1/directions/{id}/report`, or why it can't be sent. */
export function reportBody(text: string): { ok: true; body: { report: string } } | { ok: false; error: { vi: string; en: string } } {
  const report = text.trim();
  if (!report) return { ok: false, error: { vi: 'Hãy nhập nội dung báo cáo', en: 'write what was done' } };
  if ([...report].length > 2000) return { ok: false, error: { vi: 'Tối đa 2000 ký tự', en: 'at most 2000 characters' } };
  return { ok: true, body: { report } };
}

export { directionSteps, mergeTimeline, STEP_LABELS, type DirectionStep } from '../common/directions';
