import { describe, expect, it } from 'vitest';
import type { AreaCollection } from '../common/types';
import { applyCounters, areaFeatures, districtOf, fromEvent, fromRow, labelFeatures, ticketFeatures, upsertTicket, type MapTicket, type TicketPointProps } from './geojson';
import { expression } from '@maplibre/maplibre-gl-style-spec';
import { mapTicket } from './fixtures';
import { STATUS_COLOURS } from './health';
import { ticketColour } from './style';

const square: GeoJSON.Polygon = { type: 'Polygon', coordinates: [[[108, 16], [108.2, 16], [108.2, 16.1], [108, 16.1], [108, 16]]] };
const areas: AreaCollection = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: square, properties: { code: 'HC', name: 'Hải Châu', name_en: 'Hai Chau', level: 'district', stats: { counts: { received: 10 }, total: 10, open: 10, overdue: 2 } } },
    { type: 'Feature', geometry: square, properties: { code: 'SC', name: 'Sơn Trà', level: 'district', stats: { counts: {}, total: 0, open: 0, overdue: 0 } } },
  ],
};

describe('area GeoJSON', () => {
  it('flattens stats and adds the health class, keeping Vietnamese names', () => {
    const fc = areaFeatures(areas);
    expect(fc.features[0].properties).toMatchObject({ code: 'HC', name: 'Hải Châu', health: 'bad', open: 10, overdue: 2 });
    expect(fc.features[1].properties.health).toBe('none');
    expect(fc.features[1].properties.name_en).toBe('');
  });

  it('colours by the configured rule, the on-time rate coming from the key figures', () => {
    const fc = areaFeatures(areas, { rule: 'on_time_rate', thresholds: [0.9, 0.75] }, { HC: { on_time_rate: 0.8 } });
    expect(fc.features.map((f) => f.properties.health)).toEqual(['warn', 'none']);
    expect(areaFeatures(areas, { rule: 'overdue_count', thresholds: [5, 10] }).features[0].properties.health).toBe('good');
  });

  it('applies live counters only to the areas they name', () => {
    const next = applyCounters(areas, { SC: { counts: { received: 1 }, total: 1, open: 1, overdue: 0 } });
    expect(next.features[1].properties.stats.open).toBe(1);
    expect(next.features[0]).toBe(areas.features[0]);
    expect(applyCounters(areas, undefined)).toBe(areas);
  });

  it('makes one label point per area, even for an area of several polygons', () => {
    const islands: GeoJSON.MultiPolygon = { type: 'MultiPolygon', coordinates: [
      [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]],
      [[[5, 5], [5.1, 5], [5.1, 5.1], [5, 5.1], [5, 5]]],
    ] };
    const fc = labelFeatures({ ...areas, features: [{ ...areas.features[0], geometry: islands }, areas.features[1]] });
    expect(fc.features).toHaveLength(2);
    expect(fc.features[0].geometry).toEqual({ type: 'Point', coordinates: [0.5, 0.5] });
    expect(fc.features[0].properties).toMatchObject({ code: 'HC', name: 'Hải Châu', health: 'bad', open: 10, overdue: 2 });
    expect(fc.features[1].geometry.coordinates[0]).toBeCloseTo(108.1);
  });

  it('labels with precomposed (NFC) letters, which the map fonts have glyphs for', () => {
    const decomposed = 'Ngu\u0303 Ha\u0300nh So\u031Bn'; // "Ngũ Hành Sơn" as base letters + combining marks
    const fc = labelFeatures({ ...areas, features: [{ ...areas.features[0], properties: { ...areas.features[0].properties, name: decomposed } }] });
    expect(fc.features[0].properties.name).toBe('Ngũ Hành Sơn');
    expect(fc.features[0].properties.name).toHaveLength(12);
  });

  it('finds the district of a ward', () => {
    const parents = new Map([['HC-01', 'HC']]);
    expect(districtOf('HC-01', parents)).toBe('HC');
    expect(districtOf('HC', parents)).toBe('HC');
    expect(districtOf(null, parents)).toBeNull();
  });
});

/** The colour the wall's style gives a ticket point at `now` (MapLibre's own expression engine). */
function colourAt(p: TicketPointProps, now: Date): string {
  const e = expression.createExpression(ticketColour(now.getTime()));
  if (e.result !== 'success') throw new Error('bad expression');
  return String(e.value.evaluate({ zoom: 12 }, { type: 'Point', properties: p } as never));
}

