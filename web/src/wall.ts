// The map wall (/wall): districts coloured by handling health, tickets live, KPIs and a ticker.
// State lives in module variables; each `render*`/`set*` function is small and idempotent: it
// draws the current state and can be called again at any time.

import maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import './wall.css';
import * as api from './api';
import { applyCounters, areaFeatures, bbox, districtOf, isOverdue, labelFeatures, mergeTicket, ticketFeatures } from './geojson';
import { HEALTH_COLOURS, HEALTH_LABELS, STATUS_COLOURS, STATUS_LABELS, health, type Health } from './health';
import { computeKpis, formatHours, formatRate } from './kpi';
import { LiveClient, liveUrl, type LiveEvent } from './live';
import * as S from './style';
import type { AreaCollection, Status, Ticket } from './types';

/** How long a new ticket pulses. */
const FRESH_MS = 60_000;
/** REST refresh of the areas' counters and tickets, whether or not the live feed is up. */
const POLL_MS = 30_000;
const TICKER_LEN = 12;
const OVERDUE_LIST = 12;

let districts: AreaCollection = { type: 'FeatureCollection', features: [] };
let wards: AreaCollection = { type: 'FeatureCollection', features: [] };
const wardParent = new Map<string, string>();
const tickets = new Map<string, Ticket>();
const freshUntil = new Map<string, number>();
const categoryNames = new Map<string, string>();
let cityBbox: [number, number, number, number] = [-180, -85, 180, 85];
let selectedDistrict: string | null = null;
let map: maplibregl.Map;
const pulseMarkers = new Map<string, maplibregl.Marker>();

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fmtTime = (iso: string) =>
  new Date(iso).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit' });

// ---- sign-in --------------------------------------------------------------------------------

async function ensureSignedIn(): Promise<void> {
  try {
    await api.getSession();
    return;
  } catch (e) {
    if (!(e instanceof api.HttpError) || e.status !== 401) throw e;
  }
  const dialog = $('signin');
  dialog.hidden = false;
  await new Promise<void>((resolve) => {
    $('signin-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const form = ev.target as HTMLFormElement;
      const data = new FormData(form);
      try {
        await api.signIn(String(data.get('name')), String(data.get('password')));
        dialog.hidden = true;
        resolve();
      } catch {
        $('signin-error').textContent = 'Sai tên đăng nhập hoặc mật khẩu · Wrong name or password';
      }
    });
  });
}

// ---- map updates (small, idempotent) --------------------------------------------------------

function setSource(id: string, data: GeoJSON.FeatureCollection): void {
  (map.getSource(id) as maplibregl.GeoJSONSource | undefined)?.setData(data);
}

function renderAreas(): void {
  setSource(S.SRC_DISTRICTS, areaFeatures(districts));
  setSource(S.SRC_WARDS, areaFeatures(wards));
  // Labels are symbol layers (style.ts) on one point per area.
  setSource(S.SRC_DISTRICT_LABELS, labelFeatures(districts));
  setSource(S.SRC_WARD_LABELS, labelFeatures(wards));
}

function renderZoomClass(): void {
  map.getContainer().classList.toggle('wards', map.getZoom() >= S.WARD_ZOOM);
}

function renderTickets(): void {
  const now = new Date();
  const fresh = new Set([...freshUntil].filter(([, until]) => until > now.getTime()).map(([id]) => id));
  setSource(S.SRC_TICKETS, ticketFeatures(tickets.values(), now, fresh));
  renderPulses(fresh);
}

function renderPulses(fresh: Set<string>): void {
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
    pulseMarkers.set(id, new maplibregl.Marker({ element: el }).setLngLat([t.location.lon, t.location.lat]).addTo(map));
  }
}

function renderSelection(): void {
  map.setFilter(S.LYR_DISTRICT_SELECTED, ['==', ['get', 'code'], selectedDistrict ?? '']);
}

// ---- panels ---------------------------------------------------------------------------------

function renderKpis(): void {
  const k = computeKpis(tickets.values(), districts.features.map((f) => f.properties.stats), new Date());
  const cells: [string, string, string, string?][] = [
    ['Tiếp nhận hôm nay', 'received today', String(k.receivedToday)],
    ['Đã xử lý hôm nay', 'resolved today', String(k.resolvedToday)],
    ['Đang xử lý', 'open', String(k.open)],
    ['Quá hạn', 'overdue', String(k.overdue), 'bad'],
    ['Đúng hạn', 'on-time rate', formatRate(k.onTimeRate)],
    ['Thời gian xử lý (trung vị)', 'median handling time', formatHours(k.medianHandlingHours)],
  ];
  $('kpis').innerHTML = cells
    .map(([vi, en, v, cls]) => `<div class="kpi ${cls ?? ''}"><div class="v">${esc(v)}</div><div class="vi">${vi}</div><div class="en">${en}</div></div>`)
    .join('');
}

