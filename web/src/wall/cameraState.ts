// The cameras the wall holds, kept by version: a live `camera` frame and a REST reload can
// arrive in either order; the newer version wins. Pure (tested with Vitest).

import type { Text } from '../common/i18n';
import type { CameraFrame } from '../common/live';
import type { CameraStatus, CameraView } from '../common/types';

export const CAMERA_COLOURS: Record<CameraStatus, string> = { online: '#22c55e', offline: '#ef4444', unknown: '#9ca3af' };

export const CAMERA_STATUS_LABELS: Record<CameraStatus, Text> = {
  online: { vi: 'Đang hoạt động', en: 'online' },
  offline: { vi: 'Mất tín hiệu', en: 'offline' },
  unknown: { vi: 'Chưa kiểm tra', en: 'not checked yet' },
};

/** Applies a frame; true if the state changed. Deletions are kept as tombstones by version. */
export function applyFrame(cameras: Map<string, CameraView>, gone: Map<string, number>, f: CameraFrame): boolean {
  const code = f.data.code;
  const held = cameras.get(code);
  if (f.kind === 'camera.deleted') {
    gone.set(code, Math.max(gone.get(code) ?? 0, f.data.version));
    return cameras.delete(code);
  }
  if (held && held.version >= f.data.version) return false;
  if ((gone.get(code) ?? 0) >= f.data.version) return false;
  cameras.set(code, f.data);
  return true;
}

/** Replaces the state with a REST load, keeping any newer version the page already holds. */
export function applyList(cameras: Map<string, CameraView>, gone: Map<string, number>, list: CameraView[]): void {
  const held = new Map(cameras);
  cameras.clear();
  for (const c of list) {
    if ((gone.get(c.code) ?? 0) >= c.version) continue;
    const h = held.get(c.code);
    cameras.set(c.code, h && h.version > c.version ? h : c);
  }
}

/** Points (the icons) and polygons (the cones) for the map. */
export function cameraFeatures(cameras: Iterable<CameraView>): { points: GeoJSON.FeatureCollection; cones: GeoJSON.FeatureCollection } {
  const points: GeoJSON.Feature[] = [];
  const cones: GeoJSON.Feature[] = [];
  for (const c of cameras) {
    const properties = { code: c.code, status: c.status, colour: CAMERA_COLOURS[c.status] };
    points.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [c.location.lon, c.location.lat] }, properties });
    if (c.cone.length >= 4) cones.push({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [c.cone] }, properties });
  }
  return { points: { type: 'FeatureCollection', features: points }, cones: { type: 'FeatureCollection', features: cones } };
}

/** The grid's cameras from localStorage text: known codes only, no repeats, at most `max`. */
export function parseGrid(text: string | null, max: number): string[] {
  try {
    const v: unknown = JSON.parse(text ?? '[]');
    if (!Array.isArray(v)) return [];
    return [...new Set(v.filter((x): x is string => typeof x === 'string'))].slice(0, max);
  } catch {
    return [];
  }
}
