// The public portal (/): report a problem on the map, track it by code and token, answer the
// survey once it is resolved (surveyForm.ts; the plain rating where no survey is offered),
// browse results nearby. Vietnamese first, English on a switch; made for phones.

import maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import './portal.css';
import { categories as getCategories } from '../common/api';
import { attachChips } from '../common/categoryChips';
import { $, esc } from '../common/dom';
import { ApiError } from '../common/http';
import { I18n, when as whenIn, type Lang } from '../common/i18n';
import type { Categories } from '../common/types';
import * as api from './api';
import { mountChat } from './chat';
import { setupMeToo } from './metoo';
import { portalStyle } from './map';
import { offersSurvey, wasReopened } from './survey';
import { mountSurvey, readForm, surveyHtml } from './surveyForm';
import { EVENT_TEXT, STATUS_TEXT, TEXTS } from './texts';
import { parseTrackHash, trackLink } from './track';

const i18n = new I18n(TEXTS);
let map: maplibregl.Map;
let marker: maplibregl.Marker | null = null;
let spot: { lon: number; lat: number } | null = null;
let categories: Categories | null = null;
/** One key per filled form: a retry after a network error files the same report. */
let idemKey = crypto.randomUUID();
/** The report on the track tab, re-drawn when the language changes. */
let shown: { ticket: api.PublicTicket; token: string } | null = null;
/** A word on the survey just answered, shown with the report until another is tracked. */
let notice: 'surveyThanks' | 'surveyAnswered' | null = null;

const t = (k: keyof typeof TEXTS) => i18n.t(k);
const when = (iso: string) => whenIn(iso, i18n.lang);

/** The open reports near the pin that the citizen may support instead ("me too"). */
let meToo: ReturnType<typeof setupMeToo> | null = null;

/** Redraws the chat window (mounted at start). */
let redrawChat = () => {};

function setLang(l: Lang): void {
  i18n.set(l);
  redrawChat();
  renderCategories();
  renderSpot();
  meToo?.redraw();
  if (shown) renderTicket(shown.ticket, shown.token);
}

function showTab(name: string): void {
  for (const s of ['report', 'track', 'results']) $(`tab-${s}`).hidden = s !== name;
  document.querySelectorAll<HTMLElement>('nav a').forEach((a) =>
    a.dataset.tab === name ? a.setAttribute('aria-current', 'page') : a.removeAttribute('aria-current'),
  );
  if (name === 'results') loadResults();
}

function renderCategories(): void {
  if (!categories) return;
  const select = document.querySelector<HTMLSelectElement>('select[name=category]')!;
  const chosen = select.value;
  const groups = categories.fields.map((f) => {
    const opts = categories!.categories
      .filter((c) => c.field === f.code)
      .map((c) => `<option value="${esc(c.code)}">${esc(i18n.lang === 'vi' ? c.name_vi : c.name_en)}</option>`)
      .join('');
    return opts ? `<optgroup label="${esc(i18n.lang === 'vi' ? f.name_vi : f.name_en)}">${opts}</optgroup>` : '';
  });
  select.innerHTML = `<option value="">${esc(t('chooseCategory'))}</option>${groups.join('')}`;
  select.value = chosen;
}

function setSpot(lon: number, lat: number): void {
  spot = { lon, lat };
  if (!marker) marker = new maplibregl.Marker({ color: '#b42318' }).setLngLat([lon, lat]).addTo(map);
  else marker.setLngLat([lon, lat]);
  renderSpot();
  meToo?.refresh(spot, field('category').value);
}

function renderSpot(): void {
  $('where').textContent = spot ? `${spot.lat.toFixed(5)}, ${spot.lon.toFixed(5)}` : t('noLocation');
}

// ---- report ---------------------------------------------------------------------------------

function field(name: string): HTMLInputElement {
  return document.querySelector<HTMLInputElement>(`#report-form [name=${name}]`)!;
}

async function submitReport(ev: Event): Promise<void> {
  ev.preventDefault();
  document.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
  $('report-error').textContent = '';
  const photos = Array.from(field('photos').files ?? []);
  const contact = { name: field('name').value.trim(), phone: field('phone').value.trim(), email: field('email').value.trim() };
  const hasContact = Boolean(contact.name || contact.phone || contact.email);
  const problems: [string, string][] = [];
  if (!spot) problems.push(['map', t('noLocation')]);
  if (!field('category').value) problems.push(['category', t('chooseCategory')]);
  if (!field('description').value.trim()) problems.push(['description', t('descriptionPh')]);
  if (photos.length > 5) problems.push(['photos', t('photos')]);
  if (hasContact && !field('consent').checked) problems.push(['consent', t('consent')]);
  if (problems.length) return showProblems(problems.map((p) => p[0]), problems.map((p) => p[1]).join(' · '));

  $('send').textContent = t('sending');
  $<HTMLButtonElement>('send').disabled = true;
  try {
    const body = {
      category: field('category').value,
      description: field('description').value.trim(),
      location: spot!,
      ...(hasContact ? { reporter: contact, consent: true } : {}),
    };
    const created = await api.fileReport(body, idemKey);
    if (photos.length) {
      try {
        await api.uploadPhotos(created, photos);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        return showProblems(['photos'], `${t('photos')}: ${e.detail ?? e.title}`);
      }
    }
    idemKey = crypto.randomUUID();
    showDone(created);
  } catch (e) {
    if (e instanceof ApiError) showProblems(e.fields.map((f) => f.split('.')[0]), e.message);
    else $('report-error').textContent = String(e);
  } finally {
    $('send').textContent = t('send');
    $<HTMLButtonElement>('send').disabled = false;
  }
}

