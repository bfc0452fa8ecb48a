// The counter page's queue without the DOM: grouping today's numbers, the number called at this
// counter, and the HTML of the lists (names escaped: they are the citizens' own words).

import { esc } from '../common/dom';
import { hhmm } from './desk';
import type { NumberView } from './types';

export type { NumberView } from './types';
export { bookingCode } from './desk';

/** Service id → its name, for the lines (the queue carries ids only). */
export type ServiceNames = Readonly<Record<string, string>>;

/** The number still called at `counter`, if any (the latest call). */
export function current(list: readonly NumberView[], counter: number): NumberView | undefined {
  return list
    .filter((n) => n.status === 'called' && n.counter === counter)
    .sort((a, b) => (b.called_at ?? '').localeCompare(a.called_at ?? ''))[0];
}

/** Waiting numbers by kind, in the order the counter calls them (position first). */
export function waitingByKind(list: readonly NumberView[]): Record<'appointment' | 'priority' | 'normal', NumberView[]> {
  const waiting = list.filter((n) => n.status === 'waiting').sort((a, b) => a.position - b.position);
  return {
    appointment: waiting.filter((n) => n.kind === 'appointment'),
    priority: waiting.filter((n) => n.kind === 'priority'),
    normal: waiting.filter((n) => n.kind === 'normal'),
  };
}

/** Numbers sent to `counter` by another and still waiting for it. */
export function transferredTo(list: readonly NumberView[], counter: number): NumberView[] {
  return list.filter((n) => n.status === 'waiting' && n.to_counter === counter);
}

const PRIORITY: Record<string, string> = {
  elderly: 'người cao tuổi · elderly',
  disability: 'người khuyết tật · disability',
  pregnant: 'phụ nữ mang thai · pregnant',
};

function item(n: NumberView, services: ServiceNames): string {
  const who = n.name ? ` — ${esc(n.name)}${n.booking_code ? ` <small>${esc(n.booking_code)}</small>` : ''}` : '';
  const why = n.priority ? ` <small class="why">(${esc(PRIORITY[n.priority] ?? n.priority)})</small>` : '';
  const to = n.to_counter ? ` <small class="to">→ quầy · counter ${n.to_counter}</small>` : '';
  const svc = ` <small class="muted">${esc(services[n.service] ?? n.service)} · ${esc(hhmm(n.issued_at))}</small>`;
  return `<li data-id="${esc(n.id)}"><b>${esc(n.label)}</b>${why}${to}${who}${svc}</li>`;
}

/** The queue panel: the three lists in call order (appointments H, priority U, normal A) and today's counts. */
export function queueHtml(list: readonly NumberView[], services: ServiceNames = {}): string {
  const g = waitingByKind(list);
  const count = (s: NumberView['status']) => list.filter((n) => n.status === s).length;
  const section = (title: string, items: NumberView[]) =>
    `<h3>${title} (${items.length})</h3><ol>${items.map((n) => item(n, services)).join('') || '<li class="muted">—</li>'}</ol>`;
  return (
    section('Có hẹn · booked (H)', g.appointment) +
    section('Ưu tiên · priority (U)', g.priority) +
    section('Thường · normal (A)', g.normal) +
    `<p class="muted">Hôm nay · today: đã phục vụ · served ${count('served')}, vắng mặt · no-show ${count('no_show')}, đang gọi · called ${count('called')}</p>`
  );
}

/** The number at the counter, large, with the appointment's name and the service. */
export function currentHtml(n: NumberView | undefined, services: ServiceNames = {}): string {
  if (!n) return '<p class="muted">Chưa gọi ai · Nobody called</p>';
  const who = n.name ? `<p class="who">${esc(n.name)} <small>${esc(n.booking_code ?? '')}</small></p>` : '';
  const why = n.priority ? `<p class="why">Ưu tiên · priority: ${esc(PRIORITY[n.priority] ?? n.priority)}</p>` : '';
  const when = n.called_at ? ` · gọi lúc · called ${esc(hhmm(n.called_at))}` : '';
  return `<p class="big">${esc(n.label)}</p>${who}${why}<p class="muted">${esc(services[n.service] ?? n.service)}${when}</p>`;
}
