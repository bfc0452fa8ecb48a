// Directions (chỉ đạo) on a ticket's timeline, shared by the leaders' page and the console: the
// steps each direction adds (issued, acknowledged, reported back) and the timeline that merges
// them with the ticket's events in time order.

import type { Schemas } from './types';

export type DirectionView = Schemas['DirectionView'];

/** The labels of the steps a direction adds to a ticket's timeline (Vietnamese, English). */
export const STEP_LABELS = {
  'direction.issued': ['Chỉ đạo', 'direction issued'],
  'direction.acknowledged': ['Đơn vị đã nhận chỉ đạo', 'direction acknowledged'],
  'direction.reported': ['Báo cáo kết quả chỉ đạo', 'reported back'],
} as const;

/** One step of a ticket's timeline that a direction adds. */
export interface DirectionStep {
  at: string;
  kind: keyof typeof STEP_LABELS;
  who: string;
  /** The direction's text (issued, with its due date beside), or the report. */
  note: string;
  /** For the issued step: the due date and whether it has passed unreported. */
  due?: string;
  overdue?: boolean;
}

/** Each direction's issue, acknowledgement and report, as timeline steps. */
export function directionSteps(ds: readonly DirectionView[]): DirectionStep[] {
  const who = (s: string | null | undefined) => (s ?? '').replace(/^user:/, '');
  return ds.flatMap((d) => {
    const out: DirectionStep[] = [{ at: d.issued_at, kind: 'direction.issued', who: who(d.issued_by), note: d.text, due: d.due_at, overdue: d.overdue }];
    if (d.acknowledged_at) out.push({ at: d.acknowledged_at, kind: 'direction.acknowledged', who: who(d.acknowledged_by), note: '' });
    if (d.reported_at) out.push({ at: d.reported_at, kind: 'direction.reported', who: who(d.reported_by), note: d.report ?? '' });
    return out;
  });
}

/** The ticket's events and its directions' steps in time order (events first at equal times). */
export function mergeTimeline<T extends { at: string }>(events: readonly T[], steps: readonly DirectionStep[]): ({ event: T } | { step: DirectionStep })[] {
  const all = [
    ...events.map((event, n) => ({ item: { event } as { event: T } | { step: DirectionStep }, t: Date.parse(event.at), n })),
    ...steps.map((step, n) => ({ item: { step } as { event: T } | { step: DirectionStep }, t: Date.parse(step.at), n: events.length + n })),
  ];
  return all.sort((a, b) => a.t - b.t || a.n - b.n).map((x) => x.item);
}
