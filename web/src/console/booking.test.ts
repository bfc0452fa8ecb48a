import { describe, expect, it } from 'vitest';
import { ApiError } from '../common/http';
import {
  bookingDays, bookingFailure, bookingInput, confirmationHtml, dayBookingsHtml, groupSlots, noSlotsHtml, serviceFor, vnDay, vnTime, whenText,
  type BookingView, type PublicOffice,
} from './booking';

const office: PublicOffice = {
  id: 'DN-HCC', name: 'Trung tâm Phục vụ hành chính công thành phố', name_en: 'City Public Administration Service Centre',
  address: '24 Trần Phú, Hải Châu', lon: 108.222, lat: 16.0775, area: 'DN-HC', counters: 12,
  hours: { mon: [['07:30', '11:30']] }, days_ahead: 6, per_person_per_day: 2, closures: [],
  services: [
    { id: 'ho-tich', name: 'Hộ tịch', name_en: 'Civil status', procedures: ['DN-TTHC-030'], slot_minutes: 15, capacity: 3 },
    { id: 'dat-dai', name: 'Đất đai', name_en: 'Land', procedures: ['DN-TTHC-010', 'DN-TTHC-011'], slot_minutes: 15, capacity: 3 },
  ],
};

const booking: BookingView = {
  code: 'LH-7K2M9Q', status: 'booked', office: 'DN-HCC', office_name: 'Trung tâm Phục vụ hành chính công thành phố Đà Nẵng',
  address: '24 Trần Phú, Hải Châu', service: 'dat-dai', service_name: 'Đất đai', procedure: 'DN-TTHC-011',
  procedure_name: 'Cấp lại Giấy chứng nhận quyền sử dụng đất', starts_at: '2026-12-07T04:00:00Z', ends_at: '2026-12-07T04:15:00Z',
  documents: [{ name: 'Đơn đăng ký biến động (Mẫu số 11/ĐK)', copies: '01 bản chính' }, { name: 'Giấy xác nhận <niêm yết>' }],
  name: 'Nguyễn Thị Vân Anh', phone: '0905123456', channel: 'console', token: 'secret',
};

describe('days and times in Vietnam time', () => {
  it('takes the Vietnam date and time of an instant', () => {
    expect(vnDay('2026-12-05T16:59:00Z')).toBe('2026-12-05');
    expect(vnDay('2026-12-05T17:00:00Z')).toBe('2026-12-06');
    expect(vnTime('2026-12-07T04:00:00Z')).toBe('11:00');
  });

  it('lists today and the days ahead across a month end, with weekday labels', () => {
    const days = bookingDays('2026-11-29', 3);
    expect(days.map((d) => d.day)).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
    expect(days[0]).toEqual({ day: '2026-11-29', vi: 'CN 29/11', en: 'Sun' });
    expect(days[1].vi).toBe('T2 30/11');
    expect(bookingDays('2026-12-05', 0)).toHaveLength(1);
  });

  it('writes the slot to read out', () => {
    expect(whenText('2026-12-07T04:00:00Z', '2026-12-07T04:15:00Z')).toEqual({ vi: '11:00–11:15, Thứ Hai 07/12/2026', en: '11:00–11:15, Mon 07/12/2026' });
  });
});

