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
import { applyCounters, areaFeatures, districtOf, fromEvent, fromRow, isOpen, isOverdue, labelFeatures, ticketFeatures, upsertTicket, type MapTicket } from './geojson';
import { DEFAULT_WALL, HEALTH_COLOURS, RULE_CAPTIONS, STATUS_COLOURS, health, healthLabels, type Health } from './health';
import { formatHours, formatRate, kpiCells } from './kpi';
import { LiveOverlay } from './overlay';
import { initPlanning } from './planning';
import * as S from './style';

/** How long a new ticket pulses. */
const FRESH_MS = 60_000;
/** Tickets past their deadline turn red within this time. */
const RECOLOUR_MS = 60_000;
/** Closed tickets stay on the map this long (as GET /api/v1/map/tickets's default window). */
const RECENT_MS = 24 * 3600_000;
/** REST refresh of everything while the live feed is down. */
const POLL_MS = 30_000;
/**
 * The clustered ticket source is rebuilt at most this often (100 000 points take seconds to
 * cluster); changes in between are drawn at once by the small live overlay (overlay.ts).
 */
const FOLD_MS = 60_000;
/** …or sooner when the overlay grows past this many tickets (its filter and data stay small). */
const OVERLAY_MAX = 2000;
const TICKER_LEN = 12;
const OVERDUE_LIST = 12;

let districts: AreaCollection = { type: 'FeatureCollection', features: [] };
let wards: AreaCollection = { type: 'FeatureCollection', features: [] };
const wardParent = new Map<string, string>();
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

