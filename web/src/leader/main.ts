// The leaders' page (/leader): the figures of a period for the city, a district, a ward or a unit,
// with the change against the previous period; a map coloured by the chosen measure that drills
// city → district → ward → unit → tickets → one ticket; sortable breakdowns with CSV and XLSX
// exports; weekly trends, the hour × weekday heatmap and the other charts; the satisfaction
// index with its components; the directions (chỉ đạo) in the viewer's scope, which leaders and
// admins issue to a unit from the league table or on a ticket from its panel (directionsView.ts);
// the weekly report (weeklyView.ts): the viewer's subscription, the next report's preview, and
// the reports sent.
// What is shown lives in the URL (state.ts); a `ticket.*` event on the live feed refetches the
// figures. Vietnamese first, English on the `#lang` switch. Roles: admin, operator, leader (their
// areas), agency (their units) — the server counts within the scope.

import './leader.css';
import * as common from '../common/api';
import { $, debounce, esc } from '../common/dom';
import { ApiError } from '../common/http';
import { I18n, type Lang } from '../common/i18n';
import { LiveClient, liveUrl } from '../common/live';
import { signedIn } from '../common/signin';
import type { AreaFeature, Categories, Unit, User } from '../common/types';
import * as api from './api';
import { resizeCharts } from './charts';
import * as controls from './controls';
import type { Target } from './directions';
import { appointmentsHtml, loadAppointments, loadOfficeNames, type AppointmentFigures, type OfficeName } from './appointments';
import { deskHtml, loadDesk, type DeskFigures } from './desk';
import { DirectionDialog, DirectionsPanel, type DialogPlace, type DirectionNames } from './directionsView';
import { LeaderMap } from './map';
import { apiQuery, drill, parseState, selectedArea, stateQuery, trendQuery, addDays, type LeaderState } from './state';
import { TEXTS } from './texts';
import { inPeriod } from './tickets';
import { breakdownExtras, createView, type Loaded } from './view';
import { WeeklyPanel } from './weeklyView';

/** Live events come in bursts (a unit closing a batch): refetch once the burst is over. */
const REFETCH_MS = 2000;
/** Without the live feed, refetch this often. */
const POLL_MS = 60_000;
/** Directions come by no live feed: refetch them this often. */
const DIRECTIONS_MS = 30_000;

const i18n = new I18n(TEXTS);
/** The hotline desk's figures of the period shown, re-drawn when the language changes. */
let desk: DeskFigures | null = null;
/** The offices' figures of the period shown (and the offices' names), re-drawn when the language changes. */
let visits: AppointmentFigures | null = null;
let officeNames: OfficeName[] | null = null;
let state: LeaderState = parseState(location.search);
let districts: AreaFeature[] = [];
let wards: AreaFeature[] = [];
const areaByCode = new Map<string, AreaFeature>();
const unitByCode = new Map<string, Unit>();
let categories: Categories = { categories: [], fields: [] };
let liveState: 'connecting' | 'live' | 'offline' = 'connecting';
/** Each load's number: an answer to an older load is dropped. */
let loadSeq = 0;
/** The place the map was last framed on ('' the city; null before the first view). */
let lastFit: string | null = null;

const areaName = (code: string | null) => {
  const f = code ? areaByCode.get(code) : undefined;
  return f ? (i18n.lang === 'vi' ? f.properties.name : f.properties.name_en || f.properties.name) : code ?? '';
};
const unitName = (code: string | null | undefined) => {
  const u = code ? unitByCode.get(code) : undefined;
  return u ? (i18n.lang === 'vi' ? u.name_vi : u.name_en) : code ?? '';
};
const categoryName = (code: string) => {
  const c = categories.categories.find((x) => x.code === code);
  return c ? (i18n.lang === 'vi' ? c.name_vi : c.name_en) : code;
};

const fieldName = (code: string) => {
  const f = categories.fields.find((x) => x.code === code);
  return f ? (i18n.lang === 'vi' ? f.name_vi : f.name_en) : code;
};

let map: LeaderMap;
let view: ReturnType<typeof createView>;
let me: User;
let panel: DirectionsPanel | undefined;
let dialog: DirectionDialog;
let weekly: WeeklyPanel | undefined;

// ---- navigation: the URL is the state ----------------------------------------------------------

