// The map wall (/wall): districts coloured by handling health, tickets live, KPIs and a ticker.
// State lives in module variables; each `render*`/`set*` function is small and idempotent: it
// draws the current state and can be called again at any time.

import maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import './wall.css';
import * as common from '../common/api';
import { $, esc } from '../common/dom';
import { LiveClient, liveUrl, type KpisFrame, type LiveEvent } from '../common/live';
import { bbox } from '../common/map/geometry';
import * as ID from '../common/map/ids';
import { signedIn } from '../common/signin';
import { STATUS_LABELS } from '../common/status';
import type { AreaCollection, KpiView, Status, Ticket, WallConfig } from '../common/types';
import * as api from './api';
import { applyCameraFrame, initCameras, reloadCameras, renderNearCameras } from './cameras';
import { applyCounters, areaFeatures, fromEvent, isOpen, isOverdue, labelFeatures, upsertTicket, type MapTicket } from './geojson';
import { DEFAULT_WALL, HEALTH_COLOURS, RULE_CAPTIONS, STATUS_COLOURS, health, healthLabels, type Health } from './health';
import { formatHours, formatRate, kpiCells } from './kpi';
import { LiveOverlay } from './overlay';
import { initPlanning } from './planning';
import * as S from './style';

/** How long a new ticket pulses. */
const FRESH_MS = 60_000;
/** Tickets past their deadline turn red within this time. */
const RECOLOUR_MS = 60_000;
/** Closed tickets stay on the map this long (as the ticket tiles' and GET /api/v1/map/tickets's window). */
const RECENT_MS = 24 * 3600_000;
/** REST refresh of everything while the live feed is down. */
const POLL_MS = 30_000;
/**
 * The ticket tiles are reloaded at most this often while the overlay holds anything (their
 * cluster counts then take in new tickets); changes in between are drawn at once by the small
 * live overlay (overlay.ts).
 */
const FOLD_MS = 60_000;
/** …or sooner when the overlay grows past this many tickets (its data stays small). */
const OVERLAY_MAX = 2000;
const TICKER_LEN = 12;
const OVERDUE_LIST = 12;

let districts: AreaCollection = { type: 'FeatureCollection', features: [] };
let wards: AreaCollection = { type: 'FeatureCollection', features: [] };
/**
 * The tickets the page knows more of than the tiles say: the ticker's, those changed by live
 * events (until the tiles have taken them in) and those clicked. The map's tickets are in the tiles.
 */
const tickets = new Map<string, MapTicket>();
/** Ids of the newest tickets, newest first (the ticker). */
let latest: string[] = [];
let kpis: KpiView | null = null;
let wall: WallConfig = DEFAULT_WALL;
let liveState: 'connecting' | 'live' | 'offline' = 'connecting';
const freshUntil = new Map<string, number>();
const categoryNames = new Map<string, string>();
let cityBbox: [number, number, number, number] = [-180, -85, 180, 85];
let selectedDistrict: string | null = null;
let map: maplibregl.Map;
const pulseMarkers = new Map<string, maplibregl.Marker>();
const overlay = new LiveOverlay();

const fmtTime = (t: string | number) =>
  new Date(t).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit' });

// ---- map updates (small, idempotent) --------------------------------------------------------

function setSource(id: string, data: GeoJSON.FeatureCollection): void {
  (map.getSource(id) as maplibregl.GeoJSONSource | undefined)?.setData(data);
}

/** The areas' GeoJSON as drawn: coloured by the wall's rule, labelled with their counts. */
function areaData(): S.AreaData {
  return {
    districts: areaFeatures(districts, wall, kpis?.areas),
    wards: areaFeatures(wards, wall, kpis?.areas),
    // Labels are symbol layers (style.ts) on one point per area.
    districtLabels: labelFeatures(districts),
    wardLabels: labelFeatures(wards),
  };
}

function renderAreas(): void {
  const d = areaData();
  setSource(ID.SRC_DISTRICTS, d.districts);
  setSource(ID.SRC_WARDS, d.wards);
  setSource(ID.SRC_DISTRICT_LABELS, d.districtLabels);
  setSource(ID.SRC_WARD_LABELS, d.wardLabels);
}

