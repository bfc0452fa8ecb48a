// Draws one loaded view of the leaders' page: the place and period, the breadcrumb, the key
// figures, the satisfaction components, the map, the breakdown tables with their exports, the
// charts, and at the bottom of the drill-down the tickets and one ticket. Everything is drawn
// from the answers held in `Loaded`, so a language switch redraws without asking the server.

import { $, esc } from '../common/dom';
import type { I18n } from '../common/i18n';
import type { AreaFeature, Ticket, TicketEvent } from '../common/types';
import { exportUrl, ticketExportUrl, type StatsReport, type StatsRow, type TicketQuery, type TrendReport } from './api';
import { backlogChart, groupBars, heatmapChart, ratingsChart, trendChart } from './charts';
import type { DirectionView } from './directions';
import { figuresHtml, satisfactionHtml } from './figures';
import { fmtRange, fmtValue } from './format';
import { legendHtml, type AreaPaint, type LeaderMap } from './map';
import { MEASURE_DEFS, NO_DATA, colourScale } from './scale';
import { bestAndWorst } from './sort';
import { drill, level, selectedArea, type ApiExtra, type LeaderState } from './state';
import { SortableTable, figureColumns, oldBacklog, rowCode, rowName, type Column } from './tables';
import type { TEXTS } from './texts';
import { ticketDetailHtml, ticketListHtml, type Names } from './tickets';

type T = I18n<keyof typeof TEXTS>;

/** The answers behind one view, and the queries they answered (for the export links). */
export interface Loaded {
  state: LeaderState;
  figures: StatsReport;
  areas: StatsReport;
  units: StatsReport;
  fields: StatsReport;
  categories: StatsReport;
  heat: StatsReport;
  trends: TrendReport | null;
  /** The unit's tickets, and the list query they came from (for the export links). */
  tickets: { items: Ticket[]; more: boolean; query: TicketQuery } | null;
  ticket: { t: Ticket; events: TicketEvent[]; directions: DirectionView[] } | null;
  queries: Record<'areas' | 'units' | 'fields' | 'categories', string>;
}

export interface ViewContext extends Names {
  i18n: T;
  map: LeaderMap;
  districts: AreaFeature[];
  wards: AreaFeature[];
  areaName(code: string | null): string;
  /** What the top of the drill-down is called: the whole city, or (leaders, agencies) the viewer's scope. */
  top: 'city' | 'scope';
  navigate(s: LeaderState): void;
  /** Leaders and admins direct units: the league table and the ticket panel offer a “Chỉ đạo” button. */
  canDirect: boolean;
  /** The “Chỉ đạo” button of a unit (its row of the league table, a unit named among the worst). */
  directUnit(unit: string): void;
}

/** The queries of the breakdowns for a state (each also its CSV/XLSX export). */
export function breakdownExtras(s: LeaderState): Record<keyof Loaded['queries'], ApiExtra> {
  const area = selectedArea(s);
  return {
    areas: s.district ? { area: s.district, unit: s.drillUnit, group: 'area:ward' } : { unit: s.drillUnit, group: 'area:district' },
    units: { area, group: 'unit' },
    fields: { area, unit: s.drillUnit, group: 'field' },
    categories: { area, unit: s.drillUnit, group: 'category' },
  };
}

