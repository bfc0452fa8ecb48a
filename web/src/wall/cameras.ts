// Cameras on the wall: icons and field-of-view cones coloured by status (live through the
// `cameras` topic), a panel with the live video of the camera clicked, a grid of chosen cameras
// (kept in localStorage), and "cameras near this ticket" for the ticket panel.
// Video comes only through the server's proxy (/api/v1/cameras/{code}/…): the page never
// knows a camera's source URL.

import maplibregl from 'maplibre-gl';
import { esc } from '../common/dom';
import { LYR_CAMERA_CONE_LINE, LYR_CAMERA_CONES, LYR_CAMERAS, SRC_CAMERA_CONES, SRC_CAMERAS } from '../common/map/ids';
import type { CameraFrame } from '../common/live';
import type { CameraView } from '../common/types';
import { getCameras } from './api';
import { CAMERA_COLOURS, CAMERA_STATUS_LABELS, applyFrame, applyList, cameraFeatures, parseGrid } from './cameraState';

const GRID_KEY = 'switchboard.cameraGrid';
const GRID_MAX = 9;
/** How often a snapshot camera's image is fetched again. */
const SNAPSHOT_MS = 2000;
/** Below this zoom, camera icons are small dots. */
const FULL_ICON_ZOOM = 13;

const cameras = new Map<string, CameraView>();
const gone = new Map<string, number>();
let grid: string[] = parseGrid(localStorage.getItem(GRID_KEY), GRID_MAX);
let map: maplibregl.Map;
let openCode: string | null = null;
const markers = new Map<string, maplibregl.Marker>();
const timers = new Set<ReturnType<typeof setInterval>>();

