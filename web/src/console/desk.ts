// The hotline desk beside the call form: the operator's extension (máy lẻ), the screen pop of
// the call the phone system puts through to it — the caller's earlier tickets, inquiries and
// callbacks, found by the server from the number — and the inquiry form, for the many calls that
// are questions, not problems: recorded without a ticket, with the answer given and the outcome
// (answered, transferred, callback, appointment, ticket filed). When the call ends, its length
// and recording fill in (the server fills the saved inquiry too).

import { $, esc } from '../common/dom';
import { ApiError, get, send } from '../common/http';
import { bi } from '../common/i18n';
import { STATUS_LABELS } from '../common/status';
import type { Schemas } from '../common/types';
import { clock, formatDuration, parseDuration } from './format';
import { localInput, toast } from './util';

export type PbxCall = Schemas['PbxCall'];
export type PoppedCall = Schemas['PoppedCall'];
export type ScreenPop = Schemas['ScreenPop'];
export type InquiryInput = Schemas['InquiryInput'];

/** How long the console waits in one request for a call to change (the server's limit is 25 s). */
const WAIT_S = 25;

const STATE: Record<PbxCall['state'], [string, string]> = {
  ringing: ['Đang đổ chuông', 'ringing'],
  answered: ['Đang nghe máy', 'on the line'],
  ended: ['Đã kết thúc', 'ended'],
  missed: ['Cuộc gọi nhỡ', 'missed'],
};

const OUTCOME: Record<string, [string, string]> = {
  answered: ['Đã trả lời', 'answered'],
  transferred: ['Chuyển phòng ban', 'transferred'],
  callback: ['Cần gọi lại', 'callback'],
  appointment: ['Cần đặt lịch hẹn', 'appointment'],
  ticket_filed: ['Đã tạo phiếu', 'ticket filed'],
};

/** The screen pop of one call: who calls, what the centre knows of them. */
export function popHtml(p: PoppedCall, now: Date): string {
  const [vi, en] = STATE[p.state];
  const since = p.answered_at ?? p.ringing_at;
  const length = p.duration_seconds ?? (since && p.state === 'answered' ? (now.getTime() - Date.parse(since)) / 1000 : null);
  const h = p.history;
  const tickets = h.tickets
    .map((t) => `<li><button type="button" class="link" data-ticket="${esc(t.id)}">${esc(t.code)}</button>
      ${esc(STATUS_LABELS[t.status]?.vi ?? t.status)}${t.overdue ? ` <b class="late">${bi('quá hạn', 'overdue')}</b>` : ''}
      <small>${esc(clock(t.received_at))} · ${esc(t.category_name)} · ${esc(t.description)}</small></li>`)
    .join('');
  const inquiries = h.inquiries
    .map((q) => `<li>${esc(clock(q.call.started_at))} · ${esc(q.topic)} <small>${esc((OUTCOME[q.outcome] ?? [q.outcome])[0])}${q.procedure ? ` · ${esc(q.procedure)}` : ''}</small></li>`)
    .join('');
  const callbacks = h.callbacks
    .map((c) => `<li>${bi('Còn nợ cuộc gọi lại', 'a callback is owed')}: ${esc(c.reason)} <small>${esc(clock(c.due_at))}</small></li>`)
    .join('');
  const empty = !tickets && !inquiries && !callbacks;
  return `<header><b class="state ${p.state}">${esc(vi)} <span class="en">${esc(en)}</span></b>
      <span class="caller">${esc(p.caller_phone ?? bi('số ẩn', 'withheld'))}</span>
      ${length !== null ? `<span class="len">${esc(formatDuration(length))}</span>` : ''}
      ${p.recording_ref ? `<small>${bi('ghi âm', 'recording')}: ${esc(p.recording_ref)}</small>` : ''}</header>
    ${empty ? `<p class="muted">${bi('Người gọi lần đầu', 'a first-time caller')}</p>` : ''}
    ${tickets ? `<h4>${bi('Phiếu trước đây', 'earlier tickets')}</h4><ol class="hist-tickets">${tickets}</ol>` : ''}
    ${inquiries ? `<h4>${bi('Câu hỏi trước đây', 'earlier questions')}</h4><ol>${inquiries}</ol>` : ''}
    ${callbacks ? `<ol class="owed">${callbacks}</ol>` : ''}
    <p class="buttons"><button type="button" class="primary" data-pop="inquiry">${bi('Ghi câu hỏi', 'record a question')}</button>
      <button type="button" data-pop="ticket">${bi('Tạo phiếu phản ánh', 'file a ticket')}</button>
      <button type="button" data-pop="close" class="small" aria-label="Ẩn · hide">✕</button></p>`;
}

