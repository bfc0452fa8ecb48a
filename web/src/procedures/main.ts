// The procedures catalogue (/thu-tuc, also /procedures): search in Vietnamese with or without
// diacritics, browse by field and level, read one procedure whole (steps, ways to submit with
// their time limits and fees, documents, where to go) at its own address. Made for phones.

import './procedures.css';
import { $, debounce, esc } from '../common/dom';
import { ApiError } from '../common/http';
import { I18n, type Lang } from '../common/i18n';
import * as api from './api';
import { TEXTS } from './texts';
import { codeOf, detailHtml, href, summaryHtml } from './view';

const i18n = new I18n(TEXTS);
const t = (k: keyof typeof TEXTS) => i18n.t(k);
const query: api.Query = {};
let items: api.Summary[] = [];
let total = 0;
let fieldList: api.Field[] = [];
let shown: api.Detail | null = null;
/** Answers to older requests are dropped when a newer one was sent. */
let asked = 0;

function renderFields(): void {
  const chip = (f: string, label: string, count: number | null) =>
    `<li><button type="button" data-field="${esc(f)}" aria-pressed="${(query.field ?? '') === f}">${esc(label)}${count === null ? '' : ` <small>${count}</small>`}</button></li>`;
  $('fields').innerHTML =
    chip('', t('allFields'), null) +
    fieldList.map((f) => chip(f.field, i18n.lang === 'en' && f.field_en ? f.field_en : f.field, f.count)).join('');
}

function renderList(): void {
  $('count').textContent = total ? `${total} ${t('found')}` : t('none');
  $('results').innerHTML = items.map((s) => summaryHtml(s, i18n.lang)).join('');
  $('more').hidden = items.length >= total;
}

async function load(append = false): Promise<void> {
  const n = ++asked;
  query.offset = append ? items.length : 0;
  try {
    const page = await api.list(query);
    if (n !== asked) return;
    items = append ? items.concat(page.items) : page.items;
    total = page.total;
    renderList();
  } catch {
    if (n === asked) $('count').textContent = t('failed');
  }
}

function renderDetail(): void {
  const view = $('detail');
  if (shown) view.innerHTML = detailHtml(shown, i18n.lang);
}

async function open(code: string | null, push: boolean): Promise<void> {
  if (push) history.pushState(null, '', code ? href(code) : '/thu-tuc');
  const view = $('detail');
  $('finder').hidden = code !== null;
  view.hidden = code === null;
  if (code === null) {
    shown = null;
    return;
  }
  try {
    shown = await api.one(code);
    renderDetail();
    document.title = `${shown.name} — ${t('title')}`;
    window.scrollTo(0, 0);
  } catch (e) {
    shown = null;
    view.innerHTML = `<p><a href="/thu-tuc" id="back-to-list">${esc(t('backToList'))}</a></p><p class="error">${esc(
      e instanceof ApiError && e.status === 404 ? t('notFound') : t('failed'),
    )}</p>`;
  }
}

function setLang(l: Lang): void {
  i18n.set(l);
  renderFields();
  renderList();
  renderDetail();
}

function wire(): void {
  $('lang').addEventListener('click', () => setLang(i18n.lang === 'vi' ? 'en' : 'vi'));
  const search = debounce(() => void load(), 250);
  $('q').addEventListener('input', () => {
    query.q = ($('q') as HTMLInputElement).value;
    search();
  });
  $('search').addEventListener('submit', (e) => {
    e.preventDefault();
    void load();
  });
  $('level').addEventListener('change', () => {
    query.level = ($('level') as HTMLSelectElement).value || undefined;
    void load();
  });
  $('fields').addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-field]');
    if (!b) return;
    query.field = b.dataset.field || undefined;
    renderFields();
    void load();
  });
  $('more').addEventListener('click', () => void load(true));
  document.addEventListener('click', (e) => {
    const a = (e.target as HTMLElement).closest<HTMLAnchorElement>('a[data-code], a#back-to-list');
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    void open(a.dataset.code ?? null, true);
  });
  window.addEventListener('popstate', () => void open(codeOf(location.pathname), false));
}

wire();
setLang(i18n.lang);
void api.fields().then((f) => {
  fieldList = f;
  renderFields();
});
void load();
void open(codeOf(location.pathname), false);
