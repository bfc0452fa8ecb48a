import { describe, expect, it } from 'vitest';
import { ApiError } from '../common/http';
import { bookingCode, checkedInText, finishBody, officesFor, paths, pickCounter, pickOffice, problemText, scannedCode, transferTargets } from './desk';
import type { CheckedIn, Office } from './types';

const office = (id: string, counters = 3) => ({ id, name: id, counters, services: [] }) as unknown as Office;

describe('the counter desk', () => {
  it('reads booking codes typed loosely, and nothing else', () => {
    expect(bookingCode(' lh 7k2m9q ')).toBe('LH-7K2M9Q');
    expect(bookingCode('lh-7k2m9q')).toBe('LH-7K2M9Q');
    expect(bookingCode('LH7K2M9Q')).toBe('LH-7K2M9Q');
    expect(bookingCode('LH-0O1IL2')).toBeNull();
    expect(bookingCode('LH-7K2M9')).toBeNull();
    expect(bookingCode('DN-2026-000001')).toBeNull();
  });

  it('reads the code out of a scanned QR code, bare or in a link', () => {
    expect(scannedCode('LH-7K2M9Q')).toBe('LH-7K2M9Q');
    expect(scannedCode('https://1022.danang.gov.vn/dat-lich/LH-7K2M9Q?token=abc')).toBe('LH-7K2M9Q');
    expect(scannedCode('https://example.vn/x/LH-7K2M9QX')).toBeNull();
    expect(scannedCode('hello')).toBeNull();
  });

  it('lets an admin work anywhere and a clerk at their offices only', () => {
    const all = [office('DN-HCC', 12), office('DN-HC-MC'), office('DN-TK-MC')];
    expect(officesFor({ role: 'admin' }, all).map((o) => o.id)).toEqual(['DN-HCC', 'DN-HC-MC', 'DN-TK-MC']);
    expect(officesFor({ role: 'clerk', offices: ['DN-TK-MC', 'DN-HCC'] }, all).map((o) => o.id)).toEqual(['DN-HCC', 'DN-TK-MC']);
    expect(officesFor({ role: 'clerk' }, all)).toEqual([]);
    expect(pickOffice(all, 'DN-HC-MC')).toBe('DN-HC-MC');
    expect(pickOffice(all, 'DN-GONE')).toBe('DN-HCC');
    expect(pickOffice([], null)).toBe('');
  });

  it('keeps the counter only when the office has it', () => {
    expect(pickCounter('7', 12)).toBe(7);
    expect(pickCounter('13', 12)).toBe(1);
    expect(pickCounter(null, 12)).toBe(1);
    expect(pickCounter('2.5', 12)).toBe(1);
    expect(transferTargets(3, 2)).toEqual([1, 3]);
  });

  it('builds the requests of the clerk', () => {
    expect(finishBody('served', 3)).toEqual({ outcome: 'served' });
    expect(finishBody('no_show')).toEqual({ outcome: 'no_show' });
    expect(finishBody('transferred', 3)).toEqual({ outcome: 'transferred', to_counter: 3 });
    expect(paths.next('DN-HCC', 4)).toBe('/api/v1/offices/DN-HCC/counters/4/next');
    expect(paths.finish('DN-HCC', 'abc')).toBe('/api/v1/offices/DN-HCC/queue/abc/finish');
    expect(paths.checkin('DN-HCC')).toBe('/api/v1/offices/DN-HCC/checkin');
    expect(paths.queue('DN-HCC')).toBe('/api/v1/offices/DN-HCC/queue');
  });

  it('says who was checked in, with the number given and the slot in Vietnam time', () => {
    const r = {
      booking: { code: 'LH-7K2M9Q', name: 'Nguyễn Thị Vân Anh', service_name: 'Đất đai', starts_at: '2026-12-07T00:30:00Z', ends_at: '2026-12-07T00:45:00Z' },
      number: { label: 'H003' },
    } as unknown as CheckedIn;
    expect(checkedInText(r)).toBe('H003 — Nguyễn Thị Vân Anh · Đất đai · 07:30–07:45 (LH-7K2M9Q)');
  });

  it('shows the problem the API gives', () => {
    const e = new ApiError(422, { code: 'validation', title: 'Invalid input', errors: [{ field: 'code', message: 'is not a booking code (LH-XXXXXX)' }] });
    expect(problemText(e)).toBe('Invalid input — code: is not a booking code (LH-XXXXXX)');
    expect(problemText(new ApiError(409, { code: 'conflict', title: 'Already checked in', detail: 'H003 at 08:01' }))).toBe('Already checked in — H003 at 08:01');
    expect(problemText(new ApiError(403, { title: 'Forbidden' }))).toContain('Not allowed');
    expect(problemText(new ApiError(500, {}))).toBe('HTTP 500');
    expect(problemText(new TypeError('Failed to fetch'))).toContain('Connection error');
  });
});
