// The planning map (/planning): the city's land-use plans on a map with a legend, toggles per
// land-use kind and per plan, an opacity slider, the details of the zones at a tapped spot, and a
// place search. Vietnamese first, English on a switch; made for phones.

import maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import './planning.css';
import { areas as getAreas } from '../common/api';
import { $, debounce, esc } from '../common/dom';
import { I18n, day, num, type Lang } from '../common/i18n';
import { LYR_ZONE_FILL, LYR_ZONE_HIGHLIGHT, LYR_ZONE_LABEL, LYR_ZONE_LINE, SRC_DISTRICTS } from '../common/map/ids';
import type { PlaceHit } from '../common/types';
import * as api from './api';
import { highlightFilter, planningStyle, zoneFilter } from './map';
import { TEXTS } from './texts';

const i18n = new I18n(TEXTS);
let map: maplibregl.Map;
let marker: maplibregl.Marker | null = null;
let legend: api.LegendEntry[] = [];
let plans: api.PlanLayer[] = [];
const shownUses = new Set<string>();
const shownLayers = new Set<string>();
/** The zones at the chosen spot, re-drawn when the language or the toggles change. */
let picked: api.Zone[] | null = null;

const t = (k: keyof typeof TEXTS) => i18n.t(k);

function setLang(l: Lang): void {
  i18n.set(l);
  renderLegend();
  renderLayers();
  renderDetails();
}

// ---- legend and toggles ------------------------------------------------------------------------

function renderLegend(): void {
  $('legend').innerHTML = legend
    .map(
      (e) => `<li><label><input type="checkbox" data-use="${esc(e.land_use)}" ${shownUses.has(e.land_use) ? 'checked' : ''}>
        <span class="swatch" style="background:${esc(e.colour)}"></span>
        <span>${esc(i18n.lang === 'vi' ? e.label_vi : e.label_en)} <span class="sym">${esc(e.symbol)}</span></span></label></li>`,
    )
    .join('');
}

function renderLayers(): void {
  $('layers').innerHTML = plans
    .map(
      (p) => `<li><label><input type="checkbox" data-layer="${esc(p.code)}" ${shownLayers.has(p.code) ? 'checked' : ''}>
        <span>${esc(i18n.lang === 'vi' ? p.name : p.name_en)}<br><small class="muted">${esc(p.decision_number)} ${t('dated')}
        ${esc(day(p.decision_date, i18n.lang))} · ${p.zones} ${t('zones')}</small></span></label></li>`,
    )
    .join('');
}

function applyFilter(): void {
  const f = zoneFilter([...shownUses], [...shownLayers]);
  for (const id of [LYR_ZONE_FILL, LYR_ZONE_LINE, LYR_ZONE_LABEL]) map.setFilter(id, f);
  renderDetails();
}

function setOpacity(percent: number): void {
  const o = percent / 100;
  map.setPaintProperty(LYR_ZONE_FILL, 'fill-opacity', o);
  map.setPaintProperty(LYR_ZONE_LINE, 'line-opacity', Math.min(1, o + 0.2));
}

// ---- details -----------------------------------------------------------------------------------

const visible = (z: api.Zone) => shownUses.has(z.land_use) && shownLayers.has(z.layer);

function limit(v: number | null | undefined, unit: string): string {
  return v == null ? `<span class="muted">${t('notSet')}</span>` : `${esc(num(v, i18n.lang))}${unit}`;
}

function zoneHtml(z: api.Zone): string {
  const use = i18n.lang === 'vi' ? z.land_use_vi : z.land_use_en;
  const rows: [string, string][] = [
    [t('code'), esc(z.code)],
    ...(z.name ? [[t('name'), esc(z.name)] as [string, string]] : []),
    [t('landUse'), `${esc(use)} (${esc(z.symbol)})`],
    [t('maxHeight'), limit(z.max_height_m, ' m')],
    [t('density'), limit(z.building_density_pct, ' %')],
    [t('far'), limit(z.far, '')],
    [t('decision'), `${esc(z.decision_number)} ${t('dated')} ${esc(day(z.decision_date, i18n.lang))}`],
    [t('plan'), esc(i18n.lang === 'vi' ? z.layer_name : z.layer_name_en)],
  ];
  return `<article class="zone" data-zone="${esc(z.id)}" style="--c:${esc(z.colour)}"><h3>${esc(z.name ?? use)}</h3>
    <dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl></article>`;
}