/** For measurements (docs/BENCHMARKS.md): the seq of the last event applied, and of the last ticket
 * layer the map finished drawing, with when. */
const probe = window as unknown as { wallSeq: number; wallDrawn: { seq: number; at: number } | null };
probe.wallSeq = 0;
probe.wallDrawn = null;

/** Calls `done` once a ticket source's new data is loaded and drawn (the next frame after). */
function onTicketsDrawn(done: () => void, source: string = ID.SRC_TICKETS): void {
  const check = (e: maplibregl.MapSourceDataEvent) => {
    if (e.sourceId !== source || !map.isSourceLoaded(source)) return;
    map.off('sourcedata', check);
    map.once('render', done);
    map.triggerRepaint();
  };
  map.on('sourcedata', check);
}

/** Calls `done` at the first frame drawn once every one of `sources` is loaded. */
function whenDrawn(sources: string[], done: () => void): void {
  const check = () => {
    if (!sources.every((s) => map.getSource(s) && map.isSourceLoaded(s))) return;
    map.off('sourcedata', check);
    map.once('render', done);
    map.triggerRepaint();
  };
  map.on('sourcedata', check);
}

/** A reload of the ticket tiles is under way; another is due once it is drawn. */
let reloading = false;
let reloadAgain = false;

/**
 * Reloads the ticket tiles on screen (an unchanged tile is a 304, not parsed again), then folds
 * back into them the overlay's changes they contain.
 */
function reloadTickets(): void {
  if (reloading) {
    reloadAgain = true;
    return;
  }
  const seq = probe.wallSeq;
  const mark = overlay.mark();
  reloading = true;
  afterReload(() => {
    reloading = false;
    drawn(seq);
    for (const id of overlay.folded(mark)) map.removeFeatureState({ source: ID.SRC_TICKETS, sourceLayer: ID.TILE_LAYER_TICKETS, id }, S.LIVE_STATE);
    forget();
    if (reloadAgain || overlay.size > OVERLAY_MAX) {
      reloadAgain = false;
      reloadTickets();
    } else renderOverlay(false);
  });
  map.refreshTiles(ID.SRC_TICKETS);
  renderPulses();
}

/**
 * Calls `done` once the ticket tiles asked for again are all in and drawn. Polled: a tile whose
 * ETag did not change comes back as a 304 that MapLibre neither parses nor announces.
 */
function afterReload(done: () => void): void {
  const poll = () => {
    if (!map.isSourceLoaded(ID.SRC_TICKETS)) return void setTimeout(poll, 16);
    map.once('render', done);
    map.triggerRepaint();
  };
  setTimeout(poll, 16);
}

/** Drops the tickets the page no longer needs (in the tiles, not in the ticker, the overlay or pulsing). */
function forget(): void {
  const keep = new Set(latest);
  for (const id of tickets.keys()) if (!keep.has(id) && !overlay.has(id) && !freshUntil.has(id)) tickets.delete(id);
}

function drawn(seq: number): void {
  if (!probe.wallDrawn || seq >= probe.wallDrawn.seq) probe.wallDrawn = { seq, at: Date.now() };
}

/** The live overlay: the few tickets changed since the tiles were loaded (fast), their tile points hidden. */
function renderOverlay(probed = true): void {
  if (probed) {
    const seq = probe.wallSeq;
    onTicketsDrawn(() => drawn(seq), ID.SRC_TICKETS_LIVE);
  }
  setSource(ID.SRC_TICKETS_LIVE, overlay.features(tickets));
  for (const id of overlay.takeAdded()) map.setFeatureState({ source: ID.SRC_TICKETS, sourceLayer: ID.TILE_LAYER_TICKETS, id }, { [S.LIVE_STATE]: true });
}

/** Re-colours the points for the current time (tickets past their deadline turn red). */
function renderOverdue(): void {
  for (const l of [ID.LYR_TICKETS, ID.LYR_TICKETS_LIVE]) map.setPaintProperty(l, 'circle-color', S.ticketColour(Date.now()));
}

