// The display board's logic without the DOM: which calls are new since the last board, how long
// to wait before asking again after a failure, and the HTML of the board's parts (labels,
// counters and counts only: the API sends no personal data, and what it sends is escaped).

import { esc } from '../common/dom';
import type { Board, BoardCall, Waiting } from './types';

export type { Board, BoardCall } from './types';

/** What makes a call the same call: the counter, the label and when it was called. */
export const callKey = (c: BoardCall) => `${c.counter}|${c.label}|${c.called_at}`;

/**
 * Calls in `next` (its `serving` and its `recent`) that `prev` did not have, newest first, each
 * once. None for the first board, so nothing blinks or chimes when the page loads. A number
 * called again (at the same or another counter) has a new `called_at`: it is a new call.
 */
export function newCalls(prev: Board | null, next: Board): BoardCall[] {
  if (!prev) return [];
  const seen = new Set([...prev.recent, ...prev.serving].map(callKey));
  const out = new Map<string, BoardCall>();
  for (const c of [...next.recent, ...next.serving]) if (!seen.has(callKey(c))) out.set(callKey(c), c);
  return [...out.values()].sort((a, b) => b.called_at.localeCompare(a.called_at));
}

/** Wait before the `attempt`-th retry (1-based): 1 s doubling to 10 s. */
export function backoffMs(attempt: number): number {
  return Math.min(10_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

/** The board's address: the first ask has no `since` (answered at once), the next ones long-poll. */
export function boardUrl(office: string, since: number | null): string {
  const base = `/api/v1/public/offices/${encodeURIComponent(office)}/display`;
  return since === null ? base : `${base}?since=${since}`;
}

/** What the waiting line says (one line, both languages). */
export function waitingText(w: Waiting): string {
  const total = w.normal + w.priority + w.appointment;
  return `${total} người · people (ưu tiên · priority ${w.priority}, có hẹn · booked ${w.appointment})`;
}

/** The waiting counts as tiles: all, then each kind with its letter. */
export function waitingHtml(w: Waiting): string {
  const tile = (n: number, vi: string, en: string) =>
    `<div class="tile"><b>${n}</b><span>${esc(vi)}</span><span class="en">${esc(en)}</span></div>`;
  return (
    tile(w.normal + w.priority + w.appointment, 'Tổng', 'Total') +
    tile(w.appointment, 'Có hẹn (H)', 'Booked') +
    tile(w.priority, 'Ưu tiên (U)', 'Priority') +
    tile(w.normal, 'Thường (A)', 'Normal')
  );
}

/** The rows of the "Quầy / Counter — Số / Number" grid, by counter; a new call's row blinks. */
export function servingHtml(b: Board, fresh: readonly BoardCall[]): string {
  const isNew = new Set(fresh.map(callKey));
  const rows = [...b.serving]
    .sort((x, y) => x.counter - y.counter)
    .map((c) => `<tr class="${isNew.has(callKey(c)) ? 'new' : ''}" data-counter="${c.counter}"><td class="counter">${c.counter}</td><td class="label">${esc(c.label)}</td></tr>`)
    .join('');
  return rows || '<tr><td colspan="2" class="muted">Chưa gọi số <span class="en">No number called yet</span></td></tr>';
}

/** The last calls, newest first: "A012 → 3". */
export function recentHtml(b: Board, fresh: readonly BoardCall[]): string {
  const isNew = new Set(fresh.map(callKey));
  return b.recent
    .map((c) => `<li class="${isNew.has(callKey(c)) ? 'new' : ''}"><b>${esc(c.label)}</b> <span class="arrow">→</span> ${c.counter}</li>`)
    .join('');
}

/** The newest of the new calls, as a voice-free announcement line ("Mời số A012 đến quầy 3"). */
export function announce(c: BoardCall): string {
  return `Mời số ${c.label} đến quầy ${c.counter} · Number ${c.label} to counter ${c.counter}`;
}

/** Today in Vietnam: `Thứ Hai, 07/12/2026` (for the line under the clock). */
export function vnDate(now: Date): string {
  const parts = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric' }).formatToParts(now);
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? '';
  const weekday = get('weekday');
  return `${weekday.charAt(0).toUpperCase()}${weekday.slice(1)}, ${get('day')}/${get('month')}/${get('year')}`;
}
