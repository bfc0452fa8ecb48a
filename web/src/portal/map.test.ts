import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import * as ID from '../common/map/ids';
import { portalStyle } from './map';

describe('portal basemap from the server’s vector tiles', () => {
  const portal = portalStyle('http://127.0.0.1:8080');

  it('gives a valid style whose tile sources are the server’s own TileJSON', () => {
    expect(validateStyleMin(portal)).toEqual([]);
    expect(portal.sources[ID.SRC_AREA_TILES]).toEqual({ type: 'vector', url: 'http://127.0.0.1:8080/tiles/areas' });
  });
});
