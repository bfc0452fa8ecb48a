// The kiosk's logic without the DOM: the priority choices, the body of the number asked for, the
// texts of the ticket on the screen and on paper, and what to say when the API refuses.

import { ApiError } from '../common/http';
import type { Priority, PublicOffice, QueueNumber, Service, TakeNumber } from './types';

/** Seconds the ticket stays on the screen before the kiosk is ready for the next person. */
export const RESET_SECONDS = 15;

/** The priority buttons, in the order shown. */
export const PRIORITIES: readonly { id: Priority; vi: string; en: string }[] = [
  { id: 'elderly', vi: 'Người cao tuổi', en: 'Elderly' },
  { id: 'disability', vi: 'Người khuyết tật', en: 'Disability' },
  { id: 'pregnant', vi: 'Phụ nữ mang thai', en: 'Pregnant' },
];

/** Only the three reasons the API knows; anything else is no priority. */
export function priorityOf(value: string | null | undefined): Priority | undefined {
  return PRIORITIES.find((p) => p.id === value)?.id;
}

/** What a press on `service` asks for (`priority` left out when there is none). */
export function takeBody(service: string, priority?: Priority): TakeNumber {
  return priority ? { service, priority, kiosk: true } : { service, kiosk: true };
}

export const queuePath = (office: string) => `/api/v1/public/offices/${encodeURIComponent(office)}/queue`;

/** The office of the kiosk's path in the list of offices. */
export function findOffice(list: readonly PublicOffice[], id: string | null): PublicOffice | undefined {
  return id ? list.find((o) => o.id === id) : undefined;
}

/** `07/12/2026 08:05`, Vietnam time. */
export function ticketTime(iso: string): string {
  const parts = new Intl.DateTimeFormat('vi-VN', {
    timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false,
  }).formatToParts(new Date(iso));
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('day')}/${get('month')}/${get('year')} ${get('hour')}:${get('minute')}`;
}

/** "3 người trước quý vị · 3 ahead of you", and the estimated wait. */
export function aheadText(n: Pick<QueueNumber, 'position' | 'wait_minutes'>): { ahead: string; wait: string } {
  const ahead = n.position === 0
    ? 'Không có ai trước quý vị · You are next'
    : `${n.position} người trước quý vị · ${n.position} ${n.position === 1 ? 'person' : 'people'} ahead of you`;
  const wait = n.wait_minutes > 0 ? `Thời gian chờ dự kiến khoảng ${n.wait_minutes} phút · About ${n.wait_minutes} min wait` : '';
  return { ahead, wait };
}

export interface TicketTexts {
  office: string;
  officeEn: string;
  label: string;
  service: string;
  serviceEn: string;
  priority: string;
  ahead: string;
  wait: string;
  time: string;
}

/** Everything the ticket shows, on the screen and on paper. */
export function ticketTexts(office: PublicOffice, n: QueueNumber, priority?: Priority): TicketTexts {
  const svc: Service | undefined = office.services.find((s) => s.id === n.service);
  const p = PRIORITIES.find((x) => x.id === (n.priority ?? priority));
  return {
    office: office.name,
    officeEn: office.name_en ?? '',
    label: n.label,
    service: svc?.name ?? n.service,
    serviceEn: svc?.name_en ?? '',
    priority: p ? `Ưu tiên: ${p.vi} · Priority: ${p.en}` : '',
    ...aheadText(n),
    time: ticketTime(n.issued_at),
  };
}

/** What the screen says when taking a number failed: the problem's own words when there are some. */
export function failureText(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = e.errors.map((x) => x.message).join('; ');
    const words = [e.title, e.detail ?? '', fields].filter(Boolean);
    if (e.status === 429) return 'Xin chờ một chút rồi thử lại · Please wait a moment and try again';
    if (words.length) return `Không lấy được số: ${[...new Set(words)].join(' — ')} · Could not take a number`;
  }
  return 'Không lấy được số, xin thử lại hoặc hỏi nhân viên · Could not take a number, please try again or ask the staff';
}
