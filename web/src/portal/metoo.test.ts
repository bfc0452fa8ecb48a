import { describe, expect, it } from 'vitest';
import { deviceKey, metooHtml, type OpenNearby } from './metoo';

const near: OpenNearby = {
  id: 'a1', code: 'DN-2612-000007', status: 'received', category: 'water', category_name: 'Cấp nước', category_name_en: 'Water supply',
  description: 'Ống nước vỡ trước chợ', received_at: '2026-12-04T01:00:00Z', supporters: 2, distance_m: 37.6,
};

describe('me too on the report form', () => {
  it('lists the open reports nearby with how many reported them and a button each', () => {
    const vi = metooHtml([near], 'vi');
    expect(vi).toContain('DN-2612-000007');
    expect(vi).toContain('cách 38 m');
    expect(vi).toContain('<b class="n">3</b> người cùng phản ánh');
    expect(vi).toContain('data-metoo="a1"');
    expect(metooHtml([near], 'en')).toContain('Me too');
    expect(metooHtml([], 'vi')).toBe('');
  });

  it('thanks the citizen in place of the button once counted', () => {
    const html = metooHtml([near], 'vi', new Map([['a1', 'Đã ghi nhận, cảm ơn bạn! 4 người cùng phản ánh']]));
    expect(html).not.toContain('data-metoo');
    expect(html).toContain('Đã ghi nhận');
  });

  it('escapes the description', () => {
    expect(metooHtml([{ ...near, description: '<script>x</script>' }], 'vi')).not.toContain('<script>');
  });

  it('keeps one device key, so one device counts once per report', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    const a = deviceKey('t1', storage);
    expect(deviceKey('t1', storage)).toBe(a);
    expect(deviceKey('t2', storage)).not.toBe(a);
    expect(a.endsWith(':t1')).toBe(true);
  });
});