/** Closed tickets in the tiles leave the map once their 24 hours are over (the tiles are cut when encoded). */
function renderWindow(): void {
  map.setFilter(ID.LYR_TICKETS, S.recentFilter(Date.now() - RECENT_MS) as maplibregl.FilterSpecification);
}

function renderPulses(): void {
  const now = Date.now();
  for (const [id, until] of freshUntil) if (until <= now) freshUntil.delete(id);
  const fresh = new Set(freshUntil.keys());
  for (const [id, m] of pulseMarkers) {
    if (!fresh.has(id)) {
      m.remove();
      pulseMarkers.delete(id);
    }
  }
  for (const id of fresh) {
    const t = tickets.get(id);
    if (!t || pulseMarkers.has(id)) continue;
    const el = document.createElement('div');
    el.className = 'pulse';
    el.style.setProperty('--c', STATUS_COLOURS[t.status] ?? '#3b82f6');
    el.addEventListener('click', () => showTicket(id));
    pulseMarkers.set(id, new maplibregl.Marker({ element: el }).setLngLat([t.lon, t.lat]).addTo(map));
  }
}

function renderSelection(): void {
  map.setFilter(ID.LYR_DISTRICT_SELECTED, ['==', ['get', 'code'], selectedDistrict ?? '']);
}

// ---- panels ---------------------------------------------------------------------------------

function renderKpis(): void {
  $('kpis').innerHTML = kpiCells(kpis?.total ?? null)
    .map(([vi, en, v, cls]) => `<div class="kpi ${cls ?? ''}"><div class="v">${esc(v)}</div><div class="vi">${vi}</div><div class="en">${en}</div></div>`)
    .join('');
}

function areaName(code: string | null | undefined): string {
  if (!code) return '';
  const f = wards.features.find((x) => x.properties.code === code) ?? districts.features.find((x) => x.properties.code === code);
  return f?.properties.name ?? code;
}

function renderTicker(): void {
  $('ticker').innerHTML = latest
    .map((id) => tickets.get(id))
    .filter((t): t is MapTicket => t !== undefined)
    .map((t) => {
      const key = isOverdue(t, new Date()) ? 'overdue' : t.status;
      return `<li data-id="${esc(t.id)}"><span class="dot" style="background:${STATUS_COLOURS[key]}"></span>
        <span class="time">${fmtTime(t.received_at)}</span> <b>${esc(t.code ?? '')}</b>
        <span class="cat">${esc(categoryNames.get(t.category) ?? t.category)}</span>
        <span class="area">${esc(areaName(t.area))}</span></li>`;
    })
    .join('');
}

function renderLegend(): void {
  const order: Health[] = ['good', 'warn', 'bad', 'none'];
  const labels = healthLabels(wall);
  $('legend').innerHTML =
    `<h3>Quận/huyện · <span class="en">districts</span></h3>` +
    order.map((h) => `<div><span class="sw" style="background:${HEALTH_COLOURS[h]}"></span>${labels[h].vi} <span class="en">${labels[h].en}</span></div>`).join('') +
    `<p>${RULE_CAPTIONS[wall.rule].vi} · <span class="en">${RULE_CAPTIONS[wall.rule].en}</span></p><h3>Phản ánh · <span class="en">tickets</span></h3>` +
    (['received', 'assigned', 'in_progress', 'returned', 'resolved'] as Status[])
      .map((s) => `<div><span class="dot" style="background:${STATUS_COLOURS[s]}"></span>${STATUS_LABELS[s].vi} <span class="en">${STATUS_LABELS[s].en}</span></div>`)
      .join('') +
    `<div><span class="dot" style="background:${STATUS_COLOURS.overdue}"></span>Quá hạn <span class="en">overdue</span></div>`;
}

