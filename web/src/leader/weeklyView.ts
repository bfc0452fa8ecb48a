// The weekly report (báo cáo tuần) panel of the leaders' page: the signed-in user's subscription
// (phone, email, the report on or off, its fields, SMS without diacritics), the next report as it
// would go now (the SMS in both forms with their segments, the email's subject and text, the key
// figures and the units' league table), and the reports sent, each opening the same way with its
// XLSX. The form PUTs and shows each error the server names beside its field. The panel prints
// on its own ("In báo cáo tuần"): the page's print then holds only the report shown.

import { $, esc } from '../common/dom';
import { ApiError } from '../common/http';
import type { I18n } from '../common/i18n';
import type { Categories } from '../common/types';
import * as api from './api';
import { figuresHtml } from './figures';
import { fmtRange, fmtValue } from './format';
import { rowName } from './tables';
import type { TEXTS, TextKey } from './texts';
import {
  CONTACT_FIELDS, contactBody, contactForm, contactProblems, reportItems, reportXlsxUrl, smsFacts, tickText,
  type ContactForm, type StaffContact, type WeeklyReport,
} from './weekly';

type T = I18n<keyof typeof TEXTS>;

/** Rows of the league table shown; the XLSX has them all. */
const UNIT_ROWS = 12;

export interface WeeklyNames {
  i18n: T;
  areaName(code: string | null): string;
  fieldName(code: string): string;
}

/** A part of the panel that failed: the server's message, or that the role has no weekly report. */
function failure(e: unknown, i18n: T): string {
  if (e instanceof ApiError && e.status === 403) return i18n.t('wNotFor');
  return `${i18n.t('error')}: ${e instanceof Error ? e.message : String(e)}`;
}

export class WeeklyPanel {
  private contact: StaffContact | null = null;
  private preview: WeeklyReport | null = null;
  private previewError: unknown = null;
  private sent: WeeklyReport[] = [];
  private sentError: unknown = null;
  private sentLoaded = false;
  /** The sent report shown; null: the preview. */
  private shownId: string | null = null;
  private readonly form = $<HTMLFormElement>('w-form');