function renderAreas(): void {
  setSource(ID.SRC_DISTRICTS, areaFeatures(districts, wall, kpis?.areas));
  setSource(ID.SRC_WARDS, areaFeatures(wards, wall, kpis?.areas));
  // Labels are symbol layers (style.ts) on one point per area.
  setSource(ID.SRC_DISTRICT_LABELS, labelFeatures(districts));
  setSource(ID.SRC_WARD_LABELS, labelFeatures(wards));
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

/** The clustered ticket source, rebuilt from every ticket the page holds (slow: re-clusters). */
/** A rebuild is under way (MapLibre's worker re-clusters); another is due once it is drawn. */
let rebuilding = false;
let rebuildAgain = false;

function renderTickets(): void {
  if (rebuilding) {
    rebuildAgain = true;
    return;
  }
  const seq = probe.wallSeq;
  const mark = overlay.mark();
  rebuilding = true;
  onTicketsDrawn(() => {
    rebuilding = false;
    drawn(seq);
    overlay.folded(mark);
    if (rebuildAgain || overlay.size > OVERLAY_MAX) {
      rebuildAgain = false;
      renderTickets();
    } else renderOverlay(false);
  });
  setSource(ID.SRC_TICKETS, ticketFeatures(tickets.values()));
  renderPulses();
}

function drawn(seq: number): void {
  if (!probe.wallDrawn || seq >= probe.wallDrawn.seq) probe.wallDrawn = { seq, at: Date.now() };
}

/** The live overlay: the few tickets changed since the clustered source was built (fast). */
function renderOverlay(probed = true): void {
  if (probed) {
    const seq = probe.wallSeq;
    onTicketsDrawn(() => drawn(seq), ID.SRC_TICKETS_LIVE);
  }
  setSource(ID.SRC_TICKETS_LIVE, overlay.features(tickets));
  map.setFilter(ID.LYR_TICKETS, overlay.baseFilter() as maplibregl.FilterSpecification);
}

/** Re-colours the points for the current time (tickets past their deadline turn red). */
function renderOverdue(): void {
  for (const l of [ID.LYR_TICKETS, ID.LYR_TICKETS_LIVE]) map.setPaintProperty(l, 'circle-color', S.ticketColour(Date.now()));
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
  common.ticket(id).then(
    (full) => {
      const held = fromEvent(full, tickets.get(id));
      if (held && upsertTicket(tickets, held) !== 'stale') renderTicketPanel(tickets.get(id)!, full);
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

/** The `n` largest groups of `keys`, as table rows. */
function topRows(keys: Iterable<string>, name: (k: string) => string, n = 8): string {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  const rows = [...counts].sort((a, b) => b[1] - a[1]);
  const shown = rows.slice(0, n).map(([k, c]) => `<tr><td>${esc(name(k))}</td><td>${c}</td></tr>`).join('');
  const rest = rows.slice(n).reduce((sum, [, c]) => sum + c, 0);
  return (shown || '<tr><td>—</td><td></td></tr>') + (rest ? `<tr class="more"><td>khác · other</td><td>${rest}</td></tr>` : '');
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
  const open = [...tickets.values()].filter((t) => districtOf(t.area, wardParent) === code && isOpen(t));
  const k = kpis?.areas[code];
  showPanel(`<h2>${esc(p.name)}</h2><p class="en">${esc(p.name_en ?? '')}</p>
    <p><span class="sw" style="background:${HEALTH_COLOURS[h]}"></span>${healthLabels(wall)[h].vi}</p>
    ${k ? `<p class="kpi-line">Đúng hạn ${formatRate(k.on_time_rate ?? null)} · trung vị ${formatHours(k.median_handling_hours ?? null)} <span class="en">(30 days)</span></p>` : ''}
    <table class="counts"><tr><th>Trạng thái <span class="en">status</span></th><th>Số <span class="en">n</span></th></tr>${counts}
      <tr class="total"><td>Tổng · total</td><td>${p.stats.total}</td></tr></table>
    <table class="counts"><tr><th>Đang xử lý theo lĩnh vực <span class="en">open by category</span></th><th></th></tr>
      ${topRows(open.map((t) => t.category), (c) => categoryNames.get(c) ?? c)}</table>
    <table class="counts"><tr><th>Theo đơn vị xử lý <span class="en">open by unit</span></th><th></th></tr>
      ${topRows(open.map((t) => t.unit ?? ''), (u) => u || 'Chưa phân công · unassigned')}</table>
    <h3>Quá hạn <span class="en">overdue</span> (${p.stats.overdue})</h3>
    <ul class="overdue"><li>…</li></ul>
    <button class="zoom">Xem các phường/xã · <span class="en">zoom to wards</span></button>`);
  $('panel').querySelector('.zoom')?.addEventListener('click', () => {
    const [a, b, c, d] = bbox(f.geometry);
    map.fitBounds([a, b, c, d], { padding: 80, minZoom: S.WARD_ZOOM });
  });
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
  renderTickets();
  renderKpis();
  renderTicker();
}

// Live changes are drawn in batches at the next frame: areas, KPIs, the ticker and the small live
// overlay of changed tickets. The clustered source is rebuilt when tickets left the page, and
// every FOLD_MS while the overlay holds anything (main's timer).
let overlayDirty = false;
let rebuild = false;
let framePending = false;
let lastOverdueCheck = Date.now();

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
  // A flood of changes is not drawn point by point: the next rebuild folds it in.
  if (rebuild || overlay.size > OVERLAY_MAX) renderTickets();
  else if (overlayDirty) {
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
  wardParent.clear();
  for (const f of w.features) if (f.properties.parent) wardParent.set(f.properties.code, f.properties.parent);
}

/** Loads the ticket layer; returns the seq it reflects. Newer versions the page holds are kept. */
async function loadTickets(): Promise<number> {
  const [layer, newest] = await Promise.all([api.getMapTickets(), api.getLatest(TICKER_LEN)]);
  const held = new Map(tickets);
  tickets.clear();
  for (const row of layer.rows) {
    const t = fromRow(layer.columns, row);
    const before = held.get(t.id);
    tickets.set(t.id, before && before.version > t.version ? before : { ...t, code: before?.code });
  }
  for (const v of newest) {
    const t = fromEvent(v, tickets.get(v.id));
    if (t) upsertTicket(tickets, t);
  }
  latest = newest.map((t) => t.id);
  return layer.seq;
}

async function loadKpis(): Promise<void> {
  kpis = await api.getKpis();
}

/** Reloads areas, tickets and key figures via REST; tickets not seen before pulse like live ones. */
async function reload(): Promise<number> {
  const before = new Set(tickets.keys());
  const [, seq] = await Promise.all([loadAreas(), loadTickets(), loadKpis()]);
  markFresh(before);
  renderAll();
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
    if (r === 'new') {
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

function markFresh(before: Set<string>): void {
  if (before.size === 0) return;
  for (const id of tickets.keys()) if (!before.has(id)) freshUntil.set(id, Date.now() + FRESH_MS);
}

async function main(): Promise<void> {
  renderLegend();
  await signedIn('Sai tên đăng nhập hoặc mật khẩu · Wrong name or password');
  wall = await api.getWallConfig().catch(() => DEFAULT_WALL);
  renderLegend();
  map = new maplibregl.Map({ container: 'map', style: S.wallStyle(Math.max(1, window.innerWidth / 1920), location.origin), center: [108.2, 16.05], zoom: 11, attributionControl: false });
  (window as unknown as { wallMap: maplibregl.Map }).wallMap = map;
  await new Promise<void>((r) => map.once('load', () => r()));
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');

  common.categories().then(
    (c) => c.categories.forEach((x) => categoryNames.set(x.code, x.name_vi)),
    () => undefined,
  );
  await loadAreas();
  if (districts.features.length) {
    const boxes = districts.features.map((f) => bbox(f.geometry));
    cityBbox = [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
    map.fitBounds(cityBbox, { padding: 40, duration: 0 });
  }
  initPlanning(map);
  const [seq] = await Promise.all([loadTickets(), loadKpis(), initCameras(map).catch((e) => console.error('cameras', e))]);
  probe.wallSeq = seq;
  renderAll();
  // Milliseconds from navigation to the first complete drawing of the loaded state.
  onTicketsDrawn(() => (document.body.dataset.firstRenderMs = String(Math.round(performance.now()))));
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
    if (overlay.size) renderTickets();
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
    $('clock').textContent = new Date().toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
  }, 10_000);
  $('clock').textContent = new Date().toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
}

main().catch((e) => {
  $('live').textContent = `Lỗi · error: ${e instanceof Error ? e.message : String(e)}`;
  console.error(e);
});