function showPanel(html: string): void {
  $('panel').innerHTML = `<button class="close" aria-label="Đóng">×</button>${html}`;
  $('panel').hidden = false;
  $('panel').querySelector('.close')?.addEventListener('click', () => {
    $('panel').hidden = true;
    selectedDistrict = null;
    renderSelection();
  });
}

/** The detail panel: what the map holds at once, then the ticket as the API shows this viewer. */
function showTicket(id: string): void {
  const t = tickets.get(id);
  if (t) renderTicketPanel(t, null);
  else showPanel('<h2>…</h2>');
  common.ticket(id).then(
    (full) => {
      const shown = fromEvent(full, tickets.get(id));
      if (!shown) return;
      // Held only while it is in the ticker or the overlay: the map's tickets are in the tiles.
      const current = tickets.get(id);
      renderTicketPanel(current && current.version > shown.version ? current : shown, full);
      if (current) upsertTicket(tickets, shown);
    },
    () => undefined,
  );
}

function renderTicketPanel(t: MapTicket, full: Ticket | null): void {
  const overdue = isOverdue(t, new Date());
  showPanel(`<h2>${esc(t.code ?? full?.code ?? '…')}</h2>
    <p class="st" style="border-color:${STATUS_COLOURS[overdue ? 'overdue' : t.status]}">${STATUS_LABELS[t.status]?.vi ?? t.status}
      <span class="en">${STATUS_LABELS[t.status]?.en ?? ''}</span>${overdue ? ' · <b class="bad">QUÁ HẠN</b>' : ''}</p>
    <dl>
      <dt>Lĩnh vực <span class="en">category</span></dt><dd>${esc(categoryNames.get(t.category) ?? t.category)}</dd>
      <dt>Địa bàn <span class="en">area</span></dt><dd>${esc(full?.area_name ?? areaName(t.area) ?? '—')}</dd>
      <dt>Đơn vị xử lý <span class="en">unit</span></dt><dd>${esc(t.unit ?? '—')}</dd>
      <dt>Tiếp nhận <span class="en">received</span></dt><dd>${fmtTime(t.received_at)}</dd>
      <dt>Hạn xử lý <span class="en">deadline</span></dt><dd>${fmtTime(t.deadline)}</dd>
    </dl>
    ${full?.description ? `<p class="desc">${esc(full.description)}</p>` : ''}
    <div class="near"></div>`);
  void renderNearCameras($('panel').querySelector<HTMLElement>('.near')!, t.lon, t.lat);
}

/** The `n` largest groups (most first), as table rows. */
function topRows(groups: { name: string; open: number }[], n = 8): string {
  const shown = groups.slice(0, n).map((g) => `<tr><td>${esc(g.name)}</td><td>${g.open}</td></tr>`).join('');
  const rest = groups.slice(n).reduce((sum, g) => sum + g.open, 0);
  return (shown || '<tr><td>—</td><td></td></tr>') + (rest ? `<tr class="more"><td>khác · other</td><td>${rest}</td></tr>` : '');
}

/** Fills a breakdown table of the district panel once the server has counted it. */
function fillBreakdown(code: string, by: 'category' | 'unit', head: string): void {
  api.getOpenBy(code, by).then(
    (groups) => {
      const table = $('panel').querySelector<HTMLElement>(`table.by-${by}`);
      if (!table || selectedDistrict !== code) return;
      const named = by === 'unit' ? groups.map((g) => ({ ...g, name: g.name || 'Chưa phân công · unassigned' })) : groups;
      table.innerHTML = head + topRows(named);
    },
    () => undefined,
  );
}