function showProblems(fields: string[], message: string): void {
  for (const f of fields) (f === 'map' || f === 'location' ? $('map') : field(f))?.classList.add('invalid');
  $('report-error').textContent = message;
}

function showDone(c: api.Created): void {
  const link = trackLink(location.origin, c.code, c.tracking_token);
  $('done-code').textContent = c.code;
  $<HTMLAnchorElement>('done-link').href = link;
  $('done-link').textContent = link;
  $('report-form').hidden = true;
  $('report-done').hidden = false;
  $<HTMLFormElement>('report-form').reset();
}

// ---- track ----------------------------------------------------------------------------------

async function showTicket(code: string, token: string, keepNotice = false): Promise<void> {
  $('track-error').textContent = '';
  if (!keepNotice) notice = null;
  try {
    renderTicket(await api.track(code, token), token);
  } catch (e) {
    $('ticket').hidden = true;
    $('track-error').textContent = e instanceof ApiError && e.status === 404 ? t('notFound') : String(e);
  }
}

function renderTicket(p: api.PublicTicket, token: string): void {
  // A survey half filled in survives a re-draw (a language switch).
  const draft = shown?.ticket.code === p.code ? readForm($('ticket')) : null;
  shown = { ticket: p, token };
  const status = STATUS_TEXT[p.status] ?? { vi: p.status, en: p.status };
  const photos = (p.photos ?? []).map((ph) => `<a href="${esc(ph.url)}"><img src="${esc(ph.thumb_url)}" alt=""></a>`).join('');
  $('ticket').innerHTML = `<h2>${esc(p.code)} <span class="status ${p.overdue ? 'overdue' : ''}">${esc(i18n.pick(status))}</span></h2>
    <p><b>${esc(i18n.lang === 'vi' ? p.category_name : p.category_name_en)}</b> · ${esc(p.area_name ?? '')}</p>
    ${wasReopened(p) ? `<div class="reopened" role="status"><b>${t('reopened')}</b><p>${t('reopenedHint')}</p></div>` : ''}
    ${notice ? `<p class="notice" role="status">${t(notice)}</p>` : ''}
    <p class="muted">${t('received')}: ${when(p.received_at)} · ${t('deadline')}: ${when(p.deadline)}</p>
    ${p.supporters ? `<p class="supporters">${i18n.lang === 'vi' ? `${p.supporters} người khác cũng gặp vấn đề này` : `${p.supporters} other people reported it too`}</p>` : ''}
    ${p.result ? `<div class="result"><b>${t('result')}</b><p>${esc(p.result)}</p></div>` : ''}
    ${photos ? `<div class="photos">${photos}</div>` : ''}
    ${p.status === 'received' ? `<form id="add-photos"><label>📷 ${t('addPhotos')}<input type="file" name="add" accept="image/jpeg,image/png,image/webp" multiple></label><p class="notice" role="status"></p></form>` : ''}
    <h3>${t('timeline')}</h3>
    <ol class="timeline">${p.timeline
      .map((e) => `<li>${esc(i18n.pick(EVENT_TEXT[e.kind] ?? { vi: e.kind, en: e.kind }))} <small>${when(e.at)}</small>${e.note ? `<br>${esc(e.note)}` : ''}</li>`)
      .join('')}</ol>
    ${p.rating ? `<p>${t('rated')}: ${'★'.repeat(p.rating)}${'☆'.repeat(5 - p.rating)}</p>` : ''}
    ${offersSurvey(p) ? surveyHtml(i18n) : p.can_rate ? ratingForm() : ''}`;
  $('ticket').hidden = false;
  map.flyTo({ center: [p.location.lon, p.location.lat], zoom: 15 });
  setSpot(p.location.lon, p.location.lat);
  mountSurvey($('ticket'), i18n, p.code, token, {
    answered: (ticket) => {
      notice = 'surveyThanks';
      renderTicket(ticket, token);
      $('ticket').scrollIntoView({ block: 'start', behavior: 'smooth' });
    },
    already: () => {
      notice = 'surveyAnswered';
      void showTicket(p.code, token, true);
    },
  }, draft);
  // A reporter who came by a chat or SMS link adds their photos here, while the report waits at the centre.
  const adding = $('ticket').querySelector<HTMLFormElement>('#add-photos');
  adding?.addEventListener('change', async () => {
    const input = adding.querySelector<HTMLInputElement>('input[name=add]')!;
    const files = Array.from(input.files ?? []).slice(0, 5);
    if (!files.length) return;
    const status = adding.querySelector<HTMLElement>('.notice')!;
    try {
      await api.addPhotos(p.code, token, files);
      status.textContent = t('photosAdded');
      input.value = '';
    } catch (e) {
      status.textContent = e instanceof ApiError ? e.message : String(e);
    }
  });
  const form = $('ticket').querySelector<HTMLFormElement>('#rate-form');
  form?.addEventListener('change', () => {
    const v = Number(new FormData(form).get('rating') ?? 0);
    form.querySelectorAll('.stars label').forEach((l, i) => l.classList.toggle('on', i < v));
  });
  form?.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    try {
      renderTicket(await api.rate(p.code, token, Number(data.get('rating')), String(data.get('comment') ?? '')), token);
    } catch (e) {
      $('track-error').textContent = String(e instanceof Error ? e.message : e);
    }
  });
}

