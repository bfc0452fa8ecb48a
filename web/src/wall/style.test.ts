import { expression, featureFilter, validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import areasGeojson from '../../../geodata/danang/areas.geojson?raw';
import * as F from '../common/map/fonts';
import * as ID from '../common/map/ids';
import * as S from './style';

const style = S.wallStyle(1, 'http://127.0.0.1:8080');
const layer = (id: string) => style.layers.find((l) => l.id === id)!;

/** The glyph PBFs the server has, as "Noto Sans Bold/0-255.pbf" (Vite lists them, lazily). */
const served = new Set(Object.keys(import.meta.glob('../../public/fonts/*/*.pbf')).map((p) => p.replace('../../public/fonts/', '')));

/** The demo city's area names (one GeoJSON feature per line). */
const demoNames = areasGeojson
  .split('\n')
  .filter((l) => l.includes('"Feature"'))
  .map((l) => (JSON.parse(l.replace(/,\s*$/, '')) as GeoJSON.Feature).properties!.name as string);

/** Every string literal in an expression (the fixed text of a label). */
function literals(e: unknown): string[] {
  if (typeof e === 'string') return [e];
  if (Array.isArray(e)) return e[0] === 'get' ? [] : e.slice(1).flatMap(literals);
  return [];
}

describe('wall style', () => {
  it('is a valid MapLibre style', () => {
    expect(validateStyleMin(style)).toEqual([]);
  });

  it('takes glyphs from the page’s own server, with an absolute URL', () => {
    expect(style.glyphs).toBe('http://127.0.0.1:8080/fonts/{fontstack}/{range}.pbf');
    expect(F.glyphsUrl('https://ioc.danang.gov.vn/')).toBe('https://ioc.danang.gov.vn/fonts/{fontstack}/{range}.pbf');
  });

  it('labels districts, wards (zoomed in) and clusters with symbol layers', () => {
    expect(layer(ID.LYR_DISTRICT_LABEL)).toMatchObject({ type: 'symbol', source: ID.SRC_DISTRICT_LABELS });
    expect(layer(ID.LYR_WARD_LABEL)).toMatchObject({ type: 'symbol', source: ID.SRC_WARD_LABELS, minzoom: S.WARD_ZOOM });
    expect(layer(ID.LYR_CLUSTER_COUNT)).toMatchObject({ type: 'symbol', source: ID.SRC_TICKETS, 'source-layer': ID.TILE_LAYER_TICKET_CLUSTERS });
    expect(layer(ID.LYR_CLUSTERS)).toMatchObject({ type: 'circle', source: ID.SRC_TICKETS, 'source-layer': ID.TILE_LAYER_TICKET_CLUSTERS });
    // Labels sit above the ticket layers; ward labels above district labels, so MapLibre (which
    // places the top layer's symbols first) keeps a ward's label where the two collide.
    const order = style.layers.map((l) => l.id);
    expect(order.indexOf(ID.LYR_DISTRICT_LABEL)).toBeGreaterThan(order.indexOf(ID.LYR_CLUSTER_COUNT));
    expect(order.indexOf(ID.LYR_WARD_LABEL)).toBeGreaterThan(order.indexOf(ID.LYR_DISTRICT_LABEL));
  });

  it('uses only fonts that are served, with a glyph range for every character of the labels', () => {
    const used = new Set<string>();
    for (const l of style.layers) {
      if (l.type !== 'symbol') continue;
      for (const f of (l.layout?.['text-font'] as string[] | undefined) ?? []) used.add(f);
    }
    for (const f of JSON.stringify(style).matchAll(/"text-font":\["literal",\["([^"]+)"\]\]/g)) used.add(f[1]);
    expect([...used].sort()).toEqual([F.FONT_BOLD, F.FONT_REGULAR]);

    const text = [...demoNames, ...literals(S.districtLabelText), ...literals(S.wardLabelText), '0123456789k.'].join('');
    expect(text).toContain('Ngũ Hành Sơn');
    const needed = new Set([...text].map((c) => Math.floor(c.codePointAt(0)! / 256) * 256));
    expect(demoNames.length).toBeGreaterThan(40);
    for (const f of used) for (const start of needed) expect(served).toContain(`${f}/${start}-${start + 255}.pbf`);
  });
});

const evaluate = (e: unknown, properties: Record<string, unknown>) =>
  (expression.createExpression(e as never).value as unknown as { evaluate: (g: unknown, f: unknown) => unknown }).evaluate({ zoom: 11 }, { type: 1, properties, geometry: [] });

describe('wall tickets from the server’s ticket tiles', () => {
  it('takes clusters and points from the scoped ticket tiles, points hidden by feature state when overlaid', () => {
    expect(style.sources[ID.SRC_TICKETS]).toMatchObject({
      type: 'vector', tiles: ['http://127.0.0.1:8080/tiles/tickets/{z}/{x}/{y}'], promoteId: { [ID.TILE_LAYER_TICKETS]: 'id' },
    });
    expect(layer(ID.LYR_TICKETS)).toMatchObject({ source: ID.SRC_TICKETS, 'source-layer': ID.TILE_LAYER_TICKETS });
    expect(JSON.stringify((layer(ID.LYR_TICKETS) as { paint: unknown }).paint)).toContain(`["feature-state","${S.LIVE_STATE}"]`);
  });

  it('writes cluster counts short', () => {
    expect(evaluate(S.clusterCountText, { count: 7 })).toBe('7');
    expect(evaluate(S.clusterCountText, { count: 1234 })).toBe('1.2k');
    expect(evaluate(S.clusterCountText, { count: 45678 })).toBe('46k');
  });

  it('shows open tickets and those received or closed since the window’s start', () => {
    const f = featureFilter(S.recentFilter(1_000_000_000) as never);
    const passes = (p: Record<string, unknown>) => f.filter({ zoom: 14 }, { type: 1, properties: p, geometry: [] } as never);
    expect(passes({ open: true, received_at: 1 })).toBe(true);
    expect(passes({ open: false, received_at: 1, resolved_at: 1_000_000 })).toBe(true);
    expect(passes({ open: false, received_at: 1_000_001 })).toBe(true);
    expect(passes({ open: false, received_at: 1, resolved_at: 999_999 })).toBe(false);
  });
});

describe('wall basemap from the server’s vector tiles', () => {
  const wall = S.wallStyle(1, 'http://127.0.0.1:8080');

  it('gives a valid style whose tile source is the server’s own TileJSON', () => {
    expect(validateStyleMin(wall)).toEqual([]);
    expect(wall.sources[ID.SRC_BASEMAP]).toEqual({ type: 'vector', url: 'http://127.0.0.1:8080/tiles/basemap' });
  });

  it('keeps the wall’s area colours on GeoJSON, under the rivers and roads', () => {
    const order = wall.layers.map((l) => l.id);
    expect(order.indexOf(ID.LYR_WATER)).toBeGreaterThan(order.indexOf(ID.LYR_WARD_FILL));
    expect(order.indexOf(ID.LYR_ROADS)).toBeLessThan(order.indexOf(ID.LYR_TICKETS));
    expect(order.indexOf(ID.LYR_ROAD_LABEL)).toBeLessThan(order.indexOf(ID.LYR_DISTRICT_LABEL));
  });
});