/** The drill-down panel of a district: counts by status, open tickets by category and unit, its overdue tickets. */
function selectDistrict(code: string): void {
  const f = districts.features.find((d) => d.properties.code === code);
  if (!f) return;
  selectedDistrict = code;
  renderSelection();
  const p = f.properties;
  const h = health(p.stats, wall, kpis?.areas[code]?.on_time_rate);
  const counts = (Object.keys(STATUS_LABELS) as Status[])
    .map((st) => [st, p.stats.counts[st] ?? 0] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `<tr><td><span class="dot" style="background:${STATUS_COLOURS[s as Status]}"></span>${STATUS_LABELS[s as Status]?.vi ?? s}</td><td>${n}</td></tr>`)
    .join('');
  const k = kpis?.areas[code];
  const byCategory = `<tr><th>Đang xử lý theo lĩnh vực <span class="en">open by category</span></th><th></th></tr>`;
  const byUnit = `<tr><th>Theo đơn vị xử lý <span class="en">open by unit</span></th><th></th></tr>`;
  showPanel(`<h2>${esc(p.name)}</h2><p class="en">${esc(p.name_en ?? '')}</p>
    <p><span class="sw" style="background:${HEALTH_COLOURS[h]}"></span>${healthLabels(wall)[h].vi}</p>
    ${k ? `<p class="kpi-line">Đúng hạn ${formatRate(k.on_time_rate ?? null)} · trung vị ${formatHours(k.median_handling_hours ?? null)} <span class="en">(30 days)</span></p>` : ''}
    <table class="counts"><tr><th>Trạng thái <span class="en">status</span></th><th>Số <span class="en">n</span></th></tr>${counts}
      <tr class="total"><td>Tổng · total</td><td>${p.stats.total}</td></tr></table>
    <table class="counts by-category">${byCategory}<tr><td>…</td><td></td></tr></table>
    <table class="counts by-unit">${byUnit}<tr><td>…</td><td></td></tr></table>
    <h3>Quá hạn <span class="en">overdue</span> (${p.stats.overdue})</h3>
    <ul class="overdue"><li>…</li></ul>
    <button class="zoom">Xem các phường/xã · <span class="en">zoom to wards</span></button>`);
  $('panel').querySelector('.zoom')?.addEventListener('click', () => {
    const [a, b, c, d] = bbox(f.geometry);
    map.fitBounds([a, b, c, d], { padding: 80, minZoom: S.WARD_ZOOM });
  });
  fillBreakdown(code, 'category', byCategory);
  fillBreakdown(code, 'unit', byUnit);
  api.getOverdue(code, OVERDUE_LIST).then(
    (items) => {
      const ul = $('panel').querySelector<HTMLElement>('.overdue');
      if (!ul || selectedDistrict !== code) return;
      ul.innerHTML =
        items.map((t) => `<li data-id="${esc(t.id)}"><b>${esc(t.code)}</b> ${esc(t.area_name ?? '')} · hạn ${fmtTime(t.deadline)}</li>`).join('') +
        (p.stats.overdue > items.length ? `<li class="more">+ ${p.stats.overdue - items.length} …</li>` : '') || '<li>—</li>';
      ul.querySelectorAll<HTMLElement>('li[data-id]').forEach((li) => li.addEventListener('click', () => showTicket(li.dataset.id!)));
    },
    () => undefined,
  );
}

function renderAll(): void {
  renderAreas();
  renderOverlay(false);
  renderKpis();
  renderTicker();
}

// Live changes are drawn in batches at the next frame: areas, KPIs, the ticker and the small live
// overlay of changed tickets. The ticket tiles are reloaded when the overlay grows past
// OVERLAY_MAX, and every FOLD_MS while it holds anything (main's timer).
let overlayDirty = false;
let rebuild = false;
let framePending = false;
let lastOverdueCheck = Date.now();
/** The window filter of the tiles' points is moved on this often (it lays their tiles out again). */
const WINDOW_MS = 10 * 60_000;
let lastWindow = Date.now();

function invalidate(ticketsChanged: boolean, removed = false): void {
  overlayDirty ||= ticketsChanged;
  rebuild ||= removed;
  if (framePending) return;
  framePending = true;
  requestAnimationFrame(flush);
}

function flush(): void {
  framePending = false;
  renderAreas();
  renderKpis();
  renderTicker();
  // A flood of changes is not drawn point by point: the next reload of the tiles folds it in.
  if (overlay.size > OVERLAY_MAX) reloadTickets();
  else if (overlayDirty || rebuild) {
    renderOverlay();
    renderPulses();
  }
  rebuild = overlayDirty = false;
}

