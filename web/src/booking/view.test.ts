import { describe, expect, it } from 'vitest';
import { readSurvey } from './survey';
import { qrDataUrl } from './qr';
import type { Booking, Office, QueueNumber } from './types';
import { bookingHtml, daysHtml, officesHtml, queueHtml, servicesHtml, slotsHtml, surveyHtml } from './view';

const office: Office = {
  id: 'DN-HCC', name: 'Trung tâm Phục vụ hành chính công thành phố', name_en: 'City Public Administration Service Centre',
  address: '24 Trần Phú, Hải Châu', lon: 108.222, lat: 16.0775, area: 'DN-HC', counters: 12,
  hours: { mon: [['07:30', '11:30'], ['13:30', '17:00']] }, days_ahead: 6, per_person_per_day: 2,
  services: [{ id: 'dat-dai', name: 'Đất đai', name_en: 'Land', procedures: ['DN-TTHC-011'], slot_minutes: 15, capacity: 3 }],
};

const booking: Booking = {
  code: 'LH-7K2M9Q', status: 'booked', office: 'DN-HCC', office_name: office.name, service: 'dat-dai', service_name: 'Đất đai',
  procedure: 'DN-TTHC-011', procedure_name: 'Cấp đổi giấy chứng nhận <quyền sử dụng đất>', starts_at: '2026-12-07T00:30:00Z',
  ends_at: '2026-12-07T00:45:00Z', documents: [{ name: 'Đơn đề nghị', copies: '01 bản chính' }], name: 'Nguyễn Thị Vân Anh',
  phone: '0905123456', channel: 'portal', token: 't0k',
};

describe('the booking page', () => {
  it('lists offices with their address, and services', () => {
    const html = officesHtml([office], 'DN-HCC', 'vi');
    expect(html).toContain('24 Trần Phú, Hải Châu');
    expect(html).toContain('aria-pressed="true"');
    expect(servicesHtml(office.services, null, 'en')).toContain('Land');
  });

  it('shows days as buttons with today and the weekday names', () => {
    const html = daysHtml([{ day: '2026-12-05', weekday: 'Thứ Bảy', short: '05/12', offset: 0 }, { day: '2026-12-07', weekday: 'Thứ Hai', short: '07/12', offset: 2 }], null, 'vi');
    expect(html).toContain('Hôm nay');
    expect(html).toContain('Thứ Hai');
    expect(html).toContain('data-day="2026-12-07"');
  });

  it('shows the free places per slot, disables full ones, and says why a day is closed', () => {
    const html = slotsHtml({ day: '2026-12-07', open: true, slots: [
      { starts_at: '2026-12-07T00:30:00Z', ends_at: '2026-12-07T00:45:00Z', free: 2 },
      { starts_at: '2026-12-07T06:30:00Z', ends_at: '2026-12-07T06:45:00Z', free: 0 },
    ] }, null, 'vi');
    expect(html).toContain('Buổi sáng');
    expect(html).toContain('07:30');
    expect(html).toContain('còn 2 chỗ');
    expect(html).toMatch(/13:30<\/strong><small>Đã kín/);
    expect(html).toMatch(/data-slot="2026-12-07T06:30:00Z" aria-pressed="false" disabled/);
    expect(slotsHtml({ day: '2027-01-01', open: false, reason: 'holiday', slots: [] }, null, 'vi')).toContain('Ngày nghỉ lễ');
    expect(slotsHtml({ day: '2026-12-07', open: true, slots: [] }, null, 'en')).toContain('No free time');
  });

  it('confirms a booking: code, QR, time in Vietnam time, office and address, documents, manage link', () => {
    const html = bookingHtml(booking, 'vi', { qr: 'data:image/svg+xml;x', office, link: 'https://x/dat-lich/LH-7K2M9Q?token=t0k' });
    expect(html).toContain('class="code">LH-7K2M9Q');
    expect(html).toContain('alt="Mã QR của lịch hẹn LH-7K2M9Q"');
    expect(html).toContain('07:30–07:45, Thứ Hai, 07/12/2026');
    expect(html).toContain('24 Trần Phú, Hải Châu');
    expect(html).toContain('Đơn đề nghị');
    expect(html).toContain('&#60;quyền sử dụng đất&#62;');
    expect(html).toContain('0905 123 456');
    expect(html).toContain('đã được gửi qua tin nhắn SMS');
    expect(html).toContain('href="https://x/dat-lich/LH-7K2M9Q?token=t0k"');
  });

  it('says when a closure moved a booking, and shows the queue label once checked in', () => {
    const html = bookingHtml({ ...booking, status: 'checked_in', moved_from: '2026-12-04T01:00:00Z', queue_label: 'H003' }, 'en', { qr: null, office: null, link: null });
    expect(html).toContain('It was: 08:00, Friday 4 Dec 2026');
    expect(html).toContain('H003');
    expect(html).toContain('Checked in');
    expect(html).not.toContain('<img');
  });

  it('asks the five survey questions, and reads the answers only when all are given', () => {
    const html = surveyHtml('vi');
    for (const k of ['access', 'procedure', 'staff', 'timeliness', 'overall']) expect(html).toContain(`name="${k}"`);
    expect(html).toContain('Công chức');
    expect(readSurvey({ access: '5', procedure: '4', staff: '5', timeliness: '3', overall: '4', comment: ' Tốt ' })).toEqual({
      scores: { access: 5, procedure: 4, staff: 5, timeliness: 3, overall: 4 }, comment: 'Tốt',
    });
    expect(readSurvey({ access: '5', procedure: '4', staff: '5', timeliness: '3' })).toBeNull();
    expect(readSurvey({ access: '6', procedure: '4', staff: '5', timeliness: '3', overall: '1' })).toBeNull();
  });

  it('follows a queue number: people ahead and the wait, then the counter', () => {
    const q: QueueNumber = { id: 'u', label: 'A012', kind: 'normal', office: 'DN-HCC', service: 'dat-dai', status: 'waiting', counter: null, position: 4, wait_minutes: 20, issued_at: '', called_at: null };
    const waiting = queueHtml(q, 'vi', false);
    expect(waiting).toContain('A012');
    expect(waiting).toContain('<dd>4</dd>');
    expect(waiting).toContain('20 phút');
    expect(queueHtml({ ...q, status: 'called', counter: 3 }, 'vi', false)).toContain('Mời đến quầy 3');
    expect(queueHtml(q, 'en', true)).toContain('Connection lost');
    expect(queueHtml({ ...q, status: 'served' }, 'en', false)).not.toContain('Updates every');
  });

  it('draws the QR code of the booking code on the device', async () => {
    const url = await qrDataUrl('LH-7K2M9Q');
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(url)).toContain('<svg');
  });
});
