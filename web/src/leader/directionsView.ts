// Directions (chỉ đạo) on the leaders' page: the panel of the directions in the viewer's scope
// (waiting — the overdue ones in red — overdue, and reported with the unit's report), and the
// small form a leader or an admin issues one with, from a unit's row of the league table or from a
// ticket's panel. The form POSTs, and shows each error the server names beside its field.
// Directions come by no live feed: the panel is refetched every half minute and after a change.

import { $, esc } from '../common/dom';
import { ApiError } from '../common/http';
import type { I18n } from '../common/i18n';
import * as api from './api';
import { FORM_FIELDS, comingThursday, directionBody, groups, upsert, vnToday, type DirectionView, type Target } from './directions';
import { fmtDay, fmtWhen } from './format';
import type { TEXTS, TextKey } from './texts';

type T = I18n<keyof typeof TEXTS>;
type Tab = 'waiting' | 'overdue' | 'reported';

export interface DirectionNames {
  i18n: T;
  unit(code: string | null | undefined): string;
  areaName(code: string | null): string;
  fieldName(code: string): string;
}

/** The day a due instant falls on in Vietnam, as the page writes dates. */
const dueDay = (iso: string, i18n: T) => fmtDay(vnToday(new Date(iso)), i18n.lang);

/** One direction as the panel lists it. */
export function directionHtml(d: DirectionView, n: DirectionNames): string {
  const { i18n } = n;
  const who = (s: string | null | undefined) => esc((s ?? '').replace(/^user:/, ''));
  const status = `<span class="dst dst-${esc(d.status)}">${esc(i18n.t(`dStatus_${d.status}` as TextKey))}</span>`;
  const due = `<span class="due${d.overdue ? ' bad' : ''}">${esc(i18n.t('dDue'))} ${esc(dueDay(d.due_at, i18n))}${d.overdue ? ` · <b>${esc(i18n.t('overdueShort'))}</b>` : ''}</span>`;
  const about = d.ticket
    ? `${esc(i18n.t('dTicket'))} <a href="#" data-ticket="${esc(d.ticket)}" data-unit="${esc(d.unit)}">${esc(d.ticket_code ?? d.ticket)}</a>`
    : [d.area ? n.areaName(d.area) : i18n.t('city'), d.field ? n.fieldName(d.field) : ''].filter(Boolean).map(esc).join(' · ');
  const ack = d.acknowledged_at
    ? `<div class="ack">${esc(i18n.t('dAcknowledged'))}: ${esc(fmtWhen(d.acknowledged_at, i18n.lang))} — ${who(d.acknowledged_by)}</div>`
    : '';
  const report = d.report
    ? `<blockquote class="report"><b>${esc(i18n.t('dReport'))}</b> <small>${esc(fmtWhen(d.reported_at, i18n.lang))} — ${who(d.reported_by)}</small><p>${esc(d.report)}</p></blockquote>`
    : '';
  return `<li data-id="${esc(d.id)}" data-unit="${esc(d.unit)}" data-status="${esc(d.status)}" class="${d.overdue ? 'overdue' : ''}">
    <div class="l1"><b class="unit">${esc(n.unit(d.unit))}</b> ${status} ${due}</div>
    <p class="text">${esc(d.text)}</p>
    <div class="l3">${about} · ${esc(i18n.t('dIssued'))} ${esc(fmtWhen(d.issued_at, i18n.lang))} — ${who(d.issued_by)}</div>${ack}${report}</li>`;
}

/** The panel: tabs with counts, the list of the chosen tab. */
export class DirectionsPanel {
  private all: DirectionView[] = [];
  private tab: Tab = 'waiting';
  private loaded = false;

  constructor(private readonly n: DirectionNames, private readonly openTicket: (ticket: string, unit: string) => void) {
    $('d-tabs').addEventListener('click', (e) => {
      const b = (e.target as HTMLElement).closest<HTMLElement>('[data-tab]');
      if (!b) return;
      this.tab = b.dataset.tab as Tab;
      this.render();
    });
    $('d-list').addEventListener('click', (e) => {
      const a = (e.target as HTMLElement).closest<HTMLElement>('a[data-ticket]');
      if (!a) return;
      e.preventDefault();
      this.openTicket(a.dataset.ticket!, a.dataset.unit!);
    });
    $('d-refresh').addEventListener('click', () => void this.load());
  }

  /** Fetches the directions again (an error leaves the list as it was, with the message). */
  async load(): Promise<void> {
    try {
      this.all = await api.directions();
      this.loaded = true;
      $('d-error').textContent = '';
    } catch (e) {
      $('d-error').textContent = `${this.n.i18n.t('error')}: ${e instanceof Error ? e.message : String(e)}`;
    }
    this.render();
    document.body.dataset.directions = String(Number(document.body.dataset.directions ?? 0) + 1);
  }

  /** A direction just issued (or changed): shown at once, without waiting for the next fetch. */
  put(d: DirectionView): void {
    this.all = upsert(this.all, d);
    if (d.status !== 'reported') this.tab = 'waiting';
    this.render();
  }

  render(): void {
    const { i18n } = this.n;
    const g = groups(this.all);
    const tabs: [Tab, TextKey, number][] = [['waiting', 'dWaiting', g.waiting.length], ['overdue', 'dOverdue', g.overdue.length], ['reported', 'dReported', g.reported.length]];
    $('d-tabs').innerHTML = tabs
      .map(([t, label, count]) => `<button type="button" role="tab" data-tab="${t}" aria-selected="${t === this.tab}" class="${t === 'overdue' && count ? 'bad' : ''}">${esc(i18n.t(label))} <span class="n">${count}</span></button>`)
      .join('');
    const items = g[this.tab];
    $('d-list').innerHTML = items.length
      ? items.map((d) => directionHtml(d, this.n)).join('')
      : `<li class="empty">${esc(this.loaded ? i18n.t('dNone') : i18n.t('loading'))}</li>`;
  }
}

