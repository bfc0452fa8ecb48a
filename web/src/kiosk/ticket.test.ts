import { describe, expect, it } from 'vitest';
import { ApiError } from '../common/http';
import { aheadText, failureText, findOffice, priorityOf, queuePath, takeBody, ticketTexts, ticketTime } from './ticket';
import type { PublicOffice, QueueNumber } from './types';

const office = {
  id: 'DN-HCC', name: 'Trung tâm Phục vụ hành chính công thành phố', name_en: 'City Public Administration Service Centre',
  address: '24 Trần Phú, Hải Châu', lon: 108.222, lat: 16.0775, counters: 12, hours: {}, days_ahead: 6, per_person_per_day: 2,
  services: [{ id: 'dat-dai', name: 'Đất đai', name_en: 'Land', procedures: [], slot_minutes: 15, capacity: 3 }], closures: [],
} as PublicOffice;

const number: QueueNumber = {
  id: '0b6f3f6e-0000-4000-8000-000000000001', label: 'U004', kind: 'priority', office: 'DN-HCC', service: 'dat-dai',
  status: 'waiting', counter: null, position: 3, wait_minutes: 20, issued_at: '2026-12-07T01:05:09Z', called_at: null,
  priority: 'elderly', token: 't',
};

describe('the kiosk', () => {
  it('asks for a number with the priority only when one is chosen', () => {
    expect(takeBody('dat-dai')).toEqual({ service: 'dat-dai', kiosk: true });
    expect(takeBody('dat-dai', 'pregnant')).toEqual({ service: 'dat-dai', priority: 'pregnant', kiosk: true });
    expect(priorityOf('')).toBeUndefined();
    expect(priorityOf('vip')).toBeUndefined();
    expect(priorityOf('disability')).toBe('disability');
    expect(queuePath('DN-HC-MC')).toBe('/api/v1/public/offices/DN-HC-MC/queue');
  });

  it('finds its office in the list', () => {
    expect(findOffice([office], 'DN-HCC')?.name_en).toBe('City Public Administration Service Centre');
    expect(findOffice([office], 'DN-X')).toBeUndefined();
    expect(findOffice([office], null)).toBeUndefined();
  });

  it('writes the ticket: office, number, service, priority, people ahead, wait and Vietnam time', () => {
    const t = ticketTexts(office, number);
    expect(t.label).toBe('U004');
    expect(t.service).toBe('Đất đai');
    expect(t.serviceEn).toBe('Land');
    expect(t.priority).toBe('Ưu tiên: Người cao tuổi · Priority: Elderly');
    expect(t.ahead).toBe('3 người trước quý vị · 3 people ahead of you');
    expect(t.wait).toContain('20 phút');
    expect(t.time).toBe('07/12/2026 08:05');
    expect(ticketTexts(office, { ...number, priority: null, kind: 'normal', service: 'other' }).priority).toBe('');
    expect(ticketTexts(office, { ...number, service: 'other' }).service).toBe('other');
  });

  it('says when nobody is ahead, and one person in the singular', () => {
    expect(aheadText({ position: 0, wait_minutes: 0 })).toEqual({ ahead: 'Không có ai trước quý vị · You are next', wait: '' });
    expect(aheadText({ position: 1, wait_minutes: 5 }).ahead).toBe('1 người trước quý vị · 1 person ahead of you');
    expect(ticketTime('2026-12-31T17:30:00Z')).toBe('01/01/2027 00:30');
  });

  it('shows the problem the API gives, or a plain message', () => {
    const closed = new ApiError(409, { code: 'closed', title: 'Văn phòng đã đóng cửa', detail: 'Mở lại lúc 13:30' });
    expect(failureText(closed)).toContain('Văn phòng đã đóng cửa — Mở lại lúc 13:30');
    const bad = new ApiError(422, { code: 'validation', title: 'Invalid', errors: [{ field: 'service', message: 'unknown service' }] });
    expect(failureText(bad)).toContain('unknown service');
    expect(failureText(new ApiError(429, {}))).toContain('Please wait');
    expect(failureText(new TypeError('Failed to fetch'))).toContain('xin thử lại');
  });
});