function navigate(next: LeaderState, push = true): void {
  state = next;
  const q = stateQuery(state);
  const url = `${location.pathname}${q ? `?${q}` : ''}`;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
  controls.show(state);
  void load();
}

/** A leader of one area starts there rather than at the city (the rest would be zeros). */
function startingPlace(user: User, s: LeaderState): LeaderState {
  if (user.role !== 'leader' || s.district || user.areas.length !== 1) return s;
  const a = areaByCode.get(user.areas[0]);
  if (a?.properties.level === 'district') return drill(s, { district: a.properties.code });
  if (a?.properties.level === 'ward' && a.properties.parent) return drill(s, { district: a.properties.parent, ward: a.properties.code });
  return s;
}

// ---- loading -------------------------------------------------------------------------------------

/** A unit and every unit below it (the statistics count a unit with its sub-units; the ticket list needs them named). */
function unitAndBelow(code: string): string[] {
  const out = [code];
  for (let i = 0; i < out.length; i++) for (const u of unitByCode.values()) if (u.parent === out[i] && !out.includes(u.code)) out.push(u.code);
  return out;
}

/** The categories of the fields filtered on (the ticket list filters by category, not field). */
const fieldCategories = (s: LeaderState) => categories.categories.filter((c) => s.field.includes(c.field)).map((c) => c.code);

async function fetchView(s: LeaderState): Promise<Loaded> {
  const area = selectedArea(s);
  const extras = breakdownExtras(s);
  const queries = {
    areas: apiQuery(s, extras.areas),
    units: apiQuery(s, extras.units),
    fields: apiQuery(s, extras.fields),
    categories: apiQuery(s, extras.categories),
  };
  const figuresP = api.stats(apiQuery(s, { area, unit: s.drillUnit, compare: true }));
  const [figures, areas, units, fields, cats, heat] = await Promise.all([
    figuresP,
    api.stats(queries.areas),
    api.stats(queries.units),
    api.stats(queries.fields),
    api.stats(queries.categories),
    api.stats(apiQuery(s, { area, unit: s.drillUnit, group: 'hour,weekday' })),
  ]);
  const from = figures.from ?? null;
  const to = figures.to ?? null;
  const ticketList = async () => {
    if (!s.drillUnit) return null;
    // Received in the period: asked of the server; resolved in it: filtered here.
    const received = s.basis === 'received' && from && to;
    const query = {
      area,
      units: unitAndBelow(s.drillUnit),
      category: fieldCategories(s),
      receivedFrom: received ? `${from}T00:00:00+07:00` : undefined,
      receivedTo: received ? `${addDays(to, 1)}T00:00:00+07:00` : undefined,
    };
    const list = await api.tickets(query);
    return { items: inPeriod(list.items, { basis: s.basis, from, to, channel: s.channel, priority: s.priority }), more: list.more, query };
  };
  const oneTicket = async () => {
    if (!s.ticket) return null;
    const [t, events, directions] = await Promise.all([
      common.ticket(s.ticket),
      api.events(s.ticket),
      api.ticketDirections(s.ticket).catch(() => []),
    ]);
    return { t, events, directions };
  };
  const [trends, tickets, ticket] = await Promise.all([
    api.trends(trendQuery(s, to, { area, unit: s.drillUnit })).catch((e) => (showError(e), null)),
    ticketList(),
    oneTicket(),
  ]);
  return { state: s, figures, areas, units, fields, categories: cats, heat, trends, tickets, ticket, queries };
}

