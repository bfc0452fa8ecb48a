import { describe, expect, it } from 'vitest';
import { applyCounters, areaFeatures, bbox, districtOf, labelFeatures, labelPoint, mergeTicket, ticketFeatures } from './geojson';
import { ticket as make } from './fixtures';
import type { AreaCollection, Ticket } from './types';

const square: GeoJSON.Polygon = { type: 'Polygon', coordinates: [[[108, 16], [108.2, 16], [108.2, 16.1], [108, 16.1], [108, 16]]] };
const areas: AreaCollection = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: square, properties: { code: 'HC', name: 'Hải Châu', name_en: 'Hai Chau', level: 'district', stats: { counts: { received: 10 }, total: 10, open: 10, overdue: 2 } } },
    { type: 'Feature', geometry: square, properties: { code: 'SC', name: 'Sơn Trà', level: 'district', stats: { counts: {}, total: 0, open: 0, overdue: 0 } } },
  ],
};
const ticket = (p: Partial<Ticket>): Ticket => make({ id: 'a', ...p });

describe('area GeoJSON', () => {
  it('flattens stats and adds the health class, keeping Vietnamese names', () => {
    const fc = areaFeatures(areas);
    expect(fc.features[0].properties).toMatchObject({ code: 'HC', name: 'Hải Châu', health: 'bad', open: 10, overdue: 2 });
    expect(fc.features[1].properties.health).toBe('none');
    expect(fc.features[1].properties.name_en).toBe('');
  });

  it('applies live counters only to the areas they name', () => {
    const next = applyCounters(areas, { SC: { counts: { received: 1 }, total: 1, open: 1, overdue: 0 } });
    expect(next.features[1].properties.stats.open).toBe(1);
    expect(next.features[0]).toBe(areas.features[0]);
    expect(applyCounters(areas, undefined)).toBe(areas);
  });

  it('computes bounding boxes and label points', () => {
    expect(bbox(square)).toEqual([108, 16, 108.2, 16.1]);
    const [x, y] = labelPoint(square);
    expect(x).toBeCloseTo(108.1);
    expect(y).toBeCloseTo(16.05);
  });

  it('labels an L-shaped area at its centroid, not its bbox centre', () => {
    const l: GeoJSON.MultiPolygon = { type: 'MultiPolygon', coordinates: [
      [[[0, 0], [0.01, 0], [0.01, 0.01], [0, 0.01], [0, 0]]],
      [[[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]]],
    ] };
    const [x, y] = labelPoint(l);
    expect(x).toBeCloseTo(5 / 6);
    expect(y).toBeCloseTo(5 / 6);
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

describe('ticket GeoJSON', () => {
  const now = new Date('2026-11-25T00:00:00Z');

  it('makes lon/lat points coloured by status', () => {
    const fc = ticketFeatures([ticket({})], now);
    expect(fc.features[0].geometry.coordinates).toEqual([108.1, 16.05]);
    expect(fc.features[0].properties).toMatchObject({ id: 'a', colour_key: 'received', open: true, fresh: false });
  });

  it('colours an open ticket past its deadline as overdue even before the server says so', () => {
    const fc = ticketFeatures([ticket({ deadline: '2026-11-24T00:00:00Z' }), ticket({ id: 'b', overdue: true })], now);
    expect(fc.features.map((f) => f.properties.colour_key)).toEqual(['overdue', 'overdue']);
  });

  it('never colours a resolved ticket as overdue', () => {
    const fc = ticketFeatures([ticket({ status: 'resolved', deadline: '2026-11-24T00:00:00Z', overdue: false })], now);
    expect(fc.features[0].properties).toMatchObject({ colour_key: 'resolved', open: false });
  });

  it('marks fresh tickets', () => {
    expect(ticketFeatures([ticket({})], now, new Set(['a'])).features[0].properties.fresh).toBe(true);
  });
});

describe('live ticket events', () => {
  const now = new Date('2026-11-25T00:00:00Z');

  it('adds a created ticket as new', () => {
    const m = mergeTicket(new Map(), { id: 'n', code: 'DN-9', status: 'received', location: { lon: 108, lat: 16 } });
    expect(m?.isNew).toBe(true);
    expect(m?.ticket.code).toBe('DN-9');
  });

  it('turns a held ticket red on ticket.overdue, keeping the fields the event leaves out', () => {
    const held = new Map([['a', ticket({ area_name: 'Hải Châu I' })]]);
    expect(ticketFeatures(held.values(), now).features[0].properties.colour_key).toBe('received');
    const m = mergeTicket(held, { id: 'a', status: 'received', overdue: true, location: { lon: 108.1, lat: 16.05 } })!;
    expect(m.isNew).toBe(false);
    expect(m.ticket.area_name).toBe('Hải Châu I');
    held.set('a', m.ticket);
    expect(ticketFeatures(held.values(), now).features[0].properties.colour_key).toBe('overdue');
  });

  it('ignores events without a ticket', () => {
    expect(mergeTicket(new Map(), {})).toBeNull();
  });
});
