import { describe, expect, it } from 'vitest';
import { cardHtml, replyText } from './procedures';

describe('the console procedures card', () => {
  const detail = {
    code: '1.001193', name: 'Đăng ký khai sinh', field: 'Hộ tịch', agency: 'UBND cấp xã', submit_at: 'UBND phường <Hải Châu>',
    result: 'Giấy khai sinh', applicants: 'Công dân', steps: ['Nộp'], demo: true, online_url: 'javascript:x',
    methods: [{ channel: 'online', time_limit: '03 ngày làm việc', fee: 'Miễn lệ phí' }],
    documents: [{ name: 'Tờ khai đăng ký khai sinh', copies: '01 bản chính' }],
  };

  it('lists the documents, time limits and fees to read out, escaped, and offers the procedure as a reply', () => {
    const html = cardHtml(detail);
    expect(html).toContain('Tờ khai đăng ký khai sinh');
    expect(html).toContain('Trực tuyến</b>: 03 ngày làm việc · Miễn lệ phí');
    expect(html).toContain('UBND phường &#60;Hải Châu&#62;');
    expect(html).toContain('data-pick="1.001193"');
    expect(html).toContain('data-book="1.001193"');
    expect(html).not.toContain('javascript:');
    const reply = replyText(detail, 'https://1022.example.vn');
    expect(reply).toContain('mã 1.001193');
    expect(reply).toContain('- Tờ khai đăng ký khai sinh (01 bản chính)');
    expect(reply).toContain('- Trực tuyến: 03 ngày làm việc; phí: Miễn lệ phí');
    expect(reply).toContain('https://1022.example.vn/thu-tuc/1.001193');
  });
});
