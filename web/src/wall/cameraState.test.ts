import { describe, expect, it } from 'vitest';
import type { CameraFrame } from '../common/live';
import type { CameraView } from '../common/types';
import { applyFrame, applyList, cameraFeatures, parseGrid } from './cameraState';

const cam = (code: string, version: number, status: CameraView['status'] = 'unknown'): CameraView => ({
  code, name: 'Cầu Rồng', name_en: 'Dragon Bridge', location: { lon: 108.22, lat: 16.06 }, heading: 90, fov: 60, range_m: 80,
  kind: 'mjpeg', status, last_checked: null, last_seen: null, area: null, version, updated_at: '2026-11-22T07:00:00Z',
  cone: [[108.22, 16.06], [108.221, 16.0605], [108.221, 16.0595], [108.22, 16.06]],
});
const frame = (kind: CameraFrame['kind'], data: CameraView): CameraFrame => ({ type: 'camera', camera_seq: 1, kind, at: '', data });

describe('camera state', () => {
  it('keeps the newer version whichever arrives first', () => {
    const m = new Map<string, CameraView>();
    const gone = new Map<string, number>();
    expect(applyFrame(m, gone, frame('camera.status', cam('A', 2, 'online')))).toBe(true);
    applyList(m, gone, [cam('A', 1), cam('B', 1)]);
    expect(m.get('A')?.status).toBe('online');
    expect(applyFrame(m, gone, frame('camera.status', cam('A', 2, 'offline')))).toBe(false);
    expect(applyFrame(m, gone, frame('camera.status', cam('A', 3, 'offline')))).toBe(true);
    expect(m.get('A')?.status).toBe('offline');
  });

  it('a deleted camera does not come back from an older load', () => {
    const m = new Map([['A', cam('A', 1)]]);
    const gone = new Map<string, number>();
    expect(applyFrame(m, gone, frame('camera.deleted', cam('A', 1)))).toBe(true);
    applyList(m, gone, [cam('A', 1)]);
    expect(m.has('A')).toBe(false);
    applyList(m, gone, [cam('A', 2)]);
    expect(m.has('A')).toBe(true);
  });

  it('draws a point and a cone per camera, coloured by status', () => {
    const { points, cones } = cameraFeatures([cam('A', 1, 'online'), cam('B', 1, 'offline')]);
    expect(points.features).toHaveLength(2);
    expect(cones.features[1].properties).toMatchObject({ code: 'B', colour: '#ef4444' });
  });

  it('reads the grid from storage defensively', () => {
    expect(parseGrid('["A","B","A",3]', 9)).toEqual(['A', 'B']);
    expect(parseGrid('{"x":1}', 9)).toEqual([]);
    expect(parseGrid('not json', 9)).toEqual([]);
    expect(parseGrid('["A","B","C"]', 2)).toEqual(['A', 'B']);
  });
});
