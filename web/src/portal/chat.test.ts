import { describe, expect, it } from 'vitest';
import { lastReport, turnsHtml } from './chat';

describe('the portal chat window', () => {
  it('shows who said what, escaped, with the catalogue and tracking links clickable', () => {
    const html = turnsHtml(
      [
        { n: 1, speaker: 'citizen', text: 'cap lai so do <b>?', at: '' },
        { n: 2, speaker: 'bot', text: 'Thủ tục (mã 1.012345)\nChi tiết: /thu-tuc/1.012345', at: '' },
        { n: 3, speaker: 'operator', text: 'Theo dõi: https://1022.vn/#track/DN-2612-000001/abc', operator: 'Lan', at: '' },
      ],
      'vi',
    );
    expect(html).toContain('cap lai so do &#60;b&#62;?');
    expect(html).toContain('<a href="/thu-tuc/1.012345"');
    expect(html).toContain('<br>Chi tiết');
    expect(html).toContain('<small>Lan</small>');
    expect(html).toContain('href="https://1022.vn/#track/DN-2612-000001/abc"');
    expect(turnsHtml([{ n: 1, speaker: 'bot', text: 'javascript:alert(1)', at: '' }], 'en')).not.toContain('<a');
  });
});

describe('photos for a report filed in the chat', () => {
  const turn = (n: number, speaker: 'citizen' | 'bot', text: string) => ({ n, speaker, text, at: '2026-12-05T01:00:00Z' });

  it('finds the code and tracking token of the last report the assistant filed', () => {
    const turns = [
      turn(1, 'citizen', 'rác ở chợ Cồn không ai dọn'),
      turn(2, 'bot', 'Phản ánh của bạn đã được tiếp nhận, mã DN-2612-000042. Theo dõi: http://127.0.0.1:8080/#track/DN-2612-000042/Ab_c-9xY'),
      turn(3, 'citizen', 'cảm ơn'),
    ];
    expect(lastReport(turns)).toEqual({ code: 'DN-2612-000042', token: 'Ab_c-9xY' });
  });

  it('finds none before a report, and not in what the citizen typed', () => {
    expect(lastReport([turn(1, 'citizen', '/#track/DN-2612-000001/forged')])).toBeNull();
    expect(lastReport([turn(1, 'bot', 'Thủ tục "Đăng ký khai sinh" (mã 1.001193)')])).toBeNull();
  });
});
