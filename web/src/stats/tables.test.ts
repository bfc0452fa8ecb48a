import { describe, expect, it } from 'vitest';
import { I18n } from '../common/i18n';
import type { PublicRow } from './api';
import { breakdownHtml, headlineHtml, weeksHtml } from './tables';
import { TEXTS } from './texts';

const vi = new I18n(TEXTS, 'vi');
const hc: PublicRow = { code: 'DN-HC', name: 'Hải Châu', name_en: 'Hai Chau', suppressed: false, received: 1234, resolved: 1000, on_time_rate: 0.9234, rating_mean: 4.2, satisfaction_index: 71.5 };
const hv: PublicRow = { code: 'DN-HV', name: 'Hòa Vang', name_en: 'Hoa Vang', suppressed: true, received: null, resolved: null, on_time_rate: null, rating_mean: null, satisfaction_index: null };

/** The text of each cell of the row with this code. */
const cells = (html: string, code: string) =>
  [...(html.match(new RegExp(`<tr data-code="${code}"[^>]*>(.*?)</tr>`))?.[1] ?? '').matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((m) => m[1].replace(/<[^>]+>/g, ''));

describe('the tables of the public figures', () => {
  it('writes each figure of a published group, and "—" with the reason for a suppressed one', () => {
    const html = breakdownHtml([hv, hc], 'district', 'byDistrict', vi);
    expect(cells(html, 'DN-HC')).toEqual(['Hải Châu', '1.234', '1.000', '92,3%', '4,2 / 5', '71,5']);
    expect(cells(html, 'DN-HV')).toEqual(['Hòa Vang', '—', '—', '—', '—', '—']);
    expect(html).toContain('title="Dưới 5 phản ánh: không công bố để bảo vệ người dân"');
    // Published first.
    expect(html.indexOf('DN-HC')).toBeLessThan(html.indexOf('DN-HV'));
  });

  it('tells a figure that cannot be computed from a suppressed one', () => {
    const html = breakdownHtml([{ ...hc, rating_mean: null }], 'district', 'byDistrict', vi);
    expect(cells(html, 'DN-HC')[4]).toBe('—');
    expect(html).toContain('class="none"');
    expect(html).not.toContain('class="suppressed"');
  });

  it('puts the city underneath, and leaves out the columns a breakdown never has', () => {
    const html = breakdownHtml([hc], 'district', 'byDistrict', vi, { city: { ...hc, code: '', name: 'Toàn thành phố' } });
    expect(html).toMatch(/<tfoot><tr data-code="" [^>]*><th scope="row">Toàn thành phố/);
    const fields = breakdownHtml([{ ...hc, code: 'noise', satisfaction_index: null }], 'field', 'byField', vi, { without: ['satisfaction_index'] });
    expect(fields).not.toContain('Chỉ số hài lòng');
    expect(cells(fields, 'noise')).toHaveLength(5);
  });

  it('escapes names, and says when there is nothing', () => {
    expect(breakdownHtml([{ ...hc, name: '<b>x</b>' }], 'unit', 'byUnit', vi)).toContain('&#60;b&#62;x');
    expect(breakdownHtml([], 'unit', 'byUnit', vi)).toContain('Không có phản ánh nào trong kỳ này.');
  });

  it('shows the city as headline figures, in English too', () => {
    const en = new I18n(TEXTS, 'en');
    const html = headlineHtml(hc, en);
    expect(html).toContain('data-figure="on_time_rate"');
    expect(html).toContain('92.3%');
    expect(html).toContain('Reports received');
  });

  it('lists the weeks, a suppressed week as "—"', () => {
    const html = weeksHtml([{ week: '2026-11-23', suppressed: false, received: 40, resolved: 35, late: 2 }, { week: '2026-11-30', suppressed: true }], vi);
    expect(html).toContain('23/11/2026');
    expect(html.match(/—/g)?.length).toBe(3);
  });
});