/** The inquiry form's values as the API's input; `errors` names what the operator must fix first. */
export function inquiryInput(v: Record<string, string>): { input: InquiryInput; errors: Record<string, string> } {
  const t = (k: string) => (v[k] ?? '').trim() || null;
  const errors: Record<string, string> = {};
  const typed = t('duration');
  const duration = typed ? parseDuration(typed) : null;
  if (typed && duration === null) errors.duration_seconds = 'Dạng phút:giây, ví dụ 3:05 · m:ss';
  const outcome = (t('outcome') ?? 'answered') as InquiryInput['outcome'];
  const due = t('callback_due');
  const input: InquiryInput = {
    call_id: t('call_id'),
    started_at: t('started_at') ? new Date(t('started_at')!).toISOString() : null,
    duration_seconds: duration,
    recording_ref: t('recording'),
    caller_name: t('caller_name'),
    caller_phone: t('caller_phone'),
    topic: t('topic'),
    procedure: t('procedure'),
    answer: t('answer'),
    outcome,
    transferred_to: outcome === 'transferred' ? t('transferred_to') : null,
    ticket: outcome === 'ticket_filed' ? t('ticket') : null,
    callback_due: outcome === 'callback' && due ? new Date(due).toISOString() : null,
    callback_reason: outcome === 'callback' ? t('callback_reason') : null,
  };
  return { input, errors };
}

/** Where a server error about each field is shown in the inquiry form. */
const FIELD_INPUT: Record<string, string> = { duration_seconds: 'duration', recording_ref: 'recording', started_at: 'started_at' };

export interface Desk {
  /** Opens the inquiry form (F7). */
  focusInquiry(): void;
}

