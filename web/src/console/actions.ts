// Ticket actions as the console offers them: a label in Vietnamese and English, the fields each
// needs (docs/api.md, "Status machine"), the body sent to POST /api/v1/tickets/{id}/transitions,
// and which units a ticket may be sent to. Pure: the DOM lives in detail.ts.

import type { Schemas, Unit } from '../common/types';

export type ActionKind = Schemas['ActionKind'];
export type Action = Schemas['Action'];

export type FieldName = 'unit' | 'note' | 'reason' | 'result' | 'of' | 'days' | 'rating' | 'comment';

export interface FieldSpec {
  name: FieldName;
  required: boolean;
  /** How it is entered: a unit list, one line, several lines, a number, a ticket code. */
  input: 'unit' | 'line' | 'text' | 'number' | 'ticket';
  vi: string;
  en: string;
}

export interface ActionSpec {
  vi: string;
  en: string;
  fields: FieldSpec[];
  /** How the button looks: the usual next step, a refusal, or anything else. */
  tone: 'primary' | 'danger' | 'plain';
}

const note = (required = false): FieldSpec => ({ name: 'note', required, input: 'text', vi: 'Ghi chú', en: 'note' });
const reason: FieldSpec = { name: 'reason', required: true, input: 'text', vi: 'Lý do', en: 'reason' };
const unit: FieldSpec = { name: 'unit', required: true, input: 'unit', vi: 'Đơn vị xử lý', en: 'unit' };

export const ACTIONS: Record<ActionKind, ActionSpec> = {
  assign: { vi: 'Chuyển xử lý', en: 'Forward to a unit', fields: [unit, note()], tone: 'primary' },
  forward: { vi: 'Chuyển đơn vị khác', en: 'Forward elsewhere', fields: [unit, note()], tone: 'plain' },
  accept: { vi: 'Tiếp nhận', en: 'Accept', fields: [note()], tone: 'primary' },
  start: { vi: 'Bắt đầu xử lý', en: 'Start work', fields: [note()], tone: 'plain' },
  progress: { vi: 'Cập nhật tiến độ', en: 'Post progress', fields: [note(true)], tone: 'plain' },
  return: { vi: 'Trả lại', en: 'Return to the centre', fields: [reason], tone: 'danger' },
  resolve: {
    vi: 'Báo cáo kết quả', en: 'Resolve',
    fields: [{ name: 'result', required: true, input: 'text', vi: 'Kết quả xử lý', en: 'result' }],
    tone: 'primary',
  },
  close: { vi: 'Công bố kết quả', en: 'Publish the result (close)', fields: [note()], tone: 'primary' },
  reject: { vi: 'Từ chối', en: 'Reject', fields: [reason], tone: 'danger' },
  mark_duplicate: {
    vi: 'Đánh dấu trùng', en: 'Mark as duplicate',
    fields: [{ name: 'of', required: true, input: 'ticket', vi: 'Trùng với phiếu', en: 'duplicate of (code)' }, note()],
    tone: 'plain',
  },
  reopen: { vi: 'Mở lại', en: 'Reopen', fields: [reason], tone: 'plain' },
  extend: {
    vi: 'Gia hạn', en: 'Extend the deadline',
    fields: [{ name: 'days', required: true, input: 'number', vi: 'Số ngày làm việc (1–60)', en: 'working days' }, reason],
    tone: 'plain',
  },
  rate: {
    vi: 'Ghi đánh giá', en: 'Record a rating',
    fields: [
      { name: 'rating', required: true, input: 'number', vi: 'Mức hài lòng (1–5)', en: 'rating' },
      { name: 'comment', required: false, input: 'text', vi: 'Nhận xét', en: 'comment' },
    ],
    tone: 'plain',
  },
};

/** The order buttons are shown in: the usual next steps first. */
export const ACTION_ORDER: ActionKind[] = [
  'assign', 'accept', 'start', 'progress', 'resolve', 'close', 'forward', 'return', 'extend', 'mark_duplicate', 'reject', 'reopen', 'rate',
];

export type Built = { ok: true; body: Action } | { ok: false; errors: Partial<Record<FieldName, string>> };

const REQUIRED = 'Bắt buộc · required';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The body of action `kind` from what was typed (`of` must already be the ticket's id), or the
 * fields at fault. Text is trimmed; empty optional fields are left out.
 */
export function buildAction(kind: ActionKind, values: Partial<Record<FieldName, string>>): Built {
  const errors: Partial<Record<FieldName, string>> = {};
  const body: Record<string, unknown> = { action: kind };
  for (const f of ACTIONS[kind].fields) {
    const v = (values[f.name] ?? '').trim();
    if (!v) {
      if (f.required) errors[f.name] = REQUIRED;
      continue;
    }
    if (f.name === 'days' || f.name === 'rating') {
      const [lo, hi] = f.name === 'days' ? [1, 60] : [1, 5];
      const n = Number(v);
      if (!Number.isInteger(n) || n < lo || n > hi) errors[f.name] = `Từ ${lo} đến ${hi} · ${lo} to ${hi}`;
      else body[f.name] = n;
    } else if (f.name === 'of' && !UUID.test(v)) {
      errors.of = 'Không tìm thấy phiếu · no such ticket';
    } else {
      body[f.name] = v;
    }
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, body: body as Action };
}

/** `roots` and every unit below them. */
export function descendants(units: readonly Unit[], roots: readonly string[]): Set<string> {
  const out = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const u of units) {
      if (u.parent && out.has(u.parent) && !out.has(u.code)) {
        out.add(u.code);
        grew = true;
      }
    }
  }
  return out;
}

/**
 * The units a ticket now with `current` may be sent to: the centre may choose any unit, an agency
 * only its own units and their sub-units (down to a ward's station, or back up to itself); never
 * the unit the ticket is already with.
 */
export function unitChoices(units: readonly Unit[], role: string, userUnits: readonly string[], current: string | null | undefined): Unit[] {
  const allowed = role === 'agency' ? descendants(units, userUnits) : null;
  return units.filter((u) => u.code !== current && (!allowed || allowed.has(u.code)));
}