function renderTicker(): void {
  const latest = [...tickets.values()].sort((a, b) => b.received_at.localeCompare(a.received_at)).slice(0, TICKER_LEN);
  $('ticker').innerHTML = latest
    .map((t) => {
      const key = isOverdue(t, new Date()) ? 'overdue' : t.status;
      return `<li data-id="${esc(t.id)}"><span class="dot" style="background:${STATUS_COLOURS[key]}"></span>
        <span class="time">${fmtTime(t.received_at)}</span> <b>${esc(t.code)}</b>
        <span class="cat">${esc(categoryNames.get(t.category) ?? t.category)}</span>
        <span class="area">${esc(t.area_name ?? '')}</span></li>`;
    })
    .join('');
}

function renderLegend(): void {
  const order: Health[] = ['good', 'warn', 'bad', 'none'];
  $('legend').innerHTML =
    `<h3>Quận/huyện · <span class="en">districts</span></h3>` +
    order.map((h) => `<div><span class="sw" style="background:${HEALTH_COLOURS[h]}"></span>${HEALTH_LABELS[h].vi} <span class="en">${HEALTH_LABELS[h].en}</span></div>`).join('') +
    `<p class="en">share of open tickets that are overdue</p><h3>Phản ánh · <span class="en">tickets</span></h3>` +
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

function showTicket(id: string): void {
  const t = tickets.get(id);
  if (!t) return;
  const overdue = isOverdue(t, new Date());
  showPanel(`<h2>${esc(t.code)}</h2>
    <p class="st" style="border-color:${STATUS_COLOURS[overdue ? 'overdue' : t.status]}">${STATUS_LABELS[t.status]?.vi ?? t.status}
      <span class="en">${STATUS_LABELS[t.status]?.en ?? ''}</span>${overdue ? ' · <b class="bad">QUÁ HẠN</b>' : ''}</p>
    <dl>
      <dt>Lĩnh vực <span class="en">category</span></dt><dd>${esc(categoryNames.get(t.category) ?? t.category)}</dd>
      <dt>Địa bàn <span class="en">area</span></dt><dd>${esc(t.area_name ?? t.area ?? '—')}</dd>
      <dt>Đơn vị xử lý <span class="en">unit</span></dt><dd>${esc(t.unit ?? '—')}</dd>
      <dt>Tiếp nhận <span class="en">received</span></dt><dd>${fmtTime(t.received_at)}</dd>
      <dt>Hạn xử lý <span class="en">deadline</span></dt><dd>${fmtTime(t.deadline)}</dd>
    </dl>
    ${t.description ? `<p class="desc">${esc(t.description)}</p>` : ''}`);
  api.getTicket(id).then(
    (full) => {
      tickets.set(full.id, full);
      const d = $('panel').querySelector('.desc');
      if (!d && full.description) $('panel').insertAdjacentHTML('beforeend', `<p class="desc">${esc(full.description)}</p>`);
    },
    () => undefined,
  );
}

function selectDistrict(code: string): void {
  const f = districts.features.find((d) => d.properties.code === code);
  if (!f) return;
  selectedDistrict = code;
  renderSelection();
  const p = f.properties;
  const h = health(p.stats);
  const counts = (Object.keys(STATUS_LABELS) as Status[])
    .map((st) => [st, p.stats.counts[st] ?? 0] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `<tr><td><span class="dot" style="background:${STATUS_COLOURS[s as Status]}"></span>${STATUS_LABELS[s as Status]?.vi ?? s}</td><td>${n}</td></tr>`)
    .join('');
  const now = new Date();
  const overdue = [...tickets.values()]
    .filter((t) => districtOf(t.area, wardParent) === code && isOverdue(t, now))
    .sort((a, b) => a.deadline.localeCompare(b.deadline));
  showPanel(`<h2>${esc(p.name)}</h2><p class="en">${esc(p.name_en ?? '')}</p>
    <p><span class="sw" style="background:${HEALTH_COLOURS[h]}"></span>${HEALTH_LABELS[h].vi}</p>
    <table class="counts"><tr><th>Trạng thái <span class="en">status</span></th><th>Số <span class="en">n</span></th></tr>${counts}
      <tr class="total"><td>Tổng · total</td><td>${p.stats.total}</td></tr></table>
    <h3>Quá hạn <span class="en">overdue</span> (${p.stats.overdue})</h3>
    <ul class="overdue">${overdue.slice(0, OVERDUE_LIST).map((t) => `<li data-id="${esc(t.id)}"><b>${esc(t.code)}</b> ${esc(t.area_name ?? '')} · hạn ${fmtTime(t.deadline)}</li>`).join('') || '<li>—</li>'}${overdue.length > OVERDUE_LIST ? `<li class="more">+ ${overdue.length - OVERDUE_LIST} …</li>` : ''}</ul>
    <button class="zoom">Xem các phường/xã · <span class="en">zoom to wards</span></button>`);
  $('panel').querySelector('.zoom')?.addEventListener('click', () => {
    const [a, b, c, d] = bbox(f.geometry);
    map.fitBounds([a, b, c, d], { padding: 80, minZoom: S.WARD_ZOOM });
  });
  $('panel').querySelectorAll<HTMLElement>('.overdue li[data-id]').forEach((li) => li.addEventListener('click', () => showTicket(li.dataset.id!)));
}

function renderAll(): void {
  renderAreas();
  renderTickets();
  renderKpis();
  renderTicker();
}

// ---- data -----------------------------------------------------------------------------------

async function loadAreas(): Promise<void> {
  const [d, w] = await Promise.all([api.getAreas('district'), api.getAreas('ward')]);
  districts = d;
  wards = w;
  wardParent.clear();
  for (const f of w.features) if (f.properties.parent) wardParent.set(f.properties.code, f.properties.parent);
}

async function loadTickets(): Promise<void> {
  const items = await api.getTickets(cityBbox);
  tickets.clear();
  for (const t of items) tickets.set(t.id, t);
}

/** Reloads areas and tickets via REST; tickets not seen before pulse like live ones. */
async function reload(): Promise<void> {
  const before = new Set(tickets.keys());
  await Promise.all([loadAreas(), loadTickets()]);
  markFresh(before);
  renderAll();
}

function applyEvent(e: LiveEvent): void {
  const merged = mergeTicket(tickets, e.data as Partial<Ticket>);
  if (merged) {
    if (merged.isNew) freshUntil.set(merged.ticket.id, Date.now() + FRESH_MS);
    tickets.set(merged.ticket.id, merged.ticket);
  }
  if (e.counters) {
    districts = applyCounters(districts, e.counters);
    wards = applyCounters(wards, e.counters);
  }
  renderAll();
}

function markFresh(before: Set<string>): void {
  if (before.size === 0) return;
  for (const id of tickets.keys()) if (!before.has(id)) freshUntil.set(id, Date.now() + FRESH_MS);
}

async function main(): Promise<void> {
  renderLegend();
  await ensureSignedIn();
  map = new maplibregl.Map({ container: 'map', style: S.wallStyle(Math.max(1, window.innerWidth / 1920), location.origin), center: [108.2, 16.05], zoom: 11, attributionControl: false });
  (window as unknown as { wallMap: maplibregl.Map }).wallMap = map;
  await new Promise<void>((r) => map.once('load', () => r()));
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
  map.on('zoomend', renderZoomClass);

  api.getCategories().then(
    (c) => c.categories.forEach((x) => categoryNames.set(x.code, x.name_vi)),
    () => undefined,
  );
  await loadAreas();
  if (districts.features.length) {
    const boxes = districts.features.map((f) => bbox(f.geometry));
    cityBbox = [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
    map.fitBounds(cityBbox, { padding: 40, duration: 0 });
  }
  await loadTickets();
  renderAll();
  renderZoomClass();
  document.body.dataset.ready = 'true';

  map.on('click', S.LYR_TICKETS, (e) => {
    const id = e.features?.[0]?.properties?.id as string | undefined;
    if (id) showTicket(id);
  });
  map.on('click', S.LYR_CLUSTERS, (e) => map.easeTo({ center: e.lngLat, zoom: map.getZoom() + 2 }));
  map.on('click', S.LYR_DISTRICT_FILL, (e) => {
    if (map.queryRenderedFeatures(e.point, { layers: [S.LYR_TICKETS, S.LYR_CLUSTERS] }).length) return;
    const code = e.features?.[0]?.properties?.code as string | undefined;
    if (code) selectDistrict(code);
  });
  for (const l of [S.LYR_TICKETS, S.LYR_CLUSTERS, S.LYR_DISTRICT_FILL]) {
    map.on('mouseenter', l, () => (map.getCanvas().style.cursor = 'pointer'));
    map.on('mouseleave', l, () => (map.getCanvas().style.cursor = ''));
  }
  $('ticker').addEventListener('click', (e) => {
    const id = (e.target as HTMLElement).closest<HTMLElement>('li[data-id]')?.dataset.id;
    if (id) showTicket(id);
  });

  // The page loaded its state before the socket's hello; reload once the first hello arrives
  // (the client follows from the hello's seq), so events in between are not missed.
  let wentLive = false;
  const live = new LiveClient({
    url: liveUrl(location),
    topics: ['tickets', 'areas', 'kpis'],
    onEvent: applyEvent,
    onResync: reload,
    onStatus: (s) => {
      if (s === 'live' && !wentLive) {
        wentLive = true;
        reload().catch(() => undefined);
      }
      $('live').dataset.state = s;
      $('live').textContent = s === 'live' ? '● Trực tiếp · live' : s === 'connecting' ? '○ Đang kết nối… · connecting' : '○ Cập nhật 30 giây/lần · polling';
    },
  });
  live.start();

  // Fallback and safety net: reload everything every 30 s; re-colour overdue tickets every 10 s.
  setInterval(() => reload().catch(() => undefined), POLL_MS);
  setInterval(() => {
    renderTickets();
    renderTicker();
    $('clock').textContent = new Date().toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
  }, 10_000);
  $('clock').textContent = new Date().toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
}

main().catch((e) => {
  $('live').textContent = `Lỗi · error: ${e instanceof Error ? e.message : String(e)}`;
  console.error(e);
});
