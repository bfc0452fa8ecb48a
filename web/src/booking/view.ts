// HTML of the booking page, as pure functions of the data and the language (tested in
// view.test.ts): the choices of each step, a booking card, the visit survey, a queue number.

import { esc } from '../common/dom';
import type { Lang } from '../common/i18n';
import { groupSlots, span, vnTime, type DayChoice } from './calendar';
import { displayPhone } from './phone';
import { FIELD_TEXT, PRIORITY_TEXT, QUEUE_STATUS_TEXT, REASON_TEXT, SCORE_TEXT, STATUS_TEXT, TEXTS, fill, type Key } from './texts';
import { SCORE_KEYS, type Booking, type Office, type QueueNumber, type Service, type SlotDay } from './types';

const tr = (k: Key, lang: Lang) => TEXTS[k][lang];
/** A name in the chosen language (English when there is one). */
export const named = (x: { name: string; name_en?: string | null }, lang: Lang) => (lang === 'en' && x.name_en ? x.name_en : x.name);

/** The offices to choose from, with their address. */
export function officesHtml(offices: readonly Office[], chosen: string | null, lang: Lang): string {
  return offices
    .map((o) => `<li><button type="button" class="choice" data-office="${esc(o.id)}" aria-pressed="${o.id === chosen}">
      <strong>${esc(named(o, lang))}</strong><small>${esc(o.address)}</small></button></li>`)
    .join('');
}

/** The services of an office to choose from (when the procedure does not settle it). */
export function servicesHtml(services: readonly Service[], chosen: string | null, lang: Lang): string {
  return services
    .map((s) => `<li><button type="button" class="choice" data-service="${esc(s.id)}" aria-pressed="${s.id === chosen}">${esc(named(s, lang))}</button></li>`)
    .join('');
}

/** The days as buttons: weekday name and date; today and tomorrow said so. */
export function daysHtml(days: readonly DayChoice[], chosen: string | null, lang: Lang): string {
  return days
    .map((d) => {
      const top = d.offset === 0 ? tr('today', lang) : d.offset === 1 ? tr('tomorrow', lang) : d.weekday;
      const label = d.offset <= 1 ? `${top} (${d.weekday}) ${d.short}` : `${d.weekday} ${d.short}`;
      return `<li><button type="button" class="day" data-day="${d.day}" aria-pressed="${d.day === chosen}" aria-label="${esc(label)}">
        <span>${esc(top)}</span><strong>${esc(d.short)}</strong></button></li>`;
    })
    .join('');
}

/** The slots of a day, morning and afternoon; full ones disabled; the reason of a closed day. */
export function slotsHtml(day: SlotDay, chosen: string | null, lang: Lang): string {
  if (!day.open) return `<p class="closed" role="status">${esc(day.reason ? REASON_TEXT[day.reason][lang] : REASON_TEXT.closed[lang])}</p>`;
  if (!day.slots.some((s) => s.free > 0)) return `<p class="closed" role="status">${esc(tr('noSlots', lang))}</p>`;
  const groups = groupSlots(day.slots);
  const part = (title: Key, slots: typeof day.slots) =>
    slots.length
      ? `<h4>${esc(tr(title, lang))}</h4><ul class="slots">${slots
          .map((s) => {
            const full = s.free <= 0;
            const note = full ? tr('full', lang) : fill(tr('free', lang), { n: s.free });
            return `<li><button type="button" class="slot" data-slot="${esc(s.starts_at)}" aria-pressed="${s.starts_at === chosen}"${full ? ' disabled' : ''}>
              <strong>${vnTime(s.starts_at)}</strong><small>${esc(note)}</small></button></li>`;
          })
          .join('')}</ul>`
      : '';
  return part('morning', groups.morning) + part('afternoon', groups.afternoon);
}

const row = (k: Key, v: string, lang: Lang) => (v ? `<dt>${esc(tr(k, lang))}</dt><dd>${v}</dd>` : '');

