// The citizens' booking page (booking.html, served at /dat-lich, /booking, /dat-lich/{code} and
// /lay-so/{office}): book a time at a public office for a procedure (stepper.ts), see, move or
// cancel a booking with its link (manage.ts), or take a queue number for today and follow it
// live (queue.ts). Vietnamese first, English on a switch; made for phones.

import './booking.css';
import { $ } from '../common/dom';
import { I18n, type Lang } from '../common/i18n';
import { mountManage } from './manage';
import { mountQueue } from './queue';
import { route } from './route';
import { mountStepper } from './stepper';
import { TEXTS, type Key } from './texts';

const i18n = new I18n(TEXTS);
const where = route(location.pathname, location.search);
const title: Key = where.page === 'manage' ? 'titleManage' : where.page === 'queue' ? 'titleQueue' : 'titleBook';
$('title').dataset.t = title;

let page: { redraw: () => void } | null = null;

function setLang(l: Lang): void {
  i18n.set(l);
  if (!document.title.includes(' — ') || where.page === 'book') document.title = `${i18n.t(title)} — Tổng đài 1022`;
  page?.redraw();
}

$('lang').addEventListener('click', () => setLang(i18n.lang === 'vi' ? 'en' : 'vi'));
setLang(i18n.lang);
if (where.page === 'manage') page = mountManage(i18n, where.code, where.token);
else if (where.page === 'queue') page = mountQueue(i18n, where.office);
else page = mountStepper(i18n, where.page === 'book' ? where.procedure : null);
