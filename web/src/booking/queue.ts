// A queue number for today (/lay-so/{office}): the office's services, an optional priority and
// phone, then the number followed live (polled every 5 s) until the citizen is called to a
// counter. The number and its token stay on the device, so a reload keeps following it.

import { $, esc } from '../common/dom';
import { ApiError } from '../common/http';
import type { I18n } from '../common/i18n';
import * as api from './api';
import { bookingFailure } from './errors';
import { normalisePhone } from './phone';
import { forgetFollowed, isFinal, loadFollowed, saveFollowed, type Followed } from './queueStore';
import { mountSurvey } from './survey';
import { FIELD_TEXT, type Key } from './texts';
import type { Office, Priority, QueueNumber } from './types';
import { named, priorityOptions, queueHtml } from './view';

const POLL_MS = 5000;

export function mountQueue(i18n: I18n<Key>, officeId: string): { redraw: () => void } {
  const t = (k: Key) => i18n.t(k);
  let office: Office | null = null;
  let followed: Followed | null = null;
  let number: QueueNumber | null = null;
  let offline = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let idemKey = crypto.randomUUID();
  let survey: { redraw: () => void } | null = null;

  function renderForm(): void {
    if (!office) return;
    $('q-office').textContent = named(office, i18n.lang);
    $('q-address').textContent = office.address;
    const checked = document.querySelector<HTMLInputElement>('input[name=service]:checked')?.value ?? (office.services.length === 1 ? office.services[0].id : '');
    $('q-services').innerHTML = office.services
      .map((s) => `<label class="radio"><input type="radio" name="service" value="${esc(s.id)}"${s.id === checked ? ' checked' : ''} required> <span>${esc(named(s, i18n.lang))}</span></label>`)
      .join('');
    const priority = $<HTMLSelectElement>('q-priority');
    const chosen = priority.value;
    priority.innerHTML = priorityOptions(i18n.lang);
    priority.value = chosen;
  }

  function render(): void {
    renderForm();
    $('q-form').hidden = Boolean(followed) || !office;
    $('q-live').hidden = !followed || !number;
    if (followed && number) $('q-live').innerHTML = queueHtml(number, i18n.lang, offline);
    $('q-new').hidden = !(number && isFinal(number.status));
    survey?.redraw();
  }

  async function poll(): Promise<void> {
    clearTimeout(timer);
    if (!followed) return;
    const was = number?.status;
    try {
      number = await api.queueNumber(followed.id, followed.token);
      offline = false;
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 403)) return stop(true);
      offline = true;
    }
    if (number?.status === 'called' && was !== 'called') navigator.vibrate?.([300, 150, 300]);
    if (number && isFinal(number.status)) {
      if (number.status === 'served' && !survey) survey = mountSurvey($('q-survey'), i18n, followed.id, followed.token);
    } else timer = setTimeout(() => void poll(), POLL_MS);
    render();
  }

  function follow(f: Followed, first: QueueNumber | null): void {
    followed = f;
    number = first;
    render();
    void poll();
  }

  function stop(forget: boolean): void {
    clearTimeout(timer);
    if (forget) forgetFollowed(localStorage, officeId);
    followed = null;
    number = null;
    survey = null;
    $('q-survey').innerHTML = '';
    render();
  }

  async function take(): Promise<void> {
    const form = $<HTMLFormElement>('q-form');
    const service = form.querySelector<HTMLInputElement>('input[name=service]:checked')?.value;
    const phoneTyped = form.querySelector<HTMLInputElement>('input[name=phone]')!.value;
    const phone = phoneTyped.trim() ? normalisePhone(phoneTyped) : null;
    $('q-error').textContent = service ? '' : FIELD_TEXT.service[i18n.lang];
    $('q-err-phone').textContent = phoneTyped.trim() && !phone ? FIELD_TEXT.phone[i18n.lang] : '';
    if (!service || (phoneTyped.trim() && !phone)) return;
    const priority = ($<HTMLSelectElement>('q-priority').value || undefined) as Priority | undefined;
    const button = $<HTMLButtonElement>('q-send');
    button.disabled = true;
    try {
      const q = await api.takeNumber(officeId, { service, ...(priority ? { priority } : {}), ...(phone ? { phone } : {}) }, idemKey);
      idemKey = crypto.randomUUID();
      const f: Followed = { id: q.id, token: q.token ?? '', office: officeId, issued_at: q.issued_at };
      saveFollowed(localStorage, f);
      follow(f, q);
    } catch (e) {
      const failure = bookingFailure(e, i18n.lang);
      if (!failure.retry) idemKey = crypto.randomUUID();
      $('q-err-phone').textContent = failure.fields.phone ?? '';
      $('q-error').textContent = Object.entries(failure.fields).filter(([k]) => k !== 'phone').map(([, v]) => v).join(' ');
    } finally {
      button.disabled = false;
    }
  }

  $('q-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void take();
  });
  $('q-new').addEventListener('click', () => stop(true));
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && followed && !(number && isFinal(number.status))) void poll();
  });

  $('queue').hidden = false;
  void api.offices().then(
    (all) => {
      office = all.find((o) => o.id.toLowerCase() === officeId.toLowerCase()) ?? null;
      if (!office) {
        $('page-error').hidden = false;
        $('page-error').textContent = t('officeNotFound');
      } else document.title = `${named(office, i18n.lang)} — ${t('titleQueue')}`;
      render();
    },
    () => {
      $('page-error').hidden = false;
      $('page-error').textContent = t('failed');
    },
  );
  const kept = loadFollowed(localStorage, officeId, new Date());
  if (kept) follow(kept, null);
  return { redraw: render };
}