/** Fetches what the state asks for and draws it; `quiet` (a live refetch) keeps the view as it is meanwhile. */
async function load(quiet = false): Promise<void> {
  const seq = ++loadSeq;
  const s = state;
  if (!quiet) document.body.dataset.loading = 'true';
  try {
    const loaded = await fetchView(s);
    if (seq !== loadSeq) return;
    hideError();
    const before = document.body.dataset.level;
    view.render(loaded);
    fitTo(s);
    void loadDesk(loaded.figures.from ?? null, loaded.figures.to ?? null).then((f) => {
      desk = f;
      $('desk-figures').innerHTML = deskHtml(f, i18n.lang);
    }).catch(() => undefined);
    void loadOffices(loaded.figures.from ?? null, loaded.figures.to ?? null);
    // A new list or ticket opens below the map: bring it into sight.
    const now = document.body.dataset.level;
    if (!quiet && now !== before && (now === 'unit' || now === 'ticket')) $(now === 'unit' ? 's-tickets' : 'detail').scrollIntoView({ block: 'nearest', behavior: 'smooth' });
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

/** The offices' card for the period: hidden for a viewer the figures are not for (403). */
async function loadOffices(from: string | null, to: string | null): Promise<void> {
  try {
    const [f, names] = await Promise.all([loadAppointments(from, to), officeNames ?? loadOfficeNames().catch(() => [])]);
    if (names.length) officeNames = names;
    visits = f;
    $('s-offices').hidden = false;
    $('offices-figures').innerHTML = appointmentsHtml(f, officeNames ?? [], i18n.lang);
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) $('s-offices').hidden = true;
  }
}

/** Frames the place when it changed: the city (or the viewer's districts), or a district's wards. */
function fitTo(s: LeaderState): void {
  const key = s.district ?? '';
  if (key === lastFit) return;
  const first = lastFit === null;
  lastFit = key;
  map.fit(s.district ? wards.filter((w) => w.properties.parent === s.district) : districts, first);
}

const refetchSoon = debounce(() => void load(true), REFETCH_MS);

// ---- errors ----------------------------------------------------------------------------------------

function hideError(): void {
  $('error').hidden = true;
}

/** Shows what the server said; a lost session brings the sign-in back (the URL keeps the view). */
function showError(e: unknown): void {
  if (e instanceof ApiError && e.status === 401) {
    common.session().then(
      () => undefined,
      (again) => again instanceof ApiError && again.status === 401 && location.reload(),
    );
  }
  const msg = e instanceof Error ? e.message : String(e);
  $('error').innerHTML = `<b>${esc(i18n.t('error'))}</b>: ${esc(msg)} <button type="button" id="retry">${esc(i18n.t('retry'))}</button>`;
  $('error').hidden = false;
  $('retry').addEventListener('click', () => void load());
}

// ---- language, live, start -----------------------------------------------------------------------

function setLang(l: Lang): void {
  i18n.set(l);
  controls.buildOptions({ fields: categories.fields, units: [...unitByCode.values()] }, i18n);
  controls.show(state);
  setLive(liveState);
  view?.render();
  if (desk) $('desk-figures').innerHTML = deskHtml(desk, i18n.lang);
  if (visits) $('offices-figures').innerHTML = appointmentsHtml(visits, officeNames ?? [], i18n.lang);
  panel?.render();
  weekly?.render();
}

// ---- directions ------------------------------------------------------------------------------------

/** Where a backlog direction is given: the place shown, else a leader's own area(s), else (an admin) the city. */
function dialogPlace(): DialogPlace {
  const shown = selectedArea(state);
  const mine = me.role === 'leader' ? me.areas : [];
  return {
    area: shown ?? (mine.length === 1 ? mine[0] : null),
    areaChoices: shown ? [] : mine,
    field: state.field.length === 1 ? state.field[0] : null,
    fields: categories.fields.map((f) => ({ code: f.code, name: i18n.lang === 'vi' ? f.name_vi : f.name_en })),
  };
}

function directUnit(unit: string): void {
  const place = dialogPlace();
  dialog.open({ kind: 'unit', unit, area: place.area }, place);
}

function directTicket(): void {
  const t = view.loaded?.ticket?.t;
  if (t) dialog.open({ kind: 'ticket', ticket: t.id, code: t.code, unit: t.unit ?? null }, dialogPlace());
}

function issued(d: Parameters<DirectionsPanel['put']>[0], target: Target): void {
  panel?.put(d);
  $('d-status').textContent = `${i18n.t('dSent')}: ${unitName(d.unit)}${d.ticket_code ? ` · ${d.ticket_code}` : ''}`;
  // A direction on the ticket shown joins its timeline.
  if (target.kind === 'ticket') void load(true);
}

function setLive(s: typeof liveState): void {
  liveState = s;
  $('live').dataset.state = s;
  $('live').textContent = i18n.t(s === 'live' ? 'live' : s === 'connecting' ? 'connecting' : 'offline');
}

async function main(): Promise<void> {
  i18n.set(i18n.lang);
  $('lang').addEventListener('click', () => setLang(i18n.lang === 'vi' ? 'en' : 'vi'));
  const user = await signedIn(`${TEXTS.signinWrong.vi} · ${TEXTS.signinWrong.en}`);
  me = user;
  const canDirect = user.role === 'leader' || user.role === 'admin';
  document.body.dataset.role = user.role;
  $('who').textContent = user.display_name || user.name;
  $('signout').addEventListener('click', () => void common.signOut().finally(() => location.reload()));
  $('print').addEventListener('click', () => {
    delete document.body.dataset.print;
    window.print();
  });
  $('to-weekly').addEventListener('click', () => $('weekly').scrollIntoView({ behavior: 'smooth', block: 'start' }));

  const [d, w, us, cats] = await Promise.all([common.areas('district'), common.areas('ward'), api.units(), common.categories()]);
  districts = d.features;
  wards = w.features;
  for (const f of [...districts, ...wards]) areaByCode.set(f.properties.code, f);
  for (const u of us) unitByCode.set(u.code, u);
  categories = cats;

  map = new LeaderMap($('map'), (lvl, code) => navigate(lvl === 'ward' ? drill(state, { ward: code }) : drill(state, { district: code })));
  (window as unknown as { leaderMap: unknown }).leaderMap = map.map;
  const top = user.role === 'admin' || user.role === 'operator' ? 'city' : 'scope';
  view = createView({ i18n, map, districts, wards, areaName, unit: unitName, category: categoryName, top, navigate, canDirect, directUnit });
  const names: DirectionNames = { i18n, unit: unitName, areaName, fieldName };
  panel = new DirectionsPanel(names, (ticket, unit) => navigate(drill(state, { unit, ticket })));
  dialog = new DirectionDialog(names, issued);
  weekly = new WeeklyPanel({ i18n, areaName, fieldName }, categories.fields);
  setLang(i18n.lang);
  await map.ready;

  state = startingPlace(user, state);
  navigate(state, false);

  $('controls').addEventListener('change', (e) => {
    const id = (e.target as HTMLElement).id;
    if (id === 'period' && $<HTMLSelectElement>('period').value === 'custom') {
      // Start the custom period from the one shown.
      $('custom').hidden = false;
      const shown = view.loaded?.figures;
      if (!$<HTMLInputElement>('from').value && shown?.from) $<HTMLInputElement>('from').value = shown.from;
      if (!$<HTMLInputElement>('to').value && shown?.to) $<HTMLInputElement>('to').value = shown.to;
    }
    if (id === 'from' || id === 'to') return; // a custom period is applied with its button
    const next = controls.read(state);
    if (next) navigate(next);
  });
  $('controls').addEventListener('submit', (e) => {
    e.preventDefault();
    const next = controls.read(state);
    if (next) navigate(next);
  });
  $('ticket-list').addEventListener('click', (e) => {
    const tr = (e.target as HTMLElement).closest<HTMLElement>('tr[data-key]');
    if (tr) navigate(drill(state, { ticket: tr.dataset.key! }));
  });
  $('ticket-list').addEventListener('keydown', (e) => {
    const tr = (e.target as HTMLElement).closest<HTMLElement>('tr[data-key]');
    if (tr && e.key === 'Enter') navigate(drill(state, { ticket: tr.dataset.key! }));
  });
  $('detail').addEventListener('click', (e) => {
    if ((e.target as HTMLElement).closest('.close')) navigate(drill(state, { ticket: null }));
    if ((e.target as HTMLElement).closest('[data-direct-ticket]')) directTicket();
  });
  void panel.load();
  void weekly.load();
  setInterval(() => void panel?.load(), DIRECTIONS_MS);
  window.addEventListener('popstate', () => {
    state = parseState(location.search);
    controls.show(state);
    void load();
  });
  const refit = debounce(() => {
    resizeCharts();
    map.resize();
  }, 200);
  window.addEventListener('resize', refit);
  window.addEventListener('beforeprint', () => {
    resizeCharts();
    map.resize();
  });
  window.addEventListener('afterprint', refit);

  const live = new LiveClient({
    url: liveUrl(location),
    topics: ['tickets'],
    onEvent: (e) => {
      if (e.kind.startsWith('ticket.')) refetchSoon();
    },
    onResync: async () => refetchSoon(),
    onStatus: setLive,
  });
  live.start();
  setInterval(() => {
    if (liveState !== 'live') void load(true);
  }, POLL_MS);
}

main().catch((e) => {
  showError(e);
  document.body.dataset.ready = 'error';
  console.error(e);
});