export function setupDesk(deps: { openTicket(id: string): void; onSaved?(): void }): Desk {
  const pop = $('callpop');
  const extForm = $<HTMLFormElement>('ext-form');
  const box = $<HTMLDetailsElement>('inquiry-box');
  const form = $<HTMLFormElement>('inquiry-form');
  const callForm = $<HTMLFormElement>('call-form');
  const field = (f: HTMLFormElement, name: string) => f.elements.namedItem(name) as HTMLInputElement | null;
  let shown: PoppedCall | null = null;
  let hidden = '';
  let key = crypto.randomUUID();

  // ---- the extension ----------------------------------------------------------------------------
  const ext = field(extForm, 'extension')!;
  void get<{ extension?: string | null }>('/api/v1/desk/extension').then((r) => (ext.value = r.extension ?? ''));
  extForm.addEventListener('submit', (e) => {
    e.preventDefault();
    send<{ extension?: string | null }>('PUT', '/api/v1/desk/extension', { extension: ext.value.trim() || null })
      .then((r) => toast(r.extension ? `${bi('Đang trực máy lẻ', 'on extension')} ${esc(r.extension)}` : bi('Đã rời máy lẻ', 'off the extension')))
      .catch((err) => toast(esc(err instanceof Error ? err.message : err)));
  });
  ext.addEventListener('change', () => extForm.requestSubmit());

  // ---- the screen pop ---------------------------------------------------------------------------
  const draw = () => {
    pop.hidden = !shown || hidden === `${shown.call_id}:${shown.state}`;
    if (!shown || pop.hidden) return;
    pop.dataset.state = shown.state;
    pop.innerHTML = popHtml(shown, new Date());
  };
  const show = (p: ScreenPop) => {
    const latest = p.calls[0] ?? null;
    const before = shown;
    shown = latest;
    if (latest && latest.state === 'answered' && (before?.call_id !== latest.call_id || before.state !== 'answered')) {
      toast(`${bi('Cuộc gọi đến', 'incoming call')}: ${esc(latest.caller_phone ?? '')}`);
    }
    // The call ended: its length and recording go into the forms taking it.
    if (latest && latest.state === 'ended') {
      for (const f of [form, callForm]) {
        if (field(f, 'call_id')?.value !== latest.call_id) continue;
        const d = field(f, 'duration');
        const r = field(f, 'recording');
        if (d && latest.duration_seconds != null) d.value = formatDuration(latest.duration_seconds);
        if (r && latest.recording_ref && !r.value) r.value = latest.recording_ref;
      }
    }
    draw();
  };
  const poll = async () => {
    let after = '';
    for (;;) {
      try {
        const q = after ? `?after=${encodeURIComponent(after)}&wait=${WAIT_S}` : '';
        const p = await get<ScreenPop>(`/api/v1/desk/calls${q}`);
        after = p.revision ?? '1970-01-01T00:00:00Z';
        show(p);
      } catch {
        await new Promise((r) => setTimeout(r, 3000));
      }
    }
  };
  void poll();
  setInterval(draw, 1000);

  const fill = (f: HTMLFormElement, values: Record<string, string | null | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      const input = field(f, k);
      if (input && v != null && !input.value) input.value = v;
    }
  };
  pop.addEventListener('click', (e) => {
    const target = e.target as HTMLElement;
    const t = target.closest<HTMLElement>('[data-ticket]');
    if (t) return deps.openTicket(t.dataset.ticket!);
    const act = target.closest<HTMLElement>('[data-pop]')?.dataset.pop;
    if (!act || !shown) return;
    const started = shown.ringing_at ?? shown.answered_at;
    const values = { call_id: shown.call_id, started_at: started ? localInput(new Date(started)) : null };
    if (act === 'inquiry') {
      fill(form, { ...values, caller_phone: shown.caller_phone });
      box.open = true;
      field(form, 'topic')?.focus();
    } else if (act === 'ticket') {
      fill(callForm, { ...values, phone: shown.caller_phone });
      field(callForm, 'name')?.focus();
    } else if (act === 'close') {
      hidden = `${shown.call_id}:${shown.state}`;
      draw();
    }
  });

  // ---- the inquiry form ------------------------------------------------------------------------
  const outcome = field(form, 'outcome') as unknown as HTMLSelectElement;
  const showOutcome = () => {
    form.querySelectorAll<HTMLElement>('[data-for]').forEach((el) => (el.hidden = el.dataset.for !== outcome.value));
  };
  outcome.addEventListener('change', showOutcome);
  showOutcome();
  const errorBox = form.querySelector<HTMLElement>('.error')!;
  const clearErrors = () => {
    form.querySelectorAll('.err').forEach((x) => x.remove());
    form.querySelectorAll('[aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
    errorBox.textContent = '';
  };
  const showErrors = (errors: Record<string, string>) => {
    for (const [name, message] of Object.entries(errors)) {
      const input = field(form, FIELD_INPUT[name] ?? name);
      if (!input || input.type === 'hidden') {
        errorBox.textContent += `${name}: ${message} `;
        continue;
      }
      input.setAttribute('aria-invalid', 'true');
      const small = document.createElement('small');
      small.className = 'err';
      small.textContent = message;
      input.closest('label')?.append(small);
    }
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    const values = Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v)]));
    const { input, errors } = inquiryInput(values);
    if (Object.keys(errors).length) return showErrors(errors);
    try {
      const saved = await send<Schemas['RecordedInquiry']>('POST', '/api/v1/inquiries', input, { 'idempotency-key': key });
      toast(`${bi('Đã lưu câu hỏi', 'question saved')}${saved.callback ? ` · ${bi('đã thêm vào danh sách gọi lại', 'added to the callbacks')}` : ''}`);
      form.reset();
      for (const hiddenInput of ['call_id', 'started_at']) field(form, hiddenInput)!.value = '';
      showOutcome();
      key = crypto.randomUUID();
      deps.onSaved?.();
    } catch (err) {
      if (err instanceof ApiError && err.errors.length) showErrors(Object.fromEntries(err.errors.map((x) => [x.field, x.message])));
      else errorBox.textContent = `${bi('Chưa lưu được, hãy thử lại', 'not saved, try again')}: ${err instanceof Error ? err.message : err}`;
    }
  });
  // The procedures panel's "use for the question" (procedures.ts).
  document.addEventListener('procedure-picked', (e) => {
    const d = (e as CustomEvent<{ code: string; name: string }>).detail;
    field(form, 'procedure')!.value = d.code;
    const topic = field(form, 'topic')!;
    if (!topic.value) topic.value = d.name;
    box.open = true;
  });
  return {
    focusInquiry: () => {
      box.open = true;
      field(form, 'topic')?.focus();
    },
  };
}