// ---- data -----------------------------------------------------------------------------------

async function loadAreas(): Promise<void> {
  const [d, w] = await Promise.all([common.areas('district'), common.areas('ward')]);
  districts = d;
  wards = w;
}

/** The ticker's newest tickets. Newer versions the page holds are kept. */
async function loadLatest(): Promise<void> {
  const newest = await api.getLatest(TICKER_LEN);
  for (const v of newest) {
    const t = fromEvent(v, tickets.get(v.id));
    if (t) upsertTicket(tickets, t);
  }
  latest = newest.map((t) => t.id);
}

/** The key figures; returns the seq they (and so the index the tiles are cut from) include. */
async function loadKpis(): Promise<number> {
  kpis = await api.getKpis();
  return kpis.seq;
}

/** Reloads areas, key figures, the ticker and the ticket tiles via REST; returns the seq to follow from. */
async function reload(): Promise<number> {
  const [, seq] = await Promise.all([loadAreas(), loadKpis(), loadLatest()]);
  renderAll();
  reloadTickets();
  return seq;
}

function applyEvent(e: LiveEvent): void {
  probe.wallSeq = e.seq;
  const t = fromEvent(e.data, tickets.get(String(e.data.id)));
  let changed = false;
  if (t) {
    const r = upsertTicket(tickets, t);
    changed = r !== 'stale';
    if (changed) overlay.add(t.id);
    // New to the city, not only to the page (which holds few tickets: the map's are in the tiles).
    if (r === 'new' && e.kind === 'ticket.created') {
      freshUntil.set(t.id, Date.now() + FRESH_MS);
      latest = [t.id, ...latest.filter((id) => id !== t.id)].slice(0, TICKER_LEN);
    }
  }
  if (e.counters) {
    districts = applyCounters(districts, e.counters);
    wards = applyCounters(wards, e.counters);
  }
  invalidate(changed);
}

function applyKpis(k: KpisFrame): void {
  if (kpis && k.seq < kpis.seq) return;
  kpis = k;
  invalidate(false);
}

