import { describe, expect, it } from 'vitest';
import roadsGeojson from '../../../../geodata/danang/roads.geojson?raw';
import waterGeojson from '../../../../geodata/danang/water.geojson?raw';
import { FONT_BOLD, FONT_REGULAR } from './fonts';

const served = new Set(Object.keys(import.meta.glob('../../../public/fonts/*/*.pbf')).map((p) => p.replace('../../../public/fonts/', '')));

function names(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.includes('"Feature"'))
    .map((l) => (JSON.parse(l.replace(/,\s*$/, '')) as GeoJSON.Feature).properties!.name as string);
}

describe('basemap from the server’s vector tiles', () => {
  it('has glyphs for every road and water name (Vietnamese diacritics)', () => {
    const text = [...names(roadsGeojson), ...names(waterGeojson)].join('');
    expect(text).toContain('Đường Nguyễn Văn Linh');
    expect(text).toContain('Sông Hàn');
    const needed = new Set([...text].map((c) => Math.floor(c.codePointAt(0)! / 256) * 256));
    for (const f of [FONT_REGULAR, FONT_BOLD]) for (const start of needed) expect(served).toContain(`${f}/${start}-${start + 255}.pbf`);
  });
});