function renderDetails(): void {
  if (!picked) {
    $('details').innerHTML = `<p class="muted">${t('hint')}</p>`;
    map?.setFilter(LYR_ZONE_HIGHLIGHT, highlightFilter([]));
    return;
  }
  const zones = picked.filter(visible);
  const border = zones.some((z) => z.on_boundary) ? `<p class="muted">${t('border')}</p>` : '';
  $('details').innerHTML = `<h2>${t('zonesHere')}</h2>${border}${zones.map(zoneHtml).join('') || `<p class="muted">${t('none')}</p>`}`;
  map.setFilter(LYR_ZONE_HIGHLIGHT, highlightFilter(zones.map((z) => z.id)));
}

async function pick(lon: number, lat: number): Promise<void> {
  if (!marker) marker = new maplibregl.Marker({ color: '#0b1a2a' }).setLngLat([lon, lat]).addTo(map);
  else marker.setLngLat([lon, lat]);
  try {
    picked = (await api.zonesAt(lon, lat)).zones;
  } catch {
    picked = [];
  }
  renderDetails();
  document.body.dataset.picked = String(Date.now());
}

// ---- search ------------------------------------------------------------------------------------

async function search(q: string): Promise<void> {
  const hits = $('hits');
  if (q.trim().length < 2) {
    hits.hidden = true;
    return;
  }
  const places = await api.searchPlaces(q).catch(() => [] as PlaceHit[]);
  hits.innerHTML =
    places
      .map(
        (p, i) => `<li tabindex="0" data-i="${i}">${esc(i18n.lang === 'vi' ? p.name : p.name_en)}
          <small>${esc(p.area_name ?? '')}</small></li>`,
      )
      .join('') || `<li class="muted">${t('noPlace')}</li>`;
  hits.hidden = false;
  hits.querySelectorAll<HTMLLIElement>('li[data-i]').forEach((li) => {
    const go = () => {
      const p = places[Number(li.dataset.i)];
      hits.hidden = true;
      ($('q') as HTMLInputElement).value = i18n.lang === 'vi' ? p.name : p.name_en;
      map.flyTo({ center: [p.location.lon, p.location.lat], zoom: 16 });
      void pick(p.location.lon, p.location.lat);
    };
    li.addEventListener('click', go);
    li.addEventListener('keydown', (e) => e.key === 'Enter' && go());
  });
}

// ---- start -------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opacity = Number(($('opacity') as HTMLInputElement).value);
  map = new maplibregl.Map({
    container: 'map', style: planningStyle(location.origin, opacity / 100), center: [108.235, 16.06], zoom: 12.3, attributionControl: false,
  });
  (window as unknown as { planningMap: maplibregl.Map }).planningMap = map;
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
  map.on('click', (e) => void pick(e.lngLat.lng, e.lngLat.lat));
  const info = await api.layers().catch(() => ({ layers: [], legend: [] }));
  legend = info.legend;
  plans = info.layers;
  legend.forEach((e) => shownUses.add(e.land_use));
  plans.forEach((p) => shownLayers.add(p.code));
  await new Promise<void>((resolve) => (map.loaded() ? resolve() : map.once('load', () => resolve())));
  const boxes = plans.flatMap((p) => (p.bbox ? [p.bbox] : []));
  if (boxes.length) {
    const b = boxes.reduce((a, x) => [Math.min(a[0], x[0]), Math.min(a[1], x[1]), Math.max(a[2], x[2]), Math.max(a[3], x[3])]);
    map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 20, duration: 0 });
  }
  getAreas('district').then((d) => (map.getSource(SRC_DISTRICTS) as maplibregl.GeoJSONSource).setData(d), () => undefined);
  applyFilter();
  $('legend').addEventListener('change', (e) => {
    const box = e.target as HTMLInputElement;
    if (box.dataset.use) box.checked ? shownUses.add(box.dataset.use) : shownUses.delete(box.dataset.use);
    applyFilter();
  });
  $('layers').addEventListener('change', (e) => {
    const box = e.target as HTMLInputElement;
    if (box.dataset.layer) box.checked ? shownLayers.add(box.dataset.layer) : shownLayers.delete(box.dataset.layer);
    applyFilter();
  });
  $('opacity').addEventListener('input', (e) => setOpacity(Number((e.target as HTMLInputElement).value)));
  const searchSoon = debounce((q: string) => void search(q), 200);
  $('q').addEventListener('input', (e) => searchSoon((e.target as HTMLInputElement).value));
  $('search').addEventListener('submit', (e) => {
    e.preventDefault();
    void search(($('q') as HTMLInputElement).value);
  });
  $('lang').addEventListener('click', () => setLang(i18n.lang === 'vi' ? 'en' : 'vi'));
  setLang(i18n.lang);
  document.body.dataset.ready = 'true';
}

void main();
