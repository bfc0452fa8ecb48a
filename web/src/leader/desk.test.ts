import { describe, expect, it } from 'vitest';
import { deskHtml, type DeskFigures } from './desk';

const f: DeskFigures = {
  from: '2026-11-06', to: '2026-12-05', inquiries: 4,
  by_outcome: [{ name: 'answered', count: 3 }, { name: 'callback', count: 1 }],
  by_field: [{ name: 'Hộ tịch', count: 3 }, { name: '', count: 1 }],
  by_hour: Array.from({ length: 24 }, (_, h) => (h === 9 ? 3 : h === 14 ? 1 : 0)),
  mean_duration_seconds: 185, calls_answered: 10, calls_missed: 2, callbacks: 3, callbacks_from_missed_calls: 2,
  callbacks_done: 2, callbacks_done_on_time: 1, callbacks_cancelled: 0, callbacks_open: 1, callbacks_overdue: 1,
  median_minutes_to_callback: 45,
};

describe('the hotline desk on the leaders page', () => {
  it('shows the counts, shares and the busiest hour, in Vietnamese and in English', () => {
    const vi = deskHtml(f, 'vi');
    expect(vi).toContain('Cuộc gọi hỏi đáp');
    expect(vi).toContain('3:05');
    expect(vi).toContain('Đã trả lời');
    expect(vi).toContain('3 (75%)');
    expect(vi).toContain('Không gắn thủ tục');
    expect(vi).toContain('45 phút');
    expect(vi).toContain('height:100%" title="9:00 — 3"');
    expect(deskHtml(f, 'en')).toContain('Missed calls');
  });

  it('says when there were no inquiry calls', () => {
    expect(deskHtml({ ...f, inquiries: 0, by_outcome: [], by_field: [] }, 'vi')).toContain('Chưa có cuộc gọi hỏi đáp');
  });
});
