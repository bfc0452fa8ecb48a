import { describe, expect, it } from 'vitest';
import { pressHtml } from './press';

describe('press feedback on the public figures', () => {
  const item = {
    code: 'DN-2612-000001', newspaper: 'Báo Đà Nẵng', published_on: '2026-12-01', url: 'https://baodanang.vn/a.html',
    title: 'Rác <ùn ứ>', issue: 'Rác ùn ứ tại kiệt 45', category_name: 'Rác thải', category_name_en: 'Garbage', area_name: 'Hải Châu',
    status: 'resolved', received_at: '', deadline: '', result: 'Đã thu gom',
  };
  it('counts the resolved ones and shows each article with its result', () => {
    const html = pressHtml([item, { ...item, code: 'DN-2612-000002', status: 'in_progress', result: null, url: 'javascript:x' }], 'vi');
    expect(html).toContain('1 trên 2 đã giải quyết');
    expect(html).toContain('Rác &#60;ùn ứ&#62;');
    expect(html).toContain('Báo Đà Nẵng, 01/12/2026');
    expect(html).toContain('Kết quả: Đã thu gom');
    expect(html.match(/<a /g)?.length).toBe(1);
    expect(pressHtml([], 'en')).toContain('No press feedback');
  });
});
