import { featureFilter } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import type { MapTicket } from './geojson';
import { LiveOverlay } from './overlay';

const t = (id: string, status: MapTicket['status'] = 'received'): MapTicket => ({
  id, status, category: 'c', lon: 108.2, lat: 16.05, area: null, unit: null, priority: 'normal',
  received_at: 0, deadline: 1_000_000, resolved_at: null, version: 1,
});

const point = (props: Record<string, unknown>) => ({ type: 1 as const, properties: props, geometry: [] as never });
const passes = (filter: unknown, props: Record<string, unknown>) => featureFilter(filter as never).filter({ zoom: 14 }, point(props) as never);

describe('live overlay', () => {
  it('draws only changed tickets the page still holds', () => {
    const o = new LiveOverlay();
    const held = new Map([['a', t('a')], ['b', t('b', 'resolved')], ['c', t('c')]]);
    o.add('b');
    o.add('gone');
    const f = o.features(held);
    expect(f.features.map((x) => x.properties.id)).toEqual(['b']);
    expect(f.features[0].properties.open).toBe(false);
  });

  it('hides the changed ids in the big layer and keeps clusters out of it', () => {
    const o = new LiveOverlay();
    expect(passes(o.baseFilter(), { id: 'a' })).toBe(true);
    o.add('a');
    expect(passes(o.baseFilter(), { id: 'a' })).toBe(false);
    expect(passes(o.baseFilter(), { id: 'b' })).toBe(true);
    expect(passes(o.baseFilter(), { point_count: 3 })).toBe(false);
  });

  it('folds back only what a rebuild contains', () => {
    const o = new LiveOverlay();
    o.add('a');
    const mark = o.mark();
    o.add('b');
    expect(o.size).toBe(2);
    o.folded(mark);
    expect(o.has('a')).toBe(false);
    expect(o.has('b')).toBe(true);
    expect(passes(o.baseFilter(), { id: 'a' })).toBe(true);
    expect(passes(o.baseFilter(), { id: 'b' })).toBe(false);
    o.folded(o.mark());
    expect(o.size).toBe(0);
    expect(o.features(new Map([['a', t('a')]])).features).toEqual([]);
  });

  it('keeps a ticket changed again after the rebuild started', () => {
    const o = new LiveOverlay();
    o.add('a');
    const mark = o.mark();
    o.add('a');
    o.folded(mark);
    expect(o.has('a')).toBe(true);
  });
});