export function createView(ctx: ViewContext) {
  const { i18n } = ctx;
  let loaded: Loaded | null = null;
  const nameCol = (): Column<StatsRow> => ({ key: 'name', label: 'name', firstDir: 'asc', value: (r) => rowName(r, i18n.lang, i18n.texts.unknown) });
  const areasTable = new SortableTable<StatsRow>($('t-areas'), i18n, {
    columns: [nameCol(), ...figureColumns({ satisfaction: true, perResident: true })],
    rowKey: rowCode,
    initial: { key: 'received', dir: 'desc' },
    onRow: (r) => {
      const code = rowCode(r);
      if (!loaded || !code) return;
      const s = loaded.state;
      ctx.navigate(s.district ? drill(s, { ward: code }) : drill(s, { district: code }));
    },
  });
  // Leaders and admins direct a unit from its row: a “Chỉ đạo” button beside its name.
  const unitNameCol: Column<StatsRow> = {
    ...nameCol(),
    html: (r, lang) => {
      const name = esc(rowName(r, lang, i18n.texts.unknown));
      return ctx.canDirect && rowCode(r)
        ? `<span class="with-action">${name} <button type="button" class="direct" data-direct-unit="${esc(rowCode(r))}">${esc(i18n.texts.direct[lang])}</button></span>`
        : name;
    },
  };
  const unitsTable = new SortableTable<StatsRow>($('t-units'), i18n, {
    columns: [unitNameCol, ...figureColumns({ satisfaction: true, perResident: false, reopen: true })],
    rowKey: rowCode,
    initial: { key: 'on_time_rate', dir: 'desc' },
    onRow: (r) => loaded && rowCode(r) && ctx.navigate(drill(loaded.state, { unit: rowCode(r) })),
  });
  // The “Chỉ đạo” buttons of the league table and of the worst units above it.
  for (const id of ['t-units', 'league']) {
    $(id).addEventListener('click', (e) => {
      const b = (e.target as HTMLElement).closest<HTMLElement>('[data-direct-unit]');
      if (b) ctx.directUnit(b.dataset.directUnit!);
    });
  }
  const plain = { columns: [nameCol(), ...figureColumns({ satisfaction: false, perResident: false })], rowKey: rowCode, initial: { key: 'received', dir: 'desc' as const } };
  const fieldsTable = new SortableTable<StatsRow>($('t-fields'), i18n, plain);
  const categoriesTable = new SortableTable<StatsRow>($('t-categories'), i18n, plain);

  /** The name of the place the figures are about. */
  function placeName(s: LeaderState): string {
    const area = selectedArea(s);
    const where = area ? ctx.areaName(area) : i18n.t(ctx.top);
    return s.drillUnit ? `${ctx.unit(s.drillUnit)} · ${where}` : where;
  }

  function renderHeader(l: Loaded): void {
    const s = l.state;
    $('place').textContent = placeName(s);
    const period = s.period ? i18n.t(s.period) : i18n.t('custom');
    const basis = i18n.t(s.basis === 'resolved' ? 'basisResolved' : 'basisReceived');
    $('range').textContent = `${period}: ${fmtRange(l.figures.from, l.figures.to, i18n.lang)} · ${i18n.t('basis')}: ${basis.toLowerCase()}`;
    $('updated').textContent = `${i18n.t('updated')} ${new Date(l.figures.generated_at).toLocaleTimeString(i18n.lang === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'Asia/Ho_Chi_Minh' })}`;
    document.title = `${placeName(s)} — ${i18n.t('title')}`;
  }

  function renderCrumbs(l: Loaded): void {
    const s = l.state;
    const crumbs: [string, LeaderState | null][] = [[i18n.t(ctx.top), drill(s, { district: null })]];
    if (s.district) crumbs.push([ctx.areaName(s.district), drill(s, { ward: null, unit: null })]);
    if (s.ward) crumbs.push([ctx.areaName(s.ward), drill(s, { unit: null })]);
    if (s.drillUnit) crumbs.push([ctx.unit(s.drillUnit), drill(s, { ticket: null })]);
    if (s.ticket && l.ticket) crumbs.push([l.ticket.t.code, null]);
    const nav = $('crumbs');
    nav.innerHTML = crumbs
      .map(([name], i) => (i === crumbs.length - 1 ? `<span aria-current="page">${esc(name)}</span>` : `<a href="#" data-crumb="${i}">${esc(name)}</a>`))
      .join(' <span class="sep">›</span> ');
    nav.onclick = (e) => {
      const a = (e.target as HTMLElement).closest<HTMLElement>('[data-crumb]');
      if (!a) return;
      e.preventDefault();
      const to = crumbs[Number(a.dataset.crumb)][1];
      if (to) ctx.navigate(to);
    };
  }

  function renderMap(l: Loaded): void {
    const s = l.state;
    const def = MEASURE_DEFS[s.measure];
    const byCode = new Map(l.areas.rows.map((r) => [rowCode(r), r]));
    const values = l.areas.rows.map((r) => def.value(r));
    const scale = colourScale(def, values);
    const label = (code: string, name: string) => {
      const r = byCode.get(code);
      return r ? `${name}\n${fmtValue(def.value(r), def.kind, i18n.lang)}` : name;
    };
    const paint = (f: AreaFeature, selected: boolean): AreaPaint => {
      const r = byCode.get(f.properties.code);
      const name = i18n.lang === 'vi' ? f.properties.name : f.properties.name_en || f.properties.name;
      return { colour: r ? scale.colour(def.value(r)) : NO_DATA, label: label(f.properties.code, name), selected, opacity: 0.82 };
    };
    const districtPaint = new Map<string, AreaPaint>();
    const wardPaint = new Map<string, AreaPaint>();
    let shownWards: AreaFeature[] = [];
    if (!s.district) {
      for (const f of ctx.districts) districtPaint.set(f.properties.code, paint(f, false));
    } else {
      // The district's wards carry the colours; the other districts stay as a dimmed backdrop.
      for (const f of ctx.districts) {
        const own = f.properties.code === s.district;
        districtPaint.set(f.properties.code, { colour: '#e4e0d6', label: own ? '' : i18n.lang === 'vi' ? f.properties.name : f.properties.name_en || f.properties.name, selected: own, opacity: own ? 0 : 0.6 });
      }
      shownWards = ctx.wards.filter((w) => w.properties.parent === s.district);
      for (const f of shownWards) wardPaint.set(f.properties.code, paint(f, f.properties.code === s.ward));
    }
    ctx.map.show(ctx.districts, districtPaint, shownWards, wardPaint);
    const fmt = (v: number) => fmtValue(v, def.kind, i18n.lang);
    $('legend').innerHTML = legendHtml(`${i18n.t(def.label)} — ${i18n.t(s.district ? 'byWard' : 'byDistrict').toLowerCase()}`, scale, fmt, i18n.t('notComputed'));
  }

  function exportLinks(id: string, query: string): void {
    const host = $(id);
    host.innerHTML = `<a class="export-csv" href="${esc(exportUrl(query, 'csv'))}" download>${esc(i18n.t('exportCsv'))}</a>
      <a class="export-xlsx" href="${esc(exportUrl(query, 'xlsx'))}" download>${esc(i18n.t('exportXlsx'))}</a>`;
  }

  function renderLeague(l: Loaded): void {
    const rows = l.units.rows.filter((r) => rowCode(r));
    const name = (r: StatsRow) => rowName(r, i18n.lang, i18n.texts.unknown);
    const onTime = bestAndWorst(rows, (r) => r.measures.on_time_rate, true, (r) => r.measures.resolved, 5);
    const sat = bestAndWorst(rows, (r) => r.satisfaction?.index, true, (r) => r.measures.received, 5);
    const overdue = [...rows].sort((a, b) => b.measures.overdue + oldBacklog(b) / 1000 - (a.measures.overdue + oldBacklog(a) / 1000))[0];
    // The units named among the worst carry a “Chỉ đạo” button for those who may direct them.
    const item = (label: string, r: StatsRow | undefined, v: string, tone: string, kind: string) => {
      if (!r) return '';
      const button = tone === 'bad' && ctx.canDirect && rowCode(r) ? ` <button type="button" class="direct" data-direct-unit="${esc(rowCode(r))}">${esc(i18n.t('direct'))}</button>` : '';
      return `<li class="${tone}" data-kind="${kind}" data-unit="${esc(rowCode(r))}"><span class="k">${esc(label)}</span> <b>${esc(name(r))}</b> <span class="v">${esc(v)}</span>${button}</li>`;
    };
    // A best and a worst only when there are two units to tell apart.
    const two = <R>(bw: { best: R; worst: R } | null) => (bw && bw.best !== bw.worst ? bw : null);
    const [onTime2, sat2] = [two(onTime), two(sat)];
    $('league').innerHTML = [
      onTime2 && item(`${i18n.t('best')} · ${i18n.t('on_time_rate')}`, onTime2.best, fmtValue(onTime2.best.measures.on_time_rate, 'rate', i18n.lang), 'good', 'best-on-time'),
      onTime2 && item(`${i18n.t('worst')} · ${i18n.t('on_time_rate')}`, onTime2.worst, fmtValue(onTime2.worst.measures.on_time_rate, 'rate', i18n.lang), 'bad', 'worst-on-time'),
      sat2 && item(`${i18n.t('best')} · ${i18n.t('satisfaction')}`, sat2.best, fmtValue(sat2.best.satisfaction?.index, 'index', i18n.lang), 'good', 'best-satisfaction'),
      sat2 && item(`${i18n.t('worst')} · ${i18n.t('satisfaction')}`, sat2.worst, fmtValue(sat2.worst.satisfaction?.index, 'index', i18n.lang), 'bad', 'worst-satisfaction'),
      overdue && overdue.measures.overdue > 0 ? item(i18n.t('mostOverdue'), overdue, String(overdue.measures.overdue), 'bad', 'most-overdue') : '',
    ].filter(Boolean).join('');
  }

  function renderTables(l: Loaded): void {
    const s = l.state;
    $('h-areas').textContent = i18n.t(s.district ? 'byWard' : 'byDistrict');
    areasTable.render(l.areas.rows, l.areas.total, s.ward ?? s.district);
    unitsTable.render(l.units.rows.filter((r) => rowCode(r) || r.measures.received > 0), l.units.total, s.drillUnit);
    fieldsTable.render(l.fields.rows, l.fields.total);
    categoriesTable.render(l.categories.rows, l.categories.total);
    renderLeague(l);
    exportLinks('x-areas', l.queries.areas);
    exportLinks('x-units', l.queries.units);
    exportLinks('x-fields', l.queries.fields);
    exportLinks('x-categories', l.queries.categories);
  }

  function renderCharts(l: Loaded): void {
    if (l.trends) trendChart($('c-trends'), l.trends.weeks, i18n);
    heatmapChart($('c-heat'), l.heat.rows, i18n);
    groupBars($('c-fields'), l.fields.rows, i18n, 10);
    groupBars($('c-categories'), l.categories.rows, i18n, 12);
    ratingsChart($('c-ratings'), l.figures.total.measures.ratings, i18n);
    backlogChart($('c-backlog'), l.figures.total.measures.backlog, i18n);
  }

  function renderTickets(l: Loaded): void {
    const s = l.state;
    const lvl = level(s);
    $('s-tickets').hidden = lvl !== 'unit' && lvl !== 'ticket';
    if (!$('s-tickets').hidden && l.tickets) {
      $('h-tickets').textContent = `${i18n.t('ticketsOf')}: ${ctx.unit(s.drillUnit)} · ${selectedArea(s) ? ctx.areaName(selectedArea(s)) : i18n.t(ctx.top)}`;
      $('ticket-list').innerHTML = ticketListHtml(l.tickets.items, l.tickets.more, s.ticket, ctx, i18n);
      const q = l.tickets.query;
      $('x-tickets').innerHTML = `<a class="export-csv" href="${esc(ticketExportUrl(q, 'csv'))}" download>${esc(i18n.t('exportCsv'))}</a>
        <a class="export-xlsx" href="${esc(ticketExportUrl(q, 'xlsx'))}" download>${esc(i18n.t('exportXlsx'))}</a>`;
    }
    $('detail').hidden = !l.ticket;
    if (l.ticket) $('detail').innerHTML = ticketDetailHtml(l.ticket.t, l.ticket.events, ctx, i18n, l.ticket.directions, ctx.canDirect);
  }

  return {
    /** Draws `l` (or the last view again, after a language switch). */
    render(l: Loaded | null = loaded): void {
      if (!l) return;
      loaded = l;
      document.body.dataset.level = level(l.state);
      renderHeader(l);
      renderCrumbs(l);
      $('figures').innerHTML = figuresHtml(l.figures, i18n);
      $('sat').innerHTML = satisfactionHtml(placeName(l.state), l.figures.total, l.figures.weights, i18n);
      renderMap(l);
      renderTables(l);
      renderTickets(l);
      renderCharts(l);
    },
    get loaded() {
      return loaded;
    },
  };
}
