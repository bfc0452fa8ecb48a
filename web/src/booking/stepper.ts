// The stepper of /dat-lich: the procedure (searched in the catalogue, or given by
// `?procedure=`), the office serving it, the day, the slot, the citizen's name and phone; then
// the booking (one idempotency key per filled form, kept for a retry after a network failure)
// and its confirmation with the code, its QR and the manage link.

import { $, debounce, esc } from '../common/dom';
import type { I18n } from '../common/i18n';
import * as api from './api';
import { longDay, span } from './calendar';
import { bookingFailure, checkPerson } from './errors';
import { normalisePhone } from './phone';
import { SlotPicker } from './picker';
import { qrDataUrl } from './qr';
import { manageHref } from './route';
import type { Key } from './texts';
import type { Booking, Office, Service } from './types';
import { bookingHtml, named, officesHtml, servicesHtml } from './view';

const STEPS = ['s-procedure', 's-office', 's-day', 's-slot', 's-person'];
const FIELDS = ['name', 'phone', 'email'];

interface Chosen { code: string; name: string; name_en?: string | null }

export function mountStepper(i18n: I18n<Key>, preselected: string | null): { redraw: () => void } {
  const t = (k: Key) => i18n.t(k);
  let step = 0;
  let procedure: Chosen | null = null;
  /** The citizen chose "not sure": every office, and a service to pick. */
  let anyProcedure = false;
  let offices: Office[] = [];
  let office: Office | null = null;
  let service: Service | null = null;
  let results: api.ProcedureSummary[] = [];
  let idemKey = crypto.randomUUID();
  let done: { booking: Booking; office: Office | null; qr: string | null } | null = null;
  let searched = 0;

  const picker = new SlotPicker($('days'), $('slots'), () => i18n.lang, (what) => {
    $('slot-error').textContent = '';
    go(what === 'day' ? 3 : 4);
  });

  function go(n: number): void {
    step = n;
    render();
    const el = $(STEPS[n]);
    el.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
    if (n === 4) $('person').querySelector<HTMLInputElement>('input[name=name]')?.focus();
  }

  function chosenText(i: number): string {
    const lang = i18n.lang;
    if (i === 0) return procedure ? `${named(procedure, lang)} (${procedure.code})` : anyProcedure ? t('anyProcedure') : '';
    if (i === 1) return office ? `${named(office, lang)} · ${service ? named(service, lang) : ''}` : '';
    if (i === 2) return picker.day ? longDay(picker.day, lang) : '';
    if (i === 3) return picker.slot ? span(picker.slot.starts_at, picker.slot.ends_at, lang) : '';
    return '';
  }

  function render(): void {
    STEPS.forEach((id, i) => {
      const li = $(id);
      li.classList.toggle('done', i < step);
      li.classList.toggle('current', i === step);
      li.classList.toggle('todo', i > step);
      if (i === step) li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
      li.querySelector<HTMLElement>('.body')!.hidden = i !== step;
      const chosen = li.querySelector<HTMLElement>('.chosen');
      if (chosen) chosen.textContent = i < step ? chosenText(i) : '';
      const change = li.querySelector<HTMLElement>('.change');
      if (change) change.hidden = i >= step;
    });
    renderResults();
    $('offices').innerHTML = officesHtml(offices, office?.id ?? null, i18n.lang);
    $('service-pick').hidden = !office || (service !== null && step > 1);
    $('services').innerHTML = office ? servicesHtml(servicesFor(office), service?.id ?? null, i18n.lang) : '';
    picker.render();
    if (done) $('done-body').innerHTML = bookingHtml(done.booking, i18n.lang, { qr: done.qr, office: done.office, link: linkOf(done.booking) });
  }

  const linkOf = (b: Booking) => (b.token ? `${location.origin}${manageHref(b.code, b.token)}` : null);

  function renderResults(): void {
    $('proc-results').innerHTML = results
      .map((p) => `<li><button type="button" class="choice" data-proc="${esc(p.code)}"><strong>${esc(named(p, i18n.lang))}</strong><small>${esc(p.code)}</small></button></li>`)
      .join('');
  }

  async function search(): Promise<void> {
    const q = $<HTMLInputElement>('proc-q').value;
    const n = ++searched;
    if (!q.trim()) {
      results = [];
      $('proc-status').textContent = '';
      renderResults();
      return;
    }
    try {
      const page = await api.searchProcedures(q);
      if (n !== searched) return;
      results = page.items;
      $('proc-status').textContent = results.length ? '' : t('noMatch');
    } catch {
      if (n === searched) $('proc-status').textContent = t('failed');
    }
    renderResults();
  }

  async function chooseProcedure(p: Chosen | null): Promise<void> {
    procedure = p;
    anyProcedure = p === null;
    office = null;
    service = null;
    offices = [];
    go(1);
    $('office-status').textContent = t('loading');
    try {
      offices = await api.offices(p?.code);
      $('office-status').textContent = offices.length ? '' : t('noOffices');
    } catch {
      $('office-status').textContent = t('failed');
    }
    if (offices.length === 1) chooseOffice(offices[0]);
    else render();
  }

  /** The services of `o` to choose from: those serving the procedure, else all of them. */
  function servicesFor(o: Office): Service[] {
    const own = procedure ? o.services.filter((s) => s.procedures.includes(procedure!.code)) : [];
    return own.length ? own : o.services;
  }

  function chooseOffice(o: Office): void {
    office = o;
    const choices = servicesFor(o);
    service = choices.length === 1 ? choices[0] : null;
    if (service) chooseService(service);
    else render();
  }

  function chooseService(s: Service): void {
    service = s;
    picker.use(office!, s);
    go(2);
  }

  function field(name: string): HTMLInputElement {
    return $('person').querySelector<HTMLInputElement>(`[name=${name}]`)!;
  }

  function showErrors(errors: Record<string, string>): void {
    for (const f of FIELDS) {
      $(`err-${f}`).textContent = errors[f] ?? '';
      field(f).setAttribute('aria-invalid', String(Boolean(errors[f])));
    }
    $('err-form').textContent = errors.form ?? '';
    const first = FIELDS.find((f) => errors[f]);
    if (first) field(first).focus();
  }

  async function submit(): Promise<void> {
    if (!office || !service || !picker.slot) return;
    const typed = { name: field('name').value.trim(), phoneTyped: field('phone').value, email: field('email').value.trim() };
    const phone = normalisePhone(typed.phoneTyped);
    const problems = checkPerson({ ...typed, phone }, i18n.lang);
    showErrors(problems);
    if (Object.keys(problems).length) return;
    const button = $<HTMLButtonElement>('book-send');
    button.disabled = true;
    button.textContent = t('sending');
    try {
      const booking = await api.book(
        {
          office: office.id, service: service.id, starts_at: picker.slot.starts_at, name: typed.name, phone: phone!,
          ...(typed.email ? { email: typed.email } : {}), ...(procedure ? { procedure: procedure.code } : {}), lang: i18n.lang,
        },
        idemKey,
      );
      idemKey = crypto.randomUUID();
      let qr: string | null = null;
      try {
        qr = await qrDataUrl(booking.code);
      } catch {
        /* the code in large type is enough */
      }
      done = { booking, office, qr };
      $('book').hidden = true;
      $('done').hidden = false;
      render();
      window.scrollTo(0, 0);
    } catch (e) {
      const failure = bookingFailure(e, i18n.lang, office.per_person_per_day);
      // A definite answer: the next try is another request (the citizen changes something).
      if (!failure.retry) idemKey = crypto.randomUUID();
      if (failure.fields.starts_at) {
        go(3);
        $('slot-error').textContent = failure.fields.starts_at;
        if (failure.reloadSlots) await picker.reload();
      }
      showErrors(failure.fields);
    } finally {
      button.disabled = false;
      button.textContent = t('book');
    }
  }

  const runSearch = debounce(() => void search(), 250);
  $('proc-q').addEventListener('input', runSearch);
  $('proc-search').addEventListener('submit', (e) => {
    e.preventDefault();
    void search();
  });
  $('proc-results').addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-proc]');
    const p = b && results.find((r) => r.code === b.dataset.proc);
    if (p) void chooseProcedure(p);
  });
  $('no-procedure').addEventListener('click', () => void chooseProcedure(null));
  $('offices').addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-office]');
    const o = b && offices.find((x) => x.id === b.dataset.office);
    if (o) chooseOffice(o);
  });
  $('services').addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-service]');
    const s = b && office?.services.find((x) => x.id === b.dataset.service);
    if (s) chooseService(s);
  });
  $('book').addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-goto]');
    if (b) go(Number(b.dataset.goto));
  });
  $('person').addEventListener('submit', (e) => {
    e.preventDefault();
    void submit();
  });
  $('done').addEventListener('click', (e) => {
    if (!(e.target as HTMLElement).closest('#copy-link') || !done) return;
    const link = linkOf(done.booking);
    if (link) void navigator.clipboard?.writeText(link).then(() => ($('copied').textContent = t('copied')));
  });

  $('queue-offices').addEventListener('toggle', () => {
    const list = $('queue-list');
    if (list.dataset.loaded) return;
    list.dataset.loaded = '1';
    void api.offices().then(
      (all) => (list.innerHTML = all.map((o) => `<li><a class="choice" href="/lay-so/${encodeURIComponent(o.id)}"><strong>${esc(named(o, i18n.lang))}</strong><small>${esc(o.address)}</small></a></li>`).join('')),
      () => {
        delete list.dataset.loaded;
        list.innerHTML = `<li class="error">${esc(t('failed'))}</li>`;
      },
    );
  });

  $('book').hidden = false;
  render();
  if (preselected) {
    void api.procedure(preselected).then(
      (p) => chooseProcedure(p),
      () => ($('proc-status').textContent = t('noMatch')),
    );
  }
  return { redraw: render };
}
