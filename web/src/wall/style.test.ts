import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
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
    expect(layer(ID.LYR_CLUSTER_COUNT)).toMatchObject({ type: 'symbol', source: ID.SRC_TICKETS, filter: ['has', 'point_count'] });
    expect(JSON.stringify(layer(ID.LYR_CLUSTER_COUNT))).toContain('point_count_abbreviated');
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
