import { describe, expect, it } from 'vitest';
import { turnsHtml } from './chat';

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
