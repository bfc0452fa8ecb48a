// One booking (/dat-lich/{code}?token=T): its status, time, office, documents and QR; reschedule
// (another day and slot of the same service) and cancel while it is booked; the visit survey
// once served.

import { $ } from '../common/dom';
import { ApiError } from '../common/http';
import type { I18n } from '../common/i18n';
import * as api from './api';
import { bookingFailure } from './errors';
import { SlotPicker } from './picker';
import { qrDataUrl } from './qr';
import { mountSurvey } from './survey';
import type { Key } from './texts';
import type { Booking, Office } from './types';
import { bookingHtml } from './view';

export function mountManage(i18n: I18n<Key>, code: string, token: string | null): { redraw: () => void } {
  const t = (k: Key) => i18n.t(k);
  let booking: Booking | null = null;
  let office: Office | null = null;
  let qr: string | null = null;
  let message: Key | null = null;
  let survey: { redraw: () => void } | null = null;

  const picker = new SlotPicker($('r-days'), $('r-slots'), () => i18n.lang, () => {
    $('r-error').textContent = '';
    $<HTMLButtonElement>('r-send').disabled = !picker.slot;
  });

  function render(): void {
    const msg = $('manage-msg');
    msg.hidden = !message;
    msg.textContent = message ? t(message) : '';
    if (!booking) return;
    $('manage-body').innerHTML = bookingHtml(booking, i18n.lang, { qr: booking.status === 'cancelled' ? null : qr, office, link: null });
    $('manage-actions').hidden = booking.status !== 'booked' || !$('resched').hidden || !$('cancel-confirm').hidden;
    if (!$('resched').hidden) picker.render();
    if (booking.status === 'served' && token && !survey) survey = mountSurvey($('manage-survey'), i18n, booking.code, token);
    else survey?.redraw();
  }

  function fail(text: string): void {
    $('manage-body').innerHTML = '';
    const p = $('page-error');
    p.hidden = false;
    p.textContent = text;
  }

  async function load(): Promise<void> {
    if (!token) return fail(t('noToken'));
    $('manage-body').innerHTML = `<p class="muted">${t('loading')}</p>`;
    try {
      booking = await api.booking(code, token);
    } catch (e) {
      return fail(e instanceof ApiError && (e.status === 404 || e.status === 403) ? t('notFound') : t('failed'));
    }
    document.title = `${booking.code} — ${t('titleManage')}`;
    [qr, office] = await Promise.all([
      qrDataUrl(booking.code).catch(() => null),
      api.offices().then((all) => all.find((o) => o.id === booking!.office) ?? null, () => null),
    ]);
    render();
  }

  async function act(run: () => Promise<Booking>, done: Key, errorEl: HTMLElement): Promise<boolean> {
    try {
      booking = await run();
      message = done;
      return true;
    } catch (e) {
      const f = bookingFailure(e, i18n.lang, office?.per_person_per_day);
      errorEl.textContent = Object.values(f.fields).join(' ');
      if (f.reloadSlots) await picker.reload();
      return false;
    }
  }

  $('do-reschedule').addEventListener('click', () => {
    const service = office?.services.find((s) => s.id === booking?.service);
    if (!booking || !office || !service) return void ($('r-error').textContent = t('failed'));
    picker.use(office, service);
    $('resched').hidden = false;
    $<HTMLButtonElement>('r-send').disabled = true;
    message = null;
    render();
    $('resched').scrollIntoView?.({ behavior: 'smooth' });
  });
  $('r-close').addEventListener('click', () => {
    $('resched').hidden = true;
    render();
  });
  $('r-send').addEventListener('click', async () => {
    if (!booking || !token || !picker.slot) return;
    const button = $<HTMLButtonElement>('r-send');
    button.disabled = true;
    if (await act(() => api.reschedule(booking!.code, token, picker.slot!.starts_at), 'rescheduledMsg', $('r-error'))) $('resched').hidden = true;
    button.disabled = !picker.slot;
    render();
  });
  $('do-cancel').addEventListener('click', () => {
    $('cancel-confirm').hidden = false;
    render();
    $('cancel-no').focus();
  });
  $('cancel-no').addEventListener('click', () => {
    $('cancel-confirm').hidden = true;
    render();
  });
  $('cancel-yes').addEventListener('click', async () => {
    if (!booking || !token) return;
    $('manage-error').textContent = '';
    await act(() => api.cancel(booking!.code, token), 'cancelledMsg', $('manage-error'));
    $('cancel-confirm').hidden = true;
    render();
  });

  $('manage').hidden = false;
  void load();
  return { redraw: render };
}