/** A booking whole: code in large type, its QR, time, place, documents; the manage link on the confirmation. */
export function bookingHtml(b: Booking, lang: Lang, opts: { qr: string | null; office: Office | null; link: string | null }): string {
  const docs = b.documents.length
    ? `<section><h3>${esc(tr('bring', lang))}</h3><ul class="docs">${b.documents
        .map((d) => `<li>${esc(d.name)}${d.copies ? ` <small class="muted">(${esc(d.copies)})</small>` : ''}</li>`)
        .join('')}</ul></section>`
    : '';
  const where = opts.office ? `${esc(named(opts.office, lang))}<br><small>${esc(opts.office.address)}</small>` : esc(b.office_name);
  const link = opts.link
    ? `<section class="keep"><h3>${esc(tr('manageLink', lang))}</h3><p><a href="${esc(opts.link)}" id="manage-link">${esc(opts.link)}</a></p>
       <p>${esc(tr('keepLink', lang))}</p><button type="button" id="copy-link">${esc(tr('copy', lang))}</button> <span id="copied" role="status"></span></section>`
    : '';
  return `<div class="ticket">
    <p class="label">${esc(tr('code', lang))}</p><p class="code">${esc(b.code)}</p>
    ${opts.qr ? `<img class="qr" src="${esc(opts.qr)}" alt="${esc(fill(tr('qrAlt', lang), { code: b.code }))}" width="200" height="200">` : ''}
    ${b.status === 'booked' ? `<p class="muted">${esc(tr('showQr', lang))}</p>` : ''}</div>
    ${b.moved_from ? `<p class="notice">${esc(fill(tr('moved', lang), { from: span(b.moved_from, null, lang) }))}</p>` : ''}
    <dl class="facts">
      ${row('status', `<span class="status ${esc(b.status)}">${esc(STATUS_TEXT[b.status]?.[lang] ?? b.status)}</span>`, lang)}
      ${row('when', `<strong>${esc(span(b.starts_at, b.ends_at, lang))}</strong>`, lang)}
      ${row('where', where, lang)}
      ${row('service', esc(b.service_name), lang)}
      ${row('procedure', esc(b.procedure_name ?? ''), lang)}
      ${row('name', esc(b.name), lang)}
      ${row('phone', esc(displayPhone(b.phone)), lang)}
      ${row('queueLabel', b.queue_label ? `<strong>${esc(b.queue_label)}</strong>` : '', lang)}
    </dl>${docs}${link}`;
}

/** The visit survey: five questions scored 1–5 and a comment. */
export function surveyHtml(lang: Lang): string {
  const question = (k: (typeof SCORE_KEYS)[number]) => `<fieldset class="score" data-score="${k}"><legend>${esc(SCORE_TEXT[k][lang])}</legend>
    <div class="scale">${[1, 2, 3, 4, 5]
      .map((n) => `<label><input type="radio" name="${k}" value="${n}" required><span>${n}</span></label>`)
      .join('')}</div></fieldset>`;
  return `<form id="survey" class="survey" novalidate><h3>${esc(tr('surveyTitle', lang))}</h3><p class="muted">${esc(tr('surveyIntro', lang))}</p>
    ${SCORE_KEYS.map(question).join('')}
    <label><span>${esc(tr('comment', lang))}</span><textarea name="comment" rows="3" maxlength="2000"></textarea></label>
    <p id="survey-error" class="error" role="alert"></p>
    <button type="submit">${esc(tr('sendSurvey', lang))}</button></form>`;
}

/** The priority choices of the queue form. */
export function priorityOptions(lang: Lang): string {
  return `<option value="">${esc(tr('noPriority', lang))}</option>${(Object.keys(PRIORITY_TEXT) as (keyof typeof PRIORITY_TEXT)[])
    .map((p) => `<option value="${p}">${esc(PRIORITY_TEXT[p][lang])}</option>`)
    .join('')}`;
}

/** A queue number as followed live: the label, people ahead and the wait, or the counter once called. */
export function queueHtml(q: QueueNumber, lang: Lang, offline: boolean): string {
  const called = q.status === 'called' && q.counter != null;
  const body = called
    ? `<p class="called" role="alert">${esc(fill(tr('calledTo', lang), { n: q.counter! }))}</p>`
    : q.status === 'waiting' || q.status === 'transferred'
      ? `${q.status === 'transferred' ? `<p class="notice">${esc(QUEUE_STATUS_TEXT.transferred[lang])}</p>` : ''}
        <dl class="facts big"><dt>${esc(tr('ahead', lang))}</dt><dd>${q.position}</dd>
        <dt>${esc(tr('wait', lang))}</dt><dd>${esc(fill(tr('minutes', lang), { n: q.wait_minutes }))}</dd></dl>`
      : `<p class="notice">${esc(QUEUE_STATUS_TEXT[q.status]?.[lang] ?? q.status)}</p>`;
  const live = q.status === 'served' || q.status === 'no_show' ? '' : `<p class="muted">${esc(tr(offline ? 'offline' : 'live', lang))}</p>`;
  return `<div class="ticket"><p class="label">${esc(tr('yourNumber', lang))}</p><p class="code">${esc(q.label)}</p></div>${body}${live}`;
}

/** The message shown when a request failed for lack of network (exported for the pages). */
export const networkText = (lang: Lang) => FIELD_TEXT.network[lang];