async function main(): Promise<void> {
  renderLegend();
  await signedIn('Sai tên đăng nhập hoặc mật khẩu · Wrong name or password');
  // What the first view needs, asked for at once. The key figures' seq is where the live feed
  // follows from; they are loaded before the map (and so before its first ticket tile), so no
  // change the tiles miss is missed.
  const latestLoaded = loadLatest().catch((e) => console.error('latest', e));
  common.categories().then(
    (c) => c.categories.forEach((x) => categoryNames.set(x.code, x.name_vi)),
    () => undefined,
  );
  const [config, seq] = await Promise.all([api.getWallConfig().catch(() => DEFAULT_WALL), loadKpis(), loadAreas()]);
  wall = config;
  probe.wallSeq = seq;
  renderLegend();
  if (districts.features.length) {
    const boxes = districts.features.map((f) => bbox(f.geometry));
    cityBbox = [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
  }
  // Made on the city's extent with the areas in its style, so that its first tile requests are
  // those of the first view and its first frames hold the coloured areas.
  map = new maplibregl.Map({
    container: 'map',
    style: S.wallStyle(Math.max(1, window.innerWidth / 1920), location.origin, areaData()),
    ...(districts.features.length ? { bounds: cityBbox, fitBoundsOptions: { padding: 40 } } : { center: [108.2, 16.05] as [number, number], zoom: 11 }),
    attributionControl: false,
  });
  (window as unknown as { wallMap: maplibregl.Map }).wallMap = map;
  // Milliseconds from navigation to the first complete drawing of the loaded state: the areas
  // coloured and the first view's ticket tiles drawn.
  whenDrawn([ID.SRC_TICKETS, ID.SRC_DISTRICTS], () => (document.body.dataset.firstRenderMs = String(Math.round(performance.now()))));
  renderKpis();
  await new Promise<void>((r) => map.once('load', () => r()));
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
  initPlanning(map);
  initCameras(map).catch((e) => console.error('cameras', e));
  await latestLoaded;
  renderOverlay(false);
  renderTicker();
  document.body.dataset.ready = 'true';
  // For measurements: what the page holds, and a way to feed it events faster than a city files them.
  Object.assign(window, { wallTickets: tickets, wallApplyEvent: applyEvent });

  for (const l of [ID.LYR_TICKETS, ID.LYR_TICKETS_LIVE]) {
    map.on('click', l, (e) => {
      const id = e.features?.[0]?.properties?.id as string | undefined;
      if (id) showTicket(id);
    });
  }
  map.on('click', ID.LYR_CLUSTERS, (e) => map.easeTo({ center: e.lngLat, zoom: map.getZoom() + 2 }));
  map.on('click', ID.LYR_DISTRICT_FILL, (e) => {
    if (map.queryRenderedFeatures(e.point, { layers: [ID.LYR_TICKETS, ID.LYR_TICKETS_LIVE, ID.LYR_CLUSTERS] }).length) return;
    const code = e.features?.[0]?.properties?.code as string | undefined;
    if (code) selectDistrict(code);
  });
  for (const l of [ID.LYR_TICKETS, ID.LYR_TICKETS_LIVE, ID.LYR_CLUSTERS, ID.LYR_DISTRICT_FILL]) {
    map.on('mouseenter', l, () => (map.getCanvas().style.cursor = 'pointer'));
    map.on('mouseleave', l, () => (map.getCanvas().style.cursor = ''));
  }
  $('ticker').addEventListener('click', (e) => {
    const id = (e.target as HTMLElement).closest<HTMLElement>('li[data-id]')?.dataset.id;
    if (id) showTicket(id);
  });

  // The feed follows from the seq of the REST load: nothing between the two is missed.
  const live = new LiveClient({
    url: liveUrl(location),
    topics: ['tickets', 'areas', 'kpis', 'cameras'],
    since: seq,
    onEvent: applyEvent,
    onKpis: applyKpis,
    onCamera: applyCameraFrame,
    onResync: async () => void (await reload()),
    onStatus: (s) => {
      // Camera frames are not replayed on resume: reload the registry when the feed is back.
      if (s === 'live' && liveState !== 'live') reloadCameras().catch(() => undefined);
      liveState = s;
      $('live').dataset.state = s;
      $('live').textContent = s === 'live' ? '● Trực tiếp · live' : s === 'connecting' ? '○ Đang kết nối… · connecting' : '○ Cập nhật 30 giây/lần · polling';
    },
  });
  live.start();

  // Without the live feed, reload everything every 30 s. Every 10 s, re-colour tickets whose
  // deadline has passed (no event needed) and expire the pulses.
  setInterval(() => {
    if (liveState !== 'live') reload().catch(() => undefined);
  }, POLL_MS);
  setInterval(() => {
    if (overlay.size) reloadTickets();
  }, FOLD_MS);
  setInterval(() => {
    const now = Date.now();
    let passed = false;
    let removed = false;
    for (const [id, t] of tickets) {
      if (isOpen(t)) {
        if (t.deadline > lastOverdueCheck && t.deadline <= now) passed = true;
      } else if (Math.max(t.resolved_at ?? 0, t.received_at) < now - RECENT_MS) {
        // Memory stays flat on a wall that runs for days: closed tickets leave after the window.
        tickets.delete(id);
        removed = true;
      }
    }
    // Re-colouring re-tiles the ticket layer: at most once a minute, when a deadline has passed.
    if (passed && now - lastOverdueCheck >= RECOLOUR_MS) {
      lastOverdueCheck = now;
      renderOverdue();
    }
    if (pulseMarkers.size) renderPulses();
    if (passed || removed) invalidate(false, removed);
    if (now - lastWindow >= WINDOW_MS) {
      lastWindow = now;
      renderWindow();
    }
    $('clock').textContent = new Date().toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
  }, 10_000);
  $('clock').textContent = new Date().toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
}

main().catch((e) => {
  $('live').textContent = `Lỗi · error: ${e instanceof Error ? e.message : String(e)}`;
  console.error(e);
});
