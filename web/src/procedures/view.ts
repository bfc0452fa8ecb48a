// HTML of the procedures page, as pure functions of the data and the language (tested in
// view.test.ts): a result line, and one procedure whole.

import { esc } from '../common/dom';
import type { Lang } from '../common/i18n';
import type { Channel, Detail, Level, Summary } from './api';
import { TEXTS, type Key } from './texts';

const tr = (k: Key, lang: Lang) => TEXTS[k][lang];

/** The page's own address of a procedure. */
export const href = (code: string) => `/thu-tuc/${encodeURIComponent(code)}`;

/** The booking page, with this procedure chosen (`/dat-lich?procedure=CODE`). */
export const bookingHref = (code: string) => `/dat-lich?procedure=${encodeURIComponent(code)}`;

/** The procedure code a path names (`/thu-tuc/1.004227`, `/procedures/1.004227`), if any. */
export function codeOf(path: string): string | null {
  const m = /^\/(?:thu-tuc|procedures)\/([^/]+)\/?$/.exec(path);
  return m ? decodeURIComponent(m[1]) : null;
}

const levelText = (l: Level, lang: Lang) => tr(l, lang);
const channelText = (c: Channel, lang: Lang) => tr(c === 'online' ? 'onlineCh' : c, lang);
const name = (p: { name: string; name_en?: string | null }, lang: Lang) =>
  lang === 'en' && p.name_en ? `${esc(p.name_en)} <small class="muted" lang="vi">${esc(p.name)}</small>` : esc(p.name);
const field = (p: { field: string; field_en?: string | null }, lang: Lang) =>
  esc(lang === 'en' && p.field_en ? p.field_en : p.field);

/** One result of a list. */
export function summaryHtml(s: Summary, lang: Lang): string {
  const online = s.online ? ` · <span class="badge">${esc(tr('onlineCh', lang))}</span>` : '';
  return `<li><a href="${href(s.code)}" data-code="${esc(s.code)}"><strong>${name(s, lang)}</strong></a>
    <small class="muted">${esc(s.code)} · ${field(s, lang)} · ${esc(levelText(s.level, lang))}${online}</small>
    <small>${esc(tr('timeLimit', lang))}: ${esc(s.time_limit)} · ${esc(tr('fee', lang))}: ${esc(s.fee)}</small></li>`;
}

const section = (title: string, body: string) => (body ? `<section><h3>${esc(title)}</h3>${body}</section>` : '');
const para = (s: string | null | undefined) => (s ? `<p>${esc(s).replace(/\n/g, '<br>')}</p>` : '');

/** Only http(s) addresses become links. */
const safeUrl = (u: string | null | undefined) => (u && /^https?:\/\//i.test(u) ? u : null);

/** One procedure whole. */
export function detailHtml(d: Detail, lang: Lang): string {
  const t = (k: Key) => tr(k, lang);
  const methods = d.methods
    .map((m) => `<tr><td>${esc(channelText(m.channel, lang))}</td><td>${esc(m.time_limit)}</td><td>${esc(m.fee)}</td><td>${esc(m.note ?? '')}</td></tr>`)
    .join('');
  const docs = d.documents
    .map((x) => `<tr><td>${esc(x.name)}${x.note ? `<br><small class="muted">${esc(x.note)}</small>` : ''}</td><td>${esc(x.copies ?? '')}</td></tr>`)
    .join('');
  const online = safeUrl(d.online_url);
  const related = d.related_procedures
    .map((r) => `<li><a href="${href(r.code)}" data-code="${esc(r.code)}">${name(r, lang)}</a> <small class="muted">${esc(r.code)}</small></li>`)
    .join('');
  return `<p><a href="/thu-tuc" id="back-to-list">${esc(t('backToList'))}</a></p>
    <h2>${name(d, lang)}</h2>
    ${d.demo ? `<p class="demo" role="note">${esc(t('demo'))}</p>` : ''}
    <dl class="facts"><dt>${esc(t('code'))}</dt><dd>${esc(d.code)}</dd>
      <dt>${esc(t('field'))}</dt><dd>${field(d, lang)}</dd>
      <dt>${esc(t('level'))}</dt><dd>${esc(levelText(d.level, lang))}</dd></dl>
    <p class="actions">${online ? `<a class="button" href="${esc(online)}" rel="noopener noreferrer" target="_blank">${esc(t('online'))}</a> ` : ''}<a class="button book" href="${esc(bookingHref(d.code))}">${esc(t('book'))}</a></p>
    ${section(t('steps'), `<ol>${d.steps.map((s) => `<li>${esc(s)}</li>`).join('')}</ol>`)}
    ${section(t('methods'), `<table><thead><tr><th>${esc(t('channel'))}</th><th>${esc(t('timeLimit'))}</th><th>${esc(t('fee'))}</th><th>${esc(t('noteCol'))}</th></tr></thead><tbody>${methods}</tbody></table>`)}
    ${section(t('documents'), `<table><thead><tr><th>${esc(t('document'))}</th><th>${esc(t('copies'))}</th></tr></thead><tbody>${docs}</tbody></table>`)}
    ${section(t('applicants'), para(d.applicants))}
    ${section(t('agency'), para(d.agency))}
    ${section(t('submitAt'), para(d.submit_at))}
    ${section(t('result'), para(d.result))}
    ${section(t('conditions'), para(d.conditions))}
    ${section(t('legal'), d.legal_basis.length ? `<ul>${d.legal_basis.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : '')}
    ${section(t('related'), related ? `<ul>${related}</ul>` : '')}`;
}
