// The server's vector tile sources as MapLibre sources: nothing comes from a CDN, every page takes
// its tiles from the server it was served by (`origin`, e.g. `location.origin`).

import type { SourceSpecification } from 'maplibre-gl';
import { TILES_PLANNING } from './ids';

/** A vector source of the server at `origin` (`/tiles/{id}` is its TileJSON). */
export function tileSource(origin: string, id: string): SourceSpecification {
  return { type: 'vector', url: `${origin.replace(/\/$/, '')}/tiles/${id}` };
}

/** The planning zones (/tiles/planning/{z}/{x}/{y}, layer `planning`), whose attributes are those
 * of GET /api/v1/planning/zones. */
export function planningSource(origin: string): SourceSpecification {
  return { type: 'vector', tiles: [`${origin}/tiles/${TILES_PLANNING}/{z}/{x}/{y}`], minzoom: 0, maxzoom: 18 };
}