/** What the form needs to know of where the viewer stands. */
export interface DialogPlace {
  /** The area a backlog direction is given in: fixed (the place shown), a choice (a leader of several areas at the top), or none (an admin: the city). */
  area: string | null;
  areaChoices: string[];
  /** The field filtered on, if exactly one. */
  field: string | null;
  fields: { code: string; name: string }[];
}

/** The form in its `<dialog>`: one direction at a time. */
export class DirectionDialog {
  private target: Target | null = null;
  private readonly dialog = $<HTMLDialogElement>('direct-dialog');
  private readonly form = $<HTMLFormElement>('direct-form');

  constructor(private readonly n: DirectionNames, private readonly onIssued: (d: DirectionView, target: Target) => void) {
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submit();
    });
    this.form.querySelector('.cancel')!.addEventListener('click', () => this.dialog.close());
  }

  private input<E extends HTMLElement = HTMLInputElement>(name: string): E {
    return this.form.elements.namedItem(name) as unknown as E;
  }

  /** Opens the form for `target`, the due date on the coming Thursday. */
  open(target: Target, place: DialogPlace, now = new Date()): void {
    const { i18n } = this.n;
    this.target = target;
    this.clearErrors();
    const unit = target.unit ? this.n.unit(target.unit) : '—';
    $('direct-title').textContent = i18n.t(target.kind === 'ticket' ? 'directTicket' : 'directUnit');
    $('direct-target').innerHTML =
      target.kind === 'ticket'
        ? `<b>${esc(target.code)}</b> · ${esc(i18n.t('dUnit'))}: <b>${esc(unit)}</b>`
        : `${esc(i18n.t('dUnit'))}: <b data-unit="${esc(target.unit)}">${esc(unit)}</b>`;
    const backlog = target.kind === 'unit';
    $('direct-area-row').hidden = !backlog;
    $('direct-field-row').hidden = !backlog;
    const area = this.input<HTMLSelectElement>('area');
    const areas = place.area ? [place.area] : place.areaChoices;
    area.innerHTML = areas.length
      ? areas.map((a) => `<option value="${esc(a)}">${esc(this.n.areaName(a))}</option>`).join('')
      : `<option value="">${esc(i18n.t('city'))}</option>`;
    area.disabled = areas.length <= 1;
    const field = this.input<HTMLSelectElement>('field');
    field.innerHTML = `<option value="">${esc(i18n.t('dAllFields'))}</option>${place.fields.map((f) => `<option value="${esc(f.code)}">${esc(f.name)}</option>`).join('')}`;
    field.value = place.field ?? '';
    this.input<HTMLTextAreaElement>('text').value = '';
    const today = vnToday(now);
    const due = this.input('due');
    due.min = today;
    due.value = comingThursday(today);
    this.setBusy(false);
    this.dialog.showModal();
    this.input<HTMLTextAreaElement>('text').focus();
  }

  private clearErrors(): void {
    this.form.querySelectorAll<HTMLElement>('[data-err]').forEach((el) => (el.textContent = ''));
    this.form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
    this.form.querySelector('.form-error')!.textContent = '';
  }

  /** Each error beside the field it names; the others (unit, ticket, a refusal) above the buttons. */
  private showError(e: unknown): void {
    const { i18n } = this.n;
    if (!(e instanceof ApiError)) {
      this.form.querySelector('.form-error')!.textContent = `${i18n.t('dFailed')}: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    const general: string[] = [];
    for (const f of e.fields) {
      const name = FORM_FIELDS.find((x) => f === x || f.startsWith(`${x}.`));
      const slot = name && this.form.querySelector<HTMLElement>(`[data-err="${name}"]`);
      if (name && slot && !slot.closest('[hidden]')) {
        slot.textContent = e.field(name) ?? '';
        this.input(name).setAttribute('aria-invalid', 'true');
      } else general.push(`${f}: ${e.field(f) ?? ''}`);
    }
    if (!e.fields.length) general.push(e.message);
    this.form.querySelector('.form-error')!.textContent = general.length ? `${i18n.t('dFailed')}: ${general.join('; ')}` : '';
    this.form.querySelector<HTMLElement>('[aria-invalid]')?.focus();
  }

  private setBusy(busy: boolean): void {
    if (busy) this.form.setAttribute('aria-busy', 'true');
    else this.form.removeAttribute('aria-busy');
    this.form.querySelector<HTMLButtonElement>('button[type=submit]')!.disabled = busy;
  }

  private async submit(): Promise<void> {
    const target = this.target;
    if (!target || this.form.getAttribute('aria-busy')) return;
    this.clearErrors();
    const body = directionBody(target, {
      text: this.input<HTMLTextAreaElement>('text').value,
      due: this.input('due').value,
      field: this.input<HTMLSelectElement>('field').value,
      area: this.input<HTMLSelectElement>('area').value,
    });
    this.setBusy(true);
    try {
      const d = await api.issueDirection(body);
      this.dialog.close();
      this.onIssued(d, target);
    } catch (e) {
      this.showError(e);
    } finally {
      this.setBusy(false);
    }
  }
}
