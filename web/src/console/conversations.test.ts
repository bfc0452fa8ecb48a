import { describe, expect, it } from 'vitest';
import { lineHtml, transcriptHtml } from './conversations';

describe('the console conversations', () => {
  const c = { id: 'c1', channel: 'zalo', sender: 'zuser-42', state: 'waiting' as const, handover_reason: 'asked for a person',
    started_at: '2026-12-05T01:00:00Z', updated_at: '2026-12-05T01:02:00Z', turns: 2 };

  it('lists a waiting conversation with its channel, sender and why it was handed over', () => {
    const html = lineHtml(c, 'operator');
    expect(html).toContain('Zalo · zuser-42');
    expect(html).toContain('asked for a person');
    expect(html).toContain('data-conv="c1"');
    expect(lineHtml({ ...c, state: 'human', operator: 'operator' }, 'operator')).toContain('bạn đang trả lời');
    expect(lineHtml({ ...c, channel: 'portal', sender: 'portal:0192' }, 'x')).toContain('Cổng · khách');
  });

  it('shows the transcript escaped, each turn by its speaker', () => {
    const html = transcriptHtml([
      { n: 1, speaker: 'citizen', text: 'gặp <nhân viên>', at: '2026-12-05T01:00:00Z' },
      { n: 2, speaker: 'operator', text: 'Chào anh', operator: 'Lan', at: '2026-12-05T01:01:00Z' },
    ]);
    expect(html).toContain('gặp &#60;nhân viên&#62;');
    expect(html).toContain('class="turn operator"');
    expect(html).toContain('Lan');
  });
});
