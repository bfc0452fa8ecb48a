// The unit desk's “Chỉ đạo cần xử lý” list: the leaders' directions to the unit (and its
// sub-units) not yet reported on, overdue first, each with “Đã nhận” (acknowledge) and “Báo cáo”
// (report back, in a small form with a text). Directions come by no live feed: the list is
// refetched every half minute, after each action, and on its refresh button.

import { $, esc } from '../common/dom';
import { ApiError } from '../common/http';
import { bi } from '../common/i18n';
import * as api from './api';
import { actionsFor, dueDay, reportBody, toActOn, type DirectionView } from './directions';
import { clock } from './format';
import { toast } from './util';

const REFRESH_MS = 30_000;

export interface DirectionsDeps {
  unitName(code: string | null | undefined): string;
  areaName(code: string): string;
  fieldName(code: string): string;
  openTicket(id: string): void;
}

const STATUS: Record<string, [string, string]> = {
  open: ['Chưa nhận', 'not acknowledged'],
  acknowledged: ['Đã nhận', 'acknowledged'],
  reported: ['Đã báo cáo', 'reported'],
};

export function setupDirections(deps: DirectionsDeps) {
  const box = $('directions');
  const list = $('d-list');
  let items: DirectionView[] = [];
  /** The direction whose report form is open (kept across a refetch, with what was typed). */
  let reporting: string | null = null;
  let draft = '';

  function itemHtml(d: DirectionView): string {
    const can = actionsFor(d);
    const [vi, en] = STATUS[d.status] ?? [d.status, ''];
    const who = (s: string | null | undefined) => esc((s ?? '').replace(/^user:/, ''));
    const about = d.ticket
      ? `${bi('Phiếu', 'ticket')} <a href="#" data-open="${esc(d.ticket)}">${esc(d.ticket_code ?? d.ticket)}</a>`
      : esc([d.area ? deps.areaName(d.area) : 'Toàn thành phố', d.field ? deps.fieldName(d.field) : ''].filter(Boolean).join(' · '));
    const form = reporting === d.id
      ? `<form class="d-report" data-id="${esc(d.id)}" novalidate>
          <label>${bi('Báo cáo kết quả thực hiện', 'report back: what was done')}<textarea name="report" rows="3" maxlength="2000">${esc(draft)}</textarea></label>
          <small class="err" hidden></small>
          <div class="buttons"><button type="submit" class="primary">${bi('Gửi báo cáo', 'send')} <kbd>Ctrl+Enter</kbd></button>
          <button type="button" class="d-cancel">${bi('Hủy', 'cancel')}</button></div></form>`
      : '';
    return `<li data-id="${esc(d.id)}" data-status="${esc(d.status)}" class="${d.overdue ? 'overdue' : ''}">
      <div class="l1"><span class="dst dst-${esc(d.status)}">${bi(vi, en)}</span> <b>${esc(deps.unitName(d.unit))}</b>
        <span class="due">${bi('Hạn', 'due')} ${esc(dueDay(d.due_at))}${d.overdue ? ` · ${bi('quá hạn', 'overdue')}` : ''}</span></div>
      <p class="text">${esc(d.text)}</p>
      <div class="l3">${about} · ${bi('giao', 'issued')} ${esc(clock(d.issued_at))} — ${who(d.issued_by)}${d.acknowledged_at ? ` · ${bi('đã nhận', 'acknowledged')} ${esc(clock(d.acknowledged_at))}` : ''}</div>
      <div class="d-actions">${can.acknowledge ? `<button type="button" class="primary" data-ack="${esc(d.id)}">${bi('Đã nhận', 'acknowledge')}</button>` : ''}
        ${can.report ? `<button type="button" data-report="${esc(d.id)}" aria-pressed="${reporting === d.id}">${bi('Báo cáo', 'report back')}</button>` : ''}</div>
      ${form}</li>`;
  }

  function render(): void {
    box.hidden = false;
    $('d-count').textContent = String(items.length);
    $('d-count').classList.toggle('bad', items.some((d) => d.overdue));
    list.innerHTML = items.length ? items.map(itemHtml).join('') : `<li class="empty">${bi('Không có chỉ đạo nào cần xử lý', 'no directions to act on')}</li>`;
    const f = list.querySelector<HTMLFormElement>('form.d-report');
    if (f) {
      const ta = f.querySelector('textarea')!;
      ta.addEventListener('input', () => (draft = ta.value));
      f.addEventListener('submit', (e) => {
        e.preventDefault();
        void report(f);
      });
      f.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          void report(f);
        } else if (e.key === 'Escape') {
          e.preventDefault();
          close();
        }
      });
    }
  }

  async function load(): Promise<void> {
    try {
      items = toActOn(await api.directionsToActOn());
      // A form for a direction that is gone (reported elsewhere) closes.
      if (reporting && !items.some((d) => d.id === reporting)) close(false);
      render();
    } catch (e) {
      // An older server, or a role that reads none: the desk works without the list.
      if (e instanceof ApiError && (e.status === 403 || e.status === 404)) box.hidden = true;
    }
    document.body.dataset.directions = String(Number(document.body.dataset.directions ?? 0) + 1);
  }

  function close(redraw = true): void {
    reporting = null;
    draft = '';
    if (redraw) render();
  }

  /** Shows what went wrong: a 409 (someone answered meanwhile) reloads the list. */
  async function failed(e: unknown, what: string): Promise<void> {
    if (e instanceof ApiError && e.status === 409) {
      toast(bi('Chỉ đạo đã được trả lời trước đó — đã tải lại', 'already answered: reloaded'));
      close(false);
      await load();
    } else toast(`${what}: ${esc(e instanceof Error ? e.message : String(e))}`);
  }

  async function acknowledge(id: string, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      const d = await api.acknowledgeDirection(id);
      items = toActOn(items.map((x) => (x.id === d.id ? d : x)));
      render();
      toast(`${bi('Đã nhận chỉ đạo', 'direction acknowledged')} ✓`);
    } catch (e) {
      button.disabled = false;
      await failed(e, bi('Chưa xác nhận được', 'not acknowledged'));
    }
  }

  async function report(f: HTMLFormElement): Promise<void> {
    if (f.getAttribute('aria-busy')) return;
    const id = f.dataset.id!;
    const err = f.querySelector<HTMLElement>('.err')!;
    const ta = f.querySelector('textarea')!;
    const built = reportBody(ta.value);
    if (!built.ok) {
      err.hidden = false;
      err.innerHTML = bi(built.error.vi, built.error.en);
      ta.setAttribute('aria-invalid', 'true');
      ta.focus();
      return;
    }
    f.setAttribute('aria-busy', 'true');
    try {
      await api.reportDirection(id, built.body);
      items = items.filter((x) => x.id !== id);
      close();
      toast(`${bi('Đã báo cáo kết quả chỉ đạo', 'reported back')} ✓`);
    } catch (e) {
      f.removeAttribute('aria-busy');
      if (e instanceof ApiError && e.field('report')) {
        err.hidden = false;
        err.textContent = e.field('report')!;
        ta.setAttribute('aria-invalid', 'true');
      } else await failed(e, bi('Chưa gửi được báo cáo', 'report not sent'));
    }
  }

  list.addEventListener('click', (e) => {
    const t = e.target as HTMLElement;
    const ack = t.closest<HTMLButtonElement>('[data-ack]');
    if (ack) return void acknowledge(ack.dataset.ack!, ack);
    const rep = t.closest<HTMLElement>('[data-report]');
    if (rep) {
      if (reporting === rep.dataset.report) close();
      else {
        reporting = rep.dataset.report!;
        draft = '';
        render();
        list.querySelector<HTMLTextAreaElement>('form.d-report textarea')?.focus();
      }
      return;
    }
    if (t.closest('.d-cancel')) return close();
    const open = t.closest<HTMLElement>('[data-open]');
    if (open) {
      e.preventDefault();
      deps.openTicket(open.dataset.open!);
    }
  });
  $('d-refresh').addEventListener('click', () => void load());
  setInterval(() => {
    // Not while a report is being typed: the redraw would keep the text, but not the caret.
    if (!reporting) void load();
  }, REFRESH_MS);

  return { load };
}