  constructor(private readonly n: WeeklyNames, private readonly fields: Categories['fields']) {
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.save();
    });
    this.form.addEventListener('input', (e) => this.clearError((e.target as HTMLInputElement).name));
    $('w-list').addEventListener('click', (e) => {
      const a = (e.target as HTMLElement).closest<HTMLElement>('[data-open]');
      if (!a) return;
      e.preventDefault();
      this.show(a.dataset.open!);
    });
    $('w-report').addEventListener('click', (e) => {
      const t = e.target as HTMLElement;
      if (t.closest('[data-preview]')) this.show(null);
      if (t.closest('[data-print]')) this.print();
    });
    $('w-refresh').addEventListener('click', () => void this.load());
    window.addEventListener('afterprint', () => delete document.body.dataset.print);
  }

  private input(name: string): HTMLInputElement {
    return this.form.elements.namedItem(name) as HTMLInputElement;
  }

  /** Fetches the contact, the preview and the sent reports; each part shows its own failure. */
  async load(): Promise<void> {
    document.body.dataset.weeklyLoading = 'true';
    const [contact, preview, sent] = await Promise.allSettled([api.myContact(), api.reportPreview(), api.sentReports()]);
    if (contact.status === 'fulfilled') this.fill(contact.value);
    else this.form.querySelector('.form-error')!.textContent = failure(contact.reason, this.n.i18n);
    this.preview = preview.status === 'fulfilled' ? preview.value : null;
    this.previewError = preview.status === 'rejected' ? preview.reason : null;
    this.sent = sent.status === 'fulfilled' ? sent.value : this.sent;
    this.sentError = sent.status === 'rejected' ? sent.reason : null;
    this.sentLoaded = true;
    delete document.body.dataset.weeklyLoading;
    this.render();
    document.body.dataset.weekly = String(Number(document.body.dataset.weekly ?? 0) + 1);
  }

  /** The form shows the stored contact. */
  private fill(c: StaffContact): void {
    this.contact = c;
    const f = contactForm(c);
    this.input('phone').value = f.phone;
    this.input('email').value = f.email;
    this.input('weekly_report').checked = f.weekly_report;
    this.input('unaccented_sms').checked = f.unaccented_sms;
    this.renderFields(f.fields);
    $('w-unit-head').hidden = !c.unit_head;
  }

  /** The fields' boxes, in the language shown, ticked as `checked` says (or as they are). */
  private renderFields(checked?: readonly string[]): void {
    const ticked = new Set(checked ?? this.read().fields);
    const vi = this.n.i18n.lang === 'vi';
    $('w-fields').innerHTML = this.fields
      .map((f) => `<label class="check"><input type="checkbox" name="fields" value="${esc(f.code)}"${ticked.has(f.code) ? ' checked' : ''}> <span>${esc(vi ? f.name_vi : f.name_en)}</span></label>`)
      .join('');
  }

  private read(): ContactForm {
    return {
      phone: this.input('phone').value,
      email: this.input('email').value,
      weekly_report: this.input('weekly_report').checked,
      fields: [...this.form.querySelectorAll<HTMLInputElement>('input[name=fields]:checked')].map((i) => i.value),
      unaccented_sms: this.input('unaccented_sms').checked,
    };
  }

  private clearError(name?: string): void {
    for (const slot of this.form.querySelectorAll<HTMLElement>('[data-err]')) {
      if (name && slot.dataset.err !== name) continue;
      slot.textContent = '';
      const field = slot.dataset.err === 'fields' ? $('w-fields-box') : this.input(slot.dataset.err!);
      field?.removeAttribute('aria-invalid');
    }
    if (!name) this.form.querySelector('.form-error')!.textContent = '';
  }

  /** `message` beside `field` (the fields' box for `fields`). */
  private fieldError(field: string, message: string): void {
    this.form.querySelector<HTMLElement>(`[data-err="${field}"]`)!.textContent = message;
    (field === 'fields' ? $('w-fields-box') : this.input(field)).setAttribute('aria-invalid', 'true');
  }

  private async save(): Promise<void> {
    const { i18n } = this.n;
    if (this.form.getAttribute('aria-busy')) return;
    this.clearError();
    $('w-saved').textContent = '';
    if (!this.contact) {
      // Not loaded: saving would guess at what only an admin sets (unit_head).
      this.form.querySelector('.form-error')!.textContent = `${i18n.t('wNotSaved')}: ${i18n.t('loading')}`;
      return void this.load();
    }
    const f = this.read();
    const problems = contactProblems(f);
    for (const p of problems) this.fieldError(p.field, i18n.t(p.text));
    if (problems.length) return this.focusInvalid();
    this.form.setAttribute('aria-busy', 'true');
    this.form.querySelector<HTMLButtonElement>('button[type=submit]')!.disabled = true;
    try {
      this.fill(await api.saveMyContact(contactBody(f, this.contact.unit_head ?? false)));
      $('w-saved').textContent = `${i18n.t('wSaved')} ✓`;
      // The fields (and the SMS form) shape the next report: ask for it again.
      void this.reloadPreview();
    } catch (e) {
      const general: string[] = [];
      if (e instanceof ApiError) {
        for (const field of e.fields) {
          const name = CONTACT_FIELDS.find((x) => field === x || field.startsWith(`${x}.`) || field.startsWith(`${x}[`));
          if (name) this.fieldError(name, e.field(name) ?? '');
          else general.push(`${field}: ${e.field(field) ?? ''}`);
        }
        if (!e.fields.length) general.push(e.message);
      } else general.push(e instanceof Error ? e.message : String(e));
      this.form.querySelector('.form-error')!.textContent = general.length ? `${i18n.t('wNotSaved')}: ${general.join('; ')}` : '';
      this.focusInvalid();
    } finally {
      this.form.removeAttribute('aria-busy');
      this.form.querySelector<HTMLButtonElement>('button[type=submit]')!.disabled = false;
    }
  }

  private focusInvalid(): void {
    const bad = this.form.querySelector<HTMLElement>('[aria-invalid=true]');
    (bad?.matches('fieldset') ? bad.querySelector<HTMLElement>('input') : bad)?.focus();
  }

  private async reloadPreview(): Promise<void> {
    try {
      this.preview = await api.reportPreview();
      this.previewError = null;
    } catch (e) {
      this.previewError = e;
    }
    this.render();
    document.body.dataset.weekly = String(Number(document.body.dataset.weekly ?? 0) + 1);
  }

  /** Shows the sent report `id`, or the preview (null). */
  show(id: string | null): void {
    this.shownId = id;
    this.render();
    if (id) $('w-report').scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }

  /** Prints the report shown, alone. */
  print(): void {
    document.body.dataset.print = 'weekly';
    window.print();
  }

  /** Draws the panel (again, after a language switch). */
  render(): void {
    const { i18n } = this.n;
    if (this.contact) this.renderFields();
    const items = reportItems(this.sent, i18n.lang);
    $('w-sent-error').textContent = this.sentError ? failure(this.sentError, i18n) : '';
    $('w-list').innerHTML = items.length
      ? items
          .map((r) => `<li data-id="${esc(r.id)}"${r.id === this.shownId ? ' aria-current="true"' : ''}>
            <a href="#" data-open="${esc(r.id)}" class="period">${esc(r.period)}</a>
            <span class="muted">${esc(i18n.t('wSentAt'))} ${esc(r.sent)}</span>
            <span class="who">${esc(r.who)}</span>
            <a class="xlsx" href="${esc(r.xlsx)}" download>${esc(i18n.t('wXlsx'))}</a></li>`)
          .join('')
      : `<li class="empty">${esc(this.sentLoaded ? (this.sentError ? '—' : i18n.t('wNoneSent')) : i18n.t('loading'))}</li>`;
    const shown = this.shownId ? this.sent.find((r) => r.id === this.shownId) ?? null : null;
    if (this.shownId && !shown) this.shownId = null;
    $('w-next').textContent = this.preview ? `${i18n.t('wNext')}: ${tickText(this.preview.tick, i18n.lang)}` : '';
    const box = $('w-report');
    box.dataset.shown = shown ? 'sent' : 'preview';
    if (shown) box.innerHTML = this.reportHtml(shown, false);
    else if (this.preview) box.innerHTML = this.reportHtml(this.preview, true);
    else box.innerHTML = `<h3>${esc(i18n.t('wPreview'))}</h3><p class="${this.previewError ? 'bad' : 'muted'}">${esc(this.previewError ? failure(this.previewError, i18n) : i18n.t('loading'))}</p>`;
  }

  /** One report: what it covers and when it goes, its figures, the SMS in both forms, the email. */
  private reportHtml(r: WeeklyReport, preview: boolean): string {
    const { i18n } = this.n;
    const t = (k: TextKey) => esc(i18n.t(k));
    const unaccented = preview ? this.contact?.unaccented_sms ?? false : null;
    const sms = (text: string, segments: number, label: TextKey, variant: string, sentOne: boolean) => `
      <div class="w-sms" data-variant="${variant}"><h4>${t(label)} <small class="muted">${esc(smsFacts(text, segments, i18n.lang))}</small>${sentOne ? ` <span class="tag">${t('wWillSend')}</span>` : ''}</h4>
        <pre class="sms">${esc(text)}</pre></div>`;
    const areas = r.areas.length ? r.areas.map((a) => this.n.areaName(a)).join(', ') : i18n.t('city');
    const fields = r.fields.length ? r.fields.map((f) => this.n.fieldName(f)).join(', ') : i18n.t('dAllFields');
    const id = r.id ?? null;
    const actions = [
      preview ? '' : `<button type="button" class="linkish" data-preview>${t('wBackToPreview')}</button>`,
      id ? `<a class="xlsx" href="${esc(reportXlsxUrl(id))}" download>${t('wXlsx')}</a>` : '',
      `<button type="button" class="linkish" data-print>${t('wPrint')}</button>`,
    ].join(' ');
    return `<header><h3>${t(preview ? 'wPreview' : 'wSentReport')}: ${esc(fmtRange(r.from, r.to, i18n.lang))}</h3><span class="w-actions">${actions}</span></header>
      ${preview ? `<p class="muted small">${t('wPreviewNote')}</p>` : ''}
      <dl class="w-meta">
        <dt>${t(preview ? 'wDueAt' : 'wSentAt')}</dt><dd>${esc(tickText(preview ? r.tick : r.created_at ?? r.tick, i18n.lang))}</dd>
        <dt>${t('wRecipient')}</dt><dd>${esc(r.display_name || r.user)} <span class="muted">(${esc(r.user)})</span></dd>
        <dt>${t('area')}</dt><dd>${esc(areas)}</dd>
        <dt>${t('field')}</dt><dd>${esc(fields)}</dd>
      </dl>
      <div class="w-figures">${figuresHtml(r.figures, i18n)}</div>
      <div class="w-messages">
        <section class="w-texts">
          ${sms(r.sms, r.sms_segments, 'wSms', 'accented', unaccented === false)}
          ${sms(r.sms_unaccented, r.sms_unaccented_segments, 'wSmsUnaccented', 'unaccented', unaccented === true)}
        </section>
        <section class="w-email"><h4>${t('wEmailTitle')}</h4>
          <p class="subject"><span class="muted">${t('wSubject')}:</span> <b>${esc(r.email_subject)}</b></p>
          <pre class="email">${esc(r.email_text)}</pre></section>
      </div>
      ${this.unitsHtml(r)}`;
  }

  /** The units' league table of the report's figures (the first rows; the XLSX has them all). */
  private unitsHtml(r: WeeklyReport): string {
    const { i18n } = this.n;
    const rows = r.figures.rows ?? [];
    if (!rows.length) return '';
    const num = (x: number | null | undefined, kind: Parameters<typeof fmtValue>[1]) => `<td class="num">${esc(fmtValue(x, kind, i18n.lang))}</td>`;
    const body = rows
      .slice(0, UNIT_ROWS)
      .map((row) => `<tr><td>${esc(rowName(row, i18n.lang, i18n.texts.unknown))}</td>${num(row.measures.received, 'count')}${num(row.measures.resolved, 'count')}${num(row.measures.on_time_rate, 'rate')}${num(row.measures.overdue, 'count')}${num(row.measures.rating_mean, 'rating')}</tr>`)
      .join('');
    const more = rows.length > UNIT_ROWS ? `<p class="muted small">+${rows.length - UNIT_ROWS} ${esc(i18n.t('wOtherUnits'))}</p>` : '';
    const th = (k: TextKey, cls = 'num') => `<th class="${cls}">${esc(i18n.t(k))}</th>`;
    return `<h4>${esc(i18n.t('byUnit'))}</h4><table class="w-units"><thead><tr>${th('name', '')}${th('received')}${th('resolved')}${th('on_time_rate')}${th('overdue')}${th('rating_mean')}</tr></thead><tbody>${body}</tbody></table>${more}`;
  }
}
