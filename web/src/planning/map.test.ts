import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import planGeojson from '../../../geodata/danang/planning.geojson?raw';
import { LYR_ZONE_FILL, LYR_ZONE_HIGHLIGHT, SRC_PLANNING } from '../common/map/ids';
import { planningSource } from '../common/map/sources';
import { highlightFilter, planningStyle, zoneFilter } from './map';

const style = planningStyle('http://127.0.0.1:8080', 0.7);

/** The demo plan's zones (one GeoJSON feature per line). */
const zones = planGeojson
  .split('\n')
  .filter((l) => l.startsWith('{"type":"Feature"'))
  .map((l) => JSON.parse(l.replace(/,\s*$/, '')) as GeoJSON.Feature);

describe('planning style', () => {
  it('is a valid MapLibre style with filters that validate', () => {
    const filtered = {
      ...style,
      layers: style.layers.map((l) => (l.id === LYR_ZONE_FILL ? { ...l, filter: zoneFilter(['water'], ['DN-QHPK-TT']) } : l)),
    };
    expect(validateStyleMin(filtered)).toEqual([]);
  });

  it('takes the zones from one source, from the page’s own server', () => {
    expect(planningSource('http://x')).toMatchObject({ type: 'vector', tiles: ['http://x/tiles/planning/{z}/{x}/{y}'] });
    expect(style.layers.filter((l) => 'source' in l && l.source === SRC_PLANNING).length).toBeGreaterThan(2);
    expect(style.glyphs!.startsWith('http://127.0.0.1:8080/fonts/')).toBe(true);
  });

  it('highlights only the chosen zones', () => {
    const highlight = style.layers.find((l) => l.id === LYR_ZONE_HIGHLIGHT) as { filter?: unknown };
    expect(highlight.filter).toEqual(highlightFilter([]));
    expect(highlightFilter(['A:1'])).toEqual(['in', ['get', 'id'], ['literal', ['A:1']]]);
  });
});

describe('the demo plan', () => {
  it('has a few hundred zones of every land-use kind, with decisions', () => {
    expect(zones.length).toBeGreaterThan(300);
    const uses = new Set(zones.map((z) => z.properties!.land_use));
    expect([...uses].sort()).toEqual(['commercial', 'green_space', 'mixed', 'other', 'public_facility', 'residential', 'transport', 'water']);
    expect(zones.every((z) => /^\d+\/QĐ-UBND$/.test(z.properties!.decision_number))).toBe(true);
  });
});