describe('offices, services and slots', () => {
  it('picks the service whose procedures hold the code, else leaves the choice', () => {
    expect(serviceFor(office, 'DN-TTHC-011')?.id).toBe('dat-dai');
    expect(serviceFor(office, 'XX-1')).toBeNull();
    expect(serviceFor(office, null)).toBeNull();
    expect(serviceFor({ ...office, services: [office.services[0]] }, null)?.id).toBe('ho-tich');
  });

  it('groups slots into morning and afternoon in order, full ones marked', () => {
    const groups = groupSlots([
      { starts_at: '2026-12-07T06:30:00Z', ends_at: '2026-12-07T06:45:00Z', free: 3 },
      { starts_at: '2026-12-07T04:00:00Z', ends_at: '2026-12-07T04:15:00Z', free: 0 },
      { starts_at: '2026-12-07T00:30:00Z', ends_at: '2026-12-07T00:45:00Z', free: 2 },
    ]);
    expect(groups.map((g) => g.vi)).toEqual(['Buổi sáng', 'Buổi chiều']);
    expect(groups[0].slots.map((s) => [s.time, s.free, s.full])).toEqual([['07:30', 2, false], ['11:00', 0, true]]);
    expect(groups[1].slots[0].time).toBe('13:30');
    expect(groupSlots([{ starts_at: '2026-12-07T07:00:00Z', ends_at: '2026-12-07T07:15:00Z', free: 1 }]).map((g) => g.en)).toEqual(['afternoon']);
  });

  it('says why a day has no slot, with a closure’s reason', () => {
    expect(noSlotsHtml({ day: '2026-12-06', open: false, reason: 'closed', slots: [] })).toContain('không làm việc');
    expect(noSlotsHtml({ day: '2027-01-01', open: false, reason: 'holiday', slots: [] })).toContain('Ngày nghỉ lễ');
    expect(noSlotsHtml({ day: '2026-12-08', open: false, reason: 'closure', slots: [] },
      [{ from: '2026-12-08T00:00:00Z', to: '2026-12-08T10:00:00Z', reason: 'Bão <số 9>' }])).toContain('</span>: Bão &#60;số 9&#62;');
    expect(noSlotsHtml({ day: '2026-12-07', open: true, slots: [{ starts_at: 'x', ends_at: 'y', free: 0 }] })).toContain('Đã hết chỗ');
  });
});

describe('the caller and the server’s answer', () => {
  const base = { office: 'DN-HCC', service: 'dat-dai', starts_at: '2026-12-07T04:00:00Z', procedure: ' DN-TTHC-011 ' };

  it('sends a clean name and number', () => {
    const { input, errors } = bookingInput({ ...base, name: '  Nguyễn  Thị Vân Anh ', phone: '0905 123.456' });
    expect(errors).toEqual({});
    expect(input).toEqual({ ...base, procedure: 'DN-TTHC-011', name: 'Nguyễn Thị Vân Anh', phone: '0905123456', lang: 'vi' });
  });

  it('asks for what is missing before sending', () => {
    const { errors } = bookingInput({ ...base, starts_at: '', name: ' ', phone: '12', procedure: '' });
    expect(Object.keys(errors).sort()).toEqual(['name', 'phone', 'starts_at']);
  });

  it('maps each failure: a full slot, the person limit, bad fields, a lost connection', () => {
    const full = new ApiError(409, { code: 'slot_full', title: 'Full', errors: [{ field: 'starts_at', message: 'taken' }] });
    expect(bookingFailure(full).kind).toBe('slot_full');
    const limit = bookingFailure(new ApiError(409, { code: 'person_limit', errors: [{ field: 'phone', message: 'x' }] }), 2);
    expect(limit.kind).toBe('person_limit');
    expect(limit.html).toContain('tối đa (2)');
    const bad = bookingFailure(new ApiError(422, { code: 'validation', errors: [{ field: 'name', message: 'is required' }] }));
    expect(bad).toMatchObject({ kind: 'fields', fields: { name: 'is required' } });
    expect(bookingFailure(new TypeError('Failed to fetch')).kind).toBe('network');
    expect(bookingFailure(new ApiError(500, { title: 'Internal' })).html).toContain('Internal');
  });
});

describe('what the operator reads out', () => {
  it('shows the code, the time, the office and the documents, escaped, and never the token', () => {
    const html = confirmationHtml(booking);
    expect(html).toContain('<p class="bk-code" data-code="LH-7K2M9Q">LH-7K2M9Q</p>');
    expect(html).toContain('11:00–11:15, Thứ Hai 07/12/2026');
    expect(html).toContain('24 Trần Phú, Hải Châu');
    expect(html).toContain('Mẫu số 11/ĐK');
    expect(html).toContain('01 bản chính');
    expect(html).toContain('Giấy xác nhận &#60;niêm yết&#62;');
    expect(html).not.toContain('secret');
  });

  it('lists the office’s day by time, cancelled ones not counted', () => {
    const html = dayBookingsHtml([
      { ...booking, code: 'LH-B', starts_at: '2026-12-07T06:30:00Z' },
      booking,
      { ...booking, code: 'LH-C', status: 'cancelled' },
    ]);
    expect(html.indexOf('LH-7K2M9Q')).toBeLessThan(html.indexOf('LH-B'));
    expect(html).toContain('<p class="muted">2 lịch hẹn');
    expect(html).toContain('Đã hủy');
    expect(dayBookingsHtml([])).toContain('Chưa có lịch hẹn');
  });
});
