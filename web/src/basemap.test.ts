import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import roadsGeojson from '../../geodata/danang/roads.geojson?raw';
import waterGeojson from '../../geodata/danang/water.geojson?raw';
import * as B from './basemap';
import { portalStyle } from './portal/map';
import * as S from './style';

const served = new Set(Object.keys(import.meta.glob('../public/fonts/*/*.pbf')).map((p) => p.replace('../public/fonts/', '')));

function names(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.includes('"Feature"'))
    .map((l) => (JSON.parse(l.replace(/,\s*$/, '')) as GeoJSON.Feature).properties!.name as string);
}

describe('basemap from the server’s vector tiles', () => {
  const wall = S.wallStyle(1, 'http://127.0.0.1:8080');
  const portal = portalStyle('http://127.0.0.1:8080');

  it('gives valid styles whose tile sources are the server’s own TileJSON', () => {
    expect(validateStyleMin(wall)).toEqual([]);
    expect(validateStyleMin(portal)).toEqual([]);
    expect(wall.sources[B.SRC_BASEMAP]).toEqual({ type: 'vector', url: 'http://127.0.0.1:8080/tiles/basemap' });
    expect(portal.sources[B.SRC_AREA_TILES]).toEqual({ type: 'vector', url: 'http://127.0.0.1:8080/tiles/areas' });
  });

  it('keeps the wall’s area colours on GeoJSON, under the rivers and roads', () => {
    const order = wall.layers.map((l) => l.id);
    expect(order.indexOf(B.LYR_WATER)).toBeGreaterThan(order.indexOf(S.LYR_WARD_FILL));
    expect(order.indexOf(B.LYR_ROADS)).toBeLessThan(order.indexOf(S.LYR_TICKETS));
    expect(order.indexOf(B.LYR_ROAD_LABEL)).toBeLessThan(order.indexOf(S.LYR_DISTRICT_LABEL));
  });

  it('has glyphs for every road and water name (Vietnamese diacritics)', () => {
    const text = [...names(roadsGeojson), ...names(waterGeojson)].join('');
    expect(text).toContain('Đường Nguyễn Văn Linh');
    expect(text).toContain('Sông Hàn');
    const needed = new Set([...text].map((c) => Math.floor(c.codePointAt(0)! / 256) * 256));
    for (const f of [S.FONT_REGULAR, S.FONT_BOLD]) for (const start of needed) expect(served).toContain(`${f}/${start}-${start + 255}.pbf`);
  });
});