describe('ticket points', () => {
  const now = new Date('2026-11-25T00:00:00Z');
  const ticket = (p: Partial<MapTicket>) => mapTicket({ id: 'a', ...p });

  it('are lon/lat points coloured by status', () => {
    const fc = ticketFeatures([ticket({})]);
    expect(fc.features[0].geometry.coordinates).toEqual([108.1, 16.05]);
    expect(fc.features[0].properties).toMatchObject({ id: 'a', status: 'received', open: true });
    expect(colourAt(fc.features[0].properties, now)).toBe((STATUS_COLOURS.received));
  });

  it('turn red once an open ticket is past its deadline, by the clock alone', () => {
    const p = ticketFeatures([ticket({ deadline: Date.parse('2026-11-24T12:00:00Z') })]).features[0].properties;
    expect(colourAt(p, new Date('2026-11-24T11:59:00Z'))).toBe((STATUS_COLOURS.received));
    expect(colourAt(p, now)).toBe((STATUS_COLOURS.overdue));
  });

  it('never turn red when resolved', () => {
    const p = ticketFeatures([ticket({ status: 'resolved', deadline: Date.parse('2026-11-24T00:00:00Z') })]).features[0].properties;
    expect(p.open).toBe(false);
    expect(colourAt(p, now)).toBe((STATUS_COLOURS.resolved));
  });
});

describe('the map layer', () => {
  it('reads rows by their column names, instants in seconds', () => {
    const columns = ['id', 'lon', 'lat', 'status', 'category', 'area', 'unit', 'priority', 'received_at', 'deadline', 'resolved_at', 'version'];
    const t = fromRow(columns, ['x', 108.2, 16.1, 'in_progress', 'noise', 'HC-01', null, 'high', 1_700_000_000, 1_700_100_000, null, 3]);
    expect(t).toMatchObject({ id: 'x', lon: 108.2, lat: 16.1, status: 'in_progress', area: 'HC-01', unit: null, version: 3 });
    expect(t.deadline).toBe(1_700_100_000_000);
    // Another column order reads the same.
    expect(fromRow([...columns].reverse(), [...['x', 108.2, 16.1, 'in_progress', 'noise', 'HC-01', null, 'high', 1_700_000_000, 1_700_100_000, null, 3]].reverse())).toEqual(t);
  });
});

describe('live ticket events', () => {
  const now = new Date('2026-11-25T00:00:00Z');
  const summary = { id: 'a', code: 'DN-2611-000001', status: 'received', category: 'noise', location: { lon: 108.1, lat: 16.05 },
    area: 'HC-01', unit: null, deadline: '2026-11-30T00:00:00Z', received_at: '2026-11-20T00:00:00Z', priority: 'normal', version: 1 };

  it('adds a created ticket as new, with its code', () => {
    const held = new Map<string, MapTicket>();
    const t = fromEvent(summary)!;
    expect(upsertTicket(held, t)).toBe('new');
    expect(held.get('a')?.code).toBe('DN-2611-000001');
  });

  it('turns a held ticket red when an event moves its deadline into the past', () => {
    const held = new Map([['a', fromEvent(summary)!]]);
    expect(colourAt(ticketFeatures(held.values()).features[0].properties, now)).toBe((STATUS_COLOURS.received));
    const t = fromEvent({ ...summary, deadline: '2026-11-24T00:00:00Z', version: 2 }, held.get('a'))!;
    expect(upsertTicket(held, t)).toBe('changed');
    expect(colourAt(ticketFeatures(held.values()).features[0].properties, now)).toBe((STATUS_COLOURS.overdue));
  });

  it('ignores an event older than what the page holds', () => {
    const held = new Map([['a', mapTicket({ id: 'a', status: 'in_progress', version: 5 })]]);
    expect(upsertTicket(held, fromEvent({ ...summary, version: 4 })!)).toBe('stale');
    expect(held.get('a')?.status).toBe('in_progress');
  });

  it('keeps the code it knew when the new data has none', () => {
    const held = new Map([['a', fromEvent(summary)!]]);
    upsertTicket(held, mapTicket({ id: 'a', version: 2 }));
    expect(held.get('a')?.code).toBe('DN-2611-000001');
  });

  it('ignores events without a ticket', () => {
    expect(fromEvent({})).toBeNull();
  });
});

describe('me too on the wall', () => {
  it('hands each ticket point its supporters, which the style draws larger', () => {
    const f = ticketFeatures([mapTicket({ supporters: 12 })]);
    expect(f.features[0].properties.supporters).toBe(12);
    expect(fromRow(['id', 'lon', 'lat', 'status', 'supporters'], ['x', 108.2, 16.05, 'received', 4]).supporters).toBe(4);
  });
});
