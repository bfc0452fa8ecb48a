import { describe, expect, it } from 'vitest';
import type { MapTicket } from './geojson';
import { LiveOverlay } from './overlay';

const t = (id: string, status: MapTicket['status'] = 'received'): MapTicket => ({
  id, status, category: 'c', lon: 108.2, lat: 16.05, area: null, unit: null, priority: 'normal',
  received_at: 0, deadline: 1_000_000, resolved_at: null, version: 1, supporters: 0,
});

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

  it('names each changed id once to hide in the tiles, however often it changed', () => {
    const o = new LiveOverlay();
    o.add('a');
    o.add('b');
    o.add('a');
    expect(o.takeAdded().sort()).toEqual(['a', 'b']);
    expect(o.takeAdded()).toEqual([]);
    o.add('a');
    expect(o.takeAdded(), 'already hidden').toEqual([]);
  });

  it('folds back only what a reload contains, and names what to show again', () => {
    const o = new LiveOverlay();
    o.add('a');
    const mark = o.mark();
    o.add('b');
    expect(o.takeAdded()).toEqual(['a', 'b']);
    expect(o.size).toBe(2);
    expect(o.folded(mark)).toEqual(['a']);
    expect(o.has('a')).toBe(false);
    expect(o.has('b')).toBe(true);
    expect(o.folded(o.mark())).toEqual(['b']);
    expect(o.size).toBe(0);
    expect(o.features(new Map([['a', t('a')]])).features).toEqual([]);
  });

  it('never names to show again a point it did not name to hide', () => {
    const o = new LiveOverlay();
    o.add('a');
    o.add('b');
    expect(o.takeAdded()).toEqual(['a', 'b']);
    o.add('c');
    expect(o.folded(o.mark())).toEqual(['a', 'b']);
    expect(o.takeAdded()).toEqual([]);
  });

  it('keeps a ticket changed again after the reload started', () => {
    const o = new LiveOverlay();
    o.add('a');
    const mark = o.mark();
    o.add('a');
    expect(o.folded(mark)).toEqual([]);
    expect(o.has('a')).toBe(true);
  });
});
