// The counter page's logic without the DOM: grouping today's numbers, the number called at this
// counter, the booking code as typed or scanned, and the HTML of the lists.

import { esc } from '../common/dom';
import type { components } from '../api.gen';

export type NumberView = components['schemas']['NumberView'];

/** `lh 7k2m9q`, `LH7K2M9Q`, a QR code's text → `LH-7K2M9Q`; null when it is not a code. */
export function bookingCode(raw: string): string | null {
  const s = raw.trim().toUpperCase().replace(/[\s-]/g, '');
  const m = /^LH([2-9A-HJKMNP-Z]{6})$/.exec(s);
  return m ? `LH-${m[1]}` : null;
}

/** The number still called at `counter`, if any. */
export function current(list: NumberView[], counter: number): NumberView | undefined {
  return list.filter((n) => n.status === 'called' && n.counter === counter).sort((a, b) => (b.called_at ?? '').localeCompare(a.called_at ?? ''))[0];
}

/** Waiting numbers by kind, in the order the counter calls them (position first). */
export function waitingByKind(list: NumberView[]): Record<'appointment' | 'priority' | 'normal', NumberView[]> {
  const waiting = list.filter((n) => n.status === 'waiting').sort((a, b) => a.position - b.position);
  return {
    appointment: waiting.filter((n) => n.kind === 'appointment'),
    priority: waiting.filter((n) => n.kind === 'priority'),
    normal: waiting.filter((n) => n.kind === 'normal'),
  };
}

const PRIORITY: Record<string, string> = { elderly: 'người cao tuổi', disability: 'người khuyết tật', pregnant: 'phụ nữ mang thai' };

function item(n: NumberView): string {
  const who = n.name ? ` — ${esc(n.name)}${n.booking_code ? ` <small>${esc(n.booking_code)}</small>` : ''}` : '';
  const why = n.priority ? ` <small>(${esc(PRIORITY[n.priority] ?? n.priority)})</small>` : '';
  const to = n.to_counter ? ` <small>→ quầy ${n.to_counter}</small>` : '';
  return `<li data-id="${esc(n.id)}"><b>${esc(n.label)}</b>${why}${to}${who}</li>`;
}

/** The queue panel: three lists and today's count served. */
export function queueHtml(list: NumberView[]): string {
  const g = waitingByKind(list);
  const served = list.filter((n) => n.status === 'served').length;
  const section = (title: string, items: NumberView[]) =>
    `<h3>${title} (${items.length})</h3><ol>${items.map(item).join('') || '<li class="muted">—</li>'}</ol>`;
  return (
    section('Có hẹn · booked (H)', g.appointment) +
    section('Ưu tiên · priority (U)', g.priority) +
    section('Thường · normal (A)', g.normal) +
    `<p class="muted">Đã phục vụ hôm nay · served today: ${served}</p>`
  );
}

/** The number at the counter, large. */
export function currentHtml(n: NumberView | undefined): string {
  if (!n) return '<p class="muted">Chưa gọi ai · Nobody called</p>';
  const who = n.name ? `<p>${esc(n.name)} <small>${esc(n.booking_code ?? '')}</small></p>` : '';
  return `<p class="big">${esc(n.label)}</p>${who}<p class="muted">${esc(n.service)}</p>`;
}
