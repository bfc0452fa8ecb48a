import { describe, expect, it } from 'vitest';
import type { Detail } from './api';
import { codeOf, detailHtml, summaryHtml } from './view';

const detail: Detail = {
  code: '1.001193', name: 'Đăng ký khai sinh', name_en: 'Birth registration', field: 'Hộ tịch', field_en: 'Civil status',
  level: 'commune', steps: ['Nộp hồ sơ <ngay>', 'Nhận kết quả'],
  methods: [{ channel: 'online', time_limit: '03 ngày làm việc', fee: 'Miễn lệ phí' }],
  documents: [{ name: 'Tờ khai', copies: '01 bản chính' }], applicants: 'Công dân', agency: 'UBND cấp xã',
  submit_at: 'UBND phường Hải Châu', result: 'Giấy khai sinh', legal_basis: ['Luật Hộ tịch 2014'],
  online_url: 'javascript:alert(1)', demo: true,
  related_procedures: [{ code: '1.000894', name: 'Đăng ký kết hôn', field: 'Hộ tịch', level: 'commune', online: false, time_limit: '', fee: '', demo: true }],
};

describe('the procedures page', () => {
  it('reads the code from either address', () => {
    expect(codeOf('/thu-tuc/1.004227')).toBe('1.004227');
    expect(codeOf('/procedures/DN-TTHC-001/')).toBe('DN-TTHC-001');
    expect(codeOf('/thu-tuc')).toBeNull();
  });

  it('shows a procedure whole, escaped, with its demo notice and related procedures', () => {
    const html = detailHtml(detail, 'vi');
    expect(html).toContain('Trình tự thực hiện');
    expect(html).toContain('Nộp hồ sơ &#60;ngay&#62;');
    expect(html).toContain('03 ngày làm việc');
    expect(html).toContain('Trực tuyến');
    expect(html).toContain('không phải văn bản chính thức');
    expect(html).toContain('href="/thu-tuc/1.000894"');
    expect(html).toContain('href="/dat-lich?procedure=1.001193">Đặt lịch hẹn</a>');
    expect(html).not.toContain('javascript:');
  });

  it('writes English where the catalogue has it, and keeps the Vietnamese name beside', () => {
    const html = detailHtml({ ...detail, online_url: 'https://dichvucong.gov.vn/' }, 'en');
    expect(html).toContain('Birth registration');
    expect(html).toContain('Đăng ký khai sinh');
    expect(html).toContain('Ways to submit');
    expect(html).toContain('href="https://dichvucong.gov.vn/"');
    expect(html).toContain('Book an appointment');
    const line = summaryHtml({ ...detail, online: true, time_limit: '03 ngày làm việc', fee: 'Miễn lệ phí' }, 'en');
    expect(line).toContain('Online');
    expect(line).toContain('Civil status');
  });
});
