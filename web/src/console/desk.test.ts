import { describe, expect, it } from 'vitest';
import { callbackHtml, type Callback } from './callbacks';
import { inquiryInput, popHtml, type PoppedCall } from './desk';

const call: PoppedCall = {
  call_id: '1733389200.42', state: 'answered', caller_phone: '0905111222', extension: '101', operator: 'op',
  ringing_at: '2026-12-05T01:59:00Z', answered_at: '2026-12-05T02:00:00Z', ended_at: null, duration_seconds: null,
  recording_ref: null, updated_at: '2026-12-05T02:00:00Z',
  history: {
    tickets: [{ id: 't1', code: 'DN-2612-000042', status: 'in_progress', category: 'streetlight', category_name: 'Đèn chiếu sáng',
      received_at: '2026-11-28T03:00:00Z', deadline: '2026-12-01T03:00:00Z', overdue: true, description: 'Đèn đường hỏng', address: null }],
    inquiries: [],
    callbacks: [],
  },
};

describe('the screen pop', () => {
  it('shows the caller, how long the call has lasted and their earlier tickets, overdue ones marked', () => {
    const html = popHtml(call, new Date('2026-12-05T02:03:05Z'));
    expect(html).toContain('0905111222');
    expect(html).toContain('Đang nghe máy');
    expect(html).toContain('3:05');
    expect(html).toContain('data-ticket="t1"');
    expect(html).toContain('DN-2612-000042');
    expect(html).toContain('quá hạn');
    expect(html).not.toContain('Người gọi lần đầu');
  });

  it('says a caller is new, and a withheld number is withheld', () => {
    const html = popHtml({ ...call, caller_phone: null, state: 'ringing', history: { tickets: [], inquiries: [], callbacks: [] } }, new Date());
    expect(html).toContain('Người gọi lần đầu');
    expect(html).toContain('số ẩn');
    expect(html).toContain('Đang đổ chuông');
  });

  it('escapes what the phone system sends', () => {
    expect(popHtml({ ...call, recording_ref: '<img src=x onerror=alert(1)>' }, new Date())).not.toContain('<img');
  });
});

describe('the inquiry form', () => {
  const base = { topic: ' Hồ sơ khai sinh ', answer: 'Tờ khai, giấy chứng sinh', outcome: 'answered', duration: '3:05', call_id: '' };

  it('sends what the operator typed, trimmed, with the length in seconds', () => {
    const { input, errors } = inquiryInput(base);
    expect(errors).toEqual({});
    expect(input).toMatchObject({ topic: 'Hồ sơ khai sinh', duration_seconds: 185, outcome: 'answered', call_id: null, transferred_to: null });
  });

  it('sends only the fields of the chosen outcome', () => {
    const v = { ...base, outcome: 'callback', callback_due: '2026-12-05T14:00', callback_reason: 'Hỏi lại phòng TN-MT', transferred_to: 'Phòng TN-MT' };
    const { input } = inquiryInput(v);
    expect(input.callback_reason).toBe('Hỏi lại phòng TN-MT');
    expect(input.callback_due).toMatch(/^2026-12-05T\d\d:00:00.000Z$/);
    expect(input.transferred_to).toBeNull();
  });

  it('names a length that is not one', () => {
    expect(inquiryInput({ ...base, duration: 'ba phút' }).errors).toHaveProperty('duration_seconds');
  });
});

describe('the callback list', () => {
  const cb: Callback = {
    id: 'cb1', source: 'missed_call', inquiry: null, call_id: 'm-1', caller_name: null, caller_phone: '02363822123',
    reason: 'Cuộc gọi nhỡ / Missed call', due_at: '2026-12-05T04:00:00Z', owner: null, state: 'open', attempts: 0, missed_calls: 2,
    note: null, created_at: '2026-12-05T02:00:00Z', updated_at: '2026-12-05T02:00:00Z', closed_at: null, closed_by: null, version: 3,
  };

  it('marks an overdue callback and offers to take it', () => {
    const html = callbackHtml(cb, 'op', new Date('2026-12-05T05:00:00Z'));
    expect(html).toContain('class="cb overdue"');
    expect(html).toContain('data-cb="take"');
    expect(html).toContain('gọi nhỡ thêm 2 lần');
    expect(html).toContain('data-version="3"');
    expect(html).toContain('href="tel:02363822123"');
  });

  it('leaves another operators callback to them', () => {
    const html = callbackHtml({ ...cb, owner: 'op.lan' }, 'op', new Date('2026-12-05T03:00:00Z'));
    expect(html).not.toContain('data-cb=');
    expect(html).toContain('op.lan');
    expect(html).not.toContain('overdue');
    expect(callbackHtml({ ...cb, owner: 'op' }, 'op', new Date())).not.toContain('data-cb="take"');
  });
});
