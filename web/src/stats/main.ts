// The public figures (/stats), open to everyone without signing in: for a period (the last 30
// days, this month, last month, this year, or two days), the city's headline figures, each
// district's (a chart of the on-time rate and a table), each unit's, reports by field and the
// city's weekly trend, from GET /api/v1/public/stats; the same figures as CSV. A group of fewer
// than 5 reports is published as "—". The period lives in the URL; Vietnamese first, English on
// the `#lang` switch (shared with the portal). Nothing is fetched from anywhere but the server.

import './stats.css';
import { $, debounce, esc } from '../common/dom';
import { ApiError } from '../common/http';
import { I18n, type Lang } from '../common/i18n';
import * as api from './api';
import { districtChart, fieldChart, resizeCharts, weeksChart } from './charts';
import { fmtDay, rowName } from './format';
import { apiQuery, isDay, parsePeriod, periodQuery, periodRange, vnToday, type Period, type PeriodName } from './period';
import { loadPress, pressHtml, type PressItem } from './press';
import { breakdownHtml, headlineHtml, weeksHtml } from './tables';
import { TEXTS } from './texts';

const i18n = new I18n(TEXTS);
let period: Period = parsePeriod(location.search, vnToday(new Date()));
let shown: api.PublicStats | null = null;
/** Each load's number: an answer to an older load is dropped. */
let loadSeq = 0;

/** The press feedback, re-drawn when the language changes. */
let press: PressItem[] | null = null;

function setLang(l: Lang): void {
  i18n.set(l);
  document.title = i18n.t('docTitle');
  if (press) $('press').innerHTML = pressHtml(press, i18n.lang);
  showPeriod();
  if (shown) render(shown);
}

// ---- the period ------------------------------------------------------------------------------

/** The controls show `period`. */
function showPeriod(): void {
  $<HTMLSelectElement>('period').value = period.name;
  $('custom').hidden = period.name !== 'custom';
  $<HTMLInputElement>('from').value = period.from;
  $<HTMLInputElement>('to').value = period.to;
  const q = apiQuery(period);
  $<HTMLAnchorElement>('csv').href = api.csvUrl(q);
}

function go(next: Period, push = true): void {
  period = next;
  const q = periodQuery(period);
  const url = `${location.pathname}${q ? `?${q}` : ''}`;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
  showPeriod();
  void load();
}

function readCustom(): Period | null {
  const from = $<HTMLInputElement>('from').value;
  const to = $<HTMLInputElement>('to').value;
  if (!isDay(from) || !isDay(to) || from > to) {
    $('period-error').textContent = i18n.t('badRange');
    return null;
  }
  $('period-error').textContent = '';
  return { name: 'custom', from, to };
}

// ---- loading and drawing -------------------------------------------------------------------------

async function load(): Promise<void> {
  const seq = ++loadSeq;
  document.body.dataset.loading = 'true';
  try {
    const s = await api.publicStats(apiQuery(period));
    if (seq !== loadSeq) return;
    shown = s;
    $('error').hidden = true;
    render(s);
    document.body.dataset.loads = String(Number(document.body.dataset.loads ?? 0) + 1);
  } catch (e) {
    if (seq === loadSeq) showError(e);
  } finally {
    if (seq === loadSeq) {
      delete document.body.dataset.loading;
      document.body.dataset.ready = 'true';
    }
  }
}

function render(s: api.PublicStats): void {
  const lang = i18n.lang;
  $('range').textContent = `${period.name === 'custom' ? i18n.t('custom') : i18n.t(period.name)}: ${fmtDay(s.from, lang)} – ${fmtDay(s.to, lang)}`;
  $('updated').textContent = `${i18n.t('updated')} ${new Date(s.generated_at).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' })}`;
  $('figures').innerHTML = headlineHtml(s.city, i18n);
  $('t-districts').innerHTML = breakdownHtml(s.districts, 'district', 'byDistrict', i18n, { city: s.city });
  $('t-units').innerHTML = breakdownHtml(s.units, 'unit', 'byUnit', i18n);
  $('t-fields').innerHTML = breakdownHtml(s.fields, 'field', 'byField', i18n, { without: ['satisfaction_index'] });
  $('t-weeks').innerHTML = weeksHtml(s.weeks, i18n);
  const offDistricts = districtChart($('c-districts'), s.districts, i18n);
  const offFields = fieldChart($('c-fields'), s.fields, i18n);
  weeksChart($('c-weeks'), s.weeks, i18n);
  const off = (id: string, rows: api.PublicRow[]) => {
    $(id).textContent = rows.length ? `${i18n.t('notCharted')}: ${rows.map((r) => rowName(r, lang)).join(', ')}` : '';
  };
  off('off-districts', offDistricts);
  off('off-fields', offFields);
}

function showError(e: unknown): void {
  const msg = e instanceof ApiError ? e.message : e instanceof Error ? e.message : String(e);
  $('error').innerHTML = `<b>${esc(i18n.t('error'))}</b>: ${esc(msg)} <button type="button" id="retry">${esc(i18n.t('retry'))}</button>`;
  $('error').hidden = false;
  $('retry').addEventListener('click', () => void load());
}

// ---- start -------------------------------------------------------------------------------------------

function main(): void {
  setLang(i18n.lang);
  $('lang').addEventListener('click', () => setLang(i18n.lang === 'vi' ? 'en' : 'vi'));
  $('period').addEventListener('change', () => {
    const name = $<HTMLSelectElement>('period').value as PeriodName | 'custom';
    if (name === 'custom') {
      // Start the custom period from the one shown; it is applied with its button.
      $('custom').hidden = false;
      $<HTMLInputElement>('from').focus();
      return;
    }
    go({ name, ...periodRange(name, vnToday(new Date())) });
  });
  $('period-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const next = readCustom();
    if (next) go(next);
  });
  window.addEventListener('popstate', () => {
    period = parsePeriod(location.search, vnToday(new Date()));
    showPeriod();
    void load();
  });
  window.addEventListener('resize', debounce(resizeCharts, 200));
  go(period, false);
}

main();
void loadPress()
  .then((items) => {
    press = items;
    $('press').innerHTML = pressHtml(items, i18n.lang);
  })
  .catch(() => undefined);
