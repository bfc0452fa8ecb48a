import { describe, expect, it } from 'vitest';
import type { StatsReport } from './api';
import { contactBody, contactForm, contactProblems, looksLikeEmail, newestFirst, normalisePhone, reportItems, reportXlsxUrl, smsFacts, tickText, type ContactForm, type WeeklyReport } from './weekly';

const form = (over: Partial<ContactForm>): ContactForm => ({ phone: '', email: '', weekly_report: false, fields: [], unaccented_sms: false, ...over });

const report = (over: Partial<WeeklyReport>): WeeklyReport => ({
  id: 'r1', tick: '2026-11-27T10:00:00Z', from: '2026-11-21', to: '2026-11-27', user: 'leader', display_name: 'Lãnh đạo Hải Châu',
  areas: ['DN-HC'], fields: [], sms: 'Hải Châu tuần 21–27/11: 120 tiếp nhận', sms_unaccented: 'Hai Chau tuan 21-27/11: 120 tiep nhan',
  sms_segments: 1, sms_unaccented_segments: 1, email_subject: 'Báo cáo tuần', email_text: 'Kính gửi…', figures: {} as StatsReport,
  created_at: '2026-11-27T10:00:03Z', ...over,
});

describe('the subscription form', () => {
  it('takes phone numbers as the server does', () => {
    expect(normalisePhone(' 0905 123.456 ')).toBe('0905123456');
    expect(normalisePhone('+84 (905) 123-456')).toBe('+84905123456');
    expect(normalisePhone('0905-abc')).toBeNull();
    expect(normalisePhone('12345678')).toBeNull(); // 8 digits
    expect(normalisePhone('1234567890123')).toBeNull(); // 13
  });

  it('takes email addresses as the server does', () => {
    expect(looksLikeEmail('lanh.dao@danang.gov.vn')).toBe(true);
    for (const bad of ['a@b', 'lanh.dao', '@danang.gov.vn', 'x <a@b.vn>', 'a b@c.vn', 'a@.vn', 'a@vn.']) expect(looksLikeEmail(bad), bad).toBe(false);
  });

  it('names each fault beside its field', () => {
    expect(contactProblems(form({ phone: '0905-abc', email: 'a@b' }))).toEqual([
      { field: 'phone', text: 'wPhoneBad' },
      { field: 'email', text: 'wEmailBad' },
    ]);
    expect(contactProblems(form({ weekly_report: true }))).toEqual([{ field: 'weekly_report', text: 'wNeedContact' }]);
    expect(contactProblems(form({ weekly_report: true, email: 'lanh.dao@danang.gov.vn' }))).toEqual([]);
    expect(contactProblems(form({ weekly_report: true, phone: '0905123456' }))).toEqual([]);
    // Unsubscribed, a contact may be empty.
    expect(contactProblems(form({}))).toEqual([]);
  });

  it('PUTs blanks as none and each field once, unit_head back as it was given', () => {
    const body = contactBody(form({ phone: ' 0905123456 ', email: '  ', weekly_report: true, fields: ['noise', 'environment', 'noise'], unaccented_sms: true }), true);
    expect(body).toEqual({ phone: '0905123456', email: null, weekly_report: true, fields: ['environment', 'noise'], unaccented_sms: true, unit_head: true });
    expect(contactBody(form({}), false).unit_head).toBe(false);
  });

  it('fills the form from the stored contact', () => {
    expect(contactForm({ phone: null, email: 'a@b.vn', weekly_report: true, fields: ['traffic'], unaccented_sms: false, unit_head: true }))
      .toEqual(form({ email: 'a@b.vn', weekly_report: true, fields: ['traffic'] }));
  });
});

describe('the sent reports’ list', () => {
  it('lists the newest first, the recipients of one week by name', () => {
    const all = [
      report({ id: 'old', tick: '2026-11-20T10:00:00Z', from: '2026-11-14', to: '2026-11-20' }),
      report({ id: 'b', user: 'leader.tk', display_name: 'Thanh Khê' }),
      report({ id: 'a' }),
      report({ id: 'new', tick: '2026-12-04T10:00:00Z', from: '2026-11-28', to: '2026-12-04' }),
    ];
    expect(newestFirst(all).map((r) => r.id)).toEqual(['new', 'a', 'b', 'old']);
  });

  it('writes the period, when it went, whose it is and its XLSX link', () => {
    const [vi] = reportItems([report({})], 'vi');
    expect(vi).toEqual({
      id: 'r1',
      period: '21/11/2026 – 27/11/2026',
      sent: vi.sent,
      who: 'Lãnh đạo Hải Châu (leader)',
      xlsx: '/api/v1/reports/r1/report.xlsx',
    });
    expect(vi.sent).toBe('thứ Sáu 27/11/2026 17:00'); // 10:00 UTC is 17:00 in Vietnam
    const [en] = reportItems([report({ display_name: 'leader' })], 'en');
    expect(en.period).toBe('21 Nov 2026 – 27 Nov 2026');
    expect(en.who).toBe('leader');
  });

  it('leaves out a preview (no id) and says when a report without its row’s time was due', () => {
    expect(reportItems([report({ id: null })], 'vi')).toEqual([]);
    expect(reportItems([report({ created_at: null })], 'vi')[0].sent).toMatch(/17:00/);
    expect(reportXlsxUrl('a/b')).toBe('/api/v1/reports/a%2Fb/report.xlsx');
  });
});

describe('an SMS and its moment', () => {
  it('counts characters as a phone does, and the segments the server counted', () => {
    expect(smsFacts('Hải Châu 🚧', 1, 'vi')).toBe('10 ký tự · 1 tin nhắn');
    expect(smsFacts('Hai Chau', 1, 'en')).toBe('8 characters · 1 segment');
    expect(smsFacts('x'.repeat(200), 2, 'en')).toBe('200 characters · 2 segments');
  });

  it('writes the schedule’s moment in Vietnam time', () => {
    expect(tickText('2026-12-04T10:00:00Z', 'vi')).toBe('thứ Sáu 04/12/2026 17:00');
    expect(tickText('2026-12-04T10:00:00Z', 'en')).toBe('Fri 4 Dec 2026 17:00');
  });
});
