// The callback list (cần gọi lại): callers the centre owes a call — missed calls, and questions
// that needed an answer later — soonest due first, the overdue ones marked. An operator takes
// one, calls, and marks it done or "not reached" (tried again in an hour). Polled every few
// seconds; the server refuses a callback someone else has taken or changed meanwhile.

import { esc } from '../common/dom';
import { get, send } from '../common/http';
import { bi } from '../common/i18n';
import type { Schemas } from '../common/types';
import { clock } from './format';

export type Callback = Schemas['Callback'];

const POLL_MS = 10_000;

/** One callback in the list, with the buttons its state allows this operator. */
export function callbackHtml(c: Callback, me: string, now: Date): string {
  const overdue = Date.parse(c.due_at) < now.getTime();
  const mine = c.owner === me;
  const source = c.source === 'missed_call' ? bi('Cuộc gọi nhỡ', 'missed call') : esc(c.reason);
  const more = c.missed_calls > 0 ? ` · ${bi(`gọi nhỡ thêm ${c.missed_calls} lần`, `${c.missed_calls} more missed`)}` : '';
  const tries = c.attempts > 0 ? ` · ${bi(`đã gọi ${c.attempts} lần`, `${c.attempts} tries`)}` : '';
  const buttons = c.owner && !mine
    ? `<small>${esc(c.owner)}</small>`
    : `${mine ? '' : `<button type="button" class="small" data-cb="take">${bi('Nhận', 'take')}</button>`}
       <button type="button" class="small" data-cb="attempt">${bi('Không liên lạc được', 'not reached')}</button>
       <button type="button" class="small primary" data-cb="done">${bi('Đã gọi lại', 'done')}</button>`;
  return `<li class="cb${overdue ? ' overdue' : ''}" data-id="${esc(c.id)}" data-version="${c.version}">
    <a href="tel:${esc(c.caller_phone)}"><b>${esc(c.caller_phone)}</b></a>${c.caller_name ? ` ${esc(c.caller_name)}` : ''}
    <small>${source}${more}${tries}</small>
    <small class="due">${overdue ? `<b class="late">${bi('quá hạn', 'overdue')}</b> ` : ''}${bi('hạn', 'due')} ${esc(clock(c.due_at))}</small>
    ${c.note ? `<small>${esc(c.note)}</small>` : ''}
    <span class="buttons">${buttons}</span></li>`;
}

export function setupCallbacks(root: HTMLElement, me: string, toast: (html: string) => void): { load(): Promise<void> } {
  const list = root.querySelector<HTMLOListElement>('ol')!;
  const count = root.querySelector<HTMLElement>('.n')!;
  const load = async () => {
    const open = await get<Callback[]>('/api/v1/callbacks?limit=100');
    count.textContent = String(open.length);
    const now = new Date();
    list.innerHTML = open.length
      ? open.map((c) => callbackHtml(c, me, now)).join('')
      : `<li class="muted">${bi('Không có ai cần gọi lại', 'nobody to call back')}</li>`;
  };
  root.addEventListener('click', async (e) => {
    const b = (e.target as HTMLElement).closest<HTMLElement>('[data-cb]');
    const li = b?.closest<HTMLElement>('li[data-id]');
    if (!b || !li) return;
    const action = b.dataset.cb!;
    try {
      await send('POST', `/api/v1/callbacks/${encodeURIComponent(li.dataset.id!)}/actions`, { action }, { 'if-match': `"v${li.dataset.version}"` });
    } catch (err) {
      toast(esc(err instanceof Error ? err.message : err));
    }
    await load().catch(() => undefined);
  });
  void load().catch(() => undefined);
  setInterval(() => void load().catch(() => undefined), POLL_MS);
  return { load };
}
