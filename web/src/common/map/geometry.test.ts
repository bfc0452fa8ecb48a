import { describe, expect, it } from 'vitest';
import { bbox, labelPoint } from './geometry';

const square: GeoJSON.Polygon = { type: 'Polygon', coordinates: [[[108, 16], [108.2, 16], [108.2, 16.1], [108, 16.1], [108, 16]]] };

describe('area geometry', () => {
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
});