const base = (code: string) => `/api/v1/cameras/${encodeURIComponent(code)}`;
const fmt = (t: string | null | undefined) => (t ? new Date(t).toLocaleTimeString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' }) : '—');

/** Adds the camera layers above the tickets' and loads the registry. */
export async function initCameras(m: maplibregl.Map): Promise<void> {
  map = m;
  const empty: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
  map.addSource(SRC_CAMERA_CONES, { type: 'geojson', data: empty });
  map.addSource(SRC_CAMERAS, { type: 'geojson', data: empty });
  map.addLayer({ id: LYR_CAMERA_CONES, type: 'fill', source: SRC_CAMERA_CONES, minzoom: 12, paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': 0.28 } });
  map.addLayer({ id: LYR_CAMERA_CONE_LINE, type: 'line', source: SRC_CAMERA_CONES, minzoom: 12, paint: { 'line-color': ['get', 'colour'], 'line-width': 1 } });
  map.addLayer({ id: LYR_CAMERAS, type: 'circle', source: SRC_CAMERAS, paint: { 'circle-radius': 3, 'circle-color': ['get', 'colour'], 'circle-opacity': 0 } });
  ensureDom();
  // Far out, icons shrink to dots so they do not hide the tickets and labels of the centre.
  const scale = () => map.getContainer().classList.toggle('cameras-far', map.getZoom() < FULL_ICON_ZOOM);
  map.on('zoomend', scale);
  scale();
  await reloadCameras();
}

/** Reloads the registry (at start and whenever the live feed reconnects). */
export async function reloadCameras(): Promise<void> {
  applyList(cameras, gone, await getCameras());
  render();
}

/** A `camera` frame of the live feed. */
export function applyCameraFrame(f: CameraFrame): void {
  if (applyFrame(cameras, gone, f)) render();
}

function render(): void {
  const { points, cones } = cameraFeatures(cameras.values());
  (map.getSource(SRC_CAMERAS) as maplibregl.GeoJSONSource | undefined)?.setData(points);
  (map.getSource(SRC_CAMERA_CONES) as maplibregl.GeoJSONSource | undefined)?.setData(cones);
  for (const [code, mk] of markers) {
    if (!cameras.has(code)) {
      mk.remove();
      markers.delete(code);
    }
  }
  for (const c of cameras.values()) {
    let mk = markers.get(c.code);
    if (!mk) {
      const el = document.createElement('button');
      el.className = 'camera-marker';
      el.dataset.code = c.code;
      el.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 7h11a1 1 0 0 1 1 1v2.5l4-2.5v8l-4-2.5V16a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1z"/></svg>';
      el.addEventListener('click', (e) => {
        e.stopPropagation();
        openCamera(c.code);
      });
      mk = new maplibregl.Marker({ element: el }).setLngLat([c.location.lon, c.location.lat]).addTo(map);
      markers.set(c.code, mk);
    }
    mk.setLngLat([c.location.lon, c.location.lat]);
    const el = mk.getElement();
    el.dataset.status = c.status;
    el.style.setProperty('--c', CAMERA_COLOURS[c.status]);
    el.title = `${c.name} · ${c.name_en} — ${CAMERA_STATUS_LABELS[c.status].vi} · ${CAMERA_STATUS_LABELS[c.status].en}`;
  }
  if (openCode) renderPanelHeader(openCode);
  renderGrid();
}

/** A video element for a camera, through the proxy: MJPEG as an <img>, a snapshot refreshed
 * every 2 s, HLS as a <video> where the browser plays HLS itself. */
function video(c: CameraView): HTMLElement {
  if (c.kind === 'mjpeg') {
    const img = document.createElement('img');
    img.className = 'camera-video';
    img.alt = c.name;
    img.src = `${base(c.code)}/stream`;
    return img;
  }
  if (c.kind === 'snapshot') {
    const img = document.createElement('img');
    img.className = 'camera-video';
    img.alt = c.name;
    const load = () => (img.src = `${base(c.code)}/snapshot?t=${Date.now()}`);
    load();
    const t = setInterval(() => (img.isConnected ? load() : (clearInterval(t), timers.delete(t))), SNAPSHOT_MS);
    timers.add(t);
    return img;
  }
  const v = document.createElement('video');
  if (v.canPlayType('application/vnd.apple.mpegurl')) {
    v.className = 'camera-video';
    v.src = `${base(c.code)}/hls`;
    v.muted = true;
    v.autoplay = true;
    v.controls = true;
    return v;
  }
  const p = document.createElement('p');
  p.className = 'camera-note';
  p.innerHTML = 'Trình duyệt này không tự phát được HLS <span class="en">this browser does not play HLS by itself</span>';
  return p;
}

/** Stops the streams inside `el` (an MJPEG <img> keeps its connection until its src goes). */
function stopVideos(el: Element): void {
  el.querySelectorAll<HTMLImageElement | HTMLVideoElement>('.camera-video').forEach((v) => {
    v.removeAttribute('src');
    if (v instanceof HTMLVideoElement) v.load();
  });
}

function ensureDom(): void {
  if (document.getElementById('camera-panel')) return;
  const panel = document.createElement('section');
  panel.id = 'camera-panel';
  panel.hidden = true;
  const gridEl = document.createElement('section');
  gridEl.id = 'camera-grid';
  const host = document.getElementById('map')?.parentElement ?? document.body;
  host.append(panel, gridEl);
}

/** Opens the camera panel with the live video of `code`. */
export function openCamera(code: string): void {
  const c = cameras.get(code);
  const panel = document.getElementById('camera-panel')!;
  if (!c) return;
  stopVideos(panel);
  openCode = code;
  panel.innerHTML = `<button class="close" aria-label="Đóng · close">×</button><div class="hdr"></div><div class="video"></div>
    <button class="add">+ Thêm vào lưới camera <span class="en">add to the camera grid</span></button>`;
  panel.querySelector('.video')!.append(video(c));
  panel.hidden = false;
  panel.querySelector('.close')!.addEventListener('click', closeCamera);
  panel.querySelector('.add')!.addEventListener('click', () => addToGrid(code));
  renderPanelHeader(code);
}

function closeCamera(): void {
  const panel = document.getElementById('camera-panel')!;
  stopVideos(panel);
  panel.hidden = true;
  panel.innerHTML = '';
  openCode = null;
}

function renderPanelHeader(code: string): void {
  const c = cameras.get(code);
  const hdr = document.querySelector('#camera-panel .hdr');
  if (!hdr) return;
  if (!c) {
    hdr.innerHTML = '<p>Camera đã bị xoá <span class="en">this camera was removed</span></p>';
    return;
  }
  const s = CAMERA_STATUS_LABELS[c.status];
  hdr.innerHTML = `<h2>${esc(c.name)}</h2><p class="en">${esc(c.name_en)} · ${esc(c.code)}</p>
    <p class="camera-status" data-status="${c.status}"><span class="dot" style="background:${CAMERA_COLOURS[c.status]}"></span>${s.vi} <span class="en">${s.en}</span>
    · thấy lần cuối <span class="en">last seen</span> ${fmt(c.last_seen)}</p>`;
}

function saveGrid(): void {
  localStorage.setItem(GRID_KEY, JSON.stringify(grid));
}

function addToGrid(code: string): void {
  if (!grid.includes(code)) grid = [...grid, code].slice(-GRID_MAX);
  saveGrid();
  renderGrid();
}

function renderGrid(): void {
  const el = document.getElementById('camera-grid');
  if (!el) return;
  const shown = grid.filter((c) => cameras.has(c));
  const have = [...el.querySelectorAll<HTMLElement>('.tile')].map((t) => t.dataset.code);
  if (have.join() === shown.join()) {
    el.querySelectorAll<HTMLElement>('.tile').forEach((t) => (t.dataset.status = cameras.get(t.dataset.code!)!.status));
    return;
  }
  stopVideos(el);
  el.innerHTML = '';
  el.hidden = shown.length === 0;
  for (const code of shown) {
    const c = cameras.get(code)!;
    const tile = document.createElement('figure');
    tile.className = 'tile';
    tile.dataset.code = code;
    tile.dataset.status = c.status;
    tile.append(video(c));
    const cap = document.createElement('figcaption');
    cap.innerHTML = `${esc(c.name)} <button class="remove" aria-label="Bỏ khỏi lưới · remove">×</button>`;
    cap.querySelector('.remove')!.addEventListener('click', () => {
      grid = grid.filter((g) => g !== code);
      saveGrid();
      renderGrid();
    });
    tile.append(cap);
    el.append(tile);
  }
}

/** Fills `el` with the cameras within 500 m of a ticket, nearest first; a click opens one. */
export async function renderNearCameras(el: HTMLElement, lon: number, lat: number): Promise<void> {
  el.innerHTML = `<h3>Camera gần phản ánh <span class="en">cameras near this ticket</span></h3><p>…</p>`;
  try {
    const near = await getCameras({ lon, lat, radius: 500, limit: 4 });
    const items = near
      .map((c) => `<li data-code="${esc(c.code)}"><span class="dot" style="background:${CAMERA_COLOURS[c.status]}"></span>${esc(c.name)} <span class="en">${Math.round(c.distance_m ?? 0)} m</span></li>`)
      .join('');
    el.querySelector('p')!.outerHTML = items ? `<ul class="near-cameras">${items}</ul>` : '<p>Không có camera trong 500 m <span class="en">no camera within 500 m</span></p>';
    el.querySelectorAll<HTMLElement>('li[data-code]').forEach((li) => li.addEventListener('click', () => openCamera(li.dataset.code!)));
  } catch {
    el.querySelector('p')!.textContent = '—';
  }
}

/** For the tests: the cameras the wall holds. */
(window as unknown as { wallCameras: Map<string, CameraView> }).wallCameras = cameras;
