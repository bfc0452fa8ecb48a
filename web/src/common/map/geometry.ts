// Plane geometry on lon/lat degrees that more than one map needs: bounding boxes (to fit a view)
// and where to put an area's label. Pure functions.

/** Bounding box [minLon, minLat, maxLon, maxLat] of any GeoJSON geometry. */
export function bbox(geom: GeoJSON.Geometry): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      b[0] = Math.min(b[0], c[0] as number);
      b[1] = Math.min(b[1], c[1] as number);
      b[2] = Math.max(b[2], c[0] as number);
      b[3] = Math.max(b[3], c[1] as number);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  if (geom.type === 'GeometryCollection') geom.geometries.forEach((g) => visit(bboxCoords(g)));
  else visit(geom.coordinates);
  return b;
}

function bboxCoords(g: GeoJSON.Geometry): unknown {
  return g.type === 'GeometryCollection' ? g.geometries.map(bboxCoords) : g.coordinates;
}

/** Area and centroid of a ring (shoelace formula, in degrees: fine for label placement). */
function ringCentroid(ring: number[][]): { area: number; c: [number, number] } {
  let a = 0;
  let x = 0;
  let y = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const cross = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    a += cross;
    x += (ring[j][0] + ring[i][0]) * cross;
    y += (ring[j][1] + ring[i][1]) * cross;
  }
  return a === 0 ? { area: 0, c: [ring[0][0], ring[0][1]] } : { area: Math.abs(a / 2), c: [x / (3 * a), y / (3 * a)] };
}

/** Where to put a label: the centroid of the largest polygon's outer ring (bbox centre otherwise). */
export function labelPoint(geom: GeoJSON.Geometry): [number, number] {
  const polys = geom.type === 'Polygon' ? [geom.coordinates] : geom.type === 'MultiPolygon' ? geom.coordinates : [];
  let best: { area: number; c: [number, number] } | null = null;
  for (const p of polys) {
    const r = ringCentroid(p[0]);
    if (!best || r.area > best.area) best = r;
  }
  if (best && best.area > 0) return best.c;
  const [a, b, c, d] = bbox(geom);
  return [(a + c) / 2, (b + d) / 2];
}