function ratingForm(): string {
  const stars = [1, 2, 3, 4, 5].map((n) => `<label title="${n}"><input type="radio" name="rating" value="${n}" required>★</label>`).join('');
  return `<form id="rate-form"><h3>${t('rate')}</h3><div class="stars">${stars}</div><p class="muted">${t('rateHint')}</p>
    <label><span>${t('comment')}</span><textarea name="comment" rows="2" maxlength="2000"></textarea></label>
    <button type="submit">${t('sendRating')}</button></form>`;
}

// ---- results --------------------------------------------------------------------------------

async function loadResults(): Promise<void> {
  const c = map.getCenter();
  const items = await api.results(c.lng, c.lat).catch(() => []);
  $('results-list').innerHTML =
    items
      .map((r) => `<li><b>${esc(i18n.lang === 'vi' ? r.category_name : r.category_name_en)}</b> · ${esc(r.area_name ?? '')} · ${Math.round(r.distance_m)} m
        <br>${esc(r.result ?? '')} <small class="muted">${r.resolved_at ? when(r.resolved_at) : ''} ${r.rating ? '★'.repeat(r.rating) : ''}</small></li>`)
      .join('') || `<li class="muted">${t('none')}</li>`;
}

// ---- start ----------------------------------------------------------------------------------

function route(): void {
  const tracked = parseTrackHash(location.hash);
  if (tracked) {
    showTab('track');
    const f = $<HTMLFormElement>('track-form');
    (f.elements.namedItem('code') as HTMLInputElement).value = tracked.code;
    (f.elements.namedItem('token') as HTMLInputElement).value = tracked.token;
    void showTicket(tracked.code, tracked.token);
  } else showTab(['#track', '#results'].includes(location.hash) ? location.hash.slice(1) : 'report');
}

async function main(): Promise<void> {
  map = new maplibregl.Map({ container: 'map', style: portalStyle(location.origin), center: [108.2, 16.05], zoom: 11.5, attributionControl: false });
  (window as unknown as { portalMap: maplibregl.Map }).portalMap = map;
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
  map.on('click', (e) => setSpot(e.lngLat.lng, e.lngLat.lat));
  $('lang').addEventListener('click', () => setLang(i18n.lang === 'vi' ? 'en' : 'vi'));
  $('locate').addEventListener('click', () =>
    navigator.geolocation?.getCurrentPosition((p) => {
      setSpot(p.coords.longitude, p.coords.latitude);
      map.flyTo({ center: [p.coords.longitude, p.coords.latitude], zoom: 16 });
    }),
  );
  $('report-form').addEventListener('submit', (e) => void submitReport(e));
  // Suggested categories while the description is typed; a click chooses one.
  const select = document.querySelector<HTMLSelectElement>('select[name=category]')!;
  meToo = setupMeToo($('metoo'), {
    lang: () => i18n.lang,
    contact: () => {
      const contact = { name: field('name').value.trim() || null, phone: field('phone').value.trim() || null, email: field('email').value.trim() || null };
      return (contact.name || contact.phone || contact.email) && field('consent').checked ? { contact, consent: true } : null;
    },
    photos: () => Array.from(field('photos').files ?? []),
    error: (m) => ($('report-error').textContent = m),
  });
  select.addEventListener('change', () => meToo?.refresh(spot, select.value));
  attachChips(field('description') as unknown as HTMLTextAreaElement, $('category-chips'), (code) => {
    select.value = code;
    meToo?.refresh(spot, code);
  }, () => select.value || null);
  $('copy').addEventListener('click', () => void navigator.clipboard?.writeText($('done-link').textContent ?? ''));
  $('track-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    location.hash = `#track/${String(f.get('code')).trim()}/${String(f.get('token')).trim()}`;
  });
  window.addEventListener('hashchange', route);
  categories = await getCategories().catch(() => null);
  redrawChat = mountChat(() => i18n.lang);
  setLang(i18n.lang);
  route();
  document.body.dataset.ready = 'true';
}

void main();
