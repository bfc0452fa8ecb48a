// The console's queues as pure functions: which tickets belong in each, and in what order.
//
//   triage  (the centre)  received and returned tickets, and every open ticket past its deadline:
//                         overdue first, then returned (already bounced once), then received;
//                         oldest first within each
//   publish (the centre)  resolved tickets waiting for the centre to publish (close) the result,
//                         longest waiting first
//   unit    (an agency)   the unit's assigned, accepted and in-progress tickets (the server scopes
//                         them to the user's units), nearest deadline first — so overdue first

import { OPEN_STATUSES } from '../common/status';
import type { Status, Ticket } from '../common/types';

export type Tab = 'triage' | 'publish' | 'unit';

/** What the queues need of a ticket (a TicketView has it all). */
export type QueueTicket = Pick<Ticket, 'id' | 'code' | 'status' | 'received_at' | 'deadline' | 'resolved_at'>;

const AT_UNIT: readonly Status[] = ['assigned', 'accepted', 'in_progress'];

export const isOpen = (t: Pick<QueueTicket, 'status'>) => OPEN_STATUSES.includes(t.status);
export const isOverdue = (t: Pick<QueueTicket, 'status' | 'deadline'>, now: Date) =>
  isOpen(t) && new Date(t.deadline).getTime() < now.getTime();

/** The queues of a desk: the centre (admin, operator) or a unit (agency). */
export function tabsFor(role: string): Tab[] {
  return role === 'agency' ? ['unit'] : ['triage', 'publish'];
}

/** Whether `t` belongs in queue `tab` at `now`. */
export function inQueue(t: QueueTicket, tab: Tab, now: Date): boolean {
  switch (tab) {
    case 'triage':
      return t.status === 'received' || t.status === 'returned' || isOverdue(t, now);
    case 'publish':
      return t.status === 'resolved';
    case 'unit':
      return AT_UNIT.includes(t.status);
  }
}

/** The statuses to ask the server for when loading a queue (overdue ones come on top for triage). */
export function statusesFor(tab: Tab): Status[] {
  return tab === 'triage' ? ['received', 'returned'] : tab === 'publish' ? ['resolved'] : [...AT_UNIT];
}

const ms = (t: string | null | undefined) => (t ? new Date(t).getTime() : 0);

function triageRank(t: QueueTicket, now: Date): number {
  if (isOverdue(t, now)) return 0;
  return t.status === 'returned' ? 1 : 2;
}

/** Compares two tickets in the order of queue `tab` at `now`. */
export function compare(tab: Tab, now: Date): (a: QueueTicket, b: QueueTicket) => number {
  const tie = (a: QueueTicket, b: QueueTicket) => ms(a.received_at) - ms(b.received_at) || a.code.localeCompare(b.code);
  switch (tab) {
    case 'triage':
      return (a, b) => triageRank(a, now) - triageRank(b, now) || tie(a, b);
    case 'publish':
      return (a, b) => ms(a.resolved_at) - ms(b.resolved_at) || tie(a, b);
    case 'unit':
      return (a, b) => ms(a.deadline) - ms(b.deadline) || tie(a, b);
  }
}

/** The category a report no one has sorted yet is filed under: chat, SMS and Open311 reports the
 * category suggester was not confident about (issue 14). */
export const TRIAGE_CATEGORY = 'other';

/** Whether `t` still needs a category chosen by an operator. */
export const needsCategory = (t: { category: string }) => t.category === TRIAGE_CATEGORY;

/** The tickets of `held` that belong in queue `tab`, in its order. */
export function queue<T extends QueueTicket>(held: Iterable<T>, tab: Tab, now: Date): T[] {
  return [...held].filter((t) => inQueue(t, tab, now)).sort(compare(tab, now));
}
