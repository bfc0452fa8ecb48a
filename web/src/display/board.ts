// The display board's logic without the DOM: which calls are new since the last board, how long
// to wait before asking again after a failure, what the waiting line says.

import type { components } from '../api.gen';

export type Board = components['schemas']['Board'];
export type BoardCall = components['schemas']['BoardCall'];

const key = (c: BoardCall) => `${c.counter}|${c.label}|${c.called_at}`;

/** Calls in `next` that `prev` did not have (none for the first board: nothing chimes on load). */
export function newCalls(prev: Board | null, next: Board): BoardCall[] {
  if (!prev) return [];
  const seen = new Set(prev.recent.map(key));
  return next.recent.filter((c) => !seen.has(key(c)));
}

/** Wait before the `attempt`-th retry (1-based): 1 s doubling to 10 s. */
export function backoffMs(attempt: number): number {
  return Math.min(10_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

/** What the waiting line says. */
export function waitingText(w: Board['waiting']): string {
  const total = w.normal + w.priority + w.appointment;
  return `${total} người · people (ưu tiên · priority ${w.priority}, có hẹn · booked ${w.appointment})`;
}
